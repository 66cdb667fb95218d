"""``python -m newsmill``: the same as the ``newsmill`` command."""

import sys

from newsmill.cli import main

sys.exit(main())

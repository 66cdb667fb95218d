"""The ``newsmill`` command: a parser built from the command registry, errors turned into exit codes.

The commands themselves live in ``newsmill.commands`` (one module each). This module never does work of
its own and never lets a traceback reach the user: set ``NEWSMILL_TRACEBACK=1`` to see one when
debugging an unexpected error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from newsmill import __version__
from newsmill.commands import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, UsageError, console, load_commands
from newsmill.errors import NewsmillError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=console.PROG,
        description="Turn raw news pages (HTML, plain-text dumps) into clean, structured articles.",
        epilog="Run 'newsmill COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in load_commands():
        sub_parser = sub.add_parser(
            command.name,
            help=command.help,
            description=command.description or command.help,
            epilog=command.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(sub_parser)
        sub_parser.set_defaults(run=command.run, command_parser=sub_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "run", None):
        parser.print_usage(sys.stderr)
        console.problem(None, "choose a command (e.g. 'newsmill extract PATH'); see 'newsmill --help'")
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as exc:
        args.command_parser.print_usage(sys.stderr)
        console.problem(args.command, str(exc))
        return EXIT_USAGE
    except NewsmillError as exc:
        console.problem(None, str(exc))
    except KeyboardInterrupt:
        console.problem(None, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (| head): not worth a message
    except OSError as exc:
        console.problem(exc.filename, f"{exc.strerror or exc}; check the path and its permissions")
    except Exception as exc:
        if os.environ.get("NEWSMILL_TRACEBACK"):
            raise
        console.problem(None, f"internal error ({type(exc).__name__}: {exc}); please report it")
    return EXIT_FAILED


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would print a second BrokenPipeError; point it at /dev/null.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())

"""What commands print on stderr: one-line problems, warnings, a progress bar.

Every line starts with ``newsmill:`` and names the input, so that a long run's log can be grepped.
Never prints tracebacks: an unexpected exception becomes one line too (see ``newsmill.cli``).
"""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

PROG = "newsmill"


def problem(label: str | None, message: str) -> None:
    """Report a failed input (or, without a label, a failed run)."""
    _emit(f"{PROG}: {label}: {message}" if label else f"{PROG}: {message}")


def warning(label: str, message: str) -> None:
    _emit(f"{PROG}: {label}: warning: {message}")


def info(message: str) -> None:
    _emit(f"{PROG}: {message}")


def _emit(line: str) -> None:
    # tqdm.write moves an active progress bar out of the way instead of breaking it in two.
    tqdm.write(line, file=sys.stderr)


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(total: int, *, enabled: bool) -> tqdm[Any]:
    # No monitor thread: worker processes are forked while the bar exists, and forking a process that
    # runs threads can deadlock.
    tqdm.monitor_interval = 0
    return tqdm(total=total, disable=not enabled, file=sys.stderr, unit="page", dynamic_ncols=True)

"""Flags shared by several commands (output target and format, quietness) and their value checkers.

Defined once here so that every command spells, documents and validates them the same way.
"""

from __future__ import annotations

import argparse

from newsmill.writers import FORMATS


def add_output_options(parser: argparse.ArgumentParser, *, default_format: str = "json") -> None:
    """``-o FILE`` and ``--format``: for commands that write articles."""
    group = parser.add_argument_group("output")
    add_output_file_option(group)
    group.add_argument(
        "--format",
        choices=FORMATS,
        default=default_format,
        help="json: one object for one input, else an array; jsonl: one object per line; "
        "md: Markdown; txt: plain text, articles separated by a form-feed line (default: %(default)s)",
    )


def add_output_file_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``-o FILE`` alone: for commands with a single output format."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of stdout ('-' is stdout); the file is replaced only when the run is written",
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    from newsmill.store import DEFAULT_DB

    parser.add_argument(
        "--db",
        metavar="PATH",
        default=DEFAULT_DB,
        help="the database file (default: %(default)s in the current directory; its search index sits beside it)",
    )


def add_table_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json")) -> None:
    parser.add_argument(
        "--format", choices=choices, default=choices[0], help="how to print the result (default: %(default)s)"
    )


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar, warnings or summary on stderr (errors still)",
    )


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def seconds(value: str) -> float | None:
    """A non-negative number of seconds; 0 means no limit (``None``)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not number >= 0 or number == float("inf"):  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or a positive number, got {value!r}")
    return number or None

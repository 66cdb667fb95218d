"""``newsmill export``: the database's articles as Parquet or JSONL (re-importable with ``ingest``)."""

from __future__ import annotations

import argparse

from newsmill.commands import EXIT_OK, Command, console
from newsmill.commands.options import add_db_option, add_quiet_option
from newsmill.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", metavar="FILE", help="target file; .parquet gives Parquet, anything else JSONL")
    add_db_option(parser)
    parser.add_argument("--format", choices=("parquet", "jsonl"), help="override the format implied by FILE")
    parser.add_argument("--with-duplicates", action="store_true", help="also export duplicate copies")
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    with Store(args.db, read_only=True) as store:
        count = store.export(args.output, fmt=args.format, include_duplicates=args.with_duplicates)
    if not args.quiet:
        console.info(f"wrote {count} articles to {args.output}")
    return EXIT_OK


COMMAND = Command(
    name="export",
    help="export articles as Parquet or JSONL",
    description="Write the articles (one per row or line, the Article model's fields) to FILE. "
    "`newsmill ingest FILE` imports such a file into another database.",
    add_arguments=add_arguments,
    run=run,
)

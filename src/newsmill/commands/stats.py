"""``newsmill stats``: what the database holds: counts, rejections by reason, and the ingest runs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsmill.commands import EXIT_OK, Command
from newsmill.commands.options import add_db_option, add_table_format_option
from newsmill.store import Store, StoreError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_table_format_option(parser)
    parser.add_argument(
        "--migrate", action="store_true",
        help="first upgrade a database written by an older newsmill to this version's tables (in one transaction)",
    )


def run(args: argparse.Namespace) -> int:
    if args.migrate:
        if not Path(args.db).exists():  # opening for writing would create an empty database
            raise StoreError(f"{args.db}: no such database; create it with `newsmill ingest`")
        Store(args.db).close()  # opening for writing applies the migrations
    with Store(args.db, read_only=True) as store:
        counts = store.counts()
        reasons = store.rejection_reasons()
        runs = store.runs()
    if args.format == "json":
        print(json.dumps({"counts": counts.as_dict(), "rejections": dict(reasons), "runs": runs}, indent=2, default=str))
        return EXIT_OK
    print(f"{args.db}: {counts.records} records")
    print(f"  articles    {counts.articles:>8}")
    print(f"  duplicates  {counts.duplicates:>8}  ({counts.same_document} re-crawls of a stored page)")
    print(f"  rejections  {counts.rejections:>8}")
    for reason, n in reasons:
        print(f"    {reason:<18}{n:>8}")
    print("runs:")
    for r in runs:
        print(
            f"  #{r['run_id']} {r['status']:<11} {str(r['started_at'])[:19]}  {r['records']} records, "
            f"{r['new_documents']} new, {r['same_document']} same, {r['rejections']} rejected, "
            f"{r['already_stored']} already stored  ({r['executor']}, {r['workers']} workers)"
        )
    return EXIT_OK


COMMAND = Command(
    name="stats",
    help="counts of articles, duplicates, rejections and ingest runs in the database",
    add_arguments=add_arguments,
    run=run,
)

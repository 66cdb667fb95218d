"""``newsmill duplicates``: duplicate clusters, largest first: the canonical article and its copies."""

from __future__ import annotations

import argparse
import json

from newsmill.commands import EXIT_OK, Command
from newsmill.commands.options import add_db_option, add_table_format_option, positive_int
from newsmill.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--limit", type=positive_int, default=20, help="clusters to show (default: %(default)s)")
    add_table_format_option(parser)


def run(args: argparse.Namespace) -> int:
    with Store(args.db, read_only=True) as store:
        clusters = store.duplicate_clusters(limit=args.limit)
    if args.format == "json":
        print(json.dumps(clusters, indent=2, ensure_ascii=False, default=str))
        return EXIT_OK
    if not clusters:
        print("no duplicate clusters")
    for cluster in clusters:
        canon = cluster["canonical"]
        print(f"{cluster['size']} copies of {canon['title'] or '(no title)'!r} [{canon['id']}]")
        print(f"   canonical  {canon['publisher'] or '-'}  {canon['published'] or 'no date'}  {canon['url'] or ''}")
        for dup in cluster["duplicates"]:
            sim = "" if dup["similarity"] is None else f" {dup['similarity']:.2f}"
            print(f"   {dup['reason']:<9}{sim:>5}  {dup['publisher'] or '-'}  {dup['published'] or 'no date'}  {dup['url'] or ''}")
    return EXIT_OK


COMMAND = Command(
    name="duplicates",
    help="show duplicate clusters (exact, same URL, near-duplicate)",
    add_arguments=add_arguments,
    run=run,
)

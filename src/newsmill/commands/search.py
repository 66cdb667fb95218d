"""``newsmill search``: BM25 full-text search over the database's articles, with filters."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date

from newsmill.api import search
from newsmill.commands import EXIT_OK, Command
from newsmill.commands.options import add_db_option, add_table_format_option, positive_int


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help='words to find; "a phrase", +required, -excluded, title:word also work')
    add_db_option(parser)
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="published on or after this day")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="published on or before this day")
    parser.add_argument("--publisher", help="exact publisher name (case-insensitive)")
    parser.add_argument("--author", help="exact author name (case-insensitive)")
    parser.add_argument("--tag", help="exact tag (case-insensitive)")
    parser.add_argument("--language", help="language code as extracted, e.g. en or en-gb")
    parser.add_argument("--limit", type=positive_int, default=10, help="results to show (default: %(default)s)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many results (paging)")
    add_table_format_option(parser)


def run(args: argparse.Namespace) -> int:
    results = search(
        args.query, db=args.db, since=args.since, until=args.until, publisher=args.publisher, author=args.author,
        tag=args.tag, language=args.language, limit=args.limit, offset=max(0, args.offset),
    )
    if args.format == "json":
        print(json.dumps(asdict(results), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{results.total} articles match {results.query!r}")
    for rank, hit in enumerate(results.hits, start=1 + max(0, args.offset)):
        when = (hit.published or "")[:10] or "no date   "
        print(f"{rank:>3}. {hit.score:6.2f}  {when}  {hit.publisher or '-'}  {hit.title or '(no title)'}  [{hit.id}]")
        if hit.snippet:
            print("       " + " ".join(hit.snippet.split())[:160])
    for warning in results.warnings:
        print(f"warning: part of the query was ignored: {warning}")
    return EXIT_OK


COMMAND = Command(
    name="search",
    help="full-text search (BM25) over the articles in the database",
    epilog='example:\n  newsmill search "ferry strike" --since 2024-03-01 --publisher "The Harbourline Courier"',
    add_arguments=add_arguments,
    run=run,
)

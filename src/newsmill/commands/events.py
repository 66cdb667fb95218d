"""``newsmill events``: the coded events stored by ``newsmill enrich``, filtered, in a GDELT-like layout.

One row per event: when, who (actor code and name), what (CAMEO code, PLOVER type and mode, Goldstein
score, quad class), to whom, where, from which article and sentence, and the flags that qualify it
(negated, hypothetical, threatened, reported, historical).
"""

from __future__ import annotations

import argparse
import csv
import json
from typing import Any

from newsmill.commands import EXIT_OK, Command
from newsmill.commands.options import add_db_option, add_output_file_option, positive_int
from newsmill.commands.search import iso_date
from newsmill.store import Store
from newsmill.writers import open_output

#: CSV columns, in GDELT's order of concerns: date, actor, action, target, scores, place, source.
CSV_COLUMNS: tuple[str, ...] = (
    "date", "actor_code", "actor_name", "actor", "cameo", "plover", "plover_mode", "target_code", "target_name",
    "target", "goldstein", "quad_class", "place", "place_country", "lat", "lon", "flags", "confidence",
    "article_id", "ordinal", "url", "published", "trigger", "sentence_text", "date_text",
)
#: Characters of the source sentence shown under a table row.
TABLE_SENTENCE_CHARS = 160


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--actor", metavar="CODE", help="actor code or its prefix (IRN matches IRNMIL, IRNGOV...)")
    parser.add_argument("--target", metavar="CODE", help="target code or its prefix")
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="events on or after this day")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="events on or before this day")
    parser.add_argument("--plover", metavar="TYPE", help="PLOVER event type, e.g. ASSAULT, THREATEN, AGREE")
    parser.add_argument(
        "--factual", action="store_true", help="leave out negated, hypothetical and historical events"
    )
    parser.add_argument("--limit", type=positive_int, default=100, help="events to show (default: %(default)s)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many events (paging)")
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="how to print them (default: %(default)s)"
    )
    add_output_file_option(parser)


def run(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {
        "actor": args.actor, "target": args.target, "since": args.since, "until": args.until,
        "plover": args.plover, "factual": args.factual,
    }
    offset = max(0, args.offset)
    with Store(args.db, read_only=True) as store:
        rows = store.events(**filters, limit=args.limit, offset=offset)
        total = store.event_count(**filters)
        enriched = store.enrichment_counts()["enriched"] if not total else None
    with open_output(args.output) as out:
        if args.format == "json":
            out.write(json.dumps({"total": total, "offset": offset, "events": rows}, indent=2, default=str,
                                 ensure_ascii=False) + "\n")
        elif args.format == "csv":
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for row in rows:
                # One line per event: the sentence as stored ends with the paragraph's blank line.
                sentence = " ".join((row["sentence_text"] or "").split())
                writer.writerow({**row, "flags": ";".join(row["flags"]), "sentence_text": sentence})
        else:
            write_table(out, rows, total, offset)
            if enriched == 0:
                out.write(f"(no article is enriched yet: run `newsmill enrich --db {args.db}`)\n")
    return EXIT_OK


def _who(code: str | None, name: str | None, text: str | None) -> str:
    if code:
        return f"{code} {name}" if name else code
    return f"({text})" if text else "-"


def write_table(out: Any, rows: list[dict[str, Any]], total: int, offset: int) -> None:
    out.write(f"{total} events match\n")
    for number, row in enumerate(rows, start=offset + 1):
        where = row["place"] or "-"
        if row["lat"] is not None and row["lon"] is not None:
            where += f" ({row['lat']:.2f}, {row['lon']:.2f})"
        flags = f"  [{', '.join(row['flags'])}]" if row["flags"] else ""
        out.write(
            f"{number:>4}. {row['date'] or 'no date   '}  {_who(row['actor_code'], row['actor_name'], row['actor'])}"
            f"  --{row['cameo']} {row['plover']}{'/' + row['plover_mode'] if row['plover_mode'] else ''}-->  "
            f"{_who(row['target_code'], row['target_name'], row['target'])}  goldstein {row['goldstein']:+.1f}  "
            f"quad {row['quad_class']}  at {where}{flags}\n"
        )
        sentence = " ".join((row["sentence_text"] or "").split())
        if len(sentence) > TABLE_SENTENCE_CHARS:
            sentence = sentence[: TABLE_SENTENCE_CHARS - 1] + "…"
        out.write(f"        \"{sentence}\"  {row['url'] or row['article_id']}\n")


EPILOG = """\
examples:
  newsmill events --actor IRN --target USA --since 2020-03-01
  newsmill events --plover ASSAULT --factual --format csv -o assaults.csv
  newsmill events --actor USAGOV --format json --limit 1000
"""

COMMAND = Command(
    name="events",
    help="coded events (who did what to whom, when, where) stored by `newsmill enrich`",
    description="List the stored events, filtered by actor, target (code prefixes), dates and PLOVER type.",
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
)

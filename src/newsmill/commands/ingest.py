"""``newsmill ingest``: files, folders, JSONL/Parquet and WARC -> deduplicated articles in the database."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from tqdm import tqdm

from newsmill.commands import EXIT_FAILED, EXIT_OK, Command, console
from newsmill.commands.options import add_db_option, add_quiet_option, positive_int, seconds
from newsmill.extraction import DEFAULT_TIME_LIMIT
from newsmill.ingest import IngestReport, Progress, ingest

#: Progress-bar refreshes per second at most: redrawing costs more than it tells beyond that.
REFRESH_PER_SECOND = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="page files (.html .htm .txt, optionally .gz), folders (searched recursively), "
        "JSONL/Parquet records (url, html or text, fetched_at) or WARC archives (.warc, .warc.gz)",
    )
    add_db_option(parser)
    parser.add_argument("--workers", type=positive_int, metavar="N", help="worker processes (default: all CPUs)")
    parser.add_argument(
        "--executor", choices=("local", "ray"), default="local",
        help="local: a process pool on this machine; ray: Ray Data (pip install 'newsmill[ray]') (default: %(default)s)",
    )
    parser.add_argument("--address", metavar="ADDR", help="Ray cluster address (with --executor ray), e.g. ray://head:10001 or auto")
    parser.add_argument(
        "--time-limit", type=seconds, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
        help="per-page time limit; 0 for none (default: %(default)g)",
    )
    parser.add_argument("--no-search", action="store_true", help="do not update the search index")
    parser.add_argument(
        "--enrich", action="store_true",
        help="then enrich the articles not yet enriched (entities, quotes, places, events), as `newsmill enrich` does",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="how to print the run report")
    add_quiet_option(parser)


class _ProgressLine:
    """A tqdm bar over input bytes (for the ETA) with pages/s and the outcome counts beside it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm[Any] | None = None
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, state: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 1 / REFRESH_PER_SECOND:
            return
        self.last = now
        bar = self.bar
        if bar is None:
            # No monitor thread: worker processes are forked while the bar exists (see console.progress_bar).
            tqdm.monitor_interval = 0
            bar = self.bar = tqdm(total=state.total_bytes, unit="B", unit_scale=True, file=sys.stderr, dynamic_ncols=True)
        counts = state.counts
        rate = state.records / max(now - self.started, 1e-9)
        bar.n = min(state.done_bytes, state.total_bytes)
        if counts is not None:
            bar.set_postfix_str(
                f"{rate:.0f} pages/s, {counts.articles} new, {counts.same_document} same, "
                f"{counts.rejections} rejected, {counts.already_stored} already stored", refresh=False,
            )
        bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.n = self.bar.total
            self.bar.close()


def run(args: argparse.Namespace) -> int:
    progress = _ProgressLine(enabled=not args.quiet and args.format == "table" and console.stderr_is_tty())
    try:
        report = ingest(
            args.inputs, db=args.db, workers=args.workers, executor=args.executor, time_limit=args.time_limit,
            ray_address=args.address, search=not args.no_search, progress=progress,
        )
    finally:
        progress.close()
    for line in report.problems:
        console.problem(None, line)
    enrichment = None
    if args.enrich:
        from newsmill.commands.enrich import enrich_database

        enrichment = enrich_database(args.db, workers=args.workers, show_progress=progress.enabled)
    if args.format == "json":
        data = report_dict(report)
        if enrichment is not None:
            data["enrichment"] = enrichment.as_dict()
        print(json.dumps(data, indent=2))
    elif not args.quiet:
        print_report(report)
        if enrichment is not None:
            from newsmill.commands.enrich import print_report as print_enrich_report

            print_enrich_report(enrichment)
    return EXIT_FAILED if report.problems or (enrichment is not None and enrichment.failed) else EXIT_OK


def report_dict(report: IngestReport) -> dict:
    return {
        "db": report.db, "run_id": report.run_id, "status": report.status, "seconds": round(report.seconds, 3),
        "pages_per_second": round(report.pages_per_second, 1), "skipped_complete_files": report.skipped_files,
        "run": report.run.__dict__, "store": report.totals.as_dict(), "problems": report.problems,
    }


def print_report(report: IngestReport) -> None:
    run, totals = report.run, report.totals
    print(
        f"run {report.run_id} {report.status} in {report.seconds:.1f}s ({report.pages_per_second:.0f} pages/s): "
        f"{run.records} records read -> {run.articles} new documents, {run.same_document} copies of stored ones, "
        f"{run.rejections} rejected; {run.already_stored} already stored, {report.skipped_files} complete files skipped"
    )
    print(
        f"{report.db}: {totals.records} records = {totals.articles} articles + {totals.duplicates} duplicates + "
        f"{totals.rejections} rejections"
    )


EPILOG = """\
Running the same command again resumes an interrupted run and stores nothing twice.

examples:
  newsmill ingest examples/demo
  newsmill ingest crawl/*.warc.gz --db news.duckdb --workers 8
  newsmill ingest export.jsonl --db other.duckdb          # re-import a `newsmill export`
  newsmill ingest s3-mirror/ --executor ray --address auto
"""

COMMAND = Command(
    name="ingest",
    help="ingest pages, JSONL/Parquet records and WARC archives into the database",
    description="Extract, deduplicate, store and index every page of the inputs (resumable).",
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
)

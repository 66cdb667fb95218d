"""``newsmill enrich``: entities, quotes, places and events, for the database's articles or for files.

Without FILE it enriches the store (``newsmill.enrich_store``): resumable, a no-op when nothing is left.
With FILEs (pages, or Article JSON/JSONL as ``newsmill extract`` writes them) it prints Enrichment
JSON/JSONL and touches no database.
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsmill.api import enrich_store, extract
from newsmill.commands import EXIT_FAILED, EXIT_OK, Command, UsageError, console
from newsmill.commands.extract import find_pages
from newsmill.commands.options import add_db_option, add_output_file_option, add_quiet_option, positive_int
from newsmill.enrichment.models import Enrichment
from newsmill.errors import NewsmillError
from newsmill.executors import WorkerCrash, WorkerTimeout, map_stream
from newsmill.models import Article
from newsmill.store.enrich_runner import ARTICLE_TIME_LIMIT, EnrichReport, default_workers, enrich_article
from newsmill.writers import open_output

#: Files read as Article records rather than pages.
ARTICLE_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
#: Progress-bar refreshes per second at most.
REFRESH_PER_SECOND = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", metavar="FILE",
        help="pages (.html .htm .txt, optionally .gz; folders searched recursively) or Article JSON/JSONL "
        "(.json .jsonl, as `newsmill extract` writes them); without FILE the database's articles are enriched",
    )
    add_db_option(parser)
    parser.add_argument("--workers", type=positive_int, metavar="N", help="worker processes (default: all CPUs)")
    parser.add_argument("--force", action="store_true", help="re-enrich articles that already have an enrichment")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="enrich at most N articles of the database")
    parser.add_argument(
        "--actors", action="append", default=[], metavar="FILE",
        help="an extra actor table (same format as the built-in one); may be repeated",
    )
    parser.add_argument(
        "--verbs", action="append", default=[], metavar="FILE",
        help="a TABARI/PETRARCH verb dictionary (e.g. CAMEO.2.0.txt); its coder, with the PETRARCH actor, agent "
        "and discard files given with --actors, replaces the built-in event lexicon; may be repeated",
    )
    parser.add_argument(
        "--format", choices=("table", "json", "jsonl"), default=None,
        help="store: table (default) or json run report; files: json (default; one object for one article, "
        "else an array) or jsonl",
    )
    add_output_file_option(parser)
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    if args.verbs:
        # read the verb dictionaries once here, so a missing file or a malformed line is one clear error
        # rather than a failure in every worker
        from newsmill.enrichment.verbdict import VerbDictionary, VerbDictionaryError

        try:
            VerbDictionary.load(args.verbs)
        except VerbDictionaryError as exc:
            raise UsageError(str(exc)) from None
    if args.files:
        if args.force or args.limit:
            raise UsageError("--force and --limit apply to the database; they cannot be used with FILE")
        return run_files(args)
    if args.output:
        raise UsageError("-o applies to FILE inputs; the database run prints its report")
    if args.format == "jsonl":
        raise UsageError("--format jsonl applies to FILE inputs; use table or json for the database run")
    return run_store(args)


# --- the database -----------------------------------------------------------------------------------------
class _ProgressLine:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm[Any] | None = None
        self.last = 0.0

    def __call__(self, report: EnrichReport) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 1 / REFRESH_PER_SECOND and report.done < report.planned:
            return
        self.last = now
        if self.bar is None:
            self.bar = console.progress_bar(report.planned, enabled=True)
            self.bar.unit = "article"
        assert self.bar is not None
        self.bar.n = report.done
        self.bar.set_postfix_str(
            f"{report.articles_per_second:.1f} articles/s, {report.kept} kept, {sum(report.skipped.values())} "
            f"skipped, {report.failed} failed, {report.events} events", refresh=False,
        )
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def enrich_database(
    db: str, *, workers: int | None, show_progress: bool, force: bool = False, limit: int | None = None,
    actor_files: Sequence[str] = (), verb_files: Sequence[str] = (),
) -> EnrichReport:
    """``enrich_store`` with a progress bar; failed articles are reported on stderr (also for ingest --enrich)."""
    progress = _ProgressLine(enabled=show_progress)
    try:
        report = enrich_store(
            db, workers=workers, force=force, limit=limit, progress=progress, actor_files=actor_files,
            verb_files=verb_files,
        )
    finally:
        progress.close()
    for line in report.failures:
        console.problem(None, f"enrichment failed: {line}")
    return report


def run_store(args: argparse.Namespace) -> int:
    fmt = args.format or "table"
    report = enrich_database(
        args.db, workers=args.workers, show_progress=not args.quiet and fmt == "table" and console.stderr_is_tty(),
        force=args.force, limit=args.limit, actor_files=args.actors, verb_files=args.verbs,
    )
    if fmt == "json":
        print(json.dumps(report.as_dict(), indent=2))
    elif not args.quiet:
        print_report(report)
    return EXIT_FAILED if report.failed else EXIT_OK


def print_report(report: EnrichReport) -> None:
    if report.removed_duplicates:
        print(f"{report.db}: dropped the enrichments of {report.removed_duplicates} articles that became duplicates")
    if not report.planned:
        print(f"{report.db}: nothing to enrich ({report.already_enriched} articles already enriched; --force redoes them)")
        return
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items())) or "none"
    print(
        f"{report.db}: {report.done} of {report.planned} articles enriched in {report.seconds:.1f}s "
        f"({report.articles_per_second:.1f} articles/s, {report.workers} workers, stage {report.stage}): "
        f"{report.kept} kept ({report.events} events, {report.entities} entities), skipped: {skipped}, "
        f"{report.failed} failed"
    )


# --- files --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Input:
    label: str
    article: Article | None = None
    error: str | None = None


def _read_inputs(paths: list[str]) -> Iterator[_Input]:
    """Articles from the named files, in order; unreadable ones as errors (the run goes on)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = find_pages(path)
            if not found:
                yield _Input(raw, error="no page files in this folder")
            yield from _read_inputs([str(p) for p in found])
            continue
        if path.name.lower().endswith(ARTICLE_JSON_SUFFIXES):
            yield from _read_article_json(path, raw)
            continue
        try:
            yield _Input(raw, article=extract(path))
        except NewsmillError as exc:
            message = str(exc)
            yield _Input(raw, error=message[len(raw) + 2 :] if message.startswith(raw + ": ") else message)


def _read_article_json(path: Path, label: str) -> Iterator[_Input]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield _Input(label, error=f"cannot read the file ({exc})")
        return
    if path.suffix.lower() == ".json":
        # A .json file holds one Article or an array of them (`newsmill extract --format json`); one that
        # does not parse as a whole is read as JSON Lines, as a misnamed .jsonl would be.
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            pass
        else:
            if isinstance(whole, list):
                for number, item in enumerate(whole, start=1):
                    yield _article_from(f"{label}[{number}]", item)
            else:
                yield _article_from(label, whole)
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Input(f"{label}:{number}", error=f"not valid JSON ({exc})")
            continue
        yield _article_from(f"{label}:{number}", item)


def _article_from(label: str, item: object) -> _Input:
    if not isinstance(item, dict):
        return _Input(label, error="not an Article object")
    try:
        article = Article.model_validate(item)
    except ValueError as exc:
        first = str(exc).splitlines()
        return _Input(label, error=f"not an Article as `newsmill extract` writes it ({' '.join(first[:3])})")
    if not article.id:
        article.assign_id()
    return _Input(label, article=article)


def run_files(args: argparse.Namespace) -> int:
    fmt = args.format or "json"
    if fmt == "table":
        raise UsageError("--format table is for the database run; FILE inputs print json or jsonl")
    inputs = list(_read_inputs(args.files))
    failed = 0
    for item in inputs:
        if item.error:
            console.problem(item.label, item.error)
            failed += 1
    articles = [i for i in inputs if i.article is not None]
    workers = max(1, min(args.workers or default_workers(), len(articles)))
    work = functools.partial(enrich_article, actor_files=tuple(args.actors), verb_files=tuple(args.verbs))
    records: list[Enrichment] = []
    results = map_stream(work, (i.article for i in articles), workers=workers, timeout=ARTICLE_TIME_LIMIT)
    for item, result in zip(articles, results, strict=True):
        if isinstance(result, WorkerCrash | WorkerTimeout):
            console.problem(item.label, result.message)
            failed += 1
            continue
        record, outcome = result
        if outcome == "failed":
            console.problem(item.label, record.skipped_reason or "enrichment failed")
            failed += 1
        elif outcome == "skipped" and not args.quiet:
            console.warning(item.label, f"skipped: {record.skipped_reason}")
        records.append(record)
    # One object for one named page or one Article object; an array for anything that can hold several.
    one = len(args.files) == 1 and len(inputs) == 1 and inputs[0].label == args.files[0] and len(records) == 1
    with open_output(args.output) as out:
        if fmt == "jsonl":
            for record in records:
                out.write(record.to_json() + "\n")
        elif one:
            out.write(records[0].to_json(indent=2) + "\n")
        else:
            out.write("[" + ",\n".join(r.to_json(indent=2) for r in records) + "]\n")
    return EXIT_FAILED if failed else EXIT_OK


EPILOG = """\
examples:
  newsmill enrich --db news.duckdb                 # every article not yet enriched (resumable)
  newsmill enrich --db news.duckdb --force         # all of them again
  newsmill enrich page.html                        # one page: its Enrichment as JSON
  newsmill extract crawl/ --format jsonl -o a.jsonl && newsmill enrich a.jsonl --format jsonl
"""

COMMAND = Command(
    name="enrich",
    help="entities, quotes, places and coded events, for the database's articles or for files",
    description="Find entities, quotes, places and events (PLOVER/CAMEO) in articles and store them beside "
    "the articles, or print them for FILEs.",
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
)

"""``newsmill extract``: pages (files, directories, stdin) → articles as json, jsonl, md or txt.

Inputs run in worker processes (``newsmill.executors``) and come out in input order. A failed input is
one line on stderr and the run goes on; the exit code says whether any input failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsmill.api import extract
from newsmill.commands import EXIT_FAILED, EXIT_OK, Command, UsageError, console
from newsmill.commands.options import add_output_options, add_quiet_option, positive_int, seconds
from newsmill.errors import NewsmillError
from newsmill.executors import WorkerCrash, WorkerTimeout, map_ordered
from newsmill.executors.local import hard_time_limit
from newsmill.extraction import DEFAULT_TIME_LIMIT
from newsmill.models import Article
from newsmill.readers.sources import MAX_PAGE_BYTES, Kind
from newsmill.writers import ArticleWriter, open_output

#: Files picked up inside a directory (case-insensitive); a file named on the command line is always read.
PAGE_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml", ".txt", ".gz")
#: From this many inputs on the progress bar shows even when stderr is not a terminal, so that the log of
#: a long batch job tells how far it got; below it a non-terminal stderr only gets problems.
PROGRESS_MIN_INPUTS = 20
STDIN_LABEL = "<stdin>"


@dataclass(frozen=True)
class PageTask:
    """One input, as a worker process needs it (picklable)."""

    label: str  # how messages name it: the path as found, or <stdin>
    path: str | None = None
    data: bytes | None = None  # stdin, read by the parent process
    kind: Kind | None = None
    url: str | None = None
    time_limit: float | None = DEFAULT_TIME_LIMIT


@dataclass(frozen=True)
class PageResult:
    label: str
    article: Article | None = None
    error: str | None = None


def extract_task(task: PageTask) -> PageResult:
    """Run in a worker: never raises, so that one bad page costs one line on stderr."""
    source: bytes | Path = task.data if task.data is not None else Path(task.path or "")
    try:
        article = extract(source, url=task.url, kind=task.kind, time_limit=task.time_limit)
    except NewsmillError as exc:
        return PageResult(task.label, error=_without_path(str(exc), source))
    except Exception as exc:  # a bug in an extractor must cost one page, not the run
        return PageResult(
            task.label,
            error=f"internal error ({type(exc).__name__}: {exc}); please report it with this file",
        )
    return PageResult(task.label, article=article)


def _without_path(message: str, source: bytes | Path) -> str:
    # Reader messages start with the path for API users; the CLI prints the path itself.
    if not isinstance(source, Path):
        return message
    prefix = f"{source}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


# --- inputs -----------------------------------------------------------------------------------------
def find_pages(directory: Path) -> list[Path]:
    """Page files under ``directory``, recursively, sorted by path; hidden files and folders skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root, name)
            for name in files
            if not name.startswith(".") and name.lower().endswith(PAGE_SUFFIXES)
        )
    # By path components, as `find | sort` would list them: stable across file systems and runs.
    return sorted(found, key=lambda path: path.parts)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return True  # no usable stdin: do not wait on it


def collect_tasks(args: argparse.Namespace) -> tuple[list[PageTask], int, bool]:
    """Turn PATH arguments into tasks. Returns (tasks, number of problems reported, one_document).

    ``one_document`` is true when a single file or stdin was named: json output is then one object,
    not an array (a directory always gives an array, however many files it holds).
    """
    paths: list[str] = list(args.paths)
    if not paths:
        if _stdin_is_tty():
            raise UsageError("no input: name files or directories, or pipe a page into stdin ('-')")
        paths = ["-"]
    if paths.count("-") > 1:
        raise UsageError("stdin ('-') can be named only once")
    kind: Kind | None = None if args.kind == "auto" else args.kind
    tasks: list[PageTask] = []
    problems = 0
    for raw in paths:
        common = {"kind": kind, "url": args.url, "time_limit": args.time_limit}
        if raw == "-":
            tasks.append(PageTask(STDIN_LABEL, data=sys.stdin.buffer.read(MAX_PAGE_BYTES + 1), **common))
        elif Path(raw).is_dir():
            pages = find_pages(Path(raw))
            if not pages:
                console.problem(raw, f"no {'/'.join(PAGE_SUFFIXES)} files in this directory; check the path")
                problems += 1
            tasks.extend(PageTask(str(p), path=str(p), **common) for p in pages)
        else:
            tasks.append(PageTask(raw, path=raw, **common))  # a missing file is reported by its worker
    one_document = len(paths) == 1 and len(tasks) == 1 and not Path(paths[0]).is_dir()
    if args.url and len(tasks) > 1:
        raise UsageError("--url applies to one input; it was given with several")
    return tasks, problems, one_document


# --- run --------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    tasks, problems, one_document = collect_tasks(args)
    workers = max(1, min(args.workers or os.cpu_count() or 1, len(tasks)))
    show_progress = (
        not args.quiet and len(tasks) > 1 and (console.stderr_is_tty() or len(tasks) >= PROGRESS_MIN_INPUTS)
    )
    failed = empty = 0
    with open_output(args.output) as sink, console.progress_bar(len(tasks), enabled=show_progress) as bar:
        writer = ArticleWriter(sink, args.format, as_array=not one_document)
        for result in _results(tasks, workers, args.time_limit):
            bar.update(1)
            if result.article is None:
                console.problem(result.label, result.error or "failed")
                failed += 1
                continue
            if result.article.is_empty:
                empty += 1
                if not args.quiet:
                    reason = result.article.empty_reason or "no article text"
                    console.warning(
                        result.label, f"no article found ({reason}); written with empty_reason set"
                    )
            writer.write(result.article)
        writer.close()
    if not args.quiet and len(tasks) > 1:
        articles = len(tasks) - failed - empty
        console.info(f"{len(tasks)} pages: {articles} articles, {empty} without article, {failed} failed")
    return EXIT_FAILED if failed or problems else EXIT_OK


def _results(tasks: list[PageTask], workers: int, time_limit: float | None) -> Iterator[PageResult]:
    outcomes = map_ordered(extract_task, tasks, workers=workers, timeout=hard_time_limit(time_limit))
    for task, outcome in zip(tasks, outcomes, strict=True):
        if isinstance(outcome, WorkerCrash | WorkerTimeout):
            yield PageResult(task.label, error=outcome.message)
        else:
            yield outcome


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="page files, directories (searched recursively for "
        f"{' '.join(PAGE_SUFFIXES)}), or '-' for stdin; stdin is read when no PATH is given",
    )
    parser.add_argument(
        "--kind",
        choices=("auto", "html", "dump"),
        default="auto",
        help="what the inputs are; auto decides from the content of each (default: %(default)s)",
    )
    parser.add_argument(
        "--url", help="the page's address (one input only); recorded on the article and used for its id"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="worker processes (default: the number of CPUs, at most one per input)",
    )
    parser.add_argument(
        "--time-limit",
        type=seconds,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help="per-page time limit; 0 for none (default: %(default)g)",
    )
    add_output_options(parser)
    add_quiet_option(parser)


EPILOG = """\
exit codes: 0 every input gave an article (or a page without one, reported as a warning);
1 some inputs failed (one line each on stderr); 2 usage error.

examples:
  newsmill extract examples/demo --format md
  newsmill extract page.html --url https://example.com/a --format json
  curl -s https://example.com/a | newsmill extract --format txt
  newsmill extract crawl/ --format jsonl -o articles.jsonl --workers 8
"""

COMMAND = Command(
    name="extract",
    help="extract articles from HTML pages and text dumps",
    description="Extract the article (title, byline, dates, body...) from each page.",
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
)

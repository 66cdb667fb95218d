"""Enrich the store's articles: spaCy work in worker processes, one writer storing the results in batches.

The plan is made from the store itself: the canonical articles without an ``enrichments`` row (all of
them with ``force``). Each batch of results is written in one transaction, so a run killed at any moment
loses at most the batch in flight and the same call picks up where it stopped; run again when nothing is
left, it is a no-op. A run first drops the enrichments of articles that a later ingest turned into
duplicates, so that a story's events are counted once, from its canonical copy. Every article planned ends with exactly one ``enrichments`` row: kept, skipped (with
the reason: empty, not English...) or failed (an internal error, a worker that crashed or ran past the
time limit; ``force`` retries those).

This module never imports spaCy itself: the stage is built inside each worker process.
"""

from __future__ import annotations

import collections
import functools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmill.enrichment.models import Enrichment
from newsmill.executors.local import WorkerCrash, WorkerTimeout, map_stream
from newsmill.models import Article
from newsmill.store import enrichments
from newsmill.store.store import DEFAULT_DB, Store, StoreError

#: Enrichments per transaction: commits cost little next to parsing (~20 articles/s per worker), and a
#: kill loses at most this many articles' work.
WRITE_BATCH = 64
#: A batch is also written after this many seconds, so that a slow run shows up in the store.
WRITE_SECONDS = 10.0
#: Articles read from the store per query when feeding the workers.
READ_CHUNK = 256
#: A worker still busy with one article after this many seconds is stopped and the article marked failed.
#: The stage cuts texts at 100,000 characters; that much took about 4 s to enrich in development (demo
#: articles ran at ~25,000 characters/s on a shared 2-core machine), so 30x that leaves room for a
#: loaded machine and never cuts a normal article.
ARTICLE_TIME_LIMIT = 120.0
#: Prefix of ``skipped_reason`` for articles the stage could not process (counted as failed).
FAILED_PREFIX = "failed"
INTERNAL_ERROR_PREFIX = "internal error"
#: Failure messages kept in the report (the rest are counted).
MAX_REPORTED_FAILURES = 20


@dataclass
class EnrichReport:
    """What a run did: ``kept`` + sum(``skipped``) + ``failed`` == ``planned`` when it completed."""

    db: str
    stage: str
    status: str = "running"
    planned: int = 0  # articles the run set out to enrich
    already_enriched: int = 0  # canonical articles left alone because they had an enrichment (no force)
    removed_duplicates: int = 0  # enrichments dropped because their article became a duplicate since
    kept: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "article_id: reason", the first few
    events: int = 0
    entities: int = 0
    seconds: float = 0.0
    workers: int = 1

    @property
    def done(self) -> int:
        return self.kept + sum(self.skipped.values()) + self.failed

    @property
    def articles_per_second(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["done"] = self.done
        data["articles_per_second"] = round(self.articles_per_second, 2)
        data["seconds"] = round(self.seconds, 3)
        return data


# --- the worker side ------------------------------------------------------------------------------------
_WORKER_STAGES: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}


def _stage(actor_files: tuple[str, ...], verb_files: tuple[str, ...] = ()) -> Any:
    stage = _WORKER_STAGES.get((actor_files, verb_files))
    if stage is None:
        from newsmill.enrichment.pipeline import EnrichStage, default_stage

        # Without extra actor files, share the process-wide stage of `newsmill.enrich`: one spaCy load.
        if not actor_files and not verb_files:
            stage = default_stage()
        else:
            stage = EnrichStage(actor_files, verb_files=verb_files)
        stage.setup()
        _WORKER_STAGES[(actor_files, verb_files)] = stage
    return stage


def stage_name() -> str:
    from newsmill.enrichment.pipeline import EnrichStage

    return EnrichStage.name


def enrich_article(
    article: Article, actor_files: tuple[str, ...] = (), verb_files: tuple[str, ...] = ()
) -> tuple[Enrichment, str]:
    """Run in a worker (or inline): the article's Enrichment and its outcome, 'kept', 'skipped' or 'failed'.

    Never raises for one article: an unexpected error becomes a record with the reason.
    """
    try:
        stage = _stage(actor_files, verb_files)
        failed_before = stage.counts.failed
        record = stage.process_batch([article])[0]
        if stage.counts.failed > failed_before:
            return record, "failed"
    except Exception as exc:  # a bug in one component must cost one article, not the run
        record = _failed(article, f"{INTERNAL_ERROR_PREFIX} ({type(exc).__name__}: {exc})")
        return record, "failed"
    return record, ("skipped" if record.skipped_reason else "kept")


def _failed(article: Article, reason: str) -> Enrichment:
    return Enrichment(article_id=article.id, url=article.url, published=article.published, skipped_reason=reason)


def skip_category(reason: str) -> str:
    """The reason without its details ('not English (detected de)...' → 'not English'), for counting."""
    return reason.split(" (")[0].split(":")[0].strip()


# --- the writer side ------------------------------------------------------------------------------------
def _articles(store: Store, ids: Sequence[str]) -> Iterator[Article]:
    for chunk in enrichments.iter_chunks(ids, READ_CHUNK):
        # Materialized: the writer commits on the same database while workers are being fed.
        found = {
            a.id: a
            for a in store._articles("SELECT {cols} FROM documents WHERE id IN (SELECT unnest(?))", [list(chunk)])
        }
        yield from (found[i] for i in chunk if i in found)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def enrich_store(
    db: str | Path = DEFAULT_DB,
    *,
    workers: int | None = None,
    force: bool = False,
    limit: int | None = None,
    progress: Callable[[EnrichReport], None] | None = None,
    actor_files: Sequence[str | Path] = (),
    write_batch: int = WRITE_BATCH,
    verb_files: Sequence[str | Path] = (),
) -> EnrichReport:
    """Enrich the canonical articles of the database at ``db`` that have no enrichment yet (all with
    ``force``), at most ``limit`` of them, in ``workers`` processes (default: all CPUs; 1 runs inline).

    ``progress`` is called with the report after every article. Resumable and idempotent; see the module
    docstring. Raises ``StoreError`` when the database is missing, locked or from a newer newsmill.
    """
    if not Path(db).exists():
        raise StoreError(f"{db}: no such database; create it with `newsmill ingest`")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    files = tuple(str(Path(f)) for f in actor_files)
    for path in files:
        if not Path(path).is_file():
            raise StoreError(f"{path}: no such actor file")
    verbs = tuple(str(Path(f)) for f in verb_files)
    for path in verbs:
        if not Path(path).is_file():
            raise StoreError(f"{path}: no such verb dictionary")
    started = time.monotonic()
    with Store(db) as store:
        demoted = enrichments.demoted_article_ids(store.con)
        if demoted:
            store.con.execute("BEGIN")
            enrichments.remove_enrichments(store.con, demoted)
            store.con.execute("COMMIT")
        ids = enrichments.pending_article_ids(store.con, force=force, limit=limit)
        workers = max(1, min(workers or default_workers(), len(ids) or 1))
        report = EnrichReport(
            db=str(db), stage=stage_name(), planned=len(ids), workers=workers, removed_duplicates=len(demoted)
        )
        if not force:
            row = store.con.execute("SELECT count(*) FROM articles a SEMI JOIN enrichments e ON e.article_id = a.id").fetchone()
            report.already_enriched = int(row[0]) if row else 0
        if not ids:
            report.status = "complete"
            report.seconds = time.monotonic() - started
            return report
        work = functools.partial(enrich_article, actor_files=files, verb_files=verbs)
        skipped: Counter[str] = Counter()
        batch: list[Enrichment] = []
        last_write = time.monotonic()

        def write() -> None:
            nonlocal batch, last_write
            if not batch:
                return
            store.con.execute("BEGIN")
            try:
                enrichments.write_enrichments(store.con, batch, stage=report.stage)
                store.con.execute("COMMIT")
            except BaseException:
                store.con.execute("ROLLBACK")
                raise
            batch, last_write = [], time.monotonic()

        articles = _articles(store, ids)
        pending: collections.deque[Article] = collections.deque()  # articles handed to the executor, in order, until their result is back

        def fed() -> Iterator[Article]:
            for article in articles:
                pending.append(article)
                yield article

        try:
            for result in map_stream(work, fed(), workers=workers, timeout=ARTICLE_TIME_LIMIT):
                article = pending.popleft()
                if isinstance(result, WorkerCrash | WorkerTimeout):
                    record, outcome = _failed(article, f"{FAILED_PREFIX}: {result.message}"), "failed"
                else:
                    record, outcome = result
                if outcome == "kept":
                    report.kept += 1
                    report.events += len(record.events)
                    report.entities += len(record.entities)
                elif outcome == "skipped":
                    skipped[skip_category(record.skipped_reason or "")] += 1
                    report.skipped = dict(skipped)
                else:
                    report.failed += 1
                    if len(report.failures) < MAX_REPORTED_FAILURES:
                        report.failures.append(f"{article.id}: {record.skipped_reason}")
                batch.append(record)
                if len(batch) >= write_batch or time.monotonic() - last_write > WRITE_SECONDS:
                    write()
                report.seconds = time.monotonic() - started
                if progress is not None:
                    progress(report)
            write()
            report.status = "complete"
        except KeyboardInterrupt:
            report.status = "interrupted"
            write()  # what is finished is kept: the next run starts after it
            raise
        finally:
            report.seconds = time.monotonic() - started
    return report


__all__ = ["ARTICLE_TIME_LIMIT", "EnrichReport", "enrich_article", "enrich_store", "skip_category"]

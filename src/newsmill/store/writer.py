"""The single writer: takes finished work items in order and stores them in batches, one transaction each.

Within a batch's transaction: records already stored are dropped (a resumed or repeated run), new
documents are inserted with their LSH buckets, duplicate clusters are updated, every record gets its
``pages`` row (and a ``rejections`` row when rejected), input files whose last record is in the batch
get their completion marker, and the run's counts move. After the commit the search index catches up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import duckdb
import pyarrow as pa

from newsmill.dedup.clusters import DuplicateClusterer
from newsmill.ingest.stages import SourceDone, StreamItem, WorkItem
from newsmill.readers.collections import SourceProblem
from newsmill.store.bulk import insert_rows
from newsmill.store.schema import document_columns
from newsmill.store.search import SearchIndex
from newsmill.store.store import Store, StoreError, _parse_instant, article_row

#: Records per transaction: large enough that commit costs vanish, small enough that a kill loses
#: little work and memory stays small.
BATCH_RECORDS = 256
#: A batch is also written after this many seconds, so that a slow stream still shows up in the store.
BATCH_SECONDS = 5.0

PAGE_COLUMNS = ("record_key", "source", "locator", "url", "fetched_at", "outcome", "article_id", "run_id", "batch_id")
REJECTION_COLUMNS = ("record_key", "source", "locator", "url", "reason", "detail", "run_id")


@dataclass
class RunCounts:
    records: int = 0
    articles: int = 0  # new documents (some may be, or later become, duplicates)
    same_document: int = 0
    rejections: int = 0
    already_stored: int = 0
    source_problems: int = 0
    duplicates_linked: int = 0


class StoreWriter:
    name: ClassVar[str] = "store_v1"
    requires: ClassVar[frozenset[str]] = frozenset({"article", "fingerprint"})
    provides: ClassVar[frozenset[str]] = frozenset({"outcome"})

    def __init__(
        self, store: Store, run_id: int, *, search: SearchIndex | None = None, batch_records: int | None = None
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.search = search
        # Read at construction, not at import, so that tests can shrink batches for the module.
        self.batch_records = batch_records or BATCH_RECORDS
        self.counts = RunCounts()
        self.clusterer = DuplicateClusterer(store.con)
        self._items: list[WorkItem] = []
        self._done: list[SourceDone] = []
        self._problems: list[SourceProblem] = []
        self._last_flush = time.monotonic()
        self._columns = [name for name, _ in document_columns()]

    def add(self, item: StreamItem) -> None:
        if isinstance(item, WorkItem):
            self._items.append(item)
        elif isinstance(item, SourceDone):
            self._done.append(item)
        else:
            self._problems.append(item)
        if len(self._items) >= self.batch_records or time.monotonic() - self._last_flush > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not (self._items or self._done or self._problems):
            return
        con = self.store.con
        con.execute("BEGIN")
        try:
            counts = self._write(con)
            con.execute("COMMIT")
        except BaseException as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if isinstance(exc, duckdb.Error | OSError):
                raise StoreError(_write_failure_message(self.store, exc)) from exc
            raise
        for name, value in counts.__dict__.items():
            setattr(self.counts, name, getattr(self.counts, name) + value)
        self._items, self._done, self._problems = [], [], []
        self._last_flush = time.monotonic()
        if self.search is not None:
            try:
                self.search.sync(self.store)
            except (OSError, ValueError) as exc:  # tantivy reports I/O failures as ValueError
                why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise StoreError(
                    f"{self.search.path}: updating the search index failed ({why}); the database is intact. "
                    "Fix the cause (a full disk?) and run the same command again: the index catches up."
                ) from exc

    def _write(self, con: duckdb.DuckDBPyConnection) -> RunCounts:
        counts = RunCounts()
        batch_id = self.store.next_batch_id()
        known = self.store.known_record_keys([i.key for i in self._items])
        fresh: list[WorkItem] = []
        seen_keys: set[str] = set()
        for item in self._items:
            if item.key in known or item.key in seen_keys:
                counts.already_stored += 1
                continue
            seen_keys.add(item.key)
            fresh.append(item)
        ids = [i.article.id for i in fresh if i.article is not None]
        existing = {
            r[0] for r in con.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        }
        doc_rows: list[dict] = []
        buckets: list[tuple[int, str]] = []
        pages: list[tuple] = []
        rejections: list[tuple] = []
        for item in fresh:
            article, fp = item.article, item.fingerprint
            if article is not None and fp is not None:
                item.article_id = article.id
                if article.id in existing:
                    item.outcome = "same-document"
                    counts.same_document += 1
                else:
                    existing.add(article.id)
                    item.outcome = "article"
                    counts.articles += 1
                    row = article_row(article)
                    row.update(
                        record_key=item.key, fetched_at=item.fetched_at, published_utc=_parse_instant(article.published),
                        canonical_url=fp.canonical_url, body_hash=fp.body_hash, body_words=fp.body_words,
                        minhash=fp.minhash, cluster_id=article.id, run_id=self.run_id, batch_id=batch_id,
                        changed_batch=batch_id,
                    )
                    doc_rows.append(row)
                    buckets.extend((b, article.id) for b in fp.lsh_buckets())
            else:
                item.outcome = "rejected"
                counts.rejections += 1
                rejections.append((item.key, item.source, item.locator, item.url, item.rejection or "unknown", item.detail, self.run_id))
            pages.append((item.key, item.source, item.locator, item.url, item.fetched_at, item.outcome, item.article_id, self.run_id, batch_id))
        counts.records = len(fresh)
        if doc_rows:
            table = pa.Table.from_pylist(doc_rows)
            con.register("batch_documents", table)
            cols = ", ".join(self._columns)
            con.execute(f"INSERT INTO documents ({cols}) SELECT {cols} FROM batch_documents")
            con.unregister("batch_documents")
        if buckets:
            con.register("batch_buckets", pa.table({"bucket": [b for b, _ in buckets], "article_id": [a for _, a in buckets]}))
            con.execute("INSERT INTO lsh_buckets SELECT bucket, article_id FROM batch_buckets")
            con.unregister("batch_buckets")
        insert_rows(con, "pages", PAGE_COLUMNS, pages)
        insert_rows(con, "rejections", REJECTION_COLUMNS, rejections)
        decision = self.clusterer.add([r["id"] for r in doc_rows], batch_id)
        counts.duplicates_linked = decision.links
        for done in self._done:
            con.execute(
                "INSERT OR REPLACE INTO source_files VALUES (?, ?, ?, ?, ?)",
                [done.path, done.size, done.mtime, done.records, self.run_id],
            )
        for problem in self._problems:
            counts.source_problems += 1
            con.execute("INSERT INTO source_problems VALUES (?, ?, ?)", [self.run_id, problem.source, problem.message])
        con.execute(
            """UPDATE runs SET records = records + ?, new_documents = new_documents + ?,
               same_document = same_document + ?, rejections = rejections + ?, already_stored = already_stored + ?,
               source_problems = source_problems + ? WHERE run_id = ?""",
            [counts.records, counts.articles, counts.same_document, counts.rejections, counts.already_stored,
             counts.source_problems, self.run_id],
        )
        return counts


def _write_failure_message(store: Store, exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "No space left" in text or getattr(exc, "errno", None) == 28:
        return (
            f"{store.path}: the disk is full ({text}); the batch being written was rolled back and everything "
            "stored before it is intact. Free some space and run the same command again: it resumes."
        )
    return f"{store.path}: writing a batch failed ({text}); it was rolled back, earlier batches are intact"

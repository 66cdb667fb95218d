"""The single writer: takes finished work items in order and stores them in batches, one transaction each.

Within a batch's transaction: records already stored are dropped (a resumed or repeated run), new
documents are inserted with their LSH buckets, duplicate clusters are updated, every record gets its
``pages`` row (and a ``rejections`` row when rejected), input files whose last record is in the batch
get their completion marker, and the run's counts move. After the commit the search index catches up.

A record whose URL and body are those of a stored document (a re-crawl) is the same document. Its
fields (the publication time above all) may differ from the stored version's; the document keeps the
version that comes first by ``version_key`` whatever the order the records arrive in, so that the
store does not depend on the order of the input. A revised document loses its enrichment rows, which
were computed from the replaced version (relative dates and office holders depend on the publication
time): the next ``newsmill enrich`` finds it pending and enriches the kept version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

import duckdb
import pyarrow as pa

from newsmill.dedup.clusters import DuplicateClusterer
from newsmill.ingest.stages import SourceDone, StreamItem, WorkItem
from newsmill.readers.collections import SourceProblem
from newsmill.store.bulk import insert_rows
from newsmill.store.enrichments import remove_enrichments
from newsmill.store.schema import document_columns
from newsmill.store.search import SearchIndex
from newsmill.store.store import Store, StoreError, _parse_instant, article_row

#: Columns a later version of a document does not replace: its identity, its cluster and when it was first stored.
KEPT_ON_REVISION = frozenset(("id", "cluster_id", "run_id", "batch_id"))

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
        stored_version = {
            r[0]: version_key(r[1], r[2])
            for r in con.execute(
                "SELECT id, published_utc, record_key FROM documents WHERE id IN (SELECT unnest(?))", [ids]
            ).fetchall()
        }
        existing = set(stored_version)
        doc_rows: list[dict] = []
        new_row_of: dict[str, dict] = {}  # id -> its row in doc_rows
        revisions: dict[str, dict] = {}  # id of a stored document -> the better version's row
        buckets: list[tuple[int, str]] = []
        pages: list[tuple] = []
        rejections: list[tuple] = []
        for item in fresh:
            article, fp = item.article, item.fingerprint
            if article is not None and fp is not None:
                item.article_id = article.id
                row = article_row(article)
                row.update(
                    record_key=item.key, fetched_at=item.fetched_at, published_utc=_parse_instant(article.published),
                    canonical_url=fp.canonical_url, body_hash=fp.body_hash, body_words=fp.body_words,
                    minhash=fp.minhash, cluster_id=article.id, run_id=self.run_id, batch_id=batch_id,
                    changed_batch=batch_id,
                )
                if article.id in existing:
                    item.outcome = "same-document"
                    counts.same_document += 1
                    self._keep_better_version(row, stored_version, new_row_of, revisions)
                else:
                    existing.add(article.id)
                    item.outcome = "article"
                    counts.articles += 1
                    doc_rows.append(row)
                    new_row_of[article.id] = row
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
        self._revise(con, list(revisions.values()))
        decision = self.clusterer.add([r["id"] for r in doc_rows], batch_id)
        counts.duplicates_linked = decision.links
        if revisions:
            # A revised publication time can change which copy of a cluster is canonical.
            clusters = con.execute(
                "SELECT DISTINCT cluster_id FROM documents WHERE id IN (SELECT unnest(?))", [list(revisions)]
            ).fetchall()
            self.clusterer.resettle(sorted(c[0] for c in clusters), batch_id)
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

    @staticmethod
    def _keep_better_version(
        row: dict, stored_version: dict[str, tuple], new_row_of: dict[str, dict], revisions: dict[str, dict]
    ) -> None:
        """Another version of a document already stored or already in this batch: keep the better one."""
        doc_id = row["id"]
        key = version_key(row["published_utc"], row["record_key"])
        if doc_id in new_row_of:  # first seen in this batch: the row to insert may be replaced in place
            current = new_row_of[doc_id]
            if key < version_key(current["published_utc"], current["record_key"]):
                current.update({k: v for k, v in row.items() if k not in KEPT_ON_REVISION})
            return
        best = revisions.get(doc_id)
        best_key = version_key(best["published_utc"], best["record_key"]) if best else stored_version[doc_id]
        if key < best_key:
            revisions[doc_id] = row

    def _revise(self, con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
        if not rows:
            return
        revised = [name for name in self._columns if name not in KEPT_ON_REVISION]
        con.register("batch_revisions", pa.Table.from_pylist([{c: r.get(c) for c in ["id", *revised]} for r in rows]))
        try:
            sets = ", ".join(f"{c} = r.{c}" for c in revised)
            con.execute(f"UPDATE documents SET {sets} FROM batch_revisions r WHERE documents.id = r.id")
        finally:
            con.unregister("batch_revisions")
        remove_enrichments(con, [r["id"] for r in rows])


def version_key(published_utc: datetime | None, record_key: str | None) -> tuple:
    """Order of the versions of one document (same URL, same body): the earliest publication time first
    (a re-crawl often shows an update time as the publication time), then the smallest record key, so
    the choice does not depend on which record came first."""
    if published_utc is None:
        return (True, datetime.max, record_key or "")
    # The database hands instants back in its session time zone, a fresh record in UTC: compare in UTC.
    when = published_utc.astimezone(UTC) if published_utc.tzinfo is not None else published_utc.replace(tzinfo=UTC)
    return (False, when.replace(tzinfo=None), record_key or "")


def _write_failure_message(store: Store, exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "No space left" in text or getattr(exc, "errno", None) == 28:
        return (
            f"{store.path}: the disk is full ({text}); the batch being written was rolled back and everything "
            "stored before it is intact. Free some space and run the same command again: it resumes."
        )
    return f"{store.path}: writing a batch failed ({text}); it was rolled back, earlier batches are intact"

"""Facet counts for search results, from an in-memory snapshot of the canonical articles' facet values.

Counting facets in DuckDB costs a scan of the whole table per request (an id list cannot use the primary
key index), tens of milliseconds at 100,000 articles; here the values of every article are held as small
integer codes (numpy arrays, list values in CSR form), so counting a result page's facets is a few array
operations. The snapshot is rebuilt when the store changes (new batch, new enrichments), checked at most
every ``FRESHNESS_SECONDS``. It never writes to the database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: How often a request may check whether the store changed: a version query per request would cost
#: more than the facet counts themselves; an ingest batch appears in facets at most this late.
FRESHNESS_SECONDS = 5.0
#: Entity labels that make useful facets (generic agents such as "officials" do not).
FACET_ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
SINGLE_FACETS = ("publisher", "language", "date")
LIST_FACETS = ("author", "tag", "entity")


@dataclass
class _Single:
    names: list[str]
    codes: np.ndarray  # per article row; -1 when missing


@dataclass
class _Multi:
    names: list[str]
    offsets: np.ndarray  # CSR: values of row i are codes[offsets[i]:offsets[i + 1]]
    codes: np.ndarray


def _encode_single(column: pa.ChunkedArray) -> _Single:
    encoded = pc.dictionary_encode(column).combine_chunks()
    names = encoded.dictionary.to_pylist()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    return _Single(names, codes)


def _encode_lists(column: pa.ChunkedArray) -> _Multi:
    lists = column.combine_chunks()
    lists = pc.fill_null(lists, pa.scalar([], type=lists.type)) if lists.null_count else lists
    offsets = lists.offsets.to_numpy().astype(np.int64)
    offsets = offsets - offsets[0]
    flat = lists.flatten()
    encoded = pc.dictionary_encode(flat)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    return _Multi(encoded.dictionary.to_pylist(), offsets, codes)


class FacetSnapshot:
    """The facet values of every canonical article at one store version."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, version: tuple[Any, ...]) -> None:
        self.version = version
        table = cur.execute(
            "SELECT id, publisher, language, strftime(published_utc, '%Y-%m') AS date, authors AS author, tags AS tag "
            "FROM articles"
        ).to_arrow_table()
        self.ids: list[str] = table.column("id").to_pylist()
        self.row_of = {article_id: row for row, article_id in enumerate(self.ids)}
        self.single = {name: _encode_single(table.column(name)) for name in SINGLE_FACETS}
        self.multi = {name: _encode_lists(table.column(name)) for name in ("author", "tag")}
        self.multi["entity"] = self._entities(cur, table.column("id"))

    def _entities(self, cur: duckdb.DuckDBPyConnection, ids: pa.ChunkedArray) -> _Multi:
        rows = len(ids)
        tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "entities" not in tables:
            return _Multi([], np.zeros(rows + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))
        labels = ", ".join(f"'{label}'" for label in FACET_ENTITY_LABELS)
        pairs = cur.execute(
            "SELECT article_id, coalesce(canonical, text) AS name FROM entities "
            f"WHERE label IN ({labels}) AND coalesce(canonical, text) IS NOT NULL"
        ).to_arrow_table()
        # Vectorised throughout: a large store has millions of mentions. Mentions of duplicates (not
        # searchable) find no row and are dropped; an article counts once per name.
        article_rows = pc.index_in(pairs.column("article_id"), value_set=ids.combine_chunks())
        encoded = pc.dictionary_encode(pairs.column("name")).combine_chunks()
        found = article_rows.is_valid()
        row_numbers = pc.filter(article_rows, found).to_numpy(zero_copy_only=False).astype(np.int64)
        codes = pc.filter(encoded.indices, found.combine_chunks()).to_numpy(zero_copy_only=False).astype(np.int64)
        names = encoded.dictionary.to_pylist()
        keys = np.unique(row_numbers * max(len(names), 1) + codes)  # sorted by row, then name
        row_numbers, codes = keys // max(len(names), 1), keys % max(len(names), 1)
        offsets = np.zeros(rows + 1, dtype=np.int64)
        offsets[1:] = np.cumsum(np.bincount(row_numbers, minlength=rows))
        return _Multi(names, offsets, codes.astype(np.int32))

    def counts(self, ids: list[str], top: int) -> dict[str, list[dict[str, Any]]]:
        rows = np.array([r for r in (self.row_of.get(i) for i in ids) if r is not None], dtype=np.int64)
        out: dict[str, list[dict[str, Any]]] = {}
        for name in ("publisher", "author", "tag", "language", "date", "entity"):
            if name in self.single:
                facet = self.single[name]
                values = facet.codes[rows] if rows.size else np.zeros(0, dtype=np.int32)
                names = facet.names
            else:
                multi = self.multi[name]
                parts = [multi.codes[multi.offsets[r] : multi.offsets[r + 1]] for r in rows]
                values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
                names = multi.names
            values = values[values >= 0]
            if not values.size:
                out[name] = []
                continue
            tally = np.bincount(values, minlength=len(names))
            found = np.nonzero(tally)[0]
            ranked = sorted(found.tolist(), key=lambda code: (-int(tally[code]), names[code]))[:top]
            out[name] = [{"value": names[code], "count": int(tally[code])} for code in ranked]
        if out["date"]:
            out["date"].sort(key=lambda f: f["value"], reverse=True)
        return out

    def articles_with_entity(self, entity: str) -> set[str]:
        """Ids of canonical articles mentioning the entity (canonical name or text, case-insensitive)."""
        multi = self.multi["entity"]
        wanted = {code for code, name in enumerate(multi.names) if name.lower() == entity.lower()}
        if not wanted:
            return set()
        hit = np.isin(multi.codes, list(wanted))
        rows = np.searchsorted(multi.offsets, np.nonzero(hit)[0], side="right") - 1
        return {self.ids[r] for r in set(rows.tolist())}


def store_version(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """Changes whenever a batch is stored or an enrichment run commits."""
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    row = cur.execute("SELECT max(changed_batch), count(*) FROM documents").fetchone()
    version: tuple[Any, ...] = tuple(row or ())
    if "enrichments" in tables:
        enriched = cur.execute("SELECT count(*), max(enriched_at) FROM enrichments").fetchone()
        version += tuple(enriched or ())
    return version


class FacetCache:
    """One snapshot per server, rebuilt by one request at a time when the store has changed."""

    def __init__(self, freshness: float = FRESHNESS_SECONDS) -> None:
        self.freshness = freshness
        self._snapshot: FacetSnapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def last(self) -> FacetSnapshot | None:
        """The latest snapshot, however old (for when the database cannot be read)."""
        return self._snapshot

    def get(self, cur: duckdb.DuckDBPyConnection) -> FacetSnapshot:
        snapshot = self._snapshot
        if snapshot is not None and time.monotonic() - self._checked < self.freshness:
            return snapshot
        with self._lock:
            if self._snapshot is not None and time.monotonic() - self._checked < self.freshness:
                return self._snapshot
            version = store_version(cur)
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = FacetSnapshot(cur, version)
            self._checked = time.monotonic()
            return self._snapshot

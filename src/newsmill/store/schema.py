"""The store's tables, derived from the data model, and the migrations between schema versions.

The ``documents`` table holds every extracted article, canonical or not, with one column per ``Article``
field (so the Article model stays the one source of truth: a new model field becomes a new column) plus
the ingest columns. ``articles`` is the view of canonical documents. Derived data (duplicates, search
index, enrichments) is keyed by article id.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from newsmill.models import Article
from newsmill.store.columns import column_type
from newsmill.store.enrichments import create_enrichment_tables

#: Bump on any change to the tables below, and add a migration from the previous version.
#: 2: the enrichment tables (``enrichments``, ``entities``, ``quotes``, ``places``, ``events``).
STORE_SCHEMA_VERSION = 2

# Article fields kept as JSON text (nested models); the others map to native column types.
JSON_FIELDS = frozenset({"images", "provenance", "blocks"})


def article_columns() -> list[tuple[str, str]]:
    """(column, DuckDB type) for every Article field, in model order."""
    return [
        (name, "VARCHAR" if name in JSON_FIELDS else column_type(field.annotation))
        for name, field in Article.model_fields.items()
    ]


#: Columns of ``documents`` beyond the Article fields: where the page came from and its dedup keys.
INGEST_COLUMNS: list[tuple[str, str]] = [
    ("record_key", "VARCHAR NOT NULL"),
    ("fetched_at", "VARCHAR"),
    ("published_utc", "TIMESTAMPTZ"),  # `published` as an instant, for sorting and date filters
    ("canonical_url", "VARCHAR"),
    ("body_hash", "VARCHAR NOT NULL"),
    ("body_words", "INTEGER NOT NULL"),
    ("minhash", "BLOB"),
    ("cluster_id", "VARCHAR NOT NULL"),  # id of the cluster's canonical document
    ("run_id", "INTEGER NOT NULL"),
    ("batch_id", "BIGINT NOT NULL"),  # batch that stored it
    ("changed_batch", "BIGINT NOT NULL"),  # last batch that changed its canonical status
]


def document_columns() -> list[tuple[str, str]]:
    return article_columns() + INGEST_COLUMNS


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    doc_cols = ",\n  ".join(f"{name} {kind}" for name, kind in document_columns())
    con.execute(
        f"""
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR,
  inputs VARCHAR[], executor VARCHAR, workers INTEGER, newsmill_version VARCHAR,
  records INTEGER DEFAULT 0, new_documents INTEGER DEFAULT 0, same_document INTEGER DEFAULT 0,
  rejections INTEGER DEFAULT 0, already_stored INTEGER DEFAULT 0, source_problems INTEGER DEFAULT 0,
  articles_total INTEGER, duplicates_total INTEGER, rejections_total INTEGER, message VARCHAR
);
CREATE TABLE pages (
  record_key VARCHAR PRIMARY KEY, source VARCHAR, locator VARCHAR, url VARCHAR, fetched_at VARCHAR,
  outcome VARCHAR NOT NULL, article_id VARCHAR, run_id INTEGER NOT NULL, batch_id BIGINT NOT NULL
);
CREATE TABLE documents (
  {doc_cols},
  PRIMARY KEY (id)
);
CREATE TABLE lsh_buckets (bucket BIGINT NOT NULL, article_id VARCHAR NOT NULL);
CREATE TABLE duplicates (
  article_id VARCHAR PRIMARY KEY, canonical_id VARCHAR NOT NULL, reason VARCHAR NOT NULL,
  similarity DOUBLE, batch_id BIGINT NOT NULL
);
CREATE TABLE rejections (
  record_key VARCHAR PRIMARY KEY, source VARCHAR, locator VARCHAR, url VARCHAR, reason VARCHAR NOT NULL,
  detail VARCHAR, run_id INTEGER NOT NULL
);
CREATE TABLE source_files (
  path VARCHAR PRIMARY KEY, size BIGINT, mtime DOUBLE, records INTEGER, run_id INTEGER
);
CREATE TABLE source_problems (run_id INTEGER, source VARCHAR, message VARCHAR);
CREATE VIEW articles AS
  SELECT d.* FROM documents d ANTI JOIN duplicates x ON x.article_id = d.id;
"""
    )
    create_enrichment_tables(con)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(STORE_SCHEMA_VERSION)])


#: from-version -> function upgrading the open connection to from-version + 1 (inside a transaction).
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    1: create_enrichment_tables,  # schema 2 only adds the enrichment tables; articles stay as they are
}

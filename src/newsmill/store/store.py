"""The embedded news database: one DuckDB file, written by one process, read by many.

Tables (see ``schema.py``): ``pages`` (every input record and its outcome), ``documents`` (every extracted
article), the ``articles`` view (canonical documents), ``duplicates`` (document -> canonical document),
``rejections`` (record -> reason), ``runs`` (one row per ingest, with its counts), ``source_files``
(completion markers of input files), plus ``lsh_buckets`` for near-duplicate search.

Every batch is written in one transaction, so a process killed at any moment leaves the store as it was
after the last complete batch: a re-run picks up from there.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsmill.enrichment.models import Enrichment
from newsmill.errors import NewsmillError
from newsmill.models import Article
from newsmill.store import enrichments
from newsmill.store.schema import (
    JSON_FIELDS,
    MIGRATIONS,
    STORE_SCHEMA_VERSION,
    article_columns,
    create_tables,
)

#: The database file used when none is named.
DEFAULT_DB = "newsmill.duckdb"


class StoreError(NewsmillError):
    """The database cannot be opened or written; the message says why and what to do."""


@dataclass
class StoreCounts:
    records: int
    articles: int
    duplicates: int
    rejections: int
    documents: int
    same_document: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 publication time as an aware UTC instant; dates alone count as midnight UTC."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def quiet_connection(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """DuckDB prints a progress bar on stdout for queries over 2 s, which corrupts `--format json` output."""
    con.execute("SET enable_progress_bar = false")
    return con


class Store:
    """A newsmill database. ``Store(path)`` creates it when missing; ``read_only=True`` never writes."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; create it with `newsmill ingest`")
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        try:
            self.con = quiet_connection(duckdb.connect(str(self.path), read_only=read_only))
        except duckdb.IOException as exc:
            text = str(exc)
            if "not a valid DuckDB database" in text:
                raise StoreError(
                    f"{self.path}: not a newsmill database, or it is damaged (not a DuckDB file); "
                    "pass another --db path"
                ) from None
            if "lock" in text.lower():
                raise StoreError(
                    f"{self.path}: the database is in use by another process (only one process may write it); "
                    "wait for the running ingest to finish"
                ) from None
            raise StoreError(f"{self.path}: cannot open the database ({text.splitlines()[0]})") from None
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path}: not a newsmill database, or it is damaged ({str(exc).splitlines()[0]})"
            ) from None
        self._prepare()

    # --- opening, versions, migrations ------------------------------------------------------
    def _prepare(self) -> None:
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "meta" not in tables:
            if tables:
                raise StoreError(f"{self.path}: a DuckDB file, but not a newsmill database (no 'meta' table)")
            if self.read_only:
                raise StoreError(f"{self.path}: an empty database; fill it with `newsmill ingest`")
            self.con.execute("BEGIN")
            create_tables(self.con)
            self.con.execute("COMMIT")
            return
        version = self.schema_version()
        if version > STORE_SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer newsmill (store schema {version}; this version reads up to "
                f"{STORE_SCHEMA_VERSION}); upgrade newsmill to use it. The file was not changed."
            )
        if version < STORE_SCHEMA_VERSION:
            if self.read_only:
                raise StoreError(
                    f"{self.path}: store schema {version} needs a migration to {STORE_SCHEMA_VERSION}; "
                    "run `newsmill stats --db PATH --migrate` (any write migrates it: `newsmill ingest`, "
                    "`newsmill enrich`, `newsmill.open_store(PATH, read_only=False)`)"
                )
            self.migrate(version)

    def identity(self) -> str | None:
        """A random id given to the database when first opened for writing: it tells the search index
        beside the file whether it was built from this database or from an earlier file of the same name."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        if row is not None:
            return str(row[0])
        if self.read_only:
            return None
        store_id = uuid.uuid4().hex
        self.con.execute("INSERT INTO meta VALUES ('store_id', ?)", [store_id])
        return store_id

    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self, from_version: int) -> None:
        """Apply the registered migrations in order, all in one transaction: all or nothing."""
        self.con.execute("BEGIN")
        try:
            for version in range(from_version, STORE_SCHEMA_VERSION):
                if version not in MIGRATIONS:
                    raise StoreError(f"{self.path}: no migration from store schema {version}; re-ingest into a new file")
                MIGRATIONS[version](self.con)
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(STORE_SCHEMA_VERSION)])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading --------------------------------------------------------------------------
    def counts(self) -> StoreCounts:
        row = self.con.execute(
            """SELECT (SELECT count(*) FROM pages),
                      (SELECT count(*) FROM documents) - (SELECT count(*) FROM duplicates),
                      (SELECT count(*) FROM duplicates) + (SELECT count(*) FROM pages WHERE outcome = 'same-document'),
                      (SELECT count(*) FROM rejections),
                      (SELECT count(*) FROM documents),
                      (SELECT count(*) FROM pages WHERE outcome = 'same-document')"""
        ).fetchone()
        assert row is not None
        return StoreCounts(*row)

    def runs(self) -> list[dict[str, Any]]:
        cur = self.con.execute("SELECT * FROM runs ORDER BY run_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def rejection_reasons(self) -> list[tuple[str, int]]:
        return self.con.execute(
            "SELECT reason, count(*) n FROM rejections GROUP BY reason ORDER BY n DESC, reason"
        ).fetchall()

    def article(self, article_id: str) -> Article | None:
        found = list(self._articles("SELECT {cols} FROM documents WHERE id = ?", [article_id]))
        return found[0] if found else None

    def articles(self, *, include_duplicates: bool = False, limit: int | None = None) -> Iterator[Article]:
        table = "documents" if include_duplicates else "articles"
        sql = "SELECT {cols} FROM " + table + " ORDER BY published_utc NULLS LAST, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        yield from self._articles(sql, [])

    def _articles(self, sql: str, params: Sequence[Any]) -> Iterator[Article]:
        names = [name for name, _ in article_columns()]
        cur = self.con.cursor()
        cur.execute(sql.format(cols=", ".join(names)), list(params))
        while rows := cur.fetchmany(512):
            for row in rows:
                yield article_from_row(dict(zip(names, row, strict=True)))

    def duplicate_clusters(self, *, limit: int = 50, min_size: int = 2) -> list[dict[str, Any]]:
        """Largest clusters first: the canonical article and its duplicates with the reason and similarity."""
        rows = self.con.execute(
            """WITH sizes AS (SELECT canonical_id, count(*) + 1 AS size FROM duplicates GROUP BY canonical_id)
               SELECT s.canonical_id, s.size, c.title, c.url, c.publisher, c.published
               FROM sizes s JOIN documents c ON c.id = s.canonical_id
               WHERE s.size >= ? ORDER BY s.size DESC, s.canonical_id LIMIT ?""",
            [min_size, limit],
        ).fetchall()
        clusters = []
        for canonical_id, size, title, url, publisher, published in rows:
            members = self.con.execute(
                """SELECT x.article_id, x.reason, x.similarity, d.url, d.publisher, d.published
                   FROM duplicates x JOIN documents d ON d.id = x.article_id
                   WHERE x.canonical_id = ? ORDER BY x.article_id""",
                [canonical_id],
            ).fetchall()
            clusters.append(
                {
                    "canonical": {"id": canonical_id, "title": title, "url": url, "publisher": publisher, "published": published},
                    "size": size,
                    "duplicates": [
                        {"id": m[0], "reason": m[1], "similarity": m[2], "url": m[3], "publisher": m[4], "published": m[5]}
                        for m in members
                    ],
                }
            )
        return clusters

    # --- enrichments (implemented in enrichments.py, which the web server also calls on its cursors) -----
    def enrichment(self, article_id: str) -> Enrichment | None:
        """The stored Enrichment of one article, or None when it has not been enriched."""
        return enrichments.enrichment(self.con, article_id)

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored events with filters and paging; see ``newsmill.store.enrichments.events``."""
        return enrichments.events(self.con, **filters)

    def event_count(self, **filters: Any) -> int:
        """How many events match the filters of ``events`` (for paging)."""
        return enrichments.event_count(self.con, **filters)

    def actors(self, **options: Any) -> list[dict[str, Any]]:
        """Actor codes with their name and counts as actor and target; see ``enrichments.actors``."""
        return enrichments.actors(self.con, **options)

    def dyad_timeline(self, actor: str, target: str, **options: Any) -> list[dict[str, Any]]:
        """Events actor → target per day/week/month: counts by PLOVER type, mean Goldstein."""
        return enrichments.dyad_timeline(self.con, actor, target, **options)

    def find_entities(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Canonical entities by (part of) their name or by actor-code prefix, most mentioned first."""
        return enrichments.find_entities(self.con, query, limit=limit)

    def entity_articles(self, **options: Any) -> list[dict[str, Any]]:
        """Articles mentioning an entity (canonical name or actor code), newest first."""
        return enrichments.entity_articles(self.con, **options)

    def enrichment_counts(self) -> dict[str, Any]:
        """Enriched, skipped (by reason) and pending articles, and rows per enrichment table."""
        return enrichments.enrichment_counts(self.con)

    # --- writing support ----------------------------------------------------------------------
    def known_record_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        rows = self.con.execute(
            "SELECT record_key FROM pages WHERE record_key IN (SELECT unnest(?))", [list(keys)]
        ).fetchall()
        return {r[0] for r in rows}

    def source_is_complete(self, path: str, size: int, mtime: float) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM source_files WHERE path = ? AND size = ? AND mtime = ?", [path, size, mtime]
        ).fetchone()
        return row is not None

    def begin_run(self, inputs: Sequence[str], executor: str, workers: int) -> int:
        from newsmill import __version__

        row = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        assert row is not None
        run_id = int(row[0])
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, status, inputs, executor, workers, newsmill_version) "
            "VALUES (?, ?, 'running', ?, ?, ?, ?)",
            [run_id, datetime.now(UTC), list(inputs), executor, workers, __version__],
        )
        return run_id

    def finish_run(self, run_id: int, status: str, message: str | None = None, *, skipped_records: int = 0) -> None:
        """Record how a run ended; ``skipped_records`` were found already stored before extraction."""
        counts = self.counts()
        self.con.execute(
            """UPDATE runs SET finished_at = ?, status = ?, message = ?, articles_total = ?,
               duplicates_total = ?, rejections_total = ?, already_stored = already_stored + ? WHERE run_id = ?""",
            [datetime.now(UTC), status, message, counts.articles, counts.duplicates, counts.rejections,
             skipped_records, run_id],
        )

    def next_batch_id(self) -> int:
        row = self.con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM pages").fetchone()
        assert row is not None
        return int(row[0])

    # --- export and import ------------------------------------------------------------------------
    def export(self, target: str | Path, *, fmt: str | None = None, include_duplicates: bool = False) -> int:
        """Write articles as Parquet (one row per article, lists kept as lists) or JSONL (Article JSON).

        Written to a temporary file and renamed, so an interrupted export never looks complete.
        """
        target = Path(target)
        fmt = fmt or ("parquet" if target.suffix == ".parquet" else "jsonl")
        if fmt not in ("parquet", "jsonl"):
            raise StoreError(f"unknown export format {fmt!r}; use parquet or jsonl")
        if target.is_dir() or not target.name:
            raise StoreError(f"{target}: is a directory; name the file to write, e.g. {target / ('articles.' + fmt)}")
        if not target.parent.is_dir():
            raise StoreError(f"{target.parent}: no such directory; create it first")
        tmp = target.with_name(target.name + ".partial")
        table = "documents" if include_duplicates else "articles"
        names = ", ".join(name for name, _ in article_columns())
        try:
            if fmt == "parquet":
                self.con.execute(
                    f"COPY (SELECT {names} FROM {table} ORDER BY published_utc NULLS LAST, id) "
                    f"TO '{_sql_path(tmp)}' (FORMAT parquet)"
                )
                row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
                count = int(row[0]) if row else 0
            else:
                count = 0
                with tmp.open("w", encoding="utf-8") as out:
                    for article in self.articles(include_duplicates=include_duplicates):
                        out.write(article.to_json() + "\n")
                        count += 1
            tmp.replace(target)
        except (OSError, duckdb.Error) as exc:
            tmp.unlink(missing_ok=True)
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"{target}: the export failed ({why}); nothing was written") from None
        return count


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def article_row(article: Article) -> dict[str, Any]:
    """The Article as a documents row: nested fields as JSON text, the rest as they are."""
    data = article.model_dump(mode="json")
    for name in JSON_FIELDS:
        data[name] = json.dumps(data[name], ensure_ascii=False, separators=(",", ":"))
    return data


def article_from_row(row: dict[str, Any]) -> Article:
    data = dict(row)
    for name in JSON_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = json.loads(data[name])
    for name in ("authors", "body", "tags"):
        if data.get(name) is None:
            data[name] = []
    return Article.model_validate(data)


__all__ = ["DEFAULT_DB", "Store", "StoreCounts", "StoreError", "article_from_row", "article_row", "_parse_instant"]

"""Enrichment tables in the store: their DDL (derived from the enrichment models), writing, and reads.

``enrichments`` has one row per enriched article (the stage that did it, the language, why it was skipped);
``entities``, ``quotes``, ``places`` and ``events`` have one row per record, whose columns are exactly the
fields of ``newsmill.enrichment.models`` plus ``article_id`` and ``ordinal`` (the record's position in the
article). Re-enriching an article replaces all its rows, inside the caller's batch transaction.
``entity_names`` (canonical entities with mention counts, for entity search) is derived from ``entities``
and kept in step by the same writes.

Every read takes a DuckDB connection or cursor, so that the web server's read-only cursors and ``Store``
(which wraps these functions as methods) share one implementation. This module must never import spaCy
or run enrichment; ``newsmill.store.enrich_runner`` does that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal

import duckdb
import pyarrow as pa

from newsmill.enrichment.models import TABLES, Enrichment
from newsmill.models import Article
from newsmill.store.columns import column_type

#: The tables, in the order they are created and cleared.
RECORD_TABLES: tuple[str, ...] = tuple(TABLES)

#: Every table store schema 2 added (what the migration from schema 1 creates).
SCHEMA_2_TABLES: tuple[str, ...] = ("enrichments", *RECORD_TABLES, "entity_names")

#: Columns of the per-article ``enrichments`` table, as the storage contract fixes them.
ENRICHMENT_COLUMNS: list[tuple[str, str]] = [
    ("article_id", "VARCHAR PRIMARY KEY"),
    ("stage", "VARCHAR NOT NULL"),  # the stage's versioned name, e.g. 'enrich_v1'
    ("schema_version", "VARCHAR NOT NULL"),
    ("language", "VARCHAR"),
    ("skipped_reason", "VARCHAR"),
    ("notes", "VARCHAR[]"),
    ("enriched_at", "TIMESTAMPTZ NOT NULL"),
]
#: Columns every record table has before the model's fields.
KEY_COLUMNS: list[tuple[str, str]] = [("article_id", "VARCHAR NOT NULL"), ("ordinal", "INTEGER NOT NULL")]

#: Named entities with their mention and article counts, kept up to date by ``write_enrichments`` so that
#: entity search reads a table of a few thousand names instead of grouping every mention: on 20 million
#: mentions the grouping took 4-7 s (benchmarks/enrich_store.py, dev machine). ``actor_code`` is '' for
#: entities without a code (a key column cannot be NULL). Not part of the record tables: derived from
#: ``entities`` alone.
ENTITY_NAMES_DDL = """CREATE TABLE entity_names (
  canonical VARCHAR NOT NULL, actor_code VARCHAR NOT NULL, label VARCHAR, country VARCHAR, sector VARCHAR,
  aliases VARCHAR[], mentions BIGINT NOT NULL, articles BIGINT NOT NULL, PRIMARY KEY (canonical, actor_code)
)"""

#: Boolean flags of an event, in the order they are listed in the ``flags`` of event rows.
EVENT_FLAGS: tuple[str, ...] = ("negated", "hypothetical", "threatened", "reported", "historical")
#: Flags that mean the event did not (yet) happen as a new event: ``factual=True`` drops them. A threat
#: is kept: coded THREATEN, the threat itself is the event.
NON_FACTUAL_FLAGS: tuple[str, ...] = ("negated", "hypothetical", "historical")
#: Most rows one read returns, whatever the caller asks: a page of a table, not the whole store.
MAX_LIMIT = 10_000

Interval = Literal["day", "week", "month"]


def _quote(name: str) -> str:
    # Some model fields are SQL keywords ("end", "date", "text").
    return '"' + name.replace('"', '""') + '"'


def record_fields(table: str) -> list[str]:
    """The model's field names for a record table, in model order."""
    return list(TABLES[table].model_fields)


def record_columns(table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a record table: article_id, ordinal, then every model field."""
    model = TABLES[table]
    return KEY_COLUMNS + [(name, column_type(field.annotation, strict=True)) for name, field in model.model_fields.items()]


def create_enrichment_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the enrichment tables (new databases, and the migration from store schema 1 to 2)."""
    cols = ", ".join(f"{_quote(n)} {t}" for n, t in ENRICHMENT_COLUMNS)
    con.execute(f"CREATE TABLE enrichments ({cols})")
    for table in RECORD_TABLES:
        cols = ", ".join(f"{_quote(n)} {t}" for n, t in record_columns(table))
        con.execute(f"CREATE TABLE {table} ({cols})")
        # Article ids are hashes, so min/max zone maps cannot skip row groups: without an index every
        # article view scans the whole table (about 10x slower at 100k enriched articles than at 10k).
        con.execute(f"CREATE INDEX {table}_by_article ON {table} (article_id)")
    con.execute(ENTITY_NAMES_DDL)


# --- writing -------------------------------------------------------------------------------------------
def write_enrichments(
    con: duckdb.DuckDBPyConnection, records: Sequence[Enrichment], *, stage: str, enriched_at: datetime | None = None
) -> None:
    """Store the records, replacing every row their articles had. The caller owns the transaction."""
    if not records:
        return
    when = enriched_at or datetime.now(UTC)
    ids = list(dict.fromkeys(r.article_id for r in records))
    if any(not i for i in ids):
        raise ValueError("an enrichment without article_id cannot be stored")
    latest = {r.article_id: r for r in records}  # the last record of an article wins, as a re-run would
    # Rows are only ever written together with their `enrichments` row (one transaction), so only articles
    # found there have rows to replace. Looking them up by primary key first spares a scan of every record
    # table per batch when enriching new articles, which is nearly always.
    stored = [
        r[0] for r in con.execute(
            "SELECT article_id FROM enrichments WHERE article_id IN (SELECT unnest(?))", [ids]
        ).fetchall()
    ]
    remove_enrichments(con, stored)
    head = pa.table(
        {
            "article_id": pa.array(ids, pa.string()),
            "stage": pa.array([stage] * len(ids), pa.string()),
            "schema_version": pa.array([latest[i].schema_version for i in ids], pa.string()),
            "language": pa.array([latest[i].language for i in ids], pa.string()),
            "skipped_reason": pa.array([latest[i].skipped_reason for i in ids], pa.string()),
            "notes": pa.array([latest[i].notes for i in ids], pa.list_(pa.string())),
            "enriched_at": pa.array([when] * len(ids), pa.timestamp("us", tz="UTC")),
        }
    )
    _insert(con, "enrichments", [n for n, _ in ENRICHMENT_COLUMNS], head)
    for table in RECORD_TABLES:
        rows: list[dict[str, Any]] = []
        for article_id in ids:
            for ordinal, item in enumerate(getattr(latest[article_id], table)):
                rows.append({"article_id": article_id, "ordinal": ordinal, **item.model_dump()})
        if rows:
            names = [n for n, _ in record_columns(table)]
            _insert(con, table, names, pa.Table.from_pylist(rows, schema=_arrow_schema(table)))
    _count_entity_names(con, "entities", ids, sign=1)


def _count_entity_names(con: duckdb.DuckDBPyConnection, table: str, ids: list[str], *, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) the named entities of these articles in ``entity_names``."""
    con.execute(
        f"""INSERT INTO entity_names
            SELECT canonical, coalesce(actor_code, ''), any_value(label), any_value(country), any_value(sector),
                   any_value(aliases), {sign} * count(*), {sign} * count(DISTINCT article_id)
            FROM {table} WHERE canonical IS NOT NULL AND article_id IN (SELECT unnest(?))
            GROUP BY canonical, coalesce(actor_code, '')
            ON CONFLICT (canonical, actor_code) DO UPDATE SET
              mentions = entity_names.mentions + excluded.mentions,
              articles = entity_names.articles + excluded.articles,
              label = coalesce(excluded.label, entity_names.label),
              country = coalesce(excluded.country, entity_names.country),
              sector = coalesce(excluded.sector, entity_names.sector),
              aliases = coalesce(excluded.aliases, entity_names.aliases)""",
        [ids],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, names: list[str], data: pa.Table) -> None:
    view = f"batch_{table}"
    cols = ", ".join(_quote(n) for n in names)
    con.register(view, data)
    try:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    finally:
        con.unregister(view)


_ARROW_TYPES = {
    "VARCHAR": pa.string(), "VARCHAR NOT NULL": pa.string(), "BIGINT": pa.int64(), "INTEGER NOT NULL": pa.int32(),
    "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "VARCHAR[]": pa.list_(pa.string()),
}


def _arrow_schema(table: str) -> pa.Schema:
    # An explicit schema: a batch whose values are all None must not turn a column into Arrow's null type.
    return pa.schema([(n, _ARROW_TYPES[t]) for n, t in record_columns(table)])


def remove_enrichments(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Delete these articles' enrichment rows (and their entity name counts). The caller owns the transaction."""
    ids = list(article_ids)
    if not ids:
        return
    _count_entity_names(con, "entities", ids, sign=-1)
    for table in ("enrichments", *RECORD_TABLES):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])


def demoted_article_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Enriched articles that have since become duplicates (a later ingest found a better canonical copy):
    their events would count the story twice once the canonical copy is enriched."""
    return [
        r[0] for r in con.execute(
            "SELECT e.article_id FROM enrichments e SEMI JOIN duplicates x ON x.article_id = e.article_id ORDER BY 1"
        ).fetchall()
    ]


def pending_article_ids(con: duckdb.DuckDBPyConnection, *, force: bool = False, limit: int | None = None) -> list[str]:
    """Canonical articles without an enrichment (all of them with ``force``), oldest publication first."""
    sql = "SELECT a.id FROM articles a"
    if not force:
        sql += " ANTI JOIN enrichments e ON e.article_id = a.id"
    sql += " ORDER BY a.published_utc NULLS LAST, a.id"
    if limit is not None:
        sql += f" LIMIT {max(0, int(limit))}"
    return [r[0] for r in con.execute(sql).fetchall()]


# --- reading ---------------------------------------------------------------------------------------------
def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def enrichment(
    con: duckdb.DuckDBPyConnection, article_id: str, article: Article | None = None
) -> Enrichment | None:
    """The stored Enrichment of one article (records in their original order), or None if not enriched.

    Its url and date come from ``article`` when the caller has it, else from ``documents`` by primary key
    (a join with ``documents`` here cost a scan of that table per article page view)."""
    head = con.execute(
        "SELECT schema_version, language, skipped_reason, notes FROM enrichments WHERE article_id = ?", [article_id]
    ).fetchone()
    if head is None:
        return None
    schema_version, language, skipped_reason, notes = head
    if article is not None:
        url, published = article.url, article.published
    else:
        doc = con.execute("SELECT url, published FROM documents WHERE id = ?", [article_id]).fetchone()
        url, published = doc if doc else (None, None)
    parts: dict[str, list[Any]] = {}
    for table, model in TABLES.items():
        names = record_fields(table)
        cur = con.execute(
            f"SELECT {', '.join(_quote(n) for n in names)} FROM {table} WHERE article_id = ? ORDER BY ordinal",
            [article_id],
        )
        parts[table] = [model.model_validate(row) for row in _dicts(cur)]
    return Enrichment(
        schema_version=schema_version, article_id=article_id, url=url, published=published, language=language,
        skipped_reason=skipped_reason, notes=list(notes or []), **parts,
    )


def _iso_day(value: date | datetime | str | None, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{what}: expected an ISO date (YYYY-MM-DD), got {value!r}") from None


def _prefix_pattern(code: str) -> str:
    """An ILIKE pattern matching codes that start with ``code`` (ILIKE: fastest case-insensitive test)."""
    escaped = code.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _event_filters(
    *, actor: str | None, target: str | None, since: date | datetime | str | None, until: date | datetime | str | None,
    plover: str | None, article_id: str | None, factual: bool,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    # Codes match by prefix ('IRN' finds 'IRNMIL'), case-insensitively, as CAMEO codes nest by prefix.
    for column, code in (("actor_code", actor), ("target_code", target)):
        if code:
            where.append(f"ev.{column} ILIKE ? ESCAPE '\\'")
            params.append(_prefix_pattern(code))
    if plover:
        where.append("ev.plover = ?")
        params.append(plover.strip().upper())
    if article_id:
        where.append("ev.article_id = ?")
        params.append(article_id)
    # Event dates are ISO strings, so comparing them as strings orders them as days, and lets DuckDB skip
    # row groups by their min/max (events are stored roughly in publication order). A partial date
    # ('2011', '2020-03') has no day: it never passes a date filter.
    days = [(_iso_day(bound, what), op) for bound, op, what in ((since, ">=", "since"), (until, "<=", "until"))]
    for day, op in days:
        if day is not None:
            where.append(f'ev."date" {op} ?')
            params.append(day.isoformat())
    if any(day is not None for day, _ in days):
        where.append(f'length(ev."date") = {len("YYYY-MM-DD")}')
    if factual:
        where.extend(f"NOT ev.{flag}" for flag in NON_FACTUAL_FLAGS)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def events(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    target: str | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    plover: str | None = None,
    article_id: str | None = None,
    factual: bool = False,
    newest_first: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stored events, one dict per event, in date order (then article and position in it).

    ``actor``/``target`` match actor codes by prefix (``'IRN'`` matches ``'IRNMIL'``); ``since``/``until``
    bound the event's day (inclusive; events with only a year or month are left out by a date filter);
    ``plover`` is an exact PLOVER type; ``factual`` leaves out negated, hypothetical and historical events.
    Each dict has every ``Event`` field plus ``article_id``, ``ordinal``, ``flags`` (the names of the true
    flags), and the article's ``url``, ``title``, ``publisher`` and ``published``.
    """
    where, params = _event_filters(
        actor=actor, target=target, since=since, until=until, plover=plover, article_id=article_id, factual=factual
    )
    order = "DESC" if newest_first else "ASC"
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if limit == 0:
        return []
    sort = f'ORDER BY ev."date" {order} NULLS LAST, ev.article_id, ev.ordinal'
    # Two steps: the date of the page's last event comes from a narrow query (sort keys only), then the
    # page itself is read with that date as a bound, so that the wide rows (sentences) are read only from
    # the row groups that can hold the page. One wide top-N query over a million events read every
    # matching row's sentence: 0.8 s against 0.1 s for both steps (benchmarks/enrich_store.py, dev machine).
    dates = con.execute(f"SELECT ev.\"date\" FROM events ev{where} {sort} LIMIT {limit} OFFSET {offset}", params)
    page_dates = [r[0] for r in dates.fetchall()]
    if not page_dates:
        return []
    page_where, page_params = where, list(params)
    if page_dates[-1] is not None:
        page_where = (where + " AND " if where else " WHERE ") + f'ev."date" {"<=" if order == "ASC" else ">="} ?'
        page_params.append(page_dates[-1])
    cur = con.execute(
        f"""SELECT ev.*, coalesce(d.url, d.canonical_url) AS url, d.title AS title, d.publisher AS publisher,
                   d.published AS published
            FROM events ev LEFT JOIN documents d ON d.id = ev.article_id{page_where}
            {sort} LIMIT {limit} OFFSET {offset}""",
        page_params,
    )
    rows = _dicts(cur)
    for row in rows:
        row["flags"] = [flag for flag in EVENT_FLAGS if row.get(flag)]
    return rows


def event_count(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    target: str | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    plover: str | None = None,
    article_id: str | None = None,
    factual: bool = False,
) -> int:
    """How many events ``events()`` would give with the same filters and no limit (for paging)."""
    where, params = _event_filters(
        actor=actor, target=target, since=since, until=until, plover=plover, article_id=article_id, factual=factual
    )
    row = con.execute(f"SELECT count(*) FROM events ev{where}", params).fetchone()
    return int(row[0]) if row else 0


def actors(con: duckdb.DuckDBPyConnection, *, prefix: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Actor codes seen in events, most frequent first: ``code``, ``name`` (the name it most often has),
    ``as_actor``, ``as_target`` and ``events`` (both together). ``prefix`` keeps codes starting with it."""
    params: list[Any] = []
    where = ""
    if prefix:
        where = "WHERE code ILIKE ? ESCAPE '\\'"
        params.append(_prefix_pattern(prefix))
    cur = con.execute(
        f"""WITH sides AS (
              SELECT actor_code AS code, actor_name AS name, 1 AS a, 0 AS t FROM events WHERE actor_code IS NOT NULL
              UNION ALL
              SELECT target_code, target_name, 0, 1 FROM events WHERE target_code IS NOT NULL)
            SELECT code, mode(name) AS name, sum(a)::BIGINT AS as_actor, sum(t)::BIGINT AS as_target,
                   count(*) AS events
            FROM sides {where} GROUP BY code ORDER BY events DESC, code
            LIMIT {max(0, min(int(limit), MAX_LIMIT))}""",
        params,
    )
    return _dicts(cur)


def dyad_timeline(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    target: str,
    *,
    interval: Interval = "week",
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    both_directions: bool = False,
    factual: bool = False,
) -> list[dict[str, Any]]:
    """Events from ``actor`` to ``target`` (codes by prefix) per day, week (starting Monday) or month.

    One dict per period that has events: ``period`` (ISO date of its first day), ``events``,
    ``goldstein_mean``, ``by_plover`` ({PLOVER type: count}) and ``by_quad_class`` ({1..4: count}).
    ``both_directions`` also counts target → actor. Events without a full date are left out.
    """
    if interval not in ("day", "week", "month"):
        raise ValueError(f"interval must be day, week or month, got {interval!r}")
    if not actor or not target:
        raise ValueError("a dyad needs both an actor and a target code")
    a, t = _prefix_pattern(actor), _prefix_pattern(target)
    pair = "(ev.actor_code ILIKE ? ESCAPE '\\' AND ev.target_code ILIKE ? ESCAPE '\\')"
    params: list[Any] = [a, t]
    condition = pair
    if both_directions:
        condition = f"({pair} OR {pair})"
        params += [t, a]
    where, extra = _event_filters(
        actor=None, target=None, since=since, until=until, plover=None, article_id=None, factual=factual
    )
    where = (where + " AND " if where else " WHERE ") + condition + ' AND TRY_CAST(ev."date" AS DATE) IS NOT NULL'
    cur = con.execute(
        f"""WITH dated AS (
              SELECT date_trunc('{interval}', TRY_CAST(ev."date" AS DATE))::DATE AS period, ev.plover, ev.quad_class,
                     ev.goldstein
              FROM events ev{where})
            SELECT period, count(*) AS events, avg(goldstein) AS goldstein_mean,
                   list(plover) AS plovers, list(quad_class) AS quads
            FROM dated GROUP BY period ORDER BY period""",
        extra + params,
    )
    out = []
    for row in _dicts(cur):
        by_plover: dict[str, int] = {}
        for p in row["plovers"]:
            by_plover[p] = by_plover.get(p, 0) + 1
        by_quad: dict[int, int] = {}
        for q in row["quads"]:
            by_quad[int(q)] = by_quad.get(int(q), 0) + 1
        out.append(
            {
                "period": row["period"].isoformat(), "events": int(row["events"]),
                "goldstein_mean": round(float(row["goldstein_mean"]), 3),
                "by_plover": dict(sorted(by_plover.items())), "by_quad_class": dict(sorted(by_quad.items())),
            }
        )
    return out


def find_entities(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Canonical entities whose name contains ``query`` (case-insensitive) or whose actor code starts with
    it, most mentioned first: ``canonical``, ``actor_code``, ``label``, ``country``, ``sector``, ``mentions``,
    ``articles`` and ``aliases`` (as stored with the entity)."""
    query = (query or "").strip()
    if not query:
        return []
    cur = con.execute(
        f"""SELECT canonical, nullif(actor_code, '') AS actor_code, label, country, sector, mentions, articles,
                   aliases
            FROM entity_names
            WHERE mentions > 0 AND (canonical ILIKE ? ESCAPE '\\' OR actor_code ILIKE ? ESCAPE '\\')
            ORDER BY mentions DESC, canonical LIMIT {max(0, min(int(limit), MAX_LIMIT))}""",
        ["%" + _prefix_pattern(query), _prefix_pattern(query)],
    )
    return _dicts(cur)


def entity_articles(
    con: duckdb.DuckDBPyConnection, *, canonical: str | None = None, actor_code: str | None = None,
    limit: int = 50, offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles mentioning an entity (exact canonical name, or actor code by prefix), newest first:
    ``article_id``, ``title``, ``url``, ``publisher``, ``published`` and ``mentions``."""
    if not canonical and not actor_code:
        raise ValueError("name an entity: canonical or actor_code")
    where, params = [], []
    if canonical:
        where.append("lower(en.canonical) = lower(?)")
        params.append(canonical)
    if actor_code:
        where.append("en.actor_code ILIKE ? ESCAPE '\\'")
        params.append(_prefix_pattern(actor_code))
    cur = con.execute(
        f"""SELECT en.article_id, d.title, coalesce(d.url, d.canonical_url) AS url, d.publisher, d.published,
                   count(*) AS mentions
            FROM entities en LEFT JOIN documents d ON d.id = en.article_id
            WHERE {' AND '.join(where)}
            GROUP BY en.article_id, d.title, d.url, d.canonical_url, d.publisher, d.published, d.published_utc
            ORDER BY d.published_utc DESC NULLS LAST, en.article_id
            LIMIT {max(0, min(int(limit), MAX_LIMIT))} OFFSET {max(0, int(offset))}""",
        params,
    )
    return _dicts(cur)


def enrichment_counts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the enrichment tables hold: enriched and skipped articles (by reason), rows per record table,
    and canonical articles still waiting for enrichment."""
    row = con.execute(
        """SELECT count(*), count(skipped_reason),
                  (SELECT count(*) FROM articles a ANTI JOIN enrichments e ON e.article_id = a.id)
           FROM enrichments"""
    ).fetchone()
    assert row is not None
    reasons = con.execute(
        """SELECT split_part(split_part(skipped_reason, ' (', 1), ':', 1) AS reason, count(*) n FROM enrichments
           WHERE skipped_reason IS NOT NULL GROUP BY reason ORDER BY n DESC, reason"""
    ).fetchall()
    tables = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in RECORD_TABLES}  # type: ignore[index]
    return {
        "enriched": int(row[0]), "skipped": int(row[1]), "pending": int(row[2]),
        "skipped_reasons": {r: int(n) for r, n in reasons}, "rows": tables,
    }


def iter_chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

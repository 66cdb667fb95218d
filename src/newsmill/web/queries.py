"""What the web pages and the REST API show, as plain JSON-ready data read from the database.

Every function takes a DuckDB cursor (read-only) and validated arguments, and returns dicts and lists
whose field names are those of the data model (``Article``, ``Entity``, ``Event``...). Pages and their
JSON twins are rendered from the same dicts, so the two never disagree. Enrichment tables (store schema
2) may be missing from an older database: the functions then return empty results, never fail. This
module must never write to the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb

from newsmill.enrichment.models import Enrichment, enrichment_text
from newsmill.models import Article
from newsmill.store import enrichments as stored
from newsmill.store.schema import article_columns
from newsmill.store.search import MAX_RESULTS, SearchHit, SearchIndex
from newsmill.store.store import article_from_row
from newsmill.web.facets import FacetSnapshot

#: Facet counts are computed over this many best matches: enough for the facet lists to reflect the
#: result set, few enough that reading their ids from the index stays cheap (stored documents are read
#: whole: 4 ms for 100 against 10.5 ms for 200, median, on a 10,000-article store on the shared 2-core
#: development machine).
FACET_WINDOW = 100
#: Values shown per facet.
FACET_VALUES = 10
#: Most edges drawn in the actor network: beyond about a hundred a force layout is unreadable.
NETWORK_MAX_EDGES = 100
#: Most places drawn on the map; the rest are the long tail of single mentions.
MAP_MAX_PLACES = 2000
#: Most events listed on an actor or dyad page (the charts aggregate all of them).
EVENT_LIST_LIMIT = 200
#: Copies listed with an article: syndicated wire stories can have hundreds; the duplicates page has all.
MAX_COPIES_LISTED = 50
#: Aliases listed on an actor page, most frequent first (a profile, not an index of spellings).
MAX_ALIASES = 50
#: quad_class values of conflict (verbal and material), for the network's hostility measure.
CONFLICT_QUAD_CLASSES = (3, 4)

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = ("day", "week", "month")


# --- helpers ------------------------------------------------------------------------------------
def _tables(cur: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def has_enrichments(cur: duckdb.DuckDBPyConnection) -> bool:
    return {"events", "entities"} <= _tables(cur)


def _records(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in rows]


_ARTICLE_NAMES = [name for name, _ in article_columns()]


def _article_from_row(row: Sequence[Any]) -> Article:
    return article_from_row(dict(zip(_ARTICLE_NAMES, row, strict=True)))


# --- search -------------------------------------------------------------------------------------
def search_articles(
    index: SearchIndex,
    facets: FacetSnapshot,
    *,
    q: str,
    since: date | None,
    until: date | None,
    publisher: str | None,
    author: str | None,
    tag: str | None,
    language: str | None,
    entity: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """BM25 hits (as SearchIndex gives them) and facet counts over the best ``FACET_WINDOW`` matches.

    The entity filter is not in the search index: it keeps, among the best ``MAX_RESULTS`` matches, those
    that mention the entity (by canonical name or text, case-insensitive), and says so in ``warnings``.
    """
    filters: dict[str, Any] = {"since": since, "until": until, "publisher": publisher, "author": author, "tag": tag, "language": language}
    warnings: list[str] = []
    if entity:
        with_entity = facets.articles_with_entity(entity)
        pool = index.search(q, **filters, limit=MAX_RESULTS, offset=0, snippets=False)
        matching = [h for h in pool.hits if h.id in with_entity]
        total = len(matching)
        if pool.total > MAX_RESULTS:
            warnings.append(f"the entity filter was applied to the best {MAX_RESULTS} matches only")
        facet_ids = [h.id for h in matching[:FACET_WINDOW]]
        # No snippets here: generating them for the whole pool would cost more than the search itself.
        hits = [asdict_hit(h) for h in matching[offset : offset + limit]]
        warnings.extend(pool.warnings)
    else:
        results = index.search(q, **filters, limit=limit, offset=offset)
        total = results.total
        hits = [asdict_hit(h) for h in results.hits]
        warnings.extend(results.warnings)
        if total <= limit and offset == 0:
            facet_ids = [h["id"] for h in hits]
        else:
            facet_ids = [h.id for h in index.search(q, **filters, limit=FACET_WINDOW, snippets=False).hits]
    return {
        "query": q,
        "filters": {k: _jsonable(v) for k, v in {**filters, "entity": entity}.items() if v},
        "total": total,
        "limit": limit,
        "offset": offset,
        "hits": hits,
        "facets": facets.counts(facet_ids, FACET_VALUES),
        "facet_window": min(total, FACET_WINDOW),
        "warnings": warnings,
    }


def asdict_hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id, "title": hit.title, "url": hit.url, "publisher": hit.publisher, "published": hit.published,
        "authors": list(hit.authors), "language": hit.language, "score": round(hit.score, 4), "snippet": hit.snippet,
    }


# --- one article --------------------------------------------------------------------------------
def article(cur: duckdb.DuckDBPyConnection, article_id: str) -> Article | None:
    cur.execute(f"SELECT {', '.join(_ARTICLE_NAMES)} FROM documents WHERE id = ?", [article_id])
    row = cur.fetchone()
    return _article_from_row(row) if row else None


def enrichment(cur: duckdb.DuckDBPyConnection, article_id: str, art: Article | None = None) -> Enrichment | None:
    """The article's stored enrichment, or None (not enriched, or a database from before enrichments)."""
    if "enrichments" not in _tables(cur):
        return None
    return stored.enrichment(cur, article_id, art)


def duplicates_of(cur: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any]:
    """The cluster the article belongs to: its canonical copy and the other copies (at most
    ``MAX_COPIES_LISTED``; their url and publisher looked up by primary key, not by a join that scans)."""
    row = cur.execute("SELECT canonical_id, reason, similarity FROM duplicates WHERE article_id = ?", [article_id]).fetchone()
    canonical = row[0] if row else article_id
    members = cur.execute(
        "SELECT article_id AS id, reason, similarity FROM duplicates WHERE canonical_id = ? AND article_id <> ? "
        f"ORDER BY article_id LIMIT {MAX_COPIES_LISTED}",
        [canonical, article_id],
    )
    copies = _records(members)
    if row is not None:
        copies.insert(0, {"id": canonical, "reason": "canonical", "similarity": None})
    for copy in copies:
        found = cur.execute("SELECT url, publisher FROM documents WHERE id = ?", [copy["id"]]).fetchone()
        copy["url"], copy["publisher"] = found if found else (None, None)
    return {
        "canonical_id": canonical,
        "is_canonical": row is None,
        "reason": row[1] if row else None,
        "similarity": row[2] if row else None,
        "copies": copies,
    }


def text_segments(art: Article, enr: Enrichment | None) -> list[dict[str, Any]]:
    """The article's parts (title, dek, captions, paragraphs), each cut into runs of text that carry the
    entity mention and event sentence they belong to, from the enrichment's character offsets.

    Offsets are into ``enrichment_text(article)``; ones that fall outside it, or run backwards, are ignored.
    """
    parts: list[tuple[str, str]] = []
    if art.title:
        parts.append(("title", art.title))
    if art.dek:
        parts.append(("dek", art.dek))
    parts.extend(("caption", im.caption) for im in art.images if im.caption)
    parts.extend(("body", p) for p in art.body)
    full = enrichment_text(art)
    spans_entities: list[tuple[int, int, int]] = []
    spans_events: list[tuple[int, int, int]] = []
    if enr is not None:
        spans_entities = [
            (e.start, e.end, i) for i, e in enumerate(enr.entities) if 0 <= e.start < e.end <= len(full)
        ]
        spans_events = [(ev.start, ev.end, i) for i, ev in enumerate(enr.events) if 0 <= ev.start < ev.end <= len(full)]
    out = []
    offset = 0
    for kind, text in parts:
        start, end = offset, offset + len(text)
        cuts = {start, end}
        local_entities = [s for s in spans_entities if s[0] < end and s[1] > start]
        local_events = [s for s in spans_events if s[0] < end and s[1] > start]
        for s in local_entities + local_events:
            cuts.update(x for x in (s[0], s[1]) if start < x < end)
        points = sorted(cuts)
        runs = []
        for a, b in zip(points, points[1:], strict=False):
            entity = next((i for s0, s1, i in local_entities if s0 <= a and b <= s1), None)
            events = [i for s0, s1, i in local_events if s0 <= a and b <= s1]
            runs.append({"text": text[a - start : b - start], "entity": entity, "events": events})
        out.append({"kind": kind, "runs": runs})
        offset = end + 2  # the blank line between parts
    return out


def original_blocks(cur: duckdb.DuckDBPyConnection, art: Article, base_dirs: Sequence[Path]) -> dict[str, Any]:
    """The page's blocks in page order with their role and score, and their text when the page file the
    ingest read is still there (re-read and re-blocked; only a whole-file page recorded in ``pages``).
    """
    texts, why = _block_texts(cur, art, base_dirs)
    blocks = [{"ref": b.ref, "role": str(b.role), "score": b.score, "text": texts.get(b.ref)} for b in art.blocks]
    return {"blocks": blocks, "text_available": bool(texts), "note": why}


def _block_texts(cur: duckdb.DuckDBPyConnection, art: Article, base_dirs: Sequence[Path]) -> tuple[dict[str, str], str | None]:
    from newsmill.api import load_page
    from newsmill.errors import NewsmillError

    # The file is the one the ingest itself recorded reading for this article (a page file is its own
    # record key), never a path taken from the article: an imported Article JSON can claim any source_path.
    row = None
    if art.source_path and "#" not in art.source_path:
        row = cur.execute(
            "SELECT source, locator FROM pages WHERE record_key = ? AND article_id = ? AND coalesce(locator, '') = ''",
            [art.source_path, art.id],
        ).fetchone()
    if not art.source_path or "#" in art.source_path:
        return {}, "the page came from a collection (WARC, JSONL, Parquet): its original text is not kept"
    if row is None or not row[0]:
        return {}, "the ingest has no record of reading this page file, so it is not read"
    source = Path(row[0])
    candidates = [source] if source.is_absolute() else [base / source for base in base_dirs]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        return {}, f"the page file {row[0]} is no longer there"
    try:
        page = load_page(path, kind=art.source_kind)
        return _blocks_of(page.text, art.source_kind), None
    except (NewsmillError, OSError, ValueError) as exc:
        return {}, f"the page file cannot be read again ({exc})"


def _blocks_of(text: str, kind: str) -> dict[str, str]:
    if kind == "dump":
        from newsmill.extraction.dump import dump_to_blocks

        return {b.ref: b.text for b in dump_to_blocks(text)[0]}
    from newsmill.extraction.html_blocks import html_to_blocks, parse_html

    return {b.ref: b.text for b in html_to_blocks(parse_html(text))}


# --- actors and events --------------------------------------------------------------------------
# The enrichment fills an event's date from the text, else from the article, so it alone dates events
# (as in newsmill.store.enrichments); a partial date ('2011') does not place an event in a period.
_EVENT_DATE = 'TRY_CAST(e."date" AS DATE)'


def actors(cur: duckdb.DuckDBPyConnection, *, limit: int, offset: int, prefix: str | None = None) -> dict[str, Any]:
    """Every actor code seen in events, with its most common name and its counts as actor and target."""
    if not has_enrichments(cur):
        return {"total": 0, "limit": limit, "offset": offset, "actors": []}
    where = "WHERE starts_with(code, ?)" if prefix else ""
    params: list[Any] = [prefix] if prefix else []
    base = f"""
        WITH sides AS (
          SELECT actor_code AS code, actor_name AS name, 1 AS a, 0 AS t FROM events WHERE actor_code IS NOT NULL
          UNION ALL
          SELECT target_code, target_name, 0, 1 FROM events WHERE target_code IS NOT NULL
        ), grouped AS (
          SELECT code, mode(name) AS name, sum(a)::BIGINT AS as_actor, sum(t)::BIGINT AS as_target FROM sides GROUP BY code
        ) SELECT * FROM grouped {where}"""
    total_row = cur.execute(f"SELECT count(*) FROM ({base})", params).fetchone()
    cur.execute(f"{base} ORDER BY as_actor + as_target DESC, code LIMIT ? OFFSET ?", [*params, limit, offset])
    return {"total": int(total_row[0]) if total_row else 0, "limit": limit, "offset": offset, "actors": _records(cur)}


def events(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    target: str | None = None,
    since: date | None = None,
    until: date | None = None,
    plover: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Events, newest first, with the total for paging; codes match by prefix (actor 'IRN' matches 'IRNMIL')."""
    if not has_enrichments(cur):
        return {"total": 0, "limit": limit, "offset": offset, "events": []}
    filters: dict[str, Any] = {"actor": actor, "target": target, "since": since, "until": until, "plover": plover}
    rows = stored.events(cur, **filters, newest_first=True, limit=limit, offset=offset)
    return {"total": stored.event_count(cur, **filters), "limit": limit, "offset": offset, "events": _clean(rows)}


def actor_profile(cur: duckdb.DuckDBPyConnection, code: str, *, period: Period = "week") -> dict[str, Any] | None:
    """Name, aliases, country and sector of an actor code, and its events as actor and as target over time."""
    if period not in PERIODS:  # it is part of the SQL text
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    if not has_enrichments(cur):
        return None
    counts = cur.execute(
        "SELECT count(*) FILTER (WHERE starts_with(actor_code, $1)), count(*) FILTER (WHERE starts_with(target_code, $1)), "
        "mode(actor_name) FILTER (WHERE actor_code = $1), mode(target_name) FILTER (WHERE target_code = $1) FROM events",
        [code],
    ).fetchone()
    mentions = cur.execute(
        "SELECT count(*), count(DISTINCT article_id), mode(canonical) FILTER (WHERE actor_code = $1), mode(country), "
        "mode(sector) FILTER (WHERE actor_code = $1), mode(wikipedia) FILTER (WHERE actor_code = $1) "
        "FROM entities WHERE starts_with(actor_code, $1)",
        [code],
    ).fetchone()
    assert counts is not None and mentions is not None
    if not (counts[0] or counts[1] or mentions[0]):
        return None
    alias_rows = cur.execute(
        "SELECT alias, count(*) n FROM (SELECT text AS alias FROM entities WHERE starts_with(actor_code, $1) "
        "UNION ALL SELECT unnest(aliases) FROM entities WHERE starts_with(actor_code, $1)) GROUP BY alias "
        f"ORDER BY n DESC, alias LIMIT {MAX_ALIASES}",
        [code],
    ).fetchall()
    name = mentions[2] or counts[2] or counts[3] or code
    timeline = cur.execute(
        f"""SELECT date_trunc('{period}', {_EVENT_DATE})::DATE AS period, role, count(*) AS events,
                   avg(e.goldstein) AS goldstein
            FROM (SELECT "date", goldstein, 'as actor' AS role FROM events WHERE starts_with(actor_code, $1)
                  UNION ALL SELECT "date", goldstein, 'as target' FROM events WHERE starts_with(target_code, $1)) e
            WHERE {_EVENT_DATE} IS NOT NULL GROUP BY ALL ORDER BY period, role""",
        [code],
    )
    series = _clean(_records(timeline))
    return {
        "code": code,
        "name": name,
        "aliases": [a for a, _ in alias_rows if a and a != name],
        "country": mentions[3],
        "sector": mentions[4],
        "wikipedia": mentions[5],
        "mentions": int(mentions[0]),
        "articles": int(mentions[1]),
        "events_as_actor": int(counts[0]),
        "events_as_target": int(counts[1]),
        "period": period,
        "timeline": [{**r, "goldstein": _round(r["goldstein"])} for r in series],
        "as_actor": events(cur, actor=code, limit=EVENT_LIST_LIMIT)["events"],
        "as_target": events(cur, target=code, limit=EVENT_LIST_LIMIT)["events"],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def dyad(cur: duckdb.DuckDBPyConnection, a: str, b: str, *, period: Period = "week") -> dict[str, Any]:
    """Events between two actors, each direction apart: per period the count and mean Goldstein, the counts
    by PLOVER type, and the latest events. Codes match by prefix; events without a full date are counted
    in ``total`` and listed, but not charted (nor in ``by_plover``, which matches the chart).
    """
    empty: dict[str, Any] = {"a": a, "b": b, "period": period, "total": 0, "by_plover": [], "series": [], "events": []}
    if not has_enrichments(cur):
        return empty
    series: list[dict[str, Any]] = []
    plover_counts: dict[tuple[str, str], int] = {}
    listed: list[dict[str, Any]] = []
    total = 0
    # An actor with itself (factions of one government, say) has one direction, not the same one twice.
    for actor, target in ((a, b),) if a == b else ((a, b), (b, a)):
        direction = f"{actor} → {target}"
        for row in stored.dyad_timeline(cur, actor, target, interval=period):
            series.append({"period": row["period"], "direction": direction, "events": row["events"],
                           "goldstein": row["goldstein_mean"]})
            for plover, count in row["by_plover"].items():
                plover_counts[(direction, plover)] = plover_counts.get((direction, plover), 0) + count
        for ev in stored.events(cur, actor=actor, target=target, newest_first=True, limit=EVENT_LIST_LIMIT):
            listed.append({"direction": direction, **ev})
        total += stored.event_count(cur, actor=actor, target=target)
    listed.sort(key=lambda ev: (ev.get("date") or "", ev["article_id"]), reverse=True)
    by_plover: list[dict[str, Any]] = [
        {"direction": d, "plover": p, "events": n} for (d, p), n in plover_counts.items()
    ]
    by_plover.sort(key=lambda r: (-r["events"], r["plover"], r["direction"]))
    series.sort(key=lambda r: (r["period"], r["direction"]))
    return {**empty, "total": total, "by_plover": by_plover, "series": series, "events": _clean(listed[:EVENT_LIST_LIMIT])}


def network(cur: duckdb.DuckDBPyConnection, *, level: Literal["actor", "country"] = "actor", min_events: int = 1) -> dict[str, Any]:
    """Who acts on whom: one edge per (actor, target) with its event count, mean Goldstein and the share of
    conflict events (hostility); the ``NETWORK_MAX_EDGES`` heaviest edges.
    """
    if not has_enrichments(cur):
        return {"level": level, "nodes": [], "edges": []}
    key_a = "left(actor_code, 3)" if level == "country" else "actor_code"
    key_t = "left(target_code, 3)" if level == "country" else "target_code"
    conflict = ", ".join(str(q) for q in CONFLICT_QUAD_CLASSES)
    edges = _records(
        cur.execute(
            f"""SELECT {key_a} AS source, {key_t} AS target, count(*) AS events, avg(goldstein) AS goldstein,
                       avg(CASE WHEN quad_class IN ({conflict}) THEN 1.0 ELSE 0.0 END) AS hostility
                FROM events WHERE actor_code IS NOT NULL AND target_code IS NOT NULL AND {key_a} <> {key_t}
                GROUP BY ALL HAVING count(*) >= ? ORDER BY events DESC, source, target LIMIT {NETWORK_MAX_EDGES}""",
            [min_events],
        )
    )
    codes = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    names = dict(
        cur.execute(
            "SELECT code, mode(label) FROM (SELECT actor_code AS code, actor_name AS label FROM events UNION ALL "
            "SELECT target_code, target_name FROM events) WHERE code IN (SELECT unnest(?::VARCHAR[])) GROUP BY code",
            [codes],
        ).fetchall()
    )
    degree: dict[str, int] = {}
    for e in edges:
        e["goldstein"], e["hostility"] = _round(e["goldstein"]), _round(e["hostility"])
        degree[e["source"]] = degree.get(e["source"], 0) + e["events"]
        degree[e["target"]] = degree.get(e["target"], 0) + e["events"]
    nodes = [{"code": c, "name": names.get(c) or c, "events": degree[c]} for c in codes]
    return {"level": level, "nodes": nodes, "edges": edges}


def places(cur: duckdb.DuckDBPyConnection, *, country: str | None = None) -> dict[str, Any]:
    """Resolved places with coordinates, with their mention and article counts."""
    if "places" not in _tables(cur):
        return {"places": []}
    where = "AND country = ?" if country else ""
    rows = cur.execute(
        f"""SELECT name, country, feature, lat, lon, count(*) AS mentions, count(DISTINCT article_id) AS articles
            FROM places WHERE lat IS NOT NULL AND lon IS NOT NULL AND NOT metonym {where}
            GROUP BY name, country, feature, lat, lon ORDER BY mentions DESC, name LIMIT {MAP_MAX_PLACES}""",
        [country] if country else [],
    )
    return {"places": _records(rows)}


# --- ingest runs and duplicates -------------------------------------------------------------------
def runs(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    totals = cur.execute(
        """SELECT (SELECT count(*) FROM pages) AS records,
                  (SELECT count(*) FROM documents) - (SELECT count(*) FROM duplicates) AS articles,
                  (SELECT count(*) FROM duplicates) + (SELECT count(*) FROM pages WHERE outcome = 'same-document') AS duplicates,
                  (SELECT count(*) FROM rejections) AS rejections"""
    )
    counts = _records(totals)[0]
    run_rows = _clean(_records(cur.execute("SELECT * FROM runs ORDER BY run_id DESC")))
    reasons = cur.execute("SELECT reason, count(*) n FROM rejections GROUP BY reason ORDER BY n DESC, reason").fetchall()
    enriched = None
    if "enrichments" in _tables(cur):
        row = cur.execute("SELECT count(*), count(skipped_reason) FROM enrichments").fetchone()
        enriched = {"articles": row[0], "skipped": row[1]} if row else None
    return {
        "counts": counts,
        "runs": run_rows,
        "rejection_reasons": [{"reason": r, "count": n} for r, n in reasons],
        "enrichments": enriched,
    }


def duplicate_clusters(cur: duckdb.DuckDBPyConnection, *, limit: int, offset: int, min_size: int = 2) -> dict[str, Any]:
    """Largest clusters first: the canonical article and its copies with the reason and similarity."""
    base = "SELECT canonical_id, count(*) + 1 AS size FROM duplicates GROUP BY canonical_id HAVING count(*) + 1 >= ?"
    total_row = cur.execute(f"SELECT count(*) FROM ({base})", [min_size]).fetchone()
    rows = cur.execute(
        f"""SELECT s.canonical_id, s.size, c.title, c.url, c.publisher, c.published FROM ({base}) s
            JOIN documents c ON c.id = s.canonical_id ORDER BY s.size DESC, s.canonical_id LIMIT ? OFFSET ?""",
        [min_size, limit, offset],
    ).fetchall()
    members: dict[str, list[dict[str, Any]]] = {}
    if rows:
        cur.execute(
            """SELECT x.canonical_id, x.article_id AS id, x.reason, x.similarity, d.url, d.publisher, d.published
               FROM duplicates x JOIN documents d ON d.id = x.article_id
               WHERE x.canonical_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY x.article_id""",
            [[r[0] for r in rows]],
        )
        for m in _records(cur):
            members.setdefault(m.pop("canonical_id"), []).append(m)
    clusters = [
        {
            "canonical": {"id": cid, "title": title, "url": url, "publisher": publisher, "published": published},
            "size": size,
            "duplicates": members.get(cid, []),
        }
        for cid, size, title, url, publisher, published in rows
    ]
    return {"total": int(total_row[0]) if total_row else 0, "limit": limit, "offset": offset, "clusters": clusters}

#!/usr/bin/env python3
"""Enrichment storage benchmark: ``enrich_store`` throughput and the event queries the CLI and web use.

* throughput: GeoWebNews article texts (read from ../shared/events/geowebnews at run time) are imported
  as Article JSONL into a fresh store, then enriched three ways on the same articles: the bare stage
  (``EnrichStage.process_batch``, no store) and ``enrich_store`` with 1 worker, both pinned to one core,
  and ``enrich_store`` with 2 workers on two cores. Reported: articles/s, the store's overhead over the
  bare stage (1 worker / bare) and the speed-up of 2 workers over 1. spaCy is loaded before any timing
  (worker processes are forked from the loaded parent), so load time is reported apart.
* queries: the enriched events (and entities) are replicated, with new article ids and dates spread over
  ten years in storage order (as ``enrich_store`` stores articles in publication order), until
  ``--events`` events are stored; then p50/p95 latency over ``--repeats`` runs of each
  read the web pages and ``newsmill events`` make (filters by code prefix and dates, counts, actors,
  the weekly dyad timeline, entity search).

Usage::

    python benchmarks/enrich_store.py            # 200 articles, 1,000,000 events (about 10 min, quiet 2-core machine, estimated)
    python benchmarks/enrich_store.py --quick    # 20 articles, 50,000 events, prints only (no files written)

Writes ``benchmarks/results/enrich_store.json`` and the ``enrich_store`` section of BENCHMARKS.md
(not with --quick). Databases live in a temporary folder removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BENCHMARKS_MD,
    RESULTS,
    SHARED,
    machine_info,
    pin_to_core,
    usable_cores,
    write_json,
    write_section,
)

import newsmill
from newsmill.models import Article
from newsmill.store import Store
from newsmill.store.enrich_runner import enrich_store
from newsmill.store.enrichments import RECORD_TABLES

GWN = SHARED / "events" / "geowebnews" / "GWN.xml"
#: Publication dates of the imported articles start here, one day apart (relative dates need one).
FIRST_DAY = "2019-01-01"
#: Replicated events get dates spread over this many days (ten years), so that date filters select.
SPREAD_DAYS = 3650
#: Days of random spread around each copy's day: news reports events of the last few days.
DATE_JITTER_DAYS = 3


def gwn_articles(limit: int) -> list[Article]:
    root = ET.parse(GWN).getroot()
    articles = []
    for number, node in enumerate(root.findall("article")[:limit]):
        text = node.findtext("text") or ""
        paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
        day = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(FIRST_DAY, "%Y-%m-%d")) + number * 86400))
        article = Article(url=f"https://gwn.invalid/{number}", body=paragraphs, published=f"{day}T12:00:00+00:00")
        article.assign_id()
        articles.append(article)
    return articles


def build_store(articles: list[Article], folder: Path) -> Path:
    source = folder / "articles.jsonl"
    source.write_text("".join(a.to_json() + "\n" for a in articles), encoding="utf-8")
    db = folder / "base.duckdb"
    report = newsmill.ingest([source], db=db, workers=1, search=False)
    assert report.run.articles == len(articles), report
    return db


def bench_throughput(articles: list[Article], folder: Path) -> dict[str, Any]:
    from newsmill.enrichment.pipeline import EnrichStage, default_stage

    cores = usable_cores(max_cores=2)
    pin_to_core(cores[0] if cores else None)
    started = time.perf_counter()
    default_stage()  # the runner's inline stage, inherited by forked workers
    load_seconds = time.perf_counter() - started
    bare = EnrichStage()
    bare.setup()
    bare.process_batch(articles[:5])  # warm caches before timing
    t0 = time.perf_counter()
    bare.process_batch(articles)
    bare_seconds = time.perf_counter() - t0
    base = build_store(articles, folder)
    runs: dict[str, Any] = {}
    for workers in (1, 2):
        if workers == 2 and len(cores) > 1 and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(cores))
        db = folder / f"w{workers}.duckdb"
        shutil.copy(base, db)
        report = enrich_store(db, workers=workers)
        assert report.done == len(articles) and report.failed == 0, report
        runs[str(workers)] = {
            "seconds": round(report.seconds, 2), "articles_per_second": round(report.articles_per_second, 2),
            "kept": report.kept, "skipped": report.skipped, "events": report.events,
        }
    one, two = runs["1"]["seconds"], runs["2"]["seconds"]
    return {
        "articles": len(articles), "characters": sum(len(a.text()) for a in articles),
        "spacy_load_seconds": round(load_seconds, 2),
        "bare_stage_seconds": round(bare_seconds, 2),
        "bare_articles_per_second": round(len(articles) / bare_seconds, 2),
        "enrich_store": runs,
        "store_overhead_ratio_1_worker": round(one / bare_seconds, 3),
        "speedup_2_workers": round(one / two, 2) if two else None,
        "enriched_db": str(folder / "w1.duckdb"),
    }


def replicate(db: Path, target_events: int) -> dict[str, int]:
    """Copies of every enriched article's events and entities, under new ids and dates, up to the target."""
    con = Store(db).con
    base = int(con.execute("SELECT count(*) FROM events").fetchone()[0])  # type: ignore[index]
    if base == 0:
        raise SystemExit("no events were coded; nothing to query")
    copies = max(0, -(-target_events // base) - 1)
    for table in ("events", "entities"):
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
        ).fetchall()]
        select = []
        for col in cols:
            if col == "article_id":
                select.append("t.article_id || '-' || c.i AS article_id")
            elif col == "date" and table == "events":
                # Later copies get later days: enrich_store stores articles in publication order, so a
                # real store's events are roughly sorted by date too. A little jitter within each copy.
                select.append(
                    f"strftime(DATE '{FIRST_DAY}' + (c.i * {SPREAD_DAYS} // {copies + 1} + hash(t.article_id, t.ordinal) % "
                    f"{DATE_JITTER_DAYS})::INTEGER, '%Y-%m-%d')"
                )
            else:
                select.append(f't."{col}"')
        con.execute("BEGIN")
        con.execute(
            f"INSERT INTO {table} SELECT {', '.join(select)} FROM {table} t, range(1, {copies + 1}) c(i) "
            f"WHERE t.article_id NOT LIKE '%-%' ORDER BY c.i, t.article_id"
        )
        con.execute("COMMIT")
    # The copies bypassed write_enrichments: count their names as it would have.
    con.execute("BEGIN")
    con.execute("DELETE FROM entity_names")
    con.execute(
        """INSERT INTO entity_names
           SELECT canonical, coalesce(actor_code, ''), any_value(label), any_value(country), any_value(sector),
                  any_value(aliases), count(*), count(DISTINCT article_id)
           FROM entities WHERE canonical IS NOT NULL GROUP BY canonical, coalesce(actor_code, '')"""
    )
    con.execute("COMMIT")
    counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in RECORD_TABLES}  # type: ignore[index]
    con.close()
    return counts


def _latency(call: Callable[[], Any], repeats: int) -> dict[str, float]:
    call()  # warm: the first run reads the columns from disk
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
    }


def bench_queries(db: Path, target_events: int, repeats: int) -> dict[str, Any]:
    counts = replicate(db, target_events)
    store = Store(db, read_only=True)
    top = store.actors(limit=2)
    actor = (top[0]["code"] or "")[:3] if top else "USA"
    target = (top[1]["code"] or "")[:3] if len(top) > 1 else actor
    reads: dict[str, Callable[[], Any]] = {
        "events actor+target+since, 100 rows": lambda: store.events(actor=actor, target=target, since="2022-01-01"),
        "events since+until, 100 rows": lambda: store.events(since="2023-03-01", until="2023-03-31"),
        "events plover, newest first": lambda: store.events(plover="ASSAULT", newest_first=True),
        "event_count actor": lambda: store.event_count(actor=actor),
        "actors": lambda: store.actors(),
        "dyad_timeline week, both directions": lambda: store.dyad_timeline(actor, target, both_directions=True),
        "find_entities": lambda: store.find_entities("united"),
        "entity_articles actor prefix, 50 rows": lambda: store.entity_articles(actor_code=actor),
    }
    out = {"rows": counts, "actor": actor, "target": target, "repeats": repeats, "reads": {}}
    for name, call in reads.items():
        out["reads"][name] = _latency(call, repeats)
    store.close()
    return out


def markdown(results: dict[str, Any]) -> str:
    t, q = results["throughput"], results["queries"]
    lines = [
        "## Enrichment storage (`benchmarks/enrich_store.py`)",
        "",
        f"{t['articles']} GeoWebNews articles ({t['characters']:,} characters) imported into a store, then enriched. "
        f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores.",
        "",
        "| run | seconds | articles/s |",
        "|---|---|---|",
        f"| bare stage, 1 core (no store) | {t['bare_stage_seconds']} | {t['bare_articles_per_second']} |",
    ]
    for workers, run in t["enrich_store"].items():
        lines.append(f"| `enrich_store`, {workers} worker(s) | {run['seconds']} | {run['articles_per_second']} |")
    lines += [
        "",
        f"Store overhead (1 worker / bare stage): {t['store_overhead_ratio_1_worker']}x; 2 workers are "
        f"{t['speedup_2_workers']}x as fast as 1. spaCy load (once per process, before timing): "
        f"{t['spacy_load_seconds']} s.",
        "",
        f"Reads on {q['rows']['events']:,} events and {q['rows']['entities']:,} entities "
        f"(actor {q['actor']}, target {q['target']}, {q['repeats']} runs each):",
        "",
        "| read | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {v['p50_ms']} | {v['p95_ms']} |" for name, v in q["reads"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, print only")
    parser.add_argument("--articles", type=int, default=None, help="GeoWebNews articles (default 200; quick 20)")
    parser.add_argument("--events", type=int, default=None, help="events to query (default 1,000,000; quick 50,000)")
    parser.add_argument("--repeats", type=int, default=None, help="runs per read (default 50; quick 10)")
    args = parser.parse_args(argv)
    if not GWN.is_file():
        print(f"{GWN} is missing (../shared/events/geowebnews)", file=sys.stderr)
        return 2
    n_articles = args.articles or (20 if args.quick else 200)
    n_events = args.events or (50_000 if args.quick else 1_000_000)
    repeats = args.repeats or (10 if args.quick else 50)
    with tempfile.TemporaryDirectory(prefix="newsmill-enrich-bench-") as tmp:
        folder = Path(tmp)
        throughput = bench_throughput(gwn_articles(n_articles), folder)
        queries = bench_queries(Path(throughput.pop("enriched_db")), n_events, repeats)
    results = {"machine": machine_info(), "quick": args.quick, "throughput": throughput, "queries": queries}
    print(json.dumps(results, indent=2))
    if not args.quick:
        write_json(RESULTS / "enrich_store.json", results)
        write_section(BENCHMARKS_MD, "enrich_store", markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

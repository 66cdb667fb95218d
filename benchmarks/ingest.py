#!/usr/bin/env python3
"""Ingest benchmark (issue 3): throughput, memory, near-duplicate accuracy, search latency, kill -9.

Builds a WARC.gz crawl of ``--records`` records from the benchmark pages with planted duplicates (see
``ingest_corpus.py`` for what is planted and how the ground truth is defined), then measures:

* throughput: ``newsmill ingest`` (a subprocess, fresh database each) with 1 worker pinned to one core and
  with 2 workers on two cores, against bare extraction (``newsmill.extract`` on the same records in one
  process pinned to the same core, no store): pages/s and the ratios of the issue's targets. Peak RSS of
  the ingest process and its children (summed, sampled every ``RSS_SAMPLE_S`` from /proc) at 1/4, 1/2 and
  all of the corpus, 2 workers;
* deduplication: pairwise precision and recall of the store's duplicate clusters against the planted
  truth, recall per kind of copy, how the planted byte-identical copies were accounted for, and in the same
  run two peers over the same extracted bodies: datasketch's own in-memory ``MinHashLSH`` and exact
  hashing of the normalized body;
* search: a store of ``--search-docs`` articles (default 100,000) built by ingesting a JSONL of newsmill
  Article objects (the import path of ``newsmill ingest``) composed from the corpus' extracted articles;
  p50/p95/p99 latency of ``--queries`` two-word queries with a date filter through ``newsmill.search``,
  and of the same queries on the same documents in DuckDB FTS (duckdb 1.5.5 + duckdb-extension-fts
  1.5.5) and SQLite FTS5 (the stdlib's sqlite3);
* kill -9: ``--kills`` SIGKILLs (of the ingest's whole process group) at random moments during an ingest of
  the first 5,000 records, then a final run; the store must hold every input record exactly once
  (articles + duplicates + rejections == records), no document twice, the same documents and clusters as
  an uninterrupted ingest of the same files, and a search index with exactly the canonical articles.

Usage::

    python benchmarks/ingest.py                  # everything, 20,000 records, 100,000 search documents
    python benchmarks/ingest.py --quick          # 400 records, 3,000 search documents: a smoke test
    python benchmarks/ingest.py --only search    # parts: throughput,dedup,search,kill (results merged)

How long: --quick took 5 minutes on the busy development machine (2 cores shared with other jobs). The
full run is estimated at about an hour on a quiet 2-core machine, scaled from runs at 400-20,000 records
here: corpus build ~3 min (once, then cached), throughput and memory ~25 min (bare extraction, ingests of
20,000 records with 1 and 2 workers, of 5,000 and 10,000 with 2), dedup ~3 min, search ~20 min (100,000
articles ingested, DuckDB FTS indexed, 150 s of queries at most per engine), kill ~5 min. Every ingest
subprocess has a time limit (``INGEST_TIMEOUT_PER_RECORD_S``), so a hang fails the part, not the night.

Writes ``benchmarks/results/ingest.json`` (``ingest-quick.json`` with --quick) and the ``ingest`` section
of BENCHMARKS.md. Databases are written under ``benchmarks/.cache/ingest/runs`` and removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling modules, however the script is started

import common  # noqa: E402
import ingest_corpus as corpus_mod  # noqa: E402
from ingest_corpus import Corpus, shingles  # noqa: E402

# The datasketch peer uses newsmill's threshold and signature size, for a like-for-like comparison.
from newsmill.dedup.fingerprints import NEAR_DUPLICATE_JACCARD  # noqa: E402
from newsmill.dedup.fingerprints import NUM_PERM as PEER_NUM_PERM  # noqa: E402

PARTS = ("throughput", "dedup", "search", "kill")
DEFAULT_RECORDS = 20_000
QUICK_RECORDS = 400
DEFAULT_SEARCH_DOCS = 100_000
QUICK_SEARCH_DOCS = 3_000
#: The issue asks for 200+ queries; 240 leaves the p99 resting on more than two samples.
DEFAULT_QUERIES = 240
#: Queries run first and not counted: the first one loads the index files into the page cache.
WARMUP_QUERIES = 5
KILL_RECORDS = 5_000
DEFAULT_KILLS = 10
#: Tries at most this many times the kills asked for: a try whose process finished before its kill
#: moment does not count as a kill.
MAX_KILL_TRIES_FACTOR = 4
#: Where the kills land: a share of them during start-up (imports, opening the store, catching up the
#: search index), the others at a uniformly random moment of the work left, within twice an even share
#: of it (so that the kills spread over the whole ingest instead of all landing early or after its end).
STARTUP_KILL_SHARE = 0.2
KILL_MIN_DELAY_S = 0.3
RSS_SAMPLE_S = 0.2
#: A subprocess ingest is stopped (and the part marked failed) after this long per record plus a margin:
#: 4x the slowest rate seen during development (8 pages/s, 2 workers on the busy machine), so it only
#: fires on a hang or a pathological slowdown, and an unattended run stays bounded.
INGEST_TIMEOUT_PER_RECORD_S = 0.5
INGEST_TIMEOUT_MARGIN_S = 300
#: The same for importing Article JSON (no extraction): 4x the slowest rate seen (116 articles/s while
#: building a 20,000-article store on the busy machine), so 100,000 articles stop after ~1 hour at most.
IMPORT_TIMEOUT_PER_ARTICLE_S = 0.035
#: Two-word queries: words of at least this many letters, not stop words.
QUERY_WORD_MIN_LETTERS = 4
#: Date windows of the queries' filters, in days.
QUERY_WINDOW_DAYS = (30, 730)
SEARCH_LIMIT = 10
#: Seconds of queries per engine at most: DuckDB FTS scores every row of the table for each query (about
#: 0.5 s a query on 30,000 documents in development, so minutes for 240 on 100,000); an engine that
#: runs out of time is measured on the queries it ran, the same first ones for every engine.
QUERY_BUDGET_S = 150.0
_STOP = frozenset(
    "that with from this have were been their they said will would about after which there what when than "
    "more into also other some could over such only them then these those most very just where while being "
    "your does here each much many even like make made before because under between through during".split()
)

#: "Flat" memory: peak RSS grows by less than this from a quarter of the corpus to all of it (4x the
#: records); allocator high-water marks and DuckDB's buffer cache move the peak by a few percent run to run.
MEMORY_FLAT_GROWTH = 0.10

TARGETS = {
    "scaling": 1.8,  # 2 workers vs 1
    "ingest_vs_extract": 0.80,
    "near_recall": 0.95,
    "near_precision": 0.99,
    "search_p95_ms": 50.0,
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- processes and memory ---------------------------------------------------------------------------------


def _proc_table(min_pid: int = 0) -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, RSS in KiB) of the processes in /proc numbered ``min_pid`` or more."""
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) < min_pid:
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        table[int(entry)] = (int(fields[1]), int(fields[21]) * page_kb)
    return table


class TreeRssSampler:
    """Peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = RSS_SAMPLE_S) -> None:
        self.pid, self.every = pid, every
        self.peak_tree_kb = self.peak_main_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            # Descendants get higher pids than the process (pids wrap only after millions of forks), and
            # skipping the others keeps the sampler's own CPU cost small on a busy machine.
            table = _proc_table(self.pid)
            children: dict[int, list[int]] = defaultdict(list)
            for pid, (ppid, _) in table.items():
                children[ppid].append(pid)
            total, stack = 0, [self.pid]
            while stack:
                pid = stack.pop()
                total += table.get(pid, (0, 0))[1]
                stack.extend(children.get(pid, []))
            self.peak_tree_kb = max(self.peak_tree_kb, total)
            self.peak_main_kb = max(self.peak_main_kb, table.get(self.pid, (0, 0))[1])
            self.samples += 1
            self._stop.wait(self.every)


def _pinned(cores: Sequence[int]) -> Callable[[], None]:
    def pin() -> None:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(cores))

    return pin


def remove_db(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal"), Path(str(db) + ".search"), Path(str(db) + ".shards")):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.exists():
            p.unlink()


def run_ingest(files: Sequence[Path], db: Path, workers: int, cores: Sequence[int], expected_records: int,
               per_record_timeout: float = INGEST_TIMEOUT_PER_RECORD_S) -> dict[str, Any]:
    """``newsmill ingest`` in a subprocess on ``cores``; its JSON report plus peak RSS and wall time."""
    cmd = [sys.executable, "-m", "newsmill", "ingest", *map(str, files), "--db", str(db), "--workers", str(workers),
           "--format", "json", "-q"]
    timeout = expected_records * per_record_timeout + INGEST_TIMEOUT_MARGIN_S
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_pinned(cores),
                            cwd=common.ROOT, start_new_session=True)
    with TreeRssSampler(proc.pid) as rss:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"ingest of {expected_records} records ran past {timeout:.0f}s; stopped") from None
    wall = time.monotonic() - started
    if proc.returncode not in (0, 1) or not out.strip():
        raise RuntimeError(f"newsmill ingest failed (exit {proc.returncode}): {err.strip()[-2000:]}")
    report, noise = _json_report(out)
    return {
        "workers": workers, "cores": list(cores), "records": report["run"]["records"], "seconds": report["seconds"],
        "wall_seconds": round(wall, 2), "pages_per_s": report["run"]["records"] / report["seconds"],
        "peak_rss_tree_mb": round(rss.peak_tree_kb / 1024, 1), "peak_rss_main_mb": round(rss.peak_main_kb / 1024, 1),
        "rss_samples": rss.samples, "store": report["store"], "run": report["run"], "exit": proc.returncode,
        "problems": report["problems"], "stdout_noise": noise,
    }


def _json_report(out: str) -> tuple[dict[str, Any], str]:
    """The report printed by ``--format json``, and whatever else reached stdout before it (DuckDB's own
    progress bar does when a query runs over 2 s: see the ingest section's notes)."""
    start = 0 if out.startswith("{") else out.find("\n{\n") + 1
    if start == 0 and not out.startswith("{"):
        raise RuntimeError(f"no JSON report on stdout: {out[:300]!r}")
    return json.loads(out[start:]), out[:start].strip()[:500]


def _bare_extract(files: list[str], core: int) -> dict[str, Any]:
    """In a forked child pinned to ``core``: newsmill.extract on every page record; only the call is timed."""
    common.pin_to_core(core)
    import newsmill
    from newsmill.readers.collections import InputRecord, read_warc

    newsmill.extract("<html><body><p>warm up the line models</p></body></html>")
    seconds, pages, failed, skipped = 0.0, 0, 0, 0
    for name in files:
        for rec in read_warc(Path(name)):
            if not isinstance(rec, InputRecord):
                skipped += 1
                continue
            t0 = time.perf_counter()
            try:
                newsmill.extract(rec.content, url=rec.url)
            except Exception:  # noqa: BLE001 - counted; ingest rejects these pages too
                failed += 1
            seconds += time.perf_counter() - t0
            pages += 1
    return {"pages": pages, "seconds": seconds, "failed": failed, "not_pages": skipped,
            "pages_per_s": pages / seconds if seconds else 0.0, "peak_rss_mb": round(common.peak_rss_kb() / 1024, 1)}


def bare_extraction(files: Sequence[Path], core: int) -> dict[str, Any]:
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_bare_extract, ([str(f) for f in files], core))


# --- part 1: throughput and memory ------------------------------------------------------------------------


def part_throughput(corpus: Corpus, work: Path, keep: dict[str, Path]) -> dict[str, Any]:
    cores = common.usable_cores(2)
    one, two = cores[:1], cores[:2]
    res: dict[str, Any] = {"records": corpus.records, "cores": cores}
    log(f"throughput: bare extraction of {corpus.records:,} records on core {one[0]}")
    res["bare"] = bare_extraction(corpus.files, one[0])
    log(f"  {res['bare']['pages_per_s']:.1f} pages/s")
    for workers, cpu in ((1, one), (2, two)):
        db = work / f"full-{workers}w.duckdb"
        remove_db(db)
        log(f"throughput: ingest {corpus.records:,} records, {workers} worker(s) on cores {cpu}")
        res[f"ingest_{workers}w"] = r = run_ingest(corpus.files, db, workers, cpu, corpus.records)
        log(f"  {r['pages_per_s']:.1f} pages/s, peak RSS {r['peak_rss_tree_mb']:.0f} MB (tree)")
        if workers == 2:
            keep["full"] = db
        else:
            remove_db(db)
    # Ingest rate over the same pages: the bare run extracts the page records, the ingest also reads and
    # rejects the few non-page ones; both clocks cover the same page records.
    res["scaling"] = res["ingest_2w"]["pages_per_s"] / res["ingest_1w"]["pages_per_s"]
    res["ingest_vs_extract"] = res["bare"]["seconds"] / res["ingest_1w"]["seconds"]
    memory = []
    for share in (4, 2):
        files, n = corpus.prefix(corpus.records // share)
        db = work / f"prefix-{n}.duckdb"
        remove_db(db)
        log(f"memory: ingest the first {n:,} records, 2 workers")
        r = run_ingest(files, db, 2, two, n)
        memory.append({"records": n, "peak_rss_tree_mb": r["peak_rss_tree_mb"], "peak_rss_main_mb": r["peak_rss_main_mb"],
                       "pages_per_s": r["pages_per_s"]})
        if share == 4:
            keep["quarter"] = db
            res["quarter_ingest"] = r | {"files": [f.name for f in files]}
        else:
            remove_db(db)
    full = res["ingest_2w"]
    memory.append({"records": corpus.records, "peak_rss_tree_mb": full["peak_rss_tree_mb"],
                   "peak_rss_main_mb": full["peak_rss_main_mb"], "pages_per_s": full["pages_per_s"]})
    res["memory"] = memory
    first, last = memory[0]["peak_rss_tree_mb"], memory[-1]["peak_rss_tree_mb"]
    res["memory_growth"] = (last - first) / first if first else None
    return res


# --- part 2: deduplication --------------------------------------------------------------------------------


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(labels: dict[str, str], story: dict[str, str], base_of: dict[str, str],
                    ambiguous: list[tuple[str, str]]) -> dict[str, Any]:
    """Pairwise precision/recall of predicted clusters ``labels`` (record -> cluster) against ``story``
    (record -> true story); predicted pairs between the records of an ambiguous pair of originals are excused."""
    recs = [r for r in labels if r in story]
    by_pred: dict[str, list[str]] = defaultdict(list)
    for r in recs:
        by_pred[labels[r]].append(r)
    true_pairs = sum(_pairs(n) for n in Counter(story[r] for r in recs).values())
    pred_pairs = sum(_pairs(len(m)) for m in by_pred.values())
    tp = sum(_pairs(n) for n in Counter((labels[r], story[r]) for r in recs).values())
    excused = 0
    if ambiguous:
        amb = {(a, b) for a, b in ambiguous} | {(b, a) for a, b in ambiguous}
        for members in by_pred.values():
            bases = Counter(base_of[r] for r in members)
            if len(bases) < 2:
                continue
            keys = sorted(bases)
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    if (a, b) in amb:
                        excused += bases[a] * bases[b]
    judged = pred_pairs - excused
    return {"records": len(recs), "true_pairs": true_pairs, "predicted_pairs": pred_pairs, "excused_pairs": excused,
            "true_positives": tp, "precision": tp / judged if judged else 1.0, "recall": tp / true_pairs if true_pairs else 1.0}


def _normalized(text: str) -> str:
    return " ".join(w.lower() for w in re.findall(r"\w+", text))


def peer_datasketch(bodies: dict[str, str]) -> tuple[dict[str, str], float]:
    """datasketch's own MinHash + in-memory MinHashLSH at newsmill's threshold; a candidate is a link."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=PEER_NUM_PERM)
    sigs = {}
    for doc, text in bodies.items():
        mh = MinHash(num_perm=PEER_NUM_PERM)
        mh.update_batch([s.encode("utf-8") for s in shingles(text)] or [b""])
        sigs[doc] = mh
        lsh.insert(doc, mh)
    uf = UnionFind()
    for doc, mh in sigs.items():
        uf.find(doc)
        for other in lsh.query(mh):
            uf.union(doc, other)
    return {d: uf.find(d) for d in bodies}, time.perf_counter() - started


def peer_exact(bodies: dict[str, str]) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    first: dict[str, str] = {}
    labels = {d: first.setdefault(_normalized(t), d) for d, t in bodies.items()}
    return labels, time.perf_counter() - started


KIND_HIT, KIND_UNEVALUABLE = "in original's cluster", "not evaluable"


def part_dedup(corpus: Corpus, db: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    pages = {url: (outcome, aid) for url, outcome, aid in con.execute("SELECT url, outcome, article_id FROM pages").fetchall()}
    docs = {i: (cluster, body or []) for i, cluster, body in con.execute("SELECT id, cluster_id, body FROM documents").fetchall()}
    dup_reasons = dict(con.execute("SELECT article_id, reason FROM duplicates").fetchall())
    rejections = dict(con.execute("SELECT reason, count(*) FROM rejections GROUP BY 1").fetchall())
    counts = con.execute(
        "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM documents), (SELECT count(*) FROM duplicates)").fetchone()
    con.close()
    assert counts is not None

    # Truth: stories are originals merged through natural pairs at or above NATURAL_SAME_JACCARD.
    uf = UnionFind()
    for ref in corpus.bases:
        uf.find(ref)
    ambiguous = []
    for a, b, j in corpus.natural:
        if j >= corpus_mod.NATURAL_SAME_JACCARD:
            uf.union(a, b)
    for a, b, j in corpus.natural:
        if j < corpus_mod.NATURAL_SAME_JACCARD and uf.find(a) != uf.find(b):
            ambiguous.append((a, b))
    truth = {t.url: t for t in corpus.truth}
    missing = [u for u in truth if u not in pages]
    stored = {u: pages[u][1] for u, t in truth.items() if t.base and u in pages and pages[u][1] in docs}
    story = {u: uf.find(truth[u].base) for u in stored}  # type: ignore[arg-type]
    base_of = {u: truth[u].base for u in stored}  # type: ignore[misc]
    newsmill_labels = {u: docs[d][0] for u, d in stored.items()}
    bodies = {d: "\n".join(docs[d][1]) for d in set(stored.values())}
    res: dict[str, Any] = {
        "records": len(truth), "pages_rows": counts[0], "documents": counts[1], "duplicates_rows": counts[2],
        "records_missing_from_store": len(missing), "rejections": rejections,
        "planted": dict(Counter(t.kind for t in truth.values())),
        "natural_pairs_same": sum(1 for *_, j in corpus.natural if j >= corpus_mod.NATURAL_SAME_JACCARD),
        "natural_pairs_ambiguous": len(ambiguous), "evaluated_records": len(stored),
    }
    res["newsmill"] = pairwise_scores(newsmill_labels, story, base_of, ambiguous)  # type: ignore[arg-type]
    for name, peer in (("datasketch", peer_datasketch), ("exact_hash", peer_exact)):
        doc_labels, seconds = peer(bodies)
        labels = {u: doc_labels[d] for u, d in stored.items()}
        res[name] = pairwise_scores(labels, story, base_of, ambiguous)  # type: ignore[arg-type]
        res[name]["seconds"] = round(seconds, 2)
        log(f"dedup peer {name}: P {res[name]['precision']:.3f} R {res[name]['recall']:.3f} in {seconds:.1f}s")

    # Recall per kind of copy: is the copy in its original's cluster? And the true Jaccard of each near copy.
    original_url = {t.base: u for u, t in truth.items() if t.kind == "original"}
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    jaccards: dict[str, list[float]] = defaultdict(list)
    accounting: Counter[str] = Counter()
    for u, t in truth.items():
        if t.kind in ("original", "non_page"):
            continue
        ou = original_url.get(t.base)
        c = per_kind[t.kind]
        if u not in stored or ou not in stored:
            c[KIND_UNEVALUABLE] += 1
            continue
        same = newsmill_labels[u] == newsmill_labels[ou]  # type: ignore[index]
        c[KIND_HIT if same else "missed"] += 1
        if t.kind.startswith("rewrap"):
            jaccards[t.kind].append(corpus_mod.jaccard(shingles(bodies[stored[u]]), shingles(bodies[stored[ou]])))  # type: ignore[index]
        if t.kind in ("exact", "tracking"):
            doc = stored[u]
            if doc == stored[ou]:  # type: ignore[index]
                accounting["same document as the original (same id)"] += 1
            elif same:
                reason = dup_reasons.get(doc)
                accounting[f"own document, duplicate ({reason} vs the canonical)" if reason else "own document, canonical of the cluster"] += 1
            else:
                accounting["not linked to the original"] += 1
    res["per_kind"] = {k: dict(v) for k, v in per_kind.items()}
    res["exact_copy_accounting"] = dict(accounting)
    res["near_copy_jaccard"] = {k: _percentiles(v, (0, 1, 5, 50)) for k, v in jaccards.items()}
    return res


def _percentiles(values: list[float], ps: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)
    return {f"p{p:g}": round(s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))], 4) for p in ps} | {"n": len(s)}


# --- part 3: search ---------------------------------------------------------------------------------------


def make_queries(db: Path, n: int, seed: int) -> list[tuple[str, dt.date, dt.date]]:
    """Two-word queries from the titles (or bodies) of random stored articles, each with a date window."""
    import duckdb

    rng = random.Random(seed)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT title, body[1] FROM articles USING SAMPLE reservoir(2000 ROWS) REPEATABLE (7)").fetchall()
    con.close()
    queries = []
    for title, first in rows:
        words = [w for w in re.findall(r"[^\W\d_]+", f"{title or ''} {first or ''}")
                 if len(w) >= QUERY_WORD_MIN_LETTERS and w.lower() not in _STOP]
        words = list(dict.fromkeys(w.lower() for w in words))
        if len(words) < 2:
            continue
        since = dt.date(corpus_mod.SEARCH_YEARS[0], 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 10))
        until = since + dt.timedelta(days=rng.randint(*QUERY_WINDOW_DAYS))
        queries.append((" ".join(rng.sample(words[:8], 2)), since, until))
        if len(queries) >= n + WARMUP_QUERIES:
            break
    return queries


def _latencies(run: Callable[[str, dt.date, dt.date], int], queries: list[tuple[str, dt.date, dt.date]]) -> dict[str, Any]:
    times, hits = [], []
    started = time.monotonic()
    for i, (q, since, until) in enumerate(queries):
        if time.monotonic() - started > QUERY_BUDGET_S:
            break
        t0 = time.perf_counter()
        found = run(q, since, until)
        if i >= WARMUP_QUERIES:
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(found)
    s = sorted(times)

    def pct(p: float) -> float:
        return s[min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1)]

    return {"queries": len(s), "stopped_by_budget": len(s) < len(queries) - WARMUP_QUERIES, "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "mean_ms": sum(s) / len(s),
            "queries_with_hits": sum(1 for h in hits if h), "mean_hits": sum(hits) / len(hits)}


def _fts_extension_path() -> str | None:
    try:
        import duckdb_extension_fts  # the pinned extension as a wheel: loads offline
    except ImportError:
        return None
    path = Path(duckdb_extension_fts.__file__).parent / "extensions" / "v1.5.5" / "fts.duckdb_extension"
    return str(path) if path.is_file() else None


def part_search(corpus: Corpus, work: Path, size: int, n_queries: int, seed: int) -> dict[str, Any]:
    import newsmill

    res: dict[str, Any] = {"documents_requested": size}
    t0 = time.monotonic()
    jsonl = corpus_mod.search_collection(corpus, size, seed)
    res["collection_seconds"] = round(time.monotonic() - t0, 1)
    db = work / f"search-{size}.duckdb"
    remove_db(db)
    log(f"search: ingesting {size:,} Article JSON objects ({jsonl.name}), 2 workers")
    r = run_ingest([jsonl], db, 2, common.usable_cores(2), size, per_record_timeout=IMPORT_TIMEOUT_PER_ARTICLE_S)
    res["build"] = {k: r[k] for k in ("seconds", "pages_per_s", "peak_rss_tree_mb", "store", "run")}
    res["articles"] = r["store"]["articles"]
    queries = make_queries(db, n_queries, seed)
    res["query_examples"] = [f"{q} [{a}..{b}]" for q, a, b in queries[WARMUP_QUERIES : WARMUP_QUERIES + 5]]
    log(f"search: {len(queries) - WARMUP_QUERIES} queries through newsmill.search")

    def via_newsmill(q: str, since: dt.date, until: dt.date) -> int:
        return len(newsmill.search(q, db=db, since=since, until=until, limit=SEARCH_LIMIT).hits)

    res["newsmill"] = _latencies(via_newsmill, queries)
    res["newsmill"]["engine"] = "tantivy (newsmill.search, index opened per call)"

    import duckdb

    # The peers index the same canonical articles: title, then dek and body as one text, and the instant.
    docs_sql = ("SELECT id, coalesce(title, '') AS title, concat_ws(chr(10), dek, array_to_string(body, chr(10))) AS body, "
                "published_utc AS published FROM {src}articles ORDER BY id")
    fts = _fts_extension_path()
    if fts is None:
        res["duckdb_fts"] = {"error": "duckdb-extension-fts==1.5.5 is not installed (pip install -e '.[bench]')"}
    else:
        dpath = work / "peer-fts.duckdb"
        remove_db(dpath)
        dcon = duckdb.connect(str(dpath))
        dcon.execute(f"LOAD '{fts}'")
        t0 = time.monotonic()
        dcon.execute(f"ATTACH '{db}' AS nm (READ_ONLY)")
        dcon.execute("CREATE TABLE docs AS " + docs_sql.format(src="nm."))
        dcon.execute("DETACH nm")
        dcon.execute("PRAGMA create_fts_index('docs', 'id', 'title', 'body', stemmer = 'english')")
        build = time.monotonic() - t0
        sql = ("SELECT id, score FROM (SELECT id, fts_main_docs.match_bm25(id, ?) AS score FROM docs "
               "WHERE published >= ? AND published < ?) WHERE score IS NOT NULL ORDER BY score DESC LIMIT ?")

        def via_duckdb(q: str, since: dt.date, until: dt.date) -> int:
            return len(dcon.execute(sql, [q, since, until + dt.timedelta(days=1), SEARCH_LIMIT]).fetchall())

        log("search: DuckDB FTS")
        res["duckdb_fts"] = _latencies(via_duckdb, queries) | {"index_seconds": round(build, 1)}
        dcon.close()
        remove_db(dpath)

    spath = work / "peer-fts5.sqlite"
    if spath.exists():
        spath.unlink()
    scon = sqlite3.connect(spath)
    t0 = time.monotonic()
    scon.execute("CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, published TEXT)")
    scon.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'porter unicode61')")
    con = duckdb.connect(str(db), read_only=True)
    cur = con.execute(docs_sql.format(src=""))
    rowid = 0
    while rows := cur.fetchmany(5000):  # streamed: 100,000 bodies need not sit in memory at once
        numbered = list(enumerate(rows, start=rowid))
        rowid += len(rows)
        scon.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                         [(i, d[0], d[3].astimezone(dt.UTC).isoformat() if d[3] else None) for i, d in numbered])
        scon.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", [(i, d[1], d[2]) for i, d in numbered])
    con.close()
    scon.execute("CREATE INDEX docs_published ON docs (published)")
    scon.commit()
    sbuild = time.monotonic() - t0
    # Title weighted like newsmill's title boost; the two words OR-ed, as tantivy and DuckDB FTS do by default.
    ssql = ("SELECT d.id FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND d.published >= ? "
            "AND d.published < ? ORDER BY bm25(fts, 2.0, 1.0) LIMIT ?")

    def via_sqlite(q: str, since: dt.date, until: dt.date) -> int:
        match = " OR ".join(f'"{w}"' for w in q.split())
        return len(scon.execute(ssql, [match, since.isoformat(), (until + dt.timedelta(days=1)).isoformat(), SEARCH_LIMIT]).fetchall())

    log("search: SQLite FTS5")
    res["sqlite_fts5"] = _latencies(via_sqlite, queries) | {"index_seconds": round(sbuild, 1)}
    scon.close()
    spath.unlink()
    remove_db(db)
    return res


# --- part 4: kill -9 ---------------------------------------------------------------------------------------


def _store_state(db: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)

    def q(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    state = {
        "pages": q("SELECT count(*) FROM pages"),
        "distinct_record_keys": q("SELECT count(DISTINCT record_key) FROM pages"),
        "documents": q("SELECT count(*) FROM documents"),
        "distinct_document_ids": q("SELECT count(DISTINCT id) FROM documents"),
        "documents_sharing_a_record": q("SELECT count(*) - count(DISTINCT record_key) FROM documents"),
        "duplicates": q("SELECT count(*) FROM duplicates"),
        "same_document": q("SELECT count(*) FROM pages WHERE outcome = 'same-document'"),
        "rejections": q("SELECT count(*) FROM rejections"),
        "canonical": q("SELECT count(*) FROM articles"),
        "clusters": sorted(con.execute("SELECT id, cluster_id FROM documents").fetchall()),
        "duplicate_rows": sorted(con.execute("SELECT article_id, canonical_id, reason FROM duplicates").fetchall()),
        "runs": con.execute("SELECT status, count(*) FROM runs GROUP BY 1 ORDER BY 1").fetchall(),
    }
    con.close()
    return state


def _stored_records(db: Path) -> int:
    """Records in ``pages`` of a database a killed ingest left behind (0 when it died before creating it)."""
    import duckdb

    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM pages").fetchone()
        return int(row[0]) if row else 0
    except duckdb.CatalogException:
        return 0
    finally:
        con.close()


def _index_docs(db: Path) -> int | None:
    import tantivy

    path = Path(str(db) + ".search")
    if not path.is_dir():
        return None
    from newsmill.store.search import _schema

    index = tantivy.Index(_schema(), path=str(path), reuse=True)
    index.reload()
    return int(index.searcher().num_docs)


def kill_records(corpus: Corpus) -> int:
    """5,000 records, the quarter of the full corpus (so the quarter run of the memory part is its
    uninterrupted reference); a quarter of a smaller corpus."""
    return min(KILL_RECORDS, corpus.records // 4)


def part_kill(corpus: Corpus, work: Path, kills: int, seed: int, reference: Path | None,
              reference_run: dict[str, Any] | None) -> dict[str, Any]:
    files, n = corpus.prefix(kill_records(corpus))
    cores = common.usable_cores(2)
    res: dict[str, Any] = {"records": n, "files": len(files), "kills_requested": kills}
    own_reference = reference is None or reference_run is None or reference_run["files"] != [f.name for f in files]
    if own_reference:
        reference = work / f"kill-reference-{n}.duckdb"
        remove_db(reference)
        log(f"kill: uninterrupted reference ingest of {n:,} records")
        reference_run = run_ingest(files, reference, 2, cores, n)
    assert reference is not None and reference_run is not None
    ref_state = _store_state(reference)
    if own_reference:
        remove_db(reference)
    startup = max(1.0, reference_run["wall_seconds"] - reference_run["seconds"])
    per_record = reference_run["seconds"] / max(1, n)
    db = work / f"kill-{n}.duckdb"
    remove_db(db)
    rng = random.Random(seed + 9)
    landed, tries, events, stored = 0, 0, [], 0
    cmd = [sys.executable, "-m", "newsmill", "ingest", *map(str, files), "--db", str(db), "--workers", "2", "-q"]
    while landed < kills and tries < kills * MAX_KILL_TRIES_FACTOR:
        tries += 1
        if rng.random() < STARTUP_KILL_SHARE:
            delay = rng.uniform(KILL_MIN_DELAY_S, startup)
        else:
            delay = startup + rng.uniform(0, 2 * (n - stored) * per_record / (kills - landed + 1))
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_pinned(cores),
                                cwd=common.ROOT, start_new_session=True)
        try:
            proc.wait(timeout=delay)
            events.append({"delay_s": round(delay, 2), "killed": False, "exit": proc.returncode})
            stored = _stored_records(db)
            if stored >= n:
                break  # the ingest finished between kills: later kills could only hit no-op runs
            continue
        except subprocess.TimeoutExpired:
            pass
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, as a crash or OOM kill would
        proc.wait()
        landed += 1
        stored = _stored_records(db)
        events.append({"delay_s": round(delay, 2), "killed": True, "pages_stored_after": stored})
        log(f"kill {landed}: after {delay:.1f}s, {stored} records stored")
        if stored >= n:
            break
    res["kills_landed"], res["tries"], res["events"] = landed, tries, events
    final = run_ingest(files, db, 2, cores, n)
    state = _store_state(db)
    res["final_run"] = {k: final[k] for k in ("records", "seconds", "run", "store", "exit")}
    res["index_docs"] = _index_docs(db)
    st = final["store"]
    checks = {
        "every input record stored once (pages == input records)": state["pages"] == n == state["distinct_record_keys"],
        "articles + duplicates + rejections == input records": st["articles"] + st["duplicates"] + st["rejections"] == n,
        "no document twice (ids and record keys unique)": state["documents"] == state["distinct_document_ids"]
        and state["documents_sharing_a_record"] == 0,
        "same documents and clusters as an uninterrupted ingest": state["clusters"] == ref_state["clusters"]
        and state["duplicate_rows"] == ref_state["duplicate_rows"],
        "search index holds exactly the canonical articles": res["index_docs"] == state["canonical"],
    }
    res["checks"] = checks
    res["passed"] = all(checks.values()) and landed == kills
    res["store"] = {k: v for k, v in state.items() if k not in ("clusters", "duplicate_rows")}
    res["reference_store"] = {k: v for k, v in ref_state.items() if k not in ("clusters", "duplicate_rows")}
    remove_db(db)
    return res


# --- report -----------------------------------------------------------------------------------------------


SMALLER = "not judged: run below the target's size"


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def render(report: dict[str, Any]) -> str:
    p = {name: part for name, part in report["parts"].items() if "error" not in part}
    errors = {name: part["error"] for name, part in report["parts"].items() if "error" in part}
    out = ["## Ingest", ""]
    out.append(f"Generated {report['generated']} by `{report['command']}` "
               f"({'**quick validation run on a busy machine: not figures of record**' if report['quick'] else 'full run'}).")
    runs = {name: part.get("generated") for name, part in report["parts"].items()}
    if any(when != report["generated"] for when in runs.values()):
        out.append("Parts kept from earlier runs of the same corpus (`--only`): "
                   + ", ".join(f"{name} {when}" for name, when in runs.items()) + ".")
    m = report["machine"]
    out += [f"Machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, {m['platform']}.", ""]
    c = report["corpus"]
    kinds = ", ".join(f"{k} {v:,}" for k, v in c["kinds"].items())
    out += [f"Corpus: {c['records']:,} WARC response records in {c['files']} WARC.gz files, built from the benchmark "
            f"pages by `benchmarks/ingest_corpus.py` (seed {c['seed']}): {kinds}. Originals with natural duplicates "
            f"among the benchmark pages: {c['natural_same']} pairs with shingle Jaccard ≥ {corpus_mod.NATURAL_SAME_JACCARD} "
            f"(same story), {c['natural_ambiguous']} pairs between {corpus_mod.NATURAL_DIFFERENT_JACCARD} and "
            f"{corpus_mod.NATURAL_SAME_JACCARD} (left out of the pairwise scores).", ""]
    if "throughput" in p:
        t = p["throughput"]
        out += ["### Throughput and memory", "",
                "Each ingest is `newsmill ingest FILES --db NEW --workers N --format json` in a subprocess (its own report's "
                "seconds: reading, extraction, fingerprints, deduplication, store and search index; not the interpreter's "
                "start-up). One worker runs inline, pinned to one core with its DuckDB and tantivy threads; two workers run "
                "on two cores beside the writer process. Bare extraction is `newsmill.extract` on the same page records in "
                "one process pinned to the same core, timing only the call. RSS is summed over the ingest process and its "
                f"children every {RSS_SAMPLE_S}s from /proc.", "",
                "| run | records | seconds | pages/s | peak RSS, process tree MB | peak RSS, main process MB |", "|---|---|---|---|---|---|",
                f"| bare extraction (`newsmill.extract`, 1 core, no store) | {t['bare']['pages']:,} pages | {t['bare']['seconds']:.1f} "
                f"| {t['bare']['pages_per_s']:.1f} | | {t['bare']['peak_rss_mb']:.0f} |"]
        for w in (1, 2):
            r = t[f"ingest_{w}w"]
            out.append(f"| `newsmill ingest --workers {w}` ({len(r['cores'])} core{'s' if len(r['cores']) > 1 else ''}) | {r['records']:,} "
                       f"| {r['seconds']:.1f} | {r['pages_per_s']:.1f} | {r['peak_rss_tree_mb']:.0f} | {r['peak_rss_main_mb']:.0f} |")
        out += ["", "Peak RSS against corpus size (2 workers; the process tree is the writer plus its workers):", "",
                "| records | peak RSS, tree MB | peak RSS, main MB | pages/s |", "|---|---|---|---|"]
        out += [f"| {r['records']:,} | {r['peak_rss_tree_mb']:.0f} | {r['peak_rss_main_mb']:.0f} | {r['pages_per_s']:.1f} |" for r in t["memory"]]
        out.append("")
    if "dedup" in p:
        d = p["dedup"]
        out += ["### Duplicates", "",
                f"Pairwise scores over the {d['evaluated_records']:,} records stored as documents (a pair is two records of "
                "one story; predicted: the same cluster). Peers run in the same process over the same extracted bodies.", "",
                "| method | precision | recall | true pairs | predicted pairs | excused (ambiguous) | seconds |", "|---|---|---|---|---|---|---|"]
        for name, label in (("newsmill", "**newsmill** (exact + URL + MinHash LSH in the store)"),
                            ("datasketch", f"datasketch MinHashLSH (threshold {NEAR_DUPLICATE_JACCARD}, {PEER_NUM_PERM} perm, in memory)"),
                            ("exact_hash", "exact hash of the normalized body")):
            r = d[name]
            out.append(f"| {label} | {r['precision']:.4f} | {r['recall']:.4f} | {r['true_pairs']:,} | {r['predicted_pairs']:,} "
                       f"| {r['excused_pairs']:,} | {r.get('seconds', '—')} |")
        out += ["", "Planted copies (newsmill): is each copy in its original's cluster? Not evaluable: the copy or its "
                "original was rejected (no article). Jaccard: true shingle Jaccard of the stored bodies, copy vs original.", "",
                "| copy | planted | in original's cluster | missed | not evaluable | Jaccard p1 / p5 / median |", "|---|---|---|---|---|---|"]
        for kind in ("exact", "tracking", "rewrap", "rewrap_edit"):
            v, jac = d["per_kind"].get(kind, {}), d["near_copy_jaccard"].get(kind, {})
            js = f"{jac['p1']:.2f} / {jac['p5']:.2f} / {jac['p50']:.2f}" if jac else ""
            out.append(f"| {kind} | {d['planted'].get(kind, 0):,} | {v.get(KIND_HIT, 0):,} | {v.get('missed', 0):,} "
                       f"| {v.get(KIND_UNEVALUABLE, 0):,} | {js} |")
        out += ["", "Byte-identical copies (exact, tracking): " + ", ".join(f"{n:,} {w}" for w, n in sorted(d["exact_copy_accounting"].items())) + ".",
            "", "Rejections: " + ", ".join(f"{k} {v:,}" for k, v in sorted(d["rejections"].items())) + ".", ""]
    if "search" in p:
        s = p["search"]
        st = s["build"]["store"]
        out += ["### Search", "",
                f"{s['articles']:,} articles ({st['records']:,} records: {st['duplicates']} found duplicates, "
                f"{st['rejections']} rejected; built in {s['build']['seconds']:.0f}s by ingesting a JSONL of Article objects "
                "composed from the corpus' extracted articles: one original's headline, a body of paragraphs drawn from the whole "
                "corpus, a date in 2015-2025, one of 40 publishers). Two-word queries from stored titles, OR semantics, with a "
                f"date window of {QUERY_WINDOW_DAYS[0]}-{QUERY_WINDOW_DAYS[1]} days, top {SEARCH_LIMIT}; e.g. "
                + "; ".join(f"`{q}`" for q in s["query_examples"][:3]) + ". Latency is the whole call: `newsmill.search` "
                "opens the index each time (as the CLI does); DuckDB FTS is `match_bm25` with the date filter in SQL, "
                "SQLite FTS5 a `MATCH` joined to an indexed date column, both ranked by BM25 (title weighted 2 in FTS5). "
                f"Each engine gets at most {QUERY_BUDGET_S:.0f}s of queries.", "",
                "| engine | queries | p50 ms | p95 ms | p99 ms | queries with hits | index build s |", "|---|---|---|---|---|---|---|"]
        for name, label in (("newsmill", "**newsmill** (`newsmill.search`, tantivy)"), ("duckdb_fts", "DuckDB FTS 1.5.5"),
                            ("sqlite_fts5", "SQLite FTS5")):
            r = s.get(name, {})
            if "p50_ms" not in r:
                out.append(f"| {label} | {r.get('error', 'not run')} | | | | | |")
                continue
            budget = " (time budget)" if r.get("stopped_by_budget") else ""
            out.append(f"| {label} | {r['queries']}{budget} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
                       f"| {r['queries_with_hits']} | {r.get('index_seconds', round(s['build']['seconds']))} |")
        out.append("")
    if "kill" in p:
        k = p["kill"]
        out += ["### kill -9", "",
                f"{k['kills_landed']} SIGKILLs (of the whole process group) at random moments during an ingest of {k['records']:,} "
                f"records ({k['tries']} tries{'; the ingest completed before the other kills' if k['kills_landed'] < k['kills_requested'] else ''}), "
                "then a final run. Records stored after each kill: "
                + ", ".join(str(e["pages_stored_after"]) for e in k["events"] if e["killed"]) + ".", "",
                "| check | |", "|---|---|"]
        out += [f"| {name} | {'pass' if ok else '**fail**'} |" for name, ok in k["checks"].items()]
        out.append("")
    for name, error in errors.items():
        out += [f"### {name}: failed in this run", "", f"`{error}`", ""]
    out += render_targets(p)
    return "\n".join(out)


def render_targets(p: dict[str, Any]) -> list[str]:
    rows = []
    if "throughput" in p:
        t = p["throughput"]
        rows.append((f"2 workers ≥ {TARGETS['scaling']}× one worker", f"{t['scaling']:.2f}×", _met(t["scaling"] >= TARGETS["scaling"])))
        rows.append((f"whole ingest ≥ {TARGETS['ingest_vs_extract']:.0%} of bare extraction speed", f"{t['ingest_vs_extract']:.0%}",
                     _met(t["ingest_vs_extract"] >= TARGETS["ingest_vs_extract"])))
        mem = ", ".join(f"{r['peak_rss_tree_mb']:.0f}" for r in t["memory"])
        growth = t.get("memory_growth")
        rows.append((f"peak memory flat in corpus size (< {MEMORY_FLAT_GROWTH:.0%} growth from 1/4 to all)",
                     f"{mem} MB ({growth:+.0%})" if growth is not None else mem,
                     _met(growth is not None and growth < MEMORY_FLAT_GROWTH)))
    if "dedup" in p:
        d = p["dedup"]["newsmill"]
        rows.append((f"near-duplicate recall ≥ {TARGETS['near_recall']}", f"{d['recall']:.4f}", _met(d["recall"] >= TARGETS["near_recall"])))
        rows.append((f"near-duplicate precision ≥ {TARGETS['near_precision']}", f"{d['precision']:.4f}",
                     _met(d["precision"] >= TARGETS["near_precision"])))
    if "search" in p and "p95_ms" in p["search"].get("newsmill", {}):
        s = p["search"]
        full_size = s["articles"] >= DEFAULT_SEARCH_DOCS * 0.99
        rows.append((f"search p95 < {TARGETS['search_p95_ms']:.0f} ms on {DEFAULT_SEARCH_DOCS:,} articles", f"{s['newsmill']['p95_ms']:.1f} ms on {s['articles']:,}",
                     _met(s["newsmill"]["p95_ms"] < TARGETS["search_p95_ms"]) if full_size else SMALLER))
    if "kill" in p:
        k = p["kill"]
        rows.append((f"kill -9 ×{k['kills_requested']} during a {KILL_RECORDS:,}-record ingest: all counts right, nothing twice",
                     f"{k['kills_landed']} kills, {sum(k['checks'].values())}/{len(k['checks'])} checks on {k['records']:,} records",
                     _met(k["passed"]) if k["records"] >= KILL_RECORDS else SMALLER))
    if not rows:
        return []
    out = ["### Targets (issue 3), from this run", "", "| target | measured | |", "|---|---|---|"]
    return out + [f"| {t} | {m} | {ok} |" for t, m, ok in rows]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=None, help=f"corpus size (default {DEFAULT_RECORDS:,})")
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_RECORDS} records, {QUICK_SEARCH_DOCS:,} search documents")
    ap.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {','.join(PARTS)}")
    ap.add_argument("--search-docs", type=int, default=None, help=f"search collection size (default {DEFAULT_SEARCH_DOCS:,})")
    ap.add_argument("--queries", type=int, default=DEFAULT_QUERIES)
    ap.add_argument("--kills", type=int, default=DEFAULT_KILLS)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--no-write", action="store_true", help="print only; do not write results or BENCHMARKS.md")
    ap.add_argument("--render", action="store_true", help="only rewrite BENCHMARKS.md from the saved results JSON")
    args = ap.parse_args(argv)
    if args.render:
        saved = common.RESULTS / ("ingest-quick.json" if args.quick else "ingest.json")
        common.write_section(common.BENCHMARKS_MD, "ingest", render(json.loads(saved.read_text(encoding="utf-8"))))
        return 0
    parts = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) {sorted(unknown)}; choose from {', '.join(PARTS)}")
    records = args.records or (QUICK_RECORDS if args.quick else DEFAULT_RECORDS)
    if not common.BENCH_DATA.is_dir() and corpus_mod.load_corpus(records, args.seed) is None:
        print(f"benchmark data not found at {common.BENCH_DATA}, and no cached corpus of {records} records", file=sys.stderr)
        return 2
    search_docs = args.search_docs or (QUICK_SEARCH_DOCS if args.quick else DEFAULT_SEARCH_DOCS)
    started = time.monotonic()
    corpus = corpus_mod.build_corpus(records, args.seed, log=log)
    work = corpus_mod.CORPUS_ROOT / "runs"
    work.mkdir(parents=True, exist_ok=True)
    keep: dict[str, Path] = {}
    results_path = common.RESULTS / ("ingest-quick.json" if args.quick else "ingest.json")
    previous = json.loads(results_path.read_text()) if results_path.is_file() else {}
    same_corpus = previous.get("corpus", {}).get("records") == corpus.records and previous.get("corpus", {}).get("seed") == args.seed
    report: dict[str, Any] = {
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/ingest.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "quick": args.quick, "machine": common.machine_info(),
        "corpus": {"records": corpus.records, "files": len(corpus.files), "seed": args.seed,
                   "kinds": dict(Counter(t.kind for t in corpus.truth)),
                   "natural_same": sum(1 for *_, j in corpus.natural if j >= corpus_mod.NATURAL_SAME_JACCARD),
                   "natural_ambiguous": sum(1 for *_, j in corpus.natural if j < corpus_mod.NATURAL_SAME_JACCARD)},
        # Parts not run this time are kept from the previous run of the same corpus (each says when it ran).
        "parts": dict(previous.get("parts", {})) if same_corpus else {},
    }
    def dedup_part() -> dict[str, Any]:
        db = keep.get("full")
        if db is None:
            db = work / "dedup.duckdb"
            remove_db(db)
            log(f"dedup: ingest {corpus.records:,} records, 2 workers")
            keep["full"] = db
            run_ingest(corpus.files, db, 2, common.usable_cores(2), corpus.records)
        res = part_dedup(corpus, db)
        log(f"dedup newsmill: P {res['newsmill']['precision']:.4f} R {res['newsmill']['recall']:.4f}")
        return res

    def kill_part() -> dict[str, Any]:
        quarter = report["parts"].get("throughput", {}).get("quarter_ingest") if "quarter" in keep else None
        return part_kill(corpus, work, args.kills, args.seed, keep.get("quarter"), quarter)

    runners: dict[str, Callable[[], dict[str, Any]]] = {
        "throughput": lambda: part_throughput(corpus, work, keep),
        "dedup": dedup_part,
        "search": lambda: part_search(corpus, work, search_docs, args.queries, args.seed),
        "kill": kill_part,
    }
    failed = []
    try:
        for name in PARTS:
            if name not in parts:
                continue
            try:
                report["parts"][name] = runners[name]() | {"generated": report["generated"]}
            except Exception as exc:  # noqa: BLE001 - an unattended run records the failure and goes on
                log(f"{name} FAILED: {type(exc).__name__}: {exc}")
                report["parts"][name] = {"error": f"{type(exc).__name__}: {str(exc)[:1000]}", "generated": report["generated"]}
                failed.append(name)
            if name == "dedup" and "full" in keep:
                remove_db(keep.pop("full"))
    finally:
        for path in keep.values():
            remove_db(path)
    report["seconds"] = round(time.monotonic() - started, 1)
    markdown = render(report)
    print(markdown)
    if not args.no_write:
        common.write_json(results_path, report)
        common.write_section(common.BENCHMARKS_MD, "ingest", markdown)
    log(f"done in {report['seconds']:.0f}s" + (f"; failed parts: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

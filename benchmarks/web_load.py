"""Web load benchmark: search and article pages of `newsmill serve` under 50 concurrent clients.

What it does, unattended:

1. Builds a store of N generated articles (100,000 by default), cached under ``benchmarks/.cache/web_load/``
   and rebuilt only when N or the generator changes. The articles are written as newsmill Article JSON
   (the export format) and loaded with ``newsmill.ingest``, which imports them without extraction
   (``ExtractStage._import``), then fingerprints, deduplicates and indexes them like any ingest. Their
   text comes from fictional templates below (made-up towns, people and publishers) with dense random
   slots, so that articles are different stories: over the first 3,000 generated articles, the most similar
   of the 2,655 pairs on the same topic in the same town have a 5-word-shingle Jaccard of 0.07 (the
   near-duplicate threshold is 0.5). Dates spread over three years, 40 publishers, 118-963 words (mean 487).
2. Starts ``newsmill serve --db STORE --host 127.0.0.1 --port FREE`` as a child process.
3. Runs bounded closed-loop load: C clients (50), each sending its next request as soon as the previous
   one answers, for S seconds (60) per phase, loopback only; the clients are split over a few processes
   so that the Python client itself is not the bottleneck. Phases, in one run against one server:

   - ``pages``: the target: HTML search pages (BM25 query, sometimes with a facet) and article pages;
   - ``json``: the same requests against their JSON twins (peer: cost of rendering HTML);
   - ``static``: a vendored static file from the same server (peer: the server's floor).

4. Reports requests/s, p50/p95/p99 latency per page type and errors; writes
   ``benchmarks/results/web_load.json`` and the ``web`` section of BENCHMARKS.md.

Usage::

    python benchmarks/web_load.py                  # full run: 100,000 articles, 50 clients, 60 s per phase
    python benchmarks/web_load.py --quick          # 2,000 articles, 8 clients, 5 s per phase (a smoke test)
    python benchmarks/web_load.py --articles 20000 --clients 50 --seconds 30 --phases pages
    # several server processes (uvicorn's own workers over the app factory), loaded through --url:
    python benchmarks/web_load.py --build-only     # prints the store's path
    NEWSMILL_DB=benchmarks/.cache/web_load/articles-100000-v2/news.duckdb uvicorn --factory \
        newsmill.web.app:app_from_environment --host 127.0.0.1 --port 8765 --workers 8 --log-level warning &
    python benchmarks/web_load.py --url http://127.0.0.1:8765

The latency measured is the client's: from sending a request to reading the whole response, so it includes
the client's own scheduling. This script never writes outside benchmarks/ and never talks to anything
but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCHMARKS_MD, CACHE, RESULTS, machine_info, write_json, write_section  # noqa: E402

#: The issue's target: p95 latency of search and article pages.
TARGET_P95_MS = 100.0
DEFAULT_ARTICLES = 100_000
DEFAULT_CLIENTS = 50
DEFAULT_SECONDS = 60.0
#: --quick: small enough to build and run in about a minute on a busy 2-core machine.
QUICK_ARTICLES, QUICK_CLIENTS, QUICK_SECONDS = 2_000, 8, 5.0
#: Bump when the generator below changes: the cached store is rebuilt for a new version.
GENERATOR_VERSION = 2
SEED = 20261130
#: Share of search requests among page requests; the rest are article pages. Half and half: the issue
#: sets one target for both, and an analyst alternates between the two.
SEARCH_SHARE = 0.5
#: Share of search requests that add a facet (publisher or date range) to the query.
FACETED_SHARE = 0.3
#: Seconds to wait for `newsmill serve` to answer its first request (it opens the store and the index).
SERVER_START_TIMEOUT = 120.0
#: Per-request timeout: a request slower than this counts as an error, not as a latency sample.
REQUEST_TIMEOUT = 30.0
#: Article ids sampled from the store for article requests.
ARTICLE_SAMPLE = 5_000
CACHE_DIR = CACHE / "web_load"

# --- the routes measured (the web app's URL scheme) --------------------------------------------------
#: page type -> (HTML path template, JSON twin path template).
ROUTES: dict[str, tuple[str, str]] = {
    "search": ("/?{query}", "/api/articles?{query}"),
    "article": ("/articles/{id}", "/api/articles/{id}"),
}
STATIC_PATH = "/static/vendor/vega.min.js"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


# --- generated articles ------------------------------------------------------------------------------
_TOWN_HEADS = ("North", "East", "West", "South", "Upper", "Lower", "Old", "New", "Kings", "Saint", "Long", "High")
_TOWN_TAILS = ("field", "gate", "brook", "haven", "ford", "bridge", "wick", "port", "moor", "dale", "stead", "holm")
_PAPERS = ("Courier", "Ledger", "Observer", "Tribune", "Herald", "Post", "Gazette", "Chronicle", "Echo", "Mercury")
_FIRST = ("Aled", "Bryony", "Cormac", "Delphine", "Eamon", "Fenella", "Gideon", "Hester", "Idris", "Juno", "Kasimir",
          "Linnea", "Magnus", "Niamh", "Osric", "Priya", "Quentin", "Rosalind", "Soren", "Tamsin", "Ulric", "Verity",
          "Wilfred", "Xanthe", "Yusuf", "Zinnia")
_LAST = ("Abernethy", "Blackwood", "Carrow", "Dunmore", "Ellery", "Fairbairn", "Galloway", "Hollis", "Inchbald",
         "Jessop", "Kilbride", "Lockhart", "Marchbank", "Netherby", "Ormerod", "Pengelly", "Quarrie", "Rushworth",
         "Stainforth", "Trelawney", "Underhill", "Vellacott", "Whitlock", "Yardley")
_BODIES = ("council", "harbour board", "health trust", "water company", "rail operator", "school trust", "ferry company",
           "housing association", "chamber of commerce", "police force", "fire service", "library service",
           "bus company", "energy cooperative", "university", "port authority")
_ROLES = ("chair", "chief executive", "spokeswoman", "spokesman", "director", "treasurer", "leader", "manager")
#: topic -> (nouns, verbs, tags): the vocabulary searched by the load's queries.
_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "ferry strike": (("ferry", "crossing", "crew", "timetable", "walkout", "terminal"),
                     ("cancelled", "suspended", "disrupted", "restored", "balloted"), ("Transport", "Strikes")),
    "water tariffs": (("tariff", "bill", "reservoir", "meter", "supply", "leak"),
                      ("raised", "froze", "audited", "capped", "reviewed"), ("Utilities", "Cost of living")),
    "rail tunnel": (("tunnel", "line", "signal", "platform", "viaduct", "timetable"),
                    ("reopened", "closed", "inspected", "delayed", "funded"), ("Transport", "Rail")),
    "wind farm": (("turbine", "wind farm", "substation", "cable", "grid", "blade"),
                  ("approved", "objected", "connected", "commissioned", "opposed"), ("Energy", "Planning")),
    "library": (("library", "archive", "reading room", "collection", "branch", "volunteer"),
                ("reopened", "extended", "catalogued", "relocated", "saved"), ("Culture", "Libraries")),
    "storm": (("storm", "gale", "flood", "sea wall", "shelter", "power cut"),
              ("battered", "flooded", "evacuated", "repaired", "warned"), ("Weather", "Emergencies")),
    "budget": (("budget", "precept", "reserve", "grant", "deficit", "saving"),
               ("approved", "cut", "balanced", "deferred", "published"), ("Politics", "Council")),
    "hospital": (("ward", "clinic", "waiting list", "ambulance", "surgery", "nurse"),
                 ("expanded", "closed", "recruited", "inspected", "reopened"), ("Health", "NHS")),
    "housing": (("estate", "tenancy", "rent", "development", "planning application", "flat"),
                ("built", "refused", "approved", "demolished", "renovated"), ("Housing", "Planning")),
    "schools": (("school", "classroom", "exam", "pupil", "headteacher", "curriculum"),
                ("merged", "praised", "expanded", "rated", "closed"), ("Education",)),
    "harbour": (("harbour", "quay", "dredging", "mooring", "slipway", "trawler"),
                ("dredged", "leased", "repaired", "extended", "surveyed"), ("Maritime", "Business")),
    "festival": (("festival", "stage", "ticket", "parade", "marquee", "headliner"),
                 ("announced", "sold out", "postponed", "licensed", "celebrated"), ("Arts", "Events")),
    "football": (("club", "match", "striker", "stadium", "season ticket", "league"),
                 ("signed", "promoted", "relegated", "won", "drew"), ("Sport", "Football")),
    "broadband": (("broadband", "fibre", "mast", "exchange", "connection", "outage"),
                  ("upgraded", "installed", "extended", "restored", "delayed"), ("Technology",)),
    "buses": (("bus", "route", "fare", "depot", "shelter", "timetable"),
              ("withdrawn", "subsidised", "rerouted", "restored", "cut"), ("Transport", "Buses")),
    "flood defences": (("flood barrier", "embankment", "culvert", "pump", "sluice", "levee"),
                       ("strengthened", "breached", "funded", "inspected", "raised"), ("Environment", "Flooding")),
}
#: Sentence templates: slots every few words, so that two articles share few 5-word shingles.
_SENTENCES = (
    "{person}, {role} of the {place} {body}, said the {noun} would be {verb} by {month}.",
    "The {noun} at {place} was {verb} on {weekday} after {n} complaints from residents of {place2}.",
    "Figures seen by the {paper} show {n} {noun2}s {verb} in {place} since {year}.",
    "{person} told a meeting in {place2} that the {body} had {verb} the {noun} without consulting anyone.",
    "About {n} people gathered near the {noun} on {weekday}, some carrying signs about the {noun2}.",
    "A {body} report due in {month} is expected to say the {noun2} cost {money} more than planned.",
    "Residents of {place} said the {noun} had been {verb} twice in {n} weeks.",
    "\"We were never told,\" said {person}, who has lived in {place2} for {n} years.",
    "The {body} said it {verb} {n} {noun2}s last year and would publish a review of the {noun} in {month}.",
    "{person}, a {role} at the {place2} {body}, warned that {money} was needed before {year}.",
    "Opposition councillor {person} called the {noun2} decision \"a mess from start to finish\".",
    "In {year} a similar {noun} in {place} was {verb} within {n} days.",
    "The {paper} understands the {body} met {person} on {weekday} to discuss the {noun}.",
    "Work on the {noun2} near {place2} is now scheduled to finish in {month} {year}.",
    "Traders in {place} said footfall fell by {n} per cent while the {noun} was {verb}.",
    "A petition calling for the {noun2} to be {verb} has gathered {n} signatures in {place2}.",
    "{person} said the {body} would meet {person2} of the {place} {body2} before {weekday}.",
    "The {noun} serves about {n} households between {place} and {place2}.",
    "Under the plan, {money} would be spent on the {noun2} over {n} years.",
    "Asked about the {noun}, a {body2} {role} said talks with {person2} were continuing.",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Published dates are spread over these three years.
_FIRST_DAY, _DAYS = datetime(2023, 1, 1, tzinfo=UTC), 3 * 365
#: Paragraphs per article and sentences per paragraph, chosen so that lengths spread like local news
#: stories (a few hundred words, some short briefs, some long reads).
_PARAGRAPHS, _SENTENCES_PER_PARAGRAPH = (6, 20), (1, 4)


def towns() -> list[str]:
    return [head + tail for head in _TOWN_HEADS for tail in _TOWN_TAILS]


def publishers() -> list[str]:
    """40 fictional publishers: 'The <Town> <Paper>'."""
    rng = random.Random(SEED)
    names = [f"The {town} {paper}" for town in rng.sample(towns(), 40) for paper in [rng.choice(_PAPERS)]]
    return names


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def generated_article(number: int, rng: random.Random, sites: list[str], places: list[str]) -> dict[str, Any]:
    """One Article (as export JSON) in a publisher's voice about one topic in one fictional town."""
    topic = rng.choice(list(_TOPICS))
    nouns, verbs, topic_tags = _TOPICS[topic]
    publisher = rng.choice(sites)
    place = rng.choice(places)
    published = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS), minutes=rng.randrange(24 * 60))

    def sentence() -> str:
        return rng.choice(_SENTENCES).format(
            person=_person(rng), person2=_person(rng), role=rng.choice(_ROLES), place=place,
            place2=rng.choice(places), body=rng.choice(_BODIES), body2=rng.choice(_BODIES),
            noun=rng.choice(nouns), noun2=rng.choice(nouns), verb=rng.choice(verbs), paper=publisher.removeprefix("The "),
            month=rng.choice(_MONTHS), weekday=rng.choice(_WEEKDAYS), n=rng.randrange(2, 5000),
            year=rng.randrange(1990, 2026), money=f"£{rng.randrange(1, 900)}{rng.choice(('m', 'k', ',000'))}",
        )

    body = [
        " ".join(sentence() for _ in range(rng.randint(*_SENTENCES_PER_PARAGRAPH)))
        for _ in range(rng.randint(*_PARAGRAPHS))
    ]
    noun, verb = rng.choice(nouns), rng.choice(verbs)
    title = f"{place} {noun} {verb} as {rng.choice(_BODIES)} {rng.choice(('faces questions', 'sets out plans', 'responds', 'under pressure'))}"
    host = publisher.removeprefix("The ").lower().replace(" ", "-") + ".example"
    slug = "-".join(title.lower().split()[:8])
    return {
        "schema_version": "1.0",
        "url": f"https://www.{host}/{published:%Y/%m}/{slug}-{number}",
        "publisher": publisher,
        "section": topic_tags[0],
        "title": title,
        "dek": sentence(),
        "authors": [_person(rng) for _ in range(rng.choice((1, 1, 1, 2)))],
        "published": published.isoformat(timespec="seconds"),
        "language": "en",
        "body": body,
        "tags": [*topic_tags, place],
    }


def generated_articles(count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED)
    sites, places = publishers(), towns()
    for number in range(count):
        yield generated_article(number, rng, sites, places)


def build_store(articles: int, *, rebuild: bool = False) -> Path:
    """The cached store of ``articles`` generated articles (built on first use): its database path."""
    import newsmill

    folder = CACHE_DIR / f"articles-{articles}-v{GENERATOR_VERSION}"
    db, done = folder / "news.duckdb", folder / "COMPLETE"
    if done.is_file() and not rebuild:
        return db
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    source = folder / "articles.jsonl"
    with open(source, "w", encoding="utf-8") as f:
        for article in generated_articles(articles):
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    started = time.monotonic()
    report = newsmill.ingest([source], db=db)
    seconds = time.monotonic() - started
    totals = report.totals.as_dict()
    print(f"built {db}: {totals} in {seconds:.0f} s", file=sys.stderr)
    done.write_text(json.dumps({"seconds": round(seconds, 1), **totals}) + "\n", encoding="utf-8")
    source.unlink()  # the store holds everything; the JSONL can be regenerated
    return db


def sample_article_ids(db: Path, count: int = ARTICLE_SAMPLE) -> list[str]:
    """Ids of canonical articles, a fixed random sample (read before the server opens the store)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT id FROM articles ORDER BY hash(id) LIMIT ?", [count]).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


# --- the requests ------------------------------------------------------------------------------------
def search_query(rng: random.Random, sites: list[str], places: list[str]) -> str:
    """A query string an analyst might type: a topic word, a town, a surname or two words; some faceted."""
    from urllib.parse import urlencode

    nouns, verbs, _ = _TOPICS[rng.choice(list(_TOPICS))]
    words = rng.choice((
        rng.choice(nouns), rng.choice(places), rng.choice(_LAST), f"{rng.choice(nouns)} {rng.choice(verbs)}",
        f"{rng.choice(places)} {rng.choice(nouns)}",
    ))
    params: dict[str, str] = {"q": words}
    if rng.random() < FACETED_SHARE:
        if rng.random() < 0.5:
            params["publisher"] = rng.choice(sites)
        else:
            start = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS - 90))
            params["since"], params["until"] = f"{start:%Y-%m-%d}", f"{start + timedelta(days=90):%Y-%m-%d}"
    return urlencode(params)


@dataclass
class Workload:
    """What one phase requests: page types with their path templates, and what fills them."""

    phase: str
    article_ids: list[str]
    seed: int = SEED

    def next_request(self, rng: random.Random, sites: list[str], places: list[str]) -> tuple[str, str]:
        """(page type, path) of the next request."""
        if self.phase == "static":
            return "static", STATIC_PATH
        twin = 1 if self.phase == "json" else 0  # "pages" and "serial" request the HTML pages
        if rng.random() < SEARCH_SHARE:
            return "search", ROUTES["search"][twin].format(query=search_query(rng, sites, places))
        return "article", ROUTES["article"][twin].format(id=rng.choice(self.article_ids))


@dataclass
class Samples:
    """Latencies (ms) of successful requests and error counts, by page type."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)

    def add_error(self, kind: str, what: str) -> None:
        counts = self.errors.setdefault(kind, {})
        counts[what] = counts.get(what, 0) + 1

    def merge(self, other: Samples) -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        for kind, counts in other.errors.items():
            for what, n in counts.items():
                self.errors.setdefault(kind, {})[what] = self.errors.get(kind, {}).get(what, 0) + n


async def _client(base: str, workload: Workload, number: int, warmup_until: float, stop_at: float, out: Samples,
                  think: float) -> None:
    import httpx2 as httpx

    rng = random.Random(workload.seed * 1000 + number)
    sites, places = publishers(), towns()
    # One connection per client (keep-alive), as a browser tab would reuse its connection.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        while (now := time.monotonic()) < stop_at:
            kind, path = workload.next_request(rng, sites, places)
            measured = now >= warmup_until
            started = time.perf_counter()
            try:
                response = await client.get(path)
                await response.aread()
            except httpx.HTTPError as exc:
                if measured:
                    out.add_error(kind, type(exc).__name__)
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000
            if not measured:
                continue
            if response.status_code != 200:
                out.add_error(kind, f"HTTP {response.status_code}")
            else:
                out.latencies.setdefault(kind, []).append(elapsed_ms)
            if think:
                await asyncio.sleep(think)


def _client_process(base: str, workload: Workload, first: int, count: int, warmup: float, seconds: float,
                    start_at: float, think: float) -> Samples:
    """Runs ``count`` clients in one process; all processes start at the same wall-clock moment."""
    out = Samples()

    async def main() -> None:
        delay = start_at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic()
        tasks = [_client(base, workload, first + i, now + warmup, now + warmup + seconds, out, think) for i in range(count)]
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return out


def run_phase(
    base: str, workload: Workload, *, clients: int, seconds: float, warmup: float, processes: int, think: float = 0.0
) -> dict[str, Any]:
    """Closed-loop load from ``clients`` clients over ``processes`` processes; the phase's figures."""
    processes = max(1, min(processes, clients))
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    firsts = [sum(shares[:i]) for i in range(processes)]
    # Process start-up (imports) takes a second or two; start the clock after every process is up.
    start_at = time.time() + 3.0
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        parts = pool.starmap(
            _client_process,
            [(base, workload, firsts[i], shares[i], warmup, seconds, start_at, think) for i in range(processes)],
        )
    samples = Samples()
    for part in parts:
        samples.merge(part)
    return summarize(samples, seconds, clients)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def summarize(samples: Samples, seconds: float, clients: int) -> dict[str, Any]:
    kinds = sorted(set(samples.latencies) | set(samples.errors))
    by_kind: dict[str, Any] = {}
    total_ok = total_errors = 0
    for kind in kinds:
        values = sorted(samples.latencies.get(kind, []))
        errors = sum(samples.errors.get(kind, {}).values())
        total_ok, total_errors = total_ok + len(values), total_errors + errors
        by_kind[kind] = {
            "requests": len(values) + errors,
            "errors": errors,
            "error_kinds": samples.errors.get(kind, {}),
            "requests_per_s": round((len(values) + errors) / seconds, 1),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "mean_ms": round(statistics.fmean(values), 1) if values else None,
            "max_ms": round(values[-1], 1) if values else None,
        }
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": total_ok + total_errors,
        "errors": total_errors,
        "requests_per_s": round((total_ok + total_errors) / seconds, 1),
        "by_page": by_kind,
    }


# --- the server --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`newsmill serve` in a child process on 127.0.0.1; stopped (SIGINT, then kill) on exit."""

    def __init__(self, db: Path, log: Path, extra_args: list[str] | None = None) -> None:
        self.db, self.log, self.extra_args = db, log, extra_args or []
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        import httpx2 as httpx

        command = [sys.executable, "-m", "newsmill", "serve", "--db", str(self.db), "--host", "127.0.0.1",
                   "--port", str(self.port), *self.extra_args]
        self._log = open(self.log, "wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`{' '.join(command)}` exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(self.base + STATIC_PATH, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"the server did not answer within {SERVER_START_TIMEOUT:.0f} s; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class ExternalServer:
    """A server started by someone else over the same store (``--url``), e.g. uvicorn with several workers."""

    def __init__(self, base: str) -> None:
        from urllib.parse import urlsplit

        host = urlsplit(base).hostname
        if host not in LOOPBACK_HOSTS:
            raise SystemExit(f"--url must be on loopback ({', '.join(LOOPBACK_HOSTS)}), not {host!r}")
        self.base = base.rstrip("/")
        self.process = None

    def __enter__(self) -> ExternalServer:
        import httpx2 as httpx

        try:
            httpx.get(self.base + STATIC_PATH, timeout=5).raise_for_status()
        except httpx.HTTPError as exc:
            raise SystemExit(f"{self.base} does not serve {STATIC_PATH}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def server_rss_mb(server: Server | ExternalServer) -> float | None:
    if server.process is None:
        return None
    try:
        with open(f"/proc/{server.process.pid}/status", encoding="utf-8") as f:  # type: ignore[union-attr]
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


# --- the report --------------------------------------------------------------------------------------
#: pages: the target. json: the same requests to the JSON twins (peer: the cost of rendering HTML).
#: static: a vendored file from the same server (peer: the server's floor). serial: the pages workload
#: from one client, so the service time of a request without queueing behind 49 others.
PHASES = ("pages", "json", "static", "serial")


def markdown(result: dict[str, Any]) -> str:
    cfg = result["config"]
    command = "python benchmarks/web_load.py" + (" --quick" if cfg["quick"] else "")
    if cfg.get("think_ms"):
        command += f" --think-ms {cfg['think_ms']:g}"
    if cfg.get("serve_args"):
        command += f" --serve-args {shlex.quote(cfg['serve_args'])}"
    if cfg.get("server", "newsmill serve") != "newsmill serve":
        command += " --url " + cfg["server"].removeprefix("external, ")
    lines = [
        "## Web: search and article pages under load",
        "",
        f"`{command}`: {cfg['articles']:,} generated articles ({result['store']['articles']:,} canonical), "
        f"{cfg['clients']} concurrent closed-loop clients (each sends its next request when the last one is answered"
        f"{', after ' + format(cfg['think_ms'], 'g') + ' ms' if cfg.get('think_ms') else ''}) over "
        f"{cfg['client_processes']} client process(es), {cfg['seconds']:g} s per phase after {cfg['warmup']:g} s of warm-up, "
        f"server: {server_description(cfg)} on 127.0.0.1, {result['machine']['cores']} cores ({result['machine']['cpu']}), "
        f"{result['finished_at'][:10]}. Requests: {SEARCH_SHARE:.0%} search pages (a topic word, town, surname or two "
        f"words; {FACETED_SHARE:.0%} of them with a publisher or 90-day date facet), the rest article pages of a fixed "
        f"sample of {ARTICLE_SAMPLE:,} articles. Target: p95 < {TARGET_P95_MS:g} ms for both, with no errors.",
        "",
        "Phases, one after another against the same server: **pages** (the target); **json**, the same requests "
        "to the JSON twins (peer: what rendering HTML costs); **static**, a vendored file served by the same app "
        "(peer: the server's and client's floor); **serial**, the pages workload from one client (service time "
        "without queueing).",
        "",
        "| phase | page | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for phase, figures in result["phases"].items():
        for page, f in figures["by_page"].items():
            lines.append(
                f"| {phase} | {page} | {f['requests_per_s']:,} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} | {f['errors']} |"
            )
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for target in result["targets"]:
        lines.append(f"| {target['what']} | {target['measured']} | {'yes' if target['met'] else '**no**'} |")
    pages = result["phases"].get("pages")
    if pages and pages["requests_per_s"]:
        # Little's law for a closed loop: clients = throughput x (latency + think time).
        mean_ms = 1000 * cfg["clients"] / pages["requests_per_s"] - cfg.get("think_ms", 0)
        lines += [
            "",
            f"With {cfg['clients']} clients in a closed loop, latency is set by throughput (Little's law): at "
            f"{pages['requests_per_s']:,} requests/s the mean latency must be about {mean_ms:,.0f} ms. A p95 under "
            f"{TARGET_P95_MS:g} ms needs a mean under it, so more than "
            f"{1000 * cfg['clients'] / (TARGET_P95_MS + cfg.get('think_ms', 0)):,.0f} requests/s.",
        ]
    lines += [
        "",
        "Latency is the client's (request sent → whole response read), so it includes the Python client's own "
        "scheduling; the `static` row shows that floor. "
        f"Store build (generated Article JSON → `newsmill.ingest`, cached in `benchmarks/.cache/web_load/`): "
        f"{result['store']['build_seconds']:,} s{' (when it was built; cached for this run)' if result['store']['cached'] else ''}. "
        f"Server RSS after the run: {result.get('server_rss_mb')} MB.",
    ]
    if cfg["quick"]:
        lines += ["", "**This is a --quick smoke run, not the benchmark.** Run the full one on a quiet machine: "
                  "`python benchmarks/web_load.py`."]
    return "\n".join(lines)


def server_description(cfg: dict[str, Any]) -> str:
    if cfg.get("server", "newsmill serve") != "newsmill serve":
        return cfg["server"]
    return f"`newsmill serve{' ' + cfg['serve_args'] if cfg.get('serve_args') else ''}`"


def targets(phases: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    pages = phases.get("pages", {}).get("by_page", {})
    for page in ("search", "article"):
        if page in pages:
            p95 = pages[page]["p95_ms"]
            out.append({"what": f"{page} page p95 < {TARGET_P95_MS:g} ms", "measured": f"{p95} ms",
                        "met": bool(p95 < TARGET_P95_MS)})
    if "pages" in phases:
        errors = phases["pages"]["errors"]
        out.append({"what": "no errors", "measured": f"{errors} errors", "met": errors == 0})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, help=f"articles in the store (default {DEFAULT_ARTICLES:,})")
    parser.add_argument("--clients", type=int, help=f"concurrent clients (default {DEFAULT_CLIENTS})")
    parser.add_argument("--seconds", type=float, help=f"measured seconds per phase (default {DEFAULT_SECONDS:g})")
    parser.add_argument("--warmup", type=float, help="unmeasured seconds before each phase (default: a tenth of --seconds, 1-5 s)")
    parser.add_argument("--processes", type=int, help="client processes (default: half the cores, 1-4)")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {','.join(PHASES)}")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="pause of each client between a response and its next request (default 0: back to back)")
    parser.add_argument("--serve-args", default="", help="extra arguments for `newsmill serve`, e.g. \"--workers 8\"")
    parser.add_argument("--url", help="load a server already running over the same store (loopback only) instead of "
                        "starting `newsmill serve`; the store's path is printed first")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke test: {QUICK_ARTICLES:,} articles, {QUICK_CLIENTS} clients, {QUICK_SECONDS:g} s per phase")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached store")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the cached store, print its path, stop")
    parser.add_argument("--no-write", action="store_true", help="print the results only (no results file, no BENCHMARKS.md)")
    args = parser.parse_args(argv)

    articles = args.articles or (QUICK_ARTICLES if args.quick else DEFAULT_ARTICLES)
    clients = args.clients or (QUICK_CLIENTS if args.quick else DEFAULT_CLIENTS)
    seconds = args.seconds or (QUICK_SECONDS if args.quick else DEFAULT_SECONDS)
    warmup = args.warmup if args.warmup is not None else max(1.0, min(5.0, seconds / 10))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    processes = args.processes or max(1, min(4, cores // 2))
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown or not phases:
        parser.error(f"unknown phases {unknown}; choose from {','.join(PHASES)}")
    if min(articles, clients) < 1 or seconds <= 0:
        parser.error("--articles, --clients and --seconds must be positive")

    folder_done = CACHE_DIR / f"articles-{articles}-v{GENERATOR_VERSION}" / "COMPLETE"
    cached = folder_done.is_file() and not args.rebuild
    db = build_store(articles, rebuild=args.rebuild)
    if args.build_only:
        print(db)
        return 0
    store_info = json.loads(folder_done.read_text(encoding="utf-8"))
    ids = sample_article_ids(db)
    if not ids:
        print("the store has no articles", file=sys.stderr)
        return 1

    results: dict[str, Any] = {}
    print(f"store: {db}", file=sys.stderr)
    server_cm = ExternalServer(args.url) if args.url else Server(db, db.parent / "serve.log", shlex.split(args.serve_args))
    with server_cm as server:
        for phase in phases:
            phase_clients = 1 if phase == "serial" else clients
            print(f"phase {phase}: {phase_clients} clients, {seconds:g} s (+{warmup:g} s warm-up)...", file=sys.stderr)
            results[phase] = run_phase(server.base, Workload(phase, ids), clients=phase_clients, seconds=seconds,
                                       warmup=warmup, processes=processes, think=args.think_ms / 1000)
            for page, f in results[phase]["by_page"].items():
                print(f"  {page:8} {f['requests_per_s']:8.1f} req/s  p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}  "
                      f"p99 {f['p99_ms']:7.1f} ms  errors {f['errors']}", file=sys.stderr)
        rss = server_rss_mb(server)

    result = {
        "benchmark": "web_load",
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": {"articles": articles, "clients": clients, "seconds": seconds, "warmup": warmup,
                   "client_processes": processes, "search_share": SEARCH_SHARE, "faceted_share": FACETED_SHARE,
                   "quick": args.quick, "generator_version": GENERATOR_VERSION, "routes": ROUTES, "static": STATIC_PATH,
                   "think_ms": args.think_ms, "serve_args": args.serve_args,
                   "server": f"external, {args.url}" if args.url else "newsmill serve"},
        "machine": machine_info(),
        "store": {"articles": store_info["articles"], "duplicates": store_info["duplicates"],
                  "build_seconds": store_info["seconds"], "cached": cached},
        "server_rss_mb": rss,
        "phases": results,
        "targets": targets(results),
    }
    print(json.dumps(result["targets"], indent=1))
    if not args.no_write:
        write_json(RESULTS / ("web_load-quick.json" if args.quick else "web_load.json"), result)
        if not args.quick or not (RESULTS / "web_load.json").is_file():
            write_section(BENCHMARKS_MD, "web", markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

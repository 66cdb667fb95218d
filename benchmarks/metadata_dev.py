"""Metadata exact-match scores of newsmill against trafilatura and htmldate (a development tool).

    python benchmarks/metadata_dev.py                       # all four sets, peers cached
    python benchmarks/metadata_dev.py --sets readability --errors author
    python benchmarks/metadata_dev.py --limit 100 --no-peers

Sets: readability, trafilatura-eval, wcxb-test (title/author/date) and htmldate-eval (date), read
from ``../shared/benchmarks`` (relative to the project root). A page counts for a field only when
its gold value is non-empty; the score is the share of those pages where the prediction matches.

Normalisation (applied identically to gold and to every tool's output, and deliberately independent
of newsmill's own author cleaning):

* title: HTML entities decoded, whitespace collapsed, casefolded.
* author: the set of names, where the string (or list) is split on ``;``, ``,``, ``|``, `` & `` and
  the words and/und/et; each name loses a leading "by"/"von"/"par", edge punctuation and is
  whitespace-collapsed and casefolded. Sets must be equal.
* date: the first ten characters (YYYY-MM-DD) of the ISO value.

Each set is also scored on two fixed halves (sha1 of the page id, even/odd) so that a rule tuned on
one half can be checked on the other. Peer results are cached in ``benchmarks/.cache/`` (ignored by
git) keyed by tool version; ``--no-cache`` recomputes them. Timings are per page, the tree already
parsed (each tool gets its own parse, since some edit the tree), on whatever machine runs this.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".." / "shared" / "benchmarks"
CACHE = ROOT / "benchmarks" / ".cache"
SETS = {
    "trafilatura-eval": ("title", "author", "date"),
    "readability": ("title", "author", "date"),
    "wcxb-test": ("title", "author", "date"),
    "htmldate-eval": ("date",),
}
FIELDS = ("title", "author", "date")
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
_AUTHOR_SPLIT_RE = re.compile(r"\s*[;,|]\s*|\s+(?:&|and|und|et)\s+", re.I)
_AUTHOR_PREFIX_RE = re.compile(r"^(?:by|von|par)\s*:?\s+", re.I)
_EDGE = " \t\n.,;:|-–—\"'“”()"


# --- normalisation ------------------------------------------------------------------------------------


def norm_title(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(html.unescape(value).split()).casefold()


def norm_authors(value: Any) -> frozenset[str] | None:
    values = value if isinstance(value, list) else [value]
    names: set[str] = set()
    for v in values:
        if not isinstance(v, str):
            continue
        for part in _AUTHOR_SPLIT_RE.split(html.unescape(v)):
            name = _AUTHOR_PREFIX_RE.sub("", " ".join(part.split())).strip(_EDGE).casefold()
            if name:
                names.add(name)
    return frozenset(names) or None


def norm_date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    return value[:10]


NORMALIZERS: dict[str, Callable[[Any], Any]] = {"title": norm_title, "author": norm_authors, "date": norm_date}


# --- tools --------------------------------------------------------------------------------------------


def run_newsmill(raw: bytes, url: str | None, steps: dict[str, float]) -> dict[str, Any]:
    from newsmill.extraction.metadata import extract_html_metadata

    doc = lxml.html.document_fromstring(raw, parser=_PARSER)
    t0 = time.process_time()
    meta = extract_html_metadata(doc, url, timings=steps)
    elapsed = time.process_time() - t0
    return {"title": meta.title, "author": meta.authors, "date": meta.published, "_s": elapsed}


def run_trafilatura(raw: bytes, url: str | None) -> dict[str, Any]:
    from trafilatura import extract_metadata

    doc = lxml.html.document_fromstring(raw, parser=_PARSER)
    t0 = time.process_time()
    meta = extract_metadata(doc, default_url=url)
    elapsed = time.process_time() - t0
    return {"title": meta.title, "author": meta.author, "date": meta.date, "_s": elapsed}


def run_htmldate(raw: bytes, url: str | None) -> dict[str, Any]:
    from htmldate import find_date

    doc = lxml.html.document_fromstring(raw, parser=_PARSER)
    t0 = time.process_time()
    found = find_date(doc, url=url, original_date=True, extensive_search=True)
    elapsed = time.process_time() - t0
    return {"date": found, "_s": elapsed}


def run_goose3(raw: bytes, url: str | None) -> dict[str, Any]:
    from goose3 import Goose

    with Goose({"enable_image_fetching": False, "http_timeout": 0.01}) as goose:
        t0 = time.process_time()
        art = goose.extract(raw_html=raw.decode("utf-8", "replace"), url=url)
        elapsed = time.process_time() - t0
    return {"title": art.title, "author": art.authors, "date": art.publish_date, "_s": elapsed}


def run_readability(raw: bytes, url: str | None) -> dict[str, Any]:
    from readability import Document

    t0 = time.process_time()
    title = Document(raw.decode("utf-8", "replace"), url=url).short_title()
    return {"title": title, "_s": time.process_time() - t0}


def run_newspaper(raw: bytes, url: str | None) -> dict[str, Any]:
    from newspaper import Article
    from newspaper.configuration import Configuration

    config = Configuration()
    config.fetch_images = False  # no network on the benchmark machine: image probing would stall
    config.memoize_articles = False
    config.request_timeout = 1
    t0 = time.process_time()
    art = Article(url or "https://example.invalid/", config=config)
    art.download(input_html=raw.decode("utf-8", "replace"))
    art.parse()
    date = art.publish_date.isoformat() if art.publish_date else None
    return {"title": art.title, "author": art.authors, "date": date, "_s": time.process_time() - t0}


PEERS: dict[str, Callable[[bytes, str | None], dict[str, Any]]] = {
    "trafilatura": run_trafilatura,
    "htmldate": run_htmldate,
}
#: Slower peers (title/author/date), run with --all-peers.
EXTRA_PEERS: dict[str, Callable[[bytes, str | None], dict[str, Any]]] = {
    "goose3": run_goose3,
    "readability-lxml": run_readability,
    "newspaper4k": run_newspaper,
}


def peer_versions(peers: dict[str, Any]) -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in peers}


# --- data ---------------------------------------------------------------------------------------------


@dataclass
class Page:
    set: str
    id: str
    url: str | None
    gold: dict[str, Any]
    path: Path

    @property
    def half(self) -> str:
        return "A" if int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % 2 == 0 else "B"


def load_pages(name: str, limit: int | None) -> list[Page]:
    pages = []
    with open(DATA / name / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            pages.append(Page(name, row["id"], row.get("url"), row, DATA / name / "html" / f"{row['id']}.html.gz"))
    return pages[:limit] if limit else pages


def cached_peer_results(
    name: str, pages: list[Page], use_cache: bool, peers: dict[str, Callable[[bytes, str | None], dict[str, Any]]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """{tool: {page id: result}} from the cache, computing what is missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    versions = peer_versions(peers)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for tool, runner in peers.items():
        path = CACHE / f"metadata-{tool}-{versions[tool]}-{name}.json"
        cache: dict[str, dict[str, Any]] = {}
        if use_cache and path.exists():
            cache = json.loads(path.read_text(encoding="utf-8"))
        missing = [p for p in pages if p.id not in cache]
        for i, page in enumerate(missing):
            try:
                cache[page.id] = runner(gzip.decompress(page.path.read_bytes()), page.url)
            except Exception as err:  # a peer's crash is a miss, not a reason to stop
                cache[page.id] = {"_error": repr(err), "_s": 0.0}
            if i % 100 == 99:
                path.write_text(json.dumps(cache), encoding="utf-8")
                print(f"  {tool} {name}: {i + 1}/{len(missing)}", file=sys.stderr)
        if missing:
            path.write_text(json.dumps(cache), encoding="utf-8")
        out[tool] = cache
    return out


# --- scoring ------------------------------------------------------------------------------------------


@dataclass
class Tally:
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, ok: bool) -> None:
        self.totals[key] += 1
        self.hits[key] += int(ok)

    def score(self, key: str) -> float | None:
        return self.hits[key] / self.totals[key] if self.totals[key] else None


def matches(fld: str, gold: Any, pred: Any) -> bool:
    g = NORMALIZERS[fld](gold)
    return g is not None and g == NORMALIZERS[fld](pred)


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--all-peers", action="store_true", help="also goose3, readability-lxml, newspaper4k (slow)")
    ap.add_argument("--errors", choices=FIELDS, help="print newsmill's misses for this field")
    ap.add_argument("--half", choices=["A", "B"], help="only score this half of each set")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    tally = Tally()
    seconds: dict[str, list[float]] = defaultdict(list)
    steps: dict[str, float] = defaultdict(float)
    n_pages = 0
    for name in args.sets:
        pages = [p for p in load_pages(name, args.limit) if not args.half or p.half == args.half]
        peer_set = {} if args.no_peers else {**PEERS, **(EXTRA_PEERS if args.all_peers else {})}
        peers = cached_peer_results(name, pages, not args.no_cache, peer_set) if peer_set else {}
        for page in pages:
            raw = gzip.decompress(page.path.read_bytes())
            ours = run_newsmill(raw, page.url, steps)
            seconds["newsmill"].append(ours["_s"])
            n_pages += 1
            results = {"newsmill": ours, **{tool: res[page.id] for tool, res in peers.items()}}
            for tool, res in peers.items():
                seconds[tool].append(res[page.id].get("_s", 0.0))
            for fld in SETS[name]:
                if NORMALIZERS[fld](page.gold.get(fld)) is None:
                    continue
                for tool, res in results.items():
                    if fld not in res and tool != "newsmill":
                        continue
                    ok = matches(fld, page.gold.get(fld), res.get(fld))
                    for part in ("all", page.half):
                        tally.add(f"{name}|{fld}|{tool}|{part}", ok)
                if args.errors == fld and not matches(fld, page.gold.get(fld), ours.get(fld)):
                    print(f"[{name}/{page.id}] gold={page.gold.get(fld)!r} ours={ours.get(fld)!r} "
                          f"traf={peers.get('trafilatura', {}).get(page.id, {}).get(fld)!r}")
    tools = [] if args.no_peers else [*PEERS, *(EXTRA_PEERS if args.all_peers else {})]
    print_table(args.sets, tally, ["newsmill", *tools])
    print_timing(seconds, steps, n_pages)
    return 0


def print_table(sets: list[str], tally: Tally, tools: list[str]) -> None:
    print(f"\n{'set':<18}{'field':<8}{'n':>5}  " + "".join(f"{t + ' all/A/B':>26}" for t in tools))
    for name in sets:
        for fld in SETS[name]:
            n = tally.totals.get(f"{name}|{fld}|newsmill|all", 0)
            cells = []
            for tool in tools:
                vals = [tally.score(f"{name}|{fld}|{tool}|{part}") for part in ("all", "A", "B")]
                cells.append("   " + " / ".join(fmt(v) for v in vals) if vals[0] is not None else f"{'-':>26}")
            print(f"{name:<18}{fld:<8}{n:>5}  " + "".join(f"{c:>26}" for c in cells))


def print_timing(seconds: dict[str, list[float]], steps: dict[str, float], n_pages: int) -> None:
    print("\nms per page (tree parsed beforehand, not counted):")
    for tool, xs in seconds.items():
        if xs:
            xs_ms = sorted(x * 1000 for x in xs)
            p95 = xs_ms[int(0.95 * (len(xs_ms) - 1))]
            print(f"  {tool:<12} mean {statistics.fmean(xs_ms):6.2f}  median {statistics.median(xs_ms):6.2f}  "
                  f"p95 {p95:6.2f}  max {xs_ms[-1]:7.1f}")
    if n_pages:
        parts = "  ".join(f"{k} {v * 1000 / n_pages:.2f}" for k, v in sorted(steps.items()))
        print(f"  newsmill steps (mean ms/page): {parts}")


if __name__ == "__main__":
    raise SystemExit(main())

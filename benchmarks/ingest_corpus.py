"""The synthetic crawl behind ``benchmarks/ingest.py``: WARC.gz files built from the benchmark pages, with
planted duplicates whose ground truth is recorded, and a JSONL of distinct Article objects for search.

The benchmark pages (``../shared/benchmarks/*/html``) are only read at run time; everything built from
them lives under ``benchmarks/.cache/ingest/`` (git-ignored) and is never committed.

What a corpus of N records holds (shares below, drawn with a fixed seed, records shuffled so that a copy
often arrives before its original):

* originals: benchmark pages as they are, each under its own URL (the gold URL where there is one);
* ``exact``: a byte-identical copy of an original under another (fictional) site's URL;
* ``tracking``: the original's URL with tracking parameters added (and sometimes ``http://``);
* ``rewrap``: the original's extracted headline and body re-wrapped in a fictional site's boilerplate
  (cookie banner, navigation, "Most read", newsletter prompt, footer) under that site's URL;
* ``rewrap_edit``: a rewrap plus one small edit: an update paragraph added, a few words changed in one
  paragraph, or the last paragraph dropped (a shortened syndicated version);
* ``non_page``: records that are not pages (images, PDFs, JSON, CSS, a 404, a redirect).

Ground truth: every copy belongs to its original's story. Benchmark pages may themselves be copies of
each other (the same article in two datasets, sibling pages of one site). Those natural pairs are found
from the extracted bodies of the originals: the true Jaccard similarity of their 5-word shingle sets
(computed exactly, not estimated). A pair at or above ``NATURAL_SAME_JACCARD`` is the same story (their
stories are merged); a pair in the grey zone between ``NATURAL_DIFFERENT_JACCARD`` and
``NATURAL_SAME_JACCARD`` is ambiguous and left out of the pairwise scores (neither a hit nor an error).
"""

from __future__ import annotations

import gzip
import hashlib
import html as htmllib
import io
import json
import random
import re
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

#: Bump when the way a corpus is built changes: cached corpora of another version are rebuilt.
CORPUS_VERSION = 4
CORPUS_ROOT = common.CACHE / "ingest"

#: Share of the records that are original benchmark pages. The benchmark holds about 4,900 pages, so a
#: 20,000-record corpus can have at most ~25 % originals; 0.24 uses nearly all of them at that size.
ORIGINAL_SHARE = 0.24
#: Share of the records that are not pages at all (a news crawl's WARC carries images, PDFs...).
NON_PAGE_SHARE = 0.02
#: How the remaining records (copies) are split between the kinds of planted duplicates.
COPY_KIND_SHARES = {"exact": 0.25, "tracking": 0.20, "rewrap": 0.25, "rewrap_edit": 0.30}
#: Near copies are only made of real article bodies: a page whose extracted text is shorter than this is
#: a stub or a caption, and gets only exact and tracking copies.
MIN_WORDS_FOR_NEAR_COPY = 80
#: Records per WARC file: the corpus is always 20 files, so that prefixes of it (1/4, 1/2) make the
#: smaller corpora of the memory runs and of the kill test.
WARC_FILES = 20
#: Natural duplicates among the benchmark pages (see the module docstring).
NATURAL_SAME_JACCARD = 0.8
NATURAL_DIFFERENT_JACCARD = 0.2
SHINGLE_WORDS = 5
#: Shingles shared by more originals than this are boilerplate left in bodies; they still count in the
#: Jaccard, but are not used to find candidate pairs (that would be quadratic).
MAX_SHINGLE_POSTINGS = 50
#: Worker processes for extracting the originals while building (the corpus is cached afterwards).
BUILD_WORKERS = 2

_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass
class Site:
    name: str
    domain: str
    sections: tuple[str, ...]
    nav: tuple[str, ...]
    css: str  # class-name prefix, so that the sites' markup differs


SITES = (
    Site("The Harbourline Courier", "harbourline-courier.example", ("news", "region", "business"),
         ("Home", "News", "Region", "Business", "Sport", "Opinion", "Culture", "Weather", "Obituaries"), "hc"),
    Site("Valley Ledger", "valleyledger.example", ("local", "politics", "economy"),
         ("Local", "Politics", "Economy", "Schools", "Health", "Sports", "Letters", "Events"), "vl"),
    Site("Northgate Daily", "northgate-daily.example", ("world", "uk", "science"),
         ("World", "UK", "Science", "Tech", "Money", "Travel", "Puzzles", "Podcasts", "Video"), "ngd"),
    Site("Eastbrook Gazette", "eastbrookgazette.example", ("stories", "community", "courts"),
         ("Stories", "Community", "Courts", "Council", "Farming", "Classifieds", "Jobs"), "ebg"),
    Site("Coastal Wire", "coastalwire.example", ("wire", "national", "international"),
         ("Top stories", "National", "International", "Markets", "Energy", "Photos", "Corrections"), "cw"),
    Site("Meridian Post", "meridianpost.example", ("articles", "metro", "nation"),
         ("Metro", "Nation", "World", "Arts", "Food", "Real estate", "Crosswords", "Subscribe"), "mp"),
    Site("Riverside Chronicle", "riverside-chronicle.example", ("news", "features", "environment"),
         ("News", "Features", "Environment", "Transport", "Housing", "Education", "Archive"), "rc"),
    Site("Summit Observer", "summitobserver.example", ("report", "policy", "tech"),
         ("Reports", "Policy", "Tech", "Climate", "Data", "Newsletters", "About"), "so"),
)

_UPDATE_NOTES = (
    "This article was updated on {day} to include a response from the regional authority and to correct "
    "the spelling of a name in the fourth paragraph.",
    "Update, {day}: a spokesperson said on Tuesday evening that a full statement would follow later in the "
    "week, after the board had met to review the figures.",
    "Correction: an earlier version of this story gave the wrong date for the hearing. It is scheduled for "
    "{day}, not the following week as previously reported.",
    "Additional reporting by our regional desk. This story has been updated since it was first published on "
    "{day} with further comment from the organisers.",
)
_SWAP_WORDS = ("reportedly", "however", "notably", "yesterday", "officially", "recently", "also")
_TRACKING = (
    "utm_source=newsletter&utm_medium=email&utm_campaign=morning-briefing-{n}",
    "utm_source=twitter&utm_medium=social&utm_content={n}",
    "fbclid=IwAR{n}x8Qk2vLp",
    "gclid=Cj0KCQ{n}EAIaIQ",
    "ref=homepage&icid=top-stories-{n}",
    "at_medium=custom7&at_campaign={n}",
)


@dataclass
class Base:
    """An original benchmark page and what newsmill extracted from it (for re-wrapping and the truth)."""

    ref: str  # "<dataset>/<page id>"
    url: str
    title: str | None
    authors: list[str]
    published: str | None
    language: str | None
    body: list[str]


@dataclass
class TruthRecord:
    url: str
    file: str
    kind: str  # original, exact, tracking, rewrap, rewrap_edit, non_page
    base: str | None  # ref of the original it copies (its own ref for an original)
    detail: str = ""


# --- helpers --------------------------------------------------------------------------------------------


def shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _slug(text: str | None, fallback: str) -> str:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())[:8]
    return "-".join(words) or fallback


def _esc(text: str) -> str:
    return htmllib.escape(text, quote=True)


def benchmark_pages() -> list[tuple[str, str, str | None]]:
    """(dataset, page id, gold URL or None) of every benchmark HTML page, in a stable order."""
    pages = []
    for dataset_dir in sorted(p for p in common.BENCH_DATA.iterdir() if (p / "html").is_dir()):
        urls: dict[str, str] = {}
        gold = dataset_dir / "gold.jsonl"
        if gold.is_file():
            for row in common.read_jsonl(gold):
                if row.get("url"):
                    urls[str(row["id"])] = str(row["url"])
        for path in sorted((dataset_dir / "html").glob("*.html.gz")):
            page_id = path.name[: -len(".html.gz")]
            pages.append((dataset_dir.name, page_id, urls.get(page_id)))
    return pages


def _extract_base(job: tuple[str, str, str]) -> dict[str, Any]:
    dataset, page_id, url = job
    import newsmill

    raw = gzip.decompress(common.html_path(dataset, page_id).read_bytes())
    try:
        article = newsmill.extract(raw, url=url, kind="html")
    except Exception as exc:  # noqa: BLE001 - a page that fails is still an original (rejected by ingest)
        return {"ref": f"{dataset}/{page_id}", "url": url, "title": None, "authors": [], "published": None,
                "language": None, "body": [], "error": f"{type(exc).__name__}: {exc}"}
    return {"ref": f"{dataset}/{page_id}", "url": url, "title": article.title, "authors": article.authors,
            "published": article.published, "language": article.language, "body": article.body}


# --- boilerplate ---------------------------------------------------------------------------------------


def rewrap_page(site: Site, url: str, base: Base, body: list[str], most_read: list[str], rng: random.Random) -> str:
    """A fictional site's page around ``body``: the furniture an extractor has to drop."""
    c = site.css
    title = base.title or body[0][:80]
    author = base.authors[0] if base.authors else f"{site.name} staff"
    published = base.published or "2024-05-02"
    nav = "".join(f'<li><a href="/{_slug(n, "x")}">{_esc(n)}</a></li>' for n in site.nav)
    paragraphs = [f"<p>{_esc(p)}</p>" for p in body]
    if len(paragraphs) > 4 and rng.random() < 0.5:  # an in-article promo, as many sites insert one
        paragraphs.insert(len(paragraphs) // 2, f'<div class="{c}-inline-promo"><a href="/subscribe">Subscribe to '
                          f"{_esc(site.name)} for unlimited access, from just 1 a week</a></div>")
    read = "".join(f'<li><a href="/{site.sections[0]}/{_slug(t, "story")}">{_esc(t)}</a></li>' for t in most_read)
    return f"""<!DOCTYPE html>
<html lang="{_esc(base.language or 'en')}"><head><meta charset="utf-8">
<title>{_esc(title)} | {_esc(site.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{_esc(title)}"><meta property="og:site_name" content="{_esc(site.name)}">
<meta property="og:url" content="{_esc(url)}"><meta name="author" content="{_esc(author)}">
<meta property="article:published_time" content="{_esc(published)}">
<link rel="canonical" href="{_esc(url)}"><link rel="stylesheet" href="/static/{c}.css">
</head><body class="{c}-page">
<div id="{c}-consent" class="{c}-cookie"><p>We and our partners use cookies to personalise content and ads and to
analyse our traffic. <a href="/privacy">Manage your preferences</a>.</p><button>Accept all</button><button>Reject</button></div>
<header class="{c}-masthead"><a class="{c}-logo" href="/">{_esc(site.name)}</a>
<nav class="{c}-nav"><ul>{nav}</ul></nav>
<form class="{c}-search" action="/search"><input name="q" placeholder="Search {_esc(site.name)}"></form>
<a class="{c}-login" href="/account">Sign in</a> <a class="{c}-subscribe" href="/subscribe">Subscribe</a></header>
<main class="{c}-main"><article class="{c}-story">
<p class="{c}-kicker"><a href="/{site.sections[0]}">{_esc(site.sections[0].title())}</a></p>
<h1 class="{c}-headline">{_esc(title)}</h1>
<div class="{c}-byline">By <a rel="author" href="/authors/{_slug(author, 'staff')}">{_esc(author)}</a>
<time datetime="{_esc(published)}">{_esc(published[:10])}</time></div>
<div class="{c}-body">{''.join(paragraphs)}</div>
<div class="{c}-share">Share this story: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a>
<a href="#">Email</a></div></article>
<aside class="{c}-most-read"><h2>Most read</h2><ol>{read}</ol></aside>
<section class="{c}-newsletter"><h2>The {_esc(site.name)} Briefing</h2><p>The day's top stories in your inbox
every morning. Sign up for free.</p><form><input type="email" placeholder="Email address"><button>Sign up</button></form>
</section></main>
<footer class="{c}-footer"><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/advertise">Advertise</a>
</li><li><a href="/corrections">Corrections</a></li></ul>
<p>&copy; 2024 {_esc(site.name)} Media Group. All rights reserved. Registered in England No. {rng.randint(1000000, 9999999)}.</p>
</footer></body></html>
"""


def edit_body(body: list[str], rng: random.Random) -> tuple[list[str], str]:
    """One small edit of an updated or syndicated version: (edited body, what was done)."""
    day = f"{rng.randint(1, 28)} {rng.choice(('March', 'May', 'June', 'October'))}"
    choice = rng.choice(("add-update", "edit-words", "drop-last") if len(body) >= 6 else ("add-update", "edit-words"))
    if choice == "add-update":
        return body + [rng.choice(_UPDATE_NOTES).format(day=day)], choice
    if choice == "drop-last":
        return body[:-1], choice
    # A few words inserted in the longest paragraph: an editor's touch.
    idx = max(range(len(body)), key=lambda i: len(body[i]))
    words = body[idx].split()
    for _ in range(min(3, max(1, len(words) // 20))):
        words.insert(rng.randrange(len(words) + 1), rng.choice(_SWAP_WORDS))
    edited = list(body)
    edited[idx] = " ".join(words)
    return edited, choice


def non_page_payload(rng: random.Random) -> tuple[str, bytes, str]:
    """(HTTP status line, payload, content type) of a record that is not an article page."""
    kind = rng.choice(("jpeg", "pdf", "json", "css", "404", "redirect"))
    if kind == "jpeg":
        return "200 OK", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(rng.randint(2000, 20000)), "image/jpeg"
    if kind == "pdf":
        return "200 OK", b"%PDF-1.4\n" + rng.randbytes(rng.randint(5000, 30000)), "application/pdf"
    if kind == "json":
        return "200 OK", json.dumps({"items": [rng.random() for _ in range(50)]}).encode(), "application/json"
    if kind == "css":
        return "200 OK", b"body{margin:0;font-family:Georgia,serif}" * 40, "text/css"
    if kind == "404":
        return "404 Not Found", b"<html><body><h1>Page not found</h1></body></html>", "text/html; charset=utf-8"
    return "301 Moved Permanently", b"", "text/html"


def warc_record(url: str, when: datetime, status: str, payload: bytes, content_type: str) -> bytes:
    """One gzip member holding one WARC/1.0 response record, as Common Crawl writes them."""
    http = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n"
            "Server: nginx\r\n\r\n").encode("latin-1") + payload
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(bytes=hashlib.md5(url.encode()).digest())}>\r\n"
        f"WARC-Date: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n", compresslevel=6, mtime=0)


def warcinfo_record(name: str) -> bytes:
    body = f"software: newsmill benchmarks/ingest_corpus.py v{CORPUS_VERSION}\r\nformat: WARC File Format 1.0\r\n".encode()
    head = (f"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2024-06-01T00:00:00Z\r\nWARC-Filename: {name}\r\n"
            f"Content-Type: application/warc-fields\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    return gzip.compress(head + body + b"\r\n\r\n", mtime=0)


# --- the corpus -----------------------------------------------------------------------------------------


@dataclass
class Corpus:
    root: Path
    files: list[Path]
    truth: list[TruthRecord]
    bases: dict[str, Base]
    natural: list[tuple[str, str, float]]  # (ref, ref, true Jaccard) of original pairs >= NATURAL_DIFFERENT

    @property
    def records(self) -> int:
        return len(self.truth)

    def prefix(self, records: int) -> tuple[list[Path], int]:
        """The first WARC files holding about ``records`` records, and how many records they hold."""
        per_file = Counter(t.file for t in self.truth)
        chosen, total = [], 0
        for f in self.files:
            if total >= records:
                break
            chosen.append(f)
            total += per_file[f.name]
        return chosen, total


def corpus_dir(records: int, seed: int) -> Path:
    return CORPUS_ROOT / f"corpus-v{CORPUS_VERSION}-{records}-seed{seed}"


def load_corpus(records: int, seed: int) -> Corpus | None:
    root = corpus_dir(records, seed)
    manifest = root / "manifest.json"
    if not manifest.is_file():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    bases = {r["ref"]: Base(**r) for r in common.read_jsonl(root / "bases.jsonl")}
    return Corpus(root, [root / "warc" / f for f in data["files"]], [TruthRecord(**t) for t in common.read_jsonl(root / "truth.jsonl")],
                  bases, [tuple(p) for p in data["natural"]])  # type: ignore[misc]


def build_corpus(records: int, seed: int, log: Any = print) -> Corpus:
    """Build (or load from the cache) the corpus of ``records`` WARC records."""
    cached = load_corpus(records, seed)
    if cached is not None:
        return cached
    started = time.monotonic()
    rng = random.Random(seed)
    root = corpus_dir(records, seed)
    warc_dir = root / "warc"  # only the WARC files, so that the folder itself can be ingested
    warc_dir.mkdir(parents=True, exist_ok=True)
    pages = benchmark_pages()
    n_non_page = max(1, round(records * NON_PAGE_SHARE))
    n_original = min(len(pages), round(records * ORIGINAL_SHARE))
    chosen = rng.sample(pages, n_original)
    used_urls: set[str] = set()
    jobs = []
    for dataset, page_id, gold_url in chosen:
        url = gold_url if gold_url and gold_url.startswith("http") and gold_url not in used_urls else None
        if url is None:
            # The whole id: ids of some sets share long prefixes (truncated ids collided at 20,000 records).
            url = f"https://www.{dataset}-news.example/{page_id}.html"
        n = 1
        while url in used_urls:
            n += 1
            url = f"https://www.{dataset}-news.example/{page_id}-{n}.html"
        used_urls.add(url)
        jobs.append((dataset, page_id, url))
    log(f"corpus: extracting {len(jobs)} original pages (once; cached in {root})")
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(BUILD_WORKERS) as pool:
        base_rows = list(pool.imap(_extract_base, jobs, chunksize=8))
    base_rows = [{k: v for k, v in r.items() if k != "error"} for r in base_rows]
    bases = {r["ref"]: Base(**r) for r in base_rows}
    common.write_jsonl(root / "bases.jsonl", base_rows)
    natural = natural_pairs(bases)

    # Plan the records: originals, copies of random originals, non-pages.
    plan: list[tuple[str, str | None]] = [("original", b) for b in bases]
    n_copies = max(0, records - n_original - n_non_page)
    refs = list(bases)
    long_refs = [r for r in refs if sum(len(p.split()) for p in bases[r].body) >= MIN_WORDS_FOR_NEAR_COPY]
    kinds = list(COPY_KIND_SHARES)
    weights = [COPY_KIND_SHARES[k] for k in kinds]
    for _ in range(n_copies):
        kind = rng.choices(kinds, weights)[0]
        if kind.startswith("rewrap") and long_refs:
            plan.append((kind, rng.choice(long_refs)))
        else:
            plan.append(((kind if not kind.startswith("rewrap") else "exact"), rng.choice(refs)))
    plan += [("non_page", None)] * n_non_page
    rng.shuffle(plan)

    raw_cache: dict[str, bytes] = {}

    def original_bytes(ref: str) -> bytes:
        if ref not in raw_cache:
            if len(raw_cache) > 256:
                raw_cache.clear()
            dataset, page_id = ref.split("/", 1)
            raw_cache[ref] = gzip.decompress(common.html_path(dataset, page_id).read_bytes())
        return raw_cache[ref]

    titles = [b.title for b in bases.values() if b.title]
    truth: list[TruthRecord] = []
    per_file = -(-len(plan) // WARC_FILES)
    files: list[Path] = []
    out: io.BufferedWriter | None = None
    for i, (kind, ref) in enumerate(plan):
        if i % per_file == 0:
            if out is not None:
                out.close()
            name = f"crawl-{len(files):05d}.warc.gz"
            files.append(warc_dir / name)
            out = open(warc_dir / (name + ".tmp"), "wb")  # noqa: SIM115 - closed at the next file or the end
            out.write(warcinfo_record(name))
        assert out is not None
        when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 365 * 86400))
        status, ctype, detail = "200 OK", "text/html; charset=utf-8", ""
        if kind == "non_page":
            status, payload, ctype = non_page_payload(rng)
            url = f"https://cdn.{rng.choice(SITES).domain}/assets/{i:06d}-{ctype.split('/')[-1].split(';')[0]}"
        elif kind == "original":
            assert ref is not None
            url, payload = bases[ref].url, original_bytes(ref)
        elif kind == "exact":
            assert ref is not None
            site = rng.choice(SITES)
            url = f"https://www.{site.domain}/{rng.choice(site.sections)}/{_slug(bases[ref].title, 'story')}-{i}"
            payload = original_bytes(ref)
        elif kind == "tracking":
            assert ref is not None
            url = bases[ref].url
            url += ("&" if "?" in url else "?") + rng.choice(_TRACKING).format(n=i)
            if rng.random() < 0.3:
                url = url.replace("https://", "http://", 1)
            payload = original_bytes(ref)
        else:
            assert ref is not None
            site = rng.choice(SITES)
            url = f"https://www.{site.domain}/{rng.choice(site.sections)}/{_slug(bases[ref].title, 'story')}-{i}"
            body = list(bases[ref].body)
            if kind == "rewrap_edit":
                body, detail = edit_body(body, rng)
            payload = rewrap_page(site, url, bases[ref], body, rng.sample(titles, min(5, len(titles))), rng).encode()
        truth.append(TruthRecord(url=url, file=files[-1].name, kind=kind, base=ref, detail=detail))
        out.write(warc_record(url, when, status, payload, ctype))
    if out is not None:
        out.close()
    for f in files:
        (warc_dir / (f.name + ".tmp")).replace(f)
    assert len({t.url for t in truth}) == len(truth), "record URLs must be unique: they key the truth"
    common.write_jsonl(root / "truth.jsonl", (asdict(t) for t in truth))
    common.write_json(root / "manifest.json", {
        "version": CORPUS_VERSION, "records": len(truth), "seed": seed, "files": [f.name for f in files],
        "natural": natural, "seconds": round(time.monotonic() - started, 1),
        "kinds": Counter(t.kind for t in truth),
    })
    log(f"corpus: {len(truth):,} records in {len(files)} files, built in {time.monotonic() - started:.0f}s")
    loaded = load_corpus(records, seed)
    assert loaded is not None
    return loaded


def natural_pairs(bases: dict[str, Base]) -> list[tuple[str, str, float]]:
    """Pairs of originals whose extracted bodies have a true shingle Jaccard >= NATURAL_DIFFERENT_JACCARD."""
    sets = {ref: shingles("\n".join(b.body)) for ref, b in bases.items() if b.body}
    postings: dict[str, list[str]] = defaultdict(list)
    for ref, s in sets.items():
        for sh in s:
            postings[sh].append(ref)
    shared: Counter[tuple[str, str]] = Counter()
    for refs in postings.values():
        if 1 < len(refs) <= MAX_SHINGLE_POSTINGS:
            for i, a in enumerate(refs):
                for b in refs[i + 1 :]:
                    shared[(a, b) if a < b else (b, a)] += 1
    pairs = []
    for (a, b), n in shared.items():
        # n shared shingles bound the Jaccard from above by n / max(|A|, |B|); skip hopeless pairs cheaply.
        if n / max(len(sets[a]), len(sets[b])) < NATURAL_DIFFERENT_JACCARD:
            continue
        j = jaccard(sets[a], sets[b])
        if j >= NATURAL_DIFFERENT_JACCARD:
            pairs.append((a, b, round(j, 4)))
    # Identical bodies made only of shingles common to many pages (a one-line error page) have no posting
    # short enough to pair them above; their text does.
    by_text: dict[str, list[str]] = defaultdict(list)
    for ref, base in bases.items():
        if base.body:
            by_text["\n".join(base.body).lower()].append(ref)
    known = {(a, b) for a, b, _ in pairs}
    for refs in by_text.values():
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                key = (a, b) if a < b else (b, a)
                if key not in known:
                    pairs.append((*key, 1.0))
    return sorted(pairs)


# --- the search collection --------------------------------------------------------------------------------

#: Bump when the way the search collection is composed changes (its cached JSONL is then rebuilt).
SEARCH_COLLECTION_VERSION = 2
#: Paragraphs used to compose search articles: shorter ones are captions and share lines; longer ones are
#: whole pages without paragraph breaks, which would dominate every article they are drawn into and make
#: those articles near copies of each other (a 20,000-article collection with no upper bound and 4-12
#: paragraphs had 38 such duplicates in development).
MIN_POOL_PARAGRAPH_WORDS = 15
MAX_POOL_PARAGRAPH_WORDS = 80
#: Paragraphs per composed article, drawn from the whole pool: with at least 6 of at most 80 words, one
#: shared paragraph keeps two articles' shingle Jaccard below ~0.35, under the near-duplicate threshold.
SEARCH_PARAGRAPHS = (6, 12)
SEARCH_PUBLISHERS = 40
SEARCH_YEARS = (2015, 2025)


def search_collection(corpus: Corpus, size: int, seed: int) -> Path:
    """A JSONL of ``size`` newsmill Article objects (``Article.to_json``), built from the corpus' extracted
    articles: each keeps one original's headline, authors and language, gets a body composed of paragraphs
    drawn from the whole corpus (so the articles are distinct documents, not near copies of the ~5,000
    originals), a publication date spread over 2015-2025 and one of 40 fictional publishers."""
    from newsmill.models import Article

    path = CORPUS_ROOT / f"search-v{CORPUS_VERSION}.{SEARCH_COLLECTION_VERSION}-{size}-seed{seed}.jsonl"
    if path.is_file():
        return path
    rng = random.Random(seed * 7919 + size)
    bases = [b for b in corpus.bases.values() if b.body and b.title]
    pool = sorted({p for b in bases for p in b.body if MIN_POOL_PARAGRAPH_WORDS <= len(p.split()) <= MAX_POOL_PARAGRAPH_WORDS})
    publishers = [f"{rng.choice(('The', ''))} {w} {rng.choice(('Times', 'Herald', 'Post', 'Tribune', 'Courier', 'Ledger', 'Gazette', 'Wire'))}".strip()
                  for w in rng.sample(["Ashford", "Brindle", "Calder", "Dunmore", "Elsworth", "Fairhaven", "Glenrock",
                                       "Holloway", "Ironbridge", "Juniper", "Kestrel", "Larkfield", "Marlow", "Northwick",
                                       "Oakhurst", "Pembury", "Quarry", "Redmere", "Stoneleigh", "Thornbury", "Upton",
                                       "Vale", "Westbury", "Yarrow", "Zennor", "Alder", "Bexley", "Corran", "Dalby",
                                       "Eskdale", "Fenwick", "Garston", "Hartfield", "Ilkley", "Kelso", "Langdale",
                                       "Millbrook", "Netherby", "Ormond", "Penrith"], SEARCH_PUBLISHERS)]
    start = datetime(SEARCH_YEARS[0], 1, 1, tzinfo=UTC)
    span = (datetime(SEARCH_YEARS[1], 12, 31, tzinfo=UTC) - start).total_seconds()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for i in range(size):
            base = rng.choice(bases)
            publisher = rng.choice(publishers)
            when = start + timedelta(seconds=rng.uniform(0, span))
            body = rng.sample(pool, min(len(pool), rng.randint(*SEARCH_PARAGRAPHS)))
            article = Article(
                url=f"https://{_slug(publisher, 'pub')}.example/{when:%Y/%m/%d}/{_slug(base.title, 'story')}-{i}",
                publisher=publisher, title=base.title, authors=base.authors, language=base.language,
                published=when.strftime("%Y-%m-%dT%H:%M:%S+00:00"), body=body,
            )
            out.write(article.to_json() + "\n")
    tmp.replace(path)
    return path

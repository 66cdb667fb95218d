"""Article metadata from an HTML page: title, authors, dates, publisher, section, tags, language...

Every field is collected as candidates from several sources and the winner's source is recorded in
``PageMetadata.provenance`` (``Provenance.method`` such as ``jsonld:headline`` or
``meta:article:published_time``; ``paths`` holds the element path). Sources, most trusted first:

1. JSON-LD article nodes (NewsArticle, Article, BlogPosting, ... inside ``@graph`` and lists):
   written by the publisher for search engines, with typed fields.
2. OpenGraph and ``article:*`` meta, then other named meta (parsely-*, sailthru.*, dc.*,
   citation_*, byl, author, pubdate, ...).
3. Microdata (``itemprop``) in the page body, then JSON-LD page nodes (WebPage dates, WebSite name).
4. Visible markup: ``<time>`` elements, ``rel=author`` and byline elements, ``<h1>``, ``<title>``.
5. Last resorts, flagged as such: htmldate for the published date (only when nothing explicit was
   found), the URL's host for the publisher.

The title is the exception: headline sources are compared and the value most of them agree on wins
(``<title>`` is cleaned of the site name first). Published and updated come from separate source
lists and are never swapped. Pure function of the parsed tree and URL: no network, no tree edits.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from newsmill.extract.authors import clean_author_names, looks_like_org
from newsmill.extract.dates import ParsedDate, month_first_for, parse_date_text, parse_machine_date
from newsmill.models import Provenance

HtmlElement = lxml.html.HtmlElement

# --- tuning constants ---------------------------------------------------------------------------------

#: JSON-LD scripts larger than this are skipped (product catalogues, not article metadata).
MAX_JSONLD_CHARS = 300_000
#: Depth limit when walking nested JSON-LD (an article node is never deeper than a few levels).
MAX_JSONLD_DEPTH = 8
#: Headlines longer than this are body text caught by a bad selector.
MAX_TITLE_CHARS = 300
#: A byline element with more text than this is a bio box or an author list, not a byline.
MAX_BYLINE_ELEMENT_CHARS = 120
#: Dates later than now plus this margin are placeholders or typos (margin covers time zones).
FUTURE_MARGIN = timedelta(days=2)
#: Earliest date accepted from a page (before the web, a "date" is usually a birthday or an event).
MIN_PAGE_DATE = date(1995, 1, 1)
#: At most this many tags are kept (keyword meta can list hundreds).
MAX_TAGS = 40
#: htmldate runs in fast mode (~1 ms a page, measured on htmldate-eval, 2 cores), then in extensive
#: mode (~9 ms) only if fast mode found nothing: that keeps the mean cost low while catching the
#: dates only printed in running text.
HTMLDATE_MODES = (False, True)

ARTICLE_TYPES = frozenset(
    """
    article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle reviewnewsarticle
    backgroundnewsarticle askpublicnewsarticle satiricalarticle advertisercontentarticle blogposting
    liveblogposting socialmediaposting discussionforumposting techarticle scholarlyarticle report
    medicalscholarlyarticle
    """.split()
)
#: Other creative works that carry a headline/author/date when a page has no Article node.
SECONDARY_WORK_TYPES = frozenset(
    "review recipe howto videoobject podcastepisode creativework qapage question product course event".split()
)
PAGE_TYPES = frozenset("webpage itempage collectionpage aboutpage profilepage searchresultspage".split())
ORG_TYPES = frozenset("organization newsmediaorganization corporation localbusiness website".split())

# Meta keys per field, most trusted first. Keys are lower-cased name/property/itemprop values.
TITLE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title",
              "citation_title", "headline", "title")
AUTHOR_META = ("article:author", "og:article:author", "author", "byl", "parsely-author", "sailthru.author",
               "dc.creator", "dcterms.creator", "citation_author", "article.author", "authors", "creator",
               "cxenseparse:author", "dc.contributor")
PUBLISHED_META = ("article:published_time", "og:article:published_time", "article:published",
                  "published_time", "og:published_time", "parsely-pub-date", "sailthru.date",
                  "datepublished", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
                  "citation_publication_date", "citation_date", "citation_online_date", "pubdate",
                  "publish-date", "publishdate", "publish_date", "publication_date", "date", "dc.date",
                  "dcterms.date", "article.published", "article_date_original", "original-publish-date",
                  "cxenseparse:recs:publishtime", "date.available", "release_date", "created")
UPDATED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                "dc.date.modified", "dcterms.modified", "modified_time", "last-modified", "lastmod",
                "article.updated", "updated_time", "revised")
PUBLISHER_META = ("og:site_name", "application-name", "dc.publisher", "dcterms.publisher",
                  "citation_publisher", "publisher", "cxenseparse:recs:publisher", "al:ios:app_name")
SECTION_META = ("article:section", "parsely-section", "sailthru.section", "section", "category",
                "dc.subject", "cxenseparse:recs:articlesection")
TAG_META = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags", "dc.subject")
DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description",
                    "dcterms.abstract")
IMAGE_META = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src",
              "thumbnail", "image")
LANGUAGE_META = ("content-language", "og:locale", "language", "dc.language", "dcterms.language", "lang",
                 "inlanguage")

# Title separators in <title>: "Headline | Site", "Site - Headline", "Headline :: Site".
_TITLE_SEP_RE = re.compile(r"\s+[|–—·•»«/~]\s+|\s*\|\s*|\s+::\s+|\s+-\s+|\s+--\s+|\s*[«»]\s*")
_COLON_SEP_RE = re.compile(r"(?<=\w):\s+")
_BYLINE_CLASS_RE = re.compile(r"byline|author|writtenby|p-author|autor|auteur|article-meta__name|creditline", re.I)
_BYLINE_SKIP_RE = re.compile(
    r"avatar|image|img|photo|picture|thumb|bio\b|-bio|_bio|about|comment|related|more-|social|share|follow|"
    r"card|widget|footer|popup|modal|list|label|role|title--|email|twitter",
    re.I,
)
_NOISE_CONTAINER_RE = re.compile(r"comment|related|recommend|sidebar|footer|teaser|promo|newsletter", re.I)
_UPDATED_CLASS_RE = re.compile(r"updat|modif|revis|aktualisiert", re.I)
_LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$")
_WS_RE = re.compile(r"\s+")
_JSON_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")
_JSON_SALVAGE_RE = re.compile(
    r'"(headline|datePublished|dateModified|dateCreated|name|@type|inLanguage|articleSection)"\s*:\s*"((?:[^"\\]|\\.){0,500})"'
)


@dataclass
class PageMetadata:
    """Metadata of one page; ``provenance`` maps each filled field to the source that won."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    publisher: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    description: str | None = None
    image_url: str | None = None
    paywalled: bool = False
    provenance: dict[str, Provenance] = field(default_factory=dict)


@dataclass(slots=True)
class _Candidate:
    value: Any
    method: str
    element: HtmlElement | None = None


@dataclass
class _Page:
    """Everything collected from the tree in one pass, shared by the field resolvers."""

    doc: HtmlElement
    url: str | None
    meta: dict[str, list[tuple[str, HtmlElement]]]
    articles: list[tuple[dict[str, Any], HtmlElement]]
    pages: list[tuple[dict[str, Any], HtmlElement]]
    works: list[tuple[dict[str, Any], HtmlElement]]
    ids: dict[str, dict[str, Any]]
    site_names: list[str]
    salvaged: bool = False
    month_first: bool | None = None


# --- public API ---------------------------------------------------------------------------------------


def extract_html_metadata(
    doc: HtmlElement,
    url: str | None = None,
    *,
    use_htmldate: bool = True,
    now: datetime | None = None,
    timings: dict[str, float] | None = None,
) -> PageMetadata:
    """Metadata of a parsed page. ``doc`` is not modified; ``url`` helps with relative links and dates.

    ``use_htmldate=False`` skips the htmldate fallback (for callers on a tight budget). ``now``
    bounds plausible dates (defaults to the current UTC time). When ``timings`` is given, the seconds
    spent per step are added to it (keys: collect, title, authors, dates, htmldate, other).
    """
    clock = _StepClock(timings)
    root = doc.getroottree().getroot() if hasattr(doc, "getroottree") else doc
    page = _collect(root, url)
    clock.lap("collect")
    out = PageMetadata()
    limit = (now or datetime.now(UTC)).date() + FUTURE_MARGIN
    out.language = _set(out, "language", _first(_language_candidates(page)))
    page.month_first = month_first_for(url, out.language)
    out.publisher = _set(out, "publisher", _first(_publisher_candidates(page)))
    clock.lap("other")
    out.title = _set(out, "title", _choose_title(page))
    clock.lap("title")
    out.authors = _set(out, "authors", _choose_authors(page, out.publisher)) or []
    clock.lap("authors")
    out.published = _set(out, "published", _choose_date(_published_candidates(page), limit))
    out.updated = _set(out, "updated", _choose_date(_updated_candidates(page), limit))
    clock.lap("dates")
    if out.published is None and use_htmldate:
        out.published = _set(out, "published", _htmldate_candidate(root, url, limit))
    clock.lap("htmldate")
    out.section = _set(out, "section", _first(_section_candidates(page)))
    out.tags = _set(out, "tags", _first(_tag_candidates(page))) or []
    out.description = _set(out, "description", _first(_description_candidates(page)))
    out.image_url = _set(out, "image_url", _first(_image_candidates(page)))
    out.paywalled = bool(_set(out, "paywalled", _first(_paywall_candidates(page))))
    clock.lap("other")
    return out


class _StepClock:
    """Adds elapsed seconds per step to a caller's dict; does nothing without one."""

    def __init__(self, sink: dict[str, float] | None) -> None:
        self.sink = sink
        self.last = time.perf_counter() if sink is not None else 0.0

    def lap(self, step: str) -> None:
        if self.sink is None:
            return
        now = time.perf_counter()
        self.sink[step] = self.sink.get(step, 0.0) + now - self.last
        self.last = now


# --- collection ---------------------------------------------------------------------------------------


def _collect(root: HtmlElement, url: str | None) -> _Page:
    meta = _collect_meta(root)
    nodes, salvaged = _collect_jsonld(root)
    ids = {str(n["@id"]): n for n, _ in nodes if isinstance(n.get("@id"), str)}
    articles, pages, works, site_names = [], [], [], []
    for node, el in nodes:
        types = _types(node)
        if types & ARTICLE_TYPES:
            articles.append((node, el))
        elif types & PAGE_TYPES:
            pages.append((node, el))
        elif types & SECONDARY_WORK_TYPES:
            works.append((node, el))
        if "website" in types and isinstance(node.get("name"), str):
            site_names.append(_clean_text(node["name"]))
    articles.sort(key=lambda ne: -_richness(ne[0]))
    page = _Page(root, url, meta, articles, pages, works, ids, site_names, salvaged)
    for key in ("og:site_name", "application-name", "al:ios:app_name", "twitter:app:name:iphone"):
        page.site_names.extend(v for v, _ in meta.get(key, []))
    for node, _ in articles[:1]:
        page.site_names.extend(_names_of(node.get("publisher"), page))
    page.site_names = [s for s in dict.fromkeys(page.site_names) if s]
    return page


def _collect_meta(root: HtmlElement) -> dict[str, list[tuple[str, HtmlElement]]]:
    meta: dict[str, list[tuple[str, HtmlElement]]] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        content = _clean_text(content)
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                # "property" may hold several space-separated values (RDFa)
                for k in key.lower().split():
                    meta.setdefault(k, []).append((content, el))
    return meta


def _collect_jsonld(root: HtmlElement) -> tuple[list[tuple[dict[str, Any], HtmlElement]], bool]:
    nodes: list[tuple[dict[str, Any], HtmlElement]] = []
    salvaged = False
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSONLD_CHARS:
            continue
        data = _load_json(text)
        if data is None:
            data = _salvage_json(text)
            salvaged = salvaged or data is not None
        if data is not None:
            nodes.extend((node, script) for node in _walk_nodes(data, 0))
    return nodes, salvaged


def _load_json(text: str) -> Any | None:
    """json.loads with the repairs that real pages need: comments, CDATA, trailing commas, several
    objects in one script."""
    text = text.strip()
    for junk in ("<!--", "-->", "//<![CDATA[", "//]]>", "/*<![CDATA[*/", "/*]]>*/", "<![CDATA[", "]]>"):
        text = text.replace(junk, "")
    text = text.strip().rstrip(";")
    for attempt in (text, _JSON_TRAILING_COMMA_RE.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            pass
        objects = _raw_decode_all(attempt)
        if objects:
            return objects
    return None


def _raw_decode_all(text: str) -> list[Any]:
    decoder = json.JSONDecoder(strict=False)
    out: list[Any] = []
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= len(text):
            break
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return out
        out.append(obj)
    return out


def _salvage_json(text: str) -> dict[str, Any] | None:
    """Fields rescued by pattern from JSON-LD that no repair could parse (unescaped quotes etc.)."""
    found: dict[str, Any] = {}
    for key, value in _JSON_SALVAGE_RE.findall(text):
        found.setdefault(key, value.replace('\\"', '"').replace("\\/", "/"))
    if not found.get("@type") or not ({"headline", "datePublished", "dateModified"} & found.keys()):
        return None
    m = re.search(r'"author"\s*:\s*(?:\[\s*)?\{[^{}]*?"name"\s*:\s*"((?:[^"\\]|\\.){1,200})"', text)
    if m is None:
        m = re.search(r'"author"\s*:\s*"((?:[^"\\]|\\.){1,200})"', text)
    if m is not None:
        found["author"] = m.group(1)
    found["_salvaged"] = True
    return found


def _walk_nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Typed JSON-LD nodes: top level, @graph members, list items and nested objects."""
    if depth > MAX_JSONLD_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_nodes(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if key in {"@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item", "hasPart",
                       "about", "subjectOf", "isPartOf", "@list"} and isinstance(value, dict | list):
                yield from _walk_nodes(value, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    out = set()
    for v in values:
        if isinstance(v, str):
            out.add(v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower())
    return out


def _richness(node: dict[str, Any]) -> int:
    """Prefer the article node that describes this page: headline, dates and author present."""
    return sum(1 for k in ("headline", "datePublished", "author", "articleBody", "dateModified") if node.get(k))


# --- field resolvers ----------------------------------------------------------------------------------


def _set(out: PageMetadata, name: str, cand: _Candidate | None) -> Any:
    if cand is None:
        return None
    paths = []
    if cand.element is not None:
        try:
            paths = [cand.element.getroottree().getpath(cand.element)]
        except ValueError:
            paths = []
    out.provenance[name] = Provenance(method=cand.method, paths=paths)
    return cand.value


def _first(cands: Iterable[_Candidate]) -> _Candidate | None:
    for cand in cands:
        if cand.value not in (None, "", []):
            return cand
    return None


def _meta_values(page: _Page, keys: Iterable[str]) -> Iterator[tuple[str, str, HtmlElement]]:
    for key in keys:
        for value, el in page.meta.get(key, []):
            yield key, value, el


def _jsonld_values(nodes: list[tuple[dict[str, Any], HtmlElement]], key: str) -> Iterator[tuple[Any, HtmlElement]]:
    for node, el in nodes:
        value = node.get(key)
        if value not in (None, "", []):
            yield value, el


def _jsonld_method(page: _Page, key: str) -> str:
    return f"jsonld{'-salvaged' if page.salvaged else ''}:{key}"


# language


def _language_candidates(page: _Page) -> Iterator[_Candidate]:
    root = page.doc
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        lang = _normalize_lang(root.get(attr))
        if lang:
            yield _Candidate(lang, "html:lang", root)
            return
    for key, value, el in _meta_values(page, LANGUAGE_META):
        lang = _normalize_lang(value.split(",")[0])
        if lang:
            yield _Candidate(lang, f"meta:{key}", el)
            return
    for value, el in _jsonld_values(page.articles, "inLanguage"):
        if isinstance(value, str) and _normalize_lang(value):
            yield _Candidate(_normalize_lang(value), "jsonld:inLanguage", el)


def _normalize_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-")
    if not _LANG_RE.match(value):
        return None
    parts = value.split("-")
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else p for p in parts[1:]]
    return "-".join([head, *rest])


# publisher


def _publisher_candidates(page: _Page) -> Iterator[_Candidate]:
    for value, el in _jsonld_values(page.articles, "publisher"):
        for name in _names_of(value, page):
            yield _Candidate(name, "jsonld:publisher", el)
    for key, value, el in _meta_values(page, PUBLISHER_META):
        if not value.startswith("http"):
            yield _Candidate(value, f"meta:{key}", el)
    for name in page.site_names:
        yield _Candidate(name, "jsonld:WebSite.name")
    host = _host(page.url)
    if host:
        yield _Candidate(host, "url:host")


# title


def _choose_title(page: _Page) -> _Candidate | None:
    """Headline sources vote; <title> is cleaned of site names; ties go to the most trusted source."""
    cands = [c for c in _title_candidates(page) if c.value]
    if not cands:
        return None
    site_keys = _site_keys(page)
    cleaned: list[_Candidate] = []
    for cand in cands:
        text = _strip_site_segments(cand.value, site_keys)
        if text and len(text) <= MAX_TITLE_CHARS:
            cleaned.append(_Candidate(text, cand.method, cand.element))
    if not cleaned:
        return None
    keys = [_norm(c.value) for c in cleaned]
    h1_keys = {k for c, k in zip(cleaned, keys, strict=True) if c.method == "html:h1"}
    support: dict[str, int] = {}
    for c, k in zip(cleaned, keys, strict=True):
        if c.method != "html:h1" or k not in support:
            support[k] = support.get(k, 0) + 1
    for k in h1_keys:
        # A visible h1 that matches part of a meta title ("Kicker: Headline") confirms that part.
        for other in list(support):
            if k != other and k in _segments_norm(other):
                support[k] = support.get(k, 0) + 1
    best_i = max(range(len(cleaned)), key=lambda i: (support.get(keys[i], 0), -i))
    best = cleaned[best_i]
    if best.method == "html:title" and support.get(keys[best_i], 0) <= 1:
        best = _Candidate(_best_title_segment(best.value, site_keys), best.method, best.element)
    return best


def _title_candidates(page: _Page) -> Iterator[_Candidate]:
    for value, el in _jsonld_values(page.articles, "headline"):
        if isinstance(value, str):
            yield _Candidate(_clean_text(value), _jsonld_method(page, "headline"), el)
            break
    for key, value, el in _meta_values(page, TITLE_META):
        yield _Candidate(value, f"meta:{key}", el)
    for el in page.doc.xpath("//*[@itemprop='headline'][not(self::meta)]")[:1]:
        yield _Candidate(_text_of(el), "microdata:headline", el)
    for value, el in _jsonld_values(page.articles or page.works, "name"):
        if isinstance(value, str):
            yield _Candidate(_clean_text(value), _jsonld_method(page, "name"), el)
            break
    for el in _h1_elements(page.doc):
        yield _Candidate(_text_of(el), "html:h1", el)
    title_el = page.doc.find(".//title")
    if title_el is not None:
        yield _Candidate(_text_of(title_el), "html:title", title_el)


def _h1_elements(root: HtmlElement) -> list[HtmlElement]:
    out = []
    for el in root.iter("h1"):
        text = _text_of(el)
        if text and len(text) <= MAX_TITLE_CHARS:
            out.append(el)
        if len(out) >= 3:
            break
    return out


def _site_keys(page: _Page) -> set[str]:
    keys = {_alnum(s) for s in page.site_names if s}
    host = _host(page.url)
    if host:
        labels = host.split(".")
        core = labels[-2] if len(labels) >= 2 else labels[0]
        keys.add(_alnum(core))
        keys.add(_alnum(host))
    return {k for k in keys if len(k) >= 3}


def _is_site_segment(segment: str, site_keys: set[str]) -> bool:
    seg = _alnum(segment)
    if not seg or len(segment.split()) > 6:
        return False
    return any(seg == k or (len(k) >= 4 and (k in seg or seg in k)) for k in site_keys)


def _strip_site_segments(title: str, site_keys: set[str]) -> str:
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) > 1:
        kept = [p for p in parts if p and not _is_site_segment(p, site_keys)]
        if kept and len(kept) < len(parts):
            title = _join_like(title, kept)
    # "Site: Headline" uses a colon; only strip it when the part before is a known site name.
    m = _COLON_SEP_RE.search(title)
    if m and _is_site_segment(title[: m.start()], site_keys):
        title = title[m.end():]
    return title.strip(" |-–—:·•")


def _join_like(original: str, kept: list[str]) -> str:
    """Rejoin kept segments with the separator the title used."""
    m = _TITLE_SEP_RE.search(original)
    sep = m.group(0) if m else " "
    return sep.join(kept)


def _best_title_segment(title: str, site_keys: set[str]) -> str:
    """An unconfirmed <title> with separators left: keep the longest part (the headline is the
    longest segment in "Headline | Section | Site" and in "Site | Headline")."""
    parts = [p for p in _TITLE_SEP_RE.split(title) if p]
    if len(parts) < 2:
        return title
    longest = max(parts, key=len)
    return longest if len(longest.split()) >= 3 else title


def _segments_norm(text_norm: str) -> set[str]:
    parts = re.split(r"\s*(?::|\||–|—|\s-\s)\s*", text_norm)
    return {p.strip() for p in parts if p.strip()}


# authors


def _choose_authors(page: _Page, publisher: str | None) -> _Candidate | None:
    """The first source naming a person wins; an organisation only when no source names a person."""
    site = {_alnum(s) for s in [*page.site_names, publisher or ""] if s}
    fallback: _Candidate | None = None
    for cand in _author_candidates(page):
        names = clean_author_names(cand.value)
        if not names:
            continue
        people = [n for n in names if not looks_like_org(n) and _alnum(n) not in site]
        if people:
            return _Candidate(people, cand.method, cand.element)
        if fallback is None:
            fallback = _Candidate(names, cand.method, cand.element)
    return fallback


def _author_candidates(page: _Page) -> Iterator[_Candidate]:
    for value, el in _jsonld_values(page.articles, "author"):
        yield _Candidate(_names_of(value, page), _jsonld_method(page, "author"), el)
    for value, el in _jsonld_values(page.articles, "creator"):
        yield _Candidate(_names_of(value, page), _jsonld_method(page, "creator"), el)
    for key in AUTHOR_META:
        hits = page.meta.get(key, [])
        if hits:
            yield _Candidate([v for v, _ in hits], f"meta:{key}", hits[0][1])
    label = page.meta.get("twitter:label1", [])
    data = page.meta.get("twitter:data1", [])
    if label and data and re.search(r"written by|author|verfasst|autor", label[0][0], re.I):
        yield _Candidate([data[0][0]], "meta:twitter:data1", data[0][1])
    yield from _microdata_authors(page)
    for value, el in _jsonld_values(page.works, "author"):
        yield _Candidate(_names_of(value, page), _jsonld_method(page, "author"), el)
    yield from _visible_authors(page)


def _microdata_authors(page: _Page) -> Iterator[_Candidate]:
    for el in page.doc.xpath("//*[@itemprop][not(self::meta)][contains(concat(' ', @itemprop, ' '), ' author ')]")[:5]:
        names = el.xpath(".//*[@itemprop='name']")
        if names:
            values = [n.get("content") or _text_of(n) for n in names]
        else:
            values = [el.get("content") or _text_of(el)]
        values = [v for v in values if v and len(v) <= MAX_BYLINE_ELEMENT_CHARS]
        if values:
            yield _Candidate(values, "microdata:author", el)


def _visible_authors(page: _Page) -> Iterator[_Candidate]:
    for el in page.doc.xpath("//a[@rel='author']")[:3]:
        text = _text_of(el)
        if text and len(text) <= MAX_BYLINE_ELEMENT_CHARS and not _in_noise(el):
            yield _Candidate([text], "html:rel-author", el)
    for el in _byline_elements(page.doc):
        yield _Candidate([_text_of(el)], "html:byline", el)


def _byline_elements(root: HtmlElement) -> Iterator[HtmlElement]:
    xpath = (
        "//*[not(self::meta or self::script or self::style or self::link or self::img or self::body)]"
        "[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 'author') "
        "or contains(translate(@class, 'BYLINE', 'byline'), 'byline') or contains(@id, 'author') "
        "or contains(@id, 'byline') or contains(@class, 'autor') or contains(@class, 'writtenby')]"
    )
    count = 0
    for el in root.xpath(xpath):
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if not _BYLINE_CLASS_RE.search(attrs) or _BYLINE_SKIP_RE.search(attrs):
            continue
        text = _text_of(el)
        if not text or len(text) > MAX_BYLINE_ELEMENT_CHARS or _in_noise(el):
            continue
        yield el
        count += 1
        if count >= 3:
            return


def _in_noise(el: HtmlElement) -> bool:
    """Inside comments, related-article teasers, sidebars or the footer."""
    for anc in el.iterancestors():
        if anc.tag in {"footer", "aside", "nav"}:
            return True
        attrs = f"{anc.get('class', '')} {anc.get('id', '')}"
        if attrs.strip() and _NOISE_CONTAINER_RE.search(attrs):
            return True
    return False


def _names_of(value: Any, page: _Page) -> list[str]:
    """Names in a JSON-LD person/organisation value: string, object, @id reference or list of them."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        if isinstance(item, str):
            out.append(_clean_text(item))
        elif isinstance(item, dict):
            if "name" not in item and isinstance(item.get("@id"), str) and item["@id"] in page.ids:
                item = page.ids[item["@id"]]
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, dict):
                name = name.get("@value")
            if isinstance(name, str):
                out.append(_clean_text(name))
            elif isinstance(item.get("givenName"), str):
                out.append(_clean_text(f"{item['givenName']} {item.get('familyName') or ''}"))
    return [n for n in out if n]


# dates


def _published_candidates(page: _Page) -> Iterator[_Candidate]:
    for key in ("datePublished", "dateCreated", "uploadDate"):
        for value, el in _jsonld_values(page.articles, key):
            yield _date_candidate(value, _jsonld_method(page, key), el, "published")
    for key, value, el in _meta_values(page, PUBLISHED_META):
        yield _date_candidate(value, f"meta:{key}", el, "published")
    yield from _microdata_dates(page, ("datePublished", "dateCreated"), "published")
    for value, el in _jsonld_values(page.pages + page.works, "datePublished"):
        yield _date_candidate(value, _jsonld_method(page, "WebPage.datePublished"), el, "published")
    yield from _time_elements(page, "published")


def _updated_candidates(page: _Page) -> Iterator[_Candidate]:
    for value, el in _jsonld_values(page.articles, "dateModified"):
        yield _date_candidate(value, _jsonld_method(page, "dateModified"), el, "updated")
    for key, value, el in _meta_values(page, UPDATED_META):
        yield _date_candidate(value, f"meta:{key}", el, "updated")
    yield from _microdata_dates(page, ("dateModified",), "updated")
    for value, el in _jsonld_values(page.pages, "dateModified"):
        yield _date_candidate(value, _jsonld_method(page, "WebPage.dateModified"), el, "updated")
    yield from _time_elements(page, "updated")


def _date_candidate(value: Any, method: str, el: HtmlElement | None, kind: str) -> _Candidate:
    if isinstance(value, list):
        value = value[0] if value else None
    parsed = parse_machine_date(value) if isinstance(value, str) else None
    if parsed is not None and parsed.kind != kind and not method.startswith(("jsonld", "meta")):
        parsed = None
    return _Candidate(parsed, method, el)


def _microdata_dates(page: _Page, props: tuple[str, ...], kind: str) -> Iterator[_Candidate]:
    for prop in props:
        for el in page.doc.xpath(f"//*[@itemprop='{prop}'][not(self::meta)]")[:2]:
            value = el.get("datetime") or el.get("content") or _text_of(el)
            yield _date_candidate(value, f"microdata:{prop}", el, kind)


def _time_elements(page: _Page, kind: str) -> Iterator[_Candidate]:
    """<time> elements: pubdate or an 'updated' class decide the kind; else the first one counts as
    published when it is not inside comments or teasers."""
    for el in page.doc.iter("time"):
        attrs = f"{el.get('class', '')} {el.get('id', '')} {el.getparent().get('class', '') if el.getparent() is not None else ''}"
        el_kind = "updated" if _UPDATED_CLASS_RE.search(attrs) else "published"
        if el.get("pubdate") is not None:
            el_kind = "published"
        if el_kind != kind or _in_noise(el):
            continue
        raw = el.get("datetime")
        parsed = parse_machine_date(raw) if raw else parse_date_text(_text_of(el), month_first=page.month_first)
        if parsed is not None:
            yield _Candidate(parsed, "html:time", el)
            return


def _choose_date(cands: Iterable[_Candidate], limit: date) -> _Candidate | None:
    """First plausible candidate; a later candidate for the same day adds the time of day when the
    winner has none (JSON-LD often gives a bare date where article:published_time has the time)."""
    best: _Candidate | None = None
    for cand in cands:
        parsed = cand.value
        if not isinstance(parsed, ParsedDate) or not _plausible(parsed, limit):
            continue
        if best is None:
            best = cand
            if parsed.has_time:
                break
        elif parsed.day == best.value.day and parsed.has_time:
            best = _Candidate(parsed, cand.method, cand.element)
            break
    if best is None:
        return None
    return _Candidate(best.value.iso, best.method, best.element)


def _plausible(parsed: ParsedDate, limit: date) -> bool:
    day = date.fromisoformat(parsed.day)
    return MIN_PAGE_DATE <= day <= limit


def _htmldate_candidate(root: HtmlElement, url: str | None, limit: date) -> _Candidate | None:
    """htmldate's fast mode, then its extensive mode only when the fast one finds nothing (the
    extensive search costs ~9 ms a page, so it only runs on the pages that need it)."""
    from htmldate import find_date  # imported lazily: only needed when no explicit date exists

    for extensive in HTMLDATE_MODES:
        try:
            found = find_date(root, url=url, original_date=True, extensive_search=extensive,
                              max_date=limit.isoformat())
        except (ValueError, TypeError, AttributeError):
            found = None
        if found:
            return _Candidate(found, "htmldate:extensive" if extensive else "htmldate")
    return None


# section, tags, description, image, paywall


def _section_candidates(page: _Page) -> Iterator[_Candidate]:
    for value, el in _jsonld_values(page.articles, "articleSection"):
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str):
            yield _Candidate(_clean_text(value), _jsonld_method(page, "articleSection"), el)
    for key, value, el in _meta_values(page, SECTION_META):
        yield _Candidate(value, f"meta:{key}", el)


def _tag_candidates(page: _Page) -> Iterator[_Candidate]:
    article_tags = page.meta.get("article:tag", [])
    if article_tags:
        yield _Candidate(_split_tags([v for v, _ in article_tags]), "meta:article:tag", article_tags[0][1])
    for value, el in _jsonld_values(page.articles, "keywords"):
        yield _Candidate(_split_tags(value if isinstance(value, list) else [value]), "jsonld:keywords", el)
    for key in TAG_META[1:]:
        hits = page.meta.get(key, [])
        if hits:
            yield _Candidate(_split_tags([v for v, _ in hits]), f"meta:{key}", hits[0][1])


def _split_tags(values: list[Any]) -> list[str]:
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        parts = value.split(",") if "," in value or ";" not in value else value.split(";")
        tags.extend(_clean_text(p) for p in parts)
    seen: set[str] = set()
    out = []
    for tag in tags:
        if tag and tag.casefold() not in seen and len(tag) <= 80:
            seen.add(tag.casefold())
            out.append(tag)
    return out[:MAX_TAGS]


def _description_candidates(page: _Page) -> Iterator[_Candidate]:
    for key, value, el in _meta_values(page, DESCRIPTION_META):
        yield _Candidate(value, f"meta:{key}", el)
    for value, el in _jsonld_values(page.articles, "description"):
        if isinstance(value, str):
            yield _Candidate(_clean_text(value), "jsonld:description", el)


def _image_candidates(page: _Page) -> Iterator[_Candidate]:
    for key, value, el in _meta_values(page, IMAGE_META):
        yield _Candidate(_absolute(value, page.url), f"meta:{key}", el)
    for value, el in _jsonld_values(page.articles, "image"):
        src = _image_src(value)
        if src:
            yield _Candidate(_absolute(src, page.url), "jsonld:image", el)


def _image_src(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _paywall_candidates(page: _Page) -> Iterator[_Candidate]:
    for node, el in page.articles + page.pages:
        parts = node.get("hasPart")
        for item in [node, *(parts if isinstance(parts, list) else [parts])]:
            if isinstance(item, dict) and _is_false(item.get("isAccessibleForFree")):
                yield _Candidate(True, "jsonld:isAccessibleForFree", el)
                return
    for value, el in page.meta.get("article:content_tier", []):
        if value.lower() in {"locked", "metered"}:
            yield _Candidate(True, "meta:article:content_tier", el)
            return


def _is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in {"false", "no", "0"})


# --- text helpers -------------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    return _WS_RE.sub(" ", text).strip()


def _text_of(el: HtmlElement) -> str:
    return _clean_text(el.text_content() or "")


def _norm(text: str) -> str:
    return _WS_RE.sub(" ", text).strip().casefold()


def _alnum(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _absolute(src: str, url: str | None) -> str:
    if url and not src.startswith(("http://", "https://", "data:")):
        try:
            return urljoin(url, src)
        except ValueError:
            return src
    return src

"""The Python API. Everything the CLI does is a call here first."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from newsmill.errors import InputError
from newsmill.extraction import DEFAULT_TIME_LIMIT, extract_page
from newsmill.models import Article
from newsmill.readers.sources import MAX_PAGE_BYTES, Kind, RawPage, page_from_bytes, page_from_text, read_page
from newsmill.store.store import DEFAULT_DB, Store, StoreError

if TYPE_CHECKING:
    from newsmill.enrichment.models import Enrichment
    from newsmill.ingest.pipeline import IngestReport
    from newsmill.store.enrich_runner import EnrichReport
    from newsmill.store.search import SearchResults

# A one-line string shaped like a page file name is a path, even when the file is missing: a typo in a
# path must raise "no such file", not come back as a one-line "article" made of the path itself.
_PATH_LIKE_RE = re.compile(r"^(?:~|\.{1,2}[/\\]|/)|\.(?:x?html?|txt|gz)$", re.I)
#: Longest string still considered as a path rather than page content.
MAX_PATH_CHARS = 4096


def _names_a_file(source: str) -> bool:
    if "\n" in source or "<" in source or len(source) >= MAX_PATH_CHARS:
        return False
    return os.path.exists(source) or bool(_PATH_LIKE_RE.search(source.strip()))


def load_page(
    source: str | Path | bytes | RawPage,
    *,
    url: str | None = None,
    kind: Kind | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> RawPage:
    """Turn ``source`` into a RawPage.

    ``source`` is a ``Path``; ``bytes`` (page content, gzip allowed); a one-line ``str`` that names a file
    (an existing one, or one shaped like a path: starting with ``/``, ``./``, ``../`` or ``~``, or ending in
    .html, .htm, .xhtml, .txt or .gz; missing ones raise ``InputError``) or ``"-"`` for stdin; or else a
    ``str`` holding the page content itself.
    """
    if isinstance(source, RawPage):
        return source
    if isinstance(source, bytes):
        return page_from_bytes(source, url=url, kind=kind, max_bytes=max_bytes)
    if isinstance(source, Path) or source == "-":
        return read_page(source, url=url, kind=kind, max_bytes=max_bytes)
    if _names_a_file(source):
        return read_page(os.path.expanduser(source), url=url, kind=kind, max_bytes=max_bytes)
    return page_from_text(source, url=url, kind=kind)


def extract(
    source: str | Path | bytes | RawPage,
    *,
    url: str | None = None,
    kind: Kind | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Article:
    """Extract one page into an Article.

    Raises ``newsmill.errors.InputError`` (empty, binary, too large, unreadable) and
    ``newsmill.errors.ExtractionTimeout``; a readable page without an article gives an Article with
    ``empty_reason`` set.
    """
    page = load_page(source, url=url, kind=kind, max_bytes=max_bytes)
    where = f"{page.path}: " if page.path else ""
    try:
        return extract_page(page, time_limit=time_limit)
    except RecursionError:
        # Python-side tree walks can recurse once per nesting level; such pages are never real articles.
        raise InputError(f"{where}the page is nested too deeply to process; it is not a normal article page") from None
    except etree.LxmlError as exc:
        raise InputError(
            f"{where}the page cannot be parsed as {page.kind.upper()} ({exc}); "
            "check the file, or force the other kind (kind='dump' / --kind dump)"
        ) from exc


# --- the database ------------------------------------------------------------------------------------
def ingest(inputs: str | Path | Sequence[str | Path], **options: Any) -> IngestReport:
    """Ingest files, folders, JSONL/Parquet records and WARC archives into a database.

    Options: ``db`` (default ``newsmill.duckdb``), ``workers``, ``executor`` ("local" or "ray"),
    ``ray_address``, ``shard_dir`` (where Ray workers write their Parquet shards, default ``DB.shards``; on a
    cluster, a folder every node sees), ``time_limit``, ``search`` (update the search index, default True),
    ``progress``. See ``newsmill.ingest.pipeline.ingest``.
    """
    from newsmill.ingest.pipeline import ingest as run_ingest

    if isinstance(inputs, str | Path):
        inputs = [inputs]
    return run_ingest(list(inputs), **options)


def search(
    query: str,
    *,
    db: str | Path = DEFAULT_DB,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    tag: str | None = None,
    language: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> SearchResults:
    """BM25 search over the articles of the database at ``db``; dates may be ISO strings."""
    from newsmill.store.search import SearchIndex, index_path_for

    if not Path(db).exists():
        raise StoreError(f"{db}: no such database; create it with `newsmill ingest`")
    try:
        index = SearchIndex(index_path_for(db), create=False)
    except FileNotFoundError as exc:
        raise StoreError(str(exc)) from None
    return index.search(
        query, since=_as_date(since), until=_as_date(until), publisher=publisher, author=author, tag=tag,
        language=language, limit=limit, offset=offset,
    )


def open_store(db: str | Path = DEFAULT_DB, *, read_only: bool = True) -> Store:
    """The database at ``db`` (read-only by default): counts, articles, duplicate clusters, export."""
    return Store(db, read_only=read_only)


# --- understanding: enrichment and events -------------------------------------------------------------
# A str with one of these tags is a page to extract; any other text that is not a path is the article text.
_MARKUP_RE = re.compile(r"<(?:!doctype|html|head|body|article|main|div|p|h1|section)\b", re.I)


def enrich(
    source: Article | str | Path | bytes | RawPage,
    *,
    url: str | None = None,
    kind: Kind | None = None,
    published: str | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Enrichment:
    """Entities, quotes, places and events of one article.

    ``source`` is an ``Article``; a page as ``extract`` takes it (a path, bytes, a ``RawPage``, or a str
    holding HTML), which is extracted first; or any other str, taken as the article text itself
    (paragraphs separated by blank lines). ``published`` (ISO date) sets the date that relative dates
    ("on Tuesday") are resolved against. The spaCy pipeline is loaded once per process, on first use.
    Empty and non-English articles give a record with ``skipped_reason`` set instead of raising.
    """
    from newsmill.enrichment.pipeline import default_stage

    if isinstance(source, Article):
        article = source.model_copy()
    elif isinstance(source, str) and not _names_a_file(source) and not _MARKUP_RE.search(source[:10_000]):
        text = source.replace("\r\n", "\n")
        parts = text.split("\n\n") if "\n\n" in text else text.split("\n")
        article = Article(url=url, body=[" ".join(p.split()) for p in parts if p.strip()])
    else:
        article = extract(source, url=url, kind=kind, time_limit=time_limit)
    if published is not None:
        article.published = published
    if not article.id:
        article.assign_id()
    return default_stage().process_batch([article])[0]


def enrich_store(db: str | Path = DEFAULT_DB, **options: Any) -> EnrichReport:
    """Enrich the database's canonical articles that have no enrichment yet, and store the results.

    Options: ``workers`` (default: all CPUs), ``force`` (re-enrich every article), ``limit`` (at most this
    many articles), ``progress`` (called with the report after each article), ``actor_files`` (extra
    actor tables). Resumable, and a no-op when nothing is left. See ``newsmill.store.enrich_runner``.
    """
    from newsmill.store.enrich_runner import enrich_store as run_enrich_store

    return run_enrich_store(db, **options)


def events(
    db: str | Path = DEFAULT_DB,
    *,
    actor: str | None = None,
    target: str | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    plover: str | None = None,
    factual: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stored events of the database at ``db``, in date order; codes match by prefix ('IRN' finds
    'IRNMIL'). Each dict holds every ``Event`` field, ``article_id``, ``flags`` and the article's url,
    title, publisher and publication time. See ``newsmill.store.enrichments.events``."""
    with Store(db, read_only=True) as store:
        return store.events(
            actor=actor, target=target, since=_as_date(since), until=_as_date(until), plover=plover,
            factual=factual, limit=limit, offset=offset,
        )


def _as_date(value: date | datetime | str | None) -> date | datetime | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected an ISO date (YYYY-MM-DD) or date-time, got {value!r}") from None

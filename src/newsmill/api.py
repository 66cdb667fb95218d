"""The Python API. Everything the CLI does is a call here first."""

from __future__ import annotations

import os
from pathlib import Path

from newsmill.extract import DEFAULT_TIME_LIMIT, extract_page
from newsmill.models import Article
from newsmill.readers.sources import MAX_PAGE_BYTES, Kind, RawPage, page_from_bytes, page_from_text, read_page


def load_page(
    source: str | Path | bytes | RawPage,
    *,
    url: str | None = None,
    kind: Kind | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> RawPage:
    """Turn ``source`` into a RawPage.

    ``source`` is a ``Path``; ``bytes`` (page content, gzip allowed); a ``str`` that names an existing
    file (or ``"-"`` for stdin); or else a ``str`` holding the page content itself.
    """
    if isinstance(source, RawPage):
        return source
    if isinstance(source, bytes):
        return page_from_bytes(source, url=url, kind=kind, max_bytes=max_bytes)
    if isinstance(source, Path) or source == "-":
        return read_page(source, url=url, kind=kind, max_bytes=max_bytes)
    if "\n" not in source and "<" not in source and len(source) < 4096 and os.path.exists(source):
        return read_page(source, url=url, kind=kind, max_bytes=max_bytes)
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
    return extract_page(page, time_limit=time_limit)

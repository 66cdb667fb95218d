"""Dispatch a RawPage to the dump or HTML extractor under a per-document deadline."""

from __future__ import annotations

from newsmill.extraction.deadline import Deadline
from newsmill.models import Article
from newsmill.readers.sources import RawPage

#: Seconds per document. A normal page takes milliseconds; 10 s only stops pathological inputs.
DEFAULT_TIME_LIMIT = 10.0


def extract_page(page: RawPage, *, time_limit: float | None = DEFAULT_TIME_LIMIT) -> Article:
    deadline = Deadline(time_limit)
    if page.kind == "dump":
        from newsmill.extraction.dump import extract_dump

        article = extract_dump(page.text, url=page.url, deadline=deadline)
    else:
        from newsmill.extraction.html import extract_html

        article = extract_html(page.text, url=page.url, deadline=deadline)
    article.encoding = page.encoding
    article.source_path = page.path
    if page.crawl_date and not article.crawl_date:
        article.crawl_date = page.crawl_date
    article.assign_id()
    return article

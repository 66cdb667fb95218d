"""PLACEHOLDER (being replaced by the DOM-block extractor): keeps every paragraph."""

from __future__ import annotations

import lxml.html

from newsmill.extract.deadline import Deadline
from newsmill.models import Article


def extract_html(html: str, *, url: str | None = None, deadline: Deadline | None = None) -> Article:
    doc = lxml.html.document_fromstring(html)
    paras = [p.text_content().strip() for p in doc.iter("p") if p.text_content().strip()]
    return Article(url=url, source_kind="html", body=paras, empty_reason=None if paras else "no text")

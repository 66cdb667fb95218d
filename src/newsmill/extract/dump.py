"""PLACEHOLDER (being replaced by the line-model extractor): keeps every line as body."""

from __future__ import annotations

from newsmill.extract.deadline import Deadline
from newsmill.models import Article


def extract_dump(text: str, *, url: str | None = None, deadline: Deadline | None = None) -> Article:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return Article(url=url, source_kind="dump", body=lines, empty_reason=None if lines else "no text")

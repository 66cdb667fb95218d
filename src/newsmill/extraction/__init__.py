"""Extraction: one RawPage in, one Article out (dumps and HTML share the block classifier and role rules)."""

from newsmill.extraction.pipeline import DEFAULT_TIME_LIMIT, extract_page

__all__ = ["DEFAULT_TIME_LIMIT", "extract_page"]

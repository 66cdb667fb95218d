"""The ingest stages and the item that flows through them.

A stage has a ``name``, the item fields it ``requires`` and ``provides``, a ``setup()`` for heavy resources
and ``process_batch(items)``. Stages know nothing about the executor that runs them: the local process
pool, Ray Data and the inline runner used by tests all call the same methods. The per-record stages
(``ExtractStage``, ``FingerprintStage``) are pure functions of one record and run in parallel; the
stateful ones (deduplication and writing, see ``newsmill.store.writer``) run in the single writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from newsmill.dedup.fingerprints import Fingerprint, fingerprint_article
from newsmill.errors import (
    BinaryInputError,
    EmptyInputError,
    ExtractionTimeout,
    InputError,
    InputTooLargeError,
)
from newsmill.extraction import DEFAULT_TIME_LIMIT, extract_page
from newsmill.models import Article
from newsmill.readers.collections import InputRecord, SourceProblem, UnreadableRecord
from newsmill.readers.sources import MAX_PAGE_BYTES, page_from_bytes, page_from_text


@dataclass
class SourceDone:
    """Marks the end of an input file's records: once written, the file is complete and skipped next time."""

    path: str
    size: int
    mtime: float
    records: int


@dataclass
class WorkItem:
    """One input record on its way through the pipeline; ends as an article or a rejection."""

    key: str
    source: str
    locator: str
    url: str | None = None
    fetched_at: str | None = None
    record: InputRecord | None = None  # dropped once extracted, so the page is not shipped back
    article: Article | None = None
    fingerprint: Fingerprint | None = None
    rejection: str | None = None  # a short reason code ("no-article", "binary", "timeout"...)
    detail: str = ""
    # Set by the writer: "article" (a new document), "same-document" or "rejected".
    outcome: str | None = None
    article_id: str | None = None

    @classmethod
    def from_record(cls, record: InputRecord) -> WorkItem:
        return cls(record.key, record.source, record.locator, record.url, record.fetched_at, record=record)

    @classmethod
    def from_unreadable(cls, bad: UnreadableRecord) -> WorkItem:
        return cls(bad.key, bad.source, bad.locator, bad.url, rejection=bad.reason, detail=bad.detail)

    def reject(self, reason: str, detail: str = "") -> None:
        self.rejection, self.detail, self.article, self.record = reason, detail[:500], None, None


#: What flows between stages: items, plus end-of-file markers and whole-source problems passing through.
StreamItem = WorkItem | SourceDone | SourceProblem


class Stage(Protocol):
    name: ClassVar[str]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]

    def setup(self) -> None: ...

    def process_batch(self, items: list[WorkItem]) -> list[WorkItem]: ...


def check_stage_order(stages: list[Stage], available: frozenset[str] = frozenset({"record"})) -> None:
    """Fail when a stage requires a field no earlier stage provides (checked when a pipeline is built)."""
    for stage in stages:
        missing = stage.requires - available
        if missing:
            raise ValueError(f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage provides")
        available = available | stage.provides


_INPUT_ERROR_REASONS: tuple[tuple[type[InputError], str], ...] = (
    (EmptyInputError, "empty"),
    (BinaryInputError, "binary"),
    (InputTooLargeError, "too-large"),
)


class ExtractStage:
    """Decode the record's bytes and extract its article; pages without one are rejected with the reason."""

    name: ClassVar[str] = "extract_v1"
    requires: ClassVar[frozenset[str]] = frozenset({"record"})
    provides: ClassVar[frozenset[str]] = frozenset({"article"})

    def __init__(self, time_limit: float | None = DEFAULT_TIME_LIMIT, max_bytes: int = MAX_PAGE_BYTES) -> None:
        self.time_limit = time_limit
        self.max_bytes = max_bytes

    def setup(self) -> None:
        from newsmill.extraction import classifier

        classifier.get_model("html")
        classifier.get_model("dump")

    def process_batch(self, items: list[WorkItem]) -> list[WorkItem]:
        for item in items:
            if item.rejection is None and item.record is not None:
                self._extract(item)
        return items

    def _extract(self, item: WorkItem) -> None:
        record = item.record
        assert record is not None
        if record.is_article:
            self._import(item, record)
            return
        try:
            if isinstance(record.content, bytes):
                page = page_from_bytes(
                    record.content, name=None, url=record.url, kind=record.kind,
                    declared_charset=record.charset, max_bytes=self.max_bytes,
                )
            else:
                page = page_from_text(record.content, url=record.url, kind=record.kind)
            article = extract_page(page, time_limit=self.time_limit)
        except ExtractionTimeout as exc:
            item.reject("timeout", str(exc))
            return
        except RecursionError:
            item.reject("too-deep", "the page is nested too deeply to process")
            return
        except InputError as exc:
            reason = next((r for cls, r in _INPUT_ERROR_REASONS if isinstance(exc, cls)), "unreadable")
            item.reject(reason, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a parser bug on one page must cost that page, not the run
            item.reject("extractor-error", f"{type(exc).__name__}: {exc}")
            return
        if article.is_empty:
            item.reject("no-article", article.empty_reason or "no article text found")
            return
        article.source_path = item.source if not item.locator else f"{item.source}#{item.locator}"
        item.article, item.record = article, None

    @staticmethod
    def _import(item: WorkItem, record: InputRecord) -> None:
        from pydantic import ValidationError

        from newsmill.store.store import article_from_row

        try:
            article = article_from_row(json.loads(record.content))
        except (ValueError, ValidationError) as exc:
            item.reject("bad-article", f"not a valid newsmill Article: {str(exc).splitlines()[0]}")
            return
        if article.is_empty:
            item.reject("no-article", article.empty_reason or "the article has no body")
            return
        item.article, item.record = article, None


class FingerprintStage:
    """Canonical URL, exact body hash, MinHash signature; and the article's store id."""

    name: ClassVar[str] = "fingerprint_v1"
    requires: ClassVar[frozenset[str]] = frozenset({"article"})
    provides: ClassVar[frozenset[str]] = frozenset({"fingerprint"})

    def setup(self) -> None:
        pass

    def process_batch(self, items: list[WorkItem]) -> list[WorkItem]:
        for item in items:
            if item.article is not None:
                item.fingerprint = fingerprint_article(item.article)
                item.article.id = store_article_id(item.fingerprint, item.url or item.article.url)
        return items


def store_article_id(fp: Fingerprint, url: str | None) -> str:
    """In a store, an id covers the URL and the body: two versions of one URL are two documents, and
    the same text at the same URL (a re-crawl) is the same document."""
    basis = f"{fp.canonical_url or url or ''}\x00{fp.body_hash}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:20]


@dataclass
class RecordPipeline:
    """The per-record stages, set up once per worker process."""

    stages: list[Stage] = field(default_factory=list)
    _ready: bool = False

    def __post_init__(self) -> None:
        check_stage_order(self.stages)

    def run(self, item: StreamItem) -> StreamItem:
        if not isinstance(item, WorkItem):
            return item
        if not self._ready:
            for stage in self.stages:
                stage.setup()
            self._ready = True
        batch = [item]
        for stage in self.stages:
            batch = stage.process_batch(batch)
        return batch[0]


def default_record_stages(time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[Stage]:
    return [ExtractStage(time_limit), FingerprintStage()]

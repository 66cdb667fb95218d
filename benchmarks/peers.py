"""Adapters that run each extractor on one page and return its text and metadata in one shape.

Peers get the page exactly as newsmill does (the decoded HTML, or the rendered dump) and no URL,
and are scored on their plain-text output as they return it: no post-processing that could favour
or hurt one tool. Where a tool has a documented "main text only" switch, it is set as in the
benchmarks README's reference table (trafilatura and resiliparse without comments; comments are not
article text in any gold set), which these adapters reproduce. Heavy imports happen in ``setup()``, inside the benchmark's worker process, so a
tool's import cost and memory are charged to its own process only.
"""

from __future__ import annotations

import html as html_lib
import importlib.metadata
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

InputKind = Literal["html", "dump"]
#: Output fields a tool may produce; metadata accuracy is only reported for the fields a tool declares.
FIELDS = ("text", "title", "authors", "date")


@dataclass
class Prediction:
    text: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None


@dataclass(frozen=True)
class PageInput:
    id: str
    dataset: str
    content: str  # the decoded HTML page, or the dump text
    lang: str | None = None  # ISO 639-1 code when known (gold `lang`, else <html lang>); jusText only


def _dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _iso(value: Any) -> str | None:
    """Dates come back as datetime objects or strings depending on the tool; keep them as text."""
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Tool:
    """One extractor on one input kind. Subclasses set the class attributes and ``run``."""

    name: ClassVar[str]  # command-line name (--tools)
    label: ClassVar[str]  # name in tables
    dist: ClassVar[str | None] = None  # distribution whose version names the tool (None: own version)
    input: ClassVar[InputKind] = "html"
    fields: ClassVar[frozenset[str]] = frozenset({"text"})
    #: False for baselines that do no work worth timing (shown as "—" like the README's table).
    timed: ClassVar[bool] = True
    #: True for the yardstick rows that are not real extractors (never the "best peer").
    baseline: ClassVar[bool] = False
    #: Bump when an adapter changes what it returns, so cached predictions are recomputed.
    adapter_rev: ClassVar[int] = 1
    #: True when ``run`` needs ``PageInput.lang``.
    needs_lang: ClassVar[bool] = False

    @classmethod
    def version(cls) -> str:
        return _dist_version(cls.dist) if cls.dist else str(cls.adapter_rev)

    @classmethod
    def key(cls) -> str:
        """Cache folder name: ``<tool>-<version>``."""
        return f"{cls.name}-{cls.version()}"

    @classmethod
    def display(cls) -> str:
        return f"{cls.label} {cls.version()}" if cls.dist else cls.label

    def setup(self) -> None:
        """Import and build what the tool needs (once per process, untimed)."""

    def run(self, page: PageInput) -> Prediction:
        raise NotImplementedError

    def untimed_metadata(self, page: PageInput, pred: Prediction) -> None:
        """Fill metadata that the tool computes in a separate call (kept out of pages/s)."""


# --- HTML peers -----------------------------------------------------------------------------------


class Trafilatura(Tool):
    name = "trafilatura"
    label = "trafilatura"
    dist = "trafilatura"
    fields = frozenset(FIELDS)

    def setup(self) -> None:
        import trafilatura

        self._traf = trafilatura

    adapter_rev = 2

    def text(self, html: str) -> str:
        # Defaults except comments: the README's reference numbers (scrapinghub 0.959) use this setting.
        return self._traf.extract(html, include_comments=False) or ""

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=self.text(page.content))

    def untimed_metadata(self, page: PageInput, pred: Prediction) -> None:
        # extract() without metadata is trafilatura's fast path; its metadata is a second parse, so it
        # is measured for accuracy but kept out of the speed figure.
        meta = self._traf.extract_metadata(page.content)
        if meta is not None:
            pred.title = meta.title
            pred.authors = [a for a in (meta.author or "").split("; ") if a]
            pred.date = meta.date


class ReadabilityLxml(Tool):
    name = "readability-lxml"
    label = "readability-lxml"
    dist = "readability-lxml"
    fields = frozenset({"text", "title"})
    adapter_rev = 2

    def setup(self) -> None:
        import common
        from readability import Document

        self._document = Document
        self._render = common.shared_module("html_to_dump").html_to_dump

    def run(self, page: PageInput) -> Prediction:
        doc = self._document(page.content)
        # summary() is HTML; lxml's text_content() would glue "<p>end.</p><p>Next" into one token, so
        # it is rendered block by block (the renderer that made the readability gold from HTML).
        text = self._render(doc.summary(), include_title=False)
        # short_title() drops " - Site" style suffixes itself: that is the tool's own title logic.
        return Prediction(text=text, title=doc.short_title())


class JusText(Tool):
    name = "justext"
    label = "jusText"
    dist = "jusText"
    needs_lang = True

    def setup(self) -> None:
        import justext

        self._justext = justext
        self._stoplists: dict[str, frozenset[str]] = {}
        self._available = justext.get_stoplists()

    def stoplist(self, lang: str | None) -> frozenset[str]:
        name = JUSTEXT_LANGUAGES.get(lang or "", "English")
        if name not in self._available:
            name = "English"
        if name not in self._stoplists:
            self._stoplists[name] = self._justext.get_stoplist(name)
        return self._stoplists[name]

    def paragraphs_text(self, html: str, lang: str | None) -> str:
        paragraphs = self._justext.justext(html, self.stoplist(lang))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=self.paragraphs_text(page.content, page.lang))


#: ISO 639-1 code -> jusText stoplist name, for the languages in the benchmark pages; other codes
#: (and pages without a known language) use English, jusText's usual default.
JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian",
    "tr": "Turkish", "cs": "Czech", "sk": "Slovak", "sv": "Swedish", "da": "Danish",
    "fi": "Finnish", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "hu": "Hungarian",
    "ro": "Romanian", "el": "Greek", "bg": "Bulgarian", "hr": "Croatian", "sl": "Slovenian",
    "ca": "Catalan", "id": "Indonesian", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian",
    "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "sr": "Serbian", "ko": "Korean",
}


class Newspaper4k(Tool):
    name = "newspaper4k"
    label = "newspaper4k"
    dist = "newspaper4k"
    fields = frozenset(FIELDS)

    def setup(self) -> None:
        import newspaper

        self._article = newspaper.Article

    def run(self, page: PageInput) -> Prediction:
        # No network: a placeholder URL, no image fetching, no meta-refresh following.
        art = self._article("https://example.invalid/", fetch_images=False, follow_meta_refresh=False)
        art.download(input_html=page.content)
        art.parse()
        return Prediction(text=art.text, title=art.title, authors=list(art.authors), date=_iso(art.publish_date))


class Goose3(Tool):
    name = "goose3"
    label = "goose3"
    dist = "goose3"
    fields = frozenset(FIELDS)

    def setup(self) -> None:
        from goose3 import Goose

        self._goose = Goose({"enable_image_fetching": False})

    def run(self, page: PageInput) -> Prediction:
        art = self._goose.extract(raw_html=page.content)
        return Prediction(text=art.cleaned_text, title=art.title, authors=list(art.authors or []), date=_iso(art.publish_date))


class Resiliparse(Tool):
    name = "resiliparse"
    label = "resiliparse"
    dist = "Resiliparse"
    adapter_rev = 2

    def setup(self) -> None:
        from resiliparse.extract.html2text import extract_plain_text

        self._extract = extract_plain_text

    def run(self, page: PageInput) -> Prediction:
        # Without comments and alt texts, as in the README's reference numbers (scrapinghub 0.930).
        return Prediction(text=self._extract(page.content, main_content=True, comments=False, alt_texts=False))


class BoilerPy3(Tool):
    name = "boilerpy3"
    label = "boilerpy3"
    dist = "boilerpy3"

    def setup(self) -> None:
        from boilerpy3 import extractors

        self._extractor = extractors.ArticleExtractor()

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=self._extractor.get_content(page.content))


class HtmlDate(Tool):
    """Date only: the specialist every date figure is compared with."""

    name = "htmldate"
    label = "htmldate"
    dist = "htmldate"
    fields = frozenset({"date"})
    adapter_rev = 2

    def setup(self) -> None:
        from htmldate import find_date

        self._find_date = find_date

    def run(self, page: PageInput) -> Prediction:
        # The gold is the publication date; by default find_date returns the latest (update) date.
        return Prediction(date=self._find_date(page.content, original_date=True))


# --- dump peers: the README's reference conventions -----------------------------------------------


def dump_as_html(dump: str) -> str:
    """A dump's lines, each html-escaped and wrapped as ``<p>``, in a minimal HTML document."""
    paras = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in dump.splitlines() if line.strip())
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{paras}</body></html>\n'


class KeepEverything(Tool):
    """Baseline: the whole dump is the article (the recall ceiling for dump input)."""

    name = "keep-everything"
    label = "dump, keep everything"
    input = "dump"
    timed = False
    baseline = True

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=page.content)


class DumpJusText(JusText):
    name = "dump-justext"
    label = "dump-jusText"
    input = "dump"

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=self.paragraphs_text(dump_as_html(page.content), page.lang))


class DumpTrafilatura(Trafilatura):
    name = "dump-trafilatura"
    label = "dump-trafilatura"
    input = "dump"
    fields = frozenset({"text"})  # the <p> wrapper has no metadata to find

    def run(self, page: PageInput) -> Prediction:
        return Prediction(text=self.text(dump_as_html(page.content)))

    def untimed_metadata(self, page: PageInput, pred: Prediction) -> None:
        pass


PEERS: tuple[type[Tool], ...] = (
    Trafilatura, ReadabilityLxml, Resiliparse, Newspaper4k, Goose3, BoilerPy3, JusText, HtmlDate,
    KeepEverything, DumpJusText, DumpTrafilatura,
)

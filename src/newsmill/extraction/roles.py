"""From classified blocks to an Article: which block is the headline, dek, byline, dateline, caption,
credit, tags, body or boilerplate.

The classifier only says "article text or not"; the roles are decided here by rules that look at the
neighbourhood of the article's first body block (the header zone), because that is where every news
template puts headline, standfirst, byline, date and lead picture. The same rules serve dumps and HTML;
HTML metadata (JSON-LD, OpenGraph) wins where present and the rules then only find its blocks.
This module must not parse HTML or read files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsmill.extraction.authors import looks_like_byline, parse_byline
from newsmill.extraction.blocks import Block
from newsmill.extraction.dates import looks_like_dateline, parse_date_text
from newsmill.extraction.metadata import PageMetadata
from newsmill.models import Article, BlockLabel, Image, Provenance, Role

#: How many blocks above the first body block are searched for headline, dek, byline and date. News
#: templates put 2-10 blocks (breadcrumb, headline, dek, byline, date, picture, caption) there;
#: 15 leaves room for share bars without reaching back into the navigation.
HEADER_LOOKBACK = 15
#: Blocks after the first paragraph still searched for byline, date and lead picture (templates that
#: print them below the first paragraph or the dek).
HEADER_LOOKAHEAD = 6
#: A paragraph of prose has at least this many words and ends like a sentence.
PROSE_MIN_WORDS = 10
#: Blocks after the last body block searched for a tags line.
TAGS_LOOKAHEAD = 8
#: Headline length bounds in words (shorter is a section label, longer is a paragraph).
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 2, 30
#: A standfirst is a sentence or two.
DEK_MIN_WORDS, DEK_MAX_WORDS = 8, 80
CAPTION_MAX_WORDS = 80
#: A block printed twice in a row is a repeated caption only when caption-sized; a long paragraph
#: printed twice is page content (or a rendering artefact), not a picture's caption.
REPEATED_CAPTION_MAX_WORDS = 40

_CREDIT_ALONE_RE = re.compile(
    r"^\(?\s*(?:photo|image|picture|video)?\s*(?:credit|credits|courtesy|source)\s*:?\s*(?P<who>[^()]{2,80}?)\s*\)?$"
    r"|^\(?\s*(?:photo|image|picture|foto)\s*:\s*(?P<who2>[^()]{2,80}?)\s*\)?$|^©\s*(?P<who3>.{2,80})$",
    re.I,
)
_CREDIT_SUFFIX_RE = re.compile(
    r"\s*\(\s*(?:photo|image|picture)?\s*(?:credit|courtesy)\s*:?\s*(?P<who>[^()]{2,80}?)\s*\)\s*$"
    r"|\s+(?:photo|image|picture)\s*:\s*(?P<who2>[^.]{2,60})$",
    re.I,
)
_TAGS_RE = re.compile(r"^(?:tags|topics|related topics|filed under|keywords|themen|schlagworte)\s*:?\s+(?P<tags>.+)$", re.I)
# Short widget labels that sit inside article containers (ad slots, share and e-mail buttons, legal
# lines). A body block this short that carries one is chrome, whatever the classifier thought.
_WIDGET_RE = re.compile(
    r"^(?:advertisement|advert|sponsored(?: content)?|ad)$|\b(?:share (?:on|this|via)|email (?:to a friend|this)|"
    r"print (?:this|article)|all rights reserved|sign up for|subscribe to|follow us|read more:?$|"
    r"get (?:the|our) .{0,40}newsletter|click here)\b",
    re.I,
)
WIDGET_MAX_WORDS = 10
# Prompts that sites print twice (newsletter boxes) and that must not pass for a repeated caption.
_CHROME_RE = re.compile(r"\b(?:subscribe|subscribing|newsletter|sign up|log in|advertisement|cookies?|download)\b", re.I)
_TAGS_LABEL_RE = re.compile(r"^(?:tags|topics|related topics|filed under|keywords|themen|schlagworte)\s*:?$", re.I)
#: A tag is a short phrase; a list of them after a label ends at the first longer block.
TAG_MAX_WORDS, TAGS_MAX_COUNT = 5, 20
_TAG_SPLIT_RE = re.compile(r"\s*[,;|•·#]\s*")
_PAYWALL_RE = re.compile(
    r"\b(?:subscribe to (?:continue|read)|to continue reading|this (?:article|content) is (?:for|available to|exclusive to) "
    r"(?:subscribers|members)|already a subscriber|premium (?:article|content)|unlock this (?:article|story))\b",
    re.I,
)
# Where reader comments begin. Comments read like prose, so the classifier keeps them; but news templates
# always announce them, and nothing after such a line belongs to the article.
_COMMENTS_START_RE = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion)(?:\s*\(\d+\))?\s*:?$"
    r"|^(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)\b|^join the (?:discussion|conversation)\b"
    r"|^\d+ (?:comments?|responses?|replies|thoughts on)\b|^comments are closed\b|^show (?:all )?comments\b"
    r"|^(?:what do you think|have your say)\??$",
    re.I,
)
#: When no block reaches the threshold, blocks within this margin of the best score are kept (a page with
#: a very short article scores low everywhere; returning its best block beats returning nothing).
FALLBACK_MARGIN = 0.05
#: Consecutive non-body blocks after which the article is over. Inline interruptions (a figure with
#: caption and credit, an ad label, a 5-item related box with its heading) stay below 12 blocks.
MAX_BODY_GAP = 12
#: An island after such a gap is dropped when it is this small (teaser-sized).
ISLAND_MAX_BLOCKS, ISLAND_MAX_WORDS = 2, 60
#: ...and only when the best block is not clearly boilerplate.
FALLBACK_MIN_SCORE = 0.1
_SITE_SEP_RE = re.compile(r"\s+[|\-–—:•·]\s+")
_WORD_RE = re.compile(r"\w+")


@dataclass
class HtmlEvidence:
    """What an HTML page knows beyond its blocks, for ``assemble_article``: its declared metadata and
    its figures."""

    meta: PageMetadata | None = None
    images: list[Image] = field(default_factory=list)
    #: block index -> CAPTION or CREDIT, from figure markup
    figure_roles: dict[int, Role] = field(default_factory=dict)

    @property
    def title(self) -> str | None:
        return self.meta.title if self.meta else None


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


def _words(text: str) -> int:
    return len(text.split())


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"”’')").endswith((".", "!", "?", "…"))


class _Assembler:
    def __init__(self, blocks: Sequence[Block], scores: np.ndarray, threshold: float, kind: str) -> None:
        self.blocks = blocks
        self.scores = scores
        self.kind = kind
        self.roles: list[Role] = [Role.BODY if s >= threshold else Role.BOILERPLATE for s in scores]
        self.norms = [_norm(b.text) for b in blocks]
        self.nwords = [len(b.text.split()) for b in blocks]
        self.prov: dict[str, Provenance] = {}
        self.images: list[Image] = []

    # -- helpers -----------------------------------------------------------------------------
    def _ref(self, idxs: Sequence[int], method: str) -> Provenance:
        if self.kind == "dump":
            return Provenance(method=method, lines=[self.blocks[i].line for i in idxs])
        return Provenance(method=method, paths=[self.blocks[i].ref for i in idxs])

    def cut_after_gap(self, start: int) -> None:
        """Drop small islands of "body" far from the article: one or two teaser captions that the model
        kept inside a long stretch of boilerplate ("Most Read" lists). Big islands stay: long pages do
        interrupt their text with long boxes, and cutting them cost recall on every benchmark set."""
        body = [i for i, r in enumerate(self.roles) if r is Role.BODY and i > start]
        islands: list[list[int]] = []
        prev = start
        for i in body:
            if i - prev > MAX_BODY_GAP or not islands:
                islands.append([])
            islands[-1].append(i)
            prev = i
        for k, island in enumerate(islands):
            gap_before = island[0] - (islands[k - 1][-1] if k else start)
            words = sum(self.nwords[i] for i in island)
            if gap_before > MAX_BODY_GAP and len(island) <= ISLAND_MAX_BLOCKS and words < ISLAND_MAX_WORDS:
                for i in island:
                    self.roles[i] = Role.BOILERPLATE

    def drop_widgets(self) -> None:
        for i, r in enumerate(self.roles):
            if r is Role.BODY and self.nwords[i] <= WIDGET_MAX_WORDS and _WIDGET_RE.search(self.blocks[i].text):
                self.roles[i] = Role.BOILERPLATE

    def cut_comments(self, start: int) -> None:
        for i in range(start + 1, len(self.blocks)):
            if self.nwords[i] <= 8 and _COMMENTS_START_RE.match(self.blocks[i].text):
                for j in range(i, len(self.blocks)):
                    if self.roles[j] is Role.BODY:
                        self.roles[j] = Role.BOILERPLATE
                return

    def fallback(self) -> None:
        """Nothing passed the threshold: keep the best-scoring block and its near-equals around it."""
        if len(self.scores) == 0:
            return
        best = int(np.argmax(self.scores))
        text = self.blocks[best].text
        # Only prose can be a (short) article; a page of menus and footers stays empty, with its reason.
        if self.scores[best] < FALLBACK_MIN_SCORE or _words(text) < PROSE_MIN_WORDS or not _ends_sentence(text):
            return
        floor = self.scores[best] - FALLBACK_MARGIN
        lo = best
        while lo > 0 and self.scores[lo - 1] >= floor:
            lo -= 1
        hi = best
        while hi + 1 < len(self.scores) and self.scores[hi + 1] >= floor:
            hi += 1
        for i in range(lo, hi + 1):
            self.roles[i] = Role.BODY

    def body_span(self) -> tuple[int, int] | None:
        body = [i for i, r in enumerate(self.roles) if r is Role.BODY]
        return (body[0], body[-1]) if body else None

    # -- header zone ---------------------------------------------------------------------------
    def find_bylines(self, lo: int, hi: int) -> list[int]:
        return [i for i in range(lo, hi) if self.nwords[i] <= 20 and looks_like_byline(self.blocks[i].text)]

    def find_datelines(self, lo: int, hi: int) -> list[int]:
        return [i for i in range(lo, hi) if self.nwords[i] <= 20 and looks_like_dateline(self.blocks[i].text)]

    def mark_captions(self, lo: int, hi: int) -> None:
        """Credit lines, lines that end in a credit, and lines printed twice (a caption repeated)."""
        i = lo
        while i < hi:
            if self.roles[i] in (Role.CAPTION, Role.CREDIT):  # already decided from figure markup
                i += 1
                continue
            text = self.blocks[i].text
            if self.nwords[i] > CAPTION_MAX_WORDS:  # a paragraph, not a caption: skip the regexes
                i += 1
                continue
            m = _CREDIT_ALONE_RE.match(text)
            if m and _words(text) <= 15:
                self.roles[i] = Role.CREDIT
                who = next(g for g in m.groups() if g)
                self._attach_credit(i, who.strip())
                i += 1
                continue
            suffix = _CREDIT_SUFFIX_RE.search(text)
            if suffix and _words(text) <= CAPTION_MAX_WORDS:
                self.roles[i] = Role.CAPTION
                self.images.append(Image(caption=text, credit=next(g for g in suffix.groups() if g).strip(),
                                         source=self._ref([i], "rules:caption-with-credit")))
            elif (_words(text) <= REPEATED_CAPTION_MAX_WORDS and not _CHROME_RE.search(text)
                  and self._repeats_caption(i)):
                self.roles[i] = Role.CAPTION
            i += 1

    def _repeats_caption(self, i: int) -> bool:
        """A block equal to a nearby caption minus its credit, or printed twice in a row."""
        n = self.norms[i]
        if not n:
            return False
        for j in (i - 1, i + 1):
            if 0 <= j < len(self.blocks) and j != i:
                other = self.norms[j]
                if other == n or (self.roles[j] is Role.CAPTION and other.startswith(n)):
                    return True
        return False

    def _attach_credit(self, i: int, who: str) -> None:
        # The credit belongs to the caption right above it, if any.
        for im in reversed(self.images):
            if im.credit is None or im.credit == who:
                im.credit = who
                return
        prev = i - 1
        while prev >= 0 and self.roles[prev] is Role.CAPTION:
            prev -= 1
        caption_idx = prev + 1
        caption = self.blocks[caption_idx].text if caption_idx < i else None
        self.images.append(Image(caption=caption, credit=who, source=self._ref(range(caption_idx, i + 1), "rules:credit-line")))

    def finish_images(self, known: Sequence[Image] = ()) -> None:
        """Captions without a credit become images of their own (once per distinct text)."""
        seen = {_norm(im.caption or "") for im in [*self.images, *known]}
        for i, r in enumerate(self.roles):
            if r is Role.CAPTION:
                n = self.norms[i]
                if not any(s.startswith(n) or n.startswith(s) for s in seen if s):
                    self.images.append(Image(caption=self.blocks[i].text, source=self._ref([i], "rules:repeated-caption")))
                    seen.add(n)

    def is_title_candidate(self, i: int) -> bool:
        text = self.blocks[i].text
        w = _words(text)
        return (
            TITLE_MIN_WORDS <= w <= TITLE_MAX_WORDS
            and not text.rstrip("\"”’')").endswith(".")
            and self.roles[i] not in (Role.CAPTION, Role.CREDIT, Role.BYLINE, Role.DATELINE)
            and not looks_like_byline(text)
            and not looks_like_dateline(text)
        )

    def pick_title(self, lo: int, anchor: int) -> int | None:
        """The headline: the last heading-like block above the anchor (byline/date/body start), skipping a
        standfirst; a block contained in the page's first line (often the <title>) wins outright."""
        first = self.norms[0] if self.norms else ""
        cands = [i for i in range(lo, anchor) if self.is_title_candidate(i)]
        for i in reversed(cands):
            if i > 0 and self.norms[i] and self.norms[i] in first and len(self.norms[i]) >= 0.3 * len(first):
                return i
        for i in reversed(cands):
            if self.roles[i] is not Role.DEK:
                return i
        return None

    def first_prose(self) -> int | None:
        """The first body block that reads as prose: the article's first paragraph (or its dek). Blocks the
        model keeps above it are often headline-zone or navigation text, so the header rules start here."""
        body = [i for i, r in enumerate(self.roles) if r is Role.BODY]
        for i in body:
            text = self.blocks[i].text
            if _words(text) >= PROSE_MIN_WORDS and _ends_sentence(text):
                return i
        return body[0] if body else None

    def header(self, start: int, ev: HtmlEvidence | None) -> dict:
        """Assign title, dek, byline, dateline, caption roles around the body start; returns field values."""
        out: dict = {}
        lo = max(0, start - HEADER_LOOKBACK)
        hi = min(len(self.blocks), start + HEADER_LOOKAHEAD)
        self.mark_captions(lo, hi)
        bylines = self.find_bylines(lo, hi)
        datelines = [i for i in self.find_datelines(lo, hi) if i not in bylines]
        for i in bylines:
            self.roles[i] = Role.BYLINE
        for i in datelines:
            self.roles[i] = Role.DATELINE
        anchors = bylines + datelines
        anchor = min(anchors) if anchors else start
        title_idx = self.find_title(lo, hi, anchor, ev)
        if title_idx is not None:
            self.roles[title_idx] = Role.TITLE
            out["title"] = (self.blocks[title_idx].text, [title_idx], "rules:headline-above-byline")
            # Nothing above the headline is article text (breadcrumbs, menus, teasers).
            for i in range(title_idx):
                if self.roles[i] is Role.BODY:
                    self.roles[i] = Role.BOILERPLATE
            # The standfirst: a sentence or two between headline and byline/date (or first paragraph).
            for i in range(title_idx + 1, max(anchor, start)):
                text = self.blocks[i].text
                if (self.roles[i] in (Role.BODY, Role.BOILERPLATE) and DEK_MIN_WORDS <= _words(text) <= DEK_MAX_WORDS
                        and _ends_sentence(text)):
                    self.roles[i] = Role.DEK
                    out["dek"] = (text, [i], "rules:sentence-between-headline-and-byline")
                    break
        if bylines:
            names: list[str] = []
            for i in bylines:
                names.extend(n for n in parse_byline(self.blocks[i].text) if n not in names)
            out["authors"] = (names, bylines, "rules:byline")
        if not datelines:
            # No date beside the headline: the first date-only line elsewhere in the article's reach (some
            # templates print it under the last paragraph or above the breadcrumbs).
            reach = range(0, min(len(self.blocks), self.last_body() + TAGS_LOOKAHEAD + 1))
            datelines = next(([i] for i in reach if self.roles[i] is not Role.BODY and self.nwords[i] <= 12
                              and looks_like_dateline(self.blocks[i].text)), [])
        for i in datelines:
            parsed = parse_date_text(self.blocks[i].text, month_first=True)
            if parsed is None:
                continue
            key = "updated" if parsed.kind == "updated" else "published"
            out.setdefault(key, (parsed.iso, [i], "rules:dateline"))
        return out

    def last_body(self) -> int:
        return max((i for i, r in enumerate(self.roles) if r is Role.BODY), default=0)

    def find_title(self, lo: int, hi: int, anchor: int, ev: HtmlEvidence | None) -> int | None:
        if ev and ev.title:
            t = _norm(ev.title)
            exact = next((i for i in range(lo, hi) if self.norms[i] == t), None)
            if exact is not None:
                return exact
            return next((i for i in range(lo, hi) if t and self.norms[i] and (self.norms[i] in t or t in self.norms[i])
                         and self.nwords[i] <= TITLE_MAX_WORDS and self.is_title_candidate(i)), None)
        return self.title_from_first_line(anchor) or self.pick_title(lo, anchor)

    def title_from_first_line(self, anchor: int) -> int | None:
        """Renderers put the document <title> ("Headline | Site") first; the block that repeats one of its
        segments in the page, nearest above the article, is the printed headline."""
        if len(self.blocks) < 2:
            return None
        first = self.blocks[0].text
        segments = {_norm(seg) for seg in _SITE_SEP_RE.split(first)} | {_norm(first)}
        segments = {seg for seg in segments if len(seg.split()) >= TITLE_MIN_WORDS}
        for i in range(min(anchor, len(self.blocks)) - 1, 0, -1):
            if self.norms[i] in segments and self.is_title_candidate(i):
                return i
        return None

    def tags(self, start: int, end: int) -> tuple[list[str], int] | None:
        for i in range(start, min(len(self.blocks), end + 1 + TAGS_LOOKAHEAD)):
            if _TAGS_LABEL_RE.match(self.blocks[i].text):
                # "Tags" on its own, then one block per tag (HTML lists of tag links).
                j = i + 1
                while j < len(self.blocks) and j - i <= TAGS_MAX_COUNT and _words(self.blocks[j].text) <= TAG_MAX_WORDS:
                    j += 1
                if j > i + 1:
                    for k in range(i + 1, j):
                        self.roles[k] = Role.TAGS
                    return [self.blocks[k].text.strip(" ,;#") for k in range(i + 1, j)], i
            m = _TAGS_RE.match(self.blocks[i].text)
            if m and self.nwords[i] <= 40:
                body = "\n".join(b.text for j, (b, r) in enumerate(zip(self.blocks, self.roles, strict=True))
                                 if r is Role.BODY and j != i)
                return _split_tags(m.group("tags"), body), i
        return None


def _split_tags(raw: str, body: str) -> list[str]:
    """Split a tags line. With separators, split on them; a run of bare words is split on spaces, then
    neighbours are re-joined when the body uses them as one capitalized phrase ("Middle East")."""
    parts = [p.strip() for p in _TAG_SPLIT_RE.split(raw) if p.strip()]
    if len(parts) > 1:
        return parts
    words = raw.split()
    tags: list[str] = []
    i = 0
    while i < len(words):
        if (i + 1 < len(words) and words[i + 1][:1].isupper()
                and re.search(rf"\b{re.escape(words[i])} {re.escape(words[i + 1])}\b", body)):
            tags.append(f"{words[i]} {words[i + 1]}")
            i += 2
        else:
            tags.append(words[i])
            i += 1
    return tags


def _publisher_and_section(blocks: Sequence[Block], title_idx: int | None) -> tuple[str | None, str | None, list[int]]:
    """Dumps only: the site name is the short segment of line 1 ('Site - tagline' or 'Headline | Site');
    the breadcrumb is the short line above the headline that starts with the site name."""
    if not blocks:
        return None, None, []
    segments = _SITE_SEP_RE.split(blocks[0].text)
    publisher = None
    if len(segments) > 1:
        title_n = _norm(blocks[title_idx].text) if title_idx is not None else ""
        names = [s for s in segments if 1 <= _words(s) <= 5 and _norm(s) != title_n and s[:1].isupper()]
        if names:
            # 'Headline | Site': the site is last; 'Site - tagline ...': the site is first.
            publisher = names[-1] if title_n and title_n in _norm(blocks[0].text) else names[0]
    section = None
    lines: list[int] = []
    if publisher and title_idx is not None:
        core = re.sub(r"^the\s+", "", publisher, flags=re.I)
        for i in range(max(0, title_idx - 4), title_idx):
            text = blocks[i].text
            if text.lower().startswith(core.lower()) and _words(text) <= 12 and len(text) > len(core) + 2:
                rest = text[len(core):].strip(" >»/|-")
                earlier = " ".join(b.text for b in blocks[:i])
                section = " / ".join(_split_by_known_phrases(rest.split(), earlier))
                lines = [i]
                break
    return publisher, section, lines


def _split_by_known_phrases(words: list[str], known: str) -> list[str]:
    """Breadcrumbs lose their separators in dumps; split where a multi-word prefix is a phrase the
    navigation already used ("Middle East" in the menu splits "Middle East Iran News")."""
    if len(words) < 3:
        return [" ".join(words)] if words else []
    for k in range(len(words) - 1, 1, -1):
        if " ".join(words[:k]) in known:
            return [" ".join(words[:k])] + _split_by_known_phrases(words[k:], known)
    return [" ".join(words)]


def assemble_article(
    blocks: Sequence[Block],
    scores: np.ndarray | Sequence[float],
    *,
    source_kind: str,
    url: str | None,
    threshold: float,
    evidence: HtmlEvidence | None = None,
    model_version: str = "",
) -> Article:
    scores = np.asarray(scores, dtype=float)
    article = Article(url=url, source_kind=source_kind)  # type: ignore[arg-type]
    asm = _Assembler(blocks, scores, threshold, source_kind)
    if evidence:
        for i, role in evidence.figure_roles.items():
            asm.roles[i] = role
    span = asm.body_span()
    if span is None:
        asm.fallback()
        span = asm.body_span()
    if span is None:
        article.empty_reason = "no block looks like article text" if blocks else "the page has no text"
        article.blocks = _labels(blocks, asm.roles, scores)
        _apply_evidence(article, evidence)
        return article
    start, end = span
    start = asm.first_prose() or start
    asm.cut_comments(start)
    asm.drop_widgets()
    asm.cut_after_gap(start)
    span = asm.body_span() or span
    end = span[1]
    fields = asm.header(start, evidence)
    # Captions inside the body (pictures between paragraphs).
    asm.mark_captions(start + HEADER_LOOKAHEAD, end + 1)
    asm.finish_images(evidence.images if evidence else ())
    tags = asm.tags(start, end)
    if tags:
        article.tags = tags[0]
        asm.roles[tags[1]] = Role.TAGS
        article.provenance["tags"] = asm._ref([tags[1]], "rules:tags-line")
    for name, (value, idxs, method) in fields.items():
        setattr(article, name, value)
        article.provenance[name] = asm._ref(idxs, method)
    # Body: model-selected blocks minus those given another role; exact repeats of a paragraph dropped.
    seen: set[str] = set()
    body_idx: list[int] = []
    title_norm = _norm(article.title or "")
    for i, r in enumerate(asm.roles):
        if r is not Role.BODY:
            continue
        n = asm.norms[i]
        if (n in seen and _words(blocks[i].text) <= REPEATED_CAPTION_MAX_WORDS) or (title_norm and n == title_norm):
            asm.roles[i] = Role.BOILERPLATE
            continue
        seen.add(n)
        body_idx.append(i)
    article.body = [blocks[i].text for i in body_idx]
    article.provenance["body"] = asm._ref(body_idx, f"model:{model_version}" if model_version else "model")
    article.images = (evidence.images if evidence and evidence.images else []) + asm.images
    if source_kind == "dump":
        title_idx = next((i for i, r in enumerate(asm.roles) if r is Role.TITLE), None)
        publisher, section, lines = _publisher_and_section(blocks, title_idx)
        if publisher:
            article.publisher = publisher
            article.provenance["publisher"] = asm._ref([0], "rules:first-line-site-name")
        if section:
            article.section = section
            article.provenance["section"] = Provenance(method="rules:breadcrumb", lines=[blocks[i].line for i in lines])
        tail = " ".join(blocks[i].text for i in range(end, min(len(blocks), end + TAGS_LOOKAHEAD)))
        article.paywalled = bool(_PAYWALL_RE.search(tail))
    article.language = detect_language(" ".join(article.body[:5]))
    _apply_evidence(article, evidence)
    article.blocks = _labels(blocks, asm.roles, scores)
    if not article.body:
        article.empty_reason = "every text block was headline, caption or boilerplate"
    return article


def _labels(blocks: Sequence[Block], roles: Sequence[Role], scores: np.ndarray) -> list[BlockLabel]:
    # model_construct skips validation: a page has hundreds of blocks and these values are ours.
    return [BlockLabel.model_construct(ref=b.ref, role=r, score=round(float(x), 3))
            for b, r, x in zip(blocks, roles, scores, strict=True)]


def _apply_evidence(article: Article, ev: HtmlEvidence | None) -> None:
    """Metadata from markup beats what rules found in the text, field by field."""
    if ev is None or ev.meta is None:
        return
    meta = ev.meta
    for name in ("title", "published", "updated", "publisher", "section", "language", "authors", "tags"):
        value = getattr(meta, name)
        if value:
            setattr(article, name, list(value) if isinstance(value, list) else value)
            if name in meta.provenance:
                article.provenance[name] = meta.provenance[name]
    article.paywalled = article.paywalled or meta.paywalled
    if article.url is None and meta.url:
        # The page's declared address only stands in when the caller gave none (a saved file).
        article.url = meta.url
        if "url" in meta.provenance:
            article.provenance["url"] = meta.provenance["url"]


# Tiny stop-word language guesser for the languages of our crawl mix; a proper identifier (e.g.
# fastText's lid model) is the enrichment stage's job, this only fills Article.language cheaply.
_LANG_WORDS = {
    "en": frozenset("the and of to in is that for it with as was on are by this be from have".split()),
    "de": frozenset("der die und das ist nicht mit von den zu ein eine sich auf für dem des".split()),
    "fr": frozenset("le la les et des est une un du que qui dans pour pas sur au avec".split()),
    "es": frozenset("el los las y es en que por con para una del se al lo su como".split()),
    "it": frozenset("il di che è per non con una sono nel della gli le lo dei".split()),
    "nl": frozenset("het een van en de dat zijn op te met voor niet is".split()),
}
LANGUAGE_MIN_HITS = 5


def detect_language(text: str) -> str | None:
    words = text.lower().split()
    if not words:
        return None
    hits = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    lang, best = max(hits.items(), key=lambda kv: kv[1])
    return lang if best >= LANGUAGE_MIN_HITS else None

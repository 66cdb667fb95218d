"""HTML page -> text blocks with DOM evidence, segmented exactly like the dump renderer.

``html_to_blocks`` cuts a page into the same lines as the reference dump renderer
(``../shared/tools/html_to_dump.py`` with ``include_title=False``): block elements start and end a
line, ``<br>``/``<hr>`` end one, table cells are joined by a space, ``<pre>`` keeps its source lines,
skipped and hidden elements vanish and whitespace is collapsed. So one line classifier serves dumps
and HTML; HTML blocks only add DOM features (``DOM_FEATURES`` in ``blocks.py``).

The walk is iterative (``lxml.etree.iterwalk`` with start/end events, C-level traversal), so any
depth the parser accepts is safe, and per element it does O(1) work: one look at the attributes,
class/id keyword tests cached per distinct string, and an int bit mask inherited down a stack.
Element paths (``Block.ref``) come from tag ranks counted during the walk and equal lxml's
``getroottree().getpath(el)`` (the index is left out when a tag is unique among its siblings);
``element_at(doc, ref)`` finds the element again (``xpath(ref)`` does too, except for tags with a
prefix such as ``o:p``). Several lines of one element (split by ``<br>``) share its ref.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

import lxml.html
from lxml import etree

from newsmill.extraction.blocks import DOM_FEATURES, Block
from newsmill.extraction.deadline import Deadline

__all__ = [
    "BLOCK_TAGS",
    "BREAK_TAGS",
    "CELL_TAGS",
    "PRE_TAGS",
    "SKIP_TAGS",
    "element_at",
    "element_path",
    "html_to_blocks",
    "is_hidden",
    "parse_html",
]

# --- segmentation rules: the same tag sets as the reference dump renderer ---------------------------
# Parity with the renderer is the contract (benchmarks/check_block_parity.py checks it), so these
# sets must stay identical to the renderer's; do not "improve" them here.

#: Elements whose start and end both force a line break.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header
    hgroup html legend li listing main menu nav noframes ol optgroup option p
    plaintext pre section summary table tbody tfoot thead caption tr ul xmp
    """.split()
)
#: Void elements that end a line.
BREAK_TAGS = frozenset(["br", "hr"])
#: Table cells: separated by a space within their row's line.
CELL_TAGS = frozenset(["td", "th"])
#: Elements removed together with their content (form controls are UI chrome, not content).
SKIP_TAGS = frozenset(
    """head script style noscript template svg math iframe object embed canvas
    select datalist audio video source track map area param button input textarea
    """.split()
)
#: Elements whose text keeps its source line breaks (one line per source line).
PRE_TAGS = frozenset(["pre", "listing", "plaintext", "xmp"])

_WS_RE = re.compile(r"\s+")  # the renderer's collapse rule (Unicode whitespace included)
_HIDDEN_STYLE_RE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_XML_DECL_RE = re.compile(r"\s*<\?xml[^>]*\?>")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

#: How many elements the walk visits between two deadline checks (a check costs a clock read).
_DEADLINE_EVERY = 256

# --- parsing -------------------------------------------------------------------------------------

#: One parser for all pages (lxml parsers are reusable and thread-safe to share for parsing).
#: remove_comments / remove_pis: comments and processing instructions are never rendered, and
#:   without them the walk sees only elements (their tails merge into the neighbouring text, which
#:   is exactly how the renderer concatenates them).
#: huge_tree=True: libxml2 otherwise stops at nesting depth 256 and silently drops the REST of the
#:   page (a FATAL "Excessive depth" error in recover mode); with it the limit is 2048. Memory is
#:   bounded by the caller's input size limit, and the HTML parser expands no custom entities, so
#:   the usual reason to keep the limits (entity bombs) does not apply.
#: collect_ids=False: no hash table of id attributes (saves ~20% of parse time); nothing here uses
#:   XPath id(); lxml.html's get_element_by_id does not need it.
#: remove_blank_text stays False: whitespace-only text between inline elements is a word gap.
#: Element classes: every element is a plain ``HtmlElement`` (text_content, cssselect, ... all work)
#:   via lxml's C-level default lookup. lxml.html's own lookup is a Python call per element proxy
#:   (~7% of the walk) whose only gain is FormElement/InputElement classes for form fields.
PARSER = lxml.html.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
    collect_ids=False,
)
PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse a decoded HTML page; ``None`` when there is nothing to parse. Never raises on bad input.

    Malformed markup is repaired by libxml2's recover mode. Nesting deeper than libxml2's limit
    (2048 with ``huge_tree``) ends the tree there: what was parsed up to that point is returned.
    """
    text = _prepare_text(html)
    if not text or text.isspace():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=PARSER)
    except (etree.LxmlError, ValueError, UnicodeError, MemoryError):
        # ParserError 'Document is empty' (only comments), or an input libxml2 rejects outright.
        return None


def _prepare_text(html: str) -> str:
    """Remove what makes lxml refuse or truncate a ``str``: an XML declaration, lone surrogates."""
    if html.startswith("\ufeff"):
        html = html[1:]
    m = _XML_DECL_RE.match(html)
    if m:  # lxml raises ValueError on str input that declares an encoding
        html = html[m.end() :]
    if not html.isascii():
        try:
            html.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: libxml2 would stop parsing at the first one
            html = _SURROGATE_RE.sub("\ufffd", html)
    return html


def is_hidden(el: etree._Element) -> bool:
    """The renderer's rule: ``hidden``, ``aria-hidden="true"`` or inline display:none/visibility:hidden."""
    attrib = el.attrib
    if "hidden" in attrib:
        return True
    if attrib.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = attrib.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(style))


# --- feature bits --------------------------------------------------------------------------------
# Every element gets an int mask = parent's mask | its own bits (tag + class/id/rel/itemprop), so
# "inside X" is one AND. A line's mask is the OR of the masks under which its non-blank text was
# found: the block element, its ancestors, and inline elements inside the block holding text.

NAV = 1 << 0
ARTICLE = 1 << 1
HEADING = 1 << 2
H1 = 1 << 3
LIST_ITEM = 1 << 4
FIGURE = 1 << 5
TABLE = 1 << 6
BAD = 1 << 7
GOOD = 1 << 8
BYLINE = 1 << 9
TIME = 1 << 10
QUOTE = 1 << 11
PRE = 1 << 12
LINK = 1 << 13  # inside <a href>: counted for link_density only
ARTICLE_TAG = 1 << 14  # inside <article>: its header/footer is the article's, not navigation

#: An element whose own class/id says BAD (and not GOOD) cancels the GOOD it inherits: a share bar
#: or related-links box inside 'article-content' is not content. Not the other way round: a
#: 'story' teaser inside a 'related' box stays BAD (and is GOOD too).
_GOOD_OR_BAD = GOOD | BAD

_TAG_BITS: dict[str, int] = {
    "nav": NAV,
    "aside": NAV,
    "article": ARTICLE | ARTICLE_TAG,
    "main": ARTICLE,  # often the whole page's wrapper, site header included (so no ARTICLE_TAG)
    "h1": HEADING | H1,
    **{f"h{i}": HEADING for i in range(2, 7)},
    "li": LIST_ITEM,
    "dd": LIST_ITEM,
    "dt": LIST_ITEM,
    "figure": FIGURE,
    "figcaption": FIGURE,
    **{t: TABLE for t in ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")},
    "time": TIME,
    "blockquote": QUOTE,
    **{t: PRE for t in PRE_TAGS},
}
#: header/footer are navigation chrome at page level, but the article's own header (headline,
#: byline) or footer (tags, author box) inside <article> (HTML sectioning semantics).
_PAGE_CHROME_TAGS = frozenset(["header", "footer"])
#: Elements whose class/id describe the page type (WordPress 'single-post', 'has-sidebar'), not a
#: region of it: their class/id are ignored.
_PAGE_TAGS = frozenset(["html", "body"])

# Keyword tests on the lower-cased class or id value. Substring matches (as readability and
# trafilatura do): class names glue words in every style (mainNav, main-nav, main_nav).
_CLASS_KEYWORDS: tuple[tuple[int, str], ...] = (
    (
        NAV,
        "nav menu breadcrumb footer sidebar masthead site-header siteheader skip-link skiplink topbar toolbar",
    ),
    (
        BAD,
        "nav footer sidebar comment share sharing social related promo newsletter subscri signup sign-up"
        " cookie consent gdpr advert sponsor breadcrumb menu widget most-read mostread most-popular"
        " mostpopular popular trending recommend outbrain taboola banner modal popup pagination pager"
        " more-stories morestories read-more readmore",
    ),
    (GOOD, "article content story entry post-body postbody text"),  # + 'main': _MAIN_RE
    (BYLINE, "author byline by-line writer contributor reporter"),
    (TIME, "date time published pubdate"),
    (
        FIGURE,
        "caption credit figure photo-cred photocred image-desc imagedesc img-desc imgdesc media-desc mediadesc",
    ),
    (0, "commentary"),  # opinion pieces: not a comment section (the longer keyword wins)
)
#: 'ad'/'ads' only as a whole word ('header', 'download' and 'shadow' are not ads).
_ADS_RE = re.compile(r"(?<![a-z])ads?(?![a-z])")
#: 'main' as a word, but not 'main-nav', 'mainmenu', 'main-header' (site chrome) nor 'domain'.
_MAIN_RE = re.compile(r"(?<![a-z])main(?!-?(?:nav|menu|head|foot|bar))")
#: class/id naming the article text itself ('article-body', 'story__content', 'main-text', ...).
_ARTICLE_BODY_RE = re.compile(
    r"(?:article|story|post|entry|news|content|main|body)[-_]{0,2}(?:body|content|text)"
)


def _keyword_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for bits, words in _CLASS_KEYWORDS:
        for word in words.split():
            table[word] = table.get(word, 0) | bits
    return table


def _trie_pattern(words: list[str]) -> str:
    """One regex for many keywords, factored as a trie ('s(?:hare|ocial|...)'): the regex engine
    then tests a handful of first letters per position instead of every keyword (2.4x faster than
    one alternation per feature on benchmark class names). Longer keywords win at a position."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        subs = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not subs:
            return ""
        body = subs[0] if len(subs) == 1 else "(?:" + "|".join(subs) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_KEYWORD_BITS = _keyword_table()
_KEYWORD_RE = re.compile(_trie_pattern(list(_KEYWORD_BITS)))

#: itemprop / rel values (lower-cased substrings) and the bits they give.
_ITEMPROP_RULES: tuple[tuple[str, int], ...] = (
    ("articlebody", ARTICLE | GOOD),
    ("author", BYLINE),
    ("creator", BYLINE),
    ("date", TIME),
    ("caption", FIGURE),
)

#: Cache of class/id string -> bits, shared by all pages (class names repeat within and across
#: sites); cleared when it grows past this many entries so that memory stays bounded.
_CLASS_CACHE_MAX = 50_000
_class_cache: dict[str, int] = {}


def class_bits(value: str) -> int:
    """Feature bits said by one class or id attribute value."""
    bits = _class_cache.get(value)
    if bits is None:
        low = value.lower()
        bits = 0
        for word in _KEYWORD_RE.findall(low):
            bits |= _KEYWORD_BITS[word]
        if "ad" in low and _ADS_RE.search(low):
            bits |= BAD
        if "main" in low and _MAIN_RE.search(low):
            bits |= GOOD
        if ("body" in low or "content" in low or "text" in low) and _ARTICLE_BODY_RE.search(low):
            bits |= ARTICLE
        if len(_class_cache) >= _CLASS_CACHE_MAX:
            _class_cache.clear()
        _class_cache[value] = bits
    return bits


def _itemprop_bits(value: str) -> int:
    low = value.lower()
    bits = 0
    for key, bit in _ITEMPROP_RULES:
        if key in low:
            bits |= bit
    return bits


#: Attribute names the walk reads (others are ignored by one dict miss).
_A_CLASS, _A_HIDDEN, _A_ARIA, _A_STYLE, _A_ITEMPROP, _A_REL, _A_HREF = range(7)
_ATTR_KIND: dict[str, int] = {
    "class": _A_CLASS,
    "id": _A_CLASS,
    "hidden": _A_HIDDEN,
    "aria-hidden": _A_ARIA,
    "style": _A_STYLE,
    "itemprop": _A_ITEMPROP,
    "rel": _A_REL,
    "href": _A_HREF,
}
_HIDDEN = -1  # sentinel returned by _own_bits for elements the renderer does not render


def _own_bits(attrs: list[tuple[str, str]], tag: str, page_level: int) -> int:
    """The element's own feature bits, or ``_HIDDEN``. ``page_level``: class/id on html/body describe
    the page type (WordPress 'single-post', 'has-sidebar'), not a region, so they are ignored."""
    bits = _TAG_BITS.get(tag, 0)
    for name, value in attrs:
        kind = _ATTR_KIND.get(name)
        if kind is None:
            continue
        if kind == _A_CLASS:
            if value and not page_level:
                bits |= class_bits(value)
        elif kind == _A_HIDDEN:
            return _HIDDEN
        elif kind == _A_ARIA:
            if value.strip().lower() == "true":
                return _HIDDEN
        elif kind == _A_STYLE:
            if value and _HIDDEN_STYLE_RE.search(value):
                return _HIDDEN
        elif kind == _A_ITEMPROP:
            bits |= _itemprop_bits(value)
        elif kind == _A_REL:
            if "author" in value.lower():
                bits |= BYLINE
        elif tag == "a":  # _A_HREF
            bits |= LINK
    return bits


# --- element paths -------------------------------------------------------------------------------


def element_path(el: etree._Element) -> str:
    """An element's path in the form of ``Block.ref`` (lxml's ``getpath``: '/html/body/div[2]/p')."""
    return el.getroottree().getpath(el)


def element_at(doc: etree._Element, ref: str) -> etree._Element | None:
    """The element a ``Block.ref`` names, or ``None``. Unlike ``xpath(ref)`` this also resolves tags
    that are not XPath names (``o:p``, ``fb:like``: libxml2 keeps the prefix in the tag name)."""
    node: etree._Element | None = None
    for step in ref.strip("/").split("/"):
        tag, _, index = step.partition("[")
        nth = int(index.rstrip("]")) if index else 1
        if node is None:
            root = doc.getroot() if isinstance(doc, etree._ElementTree) else doc.getroottree().getroot()
            tops = [root, *root.itersiblings()]  # top-level elements after a stray </html>
            node = _nth_with_tag(tops, tag, nth)
        else:
            node = _nth_with_tag(node, tag, nth)
        if node is None:
            return None
    return node


def _nth_with_tag(nodes: Iterable[etree._Element], tag: str, nth: int) -> etree._Element | None:
    seen = 0
    for node in nodes:
        if node.tag == tag:
            seen += 1
            if seen == nth:
                return node
    return None


# --- the walk ------------------------------------------------------------------------------------

#: DOM depth at which the 'depth' feature saturates (news body text sits at depth 8..20).
_DEPTH_SCALE = 20.0
#: Number of <p> siblings at which 'p_siblings' saturates (an article body has >= 10).
_P_SIBLINGS_SCALE = 10.0
#: Bit of a line's mask telling that it holds non-blank text (so blank lines cost no regex).
_HAS_TEXT = 1 << 30

# A frame per open element, a list for speed: [tag, parent frame, n (1-based rank among the
# parent's children with this tag), tag -> count of its children seen so far (None until the first
# child), path (None until resolved after the walk), inherited feature mask, _TAG_KIND bits].
# Counts are final once the walk is over, which is when paths and p_siblings are resolved; that is
# why both are filled in after the walk.
_Frame = list
_F_TAG, _F_PARENT, _F_N, _F_COUNTS, _F_PATH, _F_MASK, _F_KIND = range(7)
#: The innermost open block element: (its frame, its DOM depth).
_OpenBlock = tuple[_Frame, int]


#: DOM features that are one mask bit each (the others are computed per block).
_BIT_FEATURES: dict[str, int] = {
    "in_nav": NAV,
    "in_article": ARTICLE,
    "is_heading": HEADING,
    "is_h1": H1,
    "is_list_item": LIST_ITEM,
    "in_figure": FIGURE,
    "in_table": TABLE,
    "bad_class": BAD,
    "good_class": GOOD,
    "is_byline_class": BYLINE,
    "is_time": TIME,
    "is_blockquote": QUOTE,
    "is_pre": PRE,
}
_FEATURE_BITS = sum(_BIT_FEATURES.values())
#: Feature dicts by (feature bits, is <p>): copied per block, which is 5x cheaper than building one.
_DOM_TEMPLATES: dict[tuple[int, bool], dict[str, float]] = {}


def _dom_template(bits: int, is_p: bool) -> dict[str, float]:
    """The features a mask says, in ``DOM_FEATURES`` order; features it does not set are 0.0."""
    dom = dict.fromkeys(DOM_FEATURES, 0.0)
    for name, bit in _BIT_FEATURES.items():
        if bits & bit:
            dom[name] = 1.0
    dom["is_paragraph"] = 1.0 if is_p else 0.0
    return dom


class _LineBuilder:
    """Collects the text of the current line and turns it into a ``Block`` when the line ends.

    The walk appends to ``buf`` and ORs ``mask`` directly (no method call per text node); a line's
    mask gets ``_HAS_TEXT`` with its first non-blank text.
    """

    __slots__ = ("buf", "links", "mask", "blocks", "frames")

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.links: list[str] = []  # the parts of buf inside <a href>
        self.mask = 0  # OR of the masks under which non-blank text was added, | _HAS_TEXT
        self.blocks: list[Block] = []
        self.frames: list[_Frame] = []  # the block element's frame, per block

    def add(self, text: str, mask: int) -> None:
        self.buf.append(text)
        if not text.isspace():
            self.mask |= mask | _HAS_TEXT
            if mask & LINK:
                self.links.append(text)

    def add_pre(self, text: str, mask: int, block: _OpenBlock) -> None:
        """Text inside <pre>: every source line break ends the line."""
        for i, part in enumerate(text.split("\n")):
            if i:
                self.flush(block)
            if part:
                self.add(part, mask)

    def flush(self, block: _OpenBlock) -> None:
        """End the current line; ``block`` is the innermost open block element."""
        if self.mask & _HAS_TEXT:
            text = _WS_RE.sub(" ", "".join(self.buf)).strip()
            self.blocks.append(self._make_block(text, block))
            self.links.clear()
            self.mask = 0
        self.buf.clear()

    def _make_block(self, text: str, block: _OpenBlock) -> Block:
        """The block with every feature but ``p_siblings`` (and ``ref``), set in ``finish``."""
        frame, depth = block
        self.frames.append(frame)
        tag = frame[_F_TAG]
        key = (self.mask & _FEATURE_BITS, tag == "p")
        template = _DOM_TEMPLATES.get(key)
        if template is None:
            template = _DOM_TEMPLATES[key] = _dom_template(*key)
        dom = template.copy()
        if self.links:
            link_chars = len(_WS_RE.sub(" ", "".join(self.links)).strip())
            dom["link_density"] = min(1.0, link_chars / len(text))
        dom["depth"] = min(1.0, depth / _DEPTH_SCALE)
        return Block(text=text, ref="", line=len(self.blocks) + 1, dom=dom, tag=tag)

    def finish(self) -> list[Block]:
        """Fill in ``ref`` and ``p_siblings``, which need the final child counts."""
        for block, frame in zip(self.blocks, self.frames, strict=True):
            block.ref = _frame_path(frame)
            p_siblings = frame[_F_PARENT][_F_COUNTS].get("p", 0) - (frame[_F_TAG] == "p")
            block.dom["p_siblings"] = min(1.0, p_siblings / _P_SIBLINGS_SCALE)
        return self.blocks


def _frame_path(frame: _Frame) -> str:
    """The frame's element path (getpath form), cached on the frame and on its parent (the parent of
    the next sibling block). One join per call, so a path costs O(depth) even in DOMs thousands
    of levels deep, where caching every prefix would cost O(depth^2)."""
    if frame[_F_PATH] is None:
        parent = frame[_F_PARENT]
        if parent[_F_PATH] is None:
            parent[_F_PATH] = _join_path(parent)
        frame[_F_PATH] = f"{parent[_F_PATH]}/{_step(frame)}"
    return frame[_F_PATH]


def _join_path(frame: _Frame) -> str:
    steps: list[str] = []
    while frame[_F_PATH] is None:
        steps.append(_step(frame))
        frame = frame[_F_PARENT]
    steps.append(frame[_F_PATH])
    return "/".join(reversed(steps))


def _step(frame: _Frame) -> str:
    """'tag', or 'tag[n]' when the parent has several children with this tag."""
    tag = frame[_F_TAG]
    return f"{tag}[{frame[_F_N]}]" if frame[_F_PARENT][_F_COUNTS][tag] > 1 else tag


def _render_root(doc: etree._Element) -> etree._Element:
    """What the renderer walks: <body> when the root has one, else the whole document."""
    root = doc.getroot() if isinstance(doc, etree._ElementTree) else doc
    body = root.find("body")
    return body if body is not None else root


def _without_comments(root: etree._Element) -> etree._Element:
    """The same element in a copy of the document without comments/PIs (their tails kept), for
    documents not parsed by ``parse_html``: iterwalk does not visit them, so their tails would be
    lost. Paths stay valid for the original, since a path step counts only same-tag elements."""
    tree = root.getroottree()
    clone = copy.deepcopy(tree)
    etree.strip_elements(clone, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    found = element_at(clone, tree.getpath(root))
    return found if found is not None else root


def _has_comments(root: etree._Element) -> bool:
    return next(root.iter(etree.Comment, etree.ProcessingInstruction), None) is not None


def html_to_blocks(doc: etree._Element | None, deadline: Deadline | None = None) -> list[Block]:
    """One ``Block`` per line of the page's dump (title excluded), with DOM features.

    ``doc`` is what ``parse_html`` returns; any lxml element or tree with lower-case HTML tag names
    (as lxml's HTML parser makes them) works, comments included. Raises ``ExtractionTimeout``
    from ``deadline.check()``, which runs every few hundred elements.
    """
    if doc is None:
        return []
    root = _render_root(doc)
    if root.getroottree().parser is not PARSER and _has_comments(root):
        root = _without_comments(root)
    out = _LineBuilder()
    above, totals = _above_frame(root)
    above[_F_MASK], depth = _ancestor_state(root)
    _walk(root, above, depth, out, deadline)
    above[_F_COUNTS] = totals  # the walk only saw the root among its siblings
    return out.finish()


def _above_frame(root: etree._Element) -> tuple[_Frame, dict[str, int]]:
    """A frame standing for the root's parent, and the final tag counts of the root's siblings.

    Its counts are primed so that the walk ranks the root right; after the walk they are replaced
    by ``totals``, so that the root's path step and p_siblings come out as for any element.
    """
    parent = root.getparent()
    if parent is None:  # top-level: libxml2 may have made several roots (text after </html>)
        siblings = [*root.itersiblings(preceding=True), root, *root.itersiblings()]
        path = ""
    else:
        siblings = list(parent)
        path = element_path(parent)
    totals: dict[str, int] = {}
    rank = 0
    for sib in siblings:
        tag = sib.tag
        if isinstance(tag, str):
            totals[tag] = totals.get(tag, 0) + 1
            if sib is root:
                rank = totals[tag]
    return [None, None, 0, {root.tag: rank - 1}, path, 0, 0], totals


def _ancestor_state(root: etree._Element) -> tuple[int, int]:
    """(inherited mask, depth) of ``root`` from its ancestors (normally just <html>)."""
    ancestors = list(root.iterancestors())
    mask = 0
    for anc in reversed(ancestors):
        tag = anc.tag.lower() if isinstance(anc.tag, str) else ""
        bits = _own_bits(anc.items(), tag, page_level=tag in _PAGE_TAGS)
        if bits != _HIDDEN:
            mask |= bits
    return mask, len(ancestors)


#: What the walk does with a tag, as bits of one dict lookup (instead of four set lookups).
_K_BLOCK, _K_CELL, _K_BREAK, _K_SKIP, _K_CHROME, _K_PAGE = (1 << i for i in range(6))


def _tag_kinds() -> dict[str, int]:
    kinds: dict[str, int] = {}
    for tags, kind in (
        (BLOCK_TAGS, _K_BLOCK),
        (CELL_TAGS, _K_CELL),
        (BREAK_TAGS, _K_BREAK),
        (SKIP_TAGS, _K_SKIP),
        (_PAGE_CHROME_TAGS, _K_CHROME),
        (_PAGE_TAGS, _K_PAGE),
    ):
        for tag in tags:
            kinds[tag] = kinds.get(tag, 0) | kind
    return kinds


_TAG_KIND = _tag_kinds()


def _walk(
    root: etree._Element, above: _Frame, base_depth: int, out: _LineBuilder, deadline: Deadline | None
) -> None:
    """The renderer's walk, iteratively: start event = open + text, end event = close + tail.

    This is the hot loop (it runs per element), hence the inlined text appends and flush checks.
    Tags are taken as lxml's HTML parser gives them: lower-case.
    """
    frames: list[_Frame] = [above]  # frame per open element (index 0: the root's parent)
    # innermost open block element (the root is pushed as one; the bottom entry never gets text)
    blocks: list[_OpenBlock] = [(above, base_depth - 1)]
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: etree._Element | None = None  # element whose subtree is being skipped
    seen = 0
    buf, links, add_pre, flush = out.buf, out.links, out.add_pre, out.flush
    for event, el in walker:
        if event == "start":
            seen += 1
            if seen % _DEADLINE_EVERY == 0 and deadline is not None:
                deadline.check("html blocks")
            tag = el.tag
            parent = frames[-1]
            counts = parent[_F_COUNTS]  # rank it among its siblings, skipped or not (as getpath)
            if counts is None:
                counts = parent[_F_COUNTS] = {}
            rank = counts[tag] = counts.get(tag, 0) + 1
            kind = _TAG_KIND.get(tag, 0)
            if kind & _K_SKIP:
                walker.skip_subtree()
                skipped = el
                continue
            attrs = el.items()
            bits = _own_bits(attrs, tag, kind & _K_PAGE) if attrs else _TAG_BITS.get(tag, 0)
            if bits == _HIDDEN:
                walker.skip_subtree()
                skipped = el
                continue
            parent_mask = parent[_F_MASK]
            if kind & _K_CHROME and not parent_mask & ARTICLE_TAG:
                bits |= NAV
            if bits & _GOOD_OR_BAD == BAD:  # the nearer verdict wins: 'content' > 'sidebar' > p
                parent_mask &= ~GOOD
            mask = parent_mask | bits
            frame = [tag, parent, rank, None, None, mask, kind]
            if kind & _K_BLOCK or parent is above:  # a non-block root still owns its lines
                if out.mask:  # (inlined flush check: most breaks end a blank line)
                    flush(blocks[-1])
                else:
                    buf.clear()
                blocks.append((frame, base_depth + len(frames) - 1))
            elif kind & _K_CELL:
                buf.append(" ")
            frames.append(frame)
            text = el.text
            if kind & _K_BREAK:
                if text:  # libxml2 gives void elements no text; kept for other trees
                    out.add(text, mask)
                flush(blocks[-1])
                continue
        else:  # "end"
            if el is root:  # its line ends below; its tail is outside what is rendered
                break
            if skipped is el:
                skipped = None
            else:
                kind = frames.pop()[_F_KIND]
                if kind & _K_BLOCK:
                    if out.mask:
                        flush(blocks[-1])
                    else:
                        buf.clear()
                    blocks.pop()
                elif kind & _K_BREAK:
                    flush(blocks[-1])
                elif kind & _K_CELL:
                    buf.append(" ")
            text = el.tail
            mask = frames[-1][_F_MASK]
        if text:
            if mask & PRE:
                add_pre(text, mask, blocks[-1])
            else:
                buf.append(text)
                if not text.isspace():
                    out.mask |= mask | _HAS_TEXT
                    if mask & LINK:
                        links.append(text)
    flush(blocks[-1])

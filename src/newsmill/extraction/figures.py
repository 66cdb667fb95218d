"""Images with their caption and credit, from figure markup, and which blocks are captions or credits.

Sources, strongest first: ``<figure>`` with ``<figcaption>``; elements whose class/id says caption
(``wp-caption-text``, ``image-caption``, ...) or credit (``photo-credit``, ``copyright`` inside a
figure, ...) next to an image; and, only when a figure has no caption element, the image's
``alt``/``title``. A credit is its own element's text, else split off the end of the caption
(``split_credit``: "(photo credit: NAME/ AGENCY)", "Photo: NAME / Agency", "Credit: ...",
"© Agency", "NAME/REUTERS"). ``split_credit`` is public: dump captions need the same split.

Block lines: a caption or credit element owns the blocks whose ``ref`` is the element or inside it;
an inline caption (a ``<span class="caption">`` in a ``<p>``) owns its block's line when it is most
of that line's text. ``find_figures`` tells caption and credit lines apart; ``extract_figures`` gives
the pairs the HTML extractor consumes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from newsmill.extraction.blocks import Block
from newsmill.extraction.html_blocks import (
    BLOCK_TAGS,
    BREAK_TAGS,
    CELL_TAGS,
    SKIP_TAGS,
    element_path,
    is_hidden,
)
from newsmill.models import Image, Provenance

__all__ = ["Figure", "clean_credit", "extract_figures", "find_figures", "image_src", "split_credit"]

# --- finding caption and credit elements ----------------------------------------------------------

#: Substrings of a lower-cased class/id that make an element a candidate caption, credit or container.
_CANDIDATE_WORDS = ("caption", "credit", "copyright", "photographer")


def _candidates(doc: etree._Element) -> list[etree._Element]:
    """Figures, figcaptions and elements whose class/id mentions a candidate word, in document
    order. A Python pass over the elements: 10x faster than the same XPath with contains()."""
    found = []
    for el in doc.iter(etree.Element):
        tag = el.tag
        if tag == "figure" or tag == "figcaption":
            found.append(el)
            continue
        cls, ident = el.get("class"), el.get("id")
        if cls or ident:
            names = f"{cls or ''} {ident or ''}".lower()
            if any(word in names for word in _CANDIDATE_WORDS):
                found.append(el)
    return found


_CREDIT_CLASS_RE = re.compile(r"credit(?!-?card)|photographer|copyright")
#: Credit class names that say so outright; 'copyright' alone marks site footers too, so it counts
#: only inside a figure or caption container.
_NAMED_CREDIT_RE = re.compile(r"credit(?!-?card)|photographer")
#: caption-ish class names that are not image captions: ad labels, code listings, credit-card offers.
_NOT_CAPTION_RE = re.compile(r"ad-?caption|code-block-caption|creditcard|credit-card")
#: Tags that show an image (amp-img: AMP pages; picture/source: responsive images).
_IMAGE_TAGS = ("img", "amp-img", "picture")
#: How far up from a caption outside any figure to look for its image (caption and image are
#: siblings or cousins in real templates; further up, the nearest image is usually unrelated).
_IMAGE_SEARCH_LEVELS = 2
#: A caption outside a figure longer than this is a text block with an unlucky class name.
_MAX_LOOSE_CAPTION_CHARS = 600
#: An inline caption owns its block's line when it is at least this share of the line's text; an
#: inline credit only when it is (nearly) all of it: "Caption. <span>Photo: X</span>" is a caption
#: line with the credit inside.
_INLINE_CAPTION_SHARE = 0.5
_INLINE_CREDIT_SHARE = 0.9

_WS_RE = re.compile(r"\s+")

# --- image src ------------------------------------------------------------------------------------

#: Attributes lazy-loading scripts put the real URL in (src then holds a placeholder), in order.
_LAZY_SRC_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
)
_SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
_SRCSET_DESCRIPTOR_RE = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")


def image_src(img: etree._Element, base_url: str | None = None) -> str | None:
    """The image's URL: a lazy-loading attribute, else the widest ``srcset`` candidate, else ``src``
    (never a ``data:`` placeholder); for ``<picture>`` also its ``<source srcset>``. Made absolute
    when ``base_url`` is given."""
    candidates: list[str] = []
    for attr in _LAZY_SRC_ATTRS:
        candidates.append(img.get(attr) or "")
    for attr in _SRCSET_ATTRS:
        candidates.append(_widest(img.get(attr) or ""))
    candidates.append(img.get("src") or "")
    picture = img if img.tag == "picture" else _picture_of(img)
    if picture is not None:
        for source in picture.iter("source", "img"):
            candidates.append(_widest(source.get("srcset") or source.get("data-srcset") or ""))
            candidates.append(source.get("src") or "")
    for url in candidates:
        url = url.strip()
        if url and not url.startswith("data:"):
            return urljoin(base_url, url) if base_url else url
    return None


def _picture_of(img: etree._Element) -> etree._Element | None:
    """The <picture> around an <img> (libxml2 nests the <img> in a <source>: <source> is not void
    in its HTML 4 tables)."""
    for level, anc in enumerate(img.iterancestors()):
        if anc.tag == "picture":
            return anc
        if level >= 1:
            return None
    return None


def _widest(srcset: str) -> str:
    """The candidate of a srcset with the largest width (or density) descriptor."""
    best, best_size = "", -1.0
    for part in srcset.split(","):
        bits = part.split()
        if not bits:
            continue
        size = 0.0
        if len(bits) > 1:
            m = _SRCSET_DESCRIPTOR_RE.match(bits[-1])
            if m:
                size = float(m.group(1))
        if size > best_size:
            best, best_size = bits[0], size
    return best


# --- credit splitting -----------------------------------------------------------------------------

#: Agencies and photo libraries named in credits (matched case-insensitively, as whole words).
_AGENCIES = (
    r"reuters|ap|afp|epa|efe|epa-efe|getty(?: images)?|shutterstock|alamy|istock(?:photo)?|pa(?: images| wire)?"
    r"|bloomberg|dpa|picture[- ]alliance|anp|xinhua|sipa(?: usa)?|zuma(?: press| wire)?|nurphoto|invision"
    r"|(?:the )?associated press|agence france[- ]presse|ansa|imago|keystone|anadolu(?: agency)?|tass|aap"
    r"|kyodo|yonhap|rex(?: features)?|corbis|pool|flickr|wikimedia commons|unsplash|pexels|press association"
)
_LABEL = (
    r"(?:photo(?:graph(?:er)?)?s?|image|picture|pic|illustration|screenshot|foto|bild"
    r"|(?:photo |image )?credits?|source|quelle)"
)
#: A credit names a person and/or an agency: a longer "credit" is caption text behind a label
#: ("Image: Jose Mourinho, left, has replaced ..." where "Image:" is a screen-reader prefix).
_MAX_CREDIT_WORDS = 10
#: A capitalised word or initial ('Reyes-Hart', 'J.', "O'Neil"), never with a sentence's full stop.
_CAPWORD = r"(?:[A-Z]\.|[A-Z][\w'’&-]*(?:\.[\w'’&-]+)*)"
#: "... (photo credit: NAME/ AGENCY)", "... [Photo by NAME]"
_PAREN_LABEL_RE = re.compile(
    rf"^(?P<cap>.*?)\s*[(\[]\s*{_LABEL}\s*(?::|\bby\b)\s*(?P<cred>[^()\[\]]+?)\s*[)\]]\s*\.?$", re.I | re.S
)
#: "... (AP Photo/Evan Vucci)", "... (Reuters)", "... (Jane Doe/Getty Images)"
_PAREN_AGENCY_RE = re.compile(
    rf"^(?P<cap>.*?)\s*\(\s*(?P<cred>(?i:{_AGENCIES})\b[^()]{{0,60}}|{_CAPWORD}[^()/]{{0,60}}/\s*{_CAPWORD}[^()]{{0,60}})\)\s*\.?$",
    re.S,
)
#: "... Photo: NAME / Agency", "Credit: ...", "... Photo by NAME" (a 'source:' label only after a
#: sentence end or separator: mid-sentence "source:" is prose).
_LABEL_RE = re.compile(
    rf"^(?P<cap>.*?)(?:^|(?<=[.!?;|•·–—)\]])\s*|\s+[-|]\s+|\s+)"
    rf"(?:(?!source|quelle){_LABEL}\s*(?::|\bby\b)|(?:(?<=^)|(?<=[.!?;|•·–—)\]]\s))(?:source|quelle)\s*:)"
    rf"\s*(?P<cred>\S.*?)\s*\.?$",
    re.I | re.S,
)
#: "... bicycle.CreditCharlie Rubin for The New York Times": a credit label in its own element,
#: glued to the name by a renderer that joins inline elements without a space.
_GLUED_LABEL_RE = re.compile(r"^(?P<cap>.*?)\s*\bCredits?(?P<cred>[A-Z].*?)\s*\.?$", re.S)
#: "... © Agency", "(c) 2021 NAME", "Copyright: Agency"
_COPYRIGHT_RE = re.compile(
    r"^(?P<cap>.*?)\s*(?:©|ⓒ|\(c\)|\bcopyright\b)\s*:?\s*(?:\d{4}\s*)?(?P<cred>\S.*?)\s*\.?$", re.I | re.S
)
#: "... Kevin Lamarque/REUTERS", "... REUTERS/Kevin Lamarque", "... AFP via Getty Images": the
#: capitalised words around the last slash, up to the end of the text.
_SLASH_RE = re.compile(
    rf"^(?P<before>.*?)(?P<left>(?:{_CAPWORD}\s+)*{_CAPWORD})\s*/\s*"
    rf"(?P<right>{_CAPWORD}(?:\s+{_CAPWORD}){{0,3}}(?:\s+(?:via|for)\s+{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}})?)\s*\.?$",
    re.S,
)
#: How many trailing characters of a text are searched for a slash credit.
_SLASH_WINDOW = 160
#: A photographer's name before the slash has at most this many words ('Mary Anne Smith').
_MAX_NAME_WORDS = 3
#: "... on Monday. AFP via Getty Images", "... — Reuters"
_TRAILING_AGENCY_RE = re.compile(
    rf"^(?P<cap>.*?(?:[.!?]|\s[-–—|]))\s+(?P<cred>(?:{_CAPWORD}\s+){{0,3}}(?:via\s+)?(?i:{_AGENCIES}))\s*$",
    re.S,
)
_AGENCY_WORD_RE = re.compile(rf"^(?:{_AGENCIES})$", re.I)
_ALL_CAPS_RE = re.compile(r"^[A-Z][A-Z&.'’-]+(?:\s+[A-Z][A-Z&.'’-]+)*$")
#: Labels and marks stripped from a credit element's text ("Photo: ", "© ", "(c) 2020 ").
_CREDIT_PREFIX_RE = re.compile(
    rf"^\s*(?:{_LABEL}\s*(?::|\bby\b)|©|ⓒ|\(c\)|copyright\b:?)\s*(?:\d{{4}}\s+)?", re.I
)


def _agency_like(name: str) -> bool:
    """An agency name, or a name in capitals as agencies print it (REUTERS, TRANSIT PRESS)."""
    name = name.strip()
    return bool(_AGENCY_WORD_RE.match(name) or _ALL_CAPS_RE.match(name))


def split_credit(text: str) -> tuple[str | None, str | None]:
    """Split a caption into (caption, credit); either is ``None`` when absent or empty.

    >>> split_credit("Workers inspect the dam (photo credit: LEO MARTINS/COASTWIRE)")
    ('Workers inspect the dam', 'LEO MARTINS/COASTWIRE')
    >>> split_credit("The hall on Monday. Photo: Jane Doe / Reuters")
    ('The hall on Monday.', 'Jane Doe / Reuters')
    """
    text = _WS_RE.sub(" ", text).strip()
    for rx in (_PAREN_LABEL_RE, _PAREN_AGENCY_RE, _LABEL_RE, _GLUED_LABEL_RE, _COPYRIGHT_RE):
        m = rx.match(text)
        if m:
            return _checked_split(text, m.group("cap"), m.group("cred"))
    split = _split_slash_credit(text)
    if split is not None:
        return split
    m = _TRAILING_AGENCY_RE.match(text)
    if m:
        return _checked_split(text, m.group("cap"), m.group("cred"))
    return _or_none(text), None


def _checked_split(text: str, caption: str | None, credit: str | None) -> tuple[str | None, str | None]:
    """The split, unless the 'credit' is too long to be one (then: no credit; a leading label
    such as "Image:" is dropped)."""
    caption, credit = _or_none(caption), _or_none(credit)
    if credit is not None and len(credit.split()) > _MAX_CREDIT_WORDS:
        return (credit, None) if caption is None else (_or_none(text), None)
    return caption, credit


def _split_slash_credit(text: str) -> tuple[str | None, str | None] | None:
    """'NAME/AGENCY' or 'AGENCY/NAME' (or 'AP Photo/NAME') at the end of the text, else None."""
    head, tail = "", text
    if len(text) > _SLASH_WINDOW:  # credits sit at the end; bound the regex's work on long lines
        cut = text.find(" ", len(text) - _SLASH_WINDOW)
        if cut < 0:
            return None
        head, tail = text[: cut + 1], text[cut + 1 :]
    if "/" not in tail:
        return None
    m = _SLASH_RE.match(tail)
    if m is None:
        return None
    words = m.group("left").split()
    right = m.group("right")
    if _agency_like(right.split(" via ")[0].split(" for ")[0]):
        keep = min(len(words), _MAX_NAME_WORDS)  # the name: the last few capitalised words
    else:  # the agency is on the left: the shortest run of last words that names it
        keep = next(
            (
                k
                for k in range(1, len(words) + 1)
                if _agency_like(" ".join(words[-k:]).removesuffix(" Photo"))
            ),
            0,
        )
        if not keep:
            return None
    caption = head + m.group("before") + " ".join(words[: len(words) - keep])
    return _or_none(caption), _or_none(" ".join(words[len(words) - keep :]) + "/" + right)


def clean_credit(text: str) -> str | None:
    """A credit element's text without its label or mark: 'Photo: Jane Doe/AP' -> 'Jane Doe/AP'."""
    text = _WS_RE.sub(" ", text).strip()
    if text[:1] in "([" and text[-1:] in ")]":
        text = text[1:-1]
    return _or_none(_CREDIT_PREFIX_RE.sub("", text, count=1))


def _or_none(text: str | None) -> str | None:
    text = (text or "").strip(" \t\n-–—|•·,;:")
    return text or None


# --- alt text fallback ----------------------------------------------------------------------------

#: alt/title texts that describe nothing: file names, placeholders, single generic words.
_USELESS_ALT_RE = re.compile(
    r"^(?:image|img|photo|picture|foto|bild|thumbnail|logo|icon|placeholder|spacer|null|undefined|\W*)$"
    r"|\.(?:jpe?g|png|gif|webp|svg|avif)$",
    re.I,
)


def _alt_caption(img: etree._Element | None) -> str | None:
    if img is None:
        return None
    for attr in ("alt", "title"):
        text = _WS_RE.sub(" ", img.get(attr) or "").strip()
        if len(text) > 2 and not _USELESS_ALT_RE.search(text):
            return text
    return None


# --- DOM helpers ----------------------------------------------------------------------------------


def _class_id(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


class _Visibility:
    """Whether the renderer shows an element (neither it nor an ancestor skipped or hidden),
    memoised so that checking many elements of one page stays linear."""

    def __init__(self) -> None:
        self._known: dict[etree._Element, bool] = {}

    def shown(self, el: etree._Element) -> bool:
        chain: list[etree._Element] = []
        node: etree._Element | None = el
        verdict = True
        while node is not None:
            known = self._known.get(node)
            if known is not None:
                verdict = known
                break
            if not isinstance(node.tag, str) or node.tag in SKIP_TAGS or is_hidden(node):
                verdict = False
                chain.append(node)
                break
            chain.append(node)
            node = node.getparent()
        for n in chain:  # everything below a hidden element is hidden; above it, unknown
            self._known[n] = verdict
        return verdict


def _visible_text(el: etree._Element, exclude: set[etree._Element]) -> str:
    """The element's text as rendered (skipped/hidden parts and ``exclude`` subtrees left out),
    one line: block and break boundaries become spaces."""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    skipped: etree._Element | None = None
    for event, node in walker:
        if event == "start":
            tag = node.tag
            if not isinstance(tag, str) or tag in SKIP_TAGS or node in exclude or is_hidden(node):
                walker.skip_subtree()
                skipped = node
                continue
            if tag in BLOCK_TAGS or tag in BREAK_TAGS or tag in CELL_TAGS:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        else:
            if node is skipped:
                skipped = None
            elif node.tag in BLOCK_TAGS or node.tag in CELL_TAGS:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
    return _WS_RE.sub(" ", "".join(parts)).strip()


def _images_in(el: etree._Element) -> list[etree._Element]:
    """Images inside ``el`` (or ``el`` itself) in document order; a <picture> counts through its <img>."""
    return [n for n in el.iter(*_IMAGE_TAGS) if n.tag != "picture" or next(n.iter("img"), None) is None]


def _nearest_image(caption: etree._Element) -> etree._Element | None:
    """For a caption outside any figure: the image just before it (else just after it) within a
    few levels of ancestors."""
    scope: etree._Element | None = caption
    for _ in range(_IMAGE_SEARCH_LEVELS):
        scope = scope.getparent() if scope is not None else None
        if scope is None:
            return None
        nodes = list(scope.iter())  # document order
        pos = next(i for i, n in enumerate(nodes) if n is caption)
        inside = set(caption.iter())
        images = [n for n in _images_in(scope) if n not in inside]
        if images:
            order = {n: i for i, n in enumerate(nodes)}
            before = [n for n in images if order[n] < pos]
            return before[-1] if before else images[0]
    return None


# --- grouping captions with their image -----------------------------------------------------------

_CAPTION, _CREDIT, _FIGURE_CREDIT, _CONTAINER = "caption", "credit", "figure-credit", "container"


def _role(el: etree._Element) -> str | None:
    """What a candidate element is to figure extraction (None: not an image caption at all)."""
    if el.tag == "figure":
        return _CONTAINER
    if el.tag == "figcaption":
        return _CAPTION
    names = _class_id(el)
    if _NOT_CAPTION_RE.search(names):
        return None
    if _CREDIT_CLASS_RE.search(names):
        return _CREDIT if _NAMED_CREDIT_RE.search(names) else _FIGURE_CREDIT
    if _images_in(el):
        return _CONTAINER  # 'wp-caption', 'has-caption': holds both the image and the caption
    return _CAPTION


@dataclass
class Figure:
    """One image with the block lines that are its caption and its credit."""

    image: Image
    caption_lines: list[int] = field(default_factory=list)
    credit_lines: list[int] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        return sorted({*self.caption_lines, *self.credit_lines})


@dataclass
class _Group:
    """What belongs to one image while figures are being collected."""

    container: etree._Element | None  # <figure> or a caption container holding the image
    image: etree._Element | None
    captions: list[etree._Element] = field(default_factory=list)
    credits: list[etree._Element] = field(default_factory=list)


def find_figures(
    doc: etree._Element | None, blocks: list[Block], base_url: str | None = None
) -> list[Figure]:
    """Images with caption/credit found in ``doc``, and the lines of ``blocks`` that show them."""
    if doc is None:
        return []
    lines = _LineIndex(blocks)
    figures: list[Figure] = []
    seen: set[tuple[str | None, str | None]] = set()
    for group in _collect_groups(doc):
        figure = _build_figure(group, lines, base_url)
        if figure is None:
            continue
        key = (figure.image.src, figure.image.caption)
        if key in seen:  # the same picture twice (lazy-loading markup, a <noscript> copy)
            continue
        seen.add(key)
        figures.append(figure)
    return figures


def extract_figures(
    doc: etree._Element | None, blocks: list[Block], base_url: str | None = None
) -> list[tuple[Image, list[int]]]:
    """(image, caption and credit block lines) per figure; ``find_figures`` tells the lines apart."""
    return [(f.image, f.lines) for f in find_figures(doc, blocks, base_url)]


def _collect_groups(doc: etree._Element) -> list[_Group]:
    """Figures and caption containers first, then caption/credit elements attached to their image."""
    visibility = _Visibility()
    roles = [(el, _role(el)) for el in _candidates(doc) if visibility.shown(el)]
    groups: dict[etree._Element, _Group] = {el: _Group(el, None) for el, role in roles if role == _CONTAINER}
    containers = set(groups)
    for container, group in groups.items():
        group.image = next(iter(_own_images(container, containers)), None)
    captions = {el for el, role in roles if role == _CAPTION}
    for el, role in roles:
        if role not in (_CAPTION, _CREDIT, _FIGURE_CREDIT):
            continue
        if role == _CAPTION and any(anc in captions for anc in el.iterancestors()):
            continue  # a caption inside a caption: the outer one gives the text
        if role == _FIGURE_CREDIT and not any(anc in containers for anc in el.iterancestors()):
            continue  # a 'copyright' outside any figure: the site footer's
        owner = _group_for(el, groups, containers)
        if owner is not None:
            (owner.captions if role == _CAPTION else owner.credits).append(el)
    # no image, no figure: a figure around an embed (video, tweet) or a table is not an Image
    return [g for g in groups.values() if g.image is not None]


def _own_images(container: etree._Element, containers: set[etree._Element]) -> list[etree._Element]:
    """Images of a container that are not inside a nested container (a gallery's inner figures)."""
    own = []
    for img in _images_in(container):
        nested = False
        for anc in img.iterancestors():
            if anc is container:
                break
            if anc in containers:
                nested = True
                break
        if not nested:
            own.append(img)
    return own


def _group_for(
    el: etree._Element, groups: dict[etree._Element, _Group], containers: set[etree._Element]
) -> _Group | None:
    """The group of the innermost container around ``el``, else of the image next to it."""
    for anc in el.iterancestors():
        if anc in containers:
            return groups[anc]
    if len(el.text_content() or "") > _MAX_LOOSE_CAPTION_CHARS:
        return None
    img = _nearest_image(el)
    if img is None:
        return None
    for anc in img.iterancestors():
        if anc in containers:
            return groups[anc]
    if img not in groups:
        groups[img] = _Group(None, img)
    return groups[img]


# --- from a group to an Image and its lines -------------------------------------------------------


class _LineIndex:
    """Block lines by the element path they came from."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks

    def lines_of(self, el: etree._Element, text: str, share: float) -> list[int]:
        """Lines showing ``el``: its blocks, or for an inline element the line of which its text is
        at least ``share``."""
        path = element_path(el)
        prefix = path + "/"
        inside = [b.line for b in self.blocks if b.ref == path or b.ref.startswith(prefix)]
        if inside or not text:
            return inside
        owner = next((a for a in el.iterancestors() if a.tag in BLOCK_TAGS), None)
        if owner is None:
            return []
        owner_path = element_path(owner)
        return [
            b.line
            for b in self.blocks
            if b.ref == owner_path and text in b.text and len(text) >= share * len(b.text)
        ]


def _build_figure(group: _Group, lines: _LineIndex, base_url: str | None) -> Figure | None:
    credit_set = set(group.credits)
    caption_els = list(group.captions)
    if not caption_els and group.container is not None and group.container.tag != "figure":
        caption_els = [group.container]  # a caption container's own text is the caption
    caption_texts = {el: _visible_text(el, credit_set) for el in caption_els}
    credit_texts = {el: _visible_text(el, set()) for el in group.credits}
    caption = " ".join(t for t in caption_texts.values() if t) or None
    credit = clean_credit(" ".join(dict.fromkeys(t for t in credit_texts.values() if t)))
    if credit is None and caption:
        caption, credit = split_credit(caption)
    is_figure = group.container is not None and group.container.tag == "figure"
    method = "html:figure" if is_figure else "html:caption"
    if not caption_els:  # no caption element at all: the image's alt/title, if it says something
        alt = _alt_caption(group.image)
        if alt:
            caption, alt_credit = split_credit(alt)
            credit = credit or alt_credit
            method = "html:img-alt"
    src = image_src(group.image, base_url) if group.image is not None else None
    if caption is None and credit is None and src is None:
        return None
    elements = (group.container, group.image, *group.captions, *group.credits)
    paths = list(dict.fromkeys(element_path(el) for el in elements if el is not None))
    image = Image(caption=caption, credit=credit, src=src, source=Provenance(method=method, paths=paths))
    credit_lines = {n for el, t in credit_texts.items() for n in lines.lines_of(el, t, _INLINE_CREDIT_SHARE)}
    caption_lines = {
        n for el, t in caption_texts.items() for n in lines.lines_of(el, t, _INLINE_CAPTION_SHARE)
    }
    return Figure(image, sorted(caption_lines - credit_lines), sorted(credit_lines))

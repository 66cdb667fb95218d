"""Per-block feature vectors for the line classifier: text evidence, page context and (for HTML) DOM evidence.

Everything here is cheap string work plus a few numpy window operations over the page, because dumps
must run at well over 1,000 pages per second per core. The feature order is the model's input order:
append, never reorder, and retrain (``benchmarks/train_line_model.py``) when it changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from newsmill.extraction.blocks import DOM_FEATURES, Block

# Function words of the languages most of our pages are in (English first; German, French, Spanish,
# Italian, Dutch cover the rest of the benchmark and crawl mix). Running prose is full of them and
# navigation or link lists are not: the single strongest cue of readable text (jusText's insight).
STOPWORDS = frozenset(
    """a about after all also an and any are as at be because been but by can could did do does for from had
    has have he her his how i if in into is it its just more most my no not of on one only or our out over
    she so some than that the their them then there these they this to up was we were what when which who
    will with would you your said says while where out new two after before between under during against
    der die das und ist nicht ein eine einer mit von den dem des auf für sich auch als wie im zu bei nach
    es sie er wir aus noch wird werden hat haben sind war wurde um oder aber nur so vor über
    le la les et est une un des du que qui dans pour pas sur au avec ce il elle sont plus par
    el los las y es en que por con para una del se al lo su como más
    il di che è per non con una sono nel della het een van en de dat zijn op te met voor niet
    """.split()
)

# Phrases that mark site chrome in any position: subscription prompts, legal lines, sharing widgets,
# navigation verbs. Written from our own reading of news sites, not from any dataset.
# Words and phrases that mark site chrome: subscription prompts, legal lines, sharing widgets, navigation.
# Written from our own reading of news sites, not taken from any dataset. Single words are looked up in
# a set (one pass over the page's tokens); phrases need one regex pass.
_BOILER_WORDS = frozenset(
    """subscribe subscription subscriptions newsletter newsletters login logout register cookie cookies copyright
    advertisement advertising advertise advertisements sponsored recommended trending comment comments reply menu
    facebook twitter linkedin whatsapp instagram pinterest reddit javascript premium paywall""".split()
)
_MONTH_WORDS = frozenset(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept september oct
    october nov november dec december""".split()
)
_CREDIT_WORDS = frozenset("photo image picture credit getty reuters afp epa shutterstock".split())
# Two-word openings of chrome phrases ("read more", "privacy policy", "terms of [use]"), matched as
# token bigrams; a regex alternation over the page would cost more than the rest of the features.
_BOILER_BIGRAMS = frozenset(
    """sign up|sign in|log in|privacy policy|terms of|terms and|all rights|share this|share on|follow us|read more|
    click here|most read|most popular|most viewed|most shared|related articles|related stories|related content|
    related posts|contact us|about us|skip to|back to|home page|download the|download our|email this|print this|
    load more|loading more|show more|see more|see all|view all|next article|next story|next post|previous article|
    previous story|previous post|you may|more from|more stories|free trial""".replace("\n", "").split("|")
)
# "[^\S\n]" stands for a space (patterns run over the page joined with newlines); line starts are "^"
# with re.M.
_DATE_NUMERIC_RE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}:\d{2}")
_STOP, _BOILER, _MONTH, _CREDIT_BIT = 1, 2, 4, 8
_WORD_BITS: dict[str, int] = {}
for _bit, _vocab in ((_STOP, STOPWORDS), (_BOILER, _BOILER_WORDS), (_MONTH, _MONTH_WORDS), (_CREDIT_BIT, _CREDIT_WORDS)):
    for _w in _vocab:
        _WORD_BITS[_w] = _WORD_BITS.get(_w, 0) | _bit
_BYLINE_RE = re.compile(r"^(?:by|von|par|por|door|di)[^\S\n]+\S", re.I | re.M)
_LIST_START_RE = re.compile(r"^(?:\d{1,2}[.)]?|[•·\-–—*►▶»›]|#\d+)[^\S\n]", re.M)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')]?[^\S\n]+[A-Z\"“‘(]")
_WORD_RE = re.compile(r"\w+")
_END_PUNCT = frozenset('.!?"”’\')…;')
_SEPARATORS = frozenset("|•·»›/")

TEXT_FEATURES: tuple[str, ...] = (
    "log_chars",
    "log_words",
    "ends_punct",
    "ends_colon",
    "log_sentences",
    "stopword_ratio",
    "upper_ratio",
    "titlecase_ratio",
    "digit_ratio",
    "log_separators",
    "boiler_keyword",
    "byline_start",
    "has_date",
    "list_start",
    "urlish",
    "duplicate",
    "avg_word_len",
    "comma_ratio",
    "credit_words",
    "first_line",
)
# Windows (in blocks, each side) over which context means are taken: immediate neighbours, a paragraph
# run, and a page region. Chosen on dump pages of the benchmarks (leave-one-dataset-out, see the training
# script); wider windows did not help.
CONTEXT_WINDOWS = (1, 3, 8, 20)
# Per-block features whose windowed means are model inputs.
_CONTEXT_OF = ("log_words", "ends_punct", "stopword_ratio", "boiler_keyword", "log_sentences")
CONTEXT_FEATURES: tuple[str, ...] = (
    ("rel_pos", "rel_pos_rev", "mass_before", "log_n_blocks", "prev_log_words", "next_log_words",
     "prev_ends_punct", "next_ends_punct", "dist_to_core")
    + tuple(f"{name}_w{w}" for w in CONTEXT_WINDOWS for name in _CONTEXT_OF)
)


def feature_names(with_dom: bool) -> tuple[str, ...]:
    return TEXT_FEATURES + CONTEXT_FEATURES + (DOM_FEATURES if with_dom else ())


# Character classes of the Basic Multilingual Plane, as bit flags, so that a page's characters are
# classified with one numpy gather instead of a Python call per character. Built on first use (~20 ms).
_ALPHA, _UPPER, _DIGIT, _SPACE, _COMMA, _SEP, _WORDCHAR = 1, 2, 4, 8, 16, 32, 64
_CHAR_CLASSES: np.ndarray | None = None


def _char_classes() -> np.ndarray:
    global _CHAR_CLASSES
    if _CHAR_CLASSES is None:
        table = np.zeros(0x10000, dtype=np.uint8)
        for cp in range(0x10000):
            c = chr(cp)
            table[cp] = ((_ALPHA if c.isalpha() else 0) | (_UPPER if c.isupper() else 0) | (_DIGIT if c.isdigit() else 0)
                         | (_SPACE if c.isspace() else 0) | (_COMMA if c == "," else 0) | (_SEP if c in _SEPARATORS else 0)
                         | (_WORDCHAR if c.isalnum() or c == "_" else 0))
        _CHAR_CLASSES = table
    return _CHAR_CLASSES


def _lines_with(pattern: re.Pattern[str], text: str, starts: np.ndarray, n: int) -> np.ndarray:
    """Per-line match counts of ``pattern`` over the joined page (one regex pass for the whole page)."""
    pos = [m.start() for m in pattern.finditer(text)]
    if not pos:
        return np.zeros(n)
    return np.bincount(np.searchsorted(starts, pos, side="right") - 1, minlength=n).astype(np.float64)


def _text_matrix(texts: Sequence[str]) -> np.ndarray:
    n = len(texts)
    joined = "\n".join(texts)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.concatenate(([0], np.cumsum(lens + 1)[:-1]))
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # Characters beyond the BMP (emoji, rare CJK) count as letters.
    cls = np.where(codes < 0x10000, _char_classes()[np.minimum(codes, 0xFFFF)], _ALPHA).astype(np.uint8)
    space = (cls & _SPACE) > 0
    word_start = ~space & np.concatenate(([True], space[:-1]))

    def per_line(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.astype(np.int64), starts).astype(np.float64)

    letters = per_line((cls & _ALPHA) > 0)
    upper = per_line((cls & _UPPER) > 0)
    digits = per_line((cls & _DIGIT) > 0)
    commas = per_line((cls & _COMMA) > 0)
    seps = per_line((cls & _SEP) > 0)
    spaces = per_line(space) - 1  # the joining newline
    spaces[-1] += 1
    words = per_line(word_start)
    title = per_line(word_start & ((cls & _UPPER) > 0))
    nw = np.maximum(words, 1)
    chars = lens.astype(np.float64)
    # Word-level lookups on the lower-cased page (lower-casing may change lengths, so its own offsets).
    lower_joined = joined.lower()
    lower_texts = lower_joined.split("\n")
    lower_starts = np.concatenate(([0], np.cumsum(np.fromiter((len(t) + 1 for t in lower_texts), dtype=np.int64, count=n))[:-1]))
    tokens = _WORD_RE.findall(lower_joined)
    lcodes = np.frombuffer(lower_joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lword = (np.where(lcodes < 0x10000, _char_classes()[np.minimum(lcodes, 0xFFFF)], _WORDCHAR) & _WORDCHAR) > 0
    token_pos = np.flatnonzero(lword & ~np.concatenate(([False], lword[:-1])))
    bits = np.fromiter(map(_WORD_BITS.get, tokens, repeat(0)), dtype=np.uint8, count=len(tokens))
    if token_pos.shape[0] == bits.shape[0]:
        token_line = np.searchsorted(lower_starts, token_pos, side="right") - 1

        def word_hits(bit: int) -> np.ndarray:
            return np.bincount(token_line, weights=(bits & bit) > 0, minlength=n)

        bigram_same_line = token_line[:-1] == token_line[1:]
        bigram_hit = np.fromiter(map(_BOILER_BIGRAMS.__contains__, map(" ".join, zip(tokens, tokens[1:], strict=False))),
                                 dtype=bool, count=max(len(tokens) - 1, 0))
        phrase_hits = np.bincount(token_line[:-1][bigram_hit & bigram_same_line], minlength=n) if len(tokens) > 1 else np.zeros(n)
    else:  # \w and str.isalnum disagree on some exotic character: count per line instead
        def word_hits(bit: int) -> np.ndarray:
            return np.fromiter((sum(1 for w in _WORD_RE.findall(t) if _WORD_BITS.get(w, 0) & bit) for t in lower_texts),
                               dtype=np.float64, count=n)

        phrase_hits = np.zeros(n)
    stop = word_hits(_STOP)
    boiler = (word_hits(_BOILER) + phrase_hits) > 0
    # Numeric dates only where a line is short and has digits (most lines have neither).
    candidates = np.flatnonzero((digits >= 3) & (chars < 200))
    numeric_date = np.zeros(n)
    for i in candidates:
        numeric_date[i] = _DATE_NUMERIC_RE.search(texts[int(i)]) is not None
    dated = (word_hits(_MONTH) + numeric_date) > 0
    urlish = np.fromiter(("http" in t or "www." in t or ".com" in t or "@" in t for t in lower_texts), dtype=np.float64, count=n)
    credit = (word_hits(_CREDIT_BIT) + (per_line(codes == 0xA9) if n else 0)) > 0  # 0xA9: ©
    last = [t[-1] for t in texts]
    counts = Counter(texts)
    short = chars < 200
    return np.column_stack([
        np.log1p(chars),
        np.log1p(words),
        np.fromiter((c in _END_PUNCT for c in last), dtype=np.float64, count=n),
        np.fromiter((c == ":" for c in last), dtype=np.float64, count=n),
        np.log1p(_lines_with(_SENTENCE_END_RE, joined, starts, n)),
        np.minimum(stop / nw, 1.0),
        upper / np.maximum(letters, 1),
        title / nw,
        digits / np.maximum(chars, 1),
        np.log1p(seps),
        (boiler & (chars < 400)).astype(np.float64),
        ((_lines_with(_BYLINE_RE, joined, starts, n) > 0) & (words <= 12)).astype(np.float64),
        (dated & short).astype(np.float64),
        (_lines_with(_LIST_START_RE, joined, starts, n) > 0).astype(np.float64),
        urlish,
        np.fromiter((counts[t] > 1 for t in texts), dtype=np.float64, count=n),
        np.minimum((chars - spaces) / nw, 20.0) / 10.0,
        commas / nw,
        (credit & (chars < 300)).astype(np.float64),
        (np.arange(n) == 0).astype(np.float64),
    ])


def window_mean(values: np.ndarray, w: int) -> np.ndarray:
    """Mean over [i-w, i+w], truncated at the page edges (cumulative-sum trick: O(n) per window)."""
    n = values.shape[0]
    c = np.concatenate(([0.0], np.cumsum(values, axis=0)))
    idx = np.arange(n)
    lo = np.maximum(idx - w, 0)
    hi = np.minimum(idx + w + 1, n)
    return (c[hi] - c[lo]) / (hi - lo)


def block_features(blocks: Sequence[Block], *, with_dom: bool) -> np.ndarray:
    """Feature matrix of shape (len(blocks), len(feature_names(with_dom)))."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(feature_names(with_dom))), dtype=np.float32)
    text_matrix = _text_matrix([b.text for b in blocks])
    col = {name: text_matrix[:, i] for i, name in enumerate(TEXT_FEATURES)}
    idx = np.arange(n, dtype=np.float64)
    words = np.expm1(col["log_words"])
    total = words.sum() or 1.0
    # The "core": the block at the centre of the densest run of prose-like blocks. Articles are one
    # contiguous run; distance to it separates the article from look-alike lists far away on the page.
    prose = col["log_words"] * col["stopword_ratio"] * (0.5 + col["ends_punct"])
    core = int(np.argmax(window_mean(prose, 3)))
    context = [
        idx / n,
        (n - 1 - idx) / n,
        (np.cumsum(words) - words) / total,
        np.full(n, np.log1p(n)),
        np.concatenate(([0.0], col["log_words"][:-1])),
        np.concatenate((col["log_words"][1:], [0.0])),
        np.concatenate(([0.0], col["ends_punct"][:-1])),
        np.concatenate((col["ends_punct"][1:], [0.0])),
        np.minimum(np.abs(idx - core) / 50.0, 2.0),
    ]
    for w in CONTEXT_WINDOWS:
        for name in _CONTEXT_OF:
            context.append(window_mean(col[name], w))
    parts = [text_matrix, np.column_stack(context)]
    if with_dom:
        parts.append(np.array([[b.dom.get(f, 0.0) for f in DOM_FEATURES] for b in blocks], dtype=np.float64))
    return np.hstack(parts).astype(np.float32)

"""Per-block feature vectors for the line classifier: text evidence, page context and (for HTML) DOM evidence.

Everything here is cheap string work plus a few numpy window operations over the page, because dumps
must run at well over 1,000 pages per second per core. The feature order is the model's input order:
append, never reorder, and retrain (``benchmarks/train_line_model.py``) when it changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from newsmill.extract.blocks import DOM_FEATURES, Block

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
_BOILER_RE = re.compile(
    r"\b(?:subscribe|subscription|newsletter|sign (?:up|in)|log ?in|log out|register|cookies?|privacy policy|"
    r"terms (?:of|and) (?:use|service|conditions)|all rights reserved|copyright|advertis\w*|sponsored|"
    r"share (?:this|on)|follow us|read more|click here|most (?:read|popular|viewed|shared)|related (?:articles|stories|content|posts)|"
    r"recommended|trending|comments?|reply|contact us|about us|skip to|back to top|menu|home page|"
    r"download (?:the|our) app|facebook|twitter|linkedin|whatsapp|instagram|pinterest|reddit|email this|print this|"
    r"load(?:ing)? more|show more|see (?:more|all)|view all|next (?:article|story|post)|previous (?:article|story|post)|"
    r"you may also like|more from|more stories|sign up for|free trial|premium|paywall|javascript)\b",
    re.I,
)
_DATE_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\b",
    re.I,
)
_BYLINE_RE = re.compile(r"^(?:by|von|par|por|door|di)\s+\S", re.I)
_LIST_START_RE = re.compile(r"^(?:\d{1,2}[.)]?|[•·\-–—*►▶»›]|#\d+)\s")
_SEPARATORS = "|•·»›/"
_URLISH_RE = re.compile(r"https?://|www\.|@\w|\.com\b|\S+@\S+\.\w+")
_END_PUNCT = frozenset('.!?"”’\')…:;')
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')]?\s+[A-Z\"“‘(]")
_CREDIT_RE = re.compile(r"\b(?:photo|image|picture|credit|getty|reuters|afp|ap photo|epa|shutterstock|©)\b", re.I)

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


def _text_features(text: str, dup: int, first: bool) -> list[float]:
    n_chars = len(text)
    words = text.split()
    n_words = len(words) or 1
    letters = sum(1 for c in text if c.isalpha()) or 1
    upper = sum(1 for c in text if c.isupper())
    digits = sum(1 for c in text if c.isdigit())
    lower_words = [w.strip(".,;:!?\"'()“”‘’").lower() for w in words]
    stop = sum(1 for w in lower_words if w in STOPWORDS)
    title = sum(1 for w in words if w[:1].isupper())
    last = text[-1:] if text else ""
    return [
        np.log1p(n_chars),
        np.log1p(len(words)),
        1.0 if last in _END_PUNCT and last != ":" else 0.0,
        1.0 if last == ":" else 0.0,
        np.log1p(len(_SENTENCE_END_RE.findall(text))),
        stop / n_words,
        upper / letters,
        title / n_words,
        digits / max(n_chars, 1),
        np.log1p(sum(text.count(s) for s in _SEPARATORS)),
        1.0 if n_chars < 400 and _BOILER_RE.search(text) else 0.0,
        1.0 if _BYLINE_RE.match(text) and len(words) <= 12 else 0.0,
        1.0 if n_chars < 200 and _DATE_RE.search(text) else 0.0,
        1.0 if _LIST_START_RE.match(text) else 0.0,
        1.0 if _URLISH_RE.search(text) else 0.0,
        1.0 if dup > 1 else 0.0,
        min(sum(len(w) for w in words) / n_words, 20.0) / 10.0,
        text.count(",") / n_words,
        1.0 if n_chars < 300 and _CREDIT_RE.search(text) else 0.0,
        1.0 if first else 0.0,
    ]


def _window_mean(values: np.ndarray, w: int) -> np.ndarray:
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
    counts = Counter(b.text for b in blocks)
    text_matrix = np.array(
        [_text_features(b.text, counts[b.text], i == 0) for i, b in enumerate(blocks)], dtype=np.float64
    )
    col = {name: text_matrix[:, i] for i, name in enumerate(TEXT_FEATURES)}
    idx = np.arange(n, dtype=np.float64)
    words = np.expm1(col["log_words"])
    total = words.sum() or 1.0
    # The "core": the block at the centre of the densest run of prose-like blocks. Articles are one
    # contiguous run; distance to it separates the article from look-alike lists far away on the page.
    prose = col["log_words"] * col["stopword_ratio"] * (0.5 + col["ends_punct"])
    core = int(np.argmax(_window_mean(prose, 3)))
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
            context.append(_window_mean(col[name], w))
    parts = [text_matrix, np.column_stack(context)]
    if with_dom:
        parts.append(np.array([[b.dom.get(f, 0.0) for f in DOM_FEATURES] for b in blocks], dtype=np.float64))
    return np.hstack(parts).astype(np.float32)

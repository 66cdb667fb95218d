"""Quotes and claims: direct, partial and reported speech, with the speaker resolved and the cue verb.

Quotation marks alone do not make a quote: words in quotes that no speech verb governs are the author's
scare quotes and stay unattributed (kind ``scare``). Reported speech without quotation marks ("The US
says it is staying") is kind ``indirect``.
"""

from __future__ import annotations

import re

from newsmill.enrichment.coref import Resolver, subject_of
from newsmill.enrichment.lexicon import SPEECH_VERBS
from newsmill.enrichment.models import Quote

#: A quotation of at least this many words is a direct quote; shorter ones are partial quotes (when a
#: speech verb governs them) or scare quotes. Four words separates "small mistake"-style fragments
#: from quoted clauses in the example article and our fixtures.
DIRECT_MIN_WORDS = 4
#: Longest quotation searched for; longer "quotes" are unmatched quotation marks.
MAX_QUOTE_CHARS = 1500
_QUOTE_RE = re.compile(rf"“([^”]{{1,{MAX_QUOTE_CHARS}}})”|\"([^\"\n]{{1,{MAX_QUOTE_CHARS}}})\"")
#: Cue verbs that introduce a claim but also mean other things only count with a clause complement.
_CLAUSE_DEPS = ("ccomp", "xcomp")


def find_quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each quotation (offsets include the marks)."""
    spans = []
    for match in _QUOTE_RE.finditer(text):
        words = (match.group(1) or match.group(2) or "").strip()
        if words:
            spans.append((match.start(), match.end(), words))
    return spans


def _cue_for(sent, start: int, end: int):
    """The speech verb outside the quotation whose clause holds it, or that frames it (', he said')."""
    inside = [t for t in sent if start <= t.idx < end]
    if not inside:
        return None
    cues = [t for t in sent if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and not start <= t.idx < end]
    best = None
    for cue in cues:
        complement = [c for c in cue.children if c.dep_ in _CLAUSE_DEPS]
        subtree_ids = {t.i for c in complement for t in c.subtree}
        if any(t.i in subtree_ids for t in inside):
            if best is None or abs(cue.i - inside[0].i) < abs(best.i - inside[0].i):
                best = cue
    if best is None:
        # A full quoted sentence framed by the cue: the quote's head is the cue's complement or parataxis.
        for cue in cues:
            if any(t.head.i == cue.i and t.dep_ in ("ccomp", "parataxis") for t in inside):
                return cue
    return best


def quotes_in_sentence(sent, sentence: int, spans: list[tuple[int, int, str]], resolver: Resolver) -> list[Quote]:
    quotes: list[Quote] = []
    used_cues: set[int] = set()
    for start, end, words in spans:
        if not sent.start_char <= start < sent.end_char:
            continue
        cue = _cue_for(sent, start, end)
        if cue is None:
            quotes.append(Quote(kind="scare", quote=words, claim=words, start=start, end=end, sentence=sentence))
            continue
        used_cues.add(cue.i)
        quotes.append(_attributed(cue, words, start, end, sentence, resolver))
    for token in sent:
        if token.i in used_cues or token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_VERBS:
            continue
        complement = next((c for c in token.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and token.lemma_ == "claim")), None)
        if complement is None:
            continue
        span = token.doc[complement.left_edge.i : complement.right_edge.i + 1]
        quote = _attributed(token, None, span.start_char, span.end_char, sentence, resolver, claim=span.text)
        if quote.speaker is not None:
            quotes.append(quote)
    return quotes


def _attributed(cue, words: str | None, start: int, end: int, sentence: int, resolver: Resolver, claim: str | None = None) -> Quote:
    complement = next((c for c in cue.children if c.dep_ in _CLAUSE_DEPS), None)
    if claim is None and complement is not None:
        claim = cue.doc[complement.left_edge.i : complement.right_edge.i + 1].text
    speaker = resolver.resolve(subject_of(cue), sentence)
    if words is None:
        kind = "indirect"
    else:
        kind = "direct" if len(words.split()) >= DIRECT_MIN_WORDS else "partial"
    advmods = [c.text for c in cue.children if c.dep_ == "aux" or (c.dep_ == "advmod" and c.i == cue.i + 1)]
    return Quote(
        kind=kind, quote=words, claim=(claim or words or "").strip(), start=start, end=end,
        speaker=speaker.text if speaker else None,
        speaker_canonical=speaker.name if speaker else None,
        speaker_code=speaker.code if speaker else None,
        cue=" ".join([*[a for a in advmods if cue.doc[cue.i - 1].text == a], cue.text]) if advmods else cue.text,
        cue_lemma=cue.lemma_.lower(), sentence=sentence,
    )

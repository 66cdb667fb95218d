"""Entity mentions: our actor table first, spaCy's named entities for the rest, with news-specific fixes.

The small English model tags militias ("Kataib Hezbollah") and weapons ("Patriot") as people; table matches
override it, and unknown names that look like armed groups or weapons are relabelled by rule.
Every mention carries character offsets into the enrichment text and, when known, a canonical actor.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsmill.enrichment.actors import ActorMatch, ActorTable, _match
from newsmill.enrichment.models import Entity

#: spaCy labels kept as entities; numbers, dates and the like are not actors.
ENTITY_LABELS = frozenset(("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT"))
#: Words that make a "PERSON" an armed group or organisation (transliterated Arabic unit names included).
GROUP_WORDS = frozenset(
    "brigade brigades battalion battalions army front movement militia militias forces force party "
    "council committee group organization organisation league union hezbollah hizballah kataib kata'ib "
    "ashab usbat asaib jaish liwa saraya harakat ansar tanzim jamaat jama'at".split()
)
#: Words after a name that make it a weapon or system ("Patriot air defense", "Kinzhal missiles").
WEAPON_WORDS = frozenset(
    "missile missiles rocket rockets launcher launchers drone drones system systems battery batteries "
    "jet jets tank tanks defense defence interceptor interceptors rifle rifles howitzer howitzers".split()
)


@dataclass
class Mention:
    """An entity mention during analysis (tokens known); becomes an ``Entity`` in the output."""

    start: int
    end: int
    text: str
    label: str
    match: ActorMatch | None
    sentence: int
    method: str
    token_start: int = 0
    token_end: int = 0

    def to_entity(self) -> Entity:
        m = self.match
        return Entity(
            text=self.text, start=self.start, end=self.end, label=self.label,
            canonical=(m.name if m and m.name else None), actor_code=m.code if m else None,
            country=m.country if m else None, sector=m.sector if m else None,
            wikipedia=m.wikipedia if m else None, aliases=list(m.aliases) if m else [],
            sentence=self.sentence, method=self.method,
        )


def find_mentions(doc, table: ActorTable, date: str | None, sentence_starts: list[int] | None = None) -> list[Mention]:
    """Table matches plus relabelled spaCy entities, in text order, without overlaps.

    ``sentence_starts``: character offsets of the sentences, when the caller has them (``doc.sents`` is
    slow to walk, so it is walked once per document).
    """
    text = doc.text
    if sentence_starts is None:
        sentence_starts = [sent.start_char for sent in doc.sents]
    ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
    ent_starts = [e.start_char for e in ents]
    mentions: list[Mention] = []
    covered: list[tuple[int, int]] = []
    for start, end, surface, rows in table.find_aliases(text, named=set()):
        row = table.pick(rows, date)
        if row is None:
            continue
        if row.type == "GPE" and _inside_longer_place(ents, ent_starts, start, end):
            continue  # "Jersey" in "New Jersey", "Washington" in "Washington Square": the whole name is the place
        ner_label = _overlapping_label(ents, ent_starts, start, end)
        label = row.type
        if row.type == "GPE" and (ner_label == "NORP" or surface[:1].isupper() and _is_demonym(surface, row.name)):
            label = "NORP"
        mentions.append(
            Mention(start, end, surface, label, _match(row, "table"), bisect.bisect_right(sentence_starts, start) - 1,
                    "table" if ner_label is None else "table+ner")
        )
        covered.append((start, end))
    covered.sort()
    for ent in ents:
        if _overlaps(covered, ent.start_char, ent.end_char):
            continue
        label = _fix_label(ent)
        resolved = table.resolve_phrase(ent.text, date=date) if label in ("PERSON", "ORG", "NORP") else None
        if resolved and resolved.type in ("AGENT", "PLACE"):
            # A name is not a generic noun, and places are the gazetteer's business (a club named after its
            # city is not the city): keep it unresolved rather than guess.
            resolved = None
        mentions.append(
            Mention(ent.start_char, ent.end_char, ent.text, label, resolved,
                    bisect.bisect_right(sentence_starts, ent.start_char) - 1,
                    "ner+rule" if label != ent.label_ else "ner")
        )
    mentions.extend(_possessed_names(mentions, text, table, sentence_starts))
    mentions.sort(key=lambda m: m.start)
    _affiliate_people(mentions, text)
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            mention.token_start, mention.token_end = span.start, span.end
    del text
    return mentions


_POSSESSIVE_GAP_RE = re.compile(r"['’]s\s+$")
#: A personal name right after a possessive: two to four capitalised words, Arabic and European
#: particles allowed inside ("Mohammed al-Kawtharani", "Ana de la Cruz").
_POSSESSED_NAME_RE = re.compile(
    r"['’]s\s+([A-Z][\w’'-]+(?:\s+(?:(?:al|el|bin|ibn|de|la|del|van|von|der)[-\s])*[A-Z][\w’'-]+){1,3})"
)


def _possessed_names(mentions: list[Mention], text: str, table: ActorTable, sentence_starts: list[int]) -> list[Mention]:
    """Names after an organisation's possessive that the NER merged into the organisation or missed."""
    found: list[Mention] = []
    taken = sorted((m.start, m.end) for m in mentions)
    for mention in mentions:
        if not (mention.match and mention.match.type == "ORG"):
            continue
        name = _POSSESSED_NAME_RE.match(text, mention.end)
        if name is None or _overlaps(taken, name.start(1), name.end(1)):
            continue
        words = name.group(1).split()
        if any(table.agent_sector(w) for w in words):  # a title ("the Front's Deputy Leader"), not a name
            continue
        start, end = name.start(1), name.end(1)
        sentence = bisect.bisect_right(sentence_starts, start) - 1
        found.append(Mention(start, end, name.group(1), "PERSON", None, sentence, "rule"))
    return found


def _affiliate_people(mentions: list[Mention], text: str) -> None:
    """An unknown person named right after an organisation's possessive ("the Front's Ana Ruiz") is a
    member of that organisation: the person keeps their own name and takes its code."""
    for previous, mention in zip(mentions, mentions[1:], strict=False):
        org = previous.match
        if mention.match is not None or mention.label != "PERSON" or org is None or org.type != "ORG" or not org.code:
            continue
        if _POSSESSIVE_GAP_RE.fullmatch(text[previous.end : mention.start]):
            mention.match = ActorMatch(org.code, mention.text, org.country, org.sector, "PERSON", method="affiliation")
            mention.method = "ner+affiliation"


def _is_demonym(surface: str, country_name: str) -> bool:
    return surface.rstrip("s").lower().endswith(("an", "ish", "ese", "i", "ch", "ic")) and surface != country_name


def _inside_longer_place(ents, starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    if i < 0:
        return False
    ent = ents[i]
    # "Central American" (a region's adjective), not "American" inside it: only with capitalised extra words.
    norp_region = ent.label_ == "NORP" and ent.text[: start - ent.start_char].strip().istitle()
    return (
        (ent.label_ in ("GPE", "LOC", "FAC") or norp_region)
        and ent.start_char <= start
        and end <= ent.end_char
        and (ent.end_char - ent.start_char) > (end - start)
        and ent.text[:1].isupper()
        and not ent.text.lower().startswith(("the ", "pro-", "anti-"))
    )


def _overlapping_label(ents, starts: list[int], start: int, end: int) -> str | None:
    i = bisect.bisect_right(starts, end) - 1
    while i >= 0 and ents[i].end_char > start:
        if ents[i].start_char < end:
            return ents[i].label_
        i -= 1
    return None


def _overlaps(sorted_spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(sorted_spans, (end, end))
    return i > 0 and sorted_spans[i - 1][1] > start


def _fix_label(ent) -> str:
    label = ent.label_
    if label not in ("PERSON", "FAC", "GPE"):
        return label
    words = {w.lower() for w in re.findall(r"[\w']+", ent.text)}
    following = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
    if following in WEAPON_WORDS:
        return "PRODUCT"
    if words & GROUP_WORDS:
        return "ORG"
    return label

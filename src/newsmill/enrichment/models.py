"""The enrichment data model: what article understanding produces, shaped to map onto tables.

Every record is flat (str, int, float, bool, list[str], None) so that a store can create one table per
record type (``entities``, ``quotes``, ``places``, ``events``) whose columns are these fields plus
``article_id``. Character offsets are into ``enrichment_text(article)``: title, dek, captions and body
paragraphs joined by blank lines (``Article.text(title=True, dek=True, captions=True)``).
This module must never import spaCy or any other engine.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from newsmill.models import Article

#: Bump the minor version for added optional fields, the major version for renamed or removed ones.
ENRICHMENT_SCHEMA_VERSION = "1.0"


def enrichment_text(article: Article) -> str:
    """The text every offset refers to."""
    return article.text(title=True, dek=True, captions=True)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Entity(_Record):
    """One mention of a person, organisation, place or group, resolved to a canonical actor when known."""

    text: str
    start: int = Field(description="character offset of the mention in the enrichment text")
    end: int
    label: str = Field(description="PERSON, ORG, GPE, NORP, LOC, FAC, PRODUCT, AGENT (a generic noun)")
    canonical: str | None = Field(default=None, description="canonical actor name, e.g. 'Islamic Revolutionary Guard Corps'")
    actor_code: str | None = Field(default=None, description="CAMEO-style actor code, e.g. 'IRNMIL'")
    country: str | None = Field(default=None, description="ISO 3166 alpha-3 country, or IGO")
    sector: str | None = Field(default=None, description="PLOVER sector: GOV, MIL, REB, PRM, PTY, CVL, IGO, ...")
    wikipedia: str | None = None
    aliases: list[str] = Field(default_factory=list, description="other names of the canonical actor")
    sentence: int = Field(default=0, description="0-based sentence index")
    method: str = Field(default="", description="how it was resolved: 'table', 'table+ner', 'agent', 'ner', ...")


class Quote(_Record):
    """Direct or reported speech with its speaker and cue verb."""

    kind: str = Field(description="'direct', 'partial', 'indirect' or 'scare' (quotation marks without a speaker)")
    quote: str | None = Field(default=None, description="the words inside quotation marks, if any")
    claim: str = Field(description="what was said (the quotation or the reported clause)")
    start: int
    end: int
    speaker: str | None = None
    speaker_canonical: str | None = None
    speaker_code: str | None = None
    cue: str | None = Field(default=None, description="the cue verb as written, e.g. 'said', 'warned'")
    cue_lemma: str | None = None
    sentence: int = 0


class Place(_Record):
    """A place mention resolved against the offline gazetteer."""

    text: str
    start: int
    end: int
    name: str | None = Field(default=None, description="gazetteer name")
    geonames_id: int | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-3")
    feature: str | None = Field(
        default=None,
        description="'country', 'city', 'admin1', 'continent', 'region', 'landmark', 'demonym', or 'approximate' "
        "(not in the gazetteer: placed at the article's main city or country, name left empty)",
    )
    lat: float | None = None
    lon: float | None = None
    metonym: bool = Field(default=False, description="used for a government or people ('Washington said')")
    sentence: int = 0


class Event(_Record):
    """Who did what to whom, when and where, as one sentence reports it."""

    sentence: int
    sentence_text: str
    start: int = Field(description="offset of the sentence in the enrichment text")
    end: int
    trigger: str = Field(description="the word or phrase that names the action")
    actor: str | None = None
    actor_code: str | None = None
    actor_name: str | None = None
    target: str | None = None
    target_code: str | None = None
    target_name: str | None = None
    cameo: str = Field(description="nearest CAMEO event code, e.g. '190'")
    plover: str = Field(description="PLOVER event type, e.g. 'ASSAULT'")
    plover_mode: str | None = None
    goldstein: float
    quad_class: int = Field(description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict")
    date: str | None = Field(default=None, description="ISO date of the event when the text or the article gives one")
    date_text: str | None = None
    place: str | None = None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    negated: bool = False
    hypothetical: bool = False
    threatened: bool = Field(default=False, description="recoded as a threat from a conditional or future action")
    reported: bool = Field(default=False, description="inside reported speech")
    historical: bool = Field(default=False, description="refers to the past ('has left before', 'in 2011')")
    confidence: float = 0.5


class Enrichment(_Record):
    """Everything understood about one article."""

    schema_version: str = ENRICHMENT_SCHEMA_VERSION
    article_id: str = ""
    url: str | None = None
    published: str | None = None
    language: str | None = None
    skipped_reason: str | None = Field(default=None, description="why nothing was coded (empty, not English...)")
    notes: list[str] = Field(default_factory=list, description="partial processing, e.g. text truncated")
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)


#: Table name → record type, for stores that keep enrichments beside articles.
TABLES: dict[str, type[_Record]] = {"entities": Entity, "quotes": Quote, "places": Place, "events": Event}

"""The shapes of the REST API's answers, for the OpenAPI document (``/openapi.json``).

The routes return plain dicts built by ``queries`` (no validation on the way out: it would cost more
than the queries on large pages); these models describe them, and the API tests validate real answers
against them, so the document cannot drift from what is served. Field names are those of the data model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from newsmill.enrichment.models import Enrichment, Event
from newsmill.models import Article


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchHit(_Answer):
    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    authors: list[str]
    language: str | None
    score: float
    snippet: str


class FacetValue(_Answer):
    value: str
    count: int


class SearchPage(_Answer):
    query: str
    filters: dict[str, str]
    total: int
    limit: int
    offset: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    facet_window: int
    warnings: list[str]


class Copy(_Answer):
    id: str
    reason: str
    similarity: float | None
    url: str | None
    publisher: str | None


class Duplicates(_Answer):
    canonical_id: str
    is_canonical: bool
    reason: str | None
    similarity: float | None
    copies: list[Copy]


class ArticleView(_Answer):
    article: Article
    enrichment: Enrichment | None
    duplicates: Duplicates


class PageBlock(_Answer):
    ref: str
    role: str
    score: float
    text: str | None


class PageBlocks(_Answer):
    id: str
    blocks: list[PageBlock]
    text_available: bool
    note: str | None


class ActorCount(_Answer):
    code: str
    name: str | None
    as_actor: int
    as_target: int


class ActorList(_Answer):
    total: int
    limit: int
    offset: int
    actors: list[ActorCount]


class StoredEvent(Event):
    """An Event with where it was found."""

    article_id: str
    ordinal: int
    flags: list[str]
    url: str | None
    title: str | None
    publisher: str | None
    published: str | None


class EventList(_Answer):
    total: int
    limit: int
    offset: int
    events: list[StoredEvent]


class PeriodPoint(_Answer):
    period: str
    direction: str
    events: int
    goldstein: float | None


class PloverCount(_Answer):
    direction: str
    plover: str
    events: int


class DyadEvent(StoredEvent):
    direction: str


class Dyad(_Answer):
    a: str
    b: str
    period: str
    total: int
    by_plover: list[PloverCount]
    series: list[PeriodPoint]
    events: list[DyadEvent]


class NetworkNode(_Answer):
    code: str
    name: str
    events: int


class NetworkEdge(_Answer):
    source: str
    target: str
    events: int
    goldstein: float | None
    hostility: float | None


class Network(_Answer):
    level: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]

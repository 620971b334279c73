"""Response models: the export shapes of interface.md, so /openapi.json describes the answers.

Every model allows extra keys: the records may carry more than is described here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Participant(Open):
    name: str | None = None
    code: str | None = None
    sector: str | None = None
    office: str | None = None
    entity_id: str | None = None


class Location(Open):
    name: str | None = None
    code: str | None = None


class ArticleRef(Open):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    path: str | None = None


class Mention(Open):
    article: ArticleRef
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Event(Open):
    """One event in the export shape: who did what to whom, when, where, and the evidence."""

    id: str
    type: str
    mode: str | None = None
    context: list[str] = []
    aux: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    score: float | None = None
    date: str | None = None
    date_precision: str | None = None
    actor: list[Participant] = []
    recipient: list[Participant] = []
    location: Location | None = None
    mentions: list[Mention] = []
    confidence: float | None = None
    corrected: bool = False
    corrections: list[dict[str, Any]] = []


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Event]


class PlannedEvent(Event):
    planned_date: str | None = None


class ActorSummary(Open):
    id: str
    name: str
    kind: str
    code: str | None = None
    sector: str | None = None
    mention_count: int
    first_seen: str | None = None
    last_seen: str | None = None
    aliases: list[str] = []


class ActorDetail(Open):
    id: str
    name: str
    kind: str
    code: str | None = None
    sector: str | None = None
    aliases: list[str] = []
    offices: list[dict[str, Any]] = []
    mention_count: int
    event_count: int
    first_seen: str | None = None
    last_seen: str | None = None
    first_event: str | None = None
    last_event: str | None = None
    top_partners: list[dict[str, Any]] = []
    recent_events: list[Event] = []


class Relation(Open):
    code: str
    name: str
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    mean_score: float | None = None
    first_contact: str | None = None
    last_contact: str | None = None


class TimelinePeriod(Open):
    period: str
    events: int
    types: dict[str, int]
    quad_classes: dict[str, int]
    mean_score: float | None = None


class SearchHit(Open):
    """An article hit (the article's fields) or an event hit (``event``, its sentence)."""

    kind: str
    rank: int
    snippet: str
    id: str
    title: str | None = None
    text: str | None = None
    event: Event | None = None


class Fact(Open):
    id: str | None = None
    kind: str
    parties: list[str] = []
    mentions: list[Mention] = []


class FactPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Fact]


class ArticleMeta(Open):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    dateline: str | None = None
    byline: str | None = None
    path: str | None = None
    url: str | None = None
    ingested_at: str | None = None


class ArticlePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ArticleMeta]


class EventSpan(Open):
    """Where an event's evidence sits in the article's text (character offsets)."""

    event_id: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


class Article(ArticleMeta):
    text: str
    paragraphs: list[str] = []
    extra: dict[str, Any] = {}
    events: list[EventSpan] = []


class GraphNode(Open):
    id: str


class GraphEdge(Open):
    source: str
    target: str


class Graph(BaseModel):
    level: str
    since: str | None = None
    until: str | None = None
    min_events: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class Correction(Open):
    id: int
    target: str
    target_id: str
    field: str
    value: Any = None
    machine_value: Any = None
    note: str | None = None
    created_at: str
    active: bool


class IngestResult(BaseModel):
    """What an ingest did: counts, the stored articles' ids, rejections."""

    articles_read: int
    stored: int
    already_stored: int
    events: int
    facts: int
    article_ids: list[str]
    rejections: list[str]
    seconds: float

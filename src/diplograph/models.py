"""Records that flow between the pipeline stages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

_WS = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Stable article id: the SHA-256 of the whitespace-normalised body, 20 hex digits."""
    normalised = _WS.sub(" ", text).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class Article:
    """One news item as read from an input: body text plus the metadata around it.

    ``published`` is ISO 8601: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` (or None when the
    input does not say). ``text`` is the body only: paragraphs joined by blank lines, without
    headline, date, dateline, credit, source or signature lines.
    """

    text: str
    paragraphs: list[str]
    title: str | None = None
    title_inferred: bool = False
    published: str | None = None
    published_inferred: bool = False
    source: str | None = None
    dateline: str | None = None
    byline: str | None = None
    path: str | None = None
    url: str | None = None
    source_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.text)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ActorMention:
    """A reference to an actor in an article's text, resolved to a canonical actor.

    ``start``/``end`` are character offsets into ``Article.text``; ``key`` identifies the
    canonical actor across articles ("state:KAZ", "org:OSCE", "person:wang yi").
    """

    start: int
    end: int
    text: str
    name: str
    kind: str  # person | state | organization | other
    key: str
    code: str | None = None
    sector: str | None = None
    office: str | None = None


@dataclass(slots=True)
class DateMention:
    """A date expression resolved against the publication date.

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` to match ``precision``
    (day | month | year); ``end_value`` is set for ranges ("from 31 May to 6 June").
    """

    start: int
    end: int
    text: str
    value: str
    precision: str
    end_value: str | None = None
    relative: bool = False  # resolved against the publication date ("last year", "Monday")


@dataclass(slots=True)
class Participant:
    """An actor or recipient of an event, as exported (interface.md)."""

    name: str
    code: str | None
    sector: str | None = None
    office: str | None = None
    entity_id: str | None = None
    kind: str | None = None


@dataclass(slots=True)
class Evidence:
    """Where a record was read: an article and a span of its text."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    """One PLOVER event with its evidence (interface.md, "Event export")."""

    type: str
    actor: list[Participant]
    recipient: list[Participant] = field(default_factory=list)
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    aux: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    score: float | None = None
    date: str | None = None
    date_precision: str | None = None
    location: dict[str, Any] | None = None
    mentions: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)
    id: str = ""


@dataclass(slots=True)
class Fact:
    """A statement of fact that is not an event (interface.md, "Fact export")."""

    kind: str  # relations_established | trade | investment | office | election_result | partnership
    parties: list[str] = field(default_factory=list)
    subject: str | None = None
    code: str | None = None
    value: Any = None
    unit: str | None = None
    period: str | None = None
    date: str | None = None
    mentions: list[Evidence] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    id: str = ""


@dataclass(slots=True)
class Analysis:
    """What the extractors read from one article."""

    article_id: str
    actors: list[ActorMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    version: str = ""

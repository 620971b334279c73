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

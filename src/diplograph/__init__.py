"""diplograph: an evidence-linked knowledge base of diplomatic events read from news."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diplograph.kb.base import KnowledgeBase

__version__ = "0.1.0"


def open(db: str | None = None) -> KnowledgeBase:
    """Open a knowledge base: ``kb = diplograph.open("diplograph.db")`` (a path or URL)."""
    from diplograph.kb.base import KnowledgeBase

    return KnowledgeBase.open(db)

"""REST endpoints: thin wrappers over ``diplograph.kb`` (JSON in the export shapes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter()


@router.get("/stats", tags=["store"])
def stats(request: Request) -> dict[str, Any]:
    """What the store holds: counts of articles, events, actors and facts, and sources."""
    return request.app.state.kb.store.summary()

"""Briefs, the calendar of planned events, full-text search and facts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse, JSONResponse

from diplograph.api import deps, models
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.query import calendar

router = APIRouter(route_class=deps.ApiRoute, responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]
Since = Annotated[str | None, Query(description="YYYY, YYYY-MM, YYYY-MM-DD or today")]


@router.get(
    "/brief",
    tags=["briefs"],
    responses={
        200: {
            "description": "The brief: JSON data, or Markdown or one HTML page (``format``)",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)
def get_brief(
    kb: KB,
    a: Annotated[str, Query(description="First party: code or name")],
    b: Annotated[str, Query(description="Second party: code or name")],
    since: Since = None,
    until: Since = None,
    format: Literal["json", "markdown", "html"] = "json",  # noqa: A002 - the parameter's name
) -> Response:
    """The bilateral relations brief of ``a`` and ``b``: relations, meetings, agreements,
    statements, trade, key people, plans, each line citing its numbered sources."""
    brief = kb.brief(a, b, since=since, until=until)
    if format == "markdown":
        return Response(brief.to_markdown(), media_type="text/markdown; charset=utf-8")
    if format == "html":
        return HTMLResponse(brief.to_html())
    return JSONResponse(brief.to_dict())


@router.get("/calendar", response_model=list[models.PlannedEvent], tags=["events"])
def get_calendar(
    kb: KB,
    since: Since = None,
    until: Since = None,
    actor: Annotated[str | None, Query(description="Plans involving this party")] = None,
    partner: Annotated[str | None, Query(description="… and this one")] = None,
    limit: Annotated[int, Query(ge=1, le=deps.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Planned visits, summits and meetings (``aux: future``), soonest first."""
    plans = calendar(kb.store, since, until, actor=actor, partner=partner, limit=limit)
    return [plan.to_dict() for plan in plans]


@router.get("/search", response_model=list[models.SearchHit], tags=["search"])
def get_search(
    kb: KB,
    q: Annotated[str, Query(description="Words (never query syntax)")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Full-text hits over articles and event evidence, best first (``kind`` article|event)."""
    hits = []
    for hit in kb.search(q, limit):
        found = hit.to_dict()
        found.pop("paragraphs", None)
        hits.append(found)
    return hits


@router.get("/facts", response_model=models.FactPage, tags=["facts"])
def get_facts(
    kb: KB,
    kind: Annotated[str | None, Query(description="relations_established, trade, …")] = None,
    party: Annotated[str | None, Query(description="Facts naming this party")] = None,
    limit: Annotated[int, Query(ge=0, le=deps.MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Facts that are not events: relations established, trade, offices, elections, …"""
    found = kb.facts(kind=kind, party=party)
    return {
        "total": len(found),
        "limit": limit,
        "offset": offset,
        "items": found[offset : offset + limit],
    }

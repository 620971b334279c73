"""Actors and relations: search, detail, partners ranked, dyad timelines, the relation graph."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from diplograph.api import deps, models
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.graph import build_graph

router = APIRouter(route_class=deps.ApiRoute, responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]
Kind = Literal["person", "state", "organization", "other"]
Since = Annotated[str | None, Query(description="YYYY, YYYY-MM, YYYY-MM-DD or today")]


@router.get("/actors", response_model=list[models.ActorSummary], tags=["actors"])
def list_actors(
    kb: KB,
    q: Annotated[str | None, Query(description="Part of a name or alias")] = None,
    kind: Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=deps.MAX_LIMIT)] = 50,
) -> list[dict[str, Any]]:
    """Actors whose name or alias contains ``q``, most mentioned first."""
    return [actor.to_dict() for actor in kb.actors(q, kind=kind, limit=limit)]


@router.get(
    "/actors/{id_or_name:path}",
    response_model=models.ActorDetail,
    tags=["actors"],
    responses=deps.NOT_FOUND,
)
def get_actor(kb: KB, id_or_name: str) -> dict[str, Any]:
    """One actor (id such as ``person:wang yi``, a code or a name): aliases, offices over time,
    counts, top partners and the newest events (a state: everyone acting for it)."""
    try:
        return kb.actor(id_or_name).to_dict()
    except ValueError as exc:  # unknown, or known but in no stored article
        raise deps.NotFound(str(exc), getattr(exc, "suggestions", [])) from None


@router.get(
    "/relations/{code_or_name}",
    response_model=list[models.Relation],
    tags=["relations"],
    responses=deps.NOT_FOUND,
)
def get_relations(
    kb: KB, code_or_name: str, since: Since = None, until: Since = None
) -> list[dict[str, Any]]:
    """Partners of a party ranked by shared events: counts per quad class, mean score, first
    and last contact."""
    found = deps.known_actor(lambda: kb.relations(code_or_name, since=since, until=until))
    return [relation.to_dict() for relation in found]


@router.get("/timeline", response_model=list[models.TimelinePeriod], tags=["relations"])
def get_timeline(
    kb: KB,
    a: Annotated[str, Query(description="First party: code or name")],
    b: Annotated[str | None, Query(description="Second party (omit: all of a's events)")] = None,
    by: Literal["month", "quarter", "year"] = "month",
    since: Since = None,
    until: Since = None,
) -> list[dict[str, Any]]:
    """Per period: the events of ``a`` (with ``b``), counts per type and quad class, mean score."""
    periods = kb.timeline(a, b, by=by, since=since, until=until)
    return [
        period.to_dict() | {"quad_classes": {str(k): v for k, v in period.quad_classes.items()}}
        for period in periods
    ]


@router.get("/graph", response_model=models.Graph, tags=["relations"])
def get_graph(
    kb: KB,
    level: Literal["state", "actor"] = "state",
    min_events: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    since: Since = None,
    until: Since = None,
) -> dict[str, Any]:
    """The relation network: parties as nodes (``event_count``, ``label``), weighted edges
    (``weight`` events, quad-class counts, ``mean_score``, first and last dates)."""
    graph = build_graph(kb.store, level=level, since=since, until=until, min_events=min_events)
    return {
        "level": level,
        "since": since,
        "until": until,
        "min_events": min_events,
        "nodes": [{"id": node, **attrs} for node, attrs in graph.nodes(data=True)],
        "edges": [
            {"source": src, "target": dst, **attrs} for src, dst, attrs in graph.edges(data=True)
        ],
    }

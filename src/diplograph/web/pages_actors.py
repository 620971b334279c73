"""Pages: an actor, a dyad (timeline, brief, facts, events), the relations network, the map."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from diplograph.kb.articles import places
from diplograph.kb.brief import Brief
from diplograph.kb.query import code_name
from diplograph.kb.resolve import resolve_party
from diplograph.nlp.pipeline import gazetteer
from diplograph.web import charts
from diplograph.web.geo import atlas_path
from diplograph.web.pages_events import bad_input
from diplograph.web.render import page
from diplograph.web.state import WAIT, state_graph, web_cache

router = APIRouter(include_in_schema=False)


@router.get("/actors/{id_or_name:path}", response_class=HTMLResponse)
def actor_page(request: Request, id_or_name: str) -> HTMLResponse:
    kb = request.app.state.kb
    try:
        detail = kb.actor(id_or_name)
        partners = kb.relations(id_or_name)[:30]
        timeline = kb.timeline(id_or_name)
        recent = kb.events(actor=id_or_name, limit=25)
    except ValueError as exc:
        return bad_input(request, exc)
    own_code = detail.code if detail.kind in ("state", "organization") else None
    return page(
        request,
        "actor.html",
        title=detail.name,
        key=id_or_name,
        actor=detail,
        own_code=own_code,
        partners=partners,
        figure=charts.trend(timeline),
        recent=recent,
    )


def brief_body(brief: Brief) -> Markup:
    """The body of the brief's own HTML page (kb.brief_render escapes every text), no title."""
    html = brief.to_html()
    body = html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
    body = re.sub(r"<h1>.*?</h1>", "", body, count=1, flags=re.S)
    return Markup(body)  # noqa: S704 - built by brief_render, which escapes all text


def _pair_facts(request: Request, a: str, b: str) -> list[dict[str, Any]]:
    kb = request.app.state.kb
    other = resolve_party(kb.store, b)
    wanted = {other.code} if other.code else set()
    return [
        fact
        for fact in kb.facts(party=a)
        if wanted & set(fact.get("parties") or []) or fact.get("code") in wanted
    ]


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad_page(request: Request, a: str, b: str) -> HTMLResponse:
    kb = request.app.state.kb
    try:
        brief = kb.brief(a, b)
        timeline = kb.timeline(a, b)
        found = kb.events(actor=a, partner=b, limit=50)
        facts = _pair_facts(request, a, b)
    except ValueError as exc:
        return bad_input(request, exc)
    return page(
        request,
        "dyad.html",
        title=brief.dyad,
        a=a,
        b=b,
        brief=brief,
        brief_html=brief_body(brief),
        figure=charts.trend(timeline),
        periods=timeline,
        result=found,
        facts=facts,
    )


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value or default)))
    except ValueError:
        return default


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    params = request.query_params
    since, until = params.get("since") or None, params.get("until") or None
    min_events = _int(params.get("min"), 1, 1, 10_000)
    top = _int(params.get("top"), 60, 2, 300)
    try:
        graph = state_graph(request.app, since, until, min_events)
    except ValueError as exc:
        return bad_input(request, exc)
    if graph is None:
        return page(request, "counting.html", title="Relations network",
                    what="the relations of every party")  # fmt: skip
    figure = web_cache(request.app).get(
        ("network", since, until, min_events, top), lambda: charts.network(graph, top)
    )
    nodes = sorted(graph.nodes(data=True), key=lambda n: (-n[1].get("event_count", 0), n[0]))
    return page(
        request,
        "network.html",
        title="Relations network",
        figure=figure,
        nodes=nodes[:top],
        node_total=graph.number_of_nodes(),
        edge_total=graph.number_of_edges(),
        since=since or "",
        until=until or "",
        min_events=min_events,
        top=top,
    )


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    store = request.app.state.kb.store
    found = web_cache(request.app).get_soon("places", lambda: places(store), WAIT)
    if found is None:
        return page(request, "counting.html", title="Map", what="the places of every event")
    states = gazetteer().states
    counts: dict[str, int] = {}
    for place in found:
        if place.code and place.code.upper() in states:
            counts[place.code.upper()] = counts.get(place.code.upper(), 0) + place.events
    names = {code: code_name(code) for code in counts}
    has_geometry = atlas_path() is not None
    return page(
        request,
        "map.html",
        title="Map",
        figure=charts.world_map(counts, names) if counts and has_geometry else None,
        has_geometry=has_geometry,
        countries=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        names=names,
        places=found[:200],
    )

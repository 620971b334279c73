"""Pages: the dashboard, the event explorer and one event with its highlighted evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from diplograph.kb import query
from diplograph.kb.articles import article_texts
from diplograph.kb.records import iter_events
from diplograph.kb.resolve import UnknownActor
from diplograph.web.data import highlighted
from diplograph.web.render import bad_request, not_found, page
from diplograph.web.state import dyad_ranking, state_graph, trend_figure, web_cache

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
DASHBOARD_WAIT = 1.0  # seconds for each whole-store aggregate before "still counting"
FILTERS = ("actor", "partner", "type", "since", "until", "context", "mode", "aux", "location")


def dashboard_data(request: Request) -> dict[str, Any]:
    """Counts, the monthly trend and the busiest dyads (cached: they read every event)."""
    kb = request.app.state.kb
    summary = web_cache(request.app).get("summary", kb.store.summary)
    trend = trend_figure(request.app, wait=DASHBOARD_WAIT)
    graph = state_graph(request.app, wait=DASHBOARD_WAIT)
    dyads = dyad_ranking(graph)[:12] if graph is not None else None
    return {"summary": summary, "trend": trend, "dyads": dyads}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    kb = request.app.state.kb
    newest = kb.events(limit=10)
    return page(request, "dashboard.html", title="Dashboard", newest=newest.events,
                **dashboard_data(request))  # fmt: skip


def _filters(request: Request) -> dict[str, str]:
    params = request.query_params
    found = {name: params.get(name, "").strip() for name in (*FILTERS, "text", "order")}
    return {k: v for k, v in found.items() if v}


def _page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


@router.get("/events", response_class=HTMLResponse)
def explorer(request: Request) -> HTMLResponse:
    kb = request.app.state.kb
    filters = _filters(request)
    number = _page_number(request)
    context: dict[str, Any] = {
        "title": "Events",
        "filters": filters,
        "types": query.event_types(),
        "contexts": query.contexts(),
        "modes": query.modes(),
        "auxes": query.AUX_VALUES,
        "orders": query.ORDERS,
        "page_number": number,
        "page_size": PAGE_SIZE,
    }
    try:
        found = kb.events(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, **filters)
    except UnknownActor as exc:
        return page(request, "events.html", status_code=400, error=str(exc),
                    suggestions=exc.suggestions, result=None, **context)  # fmt: skip
    except ValueError as exc:
        return page(request, "events.html", status_code=400, error=str(exc), suggestions=[],
                    result=None, **context)  # fmt: skip
    pages = max(1, -(-found.total // PAGE_SIZE))
    return page(request, "events.html", result=found, pages=pages, error=None, **context)


def _articles(record: dict[str, Any], texts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per source article: its metadata, text with the evidence marked, sentences."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for mention in record["mentions"]:
        by_article[mention["article"]["id"]].append(mention)
    shown = []
    for article_id, mentions in by_article.items():
        article = texts.get(article_id) or dict(mentions[0]["article"]) | {"text": ""}
        body, marked = highlighted(article.get("text") or "", mentions)
        shown.append({"article": article, "mentions": mentions, "body": body, "marked": marked})
    return shown


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    kb = request.app.state.kb
    record = next(iter(iter_events(kb.store, [event_id])), None)
    if record is None:
        return not_found(request, f"No event with id {event_id!r}.")
    texts = article_texts(kb.store, sorted({m["article"]["id"] for m in record["mentions"]}))
    types = query.event_types()
    return page(
        request,
        "event.html",
        title=f"{record['type']} {record['date'] or ''}".strip(),
        event=record,
        articles=_articles(record, texts),
        types=types,
        modes=query.modes(),
    )


def bad_input(request: Request, exc: ValueError) -> HTMLResponse:
    """An unknown actor is a 404 with suggestions; other bad input a 400."""
    if isinstance(exc, UnknownActor):
        return not_found(request, str(exc), exc.suggestions)
    return bad_request(request, str(exc))

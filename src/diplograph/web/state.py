"""Per-app state of the web pages: the aggregate cache, the state-level relation graph."""

from __future__ import annotations

import logging
import threading
from typing import Any

import networkx as nx
from fastapi import FastAPI

from diplograph.kb import query
from diplograph.kb.graph import build_graph
from diplograph.web import charts
from diplograph.web.cache import StoreCache

log = logging.getLogger(__name__)


def web_cache(app: FastAPI) -> StoreCache:
    cache = getattr(app.state, "web_cache", None)
    if cache is None:
        cache = app.state.web_cache = StoreCache(app.state.kb.store)
    return cache


WAIT = 5.0  # seconds a page waits for a whole-store aggregate before saying "still counting"


def state_graph(
    app: FastAPI,
    since: str | None = None,
    until: str | None = None,
    min_events: int = 1,
    wait: float = WAIT,
) -> nx.DiGraph | None:
    """:func:`diplograph.kb.graph.build_graph` at state level, cached per arguments; None
    while it is still being built (after ``wait`` seconds). Bad arguments raise ValueError."""
    from diplograph.kb.graph import date_conditions

    date_conditions(since, until)  # a bad date is refused now, not in a background thread
    store = app.state.kb.store
    return web_cache(app).get_soon(
        ("graph", since, until, min_events),
        lambda: build_graph(store, "state", since, until, min_events),
        wait,
    )


def trend_figure(app: FastAPI, wait: float = WAIT) -> dict[str, Any] | None | bool:
    """The dashboard's monthly trend (False while it is still being counted)."""
    store = app.state.kb.store
    found = web_cache(app).get_soon(
        "trend",
        lambda: [charts.trend(query.timeline(store, None))],
        wait,  # type: ignore[arg-type]
    )
    return False if found is None else found[0]


def dyad_ranking(graph: nx.DiGraph) -> list[dict[str, Any]]:
    """Pairs of parties by events between them (both directions together), busiest first."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for src, dst, attrs in graph.edges(data=True):
        a, b = sorted((src, dst))
        row = pairs.setdefault(
            (a, b),
            {
                "a": a,
                "b": b,
                "a_name": graph.nodes[a].get("label", a),
                "b_name": graph.nodes[b].get("label", b),
                "events": 0,
                "cooperation": 0,
                "conflict": 0,
                "last_date": None,
            },
        )
        row["events"] += attrs.get("weight", 0)
        row["cooperation"] += attrs.get("cooperation", 0)
        row["conflict"] += attrs.get("conflict", 0)
        last = attrs.get("last_date")
        if last and (row["last_date"] is None or last > row["last_date"]):
            row["last_date"] = last
    return sorted(pairs.values(), key=lambda r: (-r["events"], r["a"], r["b"]))


def warm_up(app: FastAPI) -> threading.Thread:
    """Compute the dashboard's aggregates in the background, so the first visit is quick."""

    def run() -> None:
        try:
            web_cache(app).get("summary", app.state.kb.store.summary)
            trend_figure(app, wait=600)
            state_graph(app, wait=600)
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first page
            log.debug("web warm-up failed", exc_info=True)

    thread = threading.Thread(target=run, name="diplograph-web-warm-up", daemon=True)
    thread.start()
    return thread

"""Per-app state of the web pages: the aggregate cache, the state-level relation graph."""

from __future__ import annotations

import logging
import threading
from typing import Any

import networkx as nx
from fastapi import FastAPI

from diplograph.kb.graph import build_graph
from diplograph.web.cache import StoreCache

log = logging.getLogger(__name__)


def web_cache(app: FastAPI) -> StoreCache:
    cache = getattr(app.state, "web_cache", None)
    if cache is None:
        cache = app.state.web_cache = StoreCache(app.state.kb.store)
    return cache


def state_graph(
    app: FastAPI, since: str | None = None, until: str | None = None, min_events: int = 1
) -> nx.DiGraph:
    """:func:`diplograph.kb.graph.build_graph` at state level, cached per arguments."""
    store = app.state.kb.store
    return web_cache(app).get(
        ("graph", since, until, min_events),
        lambda: build_graph(store, "state", since, until, min_events),
    )


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
            from diplograph.kb import query
            from diplograph.web import charts

            cache = web_cache(app)
            store = app.state.kb.store
            cache.get("summary", store.summary)
            cache.get("trend", lambda: charts.trend(query.timeline(store, None)))  # type: ignore[arg-type]
            state_graph(app)
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first page
            log.debug("web warm-up failed", exc_info=True)

    thread = threading.Thread(target=run, name="diplograph-web-warm-up", daemon=True)
    thread.start()
    return thread

"""Plotly figures (plain ``{"data": [...], "layout": {...}}`` dicts) built from kb results.

The pages embed them as JSON in a ``<script type="application/json">`` block; static/app.js
draws them with the plotly.js the app serves itself.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from diplograph.kb.query import QUAD_NAMES, TimelinePeriod

QUAD_COLORS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b"}
QUAD_LABELS = {q: name.replace("_", " ") for q, name in QUAD_NAMES.items()}
KIND_COLORS = {"state": "#2c6fbb", "organization": "#8e5ea2", "other": "#888888"}
WINDOW = 60  # months a long timeline opens on
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12}


def _layout(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "margin": {"l": 48, "r": 48, "t": 16, "b": 40},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
    }
    return base | extra


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def trend(periods: list[TimelinePeriod], window: int = WINDOW) -> dict[str, Any] | None:
    """Stacked monthly bars per quad class and the mean score (right axis); None if empty.

    Months with no event are shown empty (the score line breaks there); a long history opens
    on its last ``window`` months (zoom out or double-click for all of it).
    """
    by_month = {p.period: p for p in periods if len(p.period) == 7}
    if not by_month:
        return None
    x = _months(min(by_month), max(by_month))
    empty = TimelinePeriod("", 0, {}, {}, None)
    months = [by_month.get(m, empty) for m in x]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": QUAD_LABELS[q],
            "x": x,
            "y": [p.quad_classes.get(q, 0) for p in months],
            "marker": {"color": QUAD_COLORS[q]},
        }
        for q in QUAD_NAMES
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "mean score",
            "x": x,
            "y": [p.mean_score for p in months],
            "yaxis": "y2",
            "line": {"color": "#333", "width": 1.5},
            "marker": {"size": 5},
            "connectgaps": False,
        }
    )
    xaxis: dict[str, Any] = {"type": "date", "tickformat": "%b %Y"}
    if len(x) > window:
        xaxis["range"] = [f"{x[-window]}-01", f"{x[-1]}-28"]
    elif len(x) < 4:
        xaxis = {"type": "category"}
    layout = _layout(
        barmode="stack",
        xaxis=xaxis,
        yaxis={"title": {"text": "events"}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": "mean score"},
            "overlaying": "y",
            "side": "right",
            "range": [-10.5, 10.5],
            "tickmode": "array",
            "tickvals": [-10, -5, 0, 5, 10],
            "zeroline": True,
            "zerolinecolor": "#bbb",
            "showgrid": False,
        },
    )
    return {"data": data, "layout": layout}


def _top_nodes(graph: nx.DiGraph, limit: int) -> list[str]:
    ranked = sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("event_count", 0), n))
    return ranked[:limit]


def _spring(component: nx.Graph) -> dict[str, Any]:
    """A seeded spring layout of one connected component, centred, radius about 1."""
    if len(component) == 1:
        return {next(iter(component)): (0.0, 0.0)}
    for _a, _b, attrs in component.edges(data=True):
        attrs["pull"] = 1.0 + math.log1p(attrs.get("weight", 1))
    k = 2.0 / math.sqrt(len(component))
    pos = nx.spring_layout(component, weight="pull", seed=7, k=k, iterations=150)
    return nx.rescale_layout_dict(pos, scale=1.0)


def spread(graph: nx.Graph) -> dict[str, Any]:
    """The largest component in the middle; the smaller ones on a ring around it."""
    components = sorted(
        (graph.subgraph(c).copy() for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), min(c)),
    )
    pos: dict[str, Any] = {}
    if not components:
        return pos
    pos.update(_spring(components[0]))
    rest = components[1:]
    for i, component in enumerate(rest):
        angle = 2 * math.pi * i / max(len(rest), 1) - math.pi / 2
        cx, cy = 1.3 * math.cos(angle), 1.3 * math.sin(angle)
        scale = 0.08 * math.sqrt(len(component))
        for node, (x, y) in _spring(component).items():
            pos[node] = (cx + scale * x, cy + scale * y)
    return pos


def network(graph: nx.DiGraph, limit: int = 60) -> dict[str, Any] | None:
    """The relation graph's busiest ``limit`` parties, laid out by a seeded spring layout."""
    keep = _top_nodes(graph, limit)
    if not keep:
        return None
    pos = spread(graph.subgraph(keep).to_undirected())
    groups: dict[str, dict[str, Any]] = {}
    for src, dst, attrs in graph.subgraph(keep).edges(data=True):
        balance = attrs.get("balance", 0.0)
        tone = "cooperation" if balance > 0.2 else "conflict" if balance < -0.2 else "mixed"
        heavy = "heavy" if attrs.get("weight", 1) >= 5 else "light"
        group = groups.setdefault(f"{tone} {heavy}", {"x": [], "y": []})
        group["x"] += [pos[src][0], pos[dst][0], None]
        group["y"] += [pos[src][1], pos[dst][1], None]
    colors = {"cooperation": "#1b7837", "conflict": "#b2182b", "mixed": "#999999"}
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"{name.split()[0]} ({'≥5' if name.endswith('heavy') else '<5'} events)",
            "x": group["x"],
            "y": group["y"],
            "hoverinfo": "skip",
            "line": {
                "color": colors[name.split()[0]],
                "width": 3.5 if name.endswith("heavy") else 1.3,
            },
            "opacity": 0.6,
        }
        for name, group in sorted(groups.items())
    ]
    nodes = [graph.nodes[n] for n in keep]
    data.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": "parties",
            "x": [pos[n][0] for n in keep],
            "y": [pos[n][1] for n in keep],
            "text": keep,
            "textposition": "top center",
            "customdata": [
                [n, a.get("label", n), a.get("event_count", 0)]
                for n, a in zip(keep, nodes, strict=True)
            ],
            "hovertemplate": "<b>%{customdata[1]}</b> (%{customdata[0]})<br>"
            "%{customdata[2]} events<br>click to open<extra></extra>",
            "marker": {
                "size": [8 + 3.2 * math.sqrt(a.get("event_count", 1)) for a in nodes],
                "sizemode": "diameter",
                "color": [KIND_COLORS.get(a.get("kind", "other"), "#888") for a in nodes],
                "line": {"color": "#fff", "width": 1},
            },
        }
    )
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout = _layout(
        hovermode="closest",
        dragmode="pan",
        showlegend=True,
        xaxis=hidden,
        yaxis=hidden | {"scaleanchor": "x"},
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "y": 0.0},
    )
    return {"data": data, "layout": layout, "click": "actor"}


def world_map(counts: dict[str, int], names: dict[str, str]) -> dict[str, Any]:
    """Countries shaded by events; the outlines come from /geo/countries.json (``@world``)."""
    codes = sorted(counts)
    base = {
        "type": "choropleth",
        "geojson": "@world",
        "featureidkey": "properties.code",
        "locationmode": "geojson-id",
    }
    data: list[dict[str, Any]] = [
        base
        | {
            "name": "countries",
            "locations": "@all",  # every feature of the geometry, drawn grey
            "z": "@zeros",
            "colorscale": [[0, "#e9ecef"], [1, "#e9ecef"]],
            "showscale": False,
            "hoverinfo": "skip",
            "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        },
        base
        | {
            "name": "events",
            "locations": codes,
            "z": [counts[c] for c in codes],
            "text": [names.get(c, c) for c in codes],
            "customdata": codes,
            "hovertemplate": "<b>%{text}</b><br>%{z} events<extra></extra>",
            "colorscale": [[0, "#c6dbef"], [0.5, "#4292c6"], [1, "#08306b"]],
            "zmin": 0,
            "colorbar": {"title": {"text": "events"}, "thickness": 12, "len": 0.6},
            "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        },
    ]
    layout = _layout(
        hovermode="closest",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        geo={
            "visible": False,
            "projection": {"type": "natural earth"},
            "lataxis": {"range": [-58, 85]},
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    return {"data": data, "layout": layout, "click": "map"}

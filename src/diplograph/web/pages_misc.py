"""Pages: the calendar of planned events, full-text search, the ingest form; static files."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup, escape

from diplograph.kb import query
from diplograph.web.geo import atlas_path, world_geojson_bytes
from diplograph.web.pages_events import bad_input
from diplograph.web.render import page

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request) -> HTMLResponse:
    params = request.query_params
    since, until = params.get("since") or None, params.get("until") or None
    actor = params.get("actor") or None
    try:
        plans = query.calendar(request.app.state.kb.store, since, until, actor=actor, limit=300)
    except ValueError as exc:
        return bad_input(request, exc)
    months: dict[str, list[query.PlannedEvent]] = {}
    for plan in plans:
        months.setdefault((plan.planned_date or "undated")[:7], []).append(plan)
    return page(request, "calendar.html", title="Calendar", months=months, count=len(plans),
                since=since or "", until=until or "", actor=actor or "")  # fmt: skip


def marked_snippet(snippet: str) -> Markup:
    """A search snippet (matches in [brackets]) escaped, the matches in ``<mark>``."""
    return Markup(re.sub(r"\[([^\[\]]*)\]", r"<mark>\1</mark>", str(escape(snippet))))  # noqa: S704


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    text = (request.query_params.get("q") or "").strip()
    hits = request.app.state.kb.search(text, limit=40) if text else []
    return page(request, "search.html", title="Search", q=text, hits=hits,
                marked=marked_snippet)  # fmt: skip


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    settings = request.app.state.settings
    limit_mb = settings.max_upload_bytes / (1024 * 1024)
    return page(request, "ingest.html", title="Ingest", limit_mb=f"{limit_mb:g}")


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed ``plotly`` Python package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(plotly_js_path(), media_type="text/javascript", headers=CACHE)


@router.get("/geo/countries.json")
def countries_geojson() -> Response:
    body = world_geojson_bytes()
    if body is None:
        return Response('{"detail":"world-atlas is not installed (make install)"}', 404,
                        media_type="application/json")  # fmt: skip
    return Response(body, media_type="application/geo+json", headers=CACHE)


@router.get("/geo/topojson/{name}.json")
def plotly_topojson(name: str) -> Response:
    """What plotly.js asks for at ``topojsonURL`` (``world_110m``…): the world-atlas TopoJSON.

    plotly.js loads a base map for every geo subplot, even one drawing only GeoJSON; pointed
    here (static/app.js sets ``topojsonURL``), it never reaches for its CDN.
    """
    path = atlas_path()
    if path is None or not name.startswith("world_"):
        return Response('{"detail":"no such map"}', 404, media_type="application/json")
    return FileResponse(path, media_type="application/json", headers=CACHE)

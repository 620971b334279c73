"""The analyst's web app: server-rendered pages over the knowledge base (``mount(app)``).

Pages call :mod:`diplograph.kb` directly (``app.state.kb``); charts are Plotly figures embedded
as JSON and drawn by the plotly.js of the installed ``plotly`` package, served at
/vendor/plotly.min.js; the map's outlines come from the npm package world-atlas. Nothing is
loaded from another host: the app works offline.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from diplograph.web import pages_actors, pages_events, pages_misc
from diplograph.web.render import HERE, not_found
from diplograph.web.state import warm_up

API_PREFIXES = ("/api", "/docs", "/redoc", "/openapi.json")


def mount(app: FastAPI, *, warm: bool = True) -> None:
    """Add the pages, /static and an HTML 404 page (outside the API) to ``app``."""
    for module in (pages_events, pages_actors, pages_misc):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(HTTPException)
    async def html_errors(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith(API_PREFIXES):
            return not_found(request, f"Nothing here: {request.url.path}")
        return await http_exception_handler(request, exc)

    if warm:
        warm_up(app)

"""Jinja2 set-up: the templates folder, filters the templates share, and page responses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from diplograph import __version__
from diplograph.web.charts import QUAD_COLORS, QUAD_LABELS

HERE = Path(__file__).resolve().parent
env = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=True,  # every text escaped, whatever the template's name
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=env)

NAV = [
    ("/", "Dashboard"),
    ("/events", "Events"),
    ("/network", "Network"),
    ("/map", "Map"),
    ("/calendar", "Calendar"),
    ("/search", "Search"),
    ("/ingest", "Ingest"),
]


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` breakout)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def actor_key(participant: dict[str, Any]) -> str:
    """What /actors/… takes for a participant: a state's code, else its entity id."""
    entity = participant.get("entity_id") or ""
    if entity.startswith("state:") and participant.get("code"):
        return participant["code"]
    return entity or participant.get("code") or participant.get("name") or ""


def actor_url(key: str) -> str:
    return "/actors/" + quote(key, safe="")


def dyad_url(a: str, b: str) -> str:
    return f"/dyad/{quote(a, safe='')}/{quote(b, safe='')}"


def query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` (empty ones dropped) updated by ``changes``."""
    merged = {k: v for k, v in (params | changes).items() if v not in (None, "", 0)}
    return path + ("?" + urlencode(merged) if merged else "")


def event_dyad(record: dict[str, Any]) -> tuple[str, str] | None:
    """The first two different codes of an event's participants (for a dyad link)."""
    codes = [p.get("code") for p in record.get("actor", []) + record.get("recipient", [])]
    distinct = list(dict.fromkeys(c for c in codes if c))
    return (distinct[0], distinct[1]) if len(distinct) > 1 else None


def first_evidence(record: dict[str, Any], limit: int = 220) -> str:
    mentions = record.get("mentions") or []
    text = (mentions[0].get("text") or "") if mentions else ""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


env.filters.update(json_script=json_script, actor_url=actor_url, first_evidence=first_evidence)
env.globals.update(
    NAV=NAV,
    VERSION=__version__,
    QUAD_LABELS=QUAD_LABELS,
    QUAD_COLORS=QUAD_COLORS,
    actor_key=actor_key,
    actor_url=actor_url,
    dyad_url=dyad_url,
    query_url=query_url,
    event_dyad=event_dyad,
)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with ``context`` (plus the request and whether writes are on)."""
    settings = request.app.state.settings
    context |= {"writable": settings.writable, "path": request.url.path}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, message: str, suggestions: list[str] | None = None) -> HTMLResponse:
    """The 404 page, with suggestions (links to actors) when there are some."""
    return page(
        request,
        "error.html",
        status_code=404,
        title="Not found",
        message=message,
        suggestions=suggestions or [],
    )


def bad_request(request: Request, message: str) -> HTMLResponse:
    return page(request, "error.html", status_code=400, title="Bad request", message=message)

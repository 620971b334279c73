"""The FastAPI application: REST endpoints under /api, the web app's pages at /, OpenAPI at /docs.

One ``KnowledgeBase`` per app (``app.state.kb``); every endpoint calls the same query
functions as the CLI (``diplograph.kb``), never a second query layer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI

from diplograph import __version__
from diplograph.kb.base import KnowledgeBase

DEFAULT_MAX_UPLOAD = 32 * 1024 * 1024  # bytes, the same limit as one ingested document


@dataclass(frozen=True)
class Settings:
    """How the server was started: store, write token, upload limit, URL-ingest policy."""

    db: str | None = None
    token: str | None = None  # DIPLOGRAPH_TOKEN; None turns every write endpoint off
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    allow_private_urls: bool = False  # URL ingest of loopback/private addresses

    @property
    def writable(self) -> bool:
        return bool(self.token)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for ``settings`` (store opened now, closed on shutdown)."""
    settings = settings or Settings()
    kb = KnowledgeBase.open(settings.db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        kb.close()

    app = FastAPI(
        lifespan=lifespan,
        title="diplograph",
        version=__version__,
        description="Evidence-linked knowledge base of diplomatic events, actors and relations.",
    )
    app.state.settings = settings
    app.state.kb = kb

    from diplograph.api import routes

    app.include_router(routes.router, prefix="/api")
    try:
        from diplograph.web import mount
    except ImportError:  # the web app is optional while it is being built
        return app
    mount(app)
    return app

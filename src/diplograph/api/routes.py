"""The REST API under /api: one router gathering the endpoint modules.

Every endpoint is a thin wrapper over ``diplograph.kb`` (JSON in the export shapes of
interface.md); see docs/api.md.
"""

from __future__ import annotations

from fastapi import APIRouter

from diplograph.api import actors, articles, events, ingest, reading, write

router = APIRouter()
for module in (events, actors, reading, articles, write, ingest):
    router.include_router(module.router)

"""Write access: a bearer token from ``DIPLOGRAPH_TOKEN``; without one every write is off.

Writes are serialised by one lock per process (SQLite has a single writer, and an ingest
should not interleave with a correction).
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from diplograph.api import deps

WRITE_LOCK = threading.Lock()
_bearer = HTTPBearer(auto_error=False, description="The server's DIPLOGRAPH_TOKEN")

WRITE_ERRORS: dict[int | str, dict] = {
    401: {"model": deps.ErrorBody, "description": "Missing or wrong bearer token"},
    403: {"model": deps.ErrorBody, "description": "Writes are off (no DIPLOGRAPH_TOKEN)"},
}


class Unauthorized(deps.ApiError):
    status = 401


class WritesOff(deps.ApiError):
    status = 403


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let the request through only with ``Authorization: Bearer <DIPLOGRAPH_TOKEN>``."""
    token = deps.settings(request).token
    if not token:
        raise WritesOff("writes are off: start the server with DIPLOGRAPH_TOKEN set")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Unauthorized(
            "wrong bearer token" if given else "this needs Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )


Writer = Depends(require_token)

"""What every endpoint shares: the open knowledge base, error translation, paging limits.

Bad input never becomes a 500: the route class below answers ``UnknownActor`` and
``ValueError`` with 400 (``{"detail": message, "suggestions": [...]}``), :class:`NotFound`
with 404 and malformed parameters (FastAPI's validation) with 400 in the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import DataError

from diplograph.api.app import Settings
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.resolve import UnknownActor

MAX_LIMIT = 500  # events, actors, articles, facts per page
MAX_CSV_ROWS = 100_000  # rows of one CSV download


class ApiError(Exception):
    """An answer other than 200, with a message (and suggestions for unknown names)."""

    status = 400

    def __init__(
        self,
        detail: str,
        suggestions: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = suggestions or []
        self.headers = headers


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class TooLarge(ApiError):
    status = 413


class ErrorBody(BaseModel):
    """Every error answer: a one-line message and, for unknown names, what may have been meant."""

    detail: str
    suggestions: list[str] = []


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input: unknown actor, bad date, type, …"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Unknown"}}


def error(status: int, detail: str, suggestions: list[str] | None = None, **kw: Any) -> Response:
    body = {"detail": detail, "suggestions": suggestions or []}
    return JSONResponse(body, status_code=status, **kw)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem["msg"])
    return "; ".join(parts) or "invalid request"


def _has_nul(request: Request) -> bool:
    values = [*request.query_params.values(), *map(str, request.path_params.values())]
    return any("\x00" in value for value in values)


class ApiRoute(APIRoute):
    """A route whose bad-input exceptions become 400/404 answers instead of 500s."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            if _has_nul(request):  # no store holds NUL; PostgreSQL refuses it outright
                return error(400, "NUL characters are not allowed in parameters")
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return error(400, _validation_message(exc))
            except ApiError as exc:
                return error(exc.status, exc.detail, exc.suggestions, headers=exc.headers)
            except UnknownActor as exc:
                return error(400, str(exc), exc.suggestions)
            except ValueError as exc:  # CorrectionError, BriefError, bad dates and types
                return error(400, str(exc).splitlines()[0] if str(exc) else "bad input")
            except DataError as exc:  # a value the database cannot hold (NUL in a body, …)
                return error(400, f"the store refused a value: {str(exc.orig).splitlines()[0]}")

        return guarded


def kb(request: Request) -> KnowledgeBase:
    """The app's open knowledge base."""
    return request.app.state.kb


def settings(request: Request) -> Settings:
    return request.app.state.settings


def known_actor(call: Callable[[], Any]) -> Any:
    """``call()``, an unknown actor answering 404 (for routes naming the actor in the path)."""
    try:
        return call()
    except UnknownActor as exc:
        raise NotFound(str(exc), exc.suggestions) from None

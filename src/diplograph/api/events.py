"""Events: filtered pages (JSON), CSV downloads of the same lists, one event in detail."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from diplograph.api import deps, models
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.query import find_events, flat_event
from diplograph.kb.records import iter_events

router = APIRouter(route_class=deps.ApiRoute, tags=["events"], responses=deps.ERRORS)

Order = Literal["date_desc", "date_asc", "confidence"]
CSV_PAGE = 1000


def event_filters(
    actor: Annotated[str | None, Query(description="Code or name: KAZ, China, Wang Yi")] = None,
    partner: Annotated[
        str | None, Query(description="Second party: events between actor and partner")
    ] = None,
    type: Annotated[  # noqa: A002 - the filter's name
        str | None, Query(description="PLOVER types, comma-separated: consult,agree")
    ] = None,
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM, YYYY-MM-DD or today")] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM, YYYY-MM-DD or today")] = None,
    context: Annotated[str | None, Query(description="PLOVER context: economic, …")] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode: visit, …")] = None,
    aux: Annotated[str | None, Query(description="future, historical or none")] = None,
    location: Annotated[str | None, Query(description="Place name or country code")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    text: Annotated[str | None, Query(description="Words in the evidence sentences")] = None,
) -> dict[str, Any]:
    """The filters of ``find_events`` (unset ones left out)."""
    given = {
        "actor": actor,
        "partner": partner,
        "type": type,
        "since": since,
        "until": until,
        "context": context,
        "mode": mode,
        "aux": aux,
        "location": location,
        "min_confidence": min_confidence,
        "text": text,
    }
    return {key: value for key, value in given.items() if value is not None}


Filters = Annotated[dict[str, Any], Depends(event_filters)]
KB = Annotated[KnowledgeBase, Depends(deps.kb)]


@router.get("/events", response_model=models.EventPage)
def list_events(
    kb: KB,
    filters: Filters,
    limit: Annotated[int, Query(ge=0, le=deps.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    order: Order = "date_desc",
) -> dict[str, Any]:
    """Events matching every filter given, one page (``total`` counts them all)."""
    page = find_events(kb.store, limit=limit, offset=offset, order=order, **filters)
    return {"total": page.total, "limit": limit, "offset": offset, "items": page.events}


@router.get(
    "/events.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Flat rows, one per event"}},
)
def events_csv(
    kb: KB,
    filters: Filters,
    limit: Annotated[int, Query(ge=0, le=deps.MAX_CSV_ROWS)] = 10_000,
    offset: Annotated[int, Query(ge=0)] = 0,
    order: Order = "date_desc",
) -> StreamingResponse:
    """The same list as ``/events`` as a CSV download (the CLI's flat columns)."""
    first = find_events(
        kb.store, limit=min(limit, CSV_PAGE), offset=offset, order=order, **filters
    )  # bad filters fail here, before the download starts

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = None
        page, sent = first, 0
        while True:
            for record in page.events[: limit - sent]:
                row = flat_event(record)
                if writer is None:
                    writer = csv.DictWriter(buffer, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                sent += 1
            if writer is None:  # nothing matched: the header alone
                writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
                writer.writeheader()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if sent >= limit or len(page.events) < CSV_PAGE or offset + sent >= page.total:
                return
            page = find_events(
                kb.store,
                limit=min(CSV_PAGE, limit - sent),
                offset=offset + sent,
                order=order,
                **filters,
            )

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


CSV_COLUMNS = tuple(
    flat_event(
        {
            "id": "",
            "date": None,
            "type": "",
            "mode": None,
            "aux": None,
            "context": [],
            "quad_class": None,
            "score": None,
            "actor": [],
            "recipient": [],
            "location": None,
            "confidence": None,
            "mentions": [],
        }
    )
)


@router.get("/events/{event_id}", response_model=models.Event, responses=deps.NOT_FOUND)
def get_event(kb: KB, event_id: str) -> dict[str, Any]:
    """One event with every mention (evidence sentence, offsets, article) and its corrections."""
    for record in iter_events(kb.store, [event_id]):
        return record
    raise deps.NotFound(f"no event with id {event_id!r}")

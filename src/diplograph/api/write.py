"""Analysts' corrections over the API: correct an event, undo a correction, merge actors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from diplograph.api import auth, deps, models
from diplograph.kb import corrections
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.records import iter_events

router = APIRouter(route_class=deps.ApiRoute, tags=["corrections"], responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]


class EventCorrection(BaseModel):
    """Fields to correct (give at least one), or ``delete`` alone; ``note`` says why."""

    type: str | None = Field(None, description="PLOVER type, e.g. CONSULT")
    mode: str | None = Field(None, description="PLOVER mode of the (new) type, e.g. visit")
    actor: str | list[str] | None = Field(None, description="Names or codes; replaces all")
    recipient: str | list[str] | None = Field(None, description="Names or codes; [] for none")
    date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    delete: bool = False
    note: str | None = None


class Corrected(BaseModel):
    corrections: list[models.Correction]
    event: models.Event | None = Field(None, description="The event now (None once deleted)")


class Merge(BaseModel):
    into: str = Field(description="The actor kept: id or unambiguous name")
    merge: str = Field(description="The actor merged into it and removed")
    note: str | None = None


@router.get("/corrections", response_model=list[models.Correction])
def list_corrections(
    kb: KB,
    event: Annotated[str | None, Query(description="Only this event's")] = None,
    include_undone: bool = False,
) -> list[dict[str, Any]]:
    """Corrections in force (or all, with ``include_undone``), oldest first."""
    found = corrections.list_corrections(kb.store, event, include_undone=include_undone)
    return [fix.as_dict() for fix in found]


@router.post(
    "/events/{event_id}/corrections",
    response_model=Corrected,
    dependencies=[auth.Writer],
    responses=auth.WRITE_ERRORS | deps.NOT_FOUND,
)
def correct_event(kb: KB, event_id: str, body: EventCorrection) -> dict[str, Any]:
    """Correct one event (one correction per field given), applied at once and kept across
    re-ingests; answers the corrections made and the event as it now reads."""
    with auth.WRITE_LOCK:
        if not any(True for _ in iter_events(kb.store, [event_id])):
            raise deps.NotFound(f"no event with id {event_id!r}")
        made = corrections.correct_event(
            kb.store,
            event_id,
            type=body.type,
            mode=body.mode,
            actor=body.actor,
            recipient=body.recipient,
            date=body.date,
            delete=body.delete,
            note=body.note,
        )
    now = next(iter(iter_events(kb.store, [event_id])), None)
    return {"corrections": [fix.as_dict() for fix in made], "event": now}


@router.delete(
    "/corrections/{correction_id}",
    response_model=models.Correction,
    dependencies=[auth.Writer],
    responses=auth.WRITE_ERRORS | deps.NOT_FOUND | {409: {"model": deps.ErrorBody}},
)
def undo_correction(kb: KB, correction_id: int) -> dict[str, Any]:
    """Withdraw a correction: the machine's reading comes back (under later corrections)."""
    with auth.WRITE_LOCK:
        known = {
            fix.id: fix
            for fix in corrections.list_corrections(kb.store, include_undone=True)
            if fix.id == correction_id
        }
        if correction_id not in known:
            raise deps.NotFound(f"no correction with id {correction_id}")
        if not known[correction_id].active:
            raise deps.Conflict(f"correction {correction_id} was already undone")
        return corrections.undo(kb.store, correction_id).as_dict()


@router.post(
    "/actors/merge",
    response_model=models.Correction,
    tags=["actors"],
    dependencies=[auth.Writer],
    responses=auth.WRITE_ERRORS,
)
def merge_actors(kb: KB, body: Merge) -> dict[str, Any]:
    """Merge actor ``merge`` into ``into`` (aliases, offices, mentions, events move); undo with
    ``DELETE /api/corrections/{id}``."""
    with auth.WRITE_LOCK:
        return corrections.merge_actors(kb.store, body.into, body.merge, body.note).as_dict()

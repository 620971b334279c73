"""Participants' copies of their event's type and date stay equal to the event's (0003)."""

from __future__ import annotations

from sqlalchemy import func, select

from diplograph.kb import query as q
from diplograph.kb.corrections import correct_event, undo
from diplograph.store.database import Store
from diplograph.store.schema import event_participants, events


def _mismatches(store: Store) -> int:
    p = event_participants
    joined = p.join(events, events.c.id == p.c.event_id)
    differs = (
        (p.c.type != events.c.type)
        | (p.c.quad_class != events.c.quad_class)
        | (func.coalesce(p.c.score, -99.0) != func.coalesce(events.c.score, -99.0))
        | (func.coalesce(p.c.date, "") != func.coalesce(events.c.date, ""))
    )
    with store.engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(joined).where(differs | p.c.type.is_(None))
        ).scalar_one()


def _kaz_chn_consult(store: Store) -> dict:
    page = q.find_events(store, actor="KAZ", partner="CHN", type="CONSULT")
    return next(e for e in page.events if e["date"] == "2022-06-07")


def test_ingest_fills_every_copy(kb_store: Store) -> None:
    with kb_store.engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(event_participants))
        assert rows.scalar_one() > 100
    assert _mismatches(kb_store) == 0


def test_corrections_and_their_undo_reach_the_copies(kb_store: Store) -> None:
    meeting = _kaz_chn_consult(kb_store)
    fixes = correct_event(kb_store, meeting["id"], type="AGREE", date="2022-06-08")
    assert _mismatches(kb_store) == 0
    # the fast participant path now finds the corrected event under its new type and date
    moved = q.find_events(kb_store, actor="KAZ", partner="CHN", type="AGREE", since="2022-06-08")
    assert meeting["id"] in [e["id"] for e in moved.events]
    gone = q.find_events(kb_store, actor="KAZ", partner="CHN", type="CONSULT", until="2022-06-07")
    assert meeting["id"] not in [e["id"] for e in gone.events]
    for fix in reversed(fixes):
        undo(kb_store, fix.id)
    assert _mismatches(kb_store) == 0
    assert _kaz_chn_consult(kb_store)["id"] == meeting["id"]


def test_participants_added_by_a_correction_are_filled(kb_store: Store) -> None:
    meeting = _kaz_chn_consult(kb_store)
    correct_event(kb_store, meeting["id"], recipient="VAT")
    assert _mismatches(kb_store) == 0
    page = q.find_events(kb_store, actor="CHN", partner="VAT", type="CONSULT", since="2022")
    assert meeting["id"] in [e["id"] for e in page.events]

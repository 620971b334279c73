"""Analysts' corrections: fixes to the machine's events and actors that outlive re-ingest.

Each correction is a row of ``corrections`` (kept apart from machine output) holding the
analyst's ``value`` and the ``machine_value`` it replaced. Applying one rewrites the normal
tables (events, event_participants; for a merge actors, aliases, offices, mentions), so every
query, export and brief sees the corrected knowledge base without special cases.
:func:`apply_corrections` re-applies the active ones idempotently; the store calls it after
each ingest batch, so re-extracted events and re-learned actors are corrected again.

Fields of an event correction and their values: ``type`` (a PLOVER type), ``mode`` (a mode of
that type, or None), ``date`` ("YYYY", "YYYY-MM" or "YYYY-MM-DD"), ``actor`` / ``recipient``
(lists of participants in the export shape), ``delete`` (True; its machine value is the
whole machine record, for undo). An actor correction has field ``merge``: ``target_id`` is
the actor merged away, ``value`` the actor it was merged into.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, exists, select, update

from diplograph.extract.lexicon import Lexicon
from diplograph.store.schema import (
    actor_aliases,
    actor_offices,
    actors,
    corrections,
    event_mentions,
    event_participants,
    events,
    mentions,
)
from diplograph.store.writer import insert_ignore

if TYPE_CHECKING:
    from diplograph.models import Analysis
    from diplograph.store.database import Store

EVENT_FIELDS = ("type", "mode", "date", "actor", "recipient", "delete")
ROLES = ("actor", "recipient")
_PRECISION = {4: "year", 7: "month", 10: "day"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EVENT_COLUMNS = (
    "type", "mode", "context", "aux", "cameo", "quad_class", "score", "date",
    "date_precision", "location", "confidence", "extra",
)  # fmt: skip
_CHUNK = 500


class CorrectionError(ValueError):
    """A correction that cannot be made: unknown event or actor, bad type, mode or date."""


@dataclass(frozen=True)
class Correction:
    """One analyst's correction as stored."""

    id: int
    target: str  # "event" | "actor"
    target_id: str
    field: str
    value: Any
    machine_value: Any
    note: str | None
    created_at: str
    active: bool

    def record(self) -> dict[str, Any]:
        """The shape events carry in their ``corrections`` list."""
        return {
            "id": self.id,
            "field": self.field,
            "value": self.value,
            "machine_value": self.machine_value,
            "note": self.note,
            "created_at": self.created_at,
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything, for listings."""
        return {
            "id": self.id,
            "target": self.target,
            "target_id": self.target_id,
            "field": self.field,
            "value": self.value,
            "machine_value": self.machine_value,
            "note": self.note,
            "created_at": self.created_at,
            "active": self.active,
        }


def _correction(row: Any) -> Correction:
    return Correction(
        id=row.id,
        target=row.target,
        target_id=row.target_id,
        field=row.field,
        value=row.value,
        machine_value=row.machine_value,
        note=row.note,
        created_at=row.created_at,
        active=bool(row.active),
    )


@cache
def lexicon() -> Lexicon:
    return Lexicon.load()


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()


# -- validation --------------------------------------------------------------------------------


def check_type(value: str) -> str:
    """A PLOVER event type, upper-cased; CorrectionError when it is none of the 16."""
    upper = value.strip().upper()
    if upper not in lexicon().types:
        raise CorrectionError(
            f"unknown event type {value!r}; PLOVER types: {', '.join(lexicon().types)}"
        )
    return upper


def modes_of(type_: str) -> list[str]:
    """The modes the lexicon knows for an event type."""
    prefix = f"{type_}/"
    return [key[len(prefix) :] for key in lexicon().modes if key.startswith(prefix)]


def check_mode(value: str | None, type_: str) -> str | None:
    """A mode of ``type_`` (lower-cased), or None for "none" / empty."""
    mode = (value or "").strip().lower()
    if mode in ("", "none", "null", "-"):
        return None
    known = modes_of(type_)
    if mode not in known:
        hint = f"its modes: {', '.join(known)}, or none" if known else "it has no modes: use none"
        raise CorrectionError(f"{mode!r} is not a mode of {type_} ({hint})")
    return mode


def check_date(value: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real date."""
    text = value.strip()
    if not _DATE.match(text):
        raise CorrectionError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = ([int(p) for p in text.split("-")] + [1, 1])[:3]
    try:
        Date(year, month, day)
    except ValueError:
        raise CorrectionError(f"no such date: {value!r}") from None
    return text


# -- reading the current state ----------------------------------------------------------------


def _event_row(connection: Connection, event_id: str) -> Any:
    return connection.execute(select(events).where(events.c.id == event_id)).first()


def _participants(connection: Connection, event_id: str, role: str) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(event_participants)
        .where(event_participants.c.event_id == event_id, event_participants.c.role == role)
        .order_by(event_participants.c.position)
    )
    return [
        {
            "name": r.name,
            "code": r.code,
            "sector": r.sector,
            "office": r.office,
            "entity_id": r.actor_id,
        }
        for r in rows
    ]


def _active(connection: Connection, target: str, target_id: str) -> list[Correction]:
    rows = connection.execute(
        select(corrections)
        .where(
            corrections.c.target == target,
            corrections.c.target_id == target_id,
            corrections.c.active.is_(True),
        )
        .order_by(corrections.c.id)
    )
    return [_correction(row) for row in rows]


def _current(connection: Connection, row: Any, field: str) -> Any:
    if field in ROLES:
        return _participants(connection, row.id, field)
    return getattr(row, field)


def _machine(connection: Connection, row: Any, field: str) -> Any:
    """What the machine wrote for ``field``: kept by the earliest active correction of it."""
    for fix in _active(connection, "event", row.id):
        if fix.field == field:
            return fix.machine_value
    return _current(connection, row, field)


def _machine_record(connection: Connection, row: Any) -> dict[str, Any]:
    """The machine's whole event (corrected fields put back), to restore after a delete."""
    record = {name: getattr(row, name) for name in _EVENT_COLUMNS}
    for field in ("type", "mode", "date"):
        record[field] = _machine(connection, row, field)
    record.update(_derived(record["type"], record["mode"]))
    record["date_precision"] = _precision(record["date"], row.date_precision)
    mentions_ = connection.execute(
        select(event_mentions).where(event_mentions.c.event_id == row.id)
    )
    return {
        "event": record,
        "actor": _machine(connection, row, "actor"),
        "recipient": _machine(connection, row, "recipient"),
        "mentions": [
            {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
            for m in mentions_
        ],
    }


def _derived(type_: str, mode: str | None) -> dict[str, Any]:
    """CAMEO code, quad class and score of a type and mode (the lexicon's defaults)."""
    lex = lexicon()
    if type_ not in lex.types:
        return {}
    return {
        "cameo": lex.cameo(type_, mode),
        "quad_class": lex.quad_class(type_),
        "score": lex.score(type_, mode),
    }


def _precision(day: str | None, fallback: str | None = None) -> str | None:
    return _PRECISION.get(len(day), fallback) if day else None


# -- writing ---------------------------------------------------------------------------------


def _merges(connection: Connection) -> dict[str, str]:
    """Active merges: actor merged away → the actor it lives on as (followed through chains)."""
    pairs = dict(
        connection.execute(
            select(corrections.c.target_id, corrections.c.value).where(
                corrections.c.target == "actor",
                corrections.c.field == "merge",
                corrections.c.active.is_(True),
            )
        ).all()
    )
    resolved = {}
    for start in pairs:
        seen, current = {start}, pairs[start]
        while current in pairs and current not in seen:
            seen.add(current)
            current = pairs[current]
        resolved[start] = current
    return resolved


def _write_participants(
    connection: Connection,
    event_id: str,
    role: str,
    people: Sequence[dict[str, Any]],
    merges: dict[str, str],
) -> None:
    """Replace the participants of one role, following merged actors to their survivor."""
    ids = {merges.get(p.get("entity_id"), p.get("entity_id")) for p in people} - {None}
    found = connection.execute(select(actors).where(actors.c.id.in_(ids))) if ids else []
    stored = {row.id: row for row in found}
    rows, seen = [], set()
    for person in people:
        key = person.get("entity_id")
        merged = merges.get(key, key)
        if merged is not None and merged in seen:
            continue  # two participants became one actor
        seen.add(merged)
        row = {
            "event_id": event_id,
            "role": role,
            "position": len(rows),
            "actor_id": merged if merged in stored else None,
            "name": person["name"],
            "code": person.get("code"),
            "sector": person.get("sector"),
            "office": person.get("office"),
        }
        if merged != key and merged in stored:
            survivor = stored[merged]
            row.update(name=survivor.name, code=survivor.code or row["code"])
        rows.append(row)
    connection.execute(
        event_participants.delete().where(
            event_participants.c.event_id == event_id, event_participants.c.role == role
        )
    )
    if rows:
        connection.execute(event_participants.insert(), rows)


def _set(
    connection: Connection, event_id: str, field: str, value: Any, merges: dict[str, str]
) -> None:
    """Give one field of a stored event a value (a correction's, or back the machine's)."""
    row = _event_row(connection, event_id)
    if row is None:
        return
    if field in ROLES:
        if value != _participants(connection, event_id, field):
            _write_participants(connection, event_id, field, value or [], merges)
        return
    if field == "type":
        values = {"type": value, **_derived(value, row.mode)}
    elif field == "mode":
        values = {"mode": value, **_derived(row.type, value)}
    elif field == "date":
        values = {"date": value, "date_precision": _precision(value)}
    else:
        raise ValueError(f"not an event field: {field}")
    if any(getattr(row, k) != v for k, v in values.items()):
        connection.execute(update(events).where(events.c.id == event_id).values(**values))


def _delete_event(connection: Connection, fix: Correction) -> None:
    """Remove an event again, keeping any evidence gained since in the correction (for undo)."""
    if _event_row(connection, fix.target_id) is None:
        return
    machine = dict(fix.machine_value)
    known = {(m["article_id"], m["start"]) for m in machine["mentions"]}
    fresh = [
        {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
        for m in connection.execute(
            select(event_mentions).where(event_mentions.c.event_id == fix.target_id)
        )
        if (m.article_id, m.start) not in known
    ]
    if fresh:
        machine["mentions"] = machine["mentions"] + fresh
        connection.execute(
            update(corrections).where(corrections.c.id == fix.id).values(machine_value=machine)
        )
    _remove_event(connection, fix.target_id)


def _remove_event(connection: Connection, event_id: str) -> None:
    for table in (event_mentions, event_participants):
        connection.execute(table.delete().where(table.c.event_id == event_id))
    connection.execute(events.delete().where(events.c.id == event_id))


def _restore_event(
    connection: Connection, event_id: str, machine: dict[str, Any], merges: dict[str, str]
) -> None:
    """Put back an event removed by a delete correction, as the machine had it."""
    insert_ignore(connection, events, [{"id": event_id, **machine["event"]}])
    for role in ROLES:
        if not _participants(connection, event_id, role):
            _write_participants(connection, event_id, role, machine[role], merges)
    insert_ignore(
        connection, event_mentions, [{"event_id": event_id, **m} for m in machine["mentions"]]
    )


def _apply(connection: Connection, fix: Correction, merges: dict[str, str]) -> None:
    if fix.target == "actor":
        _merge(connection, fix)
    elif fix.field == "delete":
        _delete_event(connection, fix)
    else:
        _set(connection, fix.target_id, fix.field, fix.value, merges)


# -- corrections of events --------------------------------------------------------------------


def find_event(connection: Connection, event_id: str) -> Any:
    """The stored event with this id (or unique id prefix of 6+ characters)."""
    key = (event_id or "").strip()
    row = _event_row(connection, key) if key else None
    if row is None and len(key) >= 6 and re.fullmatch(r"[0-9a-f]+", key):
        found = connection.execute(select(events).where(events.c.id.like(key + "%")).limit(2)).all()
        row = found[0] if len(found) == 1 else None
    if row is not None:
        return row
    deleted = [f for f in _active(connection, "event", key) if f.field == "delete"]
    if deleted:
        raise CorrectionError(
            f"event {key} was deleted by correction {deleted[0].id}; "
            f"`diplograph uncorrect {deleted[0].id}` brings it back"
        )
    raise CorrectionError(f"no event with id {event_id!r}")


def _split(names: str | Sequence[str] | None) -> list[str] | None:
    if names is None:
        return None
    items = names.split(",") if isinstance(names, str) else list(names)
    return [" ".join(item.split()) for item in items if item.strip()]


def _party_participants(
    store: Store, connection: Connection, names: list[str], day: str | None
) -> list[dict[str, Any]]:
    """Participants in the export shape for names or codes (resolved like the queries)."""
    from diplograph.kb.resolve import resolve_party
    from diplograph.nlp.pipeline import gazetteer

    people: list[dict[str, Any]] = []
    for name in names:
        try:
            party = resolve_party(store, name)
        except ValueError as exc:  # UnknownActor, with suggestions
            raise CorrectionError(str(exc)) from None
        if party.is_code:
            prefix = "state" if party.kind == "state" else "org"
            key = f"state:{party.code}" if prefix == "state" else f"org:{party.name}"
            org = gazetteer().orgs.get(party.name, {}) if prefix == "org" else {}
            sector = "GOV" if prefix == "state" else org.get("sector")
            insert_ignore(connection, actors, [{
                "id": key, "name": party.name, "kind": "state" if prefix == "state"
                else "organization", "code": party.code, "sector": sector,
                "mention_count": 0, "extra": {},
            }])  # fmt: skip
            people.append(
                {"name": party.name, "code": party.code, "sector": sector, "office": None,
                 "entity_id": key}
            )  # fmt: skip
            continue
        found = connection.execute(select(actors).where(actors.c.id.in_(party.actor_ids))).all()
        names_found = {row.name for row in found}
        if len(names_found) > 1:
            choices = "; ".join(f"{row.name} ({row.id})" for row in found[:6])
            raise CorrectionError(f"{name!r} names several actors: {choices}; give the id")
        row = next(r for r in found if r.id == party.actor_ids[0])
        people.append(
            {"name": row.name, "code": row.code, "sector": row.sector,
             "office": _office_at(connection, row.id, day), "entity_id": row.id}
        )  # fmt: skip
    return people


def _office_at(connection: Connection, actor_id: str, day: str | None) -> str | None:
    """The office an actor held nearest a date (the latest one seen when undated)."""
    offices = connection.execute(
        select(actor_offices).where(actor_offices.c.actor_id == actor_id)
    ).all()
    target = _ordinal(day)

    def rank(office: Any) -> tuple[int, int, str]:
        low = _ordinal(office.first_seen)
        high = _ordinal(office.last_seen) or low
        if not target or not low:
            return (0, -high, office.title)
        return (max(low - target, target - high, 0), -high, office.title)

    return min(offices, key=rank).title if offices else None


def _ordinal(day: str | None) -> int:
    """Days since year 1 of a YYYY[-MM[-DD]] date (its first day); 0 when unknown."""
    if not day:
        return 0
    try:
        year, month, dd = ([int(p) for p in day[:10].split("-")] + [1, 1])[:3]
        return Date(year, month, dd).toordinal()
    except ValueError:
        return 0


def correct_event(
    store: Store,
    event_id: str,
    *,
    type: str | None = None,  # noqa: A002 - the field's name
    mode: str | None = None,
    actor: str | Sequence[str] | None = None,
    recipient: str | Sequence[str] | None = None,
    date: str | None = None,
    delete: bool = False,
    note: str | None = None,
) -> list[Correction]:
    """Correct one event (one correction per field given) and apply it at once.

    Raises :class:`CorrectionError` for an unknown event, type, mode, date or actor.
    """
    actor_names, recipient_names = _split(actor), _split(recipient)
    changes = [type, mode, actor_names, recipient_names, date]
    if delete and any(c is not None for c in changes):
        raise CorrectionError("--delete removes the event: give it alone (with --note)")
    if not delete and all(c is None for c in changes):
        raise CorrectionError("nothing to correct: give --type, --mode, --actor, --recipient, "
                              "--date or --delete")  # fmt: skip
    if actor_names is not None and not actor_names:
        raise CorrectionError("an event needs at least one actor")
    note = " ".join(note.split()) if note and note.strip() else None
    with store.engine.begin() as connection:
        row = find_event(connection, event_id)
        wanted: list[tuple[str, Any]] = []
        new_type = check_type(type) if type is not None else None
        if new_type is not None:
            wanted.append(("type", new_type))
            if mode is None and row.mode and row.mode not in modes_of(new_type):
                wanted.append(("mode", None))  # the old mode means nothing for the new type
        if mode is not None:
            wanted.append(("mode", check_mode(mode, new_type or row.type)))
        if date is not None:
            wanted.append(("date", check_date(date)))
        day = dict(wanted).get("date", row.date)
        if actor_names is not None:
            wanted.append(("actor", _party_participants(store, connection, actor_names, day)))
        if recipient_names is not None:
            people = _party_participants(store, connection, recipient_names, day)
            wanted.append(("recipient", people))
        if delete:
            wanted.append(("delete", True))
        made = []
        merges = _merges(connection)
        for field, value in wanted:
            machine = (
                _machine_record(connection, row) if field == "delete"
                else _machine(connection, row, field)
            )  # fmt: skip
            fix = _insert(connection, "event", row.id, field, value, machine, note)
            _apply(connection, fix, merges)
            made.append(fix)
            row = _event_row(connection, row.id) or row
    return made


def _insert(
    connection: Connection,
    target: str,
    target_id: str,
    field: str,
    value: Any,
    machine: Any,
    note: str | None,
) -> Correction:
    values = {
        "target": target,
        "target_id": target_id,
        "field": field,
        "value": value,
        "machine_value": machine,
        "note": note,
        "created_at": _now(),
        "active": True,
    }
    new_id = connection.execute(
        corrections.insert().values(**values).returning(corrections.c.id)
    ).scalar_one()
    return Correction(id=new_id, **values)


# -- merging actors ------------------------------------------------------------------------------


def find_actor(store: Store, connection: Connection, text: str) -> Any:
    """A stored actor by id, or by a name that denotes exactly one stored actor."""
    key = " ".join((text or "").split())
    row = connection.execute(select(actors).where(actors.c.id == key)).first() if key else None
    if row is not None:
        return row
    merged = _merges(connection)
    if key in merged:
        raise CorrectionError(f"actor {key} was merged into {merged[key]}")
    from diplograph.kb.resolve import resolve_party

    try:
        party = resolve_party(store, key)
    except ValueError as exc:
        raise CorrectionError(str(exc)) from None
    ids = list(party.actor_ids)
    if party.is_code:
        ids = [f"state:{party.code}"] if party.kind == "state" else [f"org:{party.name}"]
    found = connection.execute(select(actors).where(actors.c.id.in_(ids))).all()
    if len(found) == 1:
        return found[0]
    if not found:
        raise CorrectionError(f"no stored actor for {text!r}")
    choices = "; ".join(f"{r.name} ({r.id})" for r in found[:6])
    raise CorrectionError(f"{text!r} names several actors: {choices}; give the id")


def merge_actors(store: Store, a: str, b: str, note: str | None = None) -> Correction:
    """Merge actor ``b`` into ``a``: b's aliases, offices, mentions and event participations
    move to a and b disappears. ``a`` and ``b`` are actor ids or unambiguous names."""
    with store.engine.begin() as connection:
        keep, gone = find_actor(store, connection, a), find_actor(store, connection, b)
        if keep.id == gone.id:
            raise CorrectionError(f"cannot merge {keep.name} ({keep.id}) into itself")
        snapshot = {
            "actor": {c.name: getattr(gone, c.name) for c in actors.columns},
            "aliases": _rows(connection, actor_aliases, gone.id),
            "offices": _rows(connection, actor_offices, gone.id),
            "mentions": [],
            "participants": [],
            "moved_aliases": [],
            "moved_offices": [],
        }
        fix = _insert(connection, "actor", gone.id, "merge", keep.id, snapshot, note)
        return _merge(connection, fix) or fix


def _rows(connection: Connection, table: Any, actor_id: str) -> list[dict[str, Any]]:
    rows = connection.execute(select(table).where(table.c.actor_id == actor_id))
    return [{k: v for k, v in row._mapping.items() if k != "actor_id"} for row in rows]


def _widen(first: str | None, last: str | None, other_first: Any, other_last: Any) -> dict:
    firsts = [d for d in (first, other_first) if d]
    lasts = [d for d in (last, other_last) if d]
    return {
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
    }


def _merge(connection: Connection, fix: Correction) -> Correction | None:
    """Move what actor ``fix.target_id`` holds onto ``fix.value`` and delete it (idempotent)."""
    gone_id, keep_id = fix.target_id, _merges(connection).get(fix.target_id, fix.value)
    keep = connection.execute(select(actors).where(actors.c.id == keep_id)).first()
    if keep is None:
        return None
    gone = connection.execute(select(actors).where(actors.c.id == gone_id)).first()
    machine = dict(fix.machine_value)
    moved_mentions = [
        r.id
        for r in connection.execute(select(mentions.c.id).where(mentions.c.actor_id == gone_id))
    ]
    parts = connection.execute(
        select(event_participants).where(event_participants.c.actor_id == gone_id)
    ).all()
    if gone is None and not moved_mentions and not parts:
        return None  # nothing came back since the merge
    for table, key_names, moved in (
        (actor_aliases, ("alias",), "moved_aliases"),
        (actor_offices, ("title", "code"), "moved_offices"),
    ):
        for row in connection.execute(select(table).where(table.c.actor_id == gone_id)).all():
            where = [table.c.actor_id == keep_id] + [
                table.c[k] == row._mapping[k] for k in key_names
            ]
            held = connection.execute(select(table).where(*where)).first()
            if held is None:
                values = {k: v for k, v in row._mapping.items() if k != "actor_id"}
                connection.execute(table.insert().values(actor_id=keep_id, **values))
                key = [row._mapping[k] for k in key_names]
                if key not in machine[moved]:
                    machine[moved] = machine[moved] + [key]
            else:
                spans = _widen(held.first_seen, held.last_seen, row.first_seen, row.last_seen)
                connection.execute(update(table).where(*where).values(**spans))
        connection.execute(table.delete().where(table.c.actor_id == gone_id))
    if moved_mentions:
        connection.execute(
            update(mentions).where(mentions.c.id.in_(moved_mentions)).values(actor_id=keep_id)
        )
        machine["mentions"] = sorted(set(machine["mentions"]) | set(moved_mentions))
    recorded = {(p["event_id"], p["role"], p["position"]) for p in machine["participants"]}
    for part in parts:
        values = {k: v for k, v in part._mapping.items()}
        if (part.event_id, part.role, part.position) not in recorded:
            machine["participants"] = machine["participants"] + [values]
        here = event_participants.c
        where = [here.event_id == part.event_id, here.role == part.role]
        already = connection.execute(
            select(exists().where(*where, here.actor_id == keep_id))
        ).scalar()
        at = [*where, here.position == part.position]
        if already:
            connection.execute(event_participants.delete().where(*at))
        else:
            connection.execute(
                update(event_participants).where(*at).values(
                    actor_id=keep_id, name=keep.name, code=keep.code or part.code,
                    sector=keep.sector or part.sector,
                )
            )  # fmt: skip
    if gone is not None:
        spans = _widen(keep.first_seen, keep.last_seen, gone.first_seen, gone.last_seen)
        connection.execute(
            update(actors)
            .where(actors.c.id == keep_id)
            .values(mention_count=keep.mention_count + (gone.mention_count or 0), **spans)
        )
        connection.execute(actors.delete().where(actors.c.id == gone_id))
    if machine != fix.machine_value:
        connection.execute(
            update(corrections).where(corrections.c.id == fix.id).values(machine_value=machine)
        )
    return Correction(**{**fix.as_dict(), "machine_value": machine})


def _unmerge(connection: Connection, fix: Correction) -> None:
    """Bring back an actor merged away, with what it held at the merge (and since)."""
    machine = fix.machine_value
    keep_id = fix.value
    insert_ignore(connection, actors, [machine["actor"]])
    gone_id = machine["actor"]["id"]
    for table, rows, moved, key_names in (
        (actor_aliases, machine["aliases"], machine["moved_aliases"], ("alias",)),
        (actor_offices, machine["offices"], machine["moved_offices"], ("title", "code")),
    ):
        for key in moved:
            where = [table.c.actor_id == keep_id]
            where += [table.c[k] == v for k, v in zip(key_names, key, strict=True)]
            connection.execute(table.delete().where(*where))
        insert_ignore(connection, table, [{"actor_id": gone_id, **row} for row in rows])
    if machine["mentions"]:
        connection.execute(
            update(mentions).where(mentions.c.id.in_(machine["mentions"])).values(actor_id=gone_id)
        )
    if machine["participants"]:
        present = {
            r.id
            for r in connection.execute(
                select(events.c.id).where(
                    events.c.id.in_({p["event_id"] for p in machine["participants"]})
                )
            )
        }
        for part in machine["participants"]:
            if part["event_id"] not in present:
                continue
            here = event_participants.c
            at = [
                here.event_id == part["event_id"],
                here.role == part["role"],
                here.position == part["position"],
            ]
            connection.execute(event_participants.delete().where(*at))
            connection.execute(event_participants.insert().values(**part))
    keep = connection.execute(select(actors).where(actors.c.id == keep_id)).first()
    if keep is not None:
        count = max((keep.mention_count or 0) - (machine["actor"].get("mention_count") or 0), 0)
        connection.execute(update(actors).where(actors.c.id == keep_id).values(mention_count=count))


# -- listing, undoing, re-applying ---------------------------------------------------------------


def list_corrections(
    store: Store, event_id: str | None = None, *, include_undone: bool = False
) -> list[Correction]:
    """Corrections, oldest first: all of them, or those of one event; undone ones on request."""
    query = select(corrections).order_by(corrections.c.id)
    if event_id is not None:
        query = query.where(corrections.c.target == "event", corrections.c.target_id == event_id)
    if not include_undone:
        query = query.where(corrections.c.active.is_(True))
    with store.engine.connect() as connection:
        return [_correction(row) for row in connection.execute(query)]


def undo(store: Store, correction_id: int) -> Correction:
    """Withdraw a correction: the machine's value comes back (under any later corrections)."""
    with store.engine.begin() as connection:
        row = connection.execute(
            select(corrections).where(corrections.c.id == correction_id)
        ).first()
        if row is None:
            raise CorrectionError(f"no correction with id {correction_id}")
        fix = _correction(row)
        if not fix.active:
            raise CorrectionError(f"correction {correction_id} was already undone")
        connection.execute(
            update(corrections).where(corrections.c.id == fix.id).values(active=False)
        )
        merges = _merges(connection)
        if fix.target == "actor":
            _unmerge(connection, fix)
            apply_corrections(connection)
        else:
            if fix.field == "delete":
                _restore_event(connection, fix.target_id, fix.machine_value, merges)
            else:
                _set(connection, fix.target_id, fix.field, fix.machine_value, merges)
            for other in _active(connection, "event", fix.target_id):
                _apply(connection, other, merges)
    return Correction(**{**fix.as_dict(), "active": False})


def has_corrections(connection: Connection) -> bool:
    """Whether any correction is in force (one indexed EXISTS query)."""
    return bool(connection.execute(select(exists().where(corrections.c.active.is_(True)))).scalar())


def apply_corrections(
    connection_or_store: Connection | Store,
    *,
    event_ids: Collection[str] | None = None,
    actor_ids: Collection[str] | None = None,
) -> int:
    """Re-apply the active corrections (idempotent); return how many were looked at.

    With ``event_ids`` / ``actor_ids`` only the corrections of those events and actors
    (those a batch of new articles touched); without either, all of them.
    """
    if not isinstance(connection_or_store, Connection):
        with connection_or_store.engine.begin() as connection:
            return apply_corrections(connection, event_ids=event_ids, actor_ids=actor_ids)
    connection = connection_or_store
    if not has_corrections(connection):
        return 0
    query = select(corrections).where(corrections.c.active.is_(True))
    if event_ids is None and actor_ids is None:
        found = [_correction(row) for row in connection.execute(query)]
    else:
        found = []
        for target, ids in (("event", event_ids), ("actor", actor_ids)):
            ids = sorted(set(ids or ()))
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                where = [corrections.c.target == target, corrections.c.target_id.in_(chunk)]
                found += [_correction(row) for row in connection.execute(query.where(*where))]
    merges = _merges(connection)
    # merges first, so that events corrected afterwards name the surviving actors
    for fix in sorted(found, key=lambda f: (f.target != "actor", f.id)):
        _apply(connection, fix, merges)
    return len(found)


def reapply_after_ingest(
    connection: Connection, analyses: Iterable[Analysis], registry: Iterable[dict[str, Any]]
) -> int:
    """Re-apply the corrections of the events and actors a stored batch touched."""
    if not has_corrections(connection):
        return 0
    event_ids: set[str] = set()
    actor_ids: set[str] = {record["id"] for record in registry}
    for analysis in analyses:
        actor_ids.update(m.key for m in analysis.actors if m.key)
        for event in analysis.events:
            event_ids.add(event.id)
            actor_ids.update(p.entity_id for p in event.actor + event.recipient if p.entity_id)
    return apply_corrections(connection, event_ids=event_ids, actor_ids=actor_ids)


def corrections_by_event(connection: Connection, ids: Sequence[str]) -> dict[str, list[dict]]:
    """The active corrections of these events, oldest first, in the events' record shape."""
    if not ids:
        return {}
    grouped: dict[str, list[dict]] = {}
    rows = connection.execute(
        select(corrections)
        .where(
            corrections.c.target == "event",
            corrections.c.target_id.in_(ids),
            corrections.c.active.is_(True),
        )
        .order_by(corrections.c.id)
    )
    for row in rows:
        grouped.setdefault(row.target_id, []).append(_correction(row).record())
    return grouped

"""Writing analyses (actor mentions, events, facts) and the actor registry to the store.

Everything for one batch of articles goes in the caller's transaction. Events and facts are
keyed by stable ids: an event already stored from another article gains a mention instead of
a duplicate (cross-article de-duplication).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, or_, update

from diplograph.models import Analysis, Event, Evidence, Fact
from diplograph.store.schema import (
    actor_aliases,
    actor_offices,
    actors,
    articles,
    event_mentions,
    event_participants,
    events,
    fact_mentions,
    facts,
    mentions,
)


def insert_ignore(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key is already stored."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    connection.execute(insert(table).on_conflict_do_nothing(), rows)


def _evidence_rows(key: str, owner: str, items: Iterable[Evidence]) -> list[dict[str, Any]]:
    rows = {}
    for item in items:
        rows[(item.article_id, item.start)] = {
            key: owner,
            "article_id": item.article_id,
            "start": item.start,
            "end": item.end,
            "text": item.text,
        }
    return list(rows.values())


def write_analysis(connection: Connection, analysis: Analysis, published: str | None) -> None:
    """Store one article's actor mentions, events and facts."""
    day = published[:10] if published else None
    actor_rows: dict[str, dict[str, Any]] = {}
    for mention in analysis.actors:
        actor_rows.setdefault(
            mention.key,
            _actor_row(mention.key, mention.name, mention.kind, mention.code, mention.sector, day),
        )
    for event in analysis.events:
        for participant in event.actor + event.recipient:
            if participant.entity_id:
                actor_rows.setdefault(
                    participant.entity_id,
                    _actor_row(
                        participant.entity_id,
                        participant.name,
                        participant.kind or "other",
                        participant.code,
                        participant.sector,
                        day,
                    ),
                )
    insert_ignore(connection, actors, list(actor_rows.values()))
    if day and actor_rows:
        # actors seen before: widen their first/last-seen span to this article's date
        keys = list(actor_rows)
        connection.execute(
            update(actors)
            .where(
                actors.c.id.in_(keys), or_(actors.c.last_seen.is_(None), actors.c.last_seen < day)
            )
            .values(last_seen=day)
        )
        connection.execute(
            update(actors)
            .where(
                actors.c.id.in_(keys), or_(actors.c.first_seen.is_(None), actors.c.first_seen > day)
            )
            .values(first_seen=day)
        )
    if analysis.actors:
        connection.execute(mentions.insert(), [
            {"article_id": analysis.article_id, "actor_id": m.key, "start": m.start,
             "end": m.end, "text": m.text, "label": m.kind}
            for m in analysis.actors
        ])  # fmt: skip
    insert_ignore(connection, events, [_event_row(event) for event in analysis.events])
    insert_ignore(connection, event_participants, [
        {"event_id": event.id, "role": role, "position": n, "actor_id": p.entity_id,
         "name": p.name, "code": p.code, "sector": p.sector, "office": p.office}
        for event in analysis.events
        for role, group in (("actor", event.actor), ("recipient", event.recipient))
        for n, p in enumerate(group)
    ])  # fmt: skip
    insert_ignore(connection, event_mentions, [
        row for event in analysis.events
        for row in _evidence_rows("event_id", event.id, event.mentions)
    ])  # fmt: skip
    insert_ignore(connection, facts, [_fact_row(fact) for fact in analysis.facts])
    insert_ignore(connection, fact_mentions, [
        row for fact in analysis.facts
        for row in _evidence_rows("fact_id", fact.id, fact.mentions)
    ])  # fmt: skip
    connection.execute(
        update(articles)
        .where(articles.c.id == analysis.article_id)
        .values(analysis_version=analysis.version)
    )


def _event_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id, "type": event.type, "mode": event.mode, "context": event.context,
        "aux": event.aux, "cameo": event.cameo, "quad_class": event.quad_class,
        "score": event.score, "date": event.date, "date_precision": event.date_precision,
        "location": event.location, "confidence": event.confidence, "extra": event.extra,
    }  # fmt: skip


def _fact_row(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id, "kind": fact.kind, "parties": fact.parties, "subject": fact.subject,
        "code": fact.code, "value": _text(fact.value), "unit": fact.unit,
        "period": fact.period, "date": fact.date, "extra": fact.extra,
    }  # fmt: skip


def _actor_row(
    key: str, name: str, kind: str, code: str | None, sector: str | None, day: str | None
) -> dict[str, Any]:
    return {
        "id": key,
        "name": name,
        "kind": kind,
        "code": code,
        "sector": sector,
        "first_seen": day,
        "last_seen": day,
        "mention_count": 0,
        "extra": {},
    }


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_registry(connection: Connection, records: Iterable[dict[str, Any]]) -> None:
    """Replace the stored people (actors of kind person) with the registry's records.

    Each record: {"id", "name", "code", "sector", "first_seen", "last_seen",
    "aliases": [{"alias", "first_seen", "last_seen"}],
    "offices": [{"title", "code", "first_seen", "last_seen"}]}.
    """
    for record in records:
        key = record["id"]
        row = _actor_row(
            key,
            record["name"],
            "person",
            record.get("code"),
            record.get("sector"),
            record.get("first_seen"),
        )
        row["last_seen"] = record.get("last_seen")
        connection.execute(actor_aliases.delete().where(actor_aliases.c.actor_id == key))
        connection.execute(actor_offices.delete().where(actor_offices.c.actor_id == key))
        insert_ignore(connection, actors, [row])
        connection.execute(
            update(actors)
            .where(actors.c.id == key)
            .values(
                name=row["name"],
                code=row["code"],
                sector=row["sector"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
            )
        )
        insert_ignore(
            connection,
            actor_aliases,
            [{"actor_id": key, **alias} for alias in record.get("aliases", [])],
        )
        insert_ignore(
            connection,
            actor_offices,
            [
                {"actor_id": key, **office, "code": office.get("code") or ""}
                for office in record.get("offices", [])
            ],
        )

"""Events, actors and facts as export records (the shapes of interface.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from diplograph.kb.corrections import corrections_by_event
from diplograph.store.database import Store
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

_CHUNK = 500


def _article_refs(connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    query = select(
        articles.c.id,
        articles.c.title,
        articles.c.published,
        articles.c.source,
        articles.c.path,
        articles.c.url,
    ).where(articles.c.id.in_(ids))
    return {
        row.id: {
            "id": row.id,
            "title": row.title,
            "published": row.published,
            "source": row.source,
            "path": row.path or row.url,
        }
        for row in connection.execute(query)
    }


def _grouped(connection, table, key, ids: list[str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in connection.execute(select(table).where(key.in_(ids))):
        grouped[getattr(row, key.name)].append(row)
    return grouped


def iter_events(store: Store, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every event (or those with ``ids``) with participants and mentions, by date."""
    # NULL dates first on every backend (SQLite's default; PostgreSQL sorts them last)
    query = select(events).order_by(events.c.date.asc().nulls_first(), events.c.id)
    if ids is not None:
        query = query.where(events.c.id.in_(ids))
    with store.engine.connect() as connection:
        rows = list(connection.execute(query))
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            chunk_ids = [row.id for row in chunk]
            parts = _grouped(
                connection, event_participants, event_participants.c.event_id, chunk_ids
            )
            evidence = _grouped(connection, event_mentions, event_mentions.c.event_id, chunk_ids)
            refs = _article_refs(connection, {m.article_id for ms in evidence.values() for m in ms})
            fixes = corrections_by_event(connection, chunk_ids)
            for row in chunk:
                yield _event_record(
                    row, parts.get(row.id, []), evidence.get(row.id, []), refs, fixes.get(row.id)
                )


def _participant(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "code": row.code,
        "sector": row.sector,
        "office": row.office,
        "entity_id": row.actor_id,
    }


def _event_record(
    row: Any, parts: list[Any], evidence: list[Any], refs: dict, fixes: list[dict] | None = None
) -> dict[str, Any]:
    ordered = sorted(parts, key=lambda p: (p.role, p.position))
    return {
        "id": row.id,
        "type": row.type,
        "mode": row.mode,
        "context": row.context or [],
        "aux": row.aux,
        "cameo": row.cameo,
        "quad_class": row.quad_class,
        "score": row.score,
        "date": row.date,
        "date_precision": row.date_precision,
        "actor": [_participant(p) for p in ordered if p.role == "actor"],
        "recipient": [_participant(p) for p in ordered if p.role == "recipient"],
        "location": row.location,
        "mentions": [
            {
                "article": refs.get(m.article_id, {"id": m.article_id}),
                "text": m.text,
                "start": m.start,
                "end": m.end,
            }
            for m in sorted(evidence, key=lambda m: (m.article_id, m.start))
        ],
        "confidence": row.confidence,
        "corrected": bool(fixes),  # analysts' corrections in force (kb/corrections.py)
        "corrections": fixes or [],
    }


def iter_actors(store: Store) -> Iterator[dict[str, Any]]:
    """Every actor with aliases, offices over time and how often it is mentioned."""
    with store.engine.connect() as connection:
        counts = dict(
            connection.execute(
                select(mentions.c.actor_id, func.count()).group_by(mentions.c.actor_id)
            ).all()
        )
        rows = list(
            connection.execute(select(actors).order_by(actors.c.kind, actors.c.name, actors.c.id))
        )
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            chunk_ids = [row.id for row in chunk]
            aliases = _grouped(connection, actor_aliases, actor_aliases.c.actor_id, chunk_ids)
            offices = _grouped(connection, actor_offices, actor_offices.c.actor_id, chunk_ids)
            for row in chunk:
                yield {
                    "id": row.id,
                    "name": row.name,
                    "kind": row.kind,
                    "code": row.code,
                    "sector": row.sector,
                    "aliases": sorted(a.alias for a in aliases.get(row.id, [])),
                    "offices": [
                        {
                            "title": o.title,
                            "code": o.code or None,
                            "first_seen": o.first_seen,
                            "last_seen": o.last_seen,
                        }
                        for o in sorted(
                            offices.get(row.id, []),
                            key=lambda o: (o.first_seen or "", o.title, o.code),
                        )
                    ],
                    "mention_count": counts.get(row.id, 0),
                    "first_seen": row.first_seen,
                    "last_seen": row.last_seen,
                }


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def iter_facts(store: Store, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every fact (or those with ``ids``) with its evidence."""
    with store.engine.connect() as connection:
        rows = list(
            connection.execute(
                select(facts)
                .where(*([facts.c.id.in_(ids)] if ids is not None else []))
                .order_by(facts.c.kind, facts.c.date.asc().nulls_first(), facts.c.id)
            )
        )
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            evidence = _grouped(
                connection, fact_mentions, fact_mentions.c.fact_id, [row.id for row in chunk]
            )
            refs = _article_refs(connection, {m.article_id for ms in evidence.values() for m in ms})
            for row in chunk:
                record = {
                    "id": row.id,
                    "kind": row.kind,
                    "parties": row.parties,
                    "subject": row.subject,
                    "code": row.code,
                    "value": _value(row.value),
                    "unit": row.unit,
                    "period": row.period,
                    "date": row.date,
                }
                record = {k: v for k, v in record.items() if v not in (None, [])} | {
                    "kind": row.kind,
                    "parties": row.parties or [],
                }
                record.update(row.extra or {})
                record["mentions"] = [
                    {
                        "article": refs.get(m.article_id, {"id": m.article_id}),
                        "text": m.text,
                        "start": m.start,
                        "end": m.end,
                    }
                    for m in sorted(evidence.get(row.id, []), key=lambda m: (m.article_id, m.start))
                ]
                yield record


FACT_COLUMNS = ("id", "kind", "parties", "subject", "code", "value", "value_number", "unit",
                "period", "date")  # fmt: skip


def tabular_fact(record: dict[str, Any]) -> dict[str, Any]:
    """A fact as one row of fixed columns, for CSV and Parquet: ``value`` as text (JSON when
    structured), ``value_number`` when it is a number, the kind-specific keys in ``details``."""
    value = record.get("value")
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    row = {key: record.get(key) for key in FACT_COLUMNS}
    row["value"] = value if value is None or isinstance(value, str) else json.dumps(value)
    row["value_number"] = None if number is None else float(number)
    rest = {k: v for k, v in record.items() if k not in FACT_COLUMNS and k != "mentions"}
    row["details"] = rest or None
    row["mentions"] = record.get("mentions", [])
    return row

"""Questions an analyst asks the knowledge base: events, actors, relations, timelines, plans.

Every function takes a :class:`Store` and returns typed records with ``to_dict()``. Filtering,
counting and paging happen in SQL (dialect-neutral SQLAlchemy Core; only full-text search
branches on the dialect); event records are built only for the page, by
:func:`diplograph.kb.records.iter_events`.

Dates: arguments accept ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (or ``today``). An event dated
only to a month or a year is kept when that month or year overlaps the range: ``2022`` and
``2022-06`` are both within ``since=2022-06-01, until=2022-12-31``.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date as _date
from functools import cache
from itertools import zip_longest
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    or_,
    select,
    text,
)

from diplograph.extract.lexicon import Lexicon
from diplograph.kb.records import iter_events
from diplograph.kb.resolve import Party, resolve_party
from diplograph.nlp.pipeline import gazetteer
from diplograph.store.database import Store, _fts5_query
from diplograph.store.schema import (
    actor_aliases,
    actor_offices,
    actors,
    event_participants,
    events,
    mentions,
)

QUAD_NAMES = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
ORDERS = ("date_desc", "date_asc", "confidence")
PERIODS = ("month", "quarter", "year")
AUX_VALUES = ("future", "historical", "none")
ACTOR_KINDS = ("person", "state", "organization", "other")


# -- vocabulary and argument checks ------------------------------------------------------------


@cache
def _lexicon() -> Lexicon:
    return Lexicon.load()


def event_types() -> list[str]:
    """The 16 PLOVER event types."""
    return list(_lexicon().types)


def contexts() -> list[str]:
    """The PLOVER contexts the lexicon tags."""
    return list(_lexicon()._contexts)


def modes() -> list[str]:
    """Every PLOVER mode the lexicon knows (``visit``, ``sign``, ``troops``, …)."""
    return sorted({key.partition("/")[2] for key in _lexicon().modes})


def _choice(value: str, valid: Sequence[str], what: str, *, upper: bool = False) -> str:
    wanted = value.strip().upper() if upper else value.strip().lower()
    if wanted not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")
    return wanted


def _types(value: str | Iterable[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [_choice(item, event_types(), "event type", upper=True) for item in items if item]


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DateBound:
    """A date argument: as written (normalised) and the first and last day it covers."""

    value: str
    first: str
    last: str


def parse_date(text_: str) -> DateBound:
    """``2022``, ``2022-06``, ``2022-06-07`` or ``today``; ValueError for anything else."""
    value = text_.strip().lower()
    if value == "today":
        value = _date.today().isoformat()
    match = _DATE.fullmatch(value)
    problem = f"impossible date {text_!r}: expected YYYY, YYYY-MM or YYYY-MM-DD"
    if not match:
        raise ValueError(problem)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        first = _date(year, month or 1, day or 1)
        last_day = day or _calendar.monthrange(year, month or 12)[1]
        last = _date(year, month or 12, last_day)
    except ValueError:
        raise ValueError(problem) from None
    return DateBound(value, first.isoformat(), last.isoformat())


def date_range(date_col: Any, since: str | None, until: str | None) -> list[ColumnElement]:
    """Conditions keeping dates (of any precision) whose period overlaps since..until."""
    conditions: list[ColumnElement] = []
    if since:
        start = parse_date(since).first
        # "2022" and "2022-06" sort before "2022-06-01" but still overlap it
        conditions.append(or_(date_col >= start, date_col.in_([start[:4], start[:7]])))
    if until:
        conditions.append(date_col <= parse_date(until).last)
    return conditions


# -- participants ------------------------------------------------------------------------------


def _matches(alias: Any, party: Party) -> ColumnElement:
    if party.is_code:
        return alias.c.code == party.code
    return alias.c.actor_id.in_(party.actor_ids)


def _involving(party: Party) -> Any:
    """Ids of events with a participant (either role) of ``party``."""
    p = event_participants.alias("p_inv")
    return select(p.c.event_id).where(_matches(p, party))


def _dyad(a: Party, b: Party) -> Any:
    """Ids of events with a participant of ``a`` and another participant of ``b``."""
    if a.is_code and b.is_code and a.code != b.code:
        # no participant row can match both: intersect two covering-index scans
        return _involving(a).intersect(_involving(b))
    p1 = event_participants.alias("p_a")
    p2 = event_participants.alias("p_b")
    other = or_(p2.c.role != p1.c.role, p2.c.position != p1.c.position)
    return (
        select(p1.c.event_id)
        .join(p2, and_(p2.c.event_id == p1.c.event_id, other))
        .where(_matches(p1, a), _matches(p2, b))
    )


def _party(store: Store, value: str | Party | None) -> Party | None:
    if value is None or isinstance(value, Party):
        return value
    return resolve_party(store, value)


def _parties(
    store: Store, a: str | Party | None, b: str | Party | None, id_col: Any = events.c.id
) -> list[ColumnElement]:
    party, partner = _party(store, a), _party(store, b)
    if partner is not None and party is None:
        party, partner = partner, None
    if party is None:
        return []
    ids = _dyad(party, partner) if partner is not None else _involving(party)
    return [id_col.in_(ids)]


# -- full-text search over evidence ------------------------------------------------------------


TEXT_LIST_LIMIT = 100_000  # evidence hits up to which matching events are listed first


def _text_match(store: Store, words: str, id_col: Any = events.c.id) -> ColumnElement:
    """Events with an evidence sentence matching ``words`` (FTS5 or tsvector).

    A rare word's events are listed from the index and looked up; a common word (more than
    ``TEXT_LIST_LIMIT`` hits) is tested event by event instead, so that a walk in date order
    stops as soon as a page is full rather than listing half the store first.
    """
    if store.dialect == "sqlite":
        query = _fts5_query(words)
        hits = "SELECT rowid FROM event_mentions_fts WHERE event_mentions_fts MATCH :fts_q"
        probe = (
            "SELECT 1 FROM event_mentions m WHERE m.event_id = events.id AND EXISTS (SELECT 1"
            " FROM event_mentions_fts WHERE event_mentions_fts MATCH :fts_q"
            " AND event_mentions_fts.rowid = m.rowid)"
        )
        listed = f"SELECT event_id FROM event_mentions WHERE rowid IN ({hits})"
    else:
        query = words
        hits = (
            "SELECT 1 FROM event_mentions WHERE search @@ websearch_to_tsquery('english', :fts_q)"
        )
        probe = (
            "SELECT 1 FROM event_mentions m WHERE m.event_id = events.id"
            " AND m.search @@ websearch_to_tsquery('english', :fts_q)"
        )
        listed = (
            "SELECT event_id FROM event_mentions"
            " WHERE search @@ websearch_to_tsquery('english', :fts_q)"
        )
    with store.engine.connect() as connection:
        count = connection.execute(
            text(f"SELECT count(*) FROM ({hits} LIMIT :cap) AS hits"),
            {"fts_q": query, "cap": TEXT_LIST_LIMIT + 1},
        ).scalar_one()
    if count <= TEXT_LIST_LIMIT:
        sql = text(listed).bindparams(bindparam("fts_q", query))
        return id_col.in_(sql.columns(column("event_id")))
    return text(f"EXISTS ({probe})").bindparams(bindparam("fts_q", query))  # events unaliased


# -- events ------------------------------------------------------------------------------------


@dataclass
class EventPage:
    """One page of matching events (export shape) and how many match in all."""

    total: int  # capped at ``count_limit``: see ``total_exact``
    limit: int
    offset: int
    events: list[dict[str, Any]]
    total_exact: bool = True  # False: at least ``total`` events match (counting stopped there)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """The page as flat rows (CSV, DataFrame)."""
        return [flat_event(record) for record in self.events]


def flat_event(record: dict[str, Any]) -> dict[str, Any]:
    """An export-shape event as one flat row: codes, names, first evidence and its article."""
    first = record["mentions"][0] if record["mentions"] else {}
    article = first.get("article", {})
    location = record.get("location") or {}

    def joined(role: str, key: str) -> str:
        return "; ".join(p.get(key) or "" for p in record[role])

    return {
        "id": record["id"],
        "date": record["date"],
        "type": record["type"],
        "mode": record["mode"],
        "aux": record["aux"],
        "context": "; ".join(record["context"]),
        "quad_class": record["quad_class"],
        "score": record["score"],
        "actor_codes": joined("actor", "code"),
        "actor_names": joined("actor", "name"),
        "recipient_codes": joined("recipient", "code"),
        "recipient_names": joined("recipient", "name"),
        "location": location.get("name"),
        "location_code": location.get("code"),
        "confidence": record["confidence"],
        "evidence": first.get("text"),
        "article_title": article.get("title"),
        "article_published": article.get("published"),
        "article_source": article.get("source"),
        "mentions": len(record["mentions"]),
    }


def event_conditions(store: Store, **filters: Any) -> list[ColumnElement]:
    """The WHERE conditions on ``events`` for the filters of :func:`find_events`."""
    return _conditions(store, by_date=False, **filters)


def _unindexed(col: Any) -> Any:
    """``col || ''``: the same values, but the planner will not pick the column's index."""
    return col.concat("")


def _conditions(
    store: Store,
    *,
    by_date: bool,
    actor: str | Party | None = None,
    partner: str | Party | None = None,
    type: str | Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    context: str | None = None,
    mode: str | None = None,
    aux: str | None = None,
    location: str | None = None,
    min_confidence: float | None = None,
    text: str | None = None,
) -> list[ColumnElement]:
    """Validated, bound conditions, steering the planner (SQLite has no statistics to go by).

    With a party, its event ids (from the participants' covering index) drive the query and
    the type and date indexes are kept out of the plan; ``by_date`` does the opposite, for a
    page of many matches: walk the date index in order and stop when the page is full.
    """
    conditions = _parties(
        store, actor, partner, _unindexed(events.c.id) if by_date else events.c.id
    )
    wrap = _unindexed if conditions and not by_date else (lambda col: col)
    if type:
        conditions.append(wrap(events.c.type).in_(_types(type)))
    conditions += date_range(wrap(events.c.date), since, until)
    if context:
        name = _choice(context, contexts(), "context")
        conditions.append(cast(events.c.context, String).like(f'%"{name}"%'))
    if mode:
        conditions.append(events.c.mode == _choice(mode, modes(), "mode"))
    if aux:
        wanted = _choice(aux, AUX_VALUES, "aux")
        conditions.append(events.c.aux.is_(None) if wanted == "none" else events.c.aux == wanted)
    if location:
        where = location.strip()
        conditions.append(
            or_(
                func.upper(events.c.location["code"].as_string()) == where.upper(),
                func.lower(events.c.location["name"].as_string()) == where.lower(),
            )
        )
    if min_confidence is not None:
        conditions.append(events.c.confidence >= float(min_confidence))
    if text is not None:
        id_col = _unindexed(events.c.id) if by_date else events.c.id
        conditions.append(_text_match(store, text, id_col) if text.strip() else false())
    return conditions


def _order(order: str) -> list[Any]:
    order = _choice(order, ORDERS, "order")
    if order == "date_asc":
        return [events.c.date.asc().nulls_last(), events.c.id]
    if order == "confidence":
        return [
            events.c.confidence.desc().nulls_last(),
            events.c.date.desc().nulls_last(),
            events.c.id,
        ]
    return [events.c.date.desc().nulls_last(), events.c.id]


SCAN_BY_DATE = 2000  # from this many matches on, a page is found faster walking the date index
SIZE_LIMIT = 100_000  # enough to tell the quieter side of a dyad (an index-only count)
COUNT_LIMIT = 1_000  # counting stops here: "1,000+" reads as well as 236,041 and costs less


def find_events(
    store: Store,
    *,
    limit: int = 100,
    offset: int = 0,
    order: str = "date_desc",
    count_limit: int | None = COUNT_LIMIT,
    **filters: Any,
) -> EventPage:
    """Events matching the filters, one page, newest first (``order``: date_desc, date_asc,
    confidence).

    Filters: ``actor``, ``partner`` (CODE_OR_NAME; ``actor`` matches any participant of that
    party, ``partner`` further requires another participant of the partner party: a dyad),
    ``type`` (PLOVER types, any case, comma-separated), ``since``/``until``, ``context``,
    ``mode``, ``aux`` (future, historical, none), ``location`` (name or code),
    ``min_confidence``, ``text`` (full text in the evidence). Raises ``UnknownActor`` or
    ``ValueError`` on bad input. Matches are counted up to ``count_limit`` (None: all), or
    past the page when it reaches further.
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    fast = _by_participants(store, filters) if order == "date_desc" else None
    if fast is not None:
        total, exact, ids = _page_by_participants(store, fast, limit, offset, count_limit)
    else:
        total, exact, ids = _page_by_events(store, filters, order, limit, offset, count_limit)
    by_id = {record["id"]: record for record in iter_events(store, ids)} if ids else {}
    return EventPage(total, limit, offset, [by_id[i] for i in ids if i in by_id], exact)


def _page_by_events(
    store: Store,
    filters: dict[str, Any],
    order: str,
    limit: int,
    offset: int,
    count_limit: int | None,
) -> tuple[int, bool, list[str]]:
    """Any filters: count and page over the events table."""
    conditions = event_conditions(store, **filters)
    ordering = _order(order)
    with store.engine.connect() as connection:
        cap = None if count_limit is None else max(count_limit, offset + limit)
        matching = select(events.c.id).where(*conditions)
        if cap is not None:
            matching = matching.limit(cap + 1)
        count = select(func.count()).select_from(matching.subquery())
        total = connection.execute(count).scalar_one()
        exact = cap is None or total <= cap
        total = total if exact else cap
        page = select(events.c.id).order_by(*ordering).limit(limit).offset(offset)
        if (total >= SCAN_BY_DATE or not exact) and order != "confidence":
            # many matches: walk the date index and stop after the page (no sort of them all)
            page = page.where(*_conditions(store, by_date=True, **filters))
        else:
            page = page.where(*conditions)
        ids = list(connection.execute(page).scalars()) if total > offset else []
    return total, exact, ids


@dataclass(frozen=True)
class _ParticipantQuery:
    """Filters that participant rows answer alone: parties, types, dates (migration 0003)."""

    party: Party
    partner: Party | None
    types: list[str] | None
    since: str | None
    until: str | None


_PARTICIPANT_FILTERS = {"actor", "partner", "type", "since", "until"}


def _by_participants(store: Store, filters: dict[str, Any]) -> _ParticipantQuery | None:
    """The filters as a participant query, when they are all of that kind and name a party."""
    given = {key for key, value in filters.items() if value is not None}
    if not given <= _PARTICIPANT_FILTERS or not given & {"actor", "partner"}:
        return None
    party, partner = _party(store, filters.get("actor")), _party(store, filters.get("partner"))
    if party is None:
        party, partner = partner, None
    assert party is not None
    types = _types(filters["type"]) if filters.get("type") else None
    since, until = filters.get("since"), filters.get("until")
    date_range(events.c.date, since, until)  # validates the dates before any query runs
    if partner is not None and party_size(store, partner) < party_size(store, party):
        party, partner = partner, party  # walk the quieter side's rows, probe the busier one
    return _ParticipantQuery(party, partner, types, since, until)


def party_size(store: Store, party: Party) -> int:
    """How many participant rows the party has, counted up to ``SIZE_LIMIT``."""
    p = event_participants
    with store.engine.connect() as connection:
        rows = select(p.c.event_id).where(_matches(p, party)).limit(SIZE_LIMIT)
        return connection.execute(select(func.count()).select_from(rows.subquery())).scalar_one()


def _participant_select(q: _ParticipantQuery, *columns: str) -> Any:
    """(date, event_id, *columns) of the matching events, from the participants' indexes."""
    p = event_participants.alias("p")
    extra = [p.c[name] for name in columns]
    query = select(p.c.date, p.c.event_id, *extra).where(_matches(p, q.party)).distinct()
    if q.types:
        query = query.where(p.c.type.in_(q.types))
    query = query.where(*date_range(p.c.date, q.since, q.until))
    if q.partner is not None:
        other = event_participants.alias("o")
        query = query.where(
            select(other.c.event_id)
            .where(
                other.c.event_id == p.c.event_id,
                _matches(other, q.partner),
                or_(other.c.role != p.c.role, other.c.position != p.c.position),
            )
            .exists()
        )
    return query


def _page_by_participants(
    store: Store, q: _ParticipantQuery, limit: int, offset: int, count_limit: int | None
) -> tuple[int, bool, list[str]]:
    """Count and page (newest first) without touching the events table."""
    p = _participant_select(q).selected_columns
    newest = p.date.desc() if store.dialect == "sqlite" else p.date.desc().nulls_last()
    # the order of the (…, date DESC, event_id) indexes: walks that stop early, for the count
    # (at the cap) as for the page
    matching = _participant_select(q).order_by(newest, p.event_id)
    cap = None if count_limit is None else max(count_limit, offset + limit)
    with store.engine.connect() as connection:
        counted = matching if cap is None else matching.limit(cap + 1)
        total = connection.execute(
            select(func.count()).select_from(counted.subquery())
        ).scalar_one()
        exact = cap is None or total <= cap
        total = total if exact else cap
        page = matching.limit(limit).offset(offset)
        ids = [row.event_id for row in connection.execute(page)] if total > offset else []
    return total, exact, ids


# -- actors ------------------------------------------------------------------------------------


@dataclass
class ActorSummary:
    """An actor found by name or alias."""

    id: str
    name: str
    kind: str
    code: str | None
    sector: str | None
    mention_count: int
    first_seen: str | None
    last_seen: str | None
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _mention_count() -> Any:
    return (
        select(func.count())
        .select_from(mentions)
        .where(mentions.c.actor_id == actors.c.id)
        .scalar_subquery()
    )


def _aliases(connection: Any, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if ids:
        query = select(actor_aliases.c.actor_id, actor_aliases.c.alias).where(
            actor_aliases.c.actor_id.in_(ids)
        )
        for actor_id, alias in connection.execute(query.order_by(actor_aliases.c.alias)):
            found[actor_id].append(alias)
    return found


def find_actors(
    store: Store, query: str | None = None, kind: str | None = None, limit: int = 50
) -> list[ActorSummary]:
    """Actors whose name or an alias contains ``query`` (any case), most mentioned first."""
    count = _mention_count().label("mentions")
    select_ = select(*(c for c in actors.c if c.name != "mention_count"), count)
    if query and query.strip():
        folded = query.strip().lower()
        alias_ids = select(actor_aliases.c.actor_id).where(
            func.lower(actor_aliases.c.alias).contains(folded, autoescape=True)
        )
        select_ = select_.where(
            or_(
                func.lower(actors.c.name).contains(folded, autoescape=True),
                func.lower(func.coalesce(actors.c.code, "")) == folded,
                actors.c.id.in_(alias_ids),
            )
        )
    if kind:
        select_ = select_.where(actors.c.kind == _choice(kind, ACTOR_KINDS, "actor kind"))
    select_ = select_.order_by(count.desc(), actors.c.name, actors.c.id).limit(limit)
    with store.engine.connect() as connection:
        rows = connection.execute(select_).all()
        aliases = _aliases(connection, [row.id for row in rows])
    return [
        ActorSummary(
            row.id,
            row.name,
            row.kind,
            row.code,
            row.sector,
            row.mentions,
            row.first_seen,
            row.last_seen,
            aliases.get(row.id, []),
        )
        for row in rows
    ]


@dataclass
class ActorDetail:
    """Everything known about one actor: names, offices, activity, partners, recent events."""

    id: str
    name: str
    kind: str
    code: str | None
    sector: str | None
    aliases: list[str]
    offices: list[dict[str, Any]]
    mention_count: int
    event_count: int
    first_seen: str | None
    last_seen: str | None
    first_event: str | None
    last_event: str | None
    top_partners: list[dict[str, Any]]
    recent_events: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _actor_row(store: Store, name_or_id: str) -> tuple[Any, Party]:
    with store.engine.connect() as connection:
        row = connection.execute(select(actors).where(actors.c.id == name_or_id)).first()
        if row is None:
            party = resolve_party(store, name_or_id)
            if party.is_code:
                wanted = select(actors).where(
                    actors.c.code == party.code, actors.c.kind == party.kind
                )
            else:
                wanted = select(actors).where(actors.c.id.in_(party.actor_ids))
            row = connection.execute(
                wanted.order_by(_mention_count().desc(), actors.c.id).limit(1)
            ).first()
            if row is None:
                raise ValueError(f"{party.name} ({party.code}) appears in no stored article")
            return row, party
    if row.kind == "state" and row.code:
        return row, Party(name_or_id, row.name, row.kind, row.code)
    return row, Party(name_or_id, row.name, row.kind, row.code, (row.id,))


def actor_detail(store: Store, name_or_id: str, recent: int = 5, partners: int = 5) -> ActorDetail:
    """An actor by id, code or name; a state stands for everyone acting for it."""
    row, party = _actor_row(store, name_or_id)
    with store.engine.connect() as connection:
        aliases = _aliases(connection, [row.id]).get(row.id, [])
        offices = connection.execute(
            select(actor_offices).where(actor_offices.c.actor_id == row.id)
        ).all()
        mention_count = connection.execute(
            select(func.count()).select_from(mentions).where(mentions.c.actor_id == row.id)
        ).scalar_one()
        p = event_participants
        span = connection.execute(
            select(
                func.count(p.c.event_id.distinct()), func.min(p.c.date), func.max(p.c.date)
            ).where(_matches(p, party))
        ).one()
    return ActorDetail(
        id=row.id,
        name=row.name,
        kind=row.kind,
        code=row.code,
        sector=row.sector,
        aliases=aliases,
        offices=[
            {
                "title": o.title,
                "code": o.code or None,
                "first_seen": o.first_seen,
                "last_seen": o.last_seen,
            }
            for o in sorted(offices, key=lambda o: (o.first_seen or "", o.title))
        ],
        mention_count=mention_count,
        event_count=span[0],
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        first_event=span[1],
        last_event=span[2],
        top_partners=[
            {"code": r.code, "name": r.name, "events": r.events}
            for r in relations(store, party)[:partners]
        ],
        recent_events=find_events(store, actor=party, limit=recent).events,
    )


# -- relations and timelines -------------------------------------------------------------------


def code_name(code: str) -> str:
    """The usual name of a state or organisation code (the code itself when unknown)."""
    gaz = gazetteer()
    if code in gaz.states:
        return gaz.states[code]["names"][0]
    for org in gaz.orgs.values():
        if org.get("code", "").upper() == code and org.get("sector") in {"IGO", "JUD", "NGO"}:
            return org["name"]
    return code


@dataclass
class Relation:
    """One partner of a party: how many events, of which quad classes, their balance."""

    code: str
    name: str
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    mean_score: float | None
    first_contact: str | None
    last_contact: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _quad_sums(quad_class: Any = events.c.quad_class) -> list[Any]:
    return [
        func.sum(case((quad_class == quad, 1), else_=0)).label(name)
        for quad, name in QUAD_NAMES.items()
    ]


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def relations(
    store: Store, code_or_name: str | Party, since: str | None = None, until: str | None = None
) -> list[Relation]:
    """Partners of a state, organisation or person, ranked by how many events they share."""
    party = _party(store, code_or_name)
    assert party is not None
    me = event_participants.alias("me")
    o = event_participants.alias("o")
    # each event once per partner, from participant rows alone (they carry the event's
    # type, date, quad class and score: migrations 0003 and 0004)
    mine = select(me.c.event_id).where(_matches(me, party)).distinct().subquery()
    partner = [o.c.code.is_not(None)]
    if not party.is_code:  # the party's own rows are not partners (NULL actor ids may be)
        partner.append(or_(o.c.actor_id.is_(None), o.c.actor_id.not_in(party.actor_ids)))
    if party.code:
        partner.append(o.c.code != party.code)
    pairs = (
        select(o.c.event_id, o.c.code, o.c.quad_class, o.c.score, o.c.date)
        .join(mine, mine.c.event_id == o.c.event_id)
        .where(*partner, *date_range(o.c.date, since, until))
        .distinct()
        .subquery()
    )
    n = func.count().label("n")
    query = (
        select(
            pairs.c.code,
            n,
            *_quad_sums(pairs.c.quad_class),
            func.avg(pairs.c.score),
            func.min(pairs.c.date),
            func.max(pairs.c.date),
        )
        .group_by(pairs.c.code)
        .order_by(n.desc(), pairs.c.code)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        Relation(
            row[0],
            code_name(row[0]),
            row[1],
            *(int(v or 0) for v in row[2:6]),
            _rounded(row[6]),
            row[7],
            row[8],
        )
        for row in rows
    ]


@dataclass
class TimelinePeriod:
    """A dyad's events in one month, quarter or year."""

    period: str
    events: int
    types: dict[str, int]
    quad_classes: dict[int, int]
    mean_score: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def row(self) -> dict[str, Any]:
        """Flat: one column per type and per quad class (for CSV and DataFrames)."""
        flat: dict[str, Any] = {"period": self.period, "events": self.events}
        flat |= {t: self.types.get(t, 0) for t in event_types()}
        flat |= {name: self.quad_classes.get(q, 0) for q, name in QUAD_NAMES.items()}
        return flat | {"mean_score": self.mean_score}


def _period(date: str, by: str) -> str:
    if by != "quarter" or len(date) < 7:
        return date
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def timeline(
    store: Store,
    a: str | Party | None,
    b: str | Party | None = None,
    by: str = "month",
    since: str | None = None,
    until: str | None = None,
) -> list[TimelinePeriod]:
    """Per period, the dyad's (or one party's, or with ``a`` None every) event counts by type
    and quad class, oldest first.

    Events known only to a coarser precision than ``by`` form their own period ("2022").
    """
    by = _choice(by, PERIODS, "period")
    wanted = _by_participants(store, {"actor": a, "partner": b, "since": since, "until": until})
    if wanted is not None:
        matching = _participant_select(wanted, "type", "quad_class", "score").subquery()
    else:  # no party: every event
        matching = (
            select(events.c.date, events.c.type, events.c.quad_class, events.c.score)
            .where(*date_range(events.c.date, since, until))
            .subquery()
        )
    day = func.substr(matching.c.date, 1, 4 if by == "year" else 7).label("day")
    query = (
        select(
            day, matching.c.type, matching.c.quad_class, func.count(), func.sum(matching.c.score)
        )
        .where(matching.c.date.is_not(None))
        .group_by(day, matching.c.type, matching.c.quad_class)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    periods: dict[str, dict[str, Any]] = {}
    for date, type_, quad, count, score in rows:
        slot = periods.setdefault(
            _period(date, by), {"types": defaultdict(int), "quads": defaultdict(int), "score": 0.0}
        )
        slot["types"][type_] += count
        if quad:
            slot["quads"][quad] += count
        slot["score"] += float(score or 0.0)
    result = []
    for period in sorted(periods):
        slot = periods[period]
        total = sum(slot["types"].values())
        result.append(
            TimelinePeriod(
                period,
                total,
                dict(sorted(slot["types"].items())),
                dict(sorted(slot["quads"].items())),
                _rounded(slot["score"] / total),
            )
        )
    return result


# -- plans -------------------------------------------------------------------------------------


@dataclass
class PlannedEvent:
    """An announced plan (aux future): when it is due, and the event record of the announcement."""

    planned_date: str | None
    event: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"planned_date": self.planned_date, **self.event}


def calendar(
    store: Store,
    since: str | None = None,
    until: str | None = None,
    *,
    actor: str | Party | None = None,
    partner: str | Party | None = None,
    limit: int = 100,
) -> list[PlannedEvent]:
    """Planned visits, summits and meetings, soonest first.

    The plan's date is the one the announcement named (``extra.planned_date``), else the
    announcement's own date.
    """
    planned = func.coalesce(events.c.extra["planned_date"].as_string(), events.c.date)
    conditions = _parties(store, actor, partner) + date_range(planned, since, until)
    query = (
        select(events.c.id, planned.label("planned"))
        .where(events.c.aux == "future", *conditions)
        .order_by(planned.asc().nulls_last(), events.c.id)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    by_id = {record["id"]: record for record in iter_events(store, [r.id for r in rows])}
    return [PlannedEvent(row.planned, by_id[row.id]) for row in rows if row.id in by_id]


# -- search ------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    """A full-text hit: an article or an event (``kind``), with a snippet around the words."""

    kind: str  # "article" | "event"
    id: str
    rank: int
    date: str | None
    title: str | None
    snippet: str
    text: str
    record: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """An article hit: the article record; an event hit: its sentence and ``event``."""
        head = {"kind": self.kind, "rank": self.rank, "snippet": self.snippet}
        if self.kind == "article":
            return head | self.record
        return head | {
            "id": self.id,
            "date": self.date,
            "title": self.title,
            "text": self.text,
            "event": self.record,
        }


def _event_hits(store: Store, words: str, limit: int) -> list[tuple[str, str, str]]:
    """(event id, snippet, sentence) of the best-matching events' evidence, each event once."""
    if store.dialect == "sqlite":
        sql = text(
            "SELECT em.event_id, em.text,"
            " snippet(event_mentions_fts, 0, '[', ']', '…', 16) AS snippet FROM event_mentions_fts"
            " JOIN event_mentions em ON em.rowid = event_mentions_fts.rowid"
            " WHERE event_mentions_fts MATCH :q ORDER BY bm25(event_mentions_fts), em.event_id"
            " LIMIT :n"
        )
        params: dict[str, Any] = {"q": _fts5_query(words), "n": limit * 4}
    else:
        sql = text(
            "SELECT em.event_id, em.text, ts_headline('english', em.text, q,"
            " 'StartSel=[,StopSel=],MaxWords=24') AS snippet"
            " FROM event_mentions em, websearch_to_tsquery('english', :q) q"
            " WHERE em.search @@ q ORDER BY ts_rank(em.search, q) DESC, em.event_id LIMIT :n"
        )
        params = {"q": words, "n": limit * 4}
    with store.engine.connect() as connection:
        rows = connection.execute(sql, params).all()
    best: dict[str, tuple[str, str, str]] = {}
    for event_id, sentence, snippet in rows:
        best.setdefault(event_id, (event_id, snippet, sentence))
    return list(best.values())[:limit]


def search(store: Store, text_: str, limit: int = 20) -> list[SearchHit]:
    """Ranked full-text hits over articles and event evidence, interleaved best first."""
    if not text_.strip():
        return []
    articles = [
        SearchHit(
            "article",
            a["id"],
            n,
            a["published"],
            a["title"],
            a["snippet"],
            a["text"],
            {k: v for k, v in a.items() if k not in {"paragraphs", "snippet"}},
        )
        for n, a in enumerate(store.search_articles(text_, limit), 1)
    ]
    found = _event_hits(store, text_, limit)
    records = {r["id"]: r for r in iter_events(store, [hit[0] for hit in found])} if found else {}
    event_hits = []
    for n, (event_id, snippet, sentence) in enumerate(found, 1):
        record = records[event_id]
        title = next(
            (m["article"].get("title") for m in record["mentions"] if m["text"] == sentence), None
        )
        event_hits.append(
            SearchHit("event", event_id, n, record["date"], title, snippet, sentence, record)
        )
    merged = [hit for pair in zip_longest(articles, event_hits) for hit in pair if hit]
    return merged[:limit]

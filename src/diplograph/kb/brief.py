"""A bilateral relations brief: what a desk officer needs to know about two parties.

:func:`build_brief` gathers the dyad's events (at least one participant on each side) and the
facts about the pair, sorts them into the sections of a brief — relations, meetings, agreements,
statements, trade and investment, key people, plans — and numbers every article it cites, so
each line of the Markdown, HTML or JSON rendering points back to its evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from diplograph.extract.lexicon import Lexicon
from diplograph.kb.query import parse_date
from diplograph.kb.records import iter_events, iter_facts
from diplograph.kb.resolve import Party, resolve_party
from diplograph.store.database import Store
from diplograph.store.schema import (
    actor_offices,
    actors,
    event_participants,
    events,
    facts,
)

_CHUNK = 500
_FACT_KINDS = ("relations_established", "partnership", "trade", "investment")

# how a line reads for each PLOVER type: with a recipient, and when the parties act together
_VERBS = {
    "AGREE": ("agreed with", "agreed"),
    "AGREE/sign": ("signed an agreement with", "signed an agreement"),
    "CONSULT": ("met", "met"),
    "SUPPORT": ("expressed support for", "expressed mutual support"),
    "CONCEDE": ("made a concession to", "made concessions"),
    "COOPERATE": ("cooperated with", "cooperated"),
    "AID": ("provided aid to", "provided aid"),
    "RETREAT": ("stepped back towards", "stepped back"),
    "REQUEST": ("made a request of", "made requests"),
    "ACCUSE": ("criticised or accused", "traded accusations"),
    "REJECT": ("rejected", "rejected each other's proposals"),
    "THREATEN": ("threatened", "exchanged threats"),
    "PROTEST": ("protested against", "protested"),
    "SANCTION": ("imposed sanctions on", "imposed sanctions"),
    "MOBILIZE": ("mobilised against", "mobilised"),
    "COERCE": ("coerced", "used coercion"),
    "ASSAULT": ("used force against", "fought"),
}


class BriefError(ValueError):
    """The request cannot make a brief: an impossible date, or the same party twice."""


# -- the brief's parts ----------------------------------------------------------------------------


@dataclass
class Source:
    """One cited article; ``n`` is its number in the brief's source list."""

    n: int
    id: str
    title: str | None
    published: str | None
    source: str | None
    path: str | None


@dataclass
class Evidence:
    """A sentence the line was read from, and the number of its article."""

    text: str
    source: int


@dataclass
class Side:
    """One party as the brief names it."""

    query: str
    name: str
    code: str | None
    kind: str


@dataclass
class Item:
    """One line of an event section: a meeting, an agreement, a statement, a plan."""

    date: str | None
    type: str
    summary: str
    mode: str | None = None
    place: str | None = None
    people_a: list[str] = field(default_factory=list)
    people_b: list[str] = field(default_factory=list)
    visitor: str | None = None  # "a" | "b" when one side travelled to the other
    planned_date: str | None = None
    aux: str | None = None
    event_ids: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> list[int]:
        return sorted({e.source for e in self.evidence})


@dataclass
class FactItem:
    """A fact about the pair: relations established, partnership level, a figure."""

    kind: str
    summary: str
    date: str | None = None
    period: str | None = None
    value: Any = None
    unit: str | None = None
    fact_ids: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> list[int]:
        return sorted({e.source for e in self.evidence})


@dataclass
class Person:
    """Someone who acted for one side in the dyad's events, with offices over time."""

    id: str
    name: str
    side: str  # "a" | "b"
    code: str | None
    events: int
    first_seen: str | None
    last_seen: str | None
    offices: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Brief:
    """A bilateral relations brief, ready to render as Markdown, HTML or JSON."""

    a: Side
    b: Side
    since: str | None
    until: str | None
    first_date: str | None
    last_date: str | None
    event_count: int
    relations: list[FactItem] = field(default_factory=list)
    partnership: list[FactItem] = field(default_factory=list)
    meetings: list[Item] = field(default_factory=list)
    agreements: list[Item] = field(default_factory=list)
    support: list[Item] = field(default_factory=list)
    requests: list[Item] = field(default_factory=list)
    criticism: list[Item] = field(default_factory=list)
    economy: list[FactItem] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    planned: list[Item] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # section -> events not listed

    @property
    def article_count(self) -> int:
        return len(self.sources)

    @property
    def empty(self) -> bool:
        """True when the store holds nothing at all between the two parties."""
        return not self.event_count and not (self.relations or self.partnership or self.economy)

    @property
    def dyad(self) -> str:
        return f"{_side_label(self.a)} – {_side_label(self.b)}"

    @property
    def title(self) -> str:
        return f"{self.dyad}: bilateral relations brief"

    @property
    def period(self) -> str:
        start = self.since or self.first_date or "…"
        end = self.until or self.last_date or "…"
        return f"{start} to {end}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: every section, with evidence and source numbers."""
        data = asdict(self)
        data["title"] = self.title
        data["period"] = self.period
        data["article_count"] = self.article_count
        return data

    def to_markdown(self) -> str:
        from diplograph.kb.brief_render import markdown

        return markdown(self)

    def to_html(self) -> str:
        from diplograph.kb.brief_render import html_page

        return html_page(self)


# -- building -------------------------------------------------------------------------------------


PER_SECTION = 25  # newest lines listed per section; the rest are counted in ``Brief.more``


def build_brief(
    store: Store,
    a: str,
    b: str,
    since: str | None = None,
    until: str | None = None,
    per_section: int | None = PER_SECTION,
) -> Brief:
    """The brief on ``a`` and ``b`` (codes or names), for events dated ``since``..``until``.

    Each event section lists its ``per_section`` newest lines (None: all); only their events
    are read in full, so a brief on a busy pair stays quick. Raises
    :class:`~diplograph.kb.resolve.UnknownActor` for a name nobody answers to and
    :class:`BriefError` for an impossible date or the same party on both sides.
    """
    low, high = _bound(since, "since", end=False), _bound(until, "until", end=True)
    if low and high and low > high:
        raise BriefError(f"--since {since} is after --until {until}")
    party_a, party_b = resolve_party(store, a), resolve_party(store, b)
    if _same(party_a, party_b):
        raise BriefError(f"{a!r} and {b!r} are the same party; a brief needs two")
    rows = _dyad_events(store, party_a, party_b, low, high)
    parts = _participants(store, [row["id"] for row in rows])
    rows = [row for row in rows if _is_dyad(parts.get(row["id"], []), party_a, party_b)]
    by_section = _sort_events(rows)
    wanted = [
        row["id"]
        for name, section in by_section.items()
        for row in _newest(section, name, per_section)
    ]
    records = list(_events(store, sorted(wanted)))
    extras = _planned_dates(store, [r["id"] for r in records if r["aux"] == "future"])
    dates = sorted(row["date"] for row in rows if row["date"])
    brief = Brief(
        a=_side(party_a),
        b=_side(party_b),
        since=since,
        until=until,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        event_count=len(rows),
    )
    cite = _Citations(brief.sources)
    fact_items = _fact_items(store, party_a, party_b, cite)
    brief.relations = fact_items["relations_established"]
    brief.partnership = fact_items["partnership"]
    sections = _sort_events(records)
    brief.meetings = _cap(_meetings(sections["meetings"], party_a, party_b, cite), per_section)
    for name in ("agreements", "support", "requests", "criticism"):
        setattr(brief, name, _cap(_items(sections[name], party_a, party_b, cite), per_section))
    brief.economy = fact_items["trade"] + fact_items["investment"]
    brief.people = _people(store, parts, party_a, party_b)
    planned = _planned(sections["planned"], extras, party_a, party_b, cite)
    brief.planned = _cap(planned, per_section)
    for name, section in by_section.items():
        listed = sum(len(item.event_ids) for item in getattr(brief, name))
        if len(section) > listed:
            brief.more[name] = len(section) - listed
    cite.renumber(brief)
    return brief


def _newest(rows: list[dict[str, Any]], section: str, limit: int | None) -> list[dict[str, Any]]:
    """The rows whose events may be listed: the newest (planned: soonest) few, with room for
    events that merge into one line."""
    if limit is None:
        return rows
    ordered = sorted(rows, key=lambda r: (r["date"] or "", r["id"]), reverse=section != "planned")
    return ordered[: limit * 4]


def _cap(items: list[Item], limit: int | None) -> list[Item]:
    return items if limit is None else items[:limit]


def _bound(text: str | None, name: str, *, end: bool) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a comparable string; the last day when ``end``."""
    if text is None or not text.strip():
        return None
    try:
        bound = parse_date(text)
    except ValueError:
        raise BriefError(
            f"--{name} {text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None
    return bound.last if end else bound.value


def _same(one: Party, other: Party) -> bool:
    if one.is_code and other.is_code:
        return one.code == other.code
    return bool(set(one.actor_ids) & set(other.actor_ids))


def _side(party: Party) -> Side:
    return Side(party.query, party.name, party.code, party.kind)


def _side_label(side: Side) -> str:
    return f"{side.name} ({side.code})" if side.code and side.code != side.name else side.name


def _matches(party: Party):
    if party.is_code:
        return event_participants.c.code == party.code
    return event_participants.c.actor_id.in_(party.actor_ids)


def _dyad_events(
    store: Store, a: Party, b: Party, low: str | None, high: str | None
) -> list[dict[str, Any]]:
    """Events with a participant on each side, dated within the bounds: the columns that
    place them in a section (type, quad class, aux, date)."""
    side_a = select(event_participants.c.event_id).where(_matches(a))
    side_b = select(event_participants.c.event_id).where(_matches(b))
    query = select(
        events.c.id, events.c.type, events.c.quad_class, events.c.aux, events.c.date
    ).where(events.c.id.in_(side_a), events.c.id.in_(side_b))
    if low:
        query = query.where(events.c.date >= low)
    if high:
        query = query.where(events.c.date <= high)
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query.order_by(events.c.id))]


def _participants(store: Store, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each event's participants (``entity_id``, ``name``, ``code``), read in chunks."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    p = event_participants
    with store.engine.connect() as connection:
        for start in range(0, len(ids), _CHUNK):
            query = select(p.c.event_id, p.c.actor_id, p.c.name, p.c.code).where(
                p.c.event_id.in_(ids[start : start + _CHUNK])
            )
            for row in connection.execute(query):
                found[row.event_id].append(
                    {"entity_id": row.actor_id, "name": row.name, "code": row.code}
                )
    return found


def _events(store: Store, ids: list[str]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield from iter_events(store, ids[start : start + _CHUNK])


def _on(participant: dict[str, Any], party: Party) -> bool:
    if party.is_code:
        return participant.get("code") == party.code
    return participant.get("entity_id") in party.actor_ids


def _key(participant: dict[str, Any]) -> str:
    return participant.get("entity_id") or f"name:{participant['name']}"


def _is_dyad(everyone: list[dict[str, Any]], a: Party, b: Party) -> bool:
    """At least one participant on each side, and not the same one for both."""
    on_a = {_key(p) for p in everyone if _on(p, a)}
    on_b = {_key(p) for p in everyone if _on(p, b)}
    return bool(on_a and on_b) and len(on_a | on_b) > 1


def _planned_dates(store: Store, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    with store.engine.connect() as connection:
        for start in range(0, len(ids), _CHUNK):
            query = select(events.c.id, events.c.extra).where(
                events.c.id.in_(ids[start : start + _CHUNK])
            )
            for row in connection.execute(query):
                planned = (row.extra or {}).get("planned_date")
                if planned:
                    found[row.id] = planned
    return found


class _Citations:
    """Numbers articles in the order the brief first cites them."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.numbers: dict[str, int] = {}

    def evidence(self, mentions: Iterable[dict[str, Any]]) -> list[Evidence]:
        found: list[Evidence] = []
        seen: set[tuple[int, str]] = set()
        for mention in mentions:
            number = self.number(mention["article"])
            text = " ".join((mention.get("text") or "").split())
            if (number, text) not in seen:
                seen.add((number, text))
                found.append(Evidence(text, number))
        return found

    def number(self, article: dict[str, Any]) -> int:
        ident = article["id"]
        if ident not in self.numbers:
            self.numbers[ident] = len(self.sources) + 1
            self.sources.append(
                Source(
                    self.numbers[ident],
                    ident,
                    article.get("title"),
                    article.get("published"),
                    article.get("source"),
                    article.get("path"),
                )
            )
        return self.numbers[ident]

    @staticmethod
    def renumber(brief: Brief) -> None:
        """Keep only the articles the listed lines cite, numbered in reading order."""
        by_number = {source.n: source for source in brief.sources}
        new: dict[int, int] = {}
        kept: list[Source] = []
        lines = brief.relations + brief.partnership + brief.meetings + brief.agreements
        lines += brief.support + brief.requests + brief.criticism + brief.economy + brief.planned
        for line in lines:
            for evidence in line.evidence:
                if evidence.source not in new:
                    new[evidence.source] = len(kept) + 1
                    kept.append(by_number[evidence.source])
                evidence.source = new[evidence.source]
        for source in kept:
            source.n = new[source.n]
        brief.sources[:] = kept


# -- events into sections -------------------------------------------------------------------------


def _sort_events(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each event into one section, by PLOVER type and quad class (data/plover.json)."""
    lexicon = Lexicon.load()
    sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        type_ = record["type"]
        quad = lexicon.types.get(type_, {}).get("quad", record["quad_class"])
        if record["aux"] == "future":
            sections["planned"].append(record)
        elif type_ == "CONSULT":
            sections["meetings"].append(record)
        elif type_ == "SUPPORT":
            sections["support"].append(record)
        elif type_ == "REQUEST":
            sections["requests"].append(record)
        elif quad in (1, 2):
            sections["agreements"].append(record)
        else:
            sections["criticism"].append(record)
    return sections


def _groups(records: list[dict[str, Any]], by_day: bool) -> list[list[dict[str, Any]]]:
    """Events that are one occasion: they share a sentence, or (``by_day``) a day and place."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i, record in enumerate(records):
        keys: list[tuple] = [
            ("sentence", record["type"], m["article"]["id"], m["start"]) for m in record["mentions"]
        ]
        if by_day and record["date_precision"] == "day":
            place = record["location"] or {}
            keys.append(("day", record["date"], place.get("name") or place.get("code")))
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, record in enumerate(records):
        grouped[find(i)].append(record)
    return list(grouped.values())


def _newest_first(items: list[Item]) -> list[Item]:
    return sorted(
        items, key=lambda item: (item.date or "", item.summary, item.event_ids), reverse=True
    )


def _people_on(group: list[dict[str, Any]], party: Party) -> list[str]:
    """Who acted for ``party``: people with their offices, else the state or body itself."""
    offices: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    for record in group:
        for p in record["actor"] + record["recipient"]:
            if _on(p, party):
                key = _key(p)
                names.setdefault(key, p["name"])
                offices[key][p.get("office")] += 1
    people = [k for k in names if k.startswith("person:")] or list(names)
    labels = []
    for key in people:
        office = next((o for o, _ in offices[key].most_common() if o), None)
        labels.append(f"{names[key]} ({office})" if office else names[key])
    return labels


def _place(group: list[dict[str, Any]]) -> str | None:
    for record in group:
        place = record["location"] or {}
        if place.get("name"):
            code = place.get("code")
            return f"{place['name']} ({code})" if code and code != place["name"] else place["name"]
    return None


def _date(group: list[dict[str, Any]]) -> str | None:
    """The most precise date of the occasion."""
    dates = [r["date"] for r in group if r["date"]]
    return max(dates, key=lambda d: (len(d), d)) if dates else None


def _names(participants: list[dict[str, Any]]) -> str:
    labels = []
    for p in participants:
        label = f"{p['name']} ({p['office']})" if p.get("office") else p["name"]
        if label not in labels:
            labels.append(label)
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)


def _summary(record: dict[str, Any]) -> str:
    """One plain sentence for an event: who did what to whom."""
    type_, mode = record["type"], record["mode"]
    with_recipient, mutual = _VERBS.get(f"{type_}/{mode}") or _VERBS.get(
        type_, (type_.lower(), type_.lower())
    )
    actor, recipient = record["actor"], record["recipient"]
    if recipient:
        return f"{_names(actor)} {with_recipient} {_names(recipient)}"
    return f"{_names(actor)} {mutual}"


def _best(group: list[dict[str, Any]]) -> dict[str, Any]:
    """The event that reads best: most people named, then most confident."""

    def weight(record: dict[str, Any]) -> tuple:
        people = sum(
            1 for p in record["actor"] + record["recipient"] if _key(p).startswith("person:")
        )
        return (people, record["confidence"] or 0.0, len(record["mentions"]))

    return max(group, key=weight)


def _mentions(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(
        (m for r in group for m in r["mentions"]),
        key=lambda m: (m["article"].get("published") or "", m["article"]["id"], m["start"]),
        reverse=True,
    )
    unique: dict[tuple[str, int], dict[str, Any]] = {}
    for mention in ordered:
        unique.setdefault((mention["article"]["id"], mention["start"]), mention)
    return list(unique.values())


def _meetings(records: list[dict[str, Any]], a: Party, b: Party, cite: _Citations) -> list[Item]:
    items = []
    for group in _groups(records, by_day=True):
        modes = [r["mode"] for r in group if r["mode"]]
        mode = next((m for m in ("visit", "host", "phone", "multilateral") if m in modes), None)
        mode = mode or (modes[0] if modes else None)
        visitors = {
            side
            for record in group
            if record["mode"] == "visit"
            for side, party in (("a", a), ("b", b))
            if any(_on(p, party) for p in record["actor"])
        }
        visitor = visitors.pop() if len(visitors) == 1 else None
        summary = {
            "visit": "Visit",
            "host": "Visit",
            "phone": "Phone call",
            "multilateral": "Meeting at a multilateral event",
        }.get(mode or "", "Meeting")
        if visitor:
            guest, host = (a, b) if visitor == "a" else (b, a)
            summary = f"Visit to {host.name} by {', '.join(_people_on(group, guest))}"
        items.append(
            Item(
                date=_date(group),
                type="CONSULT",
                summary=summary,
                mode=mode,
                place=_place(group),
                people_a=_people_on(group, a),
                people_b=_people_on(group, b),
                visitor=visitor,
                aux=next((r["aux"] for r in group if r["aux"]), None),
                event_ids=sorted(r["id"] for r in group),
                evidence=cite.evidence(_mentions(group)),
            )
        )
    return _newest_first(items)


def _items(records: list[dict[str, Any]], a: Party, b: Party, cite: _Citations) -> list[Item]:
    items = []
    for group in _groups(records, by_day=False):
        best = _best(group)
        items.append(
            Item(
                date=_date(group),
                type=best["type"],
                summary=_summary(best),
                mode=best["mode"],
                place=_place(group),
                people_a=_people_on(group, a),
                people_b=_people_on(group, b),
                aux=next((r["aux"] for r in group if r["aux"]), None),
                event_ids=sorted(r["id"] for r in group),
                evidence=cite.evidence(_mentions(group)),
            )
        )
    return _newest_first(items)


def _planned(
    records: list[dict[str, Any]],
    planned: dict[str, str],
    a: Party,
    b: Party,
    cite: _Citations,
) -> list[Item]:
    items = _items(records, a, b, cite)
    for item in items:
        dates = sorted({planned[i] for i in item.event_ids if i in planned}, key=len)
        item.planned_date = dates[-1] if dates else None
    return sorted(items, key=lambda item: (item.planned_date or item.date or "", item.summary))


# -- facts ----------------------------------------------------------------------------------------


def _fact_ids(store: Store, pair: list[str]) -> list[str]:
    """Ids of the relations, partnership, trade and investment facts about exactly ``pair``."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(facts.c.id, facts.c.parties).where(facts.c.kind.in_(_FACT_KINDS))
        )
        return [row.id for row in rows if sorted(row.parties or []) == pair]


def _fact_items(store: Store, a: Party, b: Party, cite: _Citations) -> dict[str, list[FactItem]]:
    found: dict[str, list[FactItem]] = {kind: [] for kind in _FACT_KINDS}
    if not (a.code and b.code) or a.code == b.code:
        return found
    ids = _fact_ids(store, sorted([a.code, b.code]))
    merged: dict[tuple, FactItem] = {}
    for record in iter_facts(store, ids) if ids else ():
        key = (
            record["kind"],
            str(record.get("value")),
            record.get("unit"),
            record.get("period"),
            record.get("date"),
        )
        item = merged.get(key)
        if item is None:
            item = merged[key] = FactItem(
                kind=record["kind"],
                summary=_fact_summary(record, a, b),
                date=record.get("date"),
                period=record.get("period"),
                value=record.get("value"),
                unit=record.get("unit"),
            )
            found[record["kind"]].append(item)
        item.fact_ids.append(record["id"])
        item.evidence.extend(cite.evidence(record["mentions"]))
    found["relations_established"].sort(key=lambda f: (-len(f.date or ""), f.date or ""))
    for kind in ("partnership", "trade", "investment"):
        found[kind].sort(key=lambda f: (f.period or f.date or "", f.summary), reverse=True)
    return found


def _money(value: Any, unit: str | None) -> str:
    if not isinstance(value, int | float):
        return f"{value} {unit or ''}".strip()
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{unit or ''} {value / size:,.2f}".strip().rstrip("0").rstrip(".") + f" {word}"
    return f"{unit or ''} {value:,.0f}".strip()


def _fact_summary(record: dict[str, Any], a: Party, b: Party) -> str:
    kind = record["kind"]
    if kind == "relations_established":
        text = f"Diplomatic relations established {record.get('date') or '(date not given)'}"
        if record.get("anniversary"):
            text += f" (from a {record['anniversary']}th anniversary)"
        return text
    if kind == "partnership":
        when = f" (as of {record['date']})" if record.get("date") else ""
        return f"Partnership level: {record.get('value')}{when}"
    qualifiers = " ".join(record.get("qualifiers") or [])
    amount = f"{qualifiers} {_money(record.get('value'), record.get('unit'))}".strip()
    period = record.get("period") or "period not given"
    if kind == "trade":
        text = f"Trade turnover: {amount} ({period})"
    else:
        names = {a.code: a.name, b.code: b.name}
        investor, host = record.get("investor"), record.get("host")
        flow = (
            f" from {names.get(investor, investor)} in {names.get(host, host)}" if investor else ""
        )
        text = f"Investment{flow}: {amount} ({period})"
    if record.get("change_pct") is not None:
        text += f", change {record['change_pct']:+g}%"
    return text


# -- people ---------------------------------------------------------------------------------------


def _offices(rows: list[Any]) -> list[dict[str, Any]]:
    """Offices over time, one per title: the stored rows merged across codes."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        office = merged.setdefault(
            row.title, {"title": row.title, "code": None, "first_seen": None, "last_seen": None}
        )
        office["code"] = office["code"] or row.code or None
        seen = [d for d in (office["first_seen"], row.first_seen) if d]
        office["first_seen"] = min(seen) if seen else None
        seen = [d for d in (office["last_seen"], row.last_seen, row.first_seen) if d]
        office["last_seen"] = max(seen) if seen else None
    return sorted(merged.values(), key=lambda o: (o["first_seen"] or "", o["title"]))


def _people(
    store: Store, parts: dict[str, list[dict[str, Any]]], a: Party, b: Party
) -> list[Person]:
    """People who acted for either side in the dyad's events, busiest first."""
    counts: dict[tuple[str, str], int] = Counter()
    for everyone in parts.values():
        seen = set()
        for p in everyone:
            key = p.get("entity_id")
            if not key or not key.startswith("person:"):
                continue
            for side, party in (("a", a), ("b", b)):
                if _on(p, party) and (side, key) not in seen:
                    seen.add((side, key))
                    counts[(side, key)] += 1
    ids = sorted({key for _, key in counts})
    rows: dict[str, Any] = {}
    offices: dict[str, list[Any]] = defaultdict(list)
    with store.engine.connect() as connection:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in connection.execute(select(actors).where(actors.c.id.in_(chunk))):
                rows[row.id] = row
            query = select(actor_offices).where(actor_offices.c.actor_id.in_(chunk))
            for row in connection.execute(query):
                offices[row.actor_id].append(row)
    people = []
    for (side, key), count in counts.items():
        row = rows.get(key)
        if row is None or row.kind != "person":
            continue
        people.append(
            Person(
                id=key,
                name=row.name,
                side=side,
                code=row.code,
                events=count,
                first_seen=row.first_seen,
                last_seen=row.last_seen,
                offices=_offices(offices[key]),
            )
        )
    return sorted(people, key=lambda p: (p.side, -p.events, p.name))


__all__ = [
    "Brief",
    "BriefError",
    "Evidence",
    "FactItem",
    "Item",
    "Person",
    "Side",
    "Source",
    "build_brief",
]

"""The actor–relation graph: parties as nodes, weighted and typed relations as edges.

Built for analysts who open it in Gephi (GEXF) or any GraphML reader. Everything is
aggregated in SQL (GROUP BY over ``event_participants`` joined to ``events``), so the memory
used grows with the number of parties and dyads, never with the number of events.

Levels:

* ``state`` (default): a node per participant code, a state (ISO 3166-1 alpha-3) or an
  organisation's acronym. People are folded into the state or organisation they act for;
  the node attribute ``people`` names the most active of them.
* ``actor``: a node per entity (``entity_id`` of the export: a person, a state's government,
  an organisation).

Edges are directed, actor → recipient, one per ordered pair of parties. Events whose parties
all act together with no recipient (a meeting with no host, a joint statement, a summit) give
one edge per unordered pair, drawn from the alphabetically first node id to the second; they
are counted in ``joint`` (and in ``weight``), directed events in ``directed``. A party is never
linked to itself. Every attribute is a GraphML/GEXF scalar (int, float or string: lists are
joined with ``; ``); an attribute with no value (``mean_score`` when no event has a score,
``first_date``/``last_date`` when none is dated) is left out rather than written empty.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

import networkx as nx
from sqlalchemy import ColumnElement, select

from diplograph.kb.query import date_range, event_types
from diplograph.nlp.pipeline import gazetteer
from diplograph.store.database import Store
from diplograph.store.schema import actors, event_participants, events

LEVELS = ("state", "actor")
FORMATS = ("graphml", "gexf")
QUADS = (1, 2, 3, 4)
PEOPLE_PER_NODE = 5
_CHUNK = 500
_ORG_ROOTS = {"IGO", "NGO", "JUD"}


def date_conditions(since: str | None, until: str | None) -> list[ColumnElement]:
    """Events whose date (of any precision) overlaps ``since..until`` (YYYY[-MM[-DD]])."""
    return date_range(events.c.date, since, until)


@dataclass
class _Tally:
    """What one pass over the participants gathers: events per party, people per state,
    and per (src, dst, type, joint) the counts, quad classes, scores and dates."""

    nodes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    people: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    edges: dict[tuple[str, str], dict[str, Any]] = field(
        default_factory=lambda: defaultdict(_new_edge)
    )


def _participant_rows(connection: Any, dates: list[ColumnElement]) -> Iterable[Any]:
    """Every participant with its event's type, date, quad class and score, event by event."""
    p = event_participants
    query = (
        select(
            p.c.event_id, p.c.role, p.c.code, p.c.actor_id,
            events.c.type, events.c.date, events.c.quad_class, events.c.score,
        )
        .join(events, events.c.id == p.c.event_id)
        .where(*dates)
        .order_by(p.c.event_id)
    )  # fmt: skip
    return connection.execution_options(yield_per=5000).execute(query)


def _tally(rows: Iterable[Any], level: str) -> _Tally:
    tally = _Tally()
    key_at = 2 if level == "state" else 3  # the code, or the actor id
    for _event_id, group in groupby(rows, key=itemgetter(0)):
        _add_event(tally, list(group), key_at, level == "state")
    return tally


def _add_event(tally: _Tally, rows: list[tuple], key_at: int, people: bool) -> None:
    """One event's rows: (event_id, role, code, actor_id, type, date, quad_class, score)."""
    senders, receivers, keys = set(), set(), set()
    has_recipient = False
    for row in rows:
        key = row[key_at]
        if row[1] == "recipient":
            has_recipient = True
            if key is not None:
                receivers.add(key)
        elif key is not None:
            senders.add(key)
        if key is not None:
            keys.add(key)
    for key in keys:
        tally.nodes[key] += 1
    if people:
        for code, actor_id in {(r[2], r[3]) for r in rows if r[2] and r[3]}:
            if actor_id.startswith("person:"):
                tally.people[code][actor_id] += 1
    if has_recipient:
        pairs = {(a, b, 0) for a in senders for b in receivers if a != b}
    else:  # all parties act together: one undirected pair each, ordered in Python
        pairs = {(min(a, b), max(a, b), 1) for a in senders for b in senders if a != b}
    if not pairs:
        return
    _, _, _, _, type_, date, quad, score = rows[0]
    for src, dst, joint in pairs:
        edge = tally.edges[(src, dst)]
        edge["weight"] += 1
        edge["joint"] += joint
        edge["types"][type_] += 1
        if quad in edge["quads"]:
            edge["quads"][quad] += 1
        if score is not None:
            edge["score_sum"] += float(score)
            edge["score_n"] += 1
        if date is not None:
            if edge["first"] is None or date < edge["first"]:
                edge["first"] = date
            if edge["last"] is None or date > edge["last"]:
                edge["last"] = date


def _people(connection: Any, tally: _Tally, codes: set[str]) -> dict[str, str]:
    """The most active people of each code: ``"Name (n); Name (n)"`` (names as stored)."""
    wanted = sorted({key for code in codes & set(tally.people) for key in tally.people[code]})
    people = {
        key: attrs["label"]
        for key, attrs in _actor_attrs(connection, wanted).items()
        if attrs["kind"] == "person"
    }
    found = {}
    for code in codes & set(tally.people):
        counts = tally.people[code].items()
        ranked = sorted(((n, people[key]) for key, n in counts if key in people), key=_by_count)
        if ranked:
            found[code] = "; ".join(f"{name} ({n})" for n, name in ranked[:PEOPLE_PER_NODE])
    return found


def _by_count(item: tuple[int, str]) -> tuple[int, str]:
    return (-item[0], item[1])


def _code_attrs(code: str) -> dict[str, str]:
    """Label, kind and sector of a state or organisation code, from the gazetteer."""
    gaz = gazetteer()
    if code in gaz.states:
        return {"label": gaz.states[code]["name"], "kind": "state", "sector": "GOV"}
    orgs = [o for o in gaz.orgs.values() if o.get("code", "").upper() == code]
    orgs.sort(key=lambda o: (bool(o.get("generic")), o.get("sector") not in _ORG_ROOTS))
    if orgs:
        return {"label": orgs[0]["name"], "kind": "organization", "sector": orgs[0]["sector"]}
    return {"label": code, "kind": "other", "sector": ""}


def _actor_attrs(connection: Any, ids: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(actors.c.id, actors.c.name, actors.c.kind, actors.c.code, actors.c.sector)
        for row in connection.execute(query.where(actors.c.id.in_(chunk))):
            found[row.id] = {
                "label": row.name,
                "kind": row.kind,
                "code": row.code or "",
                "sector": row.sector or "",
            }
    return found


def _node_attrs(
    connection: Any, level: str, tally: _Tally, counts: dict[str, int]
) -> dict[str, dict[str, Any]]:
    if level == "state":
        people = _people(connection, tally, set(counts))
        return {
            code: {"code": code, **_code_attrs(code), "people": people.get(code, "")}
            for code in counts
        }
    known = _actor_attrs(connection, sorted(counts))
    unknown = {"label": "", "kind": "other", "code": "", "sector": ""}
    return {key: {**known.get(key, unknown | {"label": key})} for key in counts}


def _new_edge() -> dict[str, Any]:
    return {
        "weight": 0,
        "joint": 0,
        "types": defaultdict(int),
        "quads": dict.fromkeys(QUADS, 0),
        "score_sum": 0.0,
        "score_n": 0,
        "first": None,
        "last": None,
    }


def _edge_attrs(edge: dict[str, Any], types: list[str]) -> dict[str, Any]:
    quads = edge["quads"]
    cooperation, conflict = quads[1] + quads[2], quads[3] + quads[4]
    classified = cooperation + conflict
    ranked = sorted(edge["types"].items(), key=lambda kv: (-kv[1], kv[0]))
    attrs: dict[str, Any] = {
        "weight": edge["weight"],
        "directed": edge["weight"] - edge["joint"],
        "joint": edge["joint"],
        "types": "; ".join(f"{name} {count}" for name, count in ranked),
        **{name: int(edge["types"].get(name, 0)) for name in types},
        **{f"q{q}": quads[q] for q in QUADS},
        "cooperation": cooperation,
        "conflict": conflict,
        "balance": round((cooperation - conflict) / classified, 4) if classified else 0.0,
    }
    if edge["score_n"]:
        attrs["mean_score"] = round(edge["score_sum"] / edge["score_n"], 4)
    if edge["first"] is not None:
        attrs["first_date"] = edge["first"]
        attrs["last_date"] = edge["last"]
    return attrs


def build_graph(
    store: Store,
    level: str = "state",
    since: str | None = None,
    until: str | None = None,
    min_events: int = 1,
) -> nx.DiGraph:
    """The relation graph of the store's events (dated within ``since..until`` when given).

    Nodes are parties with at least ``min_events`` events, edges pairs of parties with at least
    ``min_events`` events between them. ValueError for an unknown level, a bad date or a
    ``min_events`` below 1.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    if min_events < 1:
        raise ValueError(f"--min-events must be at least 1, not {min_events}")
    dates = date_conditions(since, until)
    types = event_types()
    graph = nx.DiGraph(
        name=f"diplograph relations ({level} level)",
        level=level,
        since=since or "",
        until=until or "",
        min_events=min_events,
    )
    with store.engine.connect() as connection:
        tally = _tally(_participant_rows(connection, dates), level)
        counts = {key: n for key, n in tally.nodes.items() if n >= min_events}
        attrs = _node_attrs(connection, level, tally, counts)
    edges = tally.edges
    for key in sorted(counts):
        graph.add_node(key, **attrs[key], event_count=counts[key])
    for (src, dst), edge in sorted(edges.items()):
        if edge["weight"] >= min_events and src in counts and dst in counts:
            graph.add_edge(src, dst, **_edge_attrs(edge, types))
    return graph


def write_graph(graph: nx.DiGraph, fmt: str, output: str | None) -> None:
    """Write ``graph`` as GraphML or GEXF 1.2 to the file ``output`` (stdout when None)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target: Any = output if output is not None else sys.stdout.buffer
    if fmt == "graphml":
        nx.write_graphml(graph, target, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(graph, target, encoding="utf-8", prettyprint=True, version="1.2draft")
    if output is None:
        sys.stdout.buffer.flush()

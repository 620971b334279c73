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

import heapq
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select, union_all

from diplograph.kb.query import event_types, parse_date
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
    conditions: list[ColumnElement] = []
    if since:
        start = parse_date(since).first
        # "2022" and "2022-06" sort before "2022-06-01" but still overlap it
        conditions.append(or_(events.c.date >= start, events.c.date.in_([start[:4], start[:7]])))
    if until:
        conditions.append(events.c.date <= parse_date(until).last)
    return conditions


def _key(table: Any, level: str) -> Any:
    return table.c.code if level == "state" else table.c.actor_id


def _pairs(level: str) -> Any:
    """(event_id, src, dst, joint) for every pair of parties an event links, without repeats.

    Joint pairs come in both orders; the caller keeps one (ordering in Python, not by the
    database's collation, so that SQLite and PostgreSQL agree).
    """
    a = event_participants.alias("a")
    b = event_participants.alias("b")
    r = event_participants.alias("r")
    ka, kb = _key(a, level), _key(b, level)
    directed = (
        select(a.c.event_id, ka.label("src"), kb.label("dst"), literal(0).label("joint"))
        .join(b, and_(b.c.event_id == a.c.event_id, b.c.role == "recipient"))
        .where(a.c.role == "actor", ka.is_not(None), kb.is_not(None), ka != kb)
    )
    no_recipient = ~exists(
        select(r.c.event_id).where(r.c.event_id == a.c.event_id, r.c.role == "recipient")
    )
    joint = (
        select(a.c.event_id, ka.label("src"), kb.label("dst"), literal(1).label("joint"))
        .join(b, and_(b.c.event_id == a.c.event_id, b.c.role == "actor"))
        .where(a.c.role == "actor", ka.is_not(None), kb.is_not(None), ka != kb, no_recipient)
    )
    return select(union_all(directed, joint).subquery()).distinct().subquery("pairs")


def _edge_rows(connection: Any, level: str, dates: list[ColumnElement]) -> Iterable[Any]:
    pairs = _pairs(level)
    quads = [func.sum(case((events.c.quad_class == q, 1), else_=0)).label(f"q{q}") for q in QUADS]
    query = (
        select(
            pairs.c.src,
            pairs.c.dst,
            events.c.type,
            pairs.c.joint,
            func.count().label("n"),
            *quads,
            func.sum(events.c.score).label("score_sum"),
            func.count(events.c.score).label("score_n"),
            func.min(events.c.date).label("first"),
            func.max(events.c.date).label("last"),
        )
        .join(events, events.c.id == pairs.c.event_id)
        .where(*dates)
        .group_by(pairs.c.src, pairs.c.dst, events.c.type, pairs.c.joint)
    )
    return connection.execute(query)


def _node_counts(
    connection: Any, level: str, dates: list[ColumnElement], min_events: int
) -> dict[str, int]:
    p = event_participants
    key = _key(p, level)
    n = func.count(p.c.event_id.distinct())
    query = (
        select(key, n)
        .join(events, events.c.id == p.c.event_id)
        .where(key.is_not(None), *dates)
        .group_by(key)
        .having(n >= min_events)
    )
    return {row[0]: int(row[1]) for row in connection.execute(query)}


def _people(connection: Any, dates: list[ColumnElement], codes: set[str]) -> dict[str, str]:
    """The most active people of each code: ``"Name (n); Name (n)"``."""
    p = event_participants
    n = func.count(p.c.event_id.distinct())
    query = (
        select(p.c.code, actors.c.name, n)
        .join(actors, actors.c.id == p.c.actor_id)
        .join(events, events.c.id == p.c.event_id)
        .where(actors.c.kind == "person", p.c.code.is_not(None), *dates)
        .group_by(p.c.code, actors.c.id, actors.c.name)
    )
    top: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, name, count in connection.execute(query):
        if code not in codes:
            continue
        heap = top[code]
        item = (int(count), name)
        if len(heap) < PEOPLE_PER_NODE:
            heapq.heappush(heap, item)
        else:
            heapq.heappushpop(heap, item)
    return {
        code: "; ".join(f"{name} ({count})" for count, name in sorted(heap, key=_by_count))
        for code, heap in top.items()
    }


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
    connection: Any, level: str, dates: list[ColumnElement], counts: dict[str, int]
) -> dict[str, dict[str, Any]]:
    if level == "state":
        people = _people(connection, dates, set(counts))
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


def _merge(edge: dict[str, Any], row: Any) -> None:
    edge["weight"] += int(row.n)
    edge["joint"] += int(row.n) if row.joint else 0
    edge["types"][row.type] += int(row.n)
    for q in QUADS:
        edge["quads"][q] += int(getattr(row, f"q{q}") or 0)
    edge["score_sum"] += float(row.score_sum or 0.0)
    edge["score_n"] += int(row.score_n or 0)
    if row.first is not None and (edge["first"] is None or row.first < edge["first"]):
        edge["first"] = row.first
    if row.last is not None and (edge["last"] is None or row.last > edge["last"]):
        edge["last"] = row.last


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
        counts = _node_counts(connection, level, dates, min_events)
        attrs = _node_attrs(connection, level, dates, counts)
        edges: dict[tuple[str, str], dict[str, Any]] = defaultdict(_new_edge)
        for row in _edge_rows(connection, level, dates):
            if row.joint and row.src > row.dst:
                continue  # the mirror image of a joint pair
            _merge(edges[(row.src, row.dst)], row)
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

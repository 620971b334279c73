"""The relation graph (GraphML, GEXF) and the Phoenix-style TSV export, on the seed store.

The graph is aggregated in SQL; these tests recompute it in Python from ``export events``
records and demand the same numbers, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.kb.graph import build_graph, write_graph
from diplograph.kb.phoenix import COLUMNS, clean, date_fields, event_rows
from diplograph.kb.records import iter_events
from diplograph.store.database import Store

runner = CliRunner()


def cli(store: Store, *args: str):
    return runner.invoke(app, ["--db", store.url, *args])


def reference_edges(
    records: list[dict[str, Any]], key: str = "code", since: str = ""
) -> dict[tuple[str, str], dict[str, set[str]]]:
    """Per ordered pair: the ids of directed and of joint events, computed from the records."""
    edges: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"directed": set(), "joint": set()}
    )
    for event in records:
        if since and not (event["date"] and event["date"] >= since):
            continue
        actors = {p[key] for p in event["actor"] if p[key]}
        recipients = {p[key] for p in event["recipient"] if p[key]}
        if event["recipient"]:
            for a in actors:
                for r in recipients - {a}:
                    edges[(a, r)]["directed"].add(event["id"])
        else:
            for a in actors:
                for b in actors:
                    if a < b:
                        edges[(a, b)]["joint"].add(event["id"])
    return edges


# -- the graph --------------------------------------------------------------------------------


def test_state_graph_has_the_parties_and_their_relations(kb_store: Store) -> None:
    graph = build_graph(kb_store)
    for code, label in [("KAZ", "Kazakhstan"), ("CHN", "China"), ("VAT", "Holy See")]:
        assert graph.nodes[code]["label"] == label
        assert graph.nodes[code]["kind"] == "state"
        assert graph.nodes[code]["code"] == code
    # people are folded into the state they act for, the most active first
    people = graph.nodes["CHN"]["people"].split("; ")
    counts = [int(p.rsplit("(", 1)[1].rstrip(")")) for p in people]
    assert counts == sorted(counts, reverse=True)
    assert {"Wang Yi", "Xi Jinping"} <= {p.rsplit(" (", 1)[0] for p in people}
    assert "Kassym-Jomart Tokayev" in graph.nodes["KAZ"]["people"]
    assert graph.nodes["UN"]["kind"] == "organization"
    assert graph.nodes["UN"]["sector"] == "IGO"

    records = list(iter_events(kb_store))
    kaz_events = {
        e["id"] for e in records for p in e["actor"] + e["recipient"] if p["code"] == "KAZ"
    }
    assert graph.nodes["KAZ"]["event_count"] == len(kaz_events)

    kaz_chn = graph.edges["KAZ", "CHN"]
    chn_kaz = graph.edges["CHN", "KAZ"]
    assert kaz_chn["weight"] >= 2 and chn_kaz["weight"] >= 2
    assert kaz_chn["CONSULT"] + chn_kaz["CONSULT"] >= 3
    assert chn_kaz["joint"] >= 1  # meetings with no host: Wang Yi together with Kazakh leaders
    assert kaz_chn["balance"] == 1.0 and kaz_chn["q3"] == kaz_chn["q4"] == 0
    assert chn_kaz["first_date"] <= "2020-09-12" <= chn_kaz["last_date"]
    assert "CONSULT" in chn_kaz["types"]
    assert not any(src == dst for src, dst in graph.edges)


def test_graph_numbers_match_the_event_records(kb_store: Store) -> None:
    records = list(iter_events(kb_store))
    by_id = {e["id"]: e for e in records}
    expected = reference_edges(records)
    graph = build_graph(kb_store)
    assert set(graph.edges) == set(expected)
    for (src, dst), ids in expected.items():
        edge = graph.edges[src, dst]
        both = ids["directed"] | ids["joint"]
        assert (edge["weight"], edge["directed"], edge["joint"]) == (
            len(both),
            len(ids["directed"]),
            len(ids["joint"]),
        ), (src, dst)
        types = Counter(by_id[i]["type"] for i in both)
        assert {t: edge[t] for t in types} == dict(types)
        quads = Counter(by_id[i]["quad_class"] for i in both)
        assert [edge[f"q{q}"] for q in (1, 2, 3, 4)] == [quads[q] for q in (1, 2, 3, 4)]
        dates = sorted(by_id[i]["date"] for i in both if by_id[i]["date"])
        if dates:
            assert (edge["first_date"], edge["last_date"]) == (dates[0], dates[-1])
        scores = [by_id[i]["score"] for i in both if by_id[i]["score"] is not None]
        if scores:
            assert edge["mean_score"] == pytest.approx(sum(scores) / len(scores), abs=1e-3)


def test_graph_filters_by_date_and_event_count(kb_store: Store) -> None:
    records = list(iter_events(kb_store))
    since = build_graph(kb_store, since="2022")
    expected = reference_edges(records, since="2022")
    assert set(since.edges) == set(expected)
    assert all(data["first_date"] >= "2022" for *_, data in since.edges(data=True))
    older = build_graph(kb_store, until="2021")
    assert all(data["last_date"] < "2022" for *_, data in older.edges(data=True))
    assert ("CHN", "KAZ") in older.edges  # the 2020-09-12 meetings with Wang Yi

    strong = build_graph(kb_store, min_events=3)
    assert strong.number_of_edges() < build_graph(kb_store).number_of_edges()
    assert all(data["weight"] >= 3 for *_, data in strong.edges(data=True))
    assert all(data["event_count"] >= 3 for _, data in strong.nodes(data=True))
    assert "KAZ" in strong and ("KAZ", "CHN") in strong.edges

    with pytest.raises(ValueError, match="impossible date"):
        build_graph(kb_store, since="2022-02-30")
    with pytest.raises(ValueError, match="level"):
        build_graph(kb_store, level="planet")


def test_actor_level_graph_has_entities(kb_store: Store) -> None:
    records = list(iter_events(kb_store))
    graph = build_graph(kb_store, level="actor")
    assert set(graph.edges) == set(reference_edges(records, key="entity_id"))
    wang = graph.nodes["person:wang yi"]
    assert (wang["label"], wang["kind"], wang["code"]) == ("Wang Yi", "person", "CHN")
    assert graph.nodes["state:KAZ"]["kind"] == "state"
    partners = set(graph.successors("person:wang yi")) | set(graph.predecessors("person:wang yi"))
    assert any(p.startswith("person:") and graph.nodes[p]["code"] == "KAZ" for p in partners)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_round_trip_through_networkx(kb_store: Store, tmp_path: Path, fmt: str) -> None:
    graph = build_graph(kb_store)
    path = tmp_path / f"relations.{fmt}"
    write_graph(graph, fmt, str(path))
    root = ET.parse(path).getroot()  # well-formed XML
    assert root.tag.endswith("graphml" if fmt == "graphml" else "gexf")
    read = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert read.is_directed()
    assert set(read.nodes) == set(graph.nodes)
    assert set(read.edges) == set(graph.edges)
    assert read.nodes["KAZ"]["label"] == "Kazakhstan"
    assert read.nodes["KAZ"]["event_count"] == graph.nodes["KAZ"]["event_count"]
    assert read.nodes["CHN"]["people"] == graph.nodes["CHN"]["people"]
    for key in ("weight", "CONSULT", "q1", "joint"):
        assert read.edges["CHN", "KAZ"][key] == graph.edges["CHN", "KAZ"][key]
    assert read.edges["CHN", "KAZ"]["first_date"] == graph.edges["CHN", "KAZ"]["first_date"]
    assert read.edges["CHN", "KAZ"]["mean_score"] == pytest.approx(
        graph.edges["CHN", "KAZ"]["mean_score"]
    )
    with pytest.raises(ValueError, match="graph format"):
        write_graph(graph, "dot", str(tmp_path / "x.dot"))


# -- Phoenix ----------------------------------------------------------------------------------


def read_tsv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_phoenix_rows_carry_the_events(kb_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "phoenix.tsv"
    result = cli(kb_store, "export", "phoenix", "-o", str(path))
    assert result.exit_code == 0, result.output
    rows = read_tsv(path.read_text(encoding="utf-8"))
    assert rows[0] == list(COLUMNS) and len(COLUMNS) == 26
    assert rows[0][:6] == ["EventID", "Date", "Year", "Month", "Day", "SourceActorFull"]
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert f"{len(body)} row(s)" in result.stderr

    records = {e["id"]: e for e in iter_events(kb_store)}
    assert {row["EventID"].rsplit("-", 1)[0] for row in body} == set(records)
    assert len({row["EventID"] for row in body}) == len(body)  # unique row ids
    for row in body:
        event = records[row["EventID"].rsplit("-", 1)[0]]
        assert row["EventCode"] == event["cameo"]
        assert row["EventRootCode"] == event["cameo"][:2]
        assert row["QuadClass"] == str(event["quad_class"])
        assert float(row["GoldsteinScore"]) == event["score"]
        assert row["Date"] == row["Year"] + row["Month"] + row["Day"]
        if event["date_precision"] == "day":
            assert row["Date"] == event["date"].replace("-", "")
        elif event["date_precision"] == "month":
            assert row["Day"] == "00" and row["Month"] != "00"
        elif event["date"] is None:
            assert row["Date"] == row["Year"] == ""

    sept = [r for r in body if records[r["EventID"].rsplit("-", 1)[0]]["date"] == "2020-09-12"]
    assert sept and all(
        (r["Date"], r["Year"], r["Month"], r["Day"]) == ("20200912", "2020", "09", "12")
        for r in sept
    )
    dyads = {(r["SourceActorFull"], r["TargetActorFull"]) for r in sept}
    assert ("CHNGOV", "KAZGOV") in dyads
    chn = next(r for r in sept if r["SourceActorFull"] == "CHNGOV")
    assert (chn["SourceActorEntity"], chn["SourceActorRole"]) == ("CHN", "GOV")
    igo = [r for r in body if r["SourceActorEntity"] == "IGO" or r["TargetActorEntity"] == "IGO"]
    assert any(r["SourceActorFull"] == "IGOSCO" for r in igo)
    assert all(r["SentenceID"] and r["URLs"] for r in body)


def test_phoenix_fields_never_break_a_row() -> None:
    event = {
        "id": "abc",
        "type": "CONSULT",
        "cameo": "040",
        "quad_class": 1,
        "score": 1.0,
        "context": ["diplomatic"],
        "date": "2021-03",
        "actor": [
            {"name": "A", "code": "KAZ", "sector": "GOV", "entity_id": "state:KAZ"},
            {"name": "B", "code": "UZB", "sector": "GOV", "entity_id": "state:UZB"},
            {"name": "C", "code": "SCO", "sector": "IGO", "entity_id": "org:SCO"},
        ],
        "recipient": [],
        "location": {"name": "Tash\tkent\nold\u2028city", "code": "UZB", "lat": 41.3, "lon": 69.2},
        "mentions": [
            {"article": {"id": "a1", "path": "x.txt", "source": "Wire\tA"}, "text": "t", "start": 5}
        ],
    }
    rows = list(event_rows(event))
    # three actors and no recipient: one row per pair of actors
    assert [(r[5], r[9]) for r in rows] == [
        ("KAZGOV", "UZBGOV"),
        ("KAZGOV", "IGOSCO"),
        ("UZBGOV", "IGOSCO"),
    ]
    assert [r[0] for r in rows] == ["abc-1", "abc-2", "abc-3"]
    for row in rows:
        assert len(row) == len(COLUMNS)
        assert not any(ch in field for field in row for ch in "\t\n\r\u2028")
        assert row[1:5] == ["20210300", "2021", "03", "00"]
        assert row[20] == "Tash kent old city"
        assert row[23:26] == ["a1:5", "x.txt", "Wire A"]
    assert clean(None) == "" and clean("a\r\nb") == "a b"
    assert date_fields("1992") == ("19920000", "1992", "00", "00")
    assert date_fields(None) == ("", "", "", "")


# -- the command line -------------------------------------------------------------------------


def test_cli_writes_graph_files_and_stdout(kb_store: Store, tmp_path: Path) -> None:
    graphml = tmp_path / "g.graphml"
    result = cli(kb_store, "export", "graph", "-o", str(graphml))
    assert result.exit_code == 0, result.output
    assert "written to" in result.stderr
    assert ("KAZ", "CHN") in nx.read_graphml(graphml).edges

    gexf = tmp_path / "g.gexf"
    result = cli(
        kb_store, "export", "graph", "--format", "gexf", "-o", str(gexf), "--min-events", "2"
    )
    assert result.exit_code == 0, result.output
    read = nx.read_gexf(gexf)
    assert read.nodes["KAZ"]["label"] == "Kazakhstan"
    assert all(d["weight"] >= 2 for *_, d in read.edges(data=True))

    result = cli(kb_store, "export", "graph", "--level", "actor", "--since", "2020")
    assert result.exit_code == 0, result.output
    stdout_graph = nx.parse_graphml(result.stdout_bytes)
    assert "person:wang yi" in stdout_graph

    result = cli(kb_store, "export", "phoenix")
    assert result.exit_code == 0, result.output
    assert read_tsv(result.stdout)[0] == list(COLUMNS)


def test_cli_bad_input_is_a_usage_error(kb_store: Store, tmp_path: Path) -> None:
    for args, message in [
        (["--format", "dot"], "dot"),
        (["--since", "2022-13-01"], "impossible date"),
        (["--level", "planet"], "planet"),
        (["--min-events", "0"], "min-events"),
        (["-o", str(tmp_path / "missing" / "g.graphml")], "cannot write"),
    ]:
        result = cli(kb_store, "export", "graph", *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    result = cli(kb_store, "export", "phoenix", "-o", str(tmp_path / "missing" / "p.tsv"))
    assert result.exit_code == 2 and "cannot write" in result.stderr

    result = cli(kb_store, "export", "graph", "--since", "2090")
    assert result.exit_code == 0
    assert "graph is empty" in result.stderr
    assert nx.parse_graphml(result.stdout_bytes).number_of_nodes() == 0

"""The query commands (events, actors, actor, relations, timeline, calendar, search) on the
seeds store, through the real Typer app: outputs, formats and exit codes for bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.store.database import Store

runner = CliRunner()


def cli(store: Store, *args: str):
    return runner.invoke(app, ["--db", store.url, *args])


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_events_table(kb_store: Store) -> None:
    result = cli(kb_store, "events", "--actor", "KAZ", "--partner", "China", "--type", "consult")
    assert result.exit_code == 0, result.output
    assert "2022-06-07" in result.stdout and "2020-09-12" in result.stdout
    assert "Wang Yi (CHN)" in result.stdout and "CONSULT/visit" in result.stdout
    assert "Traceback" not in result.output


def test_events_json_is_the_export_shape(kb_store: Store) -> None:
    result = cli(kb_store, "events", "--actor", "KAZ", "--partner", "CHN", "--format", "json")
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert records and all({"KAZ", "CHN"} <= {p["code"] for p in r["actor"] + r["recipient"]}
                           for r in records)  # fmt: skip
    keys = {"id", "type", "mode", "context", "aux", "cameo", "quad_class", "score", "date"}
    assert keys | {"actor", "recipient", "location", "mentions", "confidence"} <= set(records[0])
    consult = [r for r in records if r["type"] == "CONSULT" and r["date"] == "2022-06-07"]
    assert consult and consult[0]["actor"][0]["name"] == "Wang Yi"


def test_events_csv_has_flat_columns(kb_store: Store) -> None:
    result = cli(kb_store, "events", "--actor", "Wang Yi", "--type", "CONSULT", "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for column in ("actor_codes", "actor_names", "recipient_codes", "evidence", "article_title"):
        assert column in rows[0]
    visit = next(r for r in rows if r["date"] == "2022-06-07")
    assert visit["actor_names"] == "Wang Yi" and "KAZ" in visit["recipient_codes"]
    assert "Wang Yi" in visit["evidence"]


def test_events_filters_and_paging(kb_store: Store) -> None:
    first = jsonl(cli(kb_store, "events", "--actor", "KAZ", "--limit", "3", "-f", "json").stdout)
    second = jsonl(
        cli(
            kb_store, "events", "--actor", "KAZ", "--limit", "3", "--offset", "3", "-f", "json"
        ).stdout
    )
    assert len(first) == len(second) == 3 and not {r["id"] for r in first} & {
        r["id"] for r in second
    }
    found = jsonl(cli(kb_store, "events", "--text", "Tileuberdi", "-f", "json").stdout)
    assert found and all(any("Tileuberdi" in m["text"] for m in r["mentions"]) for r in found)
    plans = jsonl(cli(kb_store, "events", "--aux", "future", "-f", "json").stdout)
    assert plans and all(r["aux"] == "future" for r in plans)
    ranged = jsonl(
        cli(kb_store, "events", "--since", "2022-06", "--until", "2022-06-30", "-f", "json").stdout
    )
    assert ranged and all(r["date"] in {"2022", "2022-06"} or r["date"].startswith("2022-06")
                          for r in ranged)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--actor", "Zzyzxia"], "no actor known as 'Zzyzxia'"),
        (["events", "--actor", "Tokayevv"], "Kassym-Jomart Tokayev"),
        (["events", "--since", "2022-13-45"], "impossible date '2022-13-45'"),
        (["events", "--until", "yesterday-ish"], "impossible date"),
        (["events", "--type", "hug"], "unknown event type 'hug'"),
        (["events", "--aux", "maybe"], "unknown aux"),
        (["relations", "Atlantis"], "no actor known as 'Atlantis'"),
        (["timeline", "KAZ", "Atlantis"], "no actor known"),
        (["calendar", "--since", "2022-02-30"], "impossible date"),
        (["actor", "Nobody Anywhere"], "no actor known"),
        (["actors", "--kind", "robot"], "unknown actor kind"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(kb_store: Store, args: list[str], message: str) -> None:
    result = cli(kb_store, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.output
    assert result.stdout == ""


def test_bad_format_is_a_usage_error(kb_store: Store) -> None:
    result = cli(kb_store, "events", "--format", "xml")
    assert result.exit_code == 2 and "xml" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--actor", "KAZ", "--since", "2030"],
        ["events", "--actor", "KAZ", "--offset", "5000"],
        ["relations", "KAZ", "--since", "2030"],
        ["timeline", "KAZ", "CHN", "--since", "2030"],
        ["calendar", "--since", "2099"],
        ["actors", "no such name at all"],
        ["search", "zzqqxx"],
    ],
)
def test_empty_results_say_so_and_exit_1(kb_store: Store, args: list[str]) -> None:
    result = cli(kb_store, *args)
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr.strip()
    assert "Traceback" not in result.output


def test_actors_and_actor(kb_store: Store) -> None:
    found = jsonl(cli(kb_store, "actors", "wang", "-f", "json").stdout)
    assert found[0]["name"] == "Wang Yi" and found[0]["code"] == "CHN"
    table = cli(kb_store, "actors", "tokay")
    assert table.exit_code == 0 and "Kassym-Jomart" in table.stdout and "KAZ" in table.stdout
    detail = cli(kb_store, "actor", "Wang Yi")
    assert detail.exit_code == 0
    assert "Minister of Foreign Affairs" in detail.stdout and "KAZ" in detail.stdout
    data = jsonl(cli(kb_store, "actor", "Tokayev", "--format", "json").stdout)[0]
    assert data["name"] == "Kassym-Jomart Tokayev" and "Tokayev" in data["aliases"]
    assert data["top_partners"][0]["code"] == "CHN" and data["recent_events"]


def test_relations(kb_store: Store) -> None:
    table = cli(kb_store, "relations", "KAZ")
    assert table.exit_code == 0 and "CHN China" in table.stdout and "VAT Holy See" in table.stdout
    rows = list(csv.DictReader(io.StringIO(cli(kb_store, "relations", "KAZ", "-f", "csv").stdout)))
    assert rows[0]["code"] == "CHN" and int(rows[0]["events"]) >= 10
    assert {"verbal_cooperation", "material_conflict", "mean_score", "last_contact"} <= set(rows[0])
    by_name = jsonl(cli(kb_store, "relations", "Kazakhstan", "-f", "json").stdout)
    assert [r["code"] for r in by_name] == [r["code"] for r in rows]


def test_timeline(kb_store: Store) -> None:
    table = cli(kb_store, "timeline", "KAZ", "CHN", "--by", "year")
    assert table.exit_code == 0 and "2020" in table.stdout and "CONSULT" in table.stdout
    periods = jsonl(cli(kb_store, "timeline", "KAZ", "CHN", "--by", "quarter", "-f", "json").stdout)
    assert "2020-Q3" in {p["period"] for p in periods}
    rows = list(
        csv.DictReader(io.StringIO(cli(kb_store, "timeline", "KAZ", "CHN", "-f", "csv").stdout))
    )
    assert "CONSULT" in rows[0] and "mean_score" in rows[0]
    assert cli(kb_store, "timeline", "KAZ", "CHN", "--by", "week").exit_code == 2


def test_calendar(kb_store: Store) -> None:
    plans = jsonl(cli(kb_store, "calendar", "--since", "2022-09", "-f", "json").stdout)
    assert plans and all(p["aux"] == "future" and p["planned_date"] >= "2022-09" for p in plans)
    assert [p["planned_date"] for p in plans] == sorted(p["planned_date"] for p in plans)
    table = cli(kb_store, "calendar", "--since", "2022-09", "--until", "2022-09")
    assert table.exit_code == 0 and "2022-09-15" in table.stdout and "Xi Jinping" in table.stdout


def test_search_over_articles_and_events(kb_store: Store) -> None:
    hits = jsonl(cli(kb_store, "search", "Wang Yi", "--format", "json").stdout)
    assert {h["kind"] for h in hits} == {"article", "event"}
    assert all("wang" in ((h["title"] or "") + h["text"]).lower() for h in hits)
    table = cli(kb_store, "search", "Wang Yi")
    assert table.exit_code == 0 and "event" in table.stdout and "article" in table.stdout


def test_every_query_command_has_an_example() -> None:
    for command in ("events", "actors", "actor", "relations", "timeline", "calendar", "search"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example: diplograph " + command in result.stdout

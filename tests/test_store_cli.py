"""The store and the command line, on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from diplograph.cli import app
from diplograph.ingest.body import clean_body, make_article
from diplograph.store.database import Store, StoreError, database_url

runner = CliRunner()


def cli(db: Path | str, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def article(text: str, **meta):
    return make_article(clean_body(text), **meta)


def test_add_articles_is_idempotent_and_searchable(any_store: Store) -> None:
    store = any_store
    first = article("Finland joined NATO on 4 April 2023 in Brussels.", title="Finland joins")
    second = article("Saudi Arabia and Iran agreed to restore relations.", source="Example")
    assert len(store.add_articles([first, second, first])) == 2
    assert store.add_articles([first]) == []
    assert store.article_count() == 2
    hits = store.search_articles("NATO Brussels")
    assert [h["id"] for h in hits] == [first.id]
    assert "[NATO]" in hits[0]["snippet"]
    # user text is never FTS syntax: quotes, operators and column filters are plain words
    assert store.search_articles('title: "NATO OR') == []
    assert store.search_articles("NEAR(") == []


def test_database_url_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIPLOGRAPH_DB", raising=False)
    assert database_url(None) == "sqlite:///diplograph.db"
    assert database_url("x/y.db") == "sqlite:///x/y.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("DIPLOGRAPH_DB", "env.db")
    assert database_url(None) == "sqlite:///env.db"


def test_store_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "nowhere" / "x.db"))
    result = cli(tmp_path / "nowhere" / "x.db", "stats")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def count_articles(db: str) -> int:
    with Store(db) as store:
        return store.article_count()


def test_ingest_examples_then_export_every_format(any_db: str, tmp_path: Path) -> None:
    db = any_db
    result = cli(db, "ingest", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "0 rejected" in result.output
    stored = count_articles(db)
    assert stored >= 20

    exported = cli(db, "export", "articles")
    assert exported.exit_code == 0
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) == stored
    required = {
        "id",
        "title",
        "published",
        "published_inferred",
        "source",
        "dateline",
        "byline",
        "path",
        "url",
        "text",
    }
    assert all(required <= set(r) for r in records)
    assert len({r["id"] for r in records}) == stored

    result = cli(db, "export", "articles", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == stored and rows[0]["id"] == records[0]["id"]

    target = tmp_path / "articles.parquet"
    result = cli(db, "export", "articles", "--format", "parquet", "-o", str(target))
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    assert table.num_rows == stored
    assert table.column("id").to_pylist() == [r["id"] for r in records]

    result = cli(db, "export", "articles", "--format", "parquet")
    assert result.exit_code == 2 and "-o FILE" in result.output

    again = cli(db, "ingest", str(EXAMPLES))
    assert again.exit_code == 0
    assert "0 newly stored" in again.output
    assert count_articles(db) == stored


def test_search_and_stats_commands(any_db: str) -> None:
    db = any_db
    cli(db, "ingest", str(EXAMPLES))
    result = cli(db, "search", "NATO", "--format", "json")
    assert result.exit_code == 0
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits and all("nato" in (h["title"] + h["text"]).lower() for h in hits)
    stats = cli(db, "stats")
    assert stats.exit_code == 0 and "article(s)" in stats.output


def test_interface_commands_are_listed() -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("ingest", "export", "events", "serve", "eval"):
        assert command in result.output


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert cli(tmp_path / "kb.db", "ingest").exit_code == 2
    assert cli(tmp_path / "kb.db", "export", "articles", "--format", "xml").exit_code == 2


def test_ingest_reads_events_actors_facts_and_exports_them(any_db: str) -> None:
    db = any_db
    result = cli(db, "ingest", str(EXAMPLES / "txt"))
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in cli(db, "export", "events").stdout.splitlines()]
    assert events
    keys = {
        "id",
        "type",
        "mode",
        "context",
        "aux",
        "cameo",
        "quad_class",
        "score",
        "date",
        "date_precision",
        "actor",
        "recipient",
        "location",
        "mentions",
        "confidence",
    }
    for event in events:
        assert keys <= set(event)
        assert event["mentions"] and all(m["article"]["id"] for m in event["mentions"])
        for mention in event["mentions"]:
            assert mention["text"]
    wang_yi = [
        e
        for e in events
        if e["type"] == "CONSULT"
        and {"CHN", "KAZ"} <= {p["code"] for p in e["actor"] + e["recipient"]}
    ]
    # the 2020 article dates the meeting "Saturday, Sept. 12" (published 2020-09-14)
    assert "2020-09-12" in {e["date"] for e in wang_yi}
    actors = [json.loads(line) for line in cli(db, "export", "actors").stdout.splitlines()]
    tokayev = [a for a in actors if a["name"] == "Kassym-Jomart Tokayev"]
    assert tokayev and tokayev[0]["code"] == "KAZ" and tokayev[0]["kind"] == "person"
    assert any(o["title"] == "President" for o in tokayev[0]["offices"])
    facts = [json.loads(line) for line in cli(db, "export", "facts").stdout.splitlines()]
    assert {"office"} <= {f["kind"] for f in facts}
    again = cli(db, "ingest", str(EXAMPLES / "txt"))
    assert "0 newly stored" in again.output
    assert len(cli(db, "export", "events").stdout.splitlines()) == len(events)


def test_facts_of_every_kind_export_as_one_table(kb_store: Store, tmp_path: Path) -> None:
    lines = cli(kb_store.url, "export", "facts").stdout.splitlines()
    facts = [json.loads(line) for line in lines]
    kinds = {fact["kind"] for fact in facts}
    assert {"relations_established", "trade", "office"} <= kinds
    result = cli(kb_store.url, "export", "facts", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(facts)
    trade = [r for r in rows if r["kind"] == "trade" and r["unit"] == "USD"]
    assert trade and all(float(r["value_number"]) >= 1e9 for r in trade)
    target = tmp_path / "facts.parquet"
    result = cli(kb_store.url, "export", "facts", "--format", "parquet", "-o", str(target))
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    assert table.num_rows == len(facts)
    assert str(table.schema.field("value_number").type) == "double"

"""PostgreSQL: the schema migrates, and the same input gives the same answers as on SQLite."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from conftest import EXAMPLES, shared_path
from diplograph.cli import app
from diplograph.ingest.body import clean_body, make_article
from diplograph.kb.evaluate import evaluate, format_report
from diplograph.kb.records import iter_actors, iter_events, iter_facts
from diplograph.store.database import Store, StoreError
from postgres import PostgresServer

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Everything the store exports; ``ingested_at`` is the clock, not the content."""
    return {
        "events": list(iter_events(store)),
        "actors": list(iter_actors(store)),
        "facts": list(iter_facts(store)),
        "articles": [
            {k: v for k, v in r.items() if k != "ingested_at"} for r in store.iter_articles()
        ],
    }


@pytest.fixture
def pg_store(postgres_server: PostgresServer) -> Store:
    """An empty store on its own PostgreSQL database, created by the migrations."""
    name = postgres_server.create_database()
    with Store(postgres_server.url(name)) as opened:
        yield opened
    postgres_server.drop_database(name)


# -- the server and the schema ------------------------------------------------------------

HEAD = ScriptDirectory(
    str(resources.files("diplograph.store") / "migrations")
).get_current_head()  # the newest migration: every store is opened at it


def test_server_listens_only_on_its_unix_socket(postgres_server: PostgresServer) -> None:
    with Store(postgres_server.url()) as store, store.engine.connect() as connection:
        assert connection.execute(text("SHOW listen_addresses")).scalar_one() == ""
        sockets = connection.execute(text("SHOW unix_socket_directories")).scalar_one()
        assert sockets == str(postgres_server.root)
        assert connection.execute(text("SHOW fsync")).scalar_one() == "off"


def test_migrations_create_the_schema_with_tsvector_search(pg_store: Store) -> None:
    assert pg_store.dialect == "postgresql"
    with pg_store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (HEAD,)
        ]
        columns = {
            (table, name): kind
            for table, name, kind in connection.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    " WHERE table_schema = 'public'"
                )
            )
        }
    assert columns[("articles", "search")] == "tsvector"
    assert columns[("event_mentions", "search")] == "tsvector"
    assert columns[("articles", "paragraphs")] == "json"
    assert columns[("articles", "title_inferred")] == "boolean"
    inspector = inspect(pg_store.engine)
    tables = set(inspector.get_table_names())
    assert {"articles", "events", "actors", "facts", "corrections", "sources"} <= tables
    indexes = {i["name"] for t in ("articles", "event_mentions") for i in inspector.get_indexes(t)}
    assert {"ix_articles_search", "ix_event_mentions_search"} <= indexes
    # opening again finds the schema current and changes nothing
    Store(pg_store.url).close()


def test_processes_opening_a_new_database_at_once_migrate_it_once(
    postgres_server: PostgresServer,
) -> None:
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    script = "import sys; from diplograph.store.database import Store; Store(sys.argv[1]).close()"
    try:
        running = [
            subprocess.Popen([sys.executable, "-c", script, url], stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        for process in running:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err.decode()
        with Store(url) as store, store.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
                (HEAD,)
            ]
    finally:
        postgres_server.drop_database(name)


def test_migrations_downgrade_and_upgrade_again(any_store: Store) -> None:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("diplograph.store") / "migrations")
    )
    with any_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(any_store.engine).get_table_names()) <= {"alembic_version"}
    with Store(any_store.url) as again:  # opening migrates to the head again
        again.add_articles([make_article(clean_body("Finland joined NATO in April 2023."))])
        assert [h["title"] for h in again.search_articles("NATO")]
        assert "corrections" in inspect(again.engine).get_table_names()
        columns = {c["name"] for c in inspect(again.engine).get_columns("event_participants")}
        assert {"type", "date", "quad_class", "score"} <= columns


def test_unreachable_server_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://postgres:s3cret@/nothing?host={tmp_path}"
    with pytest.raises(StoreError, match="cannot open store") as raised:
        Store(url)
    assert "s3cret" not in str(raised.value) and "***" in str(raised.value)
    result = cli(url, "stats")
    assert result.exit_code == 2 and "cannot open store" in result.output
    assert "s3cret" not in result.output and "Traceback" not in result.output


def test_missing_database_is_named(postgres_server: PostgresServer) -> None:
    result = cli(postgres_server.url("no_such_db"), "stats")
    assert result.exit_code == 2
    assert 'database "no_such_db" does not exist' in result.output


# -- full-text search ---------------------------------------------------------------------


def test_search_uses_websearch_syntax_and_binds_the_query(any_store: Store) -> None:
    finland = make_article(
        clean_body("Finland joined NATO on 4 April 2023 in Brussels."), title="Finland joins"
    )
    deal = make_article(clean_body("Saudi Arabia and Iran agreed to restore relations."))
    any_store.add_articles([finland, deal])
    hits = any_store.search_articles("NATO Brussels")
    assert [h["id"] for h in hits] == [finland.id]
    assert "[NATO]" in hits[0]["snippet"]
    assert [h["id"] for h in any_store.search_articles("agreed restore")] == [deal.id]
    assert any_store.search_articles("'; DROP TABLE articles; --") == []
    assert any_store.search_articles('title: "NATO OR') == []
    assert any_store.article_count() == 2
    if any_store.dialect == "postgresql":  # stemming and web-search operators
        assert [h["id"] for h in any_store.search_articles("joining")] == [finland.id]
        assert any_store.search_articles("NATO -Brussels") == []
        assert [h["id"] for h in any_store.search_articles('"restore relations"')] == [deal.id]


def test_nul_in_metadata_is_dropped_on_every_backend(any_store: Store) -> None:
    """PostgreSQL text cannot hold NUL; SQLite could, but both store the same."""
    item = make_article(
        clean_body("Iran and Saudi Arabia agreed to restore ties."),
        title="T\x00itle",
        source="S\x00",
    )
    assert any_store.add_articles([item]) == [item]
    [stored] = list(any_store.iter_articles())
    assert (stored["title"], stored["source"]) == ("Title", "S")


def test_search_ranks_titles_first_on_the_kb(kb_store: Store) -> None:
    hits = kb_store.search_articles("Wang Yi", limit=50)
    assert hits and all("wang" in (h["title"] + h["text"]).lower() for h in hits)
    assert "wang yi" in hits[0]["title"].lower()


# -- identical answers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def both(
    request: pytest.FixtureRequest,
    postgres_server: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Store]:
    """The seeds and the examples ingested into SQLite and into PostgreSQL (the kb fixtures)."""
    copy = tmp_path_factory.mktemp("both") / "kb.db"
    shutil.copy(request.getfixturevalue("_kb_sqlite_file"), copy)
    name = postgres_server.create_database(template=request.getfixturevalue("_kb_pg_template"))
    stores = {"sqlite": Store(str(copy)), "postgresql": Store(postgres_server.url(name))}
    yield stores
    for store in stores.values():
        store.close()
    postgres_server.drop_database(name)


@pytest.mark.parametrize("kind", ["events", "actors", "facts", "articles"])
def test_sqlite_and_postgresql_export_identical_records(both: dict[str, Store], kind: str) -> None:
    lite, pg = (dump(both[b])[kind] for b in ("sqlite", "postgresql"))
    assert len(lite) == len(pg) > 0

    def canonical(records: list[dict[str, Any]]) -> list[str]:
        return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)

    assert canonical(pg) == canonical(lite)
    assert pg == lite  # the same order too: every ORDER BY is total, NULLs first on both


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_exports_are_byte_identical(both: dict[str, Store], fmt: str, tmp_path: Path) -> None:
    # facts vary in their fields and value types: only jsonl exports them whole for now
    kinds = ("events", "actors", "facts") if fmt == "jsonl" else ("events", "actors")
    for kind in kinds:
        outputs = {}
        for backend, store in both.items():
            target = tmp_path / f"{backend}.{kind}.{fmt}"
            db = store.engine.url.database if backend == "sqlite" else store.url
            result = cli(
                db.replace("postgresql+psycopg", "postgresql"),
                *("export", kind, "--format", fmt, "-o", str(target)),
            )
            assert result.exit_code == 0, result.output
            outputs[backend] = (
                pq.read_table(target).to_pylist() if fmt == "parquet" else target.read_bytes()
            )
        assert outputs["postgresql"] == outputs["sqlite"], kind
        assert outputs["sqlite"]


def test_summary_counts_agree(both: dict[str, Store]) -> None:
    lite, pg = (both[b].summary() for b in ("sqlite", "postgresql"))
    assert pg["url"].startswith("postgresql+psycopg://")
    assert {k: v for k, v in pg.items() if k != "url"} == {
        k: v for k, v in lite.items() if k != "url"
    }


def test_eval_reports_agree(both: dict[str, Store]) -> None:
    gold = REPO / "tests" / "gold" / "seeds.jsonl"
    lite, pg = (
        format_report(evaluate(both[b], gold), "json", verbose=True)
        for b in ("sqlite", "postgresql")
    )
    assert json.loads(pg) == json.loads(lite)
    assert json.loads(pg)


def test_kb_store_copies_are_independent(kb_store: Store) -> None:
    """Each test gets its own copy of the template: writes do not leak into the next test."""
    before = kb_store.article_count()
    assert before > 30
    extra = make_article(clean_body("A note that exists only in this copy of the store."))
    assert kb_store.add_articles([extra]) == [extra]
    assert kb_store.article_count() == before + 1


def test_kb_store_copies_are_independent_again(kb_store: Store) -> None:
    extra = make_article(clean_body("A note that exists only in this copy of the store."))
    assert kb_store.existing_article_ids([extra.id]) == set()


# -- the command line on PostgreSQL -------------------------------------------------------


def test_cli_ingest_reingest_search_stats_on_postgresql(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    name = postgres_server.create_database()
    db = postgres_server.url(name)
    try:
        result = cli(db, "ingest", str(EXAMPLES))
        assert result.exit_code == 0, result.output
        assert "0 rejected" in result.output
        with Store(db) as store:
            stored = store.article_count()
            events = len(list(iter_events(store)))
        assert stored >= 20 and events > 0
        # the same content under other paths: every article is known, nothing is added
        copy = tmp_path / "again"
        shutil.copytree(EXAMPLES, copy)
        again = cli(db, "ingest", str(copy))
        assert again.exit_code == 0, again.output
        assert "0 newly stored" in again.output
        with Store(db) as store:
            assert store.article_count() == stored
            assert len(list(iter_events(store))) == events
        hits = cli(db, "search", "NATO", "--format", "json")
        assert hits.exit_code == 0, hits.output
        records = [json.loads(line) for line in hits.stdout.splitlines()]
        assert records and all("nato" in (h["title"] + h["text"]).lower() for h in records)
        stats = cli(db, "stats")
        assert stats.exit_code == 0 and f"{stored} article(s)" in stats.output
        exported = cli(db, "export", "articles", "--format", "csv")
        assert exported.exit_code == 0
        assert len(list(csv.DictReader(io.StringIO(exported.stdout)))) == stored
    finally:
        postgres_server.drop_database(name)


@pytest.mark.slow
def test_guardian_sample_fits_the_postgresql_columns(pg_store: Store) -> None:
    """PostgreSQL enforces VARCHAR(n) where SQLite does not: real events and facts must fit.

    (test_shared_corpus stores every corpus's articles on both backends; this also extracts.)
    The ingest runs in a child process: reading 249 articles grows a process by ~1 GB, and
    this one's peak would count in the peak RSS of every later child (tests/test_robustness).
    """
    folder = str(shared_path("corpus", "guardian-2019"))
    url = pg_store.url.replace("postgresql+psycopg://", "postgresql://")
    command = [sys.executable, "-m", "diplograph", "--db", url, "ingest", "--no-progress", folder]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 rejected" in done.stdout
    assert pg_store.article_count() == 249
    summary = pg_store.summary()
    assert summary["events"] > 1000 and summary["facts"] > 200

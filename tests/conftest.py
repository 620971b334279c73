"""Shared fixtures: the project's own example corpus, the shared corpus (when present), stores.

Store fixtures run on each backend in ``BACKENDS``: SQLite files under tmp_path, and databases
on a throwaway PostgreSQL server (tests/postgres.py) started once per session. Select one
backend with ``-k sqlite`` or ``-k postgresql``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from diplograph.store.database import Store
from postgres import PostgresError, PostgresServer, find_bindir

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
SHARED = Path(os.environ.get("DIPLOGRAPH_SHARED", REPO.parent / "shared"))

BACKENDS = ["sqlite", "postgresql"]
_PG_TIMINGS: dict[str, float] = {}  # reported at the end of the run


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not present: {path} (set DIPLOGRAPH_SHARED to its folder)")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty SQLite store (``any_store`` runs on every backend)."""
    with Store(str(tmp_path / "test.db")) as opened:
        yield opened


# -- PostgreSQL: one server per session ------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server; ``.url(name)`` gives a ``--db`` URL for a database."""
    if find_bindir() is None:
        pytest.skip(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin"
            " (`apt-get install postgresql`, which `make test` does when run as root)"
        )
    try:
        server = PostgresServer().start()
    except PostgresError as exc:
        pytest.fail(f"PostgreSQL server did not start: {exc}")
    _PG_TIMINGS["server start"] = server.timings["start"]
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _pg_empty_template(postgres_server: PostgresServer) -> str:
    """A database with the schema migrated and nothing else, copied for each empty store."""
    name = postgres_server.create_database("empty_template")
    Store(postgres_server.url(name)).close()
    return name


@pytest.fixture(params=BACKENDS)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ``--db`` value for a fresh, empty store on each backend (SQLite file or PostgreSQL URL)."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database(template=request.getfixturevalue("_pg_empty_template"))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def any_store(any_db: str) -> Iterator[Store]:
    """An empty store, on each backend in ``BACKENDS``."""
    with Store(any_db) as opened:
        yield opened


# -- knowledge-base fixtures: a store with the seeds and the example corpus, built once ------------


def _ingest_kb(store: Store) -> None:
    from diplograph.pipeline import ingest

    report = ingest([str(shared_path("corpus", "seeds")), str(EXAMPLES)], store)
    assert report.ok, report.rejections


@pytest.fixture(scope="session")
def _kb_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the seed corpus and the example corpus (built once per run)."""
    path = tmp_path_factory.mktemp("kb") / "kb.db"
    with Store(str(path)) as opened:
        _ingest_kb(opened)
    return path


@pytest.fixture(scope="session")
def _kb_pg_template(postgres_server: PostgresServer) -> str:
    """A PostgreSQL database holding the seeds and the examples, the template of each copy."""
    shared_path("corpus", "seeds")  # skip before creating anything when the seeds are missing
    began = time.perf_counter()
    name = postgres_server.create_database("kb_template")
    with Store(postgres_server.url(name)) as opened:
        _ingest_kb(opened)
    _PG_TIMINGS["seeds + examples template build"] = time.perf_counter() - began
    return name


@pytest.fixture(params=BACKENDS)
def kb_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A writable copy of the seeds + examples store, on each backend in ``BACKENDS``."""
    if request.param == "sqlite":
        copy = tmp_path / "kb.db"
        shutil.copy(request.getfixturevalue("_kb_sqlite_file"), copy)
        with Store(str(copy)) as opened:
            yield opened
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database(template=request.getfixturevalue("_kb_pg_template"))
    try:
        with Store(server.url(name)) as opened:
            yield opened
    finally:
        server.drop_database(name)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How long the PostgreSQL fixtures took, when they ran."""
    if _PG_TIMINGS:
        timings = ", ".join(f"{key} {seconds:.2f}s" for key, seconds in _PG_TIMINGS.items())
        terminalreporter.write_line(f"PostgreSQL fixtures: {timings}")

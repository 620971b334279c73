"""Shared fixtures: the project's own example corpus, the shared corpus (when present), stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diplograph.store.database import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
SHARED = Path(os.environ.get("DIPLOGRAPH_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not present: {path} (set DIPLOGRAPH_SHARED to its folder)")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(str(tmp_path / "test.db")) as opened:
        yield opened


# -- knowledge-base fixtures: a store with the seeds and the example corpus, built once ------------

BACKENDS = ["sqlite"]  # "postgresql" joins when a server can be started (tests/postgres.py)


@pytest.fixture(scope="session")
def _kb_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the seed corpus and the example corpus (built once per run)."""
    from diplograph.pipeline import ingest

    seeds = shared_path("corpus", "seeds")
    path = tmp_path_factory.mktemp("kb") / "kb.db"
    with Store(str(path)) as opened:
        report = ingest([str(seeds), str(EXAMPLES)], opened)
        assert report.ok, report.rejections
    return path


@pytest.fixture(params=BACKENDS)
def kb_store(request: pytest.FixtureRequest, _kb_sqlite_file: Path, tmp_path: Path) -> Store:
    """A writable copy of the seeds + examples store, on each backend in ``BACKENDS``."""
    import shutil

    if request.param == "sqlite":
        copy = tmp_path / "kb.db"
        shutil.copy(_kb_sqlite_file, copy)
        with Store(str(copy)) as opened:
            yield opened
    else:  # pragma: no cover - filled in with the PostgreSQL fixture
        pytest.skip(f"backend {request.param} not available")

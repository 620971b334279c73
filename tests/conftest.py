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

"""The CAMEO quad-class signal: sentences coded one by one and scored against their labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.extract.analyze import Analyzer
from diplograph.kb.quad_eval import evaluate_quad, read_labelled


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_quad_classes_are_scored(tmp_path: Path, analyzer: Analyzer) -> None:
    labelled = tmp_path / "quad.tsv"
    labelled.write_text(
        "Russian forces shelled the Ukrainian city of Kharkiv overnight.\t4\n"
        "France condemned the missile test by North Korea.\t3\n"
        "The weather in Paris was mild on Sunday.\t0\n",
        encoding="utf-8",
    )
    report = evaluate_quad(labelled, analyzer)
    assert report.total == 3
    assert report.confusion[(4, 4)] == 1
    assert report.confusion[(3, 3)] == 1
    assert report.confusion[(0, 0)] == 1
    assert report.accuracy == 1.0
    assert "accuracy 1.000" in report.format()


def test_malformed_label_names_the_line(tmp_path: Path) -> None:
    labelled = tmp_path / "bad.tsv"
    labelled.write_text("A sentence.\t1\nAnother sentence without a label\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:2"):
        read_labelled(labelled)

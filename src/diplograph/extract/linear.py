"""Linear classifiers over sparse binary features, stored as data (``data/coder/*.json``).

The event coder's trained parts (which word names which event, which mention plays which
role) are multinomial logistic regressions trained by ``scripts/train_coder.py``. At run time
a prediction is a sum of weight vectors: no training library is needed, and the model file
is plain JSON that a reviewer can read (``features`` maps each feature to one weight per
label).
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class LinearModel:
    """Labels, a bias per label and a weight vector per feature."""

    labels: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.weights)}

    @cached_property
    def _matrix(self) -> np.ndarray:
        rows = list(self.weights.values()) or [[0.0] * len(self.labels)]
        return np.asarray(rows, dtype=np.float64)

    def probability_rows(self, items: Sequence[Iterable[str]]) -> np.ndarray:
        """Softmax label probabilities for many feature lists at once (one row each)."""
        index, flat, lengths = self._index, [], []
        for features in items:
            found = [j for f in features if (j := index.get(f)) is not None]
            flat += found
            lengths.append(len(found))
        scores = np.tile(np.asarray(self.bias, dtype=np.float64), (len(lengths), 1))
        if flat:
            owners = np.repeat(np.arange(len(lengths)), lengths)
            np.add.at(scores, owners, self._matrix[flat])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """Softmax label probabilities for one feature list, by label."""
        row = self.probability_rows([list(features)])[0]
        return {label: float(p) for label, p in zip(self.labels, row, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "bias": self.bias,
            "meta": self.meta,
            "features": self.weights,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearModel:
        return cls(data["labels"], data["bias"], data["features"], data.get("meta", {}))

    def save(self, path: str) -> None:
        """Write the model as JSON (gzip-compressed when ``path`` ends in ``.gz``)."""
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "wt", encoding="utf-8") as out:
            json.dump(self.to_dict(), out, ensure_ascii=False, separators=(",", ":"))
            out.write("\n")


CODER_ENV = "DIPLOGRAPH_CODER"  # a folder with the models to use instead, or "rules"


@cache
def _load(path: str) -> LinearModel:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as file:
        return LinearModel.from_dict(json.load(file))


def packaged_model(name: str) -> LinearModel | None:
    """A model of the coder: from the folder ``$DIPLOGRAPH_CODER`` names (models you trained
    with ``scripts/train_coder.py --out``), else the one shipped in ``diplograph/data/coder/``
    (None when it is not there, or when ``$DIPLOGRAPH_CODER`` is ``rules``: the lexicon rules
    alone)."""
    folder = os.environ.get(CODER_ENV)
    if folder == "rules":
        return None
    if folder:
        for path in (Path(folder) / f"{name}.json.gz", Path(folder) / f"{name}.json"):
            if path.is_file():
                return _load(str(path))
        raise FileNotFoundError(f"{CODER_ENV}={folder}: no {name}.json(.gz) there")
    for file in (f"{name}.json.gz", f"{name}.json"):
        resource = resources.files("diplograph.data").joinpath("coder", file)
        if resource.is_file():
            with resources.as_file(resource) as path:
                return _load(str(path))
    return None

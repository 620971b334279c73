"""A second accuracy signal: CAMEO quad classes of labelled sentences.

The file has one ``sentence<TAB>label`` per line, label 0 (neutral: no event) or 1–4
(verbal cooperation, material cooperation, verbal conflict, material conflict). Each
sentence is coded on its own; its predicted label is the quad class of its most confident
event, or 0 when no event is found.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.extract.analyze import Analyzer
from diplograph.ingest.body import clean_body, make_article

LABELS = (0, 1, 2, 3, 4)
NAMES = {
    0: "neutral",
    1: "verbal coop",
    2: "material coop",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass
class QuadReport:
    """Accuracy, per-class precision/recall/F1 and the confusion matrix (gold → predicted)."""

    total: int = 0
    correct: int = 0
    confusion: Counter = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def prf(self, label: int) -> tuple[float, float, float]:
        tp = self.confusion[(label, label)]
        predicted = sum(n for (_, p), n in self.confusion.items() if p == label)
        gold = sum(n for (g, _), n in self.confusion.items() if g == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def detection(self) -> tuple[float, float, float]:
        """Event / no-event as a binary task."""
        tp = sum(n for (g, p), n in self.confusion.items() if g and p)
        predicted = sum(n for (_, p), n in self.confusion.items() if p)
        gold = sum(n for (g, _), n in self.confusion.items() if g)
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def macro_f1(self) -> float:
        return sum(self.prf(label)[2] for label in LABELS) / len(LABELS)

    def format(self) -> str:
        lines = [
            f"sentences {self.total}   accuracy {self.accuracy:.3f}   macro-F1 "
            f"{self.macro_f1():.3f}",
            "event detection  P {:.3f}  R {:.3f}  F1 {:.3f}".format(*self.detection()),
            f"{'class':<20}{'P':>7}{'R':>7}{'F1':>7}",
        ]
        for label in LABELS:
            p, r, f = self.prf(label)
            lines.append(f"{label} {NAMES[label]:<18}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
        lines.append("confusion (rows gold, columns predicted): " + "  ".join(map(str, LABELS)))
        for gold in LABELS:
            row = " ".join(f"{self.confusion[(gold, p)]:>4}" for p in LABELS)
            lines.append(f"  {gold}: {row}")
        return "\n".join(lines)


def read_labelled(path: str | Path) -> list[tuple[str, int]]:
    rows = []
    with open(path, encoding="utf-8", newline="") as stream:
        for number, row in enumerate(csv.reader(stream, delimiter="\t"), 1):
            if not row:
                continue
            if len(row) != 2 or row[1].strip() not in {"0", "1", "2", "3", "4"}:
                raise ValueError(f"{path}:{number}: expected 'sentence<TAB>label 0-4'")
            rows.append((row[0], int(row[1])))
    return rows


def evaluate_quad(path: str | Path, analyzer: Analyzer | None = None) -> QuadReport:
    """Code each labelled sentence and compare quad classes."""
    rows = read_labelled(path)
    analyzer = analyzer or Analyzer()
    articles = [make_article(clean_body(text), title="") for text, _ in rows]
    report = QuadReport()
    for (_, gold), analysis in zip(rows, analyzer.analyze(articles), strict=True):
        best = max(analysis.events, key=lambda e: e.confidence, default=None)
        predicted = best.quad_class if best is not None else 0
        report.total += 1
        report.correct += predicted == gold
        report.confusion[(gold, predicted)] += 1
    return report

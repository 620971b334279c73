"""Fill a store with N synthetic events, to measure query latency at scale.

The events look like the extractor's output: the 16 PLOVER types with their modes, CAMEO
codes, quad classes and scores from the project's lexicon; states drawn from the reference
data with a heavy-tailed (Zipf-like) popularity so that some dyads are busy and most are
quiet; people acting for states with offices; dates over 2000–2026 with day, month or year
precision; planned (aux future) and historical events; locations; one to three evidence
mentions per event in articles of about ten events each. The evidence sentences are made up
from templates (no news text).

Usage (from the repository root):

    .venv/bin/python benchmarks/generate_store.py --db /tmp/bench-1m.db --events 1000000
    .venv/bin/python benchmarks/generate_store.py --db postgresql://…/bench --events 1000000

The store must be empty (a new file or database). Writing 1 M events takes a few minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diplograph.store.database import Store  # noqa: E402
from diplograph.store.schema import (  # noqa: E402
    actor_offices,
    actors,
    articles,
    event_mentions,
    event_participants,
    events,
)

OFFICES = [
    ("President", "GOV"),
    ("Prime Minister", "GOV"),
    ("Minister of Foreign Affairs", "GOV"),
    ("Minister of Defence", "MIL"),
    ("Ambassador", "GOV"),
    ("Speaker of Parliament", "LEG"),
]
VERBS = {
    "AGREE": "agreed with",
    "CONSULT": "met",
    "SUPPORT": "backed",
    "CONCEDE": "made concessions to",
    "COOPERATE": "worked with",
    "AID": "sent aid to",
    "RETREAT": "withdrew from",
    "REQUEST": "asked",
    "ACCUSE": "accused",
    "REJECT": "rejected a proposal from",
    "THREATEN": "threatened",
    "PROTEST": "protested against",
    "SANCTION": "imposed sanctions on",
    "MOBILIZE": "mobilised against",
    "COERCE": "detained citizens of",
    "ASSAULT": "attacked",
}
BUSY = [
    "USA",
    "CHN",
    "RUS",
    "GBR",
    "UKR",
    "FRA",
    "DEU",
    "IRN",
    "ISR",
    "TUR",
    "IND",
    "JPN",
    "KAZ",
    "PAK",
    "SYR",
    "SAU",
    "KOR",
    "PRK",
    "AFG",
    "EGY",
    "BRA",
    "ITA",
    "POL",
    "UZB",
]
# rough shares of PLOVER types in news event data: talk dominates, force is rarer
TYPE_WEIGHTS = {
    "CONSULT": 30, "AGREE": 12, "SUPPORT": 8, "COOPERATE": 6, "REQUEST": 7, "ACCUSE": 8,
    "REJECT": 4, "THREATEN": 3, "PROTEST": 3, "SANCTION": 3, "AID": 3, "ASSAULT": 5,
    "COERCE": 3, "MOBILIZE": 1, "RETREAT": 1, "CONCEDE": 2,
}  # fmt: skip


def _reference() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = resources.files("diplograph.data")
    lexicon = json.loads(data.joinpath("plover.json").read_text("utf-8"))
    states = json.loads(data.joinpath("states.json").read_text("utf-8"))["states"]
    return lexicon, [s for s in states if s.get("names")]


def _date(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(2000, 2026)
    roll = rng.random()
    if roll < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "day"
    if roll < 0.95:
        return f"{year}-{rng.randint(1, 12):02d}", "month"
    return str(year), "year"


class Generator:
    """Draws events, participants, articles and mentions with a fixed seed."""

    def __init__(self, seed: int, people_per_state: int = 20) -> None:
        self.rng = random.Random(seed)
        self.lexicon, states = _reference()
        self.types = list(TYPE_WEIGHTS)
        self.type_weights = [TYPE_WEIGHTS[t] for t in self.types]
        self.modes: dict[str, list[str]] = {}
        for key in self.lexicon["modes"]:
            kind, _, mode = key.partition("/")
            self.modes.setdefault(kind, []).append(mode)
        # the busiest states first (news coverage is heavy-tailed), the rest in seeded order
        lead = {code: rank for rank, code in enumerate(BUSY)}
        rest = [s for s in states if s["code"] not in lead]
        self.rng.shuffle(rest)
        self.states = sorted(
            (s for s in states if s["code"] in lead), key=lambda s: lead[s["code"]]
        )
        self.states += rest
        self.state_weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(states))]
        self.people: dict[str, list[tuple[str, str, str, str]]] = {}
        for state in states:
            code = state["code"]
            self.people[code] = [
                (f"person:{code.lower()}-{k}", f"{state['names'][0]} Official {k}", *OFFICES[k % 6])
                for k in range(people_per_state)
            ]

    def actor_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rows, offices = [], []
        for state in self.states:
            code = state["code"]
            rows.append(_actor(f"state:{code}", state["names"][0], "state", code, "GOV"))
            for key, name, title, sector in self.people[code]:
                rows.append(_actor(key, name, "person", code, sector))
                offices.append(
                    {"actor_id": key, "title": title, "code": code,
                     "first_seen": "2000-01-01", "last_seen": "2026-11-01"}
                )  # fmt: skip
        return rows, offices

    def _party(self, state: dict[str, Any]) -> dict[str, Any]:
        code = state["code"]
        if self.rng.random() < 0.5:
            key, name, title, sector = self.rng.choice(self.people[code])
            return {"actor_id": key, "name": name, "code": code, "sector": sector, "office": title}
        name = state["names"][0]
        return {"actor_id": f"state:{code}", "name": name, "code": code, "sector": "GOV",
                "office": None}  # fmt: skip

    def event(self, n: int) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
        rng = self.rng
        kind = rng.choices(self.types, self.type_weights)[0]
        mode = rng.choice(self.modes[kind]) if kind in self.modes and rng.random() < 0.5 else None
        spec = self.lexicon["modes"].get(f"{kind}/{mode}", {}) if mode else {}
        base = self.lexicon["types"][kind]
        first, second = rng.choices(self.states, self.state_weights, k=2)
        if first["code"] == second["code"]:
            second = rng.choice(self.states)
        date, precision = _date(rng)
        roll = rng.random()
        aux = "future" if roll < 0.03 else "historical" if roll < 0.08 else None
        place = rng.choice((first, second))
        event_id = hashlib.sha1(f"synthetic-event-{n}".encode()).hexdigest()[:20]
        row = {
            "id": event_id, "type": kind, "mode": mode, "context": ["diplomatic"], "aux": aux,
            "cameo": spec.get("cameo", base["cameo"]), "quad_class": base["quad"],
            "score": spec.get("score", base["score"]), "date": date, "date_precision": precision,
            "location": {"name": (place.get("capital") or [place["names"][0]])[0],
                         "code": place["code"], "lat": None, "lon": None},
            "confidence": round(rng.uniform(0.4, 0.99), 2),
            "extra": {"planned_date": date} if aux == "future" else {},
        }  # fmt: skip
        actor = self._party(first)
        recipient = self._party(second)
        # what the store's triggers would copy from the event
        copied = {
            "type": kind,
            "date": date,
            "quad_class": row["quad_class"],
            "score": row["score"],
        }
        parts = [
            {"event_id": event_id, "role": "actor", "position": 0, **actor, **copied},
            {"event_id": event_id, "role": "recipient", "position": 0, **recipient, **copied},
        ]
        sentence = f"{actor['name']} {VERBS[kind]} {recipient['name']} on {date}."
        return row, parts, sentence


def _actor(key: str, name: str, kind: str, code: str, sector: str) -> dict[str, Any]:
    return {"id": key, "name": name, "kind": kind, "code": code, "sector": sector,
            "first_seen": "2000-01-01", "last_seen": "2026-11-01", "mention_count": 10,
            "extra": {}}  # fmt: skip


def generate(db: str, n_events: int, seed: int, batch: int, per_article: int = 10) -> float:
    """Write ``n_events`` synthetic events into the empty store at ``db``; return seconds."""
    gen = Generator(seed)
    start = time.perf_counter()
    with Store(db) as store:
        if store.summary()["events"]:
            raise SystemExit(f"{db} already holds events: give a new store")
        rows, offices = gen.actor_rows()
        with store.engine.begin() as connection:
            connection.execute(insert(actors), rows)
            connection.execute(insert(actor_offices), offices)
        progress = Progress(
            TextColumn("generate"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
            TimeRemainingColumn(),
        )  # fmt: skip
        with progress:
            task = progress.add_task("events", total=n_events)
            for lo in range(0, n_events, batch):
                _write_batch(store, gen, lo, min(lo + batch, n_events), per_article)
                progress.update(task, completed=min(lo + batch, n_events))
    return time.perf_counter() - start


def _write_batch(store: Store, gen: Generator, lo: int, hi: int, per_article: int) -> None:
    event_rows, part_rows, article_rows, mention_rows = [], [], [], []
    sentences: list[tuple[str, str]] = []
    for n in range(lo, hi):
        row, parts, sentence = gen.event(n)
        event_rows.append(row)
        part_rows.extend(parts)
        sentences.append((row["id"], sentence))
        if len(sentences) == per_article or n == hi - 1:
            article_id = hashlib.sha1(f"synthetic-article-{n}".encode()).hexdigest()
            text, offset = [], 0
            for event_id, line in sentences:
                mention_rows.append(
                    {"event_id": event_id, "article_id": article_id, "start": offset,
                     "end": offset + len(line), "text": line}
                )  # fmt: skip
                text.append(line)
                offset += len(line) + 1
            published = row["date"] if row["date_precision"] == "day" else None
            article_rows.append(
                {"id": article_id, "title": f"Synthetic digest {n // per_article}",
                 "published": published, "source": "synthetic", "path": "synthetic",
                 "text": " ".join(text), "paragraphs": [], "extra": {},
                 "ingested_at": "2026-11-25T00:00:00", "title_inferred": False,
                 "published_inferred": False}
            )  # fmt: skip
            sentences = []
    with store.engine.begin() as connection:
        connection.execute(insert(articles), article_rows)
        connection.execute(insert(events), event_rows)
        connection.execute(insert(event_participants), part_rows)
        connection.execute(insert(event_mentions), mention_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a new SQLite path or postgresql:// URL")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()
    seconds = generate(args.db, args.events, args.seed, args.batch)
    print(f"{args.events:,} events written to {args.db} in {seconds:,.0f} s")


if __name__ == "__main__":
    main()

"""Latency of the knowledge base's main queries on a large store: p50 and p95 per query.

Each query runs through the Python API (`diplograph.open`), the same functions the CLI and
the web app call, so the figures are what an analyst waits for minus process start-up. The
parties are drawn from the store's busiest, middling and quiet states so that both heavy and
light dyads are measured; every query runs ``--runs`` times after one warm-up run.

Usage (from the repository root), after `benchmarks/generate_store.py` filled the store:

    .venv/bin/python benchmarks/query_latency.py --db /tmp/bench-1m.db
    .venv/bin/python benchmarks/query_latency.py --db postgresql://…/bench --runs 30

Prints a markdown table (query, p50 ms, p95 ms, rows) ready for docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import diplograph  # noqa: E402
from diplograph.store.schema import event_participants  # noqa: E402


def _codes_by_activity(kb: Any) -> list[str]:
    query = (
        select(event_participants.c.code, func.count().label("n"))
        .where(event_participants.c.code.is_not(None))
        .group_by(event_participants.c.code)
        .order_by(func.count().desc(), event_participants.c.code)
    )
    with kb.store.engine.connect() as connection:
        return [row.code for row in connection.execute(query)]


def _size(result: Any) -> int:
    for attr in ("total", "events"):
        if hasattr(result, attr) and isinstance(getattr(result, attr), int):
            return getattr(result, attr)
    try:
        return len(result)
    except TypeError:
        return 1


def queries(kb: Any, rng: random.Random) -> dict[str, Callable[[], Any]]:
    """The measured queries: name -> a call that draws its parties afresh each run."""
    codes = _codes_by_activity(kb)
    busy, middle, quiet = codes[:5], codes[10:40], codes[60:160]

    def dyad() -> tuple[str, str]:
        pool = rng.choice((busy, middle, quiet))
        a = rng.choice(pool)
        b = rng.choice([c for c in busy + middle if c != a])
        return a, b

    return {
        "events --actor (any state), first page": lambda: kb.events(
            actor=rng.choice(busy + middle + quiet), limit=50
        ),
        "events --actor A --partner B": lambda: kb.events(
            actor=(d := dyad())[0], partner=d[1], limit=50
        ),
        "events --type T --since D --until D": lambda: kb.events(
            type=rng.choice(["ACCUSE", "CONSULT", "SANCTION", "AID"]),
            since=f"{rng.randint(2000, 2024)}-01-01",
            until=f"{rng.randint(2025, 2026)}-06-30",
            limit=50,
        ),
        "events --actor A --type T --since D": lambda: kb.events(
            actor=rng.choice(busy + middle),
            type=rng.choice(["CONSULT", "THREATEN", "AGREE"]),
            since=f"{rng.randint(2010, 2024)}-01-01",
            limit=50,
        ),
        "events --text WORD": lambda: kb.events(
            text=rng.choice(["sanctions", "attacked", "backed", "threatened"]), limit=50
        ),
        "timeline A B --by year": lambda: kb.timeline(*dyad(), by="year"),
        "calendar --since D": lambda: kb.calendar(since=f"{rng.randint(2020, 2026)}-01-01"),
        "brief A B": lambda: kb.brief(*dyad()),
        "relations A (middling state)": lambda: kb.relations(rng.choice(middle)),
        "relations A (busiest states)": lambda: kb.relations(rng.choice(busy)),
    }


def measure(call: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds over ``runs`` calls (after one warm-up), and a result size."""
    size = _size(call())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLite path or postgresql:// URL")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", help="run only the queries whose name contains this text")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with diplograph.open(args.db) as kb:
        total = kb.store.summary()["events"]
        print(f"store: {args.db} · {total:,} events · {args.runs} runs per query\n")
        print("| query | p50 ms | p95 ms |")
        print("|---|---:|---:|")
        for name, call in queries(kb, rng).items():
            if args.only and args.only not in name:
                continue
            p50, p95, _ = measure(call, args.runs)
            print(f"| {name} | {p50:,.1f} | {p95:,.1f} |", flush=True)


if __name__ == "__main__":
    main()

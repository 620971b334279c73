"""Scaling of a Dask cluster ingest: one against two workers on the Reuters-21578 JSON Lines.

Run from the repository root::

    .venv/bin/python benchmarks/dask_scaling.py --limit 2000

The default corpus is ``../shared/corpus/reuters-21578/reuters-21578.jsonl`` beside the
repository (or under ``$DIPLOGRAPH_SHARED``); without it the script says so and exits 0.
``--limit N`` uses the first N articles (0: all).

For each worker count (1, then 2) a subprocess starts a ``LocalCluster`` of that many worker
processes with one thread each, loads the model on every worker (start-up is not timed),
then times a full ``diplograph.pipeline.ingest(..., cluster=client)`` into a fresh SQLite
store: reading, the driver's own model load, parsing on the workers, extraction in the
driver, batched writes. It reports wall time, articles/s and words/s, the steady rate after
the first committed batch (which carries the driver's model load), the speed-up of two
workers over one, and peak RSS of the driver and of the largest worker (``ru_maxrss``).
``--baseline`` adds a plain single-process ingest (no cluster) for comparison. The driver
competes with the workers for cores: on a machine with N cores, N workers leave the driver's
extraction (≈ 10–15 % of the CPU time) no core of its own. The last columns say, as shares
of the wall time, how much CPU each process used and how long its threads were ready to run
but waiting for a CPU (``/proc/<pid>/task/*/schedstat``, Linux): a high waiting share means
the machine, not diplograph, was the limit (other load, or more processes than cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED = Path(
    os.environ.get("DIPLOGRAPH_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
DEFAULT_CORPUS = SHARED / "corpus" / "reuters-21578" / "reuters-21578.jsonl"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _schedstat() -> tuple[int, int]:
    """This process's CPU time and time spent runnable but waiting for a CPU (ns, all threads)."""
    cpu = wait = 0
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "schedstat").read_text().split()
        except OSError:  # a thread that ended meanwhile
            continue
        cpu, wait = cpu + int(fields[0]), wait + int(fields[1])
    return cpu, wait


def run(corpus: Path, workers: int, folder: Path) -> dict[str, Any]:
    """One timed ingest: on a LocalCluster of ``workers`` processes, or none when 0."""
    from distributed import Client, LocalCluster

    from diplograph.nlp.cluster import parse_partition
    from diplograph.pipeline import ingest
    from diplograph.store.database import Store

    cluster = client = None
    if workers:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster, set_as_default=False)
        client.wait_for_workers(workers)
        warm = [
            client.submit(parse_partition, 0, ["Warm-up."], workers=[address], pure=False)
            for address in client.scheduler_info(n_workers=-1)["workers"]
        ]
        client.gather(warm)  # each worker has loaded its model
    marks: list[tuple[float, int]] = []
    store = Store(str(folder / f"bench-{workers}.db"))
    before = client.run(_schedstat) if client else {}
    driver_before = _schedstat()
    started = time.perf_counter()
    report = ingest(
        [str(corpus)],
        store,
        jobs=1,
        cluster=client,
        on_progress=lambda p: marks.append((time.perf_counter(), p.report.articles_read)),
    )
    seconds = time.perf_counter() - started
    driver_after = _schedstat()
    store.close()
    worker_peak, busy, starved = 0.0, [], []
    if client is not None:
        worker_peak = max(client.run(_peak_mb).values())
        for address, (cpu, wait) in client.run(_schedstat).items():
            busy.append((cpu - before[address][0]) / 1e9 / seconds)
            starved.append((wait - before[address][1]) / 1e9 / seconds)
        client.close()
        cluster.close()
    first = next(((t, n) for t, n in marks if n), None)  # the first committed batch
    rest = report.articles_read - first[1] if first else 0
    steady = rest / (started + seconds - first[0]) if first and rest else None
    return {
        "workers": workers,
        "seconds": seconds,
        "articles": report.articles_read,
        "stored": report.stored,
        "events": report.events,
        "steady": steady,
        "driver_mb": _peak_mb(),
        "worker_mb": worker_peak,
        "driver_cpu": (driver_after[0] - driver_before[0]) / 1e9 / seconds,
        "driver_wait": (driver_after[1] - driver_before[1]) / 1e9 / seconds,
        "worker_cpu": busy,
        "worker_wait": starved,
    }


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _share(cpu: float, wait: float) -> str:
    return f"{cpu:.0%} / {wait:.0%}"


def _mb(value: float) -> str:
    return f"{value:,.0f} MB" if value else "–"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "– (one batch only)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000, help="first N articles (0: all)")
    parser.add_argument("--baseline", action="store_true", help="add a no-cluster ingest")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # one measurement (child)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run is not None:
        print(json.dumps(run(args.corpus, args.run, args.folder)))
        return
    if not args.corpus.exists():
        print(f"skipped: corpus not found: {args.corpus} (set DIPLOGRAPH_SHARED or --corpus)")
        return

    from diplograph.ingest.jsonl import article_from_record

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subset, words, count = folder / "subset.jsonl", 0, 0
        with args.corpus.open(encoding="utf-8") as source, subset.open("w") as out:
            for line in source:
                if not line.strip():
                    continue
                out.write(line if line.endswith("\n") else line + "\n")
                words += len(article_from_record(json.loads(line)).text.split())
                count += 1
                if count == args.limit:
                    break
        rows = []
        for workers in ([0] if args.baseline else []) + [1, 2]:
            child = subprocess.run(
                [sys.executable, __file__, "--corpus", str(subset), "--run", str(workers),
                 "--folder", str(folder)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            rows.append(json.loads(child.stdout.strip().splitlines()[-1]))

    print(
        f"corpus: {args.corpus.name}, first {count} articles, {words:,} words; "
        f"{os.cpu_count()} CPU(s); 1-minute load average before the run {load:.1f}, "
        f"after {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| Dask workers | seconds | articles/s | words/s | steady articles/s "
        "| driver peak RSS | worker peak RSS | driver CPU / waiting | each worker CPU / waiting |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        label = row["workers"] or "none (single process)"
        print(
            f"| {label} | {row['seconds']:.1f} | {row['articles'] / row['seconds']:,.1f} | "
            f"{words / row['seconds']:,.0f} | {_rate(row['steady'])} | "
            f"{row['driver_mb']:,.0f} MB | {_mb(row['worker_mb'])} | "
            f"{_share(row['driver_cpu'], row['driver_wait'])} | "
            + (", ".join(map(_share, row["worker_cpu"], row["worker_wait"])) or "–")
            + " |"
        )
    one, two = rows[-2], rows[-1]
    same = len({(row["stored"], row["events"]) for row in rows}) == 1
    print(
        f"\nspeed-up, 2 workers over 1: {one['seconds'] / two['seconds']:.2f}× wall, "
        f"{_ratio(two['steady'], one['steady'])} steady (bar: 1.7×); "
        f"{two['stored']} articles and {two['events']} events stored"
        + (" by every run" if same else " by the last run: THE RUNS DIFFER")
    )


if __name__ == "__main__":
    main()

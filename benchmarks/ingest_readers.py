"""Reader and ingest throughput on the Reuters-21578 JSON Lines corpus.

Run from the repository root::

    .venv/bin/python benchmarks/ingest_readers.py
    .venv/bin/python benchmarks/ingest_readers.py --corpus path/to/file.jsonl --repeat 3

The default corpus is ``../shared/corpus/reuters-21578/reuters-21578.jsonl`` beside the
repository (or under ``$DIPLOGRAPH_SHARED``, as for the tests).

Two stages, each in its own subprocess so their peak RSS figures are separate:

* ``readers``: ``discover`` + ``read_source`` only (decode, parse, clean bodies); no store.
* ``ingest``: ``diplograph.pipeline.ingest`` into a fresh temporary SQLite store (the
  readers plus batched inserts and the full-text index). Opening the store (migrations) is
  not timed. Event/actor extraction is off unless ``--extract`` is given.

Prints a markdown table (1 MB = 10^6 bytes; peak RSS is the stage process's
``ru_maxrss``) and writes nothing anywhere; copy the figures into docs/performance.md.
With ``--repeat N`` each stage runs N times and the fastest run is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
STAGES = {
    "readers": "readers only (discover + read_source)",
    "ingest": "ingest into a new SQLite store",
}


def _peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux reports kilobytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_readers(corpus: Path) -> dict[str, Any]:
    """Read every article of ``corpus`` without storing anything."""
    from diplograph.ingest.errors import Rejection
    from diplograph.ingest.sources import discover, read_source

    articles = rejected = size = 0
    started = time.perf_counter()
    for source in discover([str(corpus)]):
        if isinstance(source, Rejection):
            rejected += 1
            continue
        size += source.size or 0
        for item, _ in read_source(source):
            if isinstance(item, Rejection):
                rejected += 1
            else:
                articles += 1
    seconds = time.perf_counter() - started
    return {"articles": articles, "rejected": rejected, "bytes": size, "seconds": seconds}


def run_ingest(corpus: Path, extract: bool = False) -> dict[str, Any]:
    """Ingest ``corpus`` into a new SQLite store in a temporary folder."""
    from diplograph.pipeline import ingest
    from diplograph.store.database import Store

    with tempfile.TemporaryDirectory(prefix="diplograph-bench-") as folder:
        with Store(str(Path(folder) / "bench.db")) as store:
            report = ingest([str(corpus)], store, extract=extract)
            stored = store.article_count()
        db_bytes = sum(p.stat().st_size for p in Path(folder).iterdir())
    return {
        "articles": report.articles_read,
        "rejected": len(report.rejections),
        "stored": stored,
        "bytes": corpus.stat().st_size,
        "seconds": report.seconds,
        "db_bytes": db_bytes,
    }


def _stage_in_subprocess(stage: str, corpus: Path, extract: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage]
    command += ["--corpus", str(corpus), *(["--extract"] if extract else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"stage {stage} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _label(stage: str, extract: bool) -> str:
    if stage == "ingest" and extract:
        return STAGES[stage] + ", with extraction"
    return STAGES[stage]


def _table(results: dict[str, dict[str, Any]], extract: bool) -> str:
    rows = [
        "| stage | articles | rejected | MB | seconds | articles/s | MB/s | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stage, r in results.items():
        mb = r["bytes"] / 1e6
        rows.append(
            f"| {_label(stage, extract)} | {r['articles']:,} | {r['rejected']:,} | {mb:,.1f} "
            f"| {r['seconds']:,.2f} | {r['articles'] / r['seconds']:,.0f} "
            f"| {mb / r['seconds']:,.2f} | {r['peak_rss'] / 1e6:,.0f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per stage; best is kept")
    parser.add_argument(
        "--extract", action="store_true", help="ingest stage also extracts events and actors"
    )
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus: Path = args.corpus.resolve()
    if not corpus.is_file():
        sys.exit(f"corpus not found: {corpus} (give one with --corpus PATH)")

    if args.stage:  # child: run one stage, print its figures as JSON
        if args.stage == "readers":
            result = run_readers(corpus)
        else:
            result = run_ingest(corpus, args.extract)
        print(json.dumps({**result, "peak_rss": _peak_rss()}))
        return

    results: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        runs = [
            _stage_in_subprocess(stage, corpus, args.extract) for _ in range(max(1, args.repeat))
        ]
        results[stage] = min(runs, key=lambda r: r["seconds"])
    ingest = results["ingest"]
    print(
        f"corpus: {corpus.name} ({corpus.stat().st_size / 1e6:,.1f} MB); "
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPU(s); best of {max(1, args.repeat)} run(s)\n"
    )
    print(_table(results, args.extract))
    print(
        f"\ningest stored {ingest['stored']:,} article(s); "
        f"SQLite store {ingest['db_bytes'] / 1e6:,.1f} MB on disk."
    )


if __name__ == "__main__":
    main()

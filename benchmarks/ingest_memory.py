"""Peak memory of a full ingest (extraction on) as the corpus grows: 1k vs all Reuters stories.

Runs `diplograph ingest --jobs N` in a subprocess on the first K stories of a JSON Lines
corpus, for each K given, into a fresh SQLite store, and samples the resident memory of the
whole process tree (the ingest and its parsing workers) every 0.2 s from /proc. Reports the
peak of the tree, the peak of the main process, the time and the rate, and the growth of the
largest run's tree peak over the smallest's (issue 6 bar: flat within 10 %, under 1.5 GB).

Usage (from the repository root):

    .venv/bin/python benchmarks/ingest_memory.py                       # 1,000 and all, 2 jobs
    .venv/bin/python benchmarks/ingest_memory.py --sizes 1000 5000 --jobs 1
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIPLOGRAPH_SHARED", ROOT.parent / "shared"))
DEFAULT = SHARED / "corpus" / "reuters-21578" / "reuters-21578.jsonl"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def measure(corpus: Path, size: int | None, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / "subset.jsonl"
        with corpus.open(encoding="utf-8") as source, subset.open("w", encoding="utf-8") as out:
            for n, line in enumerate(source):
                if size is not None and n >= size:
                    break
                out.write(line)
                count = n + 1
        command = [str(ROOT / ".venv/bin/diplograph"), "--db", str(Path(folder) / "m.db"),
                   "ingest", "--no-progress", "--jobs", str(jobs), str(subset)]  # fmt: skip
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak_tree = peak_main = 0
        while proc.poll() is None:
            pids = _tree(proc.pid)
            peak_tree = max(peak_tree, sum(_rss(pid) for pid in pids))
            peak_main = max(peak_main, _rss(proc.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            sys.exit(f"ingest failed ({proc.returncode}): {proc.stderr.read().decode()[-500:]}")
    return {"articles": count, "seconds": seconds, "tree": peak_tree, "main": peak_main}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 0], help="0: all")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus} (set DIPLOGRAPH_SHARED or --corpus)")
    print(f"corpus: {args.corpus.name}; --jobs {args.jobs}\n")
    print("| articles | seconds | articles/s | peak RSS, all processes (MB) | main process (MB) |")
    print("|---:|---:|---:|---:|---:|")
    runs = []
    for size in args.sizes:
        run = measure(args.corpus, size or None, args.jobs)
        runs.append(run)
        print(
            f"| {run['articles']:,} | {run['seconds']:.0f} | {run['articles'] / run['seconds']:.1f}"
            f" | {run['tree'] / 2**20:,.0f} | {run['main'] / 2**20:,.0f} |",
            flush=True,
        )
    if len(runs) > 1:
        growth = runs[-1]["tree"] / runs[0]["tree"] - 1
        first, last = runs[0]["articles"], runs[-1]["articles"]
        print(f"\npeak growth from {first:,} to {last:,} articles: {growth:+.1%}")


if __name__ == "__main__":
    main()

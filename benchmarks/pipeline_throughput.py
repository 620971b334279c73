"""Full extraction pipeline against the floor: bare ``nlp.pipe`` with the same spaCy model.

Run from the repository root::

    .venv/bin/python benchmarks/pipeline_throughput.py                  # 300 Guardian articles
    .venv/bin/python benchmarks/pipeline_throughput.py --limit 2000 \\
        --corpus ../shared/corpus/reuters-21578/reuters-21578.jsonl

Side by side, in one process, on the same texts, after a warm-up:

* ``floor``: ``spacy.load(<model>)`` + ``nlp.pipe(texts)``, nothing else;
* ``analyze``: diplograph's ``Analyzer`` (the same model plus the rule layer, then actors,
  dates, events and facts);
* ``ingest``: ``diplograph.pipeline.ingest`` into a fresh SQLite store (reading, analysis,
  batched writes), with one process (``--jobs 1``) and then with ``--jobs N`` parsing
  processes (default N: 2; the workers' start-up, loading the model, is included).

Prints words/s, articles/s, each stage's ratio to the floor, and the peak RSS of the process.
The stages run in the order floor, analyze, floor again (the mean of the two floor runs is
used), so machine load drifting during the run does not favour either side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

SHARED = Path(
    os.environ.get("DIPLOGRAPH_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
DEFAULT_CORPUS = SHARED / "corpus" / "guardian-2019" / "guardian-world-sample.jsonl"


def load_texts(corpus: Path, limit: int) -> list[dict]:
    records = []
    with corpus.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                records.append(json.loads(line))
            if len(records) >= limit:
                break
    return records


def timed(label: str, run, words: int, articles: int) -> dict:  # noqa: ANN001
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    return {
        "stage": label,
        "seconds": seconds,
        "words_per_s": words / seconds,
        "articles_per_s": articles / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles to use")
    parser.add_argument("--jobs", type=int, default=2, help="parsing processes, second ingest")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus} (set DIPLOGRAPH_SHARED or --corpus)")

    import spacy

    from diplograph.extract.analyze import Analyzer
    from diplograph.ingest.jsonl import article_from_record
    from diplograph.nlp.pipeline import MODELS
    from diplograph.pipeline import ingest
    from diplograph.store.database import Store

    records = load_texts(args.corpus, args.limit)
    articles = [article_from_record(r) for r in records]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    model = next(name for name in MODELS if spacy.util.is_package(name))
    bare = spacy.load(model)
    analyzer = Analyzer()
    list(bare.pipe(texts[:20]))  # warm-up both
    list(analyzer.analyze(articles[:20]))

    floor_a = timed(
        "floor", lambda: deque(bare.pipe(texts, batch_size=32), maxlen=0), words, len(texts)
    )
    full = timed("analyze", lambda: deque(analyzer.analyze(articles), maxlen=0), words, len(texts))
    floor_b = timed(
        "floor", lambda: deque(bare.pipe(texts, batch_size=32), maxlen=0), words, len(texts)
    )
    floor_wps = (floor_a["words_per_s"] + floor_b["words_per_s"]) / 2

    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / "subset.jsonl"
        subset.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        runs = []
        for jobs in (1, args.jobs):
            store = Store(str(Path(folder) / f"bench-{jobs}.db"))
            label = f"ingest --jobs {jobs}"
            runs.append(
                timed(label, lambda j=jobs, s=store: ingest([str(subset)], s, jobs=j), words,
                      len(texts))
            )  # fmt: skip
            store.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"corpus: {args.corpus.name}, {len(texts)} articles, {words:,} words; model {model}; "
        f"{os.cpu_count()} CPU(s)\n"
    )
    print("| stage | seconds | words/s | articles/s | ratio to floor |")
    print("|---|---:|---:|---:|---:|")
    for row in (floor_a, floor_b, full, *runs):
        print(
            f"| {row['stage']} | {row['seconds']:.2f} | {row['words_per_s']:,.0f} | "
            f"{row['articles_per_s']:,.1f} | {row['words_per_s'] / floor_wps:.2f} |"
        )
    print(f"\npeak RSS of the main process: {peak_mb:,.0f} MB (parsing workers not included)")


if __name__ == "__main__":
    main()

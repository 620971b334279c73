"""Build diplograph's starter registry of people by reading news (``data/people.json.gz``).

    .venv/bin/python scripts/build_registry.py            # the shared corpora and our own texts

The actor registry learns who holds which office from the text itself (``extract/registry.py``),
article after article. A fresh store would start knowing nobody: an article that names "Trump"
or "Erdoğan" without a title could not be coded. The starter registry is what the same learning
makes of the news in ../shared/corpus (the Guardian sample without its held-out articles,
Reuters-21578, the BBC politics set, the seeds) and of the team's own articles in
tests/gold/synthetic: only people whose state or organisation was read from a title or an
apposition, with the aliases and the dated offices the text gave them. Stores learn on top of it,
and what an article says always wins over it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rich.progress import Progress

from diplograph.extract.actors import resolve_actors
from diplograph.extract.registry import ActorRegistry
from diplograph.ingest.sources import Source, discover, read_source
from diplograph.models import Article
from diplograph.nlp.parallel import ParsePool
from diplograph.nlp.pipeline import load_nlp

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
OUT = REPO / "src" / "diplograph" / "data" / "people.json.gz"
HELD_OUT = {f"guardian-{i:03d}" for i in range(200, 215)}  # tests/gold/heldout: never read
INPUTS = [
    SHARED / "seeds",
    SHARED / "guardian-2019",
    SHARED / "bbc-politics",
    SHARED / "reuters-21578",
    REPO / "tests" / "gold" / "synthetic",
]


def articles(inputs: list[Path]) -> Iterator[Article]:
    for item in discover(str(p) for p in inputs):
        if not isinstance(item, Source):
            continue
        for article, _ in read_source(item):
            if isinstance(article, Article) and article.source_id not in HELD_OUT:
                yield article


def keep(record: dict) -> bool:
    """A person worth starting with: coded from a title, and seen with an office or often."""
    return bool(record["code"]) and (bool(record["offices"]) or record["mention_count"] >= 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    missing = [p for p in INPUTS if not p.exists()]
    if missing:
        print(f"missing input(s): {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    found = list(articles(INPUTS))
    nlp, registry = load_nlp(), ActorRegistry()
    with ParsePool(nlp, args.jobs) as pool, Progress() as progress:
        task = progress.add_task("reading", total=len(found))
        for article, doc in zip(found, pool.parse(a.text for a in found), strict=True):
            resolve_actors(doc, article, registry)
            progress.advance(task)
    records = sorted((r for r in registry.to_records() if keep(r)), key=lambda r: r["id"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as out:
        json.dump({"articles": len(found), "people": records}, out, ensure_ascii=False)
    print(
        f"{len(found)} articles read, {len(registry)} people learned, {len(records)} kept "
        f"-> {args.out} ({args.out.stat().st_size // 1024} KiB, "
        f"{time.perf_counter() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

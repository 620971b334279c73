"""Parsing on several processes stores exactly what one process stores."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from diplograph.extract.analyze import PARALLEL_FROM, Analyzer
from diplograph.ingest.sources import discover, read_source
from diplograph.kb.records import iter_actors, iter_events, iter_facts
from diplograph.models import Article
from diplograph.pipeline import ingest
from diplograph.store.database import Store


def _example_articles() -> list[Article]:
    found = []
    for source in discover([str(EXAMPLES)]):
        found += [item for item, _ in read_source(source) if isinstance(item, Article)]
    return found


def test_the_parse_pool_gives_the_same_analyses_in_the_same_order() -> None:
    articles = _example_articles()
    assert len(articles) >= PARALLEL_FROM, "the batch must be large enough to use the pool"
    alone = list(Analyzer().analyze(articles))
    shared = Analyzer(jobs=2)
    try:
        parallel = list(shared.analyze(articles))
        assert shared._pool is not None, "the pool was not used"
    finally:
        shared.close()
    assert [a.article_id for a in parallel] == [a.article_id for a in alone]
    assert parallel == alone
    assert sum(len(a.events) for a in parallel) > 20


def test_ingest_with_two_jobs_stores_what_one_job_stores(tmp_path: Path) -> None:
    # one JSON Lines file of every example article: a single batch, large enough to share out
    corpus = tmp_path / "examples.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for article in _example_articles():
            row = {"title": article.title, "published": article.published, "text": article.text}
            out.write(json.dumps(row) + "\n")
    exports = []
    for jobs in (1, 2):
        with Store(str(tmp_path / f"jobs{jobs}.db")) as store:
            report = ingest([str(corpus)], store, jobs=jobs)
            assert report.ok and report.stored >= PARALLEL_FROM
            exports.append(
                (list(iter_events(store)), list(iter_actors(store)), list(iter_facts(store)))
            )
    assert exports[0] == exports[1]
    assert len(exports[0][0]) > 20


@pytest.mark.timeout(120)
def test_a_parsing_worker_that_dies_is_an_error_not_a_hang() -> None:
    from concurrent.futures.process import BrokenProcessPool

    from diplograph.nlp.parallel import ParsePool
    from diplograph.nlp.pipeline import load_nlp

    with ParsePool(load_nlp(), 2) as pool:
        assert len(list(pool.parse(["The minister met the ambassador."] * 8))) == 8
        victim = next(iter(pool._pool._processes.values()))
        os.kill(victim.pid, signal.SIGKILL)
        victim.join(10)
        with pytest.raises(BrokenProcessPool):
            list(pool.parse(["The minister met the ambassador."] * 8))

"""Every article of ../shared/corpus ingests with zero rejections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from diplograph.pipeline import ingest
from diplograph.store.database import Store


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every corpus is stored on SQLite and on PostgreSQL (which enforces VARCHAR lengths)."""
    return any_store


def lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for line in stream if line.strip())


@pytest.mark.parametrize("folder", ["seeds", "guardian-2019", "bbc-politics"])
def test_corpus_folder_ingests_without_rejections(store: Store, folder: str) -> None:
    path = shared_path("corpus", folder)
    report = ingest([str(path)], store, extract=False)
    assert report.rejections == []
    assert report.articles_read > 0
    assert store.article_count() == report.stored


def test_guardian_metadata(store: Store) -> None:
    path = shared_path("corpus", "guardian-2019", "guardian-world-sample.jsonl")
    report = ingest([str(path)], store, extract=False)
    assert report.articles_read == lines(path) == 249
    records = list(store.iter_articles())
    assert all(r["source"] == "The Guardian" and r["published"] for r in records)
    assert {r["source_id"] for r in records} <= {
        json.loads(line)["id"] for line in path.read_text().splitlines()
    }


def test_bbc_headlines_and_no_dates(store: Store) -> None:
    report = ingest([str(shared_path("corpus", "bbc-politics"))], store, extract=False)
    records = list(store.iter_articles())
    assert report.articles_read == 417
    # the collection repeats some stories word for word: those are stored once
    assert len(records) == report.stored == 417 - report.already_stored > 380
    assert all(r["published"] is None for r in records)
    assert sum(not r["title_inferred"] for r in records) / len(records) > 0.98


@pytest.mark.slow
def test_reuters_ingests_whole(store: Store) -> None:
    path = shared_path("corpus", "reuters-21578", "reuters-21578.jsonl")
    report = ingest([str(path)], store, extract=False)
    assert report.rejections == []
    assert report.articles_read == lines(path)
    # the collection holds some stories twice: those are stored once
    assert report.stored + report.already_stored == report.articles_read
    assert store.article_count() == report.stored > 18000
    records = store.iter_articles()
    first = next(records)
    assert first["source"] == "Reuters" and first["dateline"] == "Salvador"
    assert first["published"] == "1987-02-26T15:01:01"
    # the wire's "Reuter" sign-off is not body text
    assert not first["text"].rstrip().endswith("Reuter")


def test_seeds_yield_the_known_events_and_facts(store: Store) -> None:
    from diplograph.kb.records import iter_events, iter_facts

    report = ingest([str(shared_path("corpus", "seeds"))], store)
    assert report.rejections == [] and report.events > 0
    events = list(iter_events(store))
    meetings = {
        e["date"]
        for e in events
        if e["type"] == "CONSULT"
        and {"KAZ", "CHN"} <= {p["code"] for p in e["actor"] + e["recipient"]}
    }
    # Tokayev and Wang Yi met on 2020-09-12 (article of 2020-09-14) and 2022-06-07
    assert {"2020-09-12", "2022-06-07"} <= meetings
    established = {
        (tuple(f["parties"]), f.get("date"))
        for f in iter_facts(store)
        if f["kind"] == "relations_established"
    }
    assert (("KAZ", "VAT"), "1992-10-17") in established
    from diplograph.kb.records import iter_actors

    kazakhstan = next(a for a in iter_actors(store) if a["id"] == "state:KAZ")
    # seen in every dated seed: from the 2020-09-14 report to the 2022-06-07 one
    assert (kazakhstan["first_seen"], kazakhstan["last_seen"]) == ("2020-09-14", "2022-06-07")
    assert kazakhstan["mention_count"] > 50

"""Scoring the store against gold files, on real SQLite and PostgreSQL stores, hand-made events."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from diplograph.ingest.body import clean_body, make_article
from diplograph.kb.evaluate import evaluate, format_report
from diplograph.store import schema
from diplograph.store.database import Store

_ids = count(1)


def add_article(store: Store, text: str, **meta: Any) -> str:
    article = make_article(clean_body(text), **meta)
    store.add_articles([article])
    return article.id


def add_event(
    store: Store,
    articles: str | list[str],
    type_: str,
    actor: list[Any] = (),
    recipient: list[Any] = (),
    date: str | None = None,
) -> str:
    """An event read from ``articles``; a participant is a code or (name, code, kind)."""
    event_id = f"ev{next(_ids)}"
    with store.engine.begin() as conn:
        conn.execute(
            insert(schema.events),
            [{"id": event_id, "type": type_, "context": [], "extra": {}, "date": date}],
        )
        for role, parties in (("actor", actor), ("recipient", recipient)):
            for position, party in enumerate(parties):
                name, code, kind = party if isinstance(party, tuple) else (party, party, "state")
                actor_id = f"{kind}:{name}"
                known = conn.execute(
                    select(schema.actors.c.id).where(schema.actors.c.id == actor_id)
                )
                if known.first() is None:
                    conn.execute(
                        insert(schema.actors),
                        [{"id": actor_id, "name": name, "kind": kind, "code": code, "extra": {}}],
                    )
                conn.execute(
                    insert(schema.event_participants),
                    [
                        {
                            "event_id": event_id,
                            "role": role,
                            "position": position,
                            "actor_id": actor_id,
                            "name": name,
                            "code": code,
                        }
                    ],
                )
        for article_id in [articles] if isinstance(articles, str) else articles:
            conn.execute(
                insert(schema.event_mentions),
                [
                    {
                        "event_id": event_id,
                        "article_id": article_id,
                        "start": 0,
                        "end": 10,
                        "text": f"{type_} evidence",
                    }
                ],
            )
    return event_id


def add_fact(store: Store, article_id: str, kind: str, **values: Any) -> None:
    fact_id = f"f{next(_ids)}"
    row = {"id": fact_id, "kind": kind, "parties": [], "extra": {}, **values}
    with store.engine.begin() as conn:
        conn.execute(insert(schema.facts), [row])
        conn.execute(
            insert(schema.fact_mentions),
            [{"fact_id": fact_id, "article_id": article_id, "start": 0, "end": 5, "text": "x"}],
        )


def gold(tmp_path: Path, *records: dict[str, Any] | str) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ev(ref: dict[str, str], type_: str, actor=(), recipient=(), date=None) -> dict[str, Any]:
    return {
        "article": ref,
        "type": type_,
        "actor": [{"code": c} for c in actor],
        "recipient": [{"code": c} for c in recipient],
        "date": date,
    }


def prf(score) -> tuple[float, float, float]:
    return (round(score.precision, 4), round(score.recall, 4), round(score.f1, 4))


A = {"source_id": "g-1"}


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every test here runs on SQLite and on PostgreSQL."""
    return any_store


@pytest.fixture
def art(store: Store) -> str:
    return add_article(store, "Tokayev met Wang Yi in Nur-Sultan.", source_id="g-1")


def test_perfect_match_ignores_events_of_other_articles(store: Store, art: str, tmp_path) -> None:
    other = add_article(store, "Unrelated article about Iran.", title="Elsewhere")
    add_event(store, art, "CONSULT", ["KAZ", "CHN"], date="2020-09-12")
    add_event(store, other, "ACCUSE", ["USA"], ["IRN"], date="2020-09-12")
    report = evaluate(store, gold(tmp_path, ev(A, "CONSULT", ["CHN", "KAZ"], date="2020-09-12")))
    assert (report.events.tp, report.events.gold, report.events.predicted) == (1, 1, 1)
    assert prf(report.events) == (1.0, 1.0, 1.0)
    assert prf(report.per_type["CONSULT"]) == (1.0, 1.0, 1.0)
    assert "ACCUSE" not in report.per_type
    assert report.misses == [] and report.false_positives == [] and report.unresolved == []


def test_wrong_type_is_a_miss_and_a_false_positive(store: Store, art: str, tmp_path) -> None:
    add_event(store, art, "ACCUSE", ["KAZ"], ["CHN"], date="2020-09-12")
    report = evaluate(store, gold(tmp_path, ev(A, "CONSULT", ["KAZ"], ["CHN"], "2020-09-12")))
    assert prf(report.events) == (0.0, 0.0, 0.0)
    assert prf(report.type_only) == (0.0, 0.0, 0.0)
    assert (report.per_type["CONSULT"].gold, report.per_type["CONSULT"].predicted) == (1, 0)
    assert (report.per_type["ACCUSE"].gold, report.per_type["ACCUSE"].predicted) == (0, 1)
    assert report.code_accuracy.total == 0
    assert [m["type"] for m in report.misses] == ["CONSULT"]
    assert [f["type"] for f in report.false_positives] == ["ACCUSE"]


def test_wrong_actor_code_counts_type_only(store: Store, art: str, tmp_path) -> None:
    add_event(store, art, "CONSULT", ["KAZ"], ["RUS"], date="2020-09-12")
    add_event(store, art, "AGREE", ["KAZ"], ["CHN"], date="2020-09-12")
    add_event(store, art, "SUPPORT", ["CHN"], ["KAZ"], date="2020-09-12")
    path = gold(
        tmp_path,
        ev(A, "CONSULT", ["KAZ"], ["CHN"], "2020-09-12"),
        ev(A, "AGREE", ["KAZ"], ["CHN"], "2020-09-12"),
    )
    report = evaluate(store, path)
    assert (report.events.tp, report.events.gold, report.events.predicted) == (1, 2, 3)
    assert prf(report.events) == (0.3333, 0.5, 0.4)
    assert prf(report.type_only) == (0.6667, 1.0, 0.8)
    assert (report.code_accuracy.correct, report.code_accuracy.total) == (1, 2)
    assert (report.date_accuracy.correct, report.date_accuracy.total) == (2, 2)
    miss = report.misses[0]
    assert miss["recipient"] == ["CHN"] and miss["type_match"]["recipient"] == ["RUS"]


def test_merged_parties_match_when_one_side_has_no_recipient(store: Store, art, tmp_path) -> None:
    add_event(store, art, "CONSULT", ["KAZ"], ["CHN"], date="2020-09-12")  # merged form in gold
    add_event(store, art, "AGREE", ["KAZ", "UZB"], date="2020-09-12")  # merged form predicted
    add_event(store, art, "SUPPORT", ["KAZ"], ["CHN"], date="2020-09-12")  # real role swap
    path = gold(
        tmp_path,
        ev(A, "CONSULT", ["CHN", "KAZ"], [], "2020-09-12"),
        ev(A, "AGREE", ["UZB"], ["KAZ"], "2020-09-12"),
        ev(A, "SUPPORT", ["CHN"], ["KAZ"], "2020-09-12"),
    )
    report = evaluate(store, path)
    assert report.events.tp == 2
    assert prf(report.per_type["SUPPORT"]) == (0.0, 0.0, 0.0)
    assert (report.code_accuracy.correct, report.code_accuracy.total) == (2, 3)


def test_dates_at_gold_precision(store: Store, art: str, tmp_path) -> None:
    add_event(store, art, "CONSULT", ["KAZ"], ["CHN"], date="2020-09")  # coarser than gold
    add_event(store, art, "AGREE", ["KAZ"], ["CHN"], date="2020-09-12")  # finer than gold
    add_event(store, art, "SUPPORT", ["KAZ"], ["CHN"], date=None)  # gold date null
    add_event(store, art, "REQUEST", ["KAZ"], ["CHN"], date="2021-09-12")  # gold at year precision
    path = gold(
        tmp_path,
        ev(A, "CONSULT", ["KAZ"], ["CHN"], "2020-09-12"),
        ev(A, "AGREE", ["KAZ"], ["CHN"], "2020-09"),
        ev(A, "SUPPORT", ["KAZ"], ["CHN"], None),
        ev(A, "REQUEST", ["KAZ"], ["CHN"], "2021"),
    )
    report = evaluate(store, path)
    assert {t for t, s in report.per_type.items() if s.tp} == {"AGREE", "SUPPORT", "REQUEST"}
    assert prf(report.events) == (0.75, 0.75, 0.75)
    assert prf(report.type_only) == (1.0, 1.0, 1.0)
    assert (report.date_accuracy.correct, report.date_accuracy.total) == (2, 3)


def test_unresolved_articles_count_as_misses(store: Store, art: str, tmp_path) -> None:
    titled = add_article(store, "Body of the digest item.", title="Kazakhstan,  China  sign deal")
    filed = add_article(store, "Another body.", path="/data/corpus/000_9c557d8994a7c5fe.txt")
    add_event(store, titled, "AGREE", ["KAZ"], ["CHN"], date="2020-09-12")
    add_event(store, filed, "CONSULT", ["KAZ", "RUS"])
    path = gold(
        tmp_path,
        ev({"title": "Kazakhstan, China sign deal"}, "AGREE", ["KAZ"], ["CHN"], "2020-09-12"),
        ev({"path": "000_9c557d8994a7c5fe.txt"}, "CONSULT", ["RUS", "KAZ"]),
        ev({"path": "9c557d8994a7c5fe.txt"}, "CONSULT", ["KAZ"], ["CHN"]),  # not a file name
        ev({"title": "No such article"}, "ASSAULT", ["SYR"]),
        {"record": "fact", "article": {"title": "No such article"}, "kind": "trade"},
    )
    report = evaluate(store, path)
    assert report.gold_articles == 2
    assert (report.events.tp, report.events.gold, report.events.predicted) == (2, 4, 2)
    assert prf(report.events) == (1.0, 0.5, 0.6667)
    assert report.unresolved == [
        {"ref": "path='9c557d8994a7c5fe.txt'", "events": 1, "facts": 0},
        {"ref": "title='No such article'", "events": 1, "facts": 1},
    ]
    assert report.facts.gold == 1 and report.facts.tp == 0
    text = format_report(report)
    assert "WARNING: 2 gold article reference(s) not found" in text
    assert "count as misses (recall)" in text


def test_event_reported_in_two_gold_articles_counts_once_per_article(store: Store, tmp_path):
    one = add_article(store, "First report of the meeting.", source_id="a")
    two = add_article(store, "Second report of the meeting.", source_id="b")
    add_event(store, [one, two], "CONSULT", ["KAZ", "CHN"], date="2020-09-12")
    path = gold(tmp_path, ev({"source_id": "a"}, "CONSULT", ["KAZ", "CHN"], date="2020-09-12"))
    report = evaluate(store, path)
    assert (report.events.tp, report.events.gold, report.events.predicted) == (1, 1, 1)
    path = gold(
        tmp_path,
        ev({"source_id": "a"}, "CONSULT", ["KAZ", "CHN"], date="2020-09-12"),
        ev({"source_id": "b"}, "CONSULT", ["KAZ", "CHN"], date="2020-09-12"),
    )
    assert prf(evaluate(store, path).events) == (1.0, 1.0, 1.0)


def test_references_to_several_articles_are_pooled(store: Store, tmp_path: Path) -> None:
    one = add_article(store, "First item under a shared headline.", title="News in brief")
    two = add_article(store, "Second item under a shared headline.", title="News in brief")
    add_event(store, one, "CONSULT", ["KAZ", "CHN"], date="2020-09-12")
    add_event(store, two, "AGREE", ["KAZ"], ["UZB"], date="2020-09-12")
    ref = {"title": "News in brief"}
    path = gold(
        tmp_path,
        ev(ref, "CONSULT", ["KAZ", "CHN"], date="2020-09-12"),
        ev(ref, "AGREE", ["KAZ"], ["UZB"], "2020-09-12"),
    )
    report = evaluate(store, path)
    assert prf(report.events) == (1.0, 1.0, 1.0)
    assert report.gold_articles == 1
    assert report.ambiguous == [{"ref": "title='News in brief'", "articles": 2}]


def test_person_code_accuracy(store: Store, art: str, tmp_path) -> None:
    wang, tokayev = ("Wang Yi", "CHN", "person"), ("Kassym-Jomart Tokayev", "RUS", "person")
    add_event(store, art, "CONSULT", [wang], [tokayev], date="2020-09-12")
    report = evaluate(store, gold(tmp_path, ev(A, "CONSULT", ["CHN"], ["KAZ"], "2020-09-12")))
    assert report.events.tp == 0 and report.type_only.tp == 1
    acc = report.person_code_accuracy
    assert (acc.correct, acc.total, acc.value) == (1, 2, 0.5)


def test_facts_with_numeric_tolerance(store: Store, art: str, tmp_path) -> None:
    add_fact(store, art, "trade", parties=["RUS", "KAZ"], period="2021", value="24100000000")
    add_fact(store, art, "investment", parties=["KAZ", "CHN"], period="2021", value="25e9")
    add_fact(store, art, "relations_established", parties=["VAT", "KAZ"], date="1992-10-17")
    add_fact(store, art, "office", subject="Wang Yi", code="CHN", value="Foreign Minister")
    fact = {"record": "fact", "article": A}
    path = gold(
        tmp_path,
        {**fact, "kind": "trade", "parties": ["KAZ", "RUS"], "period": "2021", "value": 24e9},
        {**fact, "kind": "investment", "parties": ["KAZ", "CHN"], "value": 24e9},
        {**fact, "kind": "relations_established", "parties": ["KAZ", "VAT"], "date": "1992-10"},
        {
            **fact,
            "kind": "office",
            "subject": "Wang  Yi",
            "code": "CHN",
            "value": "Minister of Foreign Affairs",
        },
    )
    report = evaluate(store, path)
    assert (report.facts.tp, report.facts.gold, report.facts.predicted) == (2, 4, 4)
    assert prf(report.facts) == (0.5, 0.5, 0.5)
    assert report.facts_per_kind["trade"].tp == 1
    assert report.facts_per_kind["relations_established"].tp == 1
    assert report.facts_per_kind["investment"].tp == 0
    assert {m["kind"] for m in report.fact_misses} == {"investment", "office"}
    assert report.events.gold == 0 and report.events.predicted == 0


def test_malformed_gold_lines_name_the_line(store: Store, tmp_path: Path) -> None:
    path = gold(tmp_path, ev(A, "CONSULT"), "", '{"article": {"title": "x"}, "type": ')
    with pytest.raises(ValueError, match=r"gold\.jsonl:3: malformed JSON"):
        evaluate(store, path)
    with pytest.raises(ValueError, match=r":1: 'article' must give"):
        evaluate(store, gold(tmp_path, {"type": "CONSULT"}))
    with pytest.raises(ValueError, match=r":1: missing kind"):
        evaluate(store, gold(tmp_path, {"record": "fact", "article": A}))


def test_report_formats(store: Store, art: str, tmp_path: Path) -> None:
    add_event(store, art, "CONSULT", ["KAZ"], ["RUS"], date="2020-09-12")
    report = evaluate(store, gold(tmp_path, ev(A, "CONSULT", ["KAZ"], ["CHN"], "2020-09-12")))
    data = json.loads(format_report(report, fmt="json"))
    assert data["events"] == {
        "tp": 0,
        "gold": 1,
        "predicted": 1,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert data["type_only"]["f1"] == 1.0 and data["code_accuracy"]["accuracy"] == 0.0
    text = format_report(report)
    assert "full match" in text and "type only" in text and "CONSULT" in text
    assert "misses" not in text
    verbose = format_report(report, verbose=True)
    assert "misses (1)" in verbose and "CONSULT KAZ -> CHN 2020-09-12" in verbose
    assert "false positives (1)" in verbose and "KAZ -> RUS" in verbose
    with pytest.raises(ValueError, match="unknown format"):
        format_report(report, fmt="xml")

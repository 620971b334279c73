"""Analysts' corrections: shown in exports, undoable, and in force after re-ingest and
re-extraction; merging actors (kb/corrections.py, cli/correct.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import EXAMPLES, shared_path
from diplograph.cli import app
from diplograph.kb.corrections import (
    CorrectionError,
    apply_corrections,
    correct_event,
    list_corrections,
    merge_actors,
    undo,
)
from diplograph.kb.records import iter_actors, iter_events
from diplograph.kb.resolve import resolve_party
from diplograph.pipeline import ingest
from diplograph.store.database import Store
from diplograph.store.schema import (
    actors,
    articles,
    event_mentions,
    event_participants,
    events,
    mentions,
    sources,
)

runner = CliRunner()

WANG, TOKAYEV, XI = "person:wang yi", "person:kassym-jomart tokayev", "person:xi jinping"
VASSILENKO, RAKHMETULLIN = "person:roman vassilenko", "person:akan rakhmetullin"

# Our own wording of two events the seeds report (same type, parties and day → same ids).
NEW_ARTICLE = {
    "id": "corrections-test-1",
    "title": "Tokayev hosts the Chinese foreign minister",
    "published": "2022-06-07",
    "source": "Test Wire",
    "text": "President Kassym-Jomart Tokayev hosted Chinese Foreign Minister Wang Yi in "
    "Nur-Sultan on Tuesday. Kazakhstan backs President Xi Jinping's proposals on regional "
    "security, Tokayev told his guest.",
}
VASSILENKO_ARTICLE = {
    "id": "corrections-test-2",
    "title": "Deputy minister meets ambassador",
    "published": "2023-03-14",
    "source": "Test Wire",
    "text": "ASTANA, 14 March 2023. Deputy Foreign Minister of Kazakhstan Roman Vassilenko met "
    "the Ambassador of China Zhang Xiao on Monday. Roman Vassilenko and Zhang Xiao discussed "
    "preparations for the upcoming visit of the Chinese leader.",
}


# -- helpers -------------------------------------------------------------------------------------


def _find(store: Store, type_: str, actor: str, recipient: str, day: str) -> dict[str, Any]:
    """The one stored event of a type between two actors on a day."""
    found = [
        e
        for e in iter_events(store)
        if e["type"] == type_
        and e["date"] == day
        and [p["entity_id"] for p in e["actor"]] == [actor]
        and [p["entity_id"] for p in e["recipient"]] == [recipient]
    ]
    assert len(found) == 1, found
    return found[0]


def _visit(store: Store) -> dict[str, Any]:
    return _find(store, "CONSULT", WANG, TOKAYEV, "2022-06-07")


def _support(store: Store) -> dict[str, Any]:
    return _find(store, "SUPPORT", "state:KAZ", XI, "2022-06-07")


def _event(store: Store, event_id: str) -> dict[str, Any] | None:
    found = list(iter_events(store, [event_id]))
    return found[0] if found else None


def _jsonl(tmp_path: Path, *records: dict[str, Any]) -> str:
    path = tmp_path / "new.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _reextract(store: Store, event_id: str) -> None:
    """Read the articles of an event again: drop them with their machine output, re-ingest."""
    paths = {m["article"]["path"] for m in _event(store, event_id)["mentions"]}
    with store.engine.begin() as connection:
        ids = [
            r.id
            for r in connection.execute(select(articles.c.id).where(articles.c.path.in_(paths)))
        ]
        machine = {
            r.event_id
            for r in connection.execute(
                select(event_mentions.c.event_id).where(event_mentions.c.article_id.in_(ids))
            )
        }
        for table in (event_mentions, event_participants):
            connection.execute(table.delete().where(table.c.event_id.in_(machine)))
        connection.execute(events.delete().where(events.c.id.in_(machine)))
        connection.execute(mentions.delete().where(mentions.c.article_id.in_(ids)))
        connection.execute(event_mentions.delete().where(event_mentions.c.article_id.in_(ids)))
        connection.execute(articles.delete().where(articles.c.id.in_(ids)))
        connection.execute(sources.delete().where(sources.c.location.in_(paths)))
    report = ingest(sorted(paths), store)
    assert report.ok and report.stored == len(ids)


def _actor(store: Store, actor_id: str) -> dict[str, Any] | None:
    return next((a for a in iter_actors(store) if a["id"] == actor_id), None)


def _cli(store: Store, *args: str):  # noqa: ANN202 - click's Result
    return runner.invoke(app, ["--db", store.url, *args])


# -- correcting events ---------------------------------------------------------------------------


def test_type_and_date_corrections_show_in_the_export(kb_store: Store) -> None:
    visit = _visit(kb_store)
    assert (visit["type"], visit["mode"], visit["cameo"]) == ("CONSULT", "visit", "042")
    assert visit["corrected"] is False and visit["corrections"] == []

    made = correct_event(kb_store, visit["id"], type="agree", date="2022-06", note="planned")
    assert [(f.field, f.value, f.machine_value) for f in made] == [
        ("type", "AGREE", "CONSULT"),
        ("mode", None, "visit"),  # a visit is no mode of AGREE
        ("date", "2022-06", "2022-06-07"),
    ]
    fixed = _event(kb_store, visit["id"])
    assert fixed["type"] == "AGREE" and fixed["mode"] is None
    assert (fixed["cameo"], fixed["quad_class"], fixed["score"]) == ("030", 1, 2.5)
    assert (fixed["date"], fixed["date_precision"]) == ("2022-06", "month")
    assert fixed["corrected"] is True
    assert [(c["field"], c["machine_value"], c["note"]) for c in fixed["corrections"]] == [
        ("type", "CONSULT", "planned"),
        ("mode", "visit", "planned"),
        ("date", "2022-06-07", "planned"),
    ]
    assert fixed["mentions"] == visit["mentions"] and fixed["actor"] == visit["actor"]
    others = [e for e in iter_events(kb_store) if e["id"] != visit["id"]]
    assert others and not any(e["corrected"] or e["corrections"] for e in others)


def test_actor_and_recipient_corrections(kb_store: Store) -> None:
    visit = _visit(kb_store)
    correct_event(kb_store, visit["id"], actor="China", recipient=["Tokayev", "KAZ"])
    fixed = _event(kb_store, visit["id"])
    assert [(p["code"], p["entity_id"]) for p in fixed["actor"]] == [("CHN", "state:CHN")]
    assert [(p["name"], p["entity_id"]) for p in fixed["recipient"]] == [
        ("Kassym-Jomart Tokayev", TOKAYEV),
        ("Kazakhstan", "state:KAZ"),
    ]
    assert fixed["recipient"][0]["office"] == "President"
    by_field = {c["field"]: c for c in fixed["corrections"]}
    assert [p["entity_id"] for p in by_field["actor"]["machine_value"]] == [WANG]
    assert [p["entity_id"] for p in by_field["recipient"]["machine_value"]] == [TOKAYEV]
    # the queries see the corrected parties
    chinese = {e["id"] for e in iter_events(kb_store) if e["actor"][0]["code"] == "CHN"}
    assert visit["id"] in chinese


def test_delete_hides_the_event_until_undone(kb_store: Store) -> None:
    support = _support(kb_store)
    (fix,) = correct_event(kb_store, support["id"], delete=True, note="duplicate")
    assert _event(kb_store, support["id"]) is None
    assert [(c.id, c.field, c.active) for c in list_corrections(kb_store, support["id"])] == [
        (fix.id, "delete", True)
    ]
    assert fix.machine_value["event"]["type"] == "SUPPORT"
    with pytest.raises(CorrectionError, match="deleted by correction"):
        correct_event(kb_store, support["id"], type="AGREE")

    undo(kb_store, fix.id)
    assert _event(kb_store, support["id"]) == support  # every field back, uncorrected
    assert list_corrections(kb_store, support["id"]) == []
    assert [c.active for c in list_corrections(kb_store, support["id"], include_undone=True)] == [
        False
    ]
    with pytest.raises(CorrectionError, match="already undone"):
        undo(kb_store, fix.id)


def test_undo_brings_back_the_machine_values(kb_store: Store) -> None:
    visit = _visit(kb_store)
    first = correct_event(kb_store, visit["id"], type="AGREE")
    second = correct_event(kb_store, visit["id"], type="SUPPORT", actor="KAZ")
    assert second[0].machine_value == "CONSULT"  # the machine's, not the first correction's
    assert _event(kb_store, visit["id"])["type"] == "SUPPORT"
    undo(kb_store, second[0].id)
    assert _event(kb_store, visit["id"])["type"] == "AGREE"  # the earlier correction stands
    for fix in [*first, second[1]]:
        undo(kb_store, fix.id)
    assert _event(kb_store, visit["id"]) == visit


def test_a_deleted_delete_and_a_deleted_type_both_come_back(kb_store: Store) -> None:
    visit = _visit(kb_store)
    typed = correct_event(kb_store, visit["id"], type="AGREE", mode="sign")
    (deleted,) = correct_event(kb_store, visit["id"], delete=True)
    assert deleted.machine_value["event"]["type"] == "CONSULT"  # the machine's record
    undo(kb_store, deleted.id)
    back = _event(kb_store, visit["id"])
    assert (back["type"], back["mode"], back["cameo"]) == ("AGREE", "sign", "057")
    for fix in typed:
        undo(kb_store, fix.id)
    assert _event(kb_store, visit["id"]) == visit


# -- surviving re-ingest and re-extraction ---------------------------------------------------------


def test_corrections_survive_reingest_and_new_articles(kb_store: Store, tmp_path: Path) -> None:
    visit, support = _visit(kb_store), _support(kb_store)
    correct_event(kb_store, visit["id"], type="AGREE", date="2022-06")
    (deleted,) = correct_event(kb_store, support["id"], delete=True)
    before = list(iter_events(kb_store))

    again = ingest([str(shared_path("corpus", "seeds")), str(EXAMPLES)], kb_store)
    assert again.stored == 0
    assert list(iter_events(kb_store)) == before

    # a new article reporting both events: the visit gains evidence and stays corrected, the
    # deleted event is written again by the machine and removed again
    report = ingest([_jsonl(tmp_path, NEW_ARTICLE)], kb_store)
    assert report.stored == 1
    fixed = _event(kb_store, visit["id"])
    assert (fixed["type"], fixed["date"], fixed["corrected"]) == ("AGREE", "2022-06", True)
    assert "Test Wire" in {m["article"]["source"] for m in fixed["mentions"]}
    assert _event(kb_store, support["id"]) is None
    (kept,) = list_corrections(kb_store, support["id"])
    assert len(kept.machine_value["mentions"]) == len(deleted.machine_value["mentions"]) + 1
    undo(kb_store, deleted.id)  # the evidence read since the delete comes back with it
    assert len(_event(kb_store, support["id"])["mentions"]) == len(support["mentions"]) + 1


def test_corrections_survive_reextraction(kb_store: Store) -> None:
    visit, support = _visit(kb_store), _support(kb_store)
    correct_event(kb_store, visit["id"], type="AGREE", recipient="KAZ", date="2022")
    correct_event(kb_store, support["id"], delete=True)
    corrected = _event(kb_store, visit["id"])

    _reextract(kb_store, visit["id"])
    again = _event(kb_store, visit["id"])
    assert again is not None and again["mentions"] == corrected["mentions"]
    assert again == corrected
    assert _event(kb_store, support["id"]) is None


def test_apply_corrections_is_idempotent(kb_store: Store) -> None:
    visit, support = _visit(kb_store), _support(kb_store)
    correct_event(kb_store, visit["id"], mode="phone", actor="Wang Yi,CHN")
    correct_event(kb_store, support["id"], delete=True)
    before = list(iter_events(kb_store))
    assert apply_corrections(kb_store) == 3
    assert apply_corrections(kb_store) == 3
    assert list(iter_events(kb_store)) == before


def test_bad_corrections_are_refused(kb_store: Store) -> None:
    visit = _visit(kb_store)
    cases = [
        ({"type": "NEGOTIATE"}, "unknown event type"),
        ({"mode": "sign"}, "not a mode of CONSULT"),
        ({"date": "2022-02-30"}, "no such date"),
        ({"date": "June 2022"}, "bad date"),
        ({"actor": "Wang Yii"}, "did you mean"),
        ({"actor": ""}, "at least one actor"),
        ({}, "nothing to correct"),
        ({"delete": True, "type": "AGREE"}, "alone"),
    ]
    for kwargs, message in cases:
        with pytest.raises(CorrectionError, match=message):
            correct_event(kb_store, visit["id"], **kwargs)
    with pytest.raises(CorrectionError, match="no event"):
        correct_event(kb_store, "0123456789abcdef0123", type="AGREE")
    assert list_corrections(kb_store, include_undone=True) == []
    assert _event(kb_store, visit["id"]) == visit


# -- merging actors --------------------------------------------------------------------------------


def test_merge_actors_moves_everything_and_survives_a_new_ingest(
    kb_store: Store, tmp_path: Path
) -> None:
    gone = _actor(kb_store, VASSILENKO)
    keep = _actor(kb_store, RAKHMETULLIN)
    assert gone and keep and gone["mention_count"] > 0
    fix = merge_actors(kb_store, RAKHMETULLIN, "Roman Vassilenko", note="test")
    assert _actor(kb_store, VASSILENKO) is None
    merged = _actor(kb_store, RAKHMETULLIN)
    assert set(gone["aliases"]) | set(keep["aliases"]) == set(merged["aliases"])
    assert merged["mention_count"] == gone["mention_count"] + keep["mention_count"]
    assert resolve_party(kb_store, "Roman Vassilenko").actor_ids == (RAKHMETULLIN,)
    assert (fix.field, fix.value) == ("merge", RAKHMETULLIN)
    assert len(fix.machine_value["mentions"]) == gone["mention_count"]

    ingest([_jsonl(tmp_path, VASSILENKO_ARTICLE)], kb_store)
    with kb_store.engine.connect() as connection:
        new = connection.execute(
            select(mentions.c.actor_id)
            .join(articles, articles.c.id == mentions.c.article_id)
            .where(articles.c.source == "Test Wire", mentions.c.text == "Roman Vassilenko")
        ).all()
        stored = connection.execute(select(actors.c.id).where(actors.c.id == VASSILENKO)).all()
    assert stored == []
    assert new and {row.actor_id for row in new} == {RAKHMETULLIN}
    talks = [
        e
        for e in iter_events(kb_store)
        if any(m["article"]["source"] == "Test Wire" for m in e["mentions"])
    ]
    assert talks and all(
        RAKHMETULLIN in {p["entity_id"] for p in e["actor"] + e["recipient"]} for e in talks
    )

    undo(kb_store, fix.id)
    assert _actor(kb_store, VASSILENKO)["aliases"] == gone["aliases"]
    assert not {"Roman Vassilenko", "Vassilenko"} & set(_actor(kb_store, RAKHMETULLIN)["aliases"])


def test_merge_moves_event_participations_and_survives_reextraction(kb_store: Store) -> None:
    # two spellings of one gathering that the machine keeps apart
    keep, gone = "org:congress of leaders of world", "org:congresses of leaders of world"
    with kb_store.engine.connect() as connection:
        held = connection.execute(select(mentions.c.id).where(mentions.c.actor_id == gone)).all()
    assert held
    fix = merge_actors(kb_store, keep, gone)
    assert _actor(kb_store, gone) is None

    with kb_store.engine.connect() as connection:
        article = connection.execute(
            select(articles.c.path)
            .join(mentions, mentions.c.article_id == articles.c.id)
            .where(mentions.c.id == held[0].id)
        ).scalar_one()
    event_id = next(
        e["id"]
        for e in iter_events(kb_store)
        if article in {m["article"]["path"] for m in e["mentions"]}
    )
    _reextract(kb_store, event_id)  # the machine writes the merged-away actor again …
    assert _actor(kb_store, gone) is None  # … and the merge is applied again
    with kb_store.engine.connect() as connection:
        refs = connection.execute(select(mentions.c.id).where(mentions.c.actor_id == gone)).all()
        parts = connection.execute(
            select(event_participants.c.event_id).where(event_participants.c.actor_id == gone)
        ).all()
    assert refs == [] and parts == []
    assert list_corrections(kb_store)[0].id == fix.id


def test_merge_is_refused_for_unknown_or_identical_actors(kb_store: Store) -> None:
    with pytest.raises(CorrectionError, match="itself"):
        merge_actors(kb_store, WANG, "Wang Yi")
    with pytest.raises(CorrectionError):
        merge_actors(kb_store, WANG, "person:nobody at all")
    with pytest.raises(CorrectionError, match="several actors"):
        merge_actors(kb_store, WANG, "Ambassador")
    merge_actors(kb_store, RAKHMETULLIN, VASSILENKO)
    with pytest.raises(CorrectionError, match="was merged into"):
        merge_actors(kb_store, WANG, VASSILENKO)


# -- the command line ------------------------------------------------------------------------------


def test_cli_correct_list_and_undo(kb_store: Store) -> None:
    visit = _visit(kb_store)
    result = _cli(kb_store, "correct", visit["id"][:10], "--type", "agree", "--note", "later")
    assert result.exit_code == 0, result.output
    assert "type: CONSULT -> AGREE" in result.output and "mode: visit -> none" in result.output

    listed = _cli(kb_store, "corrections", "--event", visit["id"], "--format", "json")
    assert listed.exit_code == 0
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["field"], r["value"], r["note"]) for r in rows] == [
        ("type", "AGREE", "later"),
        ("mode", None, "later"),
    ]
    exported = _cli(kb_store, "export", "events")
    record = next(json.loads(line) for line in exported.output.splitlines() if visit["id"] in line)
    assert record["corrected"] is True and record["type"] == "AGREE"

    for row in rows:
        assert _cli(kb_store, "uncorrect", str(row["id"])).exit_code == 0
    assert _event(kb_store, visit["id"]) == visit
    empty = _cli(kb_store, "corrections")
    assert empty.exit_code == 1 and "no corrections" in empty.output
    table = _cli(kb_store, "corrections", "--all")
    assert table.exit_code == 0 and "undone" in table.output


def test_cli_bad_input_exits_2_with_one_line(kb_store: Store) -> None:
    visit = _visit(kb_store)
    for args, message in [
        (["correct", "feedfacefeedfacefeed", "--type", "AGREE"], "no event"),
        (["correct", visit["id"], "--type", "HUG"], "unknown event type"),
        (["correct", visit["id"], "--date", "2022-13"], "no such date"),
        (["correct", visit["id"], "--actor", "Atlantis"], "no actor known"),
        (["uncorrect", "4242"], "no correction with id 4242"),
        (["merge-actors", WANG, WANG], "itself"),
        (["merge-actors", WANG, "person:nobody at all"], "error"),
    ]:
        result = _cli(kb_store, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    merged = _cli(kb_store, "merge-actors", RAKHMETULLIN, VASSILENKO)
    assert merged.exit_code == 0 and "merged into person:akan rakhmetullin" in merged.output

"""The knowledge-base queries (diplograph.kb.query) and the Python API, on the seeds store."""

from __future__ import annotations

import pandas
import pytest

import diplograph
from diplograph.kb import query as q
from diplograph.kb.base import KnowledgeBase
from diplograph.kb.resolve import UnknownActor
from diplograph.store.database import Store


def _names(record: dict, role: str | None = None) -> set[str]:
    roles = [role] if role else ["actor", "recipient"]
    return {p["name"] for r in roles for p in record[r]}


def _codes(record: dict) -> set[str | None]:
    return {p["code"] for r in ("actor", "recipient") for p in record[r]}


# -- events ----------------------------------------------------------------------------------


def test_kaz_china_consultations_with_wang_yi(kb_store: Store) -> None:
    page = q.find_events(kb_store, actor="KAZ", partner="China", type="consult")
    assert page.total == len(page.events) >= 2
    assert all(e["type"] == "CONSULT" and {"KAZ", "CHN"} <= _codes(e) for e in page.events)
    with_wang = {e["date"] for e in page.events if "Wang Yi" in _names(e)}
    assert {"2020-09-12", "2022-06-07"} <= with_wang
    dates = [e["date"] for e in page.events if e["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    visit = next(e for e in page.events if e["date"] == "2022-06-07")
    assert visit["mode"] == "visit" and visit["location"]["code"] == "KAZ"
    assert visit["mentions"] and visit["mentions"][0]["article"]["title"]


def test_names_and_codes_give_the_same_dyad(kb_store: Store) -> None:
    by_code = q.find_events(kb_store, actor="KAZ", partner="CHN", limit=500)
    by_name = q.find_events(kb_store, actor="Kazakhstan", partner="Chinese", limit=500)
    assert [e["id"] for e in by_code.events] == [e["id"] for e in by_name.events]
    swapped = q.find_events(kb_store, actor="CHN", partner="KAZ", limit=500)
    assert {e["id"] for e in swapped.events} == {e["id"] for e in by_code.events}


def test_a_person_matches_by_actor_id(kb_store: Store) -> None:
    page = q.find_events(kb_store, actor="Wang Yi", partner="Tokayev", limit=500)
    assert page.total >= 2
    for record in page.events:
        assert {"Wang Yi", "Kassym-Jomart Tokayev"} <= _names(record)


def test_type_is_validated_case_insensitively(kb_store: Store) -> None:
    lower = q.find_events(kb_store, type="consult", limit=0)
    upper = q.find_events(kb_store, type="CONSULT", limit=0)
    assert lower.total == upper.total > 0 and lower.events == []
    both = q.find_events(kb_store, type="consult,agree", limit=0).total
    assert both == lower.total + q.find_events(kb_store, type="Agree", limit=0).total
    with pytest.raises(ValueError, match="CONSULT"):
        q.find_events(kb_store, type="hug")


def test_unknown_actor_raises_with_a_suggestion(kb_store: Store) -> None:
    with pytest.raises(UnknownActor) as caught:
        q.find_events(kb_store, actor="Tokayevv")
    assert "Kassym-Jomart Tokayev" in caught.value.suggestions
    assert "Tokayevv" in str(caught.value)


def test_since_until_keep_coarse_dates_that_overlap(kb_store: Store) -> None:
    page = q.find_events(kb_store, actor="KAZ", since="2022-01-01", until="2022-12-31", limit=500)
    dates = {e["date"] for e in page.events}
    assert dates and all(d.startswith("2022") for d in dates)
    assert "2022-06-07" in dates and "2022-10" in dates
    june = q.find_events(kb_store, actor="KAZ", since="2022-06", until="2022-06", limit=500)
    # a year-precise "2022" overlaps June 2022; "2022-05-31" and "2022-10" do not
    assert {e["date"] for e in june.events} == {"2022", "2022-06-01", "2022-06-07"}
    mid = q.find_events(kb_store, actor="KAZ", since="2022-06-02", until="2022-06-30", limit=500)
    assert {e["date"] for e in mid.events} == {"2022", "2022-06-07"}
    whole = q.find_events(kb_store, actor="KAZ", since="2022", until="2022", limit=500)
    assert {e["id"] for e in whole.events} == {e["id"] for e in page.events}


@pytest.mark.parametrize("bad", ["2022-13-45", "2022-02-30", "22", "June 2022", "2022/06/07"])
def test_impossible_dates_are_refused(kb_store: Store, bad: str) -> None:
    with pytest.raises(ValueError, match="impossible date"):
        q.find_events(kb_store, since=bad)


def test_full_text_over_the_evidence(kb_store: Store) -> None:
    page = q.find_events(kb_store, text="Tileuberdi", limit=500)
    assert page.total >= 1
    assert all(any("Tileuberdi" in m["text"] for m in e["mentions"]) for e in page.events)
    assert q.find_events(kb_store, text='NEAR( "x', limit=0).total == 0  # no syntax leaks
    assert q.find_events(kb_store, text="   ", limit=0).total == 0


def test_other_filters(kb_store: Store) -> None:
    visits = q.find_events(kb_store, actor="KAZ", mode="visit", limit=500)
    assert visits.total > 0 and all(e["mode"] == "visit" for e in visits.events)
    future = q.find_events(kb_store, aux="future", limit=500)
    assert future.total > 0 and all(e["aux"] == "future" for e in future.events)
    plain = q.find_events(kb_store, aux="none", limit=0).total
    assert plain + future.total + q.find_events(kb_store, aux="historical", limit=0).total == (
        q.find_events(kb_store, limit=0).total
    )
    economic = q.find_events(kb_store, context="economic", limit=500)
    assert economic.total > 0 and all("economic" in e["context"] for e in economic.events)
    astana = q.find_events(kb_store, location="astana", limit=500)
    assert astana.total > 0 and all(e["location"]["name"] == "Astana" for e in astana.events)
    in_kaz = q.find_events(kb_store, location="KAZ", limit=0).total
    assert in_kaz >= astana.total
    sure = q.find_events(kb_store, min_confidence=0.85, limit=500)
    assert sure.total > 0 and all(e["confidence"] >= 0.85 for e in sure.events)
    with pytest.raises(ValueError, match="context"):
        q.find_events(kb_store, context="sports")


def test_paging_is_stable_and_complete(kb_store: Store) -> None:
    everything = q.find_events(kb_store, actor="KAZ", limit=1000)
    assert 14 < everything.total < 1000
    offsets = range(0, everything.total + 7, 7)  # one empty page past the end
    pages = [q.find_events(kb_store, actor="KAZ", limit=7, offset=o) for o in offsets]
    assert not pages[-1].events
    assert all(p.total == everything.total for p in pages)
    assert [e["id"] for p in pages for e in p.events] == [e["id"] for e in everything.events]
    oldest = q.find_events(kb_store, actor="KAZ", order="date_asc", limit=1).events[0]
    assert oldest["date"] == min(e["date"] for e in everything.events if e["date"])


def test_flat_rows_carry_codes_names_and_evidence(kb_store: Store) -> None:
    page = q.find_events(kb_store, actor="KAZ", partner="CHN", type="consult", limit=500)
    row = next(r for r in page.rows() if r["date"] == "2022-06-07")
    assert row["actor_codes"] == "CHN" and row["actor_names"] == "Wang Yi"
    assert "KAZ" in row["recipient_codes"] and "Tokayev" in row["recipient_names"]
    assert "Wang Yi" in row["evidence"] and row["article_title"]


# -- actors, relations, timelines, plans, search ---------------------------------------------


def test_find_actors_by_alias_ranked_by_mentions(kb_store: Store) -> None:
    found = q.find_actors(kb_store, "tokay")
    assert found[0].name == "Kassym-Jomart Tokayev" and found[0].mention_count > 5
    assert "Tokayev" in found[0].aliases
    people = q.find_actors(kb_store, kind="person", limit=10)
    counts = [a.mention_count for a in people]
    assert all(a.kind == "person" for a in people) and counts == sorted(counts, reverse=True)
    assert q.find_actors(kb_store, "no such name at all") == []
    assert q.find_actors(kb_store, "100%") == []  # LIKE wildcards are escaped


def test_actor_detail_of_a_person(kb_store: Store) -> None:
    wang = q.actor_detail(kb_store, "Wang Yi")
    assert wang.id == "person:wang yi" and wang.code == "CHN" and wang.kind == "person"
    assert "Minister of Foreign Affairs" in {o["title"] for o in wang.offices}
    assert wang.event_count >= 5 and wang.mention_count >= 5
    assert wang.top_partners[0]["code"] == "KAZ"
    assert all(p["code"] != "CHN" for p in wang.top_partners)
    assert wang.recent_events and all("Wang Yi" in _names(e) for e in wang.recent_events)
    assert q.actor_detail(kb_store, "person:wang yi").to_dict() == wang.to_dict()


def test_actor_detail_of_a_state(kb_store: Store) -> None:
    kaz = q.actor_detail(kb_store, "KAZ")
    assert kaz.kind == "state" and kaz.code == "KAZ"
    assert kaz.event_count == q.find_events(kb_store, actor="KAZ", limit=0).total
    assert kaz.top_partners[0]["code"] == "CHN"


def test_relations_rank_partners(kb_store: Store) -> None:
    found = q.relations(kb_store, "KAZ")
    codes = [r.code for r in found]
    assert codes[0] == "CHN" and "VAT" in codes and "KAZ" not in codes
    counts = [r.events for r in found]
    assert counts == sorted(counts, reverse=True)
    china = found[0]
    quads = (
        china.verbal_cooperation + china.material_cooperation
        + china.verbal_conflict + china.material_conflict
    )  # fmt: skip
    assert china.name == "China" and quads == china.events
    assert china.mean_score is not None and china.mean_score > 0
    assert china.last_contact >= "2022-06-07"
    dyad = q.find_events(kb_store, actor="KAZ", partner="CHN", limit=0).total
    assert china.events == dyad
    vatican = next(r for r in found if r.code == "VAT")
    assert vatican.name == "Holy See"
    recent = q.relations(kb_store, "Kazakhstan", since="2022")
    assert all(r.first_contact >= "2022" for r in recent)


def test_timeline_by_year_and_quarter(kb_store: Store) -> None:
    years = q.timeline(kb_store, "KAZ", "CHN", by="year")
    by_period = {p.period: p for p in years}
    assert "2020" in by_period and "2022" in by_period
    assert by_period["2020"].types.get("CONSULT", 0) >= 2
    assert [p.period for p in years] == sorted(by_period)
    dated = q.find_events(kb_store, actor="KAZ", partner="CHN", limit=500)
    assert sum(p.events for p in years) == sum(1 for e in dated.events if e["date"])
    for period in years:
        assert sum(period.types.values()) == sum(period.quad_classes.values()) == period.events
    quarters = {p.period for p in q.timeline(kb_store, "KAZ", "CHN", by="quarter")}
    assert "2020-Q3" in quarters and "2022-Q2" in quarters
    only_2022 = q.timeline(kb_store, "KAZ", "CHN", by="month", since="2022", until="2022")
    assert only_2022 and all(p.period.startswith("2022") for p in only_2022)
    with pytest.raises(ValueError, match="period"):
        q.timeline(kb_store, "KAZ", "CHN", by="week")


def test_calendar_lists_planned_events_soonest_first(kb_store: Store) -> None:
    plans = q.calendar(kb_store)
    assert plans and all(p.event["aux"] == "future" for p in plans)
    dated = [p.planned_date for p in plans if p.planned_date]
    assert dated == sorted(dated)
    xi = [p for p in plans if p.planned_date == "2022-09-15"]
    assert xi and any("Xi Jinping" in _names(p.event) for p in xi)
    later = q.calendar(kb_store, since="2022-09")
    assert later and all(p.planned_date >= "2022-09" for p in later)
    assert "2022-09" in {p.planned_date for p in later}  # a month-precise plan still counts
    assert q.calendar(kb_store, since="2099") == []


def test_search_finds_articles_and_events(kb_store: Store) -> None:
    hits = q.search(kb_store, "Wang Yi", 10)
    kinds = {h.kind for h in hits}
    assert kinds == {"article", "event"}
    assert all("wang" in (h.title or "").lower() + h.text.lower() for h in hits)
    event_hit = next(h for h in hits if h.kind == "event")
    assert event_hit.to_dict()["event"]["id"] == event_hit.id and "[Wang]" in event_hit.snippet
    assert q.search(kb_store, "zzqqxx") == []


# -- the Python API --------------------------------------------------------------------------


def test_python_api(kb_store: Store) -> None:
    with diplograph.open(kb_store.url) as kb:
        assert isinstance(kb, KnowledgeBase)
        page = kb.events(actor="KAZ", partner="China", type="consult")
        assert {"2020-09-12", "2022-06-07"} <= {e["date"] for e in page.events}
        frame = kb.events(actor="KAZ", partner="China", type="consult", as_frame=True)
        assert isinstance(frame, pandas.DataFrame) and len(frame) == page.total
        assert {"date", "type", "actor_codes", "evidence"} <= set(frame.columns)
        assert kb.actors("wang")[0].name == "Wang Yi"
        assert kb.actor("Tokayev").code == "KAZ"
        relations = kb.relations("KAZ", as_frame=True)
        assert relations.iloc[0]["code"] == "CHN" and "mean_score" in relations.columns
        timeline = kb.timeline("KAZ", "CHN", by="year", as_frame=True)
        assert "CONSULT" in timeline.columns and "2020" in set(timeline["period"])
        assert not kb.calendar(as_frame=True).empty
        assert kb.search("Wang Yi", as_frame=True)["kind"].isin(["article", "event"]).all()
        established = kb.facts(kind="relations_established", party="VAT")
        assert any(f["date"] == "1992-10-17" and "KAZ" in f["parties"] for f in established)
        assert all(f["kind"] == "relations_established" for f in established)


def test_counting_stops_at_the_count_limit_but_the_page_is_whole(kb_store) -> None:
    everything = q.find_events(kb_store, limit=5, count_limit=None)
    assert everything.total_exact and everything.total > 10
    capped = q.find_events(kb_store, limit=5, count_limit=10)
    assert (capped.total, capped.total_exact) == (10, False)
    assert [e["id"] for e in capped.events] == [e["id"] for e in everything.events]
    far = q.find_events(kb_store, limit=5, offset=8, count_limit=10)
    assert far.total >= 13 and len(far.events) == 5  # the page beyond the cap is still served


def test_python_api_reads_articles_and_places(kb_store) -> None:
    from diplograph.kb.base import KnowledgeBase

    kb = KnowledgeBase(kb_store)
    page = kb.articles(limit=3)
    assert page["total"] > 10 and len(page["items"]) == 3
    dates = [a["published"] for a in page["items"] if a["published"]]
    assert dates == sorted(dates, reverse=True)
    meeting = next(e for e in q.find_events(kb_store, actor="KAZ", partner="CHN").events)
    mention = meeting["mentions"][0]
    article = kb.article(mention["article"]["id"])
    assert article is not None and "text" in article
    assert any(span["event_id"] == meeting["id"] for span in article["events"])
    assert kb.article("no-such-article") is None
    places = kb.places()
    assert places and places[0].events >= places[-1].events
    assert any(p.code == "KAZ" for p in places)


def test_a_common_word_is_tested_event_by_event_with_the_same_answer(kb_store, monkeypatch):
    listed = q.find_events(kb_store, text="Kazakhstan", limit=500)
    assert listed.total >= 3
    monkeypatch.setattr(q, "TEXT_LIST_LIMIT", 0)  # every word counts as common now
    probed = q.find_events(kb_store, text="Kazakhstan", limit=500)
    assert [e["id"] for e in probed.events] == [e["id"] for e in listed.events]
    assert probed.total == listed.total

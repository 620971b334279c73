"""The bilateral relations brief (``diplograph brief``, ``kb.brief.build_brief``) on real stores."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import shared_path
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.kb.brief import Brief, BriefError, build_brief
from diplograph.kb.resolve import UnknownActor
from diplograph.store.database import Store

runner = CliRunner()


def _wang_yi_meetings(brief: Brief) -> list:
    return [m for m in brief.meetings if any(p.startswith("Wang Yi") for p in m.people_b)]


def _cited(brief: Brief, numbers: list[int]) -> list:
    by_number = {s.n: s for s in brief.sources}
    return [by_number[n] for n in numbers]


def test_kaz_chn_meetings_with_wang_yi_newest_first(kb_store: Store) -> None:
    brief = build_brief(kb_store, "KAZ", "CHN")
    meetings = _wang_yi_meetings(brief)
    dates = [m.date for m in meetings]
    assert "2022-06-07" in dates and "2020-09-12" in dates
    assert dates.index("2022-06-07") < dates.index("2020-09-12")
    assert len(dates) == len(set(dates)), "the same meeting is listed twice"
    latest = meetings[dates.index("2022-06-07")]
    assert any(p.startswith("Kassym-Jomart Tokayev") for p in latest.people_a)
    assert "Wang Yi (Minister of Foreign Affairs)" in latest.people_b
    assert latest.visitor == "b" and latest.place and "Nur-Sultan" in latest.place
    assert any("Wang Yi" in e.text for e in latest.evidence)
    sources = _cited(brief, latest.sources)
    assert any(s.source == "Kazinform" and s.published == "2022-06-07" for s in sources)
    assert all(s.path for s in sources)
    earlier = meetings[dates.index("2020-09-12")]
    # one visit: the president, the first president and the foreign minister all met Wang Yi
    names = " ".join(earlier.people_a)
    assert "Tokayev" in names and "Nazarbayev" in names and "Tileuberdi" in names
    assert {s.published for s in _cited(brief, earlier.sources)} == {"2020-09-14"}


def test_kaz_chn_relations_figures_people_plans(kb_store: Store) -> None:
    brief = build_brief(kb_store, "KAZ", "CHN")
    assert brief.a.code == "KAZ" and brief.b.code == "CHN"
    assert [f.date for f in brief.relations] == ["1992"]
    assert "comprehensive strategic partnership" in {f.value for f in brief.partnership}
    trade = [f for f in brief.economy if f.kind == "trade"]
    assert [(f.value, f.unit, f.period) for f in trade] == [(25_000_000_000, "USD", "2021")]
    assert trade[0].evidence and "$25 billion" in trade[0].evidence[0].text
    people = {(p.side, p.name): p for p in brief.people}
    assert {"President"} <= {o["title"] for o in people[("a", "Kassym-Jomart Tokayev")].offices}
    wang = people[("b", "Wang Yi")]
    assert "Minister of Foreign Affairs" in {o["title"] for o in wang.offices}
    assert wang.events >= 2
    assert all(p.code == ("KAZ" if p.side == "a" else "CHN") for p in brief.people)
    planned = {(p.planned_date, p.date) for p in brief.planned}
    assert ("2022-09", "2022-06-07") in planned  # Xi's state visit announced for the autumn
    assert brief.support and all(i.type == "SUPPORT" for i in brief.support)
    assert brief.agreements and not brief.criticism


def test_kaz_vat_relations_since_1992(kb_store: Store) -> None:
    brief = build_brief(kb_store, "KAZ", "VAT")
    assert [f.date for f in brief.relations] == ["1992-10-17"]
    assert brief.relations[0].evidence
    assert "Diplomatic relations established 1992-10-17" in brief.to_markdown()
    pope = [m for m in brief.meetings if m.date == "2022-09-13"]
    assert pope and pope[0].people_b == ["Francis (Pope)"] and pope[0].visitor == "b"


def test_names_resolve_like_codes(kb_store: Store) -> None:
    by_code = build_brief(kb_store, "KAZ", "CHN").to_dict()
    by_name = build_brief(kb_store, "Kazakhstan", "China").to_dict()
    assert by_name["a"]["query"] == "Kazakhstan"
    for data in (by_code, by_name):
        data["a"].pop("query"), data["b"].pop("query")
    assert by_name == by_code
    person = build_brief(kb_store, "Wang Yi", "Kazakhstan")
    assert person.a.name == "Wang Yi" and person.a.kind == "person"
    assert {m.date for m in person.meetings} >= {"2020-09-12", "2022-06-07"}
    assert {p.name for p in person.people if p.side == "a"} == {"Wang Yi"}


def test_period_bounds(kb_store: Store) -> None:
    later = build_brief(kb_store, "KAZ", "CHN", since="2021")
    assert {m.date for m in _wang_yi_meetings(later)} == {"2022-06-07"}
    earlier = build_brief(kb_store, "KAZ", "CHN", until="2021-12")
    assert "2020-09-12" in {m.date for m in _wang_yi_meetings(earlier)}
    assert all((i.date or "") <= "2021-12-31" for i in earlier.meetings + earlier.agreements)
    assert (
        later.event_count + earlier.event_count <= build_brief(kb_store, "KAZ", "CHN").event_count
    )
    assert later.period.startswith("2021 to ")


def test_bad_input(kb_store: Store) -> None:
    with pytest.raises(UnknownActor) as unknown:
        build_brief(kb_store, "Kazakhstna", "CHN")
    assert "Kazakhstan" in unknown.value.suggestions
    for since, until in (("2021-02-30", None), (None, "2021-13"), ("2022", "2021"), ("soon", None)):
        with pytest.raises(BriefError):
            build_brief(kb_store, "KAZ", "CHN", since=since, until=until)
    with pytest.raises(BriefError):
        build_brief(kb_store, "KAZ", "Kazakhstan")
    empty = build_brief(kb_store, "KAZ", "NZL")
    assert empty.empty and empty.event_count == 0 and not empty.sources


def test_every_citation_is_in_the_sources(kb_store: Store) -> None:
    brief = build_brief(kb_store, "KAZ", "CHN")
    data = json.loads(json.dumps(brief.to_dict()))
    numbers = [s["n"] for s in data["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert data["article_count"] == len(numbers) >= 4
    cited = set()
    for key in ("relations", "partnership", "meetings", "agreements", "support", "economy"):
        for entry in data[key]:
            assert entry["evidence"], (key, entry["summary"])
            cited |= {e["source"] for e in entry["evidence"]}
    assert cited <= set(numbers)
    markdown = brief.to_markdown()
    assert markdown.startswith("# Kazakhstan (KAZ) – China (CHN): bilateral relations brief")
    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == [
        "Relations",
        "High-level visits and meetings",
        "Agreements and cooperation",
        "Statements of support and criticism",
        "Trade and investment",
        "Key people",
        "Planned events ahead",
        "Sources",
    ]
    assert markdown.index("**2022-06-07** — Visit to Kazakhstan by Wang Yi") < markdown.index(
        "**2020-09-12** — Visit to Kazakhstan by Wang Yi"
    )


def test_html_is_a_complete_escaped_page(kb_store: Store) -> None:
    brief = build_brief(kb_store, "KAZ", "CHN")
    brief.meetings[0].evidence[0].text = '<script>alert("x")</script> & co'
    page = brief.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Kazakhstan (KAZ) – China (CHN): bilateral relations brief</title>" in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no external assets
    for source in brief.sources:
        assert f'id="src-{source.n}"' in page
    assert page.count("<section") == page.count("</section>") == 8


def _cli(store: Store, *args: str):
    return runner.invoke(app, ["--db", store.url, "brief", *args])


def test_cli(kb_store: Store, tmp_path: Path) -> None:
    result = _cli(kb_store, "Kazakhstan", "China")
    assert result.exit_code == 0, result.output
    assert "2022-06-07" in result.stdout and "## Sources" in result.stdout
    target = tmp_path / "kz-va.html"
    result = _cli(kb_store, "KAZ", "VAT", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "1992-10-17" in target.read_text(encoding="utf-8")
    result = _cli(kb_store, "KAZ", "CHN", "--since", "2022", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["since"] == "2022"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("KAZ", "Narnia"), 2, "no actor known as 'Narnia'"),
        (("Kazakhstna", "CHN"), 2, "did you mean: Kazakhstan"),
        (("KAZ", "CHN", "--since", "2021-02-30"), 2, "not a date"),
        (("KAZ", "KAZ"), 2, "same party"),
        (("KAZ", "CHN", "--format", "pdf"), 2, "unknown format"),
        (("KAZ", "NZL"), 1, "holds nothing on Kazakhstan (KAZ) – New Zealand (NZL)"),
        (("Wang Yi", "NZL", "--until", "2022"), 1, "holds nothing on Wang Yi (CHN) – New Zealand"),
    ],
)
def test_cli_bad_input(kb_store: Store, args: tuple[str, ...], code: int, message: str) -> None:
    result = _cli(kb_store, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.slow
def test_guardian_conflict_dyad(tmp_path: Path) -> None:
    """The US–Syria brief on Guardian articles lists threats and strikes with their sources."""
    from diplograph.pipeline import ingest

    sample = shared_path("corpus", "guardian-2019", "guardian-world-sample.jsonl")
    lines = [
        line
        for line in sample.read_text(encoding="utf-8").splitlines()
        if "Trump" in line and re.search(r"\b(warn|attack|strike)", line)
    ][:40]
    subset = tmp_path / "guardian-subset.jsonl"
    subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(str(tmp_path / "guardian.db")) as store:
        assert ingest([str(subset)], store).ok
        brief = build_brief(store, "USA", "Syria")
    assert brief.event_count >= 10
    types = {item.type for item in brief.criticism}
    assert types & {"THREATEN", "ASSAULT"}, types
    assert all(item.date and item.date >= "2017" for item in brief.criticism if item.date)
    for item in brief.criticism:
        assert item.evidence and item.sources
        assert {s.source for s in _cited(brief, item.sources)} == {"The Guardian"}
    assert any(p.name == "Donald Trump" and p.side == "a" for p in brief.people)
    markdown = brief.to_markdown()
    assert "### Criticism and conflict" in markdown
    assert (
        "Nothing in the store."
        not in markdown.split("### Criticism and conflict")[1].split("##")[0]
    )


def test_sections_list_their_newest_lines_and_count_the_rest(kb_store: Store) -> None:
    whole = build_brief(kb_store, "KAZ", "CHN", per_section=None)
    short = build_brief(kb_store, "KAZ", "CHN", per_section=1)
    assert len(whole.meetings) >= 2 and not whole.more
    assert [m.date for m in short.meetings] == [whole.meetings[0].date]
    assert short.more["meetings"] >= 1
    assert short.event_count == whole.event_count
    assert (
        "more event(s) in the store: diplograph events --actor KAZ --partner CHN --type "
        "CONSULT" in short.to_markdown()
    )
    # only what is listed is cited, numbered 1..n in reading order
    assert [s.n for s in short.sources] == list(range(1, len(short.sources) + 1))
    cited = {
        e.source
        for line in short.meetings + short.agreements + short.relations
        for e in line.evidence
    }
    assert cited <= {s.n for s in short.sources}
    assert len(short.sources) <= len(whole.sources)

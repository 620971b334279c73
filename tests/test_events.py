"""Event coding on real sentences: types, roles, modality, dates, de-duplication."""

from __future__ import annotations

import pytest

from diplograph.extract.analyze import Analyzer
from diplograph.ingest.body import clean_body, make_article
from diplograph.models import Event


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def code(text: str, analyzer: Analyzer, published: str | None = "2022-06-07") -> list[Event]:
    article = make_article(clean_body(text), published=published, title="t")
    (analysis,) = analyzer.analyze([article])
    return analysis.events


def summary(events: list[Event]) -> set[tuple]:
    return {
        (
            e.type,
            tuple(sorted(p.code or "?" for p in e.actor)),
            tuple(sorted(p.code or "?" for p in e.recipient)),
            e.date,
            e.aux,
        )
        for e in events
    }


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Kazakh President Kassym-Jomart Tokayev received Chinese Foreign Minister Wang Yi, "
            "who arrived in Kazakhstan on an official visit.",
            "2022-06-07",
            ("CONSULT", ("CHN",), ("KAZ",), "2022-06-07", None),
        ),
        (
            "Russian forces attacked the Ukrainian city of Kharkiv on Monday.",
            "2022-02-25",
            ("ASSAULT", ("RUS",), ("UKR",), "2022-02-21", None),
        ),
        (
            "The United States imposed sanctions on Iran last week.",
            "2019-04-10",
            ("SANCTION", ("USA",), ("IRN",), None, None),
        ),
        (
            "France condemned the missile launch by North Korea.",
            "2022-10-04",
            ("ACCUSE", ("FRA",), ("PRK",), "2022-10-04", None),
        ),
        (
            "German Chancellor Olaf Scholz will visit China next month.",
            "2022-10-10",
            ("AGREE", ("DEU",), ("CHN",), "2022-10-10", "future"),
        ),
    ],
)
def test_single_events(text: str, published: str, expected: tuple, analyzer: Analyzer) -> None:
    found = summary(code(text, analyzer, published))
    type_, actor, recipient, date, aux = expected
    matching = [f for f in found if f[0] == type_ and f[1] == actor and f[2] == recipient]
    assert matching, found
    if date is not None:
        assert matching[0][3] == date, found
    assert matching[0][4] == aux


def test_negated_and_hypothetical_events_are_left_out(analyzer: Analyzer) -> None:
    assert not [e for e in code("Turkey did not attack Syria.", analyzer) if e.type == "ASSAULT"]
    assert not [
        e
        for e in code("If Russia invaded Ukraine, Germany would impose sanctions.", analyzer)
        if e.type in {"ASSAULT", "SANCTION"}
    ]


def test_same_meeting_in_several_sentences_is_one_event(analyzer: Analyzer) -> None:
    text = (
        "Kazakh President Kassym-Jomart Tokayev met Chinese Foreign Minister Wang Yi on "
        "Saturday.\n\nDuring the meeting, Tokayev and Wang Yi discussed trade and investment."
    )
    events = [e for e in code(text, analyzer, "2020-09-14") if e.type == "CONSULT"]
    assert len(events) == 1, [(e.type, e.actor, e.recipient, e.date) for e in events]
    assert len(events[0].mentions) == 2
    assert events[0].date == "2020-09-12"


def test_event_ids_are_stable_across_articles(analyzer: Analyzer) -> None:
    first = code("Russia and China held talks in Moscow on 5 June 2023.", analyzer, "2023-06-06")
    second = code(
        "On 5 June 2023 Russia and China held talks in Moscow, officials said.",
        analyzer,
        "2023-06-08",
    )
    assert {e.id for e in first if e.type == "CONSULT"} == {
        e.id for e in second if e.type == "CONSULT"
    }


def test_conditional_or_announced_force_is_a_threat(analyzer: Analyzer) -> None:
    events = code(
        "Turkey would attack Syria if the militias did not withdraw from the border.",
        analyzer,
        "2019-02-19",
    )
    threats = [e for e in events if e.type == "THREATEN"]
    assert threats and threats[0].actor[0].code == "TUR"
    assert "SYR" in {p.code for p in threats[0].recipient}
    assert not [e for e in events if e.type == "ASSAULT"]

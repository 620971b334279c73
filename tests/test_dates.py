"""Date expressions found in article text and resolved against the publication date."""

from __future__ import annotations

import re

import pytest

from conftest import shared_path
from diplograph.nlp.dates import find_dates

Y = (None,)  # shorthand: no end_value
P20, P22 = "2020-09-14", "2022-06-07"  # a Monday and a Tuesday

CASES: list[tuple[str, str | None, list[tuple]]] = [
    # explicit days, year-less days (closest year, ties to the past)
    ("met Wang Yi Sept. 12, who was", P20, [("2020-09-12", "day")]),
    ("on September 12 the talks", P20, [("2020-09-12", "day")]),
    ("on 12 September, and on 12 Sept", P20, [("2020-09-12", "day"), ("2020-09-12", "day")]),
    ("a visit on 10 January", "2020-12-30", [("2021-01-10", "day")]),
    ("signed on 1 September", "2021-01-01", [("2020-09-01", "day")]),
    ("in July", "2021-01-15", [("2020-07", "month")]),  # six months either way: the past
    ("ties were set up on October 17, 1992.", None, [("1992-10-17", "day")]),
    ("on 17 October 1992", None, [("1992-10-17", "day")]),
    ("2022-06-07 and 07.06.2022", None, [("2022-06-07", "day"), ("2022-06-07", "day")]),
    ("to be held on June 5, 2022.", None, [("2022-06-05", "day")]),
    ("on Monday, June 6, 2022, he", None, [("2022-06-06", "day")]),
    ("the 3rd of March 2021", None, [("2021-03-03", "day")]),
    # months, seasons, years
    ("In October 2022, the summit", None, [("2022-10", "month")]),
    ("in November, elections", "2022-12-20", [("2022-11", "month")]),
    ("in June this year and May last year", P22, [("2022-06", "month"), ("2021-05", "month")]),
    ("last June", P22, [("2021-06", "month")]),
    ("visit scheduled for autumn 2022", None, [("2022-09", "month", "2022-11")]),
    (
        "in the fall of 2022 and spring 2023",
        None,
        [("2022-09", "month", "2022-11"), ("2023-03", "month", "2023-05")],
    ),
    ("last winter", P22, [("2021-12", "month", "2022-02")]),
    ("and in 2001, at the request of", None, [("2001", "year")]),
    ("In 1998 and 2009, the President", None, [("1998", "year"), ("2009", "year")]),
    ("in 2019, 2020 and 2021", None, [("2019", "year"), ("2020", "year"), ("2021", "year")]),
    ("between 2015 and 2018", None, [("2015", "year", "2018")]),
    ("from 2015 to 2018", None, [("2015", "year", "2018")]),
    ("the programme for 2021-2025.", None, [("2021", "year", "2025")]),
    ("2023 promises to be a busy year.", None, [("2023", "year")]),
    ("since 2005 and by the end of 2021", None, [("2005", "year"), ("2021", "year")]),
    ("the end of 2021", None, [("2021", "year")]),
    ("in mid-2014 and early 2013", None, [("2014", "year"), ("2013", "year")]),
    ("the same period of 2021", None, [("2021", "year")]),
    ("the 1990s", None, [("1990", "year", "1999")]),
    ("in the early and mid-20th century", None, [("1900", "year", "1999")]),
    ("by the mid-twentieth century", None, [("1900", "year", "1999")]),
    # publication-relative
    ("last year", "2020-03-01", [("2019", "year")]),
    ("this year and next year", P22, [("2022", "year"), ("2023", "year")]),
    (
        "last month, this month, next month",
        P22,
        [("2022-05", "month"), ("2022-06", "month"), ("2022-07", "month")],
    ),
    ("last week", P22, [("2022-05-30", "day", "2022-06-05")]),
    ("this week", P22, [("2022-06-06", "day", "2022-06-12")]),
    ("next week", P22, [("2022-06-13", "day", "2022-06-19")]),
    (
        "yesterday, today and tomorrow",
        "2022-06-07T10:30:00",
        [("2022-06-06", "day"), ("2022-06-07", "day"), ("2022-06-08", "day")],
    ),
    ("He met them on Monday.", P22, [("2022-06-06", "day")]),
    ("Talks were held on Friday.", P22, [("2022-06-03", "day")]),
    ("He will fly to Paris on Friday.", P22, [("2022-06-10", "day")]),
    ("He said on Friday that Iran will respond.", P22, [("2022-06-03", "day")]),
    ("last Tuesday and next Tuesday", P22, [("2022-05-31", "day"), ("2022-06-14", "day")]),
    ("earlier this month", P22, [("2022-06", "month")]),
    ("late last year", P22, [("2021", "year")]),
    ("in the third quarter of this year", P22, [("2022-07", "month", "2022-09")]),
    ("sales in the first quarter of last year", P22, [("2021-01", "month", "2021-03")]),
    (
        "2023 will matter. Elections are due in the first six months.",
        P22,
        [("2023", "year"), ("2023-01", "month", "2023-06")],
    ),
    ("the first half of 2019", None, [("2019-01", "month", "2019-06")]),
    ("founded 30 years ago", P22, [("1992", "year")]),
    ("two weeks ago", P22, [("2022-05-24", "day")]),
    # ranges
    ("will visit from 31 May to 6 June for", "2022-05-31", [("2022-05-31", "day", "2022-06-06")]),
    ("the summit on October 12-13, 2022 in", None, [("2022-10-12", "day", "2022-10-13")]),
    ("On 9-10 June 2022, Internews", None, [("2022-06-09", "day", "2022-06-10")]),
    ("from 30 December to 2 January", "2021-12-20", [("2021-12-30", "day", "2022-01-02")]),
    ("from May to July 2022", None, [("2022-05", "month", "2022-07")]),
    # anaphora
    (
        "He met Wang Sept. 12. Nazarbayev met Wang the same day.",
        P20,
        [("2020-09-12", "day"), ("2020-09-12", "day")],
    ),
    (
        "On 3 May 2021 he came; the next day he left.",
        None,
        [("2021-05-03", "day"), ("2021-05-04", "day")],
    ),
    (
        "On 3 May 2021 he came, that day. The following day, two days later.",
        None,
        [
            ("2021-05-03", "day"),
            ("2021-05-03", "day"),
            ("2021-05-04", "day"),
            ("2021-05-06", "day"),
        ],
    ),
    (
        "In October 2022 a summit; in the same month a meeting; a month later",
        None,
        [("2022-10", "month"), ("2022-10", "month"), ("2022-11", "month")],
    ),
    ("In 2015 it began; the following year it grew.", None, [("2015", "year"), ("2016", "year")]),
    ("They met in 2019. The next day they left.", None, [("2019", "year")]),  # too coarse
    ("The same day, they met.", P22, []),  # no antecedent
    # no publication date: relative expressions are skipped
    ("last year, on Monday, Sept. 12, in November", None, []),
    # not dates
    ("over 30 years of relations", P22, []),
    ("the 30th anniversary", P22, []),
    ("the COVID-19 pandemic", P22, []),
    ("contribute to the 2030 Agenda", P22, []),
    ("trade reached $24bn", P22, []),
    ("rose by 12.5% to", P22, []),
    ("under Resolution 2231", P22, []),
    ("call +7 7172 2020 21 or 8-800-2021-22", P22, []),
    ("the G20 summit", P22, []),
    ("the 20th National Congress", P22, []),
    ("F-35 jets", P22, []),
    ("1.3 billion dollars", P22, []),
    ("turnover hit $7.2bn, 7.2", P22, []),
    ("in 2000 people fled", P22, []),
    ("a total of 2019 votes", P22, []),
    ("Theresa May said", P22, []),
    ("confidence in May's plan", P22, []),
    ("Black Friday sales", P22, []),
    ("She spoke to BBC Radio 4's Today programme", P22, []),
    ("over the last week", P22, []),
    ("in 18 years", P22, []),
    ("the 2019 election", P22, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_find_dates(text: str, published: str | None, expected: list[tuple]) -> None:
    found = find_dates(text, published)
    got = [(d.value, d.precision, d.end_value) for d in found]
    assert got == [(*e, None) if len(e) == 2 else e for e in expected]
    for d in found:
        assert text[d.start : d.end] == d.text


def test_relative_flag_and_spans() -> None:
    text = "In 2001 he came. He met Wang Sept. 12 and again by the end of this year."
    found = find_dates(text, P20)
    assert [(d.text, d.relative) for d in found] == [
        ("2001", False),
        ("Sept. 12", True),
        ("the end of this year", True),
    ]


def _seed(prefix: str) -> str:
    folder = shared_path("corpus", "seeds")
    files = sorted(folder.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"no seed {prefix} in {folder}")
    return files[0].read_text(encoding="utf-8")


def _by_text(text: str, published: str | None) -> dict[str, tuple]:
    return {d.text: (d.value, d.precision, d.end_value) for d in find_dates(text, published)}


def test_seed_004_sept_12() -> None:
    found = _by_text(_seed("004"), "2020-09-14")
    assert found["Sept. 12"] == ("2020-09-12", "day", None)
    assert found["the same day"] == ("2020-09-12", "day", None)
    assert found["last year"] == ("2019", "year", None)
    assert found["2021"] == ("2021", "year", None)


def test_seed_000_absolute_dates() -> None:
    dates = find_dates(_seed("000"), "2021-02-09")
    got = [(d.text, d.value) for d in dates]
    assert ("October 17, 1992", "1992-10-17") in got
    assert ("1998", "1998") in got and ("2009", "2009") in got and ("2001", "2001") in got
    assert ("2021-02-09", "2021-02-09") in got  # the dateline in the raw file


def test_seed_002_ranges_and_negatives() -> None:
    text = _seed("002")
    found = _by_text(text, "2022-05-31")
    assert found["31 May to 6 June"] == ("2022-05-31", "day", "2022-06-06")
    assert found["9-10 June 2022"] == ("2022-06-09", "day", "2022-06-10")
    assert found["October 12-13, 2022"] == ("2022-10-12", "day", "2022-10-13")
    assert found["June 5, 2022"] == ("2022-06-05", "day", None)
    assert found["2021-2025"] == ("2021", "year", "2025")
    quarter = re.search(r"the first quarter of \w+ year", text)  # the seed's own wording
    assert quarter is not None
    assert found[quarter.group()] == ("2022-01", "month", "2022-03")
    values = {d.value for d in find_dates(text, "2022-05-31")}
    assert not values & {"2030", "1992", "1930"}
    assert all("$" not in d.text and "%" not in d.text for d in find_dates(text, "2022-05-31"))


def test_seed_003_without_publication_date() -> None:
    found = _by_text(_seed("003"), None)
    assert found["October 2022"] == ("2022-10", "month", None)
    assert found["2023"] == ("2023", "year", None)
    assert found["the first six months"] == ("2023-01", "month", "2023-06")
    assert "This year" not in found and "next year" not in found

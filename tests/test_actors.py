"""Actor recognition and resolution with the real spaCy model, on real and written sentences."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from conftest import shared_path
from diplograph.extract.actors import resolve_actors
from diplograph.extract.registry import ActorRegistry
from diplograph.ingest.sources import Source, read_source
from diplograph.models import ActorMention, Article
from diplograph.nlp.pipeline import gazetteer, load_nlp, nlp_version


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def resolve(
    nlp,
    text: str,
    registry: ActorRegistry | None = None,
    *,
    date: str | None = None,
    dateline: str | None = None,
) -> list[ActorMention]:
    article = Article(text=text, paragraphs=text.split("\n\n"), published=date, dateline=dateline)
    return resolve_actors(nlp(text), article, registry if registry is not None else ActorRegistry())


def find(mentions: list[ActorMention], text: str, nth: int = 0) -> ActorMention:
    hits = [m for m in mentions if m.text == text]
    assert len(hits) > nth, f"{text!r} not among {[m.text for m in mentions]}"
    return hits[nth]


def person(
    mentions: list[ActorMention],
    text: str,
    code: str,
    office: str | None = None,
    sector: str | None = "GOV",
    name: str | None = None,
    nth: int = 0,
) -> ActorMention:
    mention = find(mentions, text, nth)
    assert (mention.kind, mention.code) == ("person", code), mention
    if office:
        assert mention.office == office, mention
    if sector:
        assert mention.sector == sector, mention
    if name:
        assert mention.name == name, mention
    return mention


def titled(by_title: dict[str, list[ActorMention]], *parts: str) -> list[ActorMention]:
    """The mentions of the one article whose title contains every part."""
    hits = [v for k, v in by_title.items() if k and all(p in k for p in parts)]
    assert len(hits) == 1, f"{parts!r} match {len(hits)} titles of {list(by_title)}"
    return hits[0]


def seed_articles(name: str) -> list[Article]:
    path: Path = shared_path("corpus", "seeds", name)
    return [a for a, _ in read_source(Source(str(path), "text", path.stat().st_size))]


# -- reference data and pipeline ---------------------------------------------------------------


def test_states_cover_every_country_with_names_demonyms_and_capitals() -> None:
    data = json.loads(resources.files("diplograph.data").joinpath("states.json").read_text("utf-8"))
    codes = {s["code"] for s in data["states"]}
    assert {c.alpha_3 for c in pycountry.countries} <= codes
    sovereign = [s for s in data["states"] if s["sovereign"]]
    assert len(sovereign) > 190
    assert all(s["demonyms"] and s["capital"] for s in sovereign if s["code"] not in {"DMA", "SGP"})
    gaz = gazetteer()
    for text, ident in [
        ("Nur-Sultan", "place:KAZ"),
        ("Astana", "capital:KAZ"),
        ("Tselinograd", "place:KAZ"),
        ("Kyiv", "capital:UKR"),
        ("Kiev", "place:UKR"),
        ("Peking", "place:CHN"),
        ("Rangoon", "place:MMR"),
        ("Holy See", "state:VAT"),
        ("Vatican", "state:VAT"),
        ("Türkiye", "state:TUR"),
        ("the U.S.", "state:USA"),
        ("Swiss Confederation", "state:CHE"),
        ("Kazakhstani", "norp:KAZ"),
        ("Omani", "norp:OMN"),
        ("Kremlin", "meto:RUS:GOV"),
        ("Pentagon", "meto:USA:MIL"),
        ("Akorda", "meto:KAZ:GOV"),
        ("Downing Street", "meto:GBR:GOV"),
        ("Palestine", "state:PSE"),
    ]:
        assert gaz.entity_id(text) == ident, text
    assert gaz.orgs[gaz.entity_id("CICA").split(":", 1)[1]]["code"] == "CICA"
    assert gaz.orgs[gaz.entity_id("UNAMA").split(":", 1)[1]]["code"] == "UN"
    assert gaz.orgs[gaz.entity_id("IAEA").split(":", 1)[1]]["code"] == "IAEA"


def test_pipeline_repairs_person_entities(nlp) -> None:
    doc = nlp(
        "Ambassador of Kazakhstan Alibek Bakayev met Kassym-Jomart Tokayev. "
        "Later the President of Switzerland Ignazio Cassis praised those ties."
    )
    ents = {(e.text, e.label_) for e in doc.ents}
    assert {
        ("Kazakhstan", "GPE"),
        ("Alibek Bakayev", "PERSON"),
        ("Kassym-Jomart Tokayev", "PERSON"),
        ("Ignazio Cassis", "PERSON"),
    } <= ents
    assert [o.label_ for o in doc.spans["offices"]] == ["Ambassador", "President"]
    assert nlp_version().startswith("en_core_web_sm")


# -- the seed corpus ----------------------------------------------------------------------------


def test_seed_vatican_report(nlp) -> None:
    (article,) = seed_articles("000_9c557d8994a7c5fe.txt")
    mentions = resolve_actors(nlp(article.text), article, ActorRegistry())
    person(mentions, "Alibek Bakayev", "KAZ", "Ambassador")
    person(mentions, "Francis", "VAT", "Pope", sector="REL")
    person(mentions, "Ambassador", "KAZ", name="Alibek Bakayev")
    person(mentions, "Bakayev", "KAZ", name="Alibek Bakayev")
    person(mentions, "Mirosław Wachowski", "VAT", sector=None)
    person(mentions, "Nursultan Nazarbayev", "KAZ", "First President")
    person(mentions, "Pope", "VAT", sector="REL", name="Francis")
    assert find(mentions, "Holy See").code == "VAT"


def test_seed_wang_yi_visit(nlp) -> None:
    (article,) = seed_articles("001_bb03d2d6f9ac7590.txt")
    mentions = resolve_actors(nlp(article.text), article, ActorRegistry())
    person(mentions, "Kassym-Jomart Tokayev", "KAZ")
    person(mentions, "Wang Yi", "CHN", "Minister of Foreign Affairs")
    person(mentions, "Head of State", "KAZ", name="Kassym-Jomart Tokayev")
    person(mentions, "Tokayev", "KAZ", "President", name="Kassym-Jomart Tokayev")
    person(mentions, "Xi Jinping", "CHN", "President")
    person(mentions, "Foreign Minister", "CHN", name="Wang Yi")  # "Chinese Foreign Minister noted"
    person(mentions, "Wang", "CHN", name="Wang Yi")
    orgs = {m.code for m in mentions if m.kind == "organization"}
    assert {"UN", "SCO", "CICA", "OIC"} <= orgs


def test_seed_digest_items(nlp) -> None:
    registry = ActorRegistry()
    by_title = {}
    for article in seed_articles("002_27ebbd8261c99c81.txt"):
        by_title[article.title] = resolve_actors(nlp(article.text), article, registry)
    unama = titled(by_title, "receives UN", "Special Representative")
    person(unama, "Kassym-Jomart Tokayev", "KAZ", "President")
    person(unama, "Deborah Lyons", "UN", "Special Representative", sector="IGO")
    assert find(unama, "UNAMA").code == "UN"
    swiss = titled(by_title, "Switzerland mark 30 years")
    person(swiss, "Roman Vassilenko", "KAZ", "Deputy Minister of Foreign Affairs")
    person(swiss, "David Grichting", "CHE", "Ambassador")
    person(swiss, "Ignazio Cassis", "CHE", "President")
    person(swiss, "Mukhtar Tileuberdi", "KAZ", "Minister of Foreign Affairs")
    person(swiss, "A. Aebi", "CHE")
    person(swiss, "diplomat", "CHE", name="David Grichting")  # "The Swiss diplomat"
    osce = next(v for k, v in by_title.items() if k.startswith("OSCE Chairman-in-Office"))
    person(osce, "Zbigniew Rau", "POL", "Minister of Foreign Affairs")
    person(osce, "Ukhnaagiin Khurelsukh", "MNG", "President")
    person(osce, "Shavkat Mirziyoyev", "UZB", "President")
    person(osce, "Chairman-in-Office", "OSCE", name="Zbigniew Rau")
    pm = next(v for k, v in by_title.items() if k.startswith("High pace of Kazakh-Russian"))
    person(pm, "Alikhan Smailov", "KAZ", "Prime Minister")
    person(pm, "Mikhail Mishustin", "RUS", "Prime Minister")
    person(pm, "PM", "KAZ", name="Alikhan Smailov")  # "the Kazakh PM"
    us = next(v for k, v in by_title.items() if k.startswith("Meetings with US Assistant"))
    person(us, "Donald Lu", "USA", "Assistant Secretary of State")
    person(us, "diplomat", "USA", name="Donald Lu")  # "The American diplomat"


def test_seed_2020_visit(nlp) -> None:
    (article,) = seed_articles("004_7ff9e670e07e3db1.txt")
    mentions = resolve_actors(nlp(article.text), article, ActorRegistry())
    person(mentions, "Kassym-Jomart Tokayev", "KAZ", "President")
    person(mentions, "Wang Yi", "CHN", "Minister of Foreign Affairs")
    person(mentions, "Mukhtar Tileuberdi", "KAZ", "Minister of Foreign Affairs")
    person(mentions, "Nursultan Nazarbayev", "KAZ", "First President")
    person(mentions, "President", "KAZ", name="Kassym-Jomart Tokayev")  # "The Kazakh President"
    assert all(m.code == "CHN" for m in mentions if m.text == "Wang")


# -- conflict and diplomacy news from many countries ----------------------------------------------

CASES = [
    (
        "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi on "
        "Friday, the Kremlin said.",
        [("Vladimir Putin", "RUS", "President"), ("Recep Tayyip Erdogan", "TUR", "President")],
    ),
    (
        "Israeli Prime Minister Benjamin Netanyahu said Hamas fighters had fired rockets "
        "from Gaza.",
        [("Benjamin Netanyahu", "ISR", "Prime Minister")],
    ),
    (
        "Iran's foreign minister, Hossein Amir-Abdollahian, met the IAEA director general, Rafael "
        "Grossi, in Tehran.",
        [
            ("Hossein Amir-Abdollahian", "IRN", "Minister of Foreign Affairs"),
            ("Rafael Grossi", "IAEA", None),
        ],
    ),
    (
        "UN Secretary-General António Guterres called for a ceasefire in Sudan.",
        [("António Guterres", "UN", "Secretary-General")],
    ),
    (
        "Taliban spokesman Zabihullah Mujahid said the group would not allow attacks "
        "from Afghan soil.",
        [("Zabihullah Mujahid", "AFG", "Spokesperson")],
    ),
    (
        "The US secretary of state, Antony Blinken, and the British foreign secretary, James "
        "Cleverly, arrived in Kyiv.",
        [
            ("Antony Blinken", "USA", "Minister of Foreign Affairs"),
            ("James Cleverly", "GBR", "Minister of Foreign Affairs"),
        ],
    ),
    (
        "Venezuelan opposition leader Juan Guaidó called for protests in Caracas.",
        [("Juan Guaidó", "VEN", "Opposition Leader")],
    ),
    (
        "German Chancellor Olaf Scholz and French President Emmanuel Macron discussed "
        "Nato's eastern flank. Scholz said Berlin would send more tanks.",
        [
            ("Olaf Scholz", "DEU", "Chancellor"),
            ("Emmanuel Macron", "FRA", "President"),
            ("Scholz", "DEU", "Chancellor"),
        ],
    ),
    (
        "Saudi Crown Prince Mohammed bin Salman received Chinese Foreign Minister Wang Yi "
        "in Riyadh. The crown prince praised China's role.",
        [
            ("Mohammed bin Salman", "SAU", "Crown Prince"),
            ("Wang Yi", "CHN", None),
            ("crown prince", "SAU", "Crown Prince"),
        ],
    ),
    (
        "Talks with Baghdad are going well, the US president, Donald Trump, told reporters.",
        [("Donald Trump", "USA", "President")],
    ),
    (
        "Ethiopian Prime Minister Abiy Ahmed met Eritrean President Isaias Afwerki in Asmara.",
        [("Abiy Ahmed", "ETH", "Prime Minister"), ("Isaias Afwerki", "ERI", "President")],
    ),
    (
        "Myanmar's military junta chief, Min Aung Hlaing, visited Moscow.",
        [("Min Aung Hlaing", "MMR", None)],
    ),
    (
        "North Korean leader Kim Jong Un oversaw a missile launch, KCNA reported.",
        [("Kim Jong Un", "PRK", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[1][0][0] for c in CASES])
def test_people_in_conflict_news(nlp, text: str, expected: list) -> None:
    mentions = resolve(nlp, text, date="2023-05-01")
    for name, code, office in expected:
        person(mentions, name, code, office, sector=None)


def test_states_organisations_and_collectives(nlp) -> None:
    mentions = resolve(
        nlp,
        "Ukrainian troops repelled an attack near Bakhmut, while Russian "
        "forces shelled Kharkiv. Pakistani soldiers killed five militants. "
        "Baghdad and Washington are negotiating over Isis fighters held in "
        "Syria, the Kremlin and the OSCE said.",
    )
    assert (find(mentions, "Ukrainian troops").code, find(mentions, "Ukrainian troops").sector) == (
        "UKR",
        "MIL",
    )
    assert find(mentions, "Russian forces").kind == "state"
    assert find(mentions, "Pakistani soldiers").sector == "MIL"
    assert [find(mentions, t).code for t in ("Baghdad", "Washington", "Syria", "Kremlin")] == [
        "IRQ",
        "USA",
        "SYR",
        "RUS",
    ]
    isis = find(mentions, "Isis")
    assert (isis.kind, isis.code, isis.sector) == ("organization", "ISIS", "REB")
    assert (find(mentions, "OSCE").kind, find(mentions, "OSCE").code) == ("organization", "OSCE")
    assert not any(m.text in {"Bakhmut", "Kharkiv"} for m in mentions)  # places, not actors


def test_nominal_without_a_person_is_a_generic_state_actor(nlp) -> None:
    mentions = resolve(nlp, "The Kazakh President called for restraint.", date="2022-01-05")
    generic = find(mentions, "President")
    assert (generic.kind, generic.code, generic.sector, generic.name) == (
        "other",
        "KAZ",
        "GOV",
        "Kazakhstan",
    )


# -- the registry across articles --------------------------------------------------------------


def test_registry_carries_people_across_articles(nlp) -> None:
    registry = ActorRegistry()
    resolve(
        nlp,
        "Kazakh President Kassym-Jomart Tokayev met Chinese Foreign Minister Wang Yi in "
        "Nur-Sultan.",
        registry,
        date="2022-06-07",
    )
    later = resolve(
        nlp,
        "The Head of State underlined why reforms matter. Tokayev also thanked Wang for the visit.",
        registry,
        date="2022-09-14",
    )
    person(later, "Head of State", "KAZ", name="Kassym-Jomart Tokayev")
    person(later, "Tokayev", "KAZ", "President", name="Kassym-Jomart Tokayev")
    person(later, "Wang", "CHN", name="Wang Yi")
    tokayev = registry.lookup("Tokayev", "2022-09-14")
    assert tokayev is not None and tokayev.name == "Kassym-Jomart Tokayev"
    assert ("President", "KAZ") in tokayev.offices
    assert {"Tokayev", "the Head of State"} <= {
        a.casefold() if a.startswith("the") else a for a in tokayev.aliases
    } | {"the Head of State"}


def test_registry_offices_by_date(nlp) -> None:
    registry = ActorRegistry()
    resolve(
        nlp,
        "President Nursultan Nazarbayev of Kazakhstan paid an official visit to the Vatican.",
        registry,
        date="2009-06-01",
    )
    resolve(
        nlp, "Kazakh President Kassym-Jomart Tokayev met the Pope.", registry, date="2022-06-07"
    )
    resolve(
        nlp,
        "Kazakhstan's First President Nursultan Nazarbayev met Wang Yi.",
        registry,
        date="2021-02-09",
    )
    assert registry.holder("President", "KAZ", "2009-06-01").name == "Nursultan Nazarbayev"
    assert registry.holder("President", "KAZ", "2021-02-09").name == "Kassym-Jomart Tokayev"
    assert registry.holder("First President", "KAZ", "2021-02-09").name == "Nursultan Nazarbayev"
    nazarbayev = registry.lookup("Nazarbayev")
    assert nazarbayev.office_at("2009-06-01").title == "President"
    assert nazarbayev.office_at("2021-02-09").title == "First President"
    # An article of 2009 saying "the Kazakh President" means Nazarbayev, one of 2022 Tokayev.
    old = resolve(nlp, "The Kazakh President received the delegation.", registry, date="2009-07-01")
    assert find(old, "President").name == "Nursultan Nazarbayev"
    new = resolve(nlp, "The Kazakh President received the delegation.", registry, date="2022-07-01")
    assert find(new, "President").name == "Kassym-Jomart Tokayev"


def test_registry_holders_are_dated() -> None:
    registry = ActorRegistry()
    registry.learn("Anna Berg", code="SWE", offices=[("Prime Minister", "SWE")])  # undated
    registry.learn("Lars Holm", code="SWE", offices=[("Prime Minister", "SWE")], date="2015-03-01")
    registry.learn("Lars Holm", code="SWE", offices=[("Prime Minister", "SWE")], date="2018-10-01")
    # an office seen with dates beats one never dated; near the dates it is still held ...
    assert registry.holder("Prime Minister", "SWE", "2019-06-01").name == "Lars Holm"
    # ... but years after the last sighting it has most likely changed hands
    assert registry.holder("Prime Minister", "SWE", "2026-06-01") is None
    assert registry.holder("Prime Minister", "SWE").name in {"Anna Berg", "Lars Holm"}


def test_registry_records_round_trip(nlp) -> None:
    registry = ActorRegistry()
    mentions = resolve(
        nlp, "Ambassador of Kazakhstan Alibek Bakayev met Pope Francis.", registry,
        date="2021-02-09",
    )  # fmt: skip
    changes = registry.take_changes()
    assert registry.take_changes() == []
    row = next(r for r in changes if r["name"] == "Alibek Bakayev")
    assert row["id"] == find(mentions, "Alibek Bakayev").key
    assert (row["kind"], row["code"], row["sector"]) == ("person", "KAZ", "GOV")
    assert {"alias": "Bakayev", "first_seen": "2021-02-09", "last_seen": "2021-02-09"} in row[
        "aliases"
    ]
    assert row["offices"] == [
        {
            "title": "Ambassador",
            "code": "KAZ",
            "first_seen": "2021-02-09",
            "last_seen": "2021-02-09",
        }
    ]
    restored = ActorRegistry.from_records(registry.to_records())
    assert restored.to_records() == registry.to_records()
    assert restored.lookup("Bakayev").name == "Alibek Bakayev"

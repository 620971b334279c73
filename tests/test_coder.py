"""The trained event coder: its model files, argument candidates, decoding rules and training.

Training is tested on the team's own annotated articles (tests/gold/synthetic and the
matching tests/gold/train/synth-*.jsonl), which are in the repository, so these tests run
without ../shared.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from diplograph.extract.analyze import Analyzer
from diplograph.extract.arguments import ArgumentFinder
from diplograph.extract.coder import EventCoder
from diplograph.extract.features import Frame, SentenceContext, candidate_ranks
from diplograph.extract.lexicon import Lexicon
from diplograph.extract.linear import LinearModel, packaged_model
from diplograph.extract.registry import ActorRegistry
from diplograph.ingest.body import clean_body, make_article
from diplograph.nlp.pipeline import gazetteer

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def analyse(analyzer: Analyzer, text: str, published: str = "2022-06-07"):
    article = make_article(clean_body(text), published=published, title="t")
    doc = analyzer.nlp(article.text)
    from diplograph.extract.actors import resolve_actors

    mentions = resolve_actors(doc, article, analyzer.registry)
    return article, doc, mentions


def test_linear_model_round_trip_and_probabilities(tmp_path: Path) -> None:
    model = LinearModel(["O", "ASSAULT"], [1.0, -1.0], {"l=attack": [-2.0, 3.0]})
    path = tmp_path / "m.json"
    model.save(str(path))
    loaded = LinearModel.from_dict(json.loads(path.read_text()))
    quiet, attack = loaded.probabilities([]), loaded.probabilities(["l=attack", "unknown"])
    assert quiet["O"] > 0.8 and attack["ASSAULT"] > 0.8
    assert abs(sum(attack.values()) - 1.0) < 1e-9
    rows = loaded.probability_rows([[], ["l=attack"]])
    assert rows.shape == (2, 2) and rows[1][1] == pytest.approx(attack["ASSAULT"])


def test_the_packaged_coder_is_installed_and_used(analyzer: Analyzer) -> None:
    triggers, roles = packaged_model("triggers"), packaged_model("roles")
    assert triggers is not None and roles is not None, "src/diplograph/data/coder/ is missing"
    assert "O" in triggers.labels and len(triggers.labels) == 17
    assert set(roles.labels) == {"actor", "recipient", "none"}
    assert triggers.meta["articles"] > 100 and triggers.meta["thresholds"]["trigger"] > 0
    assert isinstance(analyzer.events.coder, EventCoder)


def test_the_coder_can_be_switched_to_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIPLOGRAPH_CODER", "rules")
    assert packaged_model("triggers") is None
    lexicon = Lexicon.load()
    assert EventCoder.packaged(lexicon) is None
    monkeypatch.setenv("DIPLOGRAPH_CODER", "/nonexistent/models")
    with pytest.raises(FileNotFoundError, match="DIPLOGRAPH_CODER"):
        packaged_model("triggers")


def test_places_inside_a_title_are_not_parties(analyzer: Analyzer) -> None:
    text = (
        "Ambassador of Kazakhstan Najmedin Muhametali met with Minister of Foreign Affairs "
        "of Oman Badr Albusaidi."
    )
    _, doc, mentions = analyse(analyzer, text)
    finder = ArgumentFinder(doc, mentions, gazetteer())
    args = finder.candidates(next(iter(doc.sents)))
    kinds = {(doc[a.start : a.end].text, a.kind) for a in args}
    assert ("Najmedin Muhametali", "person") in kinds
    assert not [a for a in args if a.kind == "place"], kinds


def test_collective_words_stand_for_the_latest_meeting(analyzer: Analyzer) -> None:
    text = (
        "Kazakh President Kassym-Jomart Tokayev met Chinese Foreign Minister Wang Yi on Monday. "
        "The parties congratulated each other on the 30th anniversary of relations."
    )
    (analysis,) = analyzer.analyze([make_article(clean_body(text), published="2022-06-07")])
    support = [e for e in analysis.events if e.type == "SUPPORT"]
    assert support, [(e.type, e.actor, e.recipient) for e in analysis.events]
    codes = {p.code for p in support[0].actor + support[0].recipient}
    assert codes == {"KAZ", "CHN"}


def test_frame_slots_and_ranks(analyzer: Analyzer) -> None:
    text = "Turkish forces shelled Kurdish positions near Afrin on Sunday."
    _, doc, mentions = analyse(analyzer, text)
    trigger = next(t for t in doc if t.lemma_ == "shell")
    frame = Frame(trigger, Lexicon.load())
    assert frame.slots[next(t.i for t in doc if t.text == "forces")] == "subj"
    assert frame.slots[next(t.i for t in doc if t.text == "positions")] == "obj"
    finder = ArgumentFinder(doc, mentions, gazetteer())
    args = finder.candidates(next(iter(doc.sents)))
    ranks = candidate_ranks(trigger, args)
    assert "L1" in ranks and len(ranks) == len(args)
    assert SentenceContext(next(iter(doc.sents))).question is False


@pytest.mark.parametrize(
    ("text", "guest", "host"),
    [
        ("President Shavkat Mirziyoyev received Turkish Foreign Minister Hakan Fidan in Tashkent.",
         "TUR", "UZB"),
        ("President Emmanuel Macron hosted Brazilian President Luiz Inacio Lula da Silva in "
         "Paris on Tuesday.", "BRA", "FRA"),
        ("The Turkish foreign minister was received by Uzbek President Shavkat Mirziyoyev on "
         "Monday.", "TUR", "UZB"),  # passive: the host is the agent
        ("Indian Prime Minister Narendra Modi's visit to Japan ended on Friday.", "IND", "JPN"),
    ],
)  # fmt: skip
def test_host_verbs_make_the_guest_the_actor(
    analyzer: Analyzer, text: str, guest: str, host: str
) -> None:
    (analysis,) = analyzer.analyze([make_article(clean_body(text), published="2024-03-01")])
    consult = [e for e in analysis.events if e.type == "CONSULT"]
    assert consult
    assert [p.code for p in consult[0].actor] == [guest]
    assert [p.code for p in consult[0].recipient] == [host]


def test_starter_registry_knows_people_the_text_does_not_introduce() -> None:
    registry = ActorRegistry.starter()
    assert len(registry) > 100
    known = [p for p in registry.people() if p.code]
    assert len(known) == len(registry.people())  # only people coded from a title are kept


@pytest.mark.slow
def test_training_on_our_own_articles_gives_a_working_coder(tmp_path: Path) -> None:
    files = sorted(str(p) for p in (GOLD / "train").glob("synth-*.jsonl"))
    assert files, "tests/gold/train/synth-*.jsonl missing"
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "train_coder.py"), *files, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    with (
        gzip.open(tmp_path / "triggers.json.gz", "rt") as t,
        gzip.open(tmp_path / "roles.json.gz", "rt") as r,
    ):
        triggers, roles = LinearModel.from_dict(json.load(t)), LinearModel.from_dict(json.load(r))
    annotated = sum(Path(f).read_text().count('"record": "article"') for f in files)
    assert triggers.meta["articles"] == annotated
    analyzer = Analyzer()
    analyzer.events.coder = EventCoder(analyzer.events.lexicon, triggers, roles)
    text = "France condemned the missile launch by North Korea on Tuesday."
    (analysis,) = analyzer.analyze([make_article(clean_body(text), published="2022-10-06")])
    assert ("ACCUSE", "FRA") in {(e.type, e.actor[0].code) for e in analysis.events}


def test_a_date_after_since_bounds_the_event_instead_of_dating_it(analyzer: Analyzer) -> None:
    text = "Pope Francis made the first papal visit to Kazakhstan since Pope John Paul II in 2001."
    (analysis,) = analyzer.analyze([make_article(clean_body(text), published="2022-09-14")])
    (visit,) = [e for e in analysis.events if e.type == "CONSULT"]
    assert visit.date == "2022-09-14" and visit.aux is None

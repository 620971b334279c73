"""Where the sentences of an article take place: the state each sentence's events happen in.

Armed groups that belong to no state (Islamic State, al-Qaeda) and collective actors named
without a country ("the rebels", "troops") act for the state the text places them in
(GUIDELINES.md): "Isis fighters in Baghuz, eastern Syria" → SYR, "in Mosul" → IRQ. A
sentence's scene is the first state it names as a place ("in X", "northern X", "the Syrian
town of X"); a sentence that names none continues its paragraph's scene; an article's
fallback is the state it most often places things in, else the state it names most.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span

from diplograph.models import ActorMention
from diplograph.nlp.pipeline import Gazetteer


@cache
def _words() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("diplograph.data").joinpath("scene.json").read_text("utf-8"))
    return {key: frozenset(data[key]) for key in ("locative", "compass", "place_nouns")}


def place_code(ent: Span, gazetteer: Gazetteer | None) -> str | None:
    """The state a named place (or state name) belongs to, from the reference data."""
    ident = ent.ent_id_ or (gazetteer.entity_id(ent.text) if gazetteer is not None else None)
    if not ident:
        return None
    kind, _, rest = ident.partition(":")
    if kind in {"state", "capital", "place", "norp"}:
        return rest.split(":")[0]
    return None


def _placed(ent: Span) -> bool:
    """Is this entity named as a place the action happens in?"""
    doc, words = ent.doc, _words()
    before = [doc[i].lower_ for i in range(max(ent.start - 2, 0), ent.start)]
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if ent.label_ == "NORP":  # "the Syrian town of Baghuz"
        return after in words["place_nouns"]
    if before[-1:] and before[-1] in words["locative"]:
        return True
    return any(w in words["compass"] for w in before) or after in words["place_nouns"]


def sentence_scenes(doc: Doc, mentions: list[ActorMention], gazetteer: Gazetteer | None) -> dict:
    """Scene state per sentence (keyed by the sentence's start token), with paragraph carry-over
    and the article fallback for sentences that place nothing."""
    scenes: dict[int, str | None] = {}
    placed: Counter[str] = Counter()
    previous: str | None = None
    last_end = 0
    text = doc.text
    sentences = list(doc.sents)
    owner = [0] * len(doc)
    for sentence in sentences:
        for i in range(sentence.start, sentence.end):
            owner[i] = sentence.start
    ents: dict[int, list[Span]] = {}
    for ent in doc.ents:
        ents.setdefault(owner[ent.start], []).append(ent)
    for sentence in sentences:
        if "\n\n" in text[last_end : sentence.start_char]:
            previous = None  # a new paragraph
        found = None
        for ent in ents.get(sentence.start, []):
            if ent.label_ not in {"GPE", "LOC", "FAC", "NORP"}:
                continue
            code = place_code(ent, gazetteer)
            if code is not None and _placed(ent):
                found = found or code
                placed[code] += 1
        scenes[sentence.start] = found or previous
        previous = scenes[sentence.start]
        last_end = sentence.end_char
    states = Counter(m.code for m in mentions if m.kind == "state" and m.code)
    fallback = (placed or states).most_common(1)
    default = fallback[0][0] if fallback else None
    return {start: code or default for start, code in scenes.items()}

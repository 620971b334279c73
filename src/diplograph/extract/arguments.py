"""Who can take part in a sentence's events: the argument candidates the role model chooses from.

A candidate is a resolved actor mention (state, organisation, person, office holder), a place
that can be acted upon ("shelled Idlib" → the state it lies in), a pronoun resolved to an
earlier mention, or a collective noun such as "troops", "police" or "the regime" that acts for
the state the text places it in. Each carries the participant it would become.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from diplograph.extract.scene import place_code, sentence_scenes
from diplograph.models import ActorMention, Participant
from diplograph.nlp.pipeline import Gazetteer

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "it", "its", "their"})
FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my"})
_ARG_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "poss", "dative", "attr", "conj", "appos", "agent"}
)
_NP_INNER = frozenset({"compound", "appos", "flat", "nmod", "amod", "nummod"})
# collective nouns that are never event parties on their own
_NOT_PARTIES = frozenset({"CVL", "BUS", "REF", "MED"})


@dataclass(slots=True)
class Argument:
    """One candidate participant of the events of a sentence."""

    start: int  # token span in the doc
    end: int
    kind: str  # person | state | organization | other | place | pronoun | group
    participant: Participant

    def head(self, doc: Doc) -> Token:
        return doc[self.start : self.end].root

    def attachment(self, doc: Doc) -> Token:
        """Where the argument's noun phrase hangs in the sentence: from the name up through
        titles and appositions ("Ambassador of Kazakhstan Najmedin Muhametali" → the
        ambassador's word, which is the verb's subject)."""
        node = self.head(doc)
        for _ in range(8):
            head = node.head
            if head is node:
                break
            if node.dep_ in _NP_INNER and head.pos_ in {"NOUN", "PROPN"}:
                node = head
            elif (
                node.dep_ == "pobj"
                and head.lower_ == "of"
                and head.head.pos_ in {"NOUN", "PROPN"}
                and head.head.is_title
            ):
                node = head.head
            else:
                break
        return node

    @property
    def code(self) -> str | None:
        return self.participant.code


def participant(mention: ActorMention) -> Participant:
    """The event participant an actor mention stands for."""
    return Participant(
        name=mention.name,
        code=mention.code,
        sector=mention.sector,
        office=mention.office,
        entity_id=mention.key,
        kind=mention.kind,
    )


class ArgumentFinder:
    """Argument candidates for every sentence of one article (state per article)."""

    def __init__(
        self,
        doc: Doc,
        mentions: list[ActorMention],
        gazetteer: Gazetteer | None,
        scenes: dict[int, str | None] | None = None,
    ) -> None:
        self.doc, self.mentions, self.gaz = doc, mentions, gazetteer
        self.spans: list[tuple[Span, ActorMention]] = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span):
                self.spans.append((span, mention))
        self.covered = {i for span, _ in self.spans for i in range(span.start, span.end)}
        states = Counter(m.code for m in mentions if m.kind == "state" and m.code)
        self.home = states.most_common(1)[0][0] if states else None
        self.home_mention = next(
            (m for m in mentions if m.kind == "state" and m.code == self.home), None
        )
        self._scenes = scenes if scenes is not None else sentence_scenes(doc, mentions, gazetteer)
        self._ents: dict[int, list[Span]] = {}  # sentence start -> its entities
        starts = [0] * len(doc)
        for sentence in doc.sents:
            for i in range(sentence.start, sentence.end):
                starts[i] = sentence.start
        for ent in doc.ents:
            self._ents.setdefault(starts[ent.start], []).append(ent)

    def _sentence_ents(self, sentence: Span) -> list[Span]:
        return self._ents.get(sentence.start, [])

    # -- per sentence -------------------------------------------------------------------

    def candidates(self, sentence: Span, recent: list[Participant] | None = None) -> list[Argument]:
        """The sentence's candidates; ``recent`` are the parties of the latest meeting, for
        "the parties", "both sides", "the two countries"."""
        out = [
            Argument(span.start, span.end, mention.kind, participant(mention))
            for span, mention in self.spans
            if sentence.start <= span.start < sentence.end
        ]
        people = {a.attachment(self.doc).i for a in out if a.kind == "person"}
        out += self._places(sentence, people)
        for token in sentence:
            if token.i in self.covered:
                continue
            if recent and self._collective(token):
                out += [Argument(token.i, token.i + 1, "collective", p) for p in recent]
                continue
            found = self._pronoun(token, sentence) or self._group(token, sentence)
            if found is not None:
                out.append(found)
        out.sort(key=lambda a: a.start)
        return out

    @staticmethod
    def _collective(token: Token) -> bool:
        """ "The parties", "both sides", "the two countries", "each other"."""
        word = token.lower_
        if word in {"parties", "sides"} and token.dep_ in _ARG_DEPS:
            return True
        if word == "other" and token.i > 0 and token.doc[token.i - 1].lower_ == "each":
            return True
        if word in {"countries", "states", "leaders", "ministers", "presidents", "nations"}:
            return any(c.lower_ in {"two", "both"} for c in token.children)
        return word == "both" and token.dep_ in {"nsubj", "nsubjpass"}

    def _places(self, sentence: Span, people: set[int]) -> list[Argument]:
        """Named places not already actor mentions: "shelled Idlib", "entered Afrin" (not
        the state inside a person's title: "Ambassador of Kazakhstan Najmedin Muhametali")."""
        out = []
        for ent in self._sentence_ents(sentence):
            if ent.start in self.covered or ent.label_ not in {"GPE", "LOC", "FAC"}:
                continue
            code = place_code(ent, self.gaz)
            if code is None:
                continue
            probe = Argument(ent.start, ent.end, "place", Participant(name="", code=code))
            if probe.attachment(self.doc).i in people:
                continue
            name = ent.text
            out.append(
                Argument(
                    ent.start,
                    ent.end,
                    "place",
                    Participant(
                        name=name, code=code, sector="GOV", entity_id=f"state:{code}", kind="state"
                    ),
                )
            )
        return out

    def _pronoun(self, token: Token, sentence: Span) -> Argument | None:
        word = token.lower_
        if word in {"who", "which", "that"} and token.dep_ in {"nsubj", "nsubjpass"}:
            # "Wang Yi, who arrived in Kazakhstan": the noun the relative clause describes
            clause = token.head
            if clause.dep_ == "relcl":
                for span, mention in self.spans:
                    if span.start <= clause.head.i < span.end or span.root.i == clause.head.i:
                        return Argument(token.i, token.i + 1, "pronoun", participant(mention))
            return None
        if token.pos_ != "PRON" and word not in PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON:
            return None
        if token.dep_ not in _ARG_DEPS:
            return None
        mention = None
        if word in PERSON_PRONOUNS:
            mention = self._antecedent(token, person=True)
        elif word in GROUP_PRONOUNS:
            mention = self._antecedent(token, person=False)
        elif word in FIRST_PERSON:
            mention = self._speaker(token, sentence) or self.home_mention
        if mention is None or (mention.code is None and mention.kind != "person"):
            return None
        return Argument(token.i, token.i + 1, "pronoun", participant(mention))

    def _antecedent(self, token: Token, *, person: bool) -> ActorMention | None:
        """The latest earlier mention of the right kind, preferring clause subjects; an object
        pronoun ("welcomed him") is never its own verb's subject."""
        latest = subject = None
        clause = token.head
        bound = (
            {t.i for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
            if token.dep_ in {"dobj", "dative", "pobj"}
            else set()
        )
        for span, mention in self.spans:
            if span.start >= token.i:
                break
            if span.root.i in bound:
                continue
            if (mention.kind == "person") != person:
                continue
            if not person and mention.kind not in {"state", "organization", "other"}:
                continue
            if token.i - span.start > 120:
                continue
            latest = mention
            if span.root.dep_ in {"nsubj", "nsubjpass"}:
                subject = mention
        if person:
            return subject or latest
        return latest

    def _speaker(self, token: Token, sentence: Span) -> ActorMention | None:
        """Who "we" are in a quotation: the subject of the sentence's reporting verb."""
        for other in sentence:
            if other.lemma_ in {"say", "tell", "add", "state"} and other.i != token.i:
                for child in other.children:
                    if child.dep_ == "nsubj":
                        for span, mention in self.spans:
                            if span.start <= child.i < span.end:
                                return mention
        return None

    def _group(self, token: Token, sentence: Span) -> Argument | None:
        """ "troops", "the regime", "police", "rebels": a collective actor for a state."""
        if self.gaz is None or token.pos_ not in {"NOUN", "PROPN"}:
            return None
        groups = self.gaz.groups
        word, lemma = token.lower_, token.lemma_.lower()
        sector = groups.get(word) or groups.get(lemma) or groups.get(lemma + "s")
        if sector is None or sector in _NOT_PARTIES:
            return None
        if token.dep_ in {"compound", "amod"}:
            return None
        code = self._locate(sentence)
        if code is None:
            return None
        name = self.gaz.states[code]["name"] if code in self.gaz.states else code
        return Argument(
            token.i,
            token.i + 1,
            "group",
            Participant(
                name=f"{name} ({lemma})",
                code=code,
                sector=sector,
                entity_id=f"state:{code}:{sector}",
                kind="other",
            ),
        )

    def _locate(self, sentence: Span) -> str | None:
        """The state a sentence's unnamed actors belong to (``extract/scene.py``)."""
        return self._scenes.get(sentence.start) or self.home

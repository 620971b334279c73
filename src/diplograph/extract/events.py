"""PLOVER events from a parsed article: triggers, arguments, modality, dates, places.

For every sentence that names at least one actor, trigger words from the lexicon
(``data/plover.json``) are found on the dependency parse: event verbs ("met", "condemned"),
light-verb constructions ("held talks", "imposed sanctions") and event nouns with their own
arguments ("Russia's invasion of Ukraine", "a meeting of EU envoys was held"). The
predicate's subject and objects give the actor and recipient (visitor and host for visits;
all parties as actor for meetings without a host). Negated and hypothetical events are left
out; future cooperation becomes AGREE with ``aux: "future"`` (PLOVER's rule), past events
reported later get ``aux: "historical"``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from diplograph.extract.arguments import Argument, ArgumentFinder, participant
from diplograph.extract.coder import EventCoder, Roles
from diplograph.extract.event_dates import (
    after_publication,
    as_date,
    clause_dates,
    historical_aux,
    lede_date,
    publication_day,
)
from diplograph.extract.features import SentenceContext, article_tone, lexical_role, subject_of
from diplograph.extract.lexicon import Lexicon, Trigger
from diplograph.models import ActorMention, Article, DateMention, Event, Evidence, Participant
from diplograph.nlp.pipeline import Gazetteer

_OBJECTS = {"dobj", "dative", "attr", "oprd", "npadvmod"}  # npadvmod: mis-parsed names
_PREP_ROLES = {
    "with": "partner",
    "to": "recipient",
    "on": "recipient",
    "against": "recipient",
    "for": "recipient",
    "toward": "recipient",
    "towards": "recipient",
    "into": "recipient",
    "at": "recipient",
    "from": "actor",
    "by": "actor",
    "between": "partner",
    "of": "of",
    "in": "place",
    "among": "partner",
}
_PRUNE = {"relcl", "acl", "advcl", "ccomp", "parataxis", "punct"}
_GROUP_WORDS = {
    "they",
    "parties",
    "sides",
    "side",
    "leaders",
    "ministers",
    "both",
    "two",
    "delegations",
    "countries",
    "states",
    "presidents",
    "heads",
}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_FIRST_PERSON = {"we", "us", "our"}
_COOPERATIVE_TO_AGREE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
_NEEDS_RECIPIENT = {"SANCTION"}  # PLOVER also wants one for AID and COOPERATE, but an
# unresolved recipient ("African countries") should not cost the actor's event
_PLACE_CUES = {"in", "at"}
# material conflict announced for the future or on a condition is a THREATEN (PLOVER)
_THREAT_MODES = {
    "ASSAULT": "violence",
    "COERCE": "restrict",
    "SANCTION": "relations",
    "MOBILIZE": "violence",
}
_CLAUSE_TARGETS = {"REQUEST", "ACCUSE", "REJECT", "THREATEN"}
_TOPIC_PREPS = {"on", "about", "over", "regarding", "concerning"}


@dataclass(frozen=True, slots=True)
class Place:
    """A place an event happened at, with the state it lies in."""

    text: str
    code: str | None


@dataclass(slots=True)
class _Candidate:
    trigger: Trigger
    predicate: Token  # the verb whose arguments carry the roles
    anchor: Token  # the trigger word itself (verb or event noun)


class EventExtractor:
    """Finds the events in one parsed article. Stateless apart from the shared lexicon."""

    def __init__(
        self,
        lexicon: Lexicon,
        gazetteer: Gazetteer | None = None,
        coder: EventCoder | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.coder = coder
        # collective nouns ("troops") -> sector ("MIL")
        self.groups = gazetteer.groups if gazetteer is not None else {}
        self._home: ActorMention | None = None
        self._dateline: Place | None = None

    def extract(
        self,
        doc: Doc,
        article: Article,
        actors: list[ActorMention],
        dates: list[DateMention],
        scenes: dict[int, str | None] | None = None,
    ) -> list[Event]:
        """The events of a parsed article (``scenes``: ``sentence_scenes`` of the article,
        when the caller has them already)."""
        by_token = _index_mentions(doc, actors)
        self._home = _home_state(actors)
        self._dateline = (
            Place(article.dateline, self.place_code(article.dateline)) if article.dateline else None
        )
        published = as_date(article.published)
        lede = next(iter(doc.sents), None)
        anchor_date = lede_date(dates, published, lede.end_char if lede is not None else 0)
        if self.coder is not None:
            events = self._coded(doc, article, actors, dates, anchor_date, published, scenes)
        else:
            events = self._ruled(doc, article, actors, dates, anchor_date, published, by_token)
        _address_counterparts(events)
        return merge_events(_expand_dates(events))

    def _ruled(
        self,
        doc: Doc,
        article: Article,
        actors: list[ActorMention],
        dates: list[DateMention],
        anchor_date: DateMention | None,
        published: date | None,
        by_token: dict[int, ActorMention],
    ) -> list[Event]:
        """Events from the lexicon's rules alone (when no trained coder is installed)."""
        events: list[Event] = []
        for sentence in doc.sents:
            if not any(i in by_token for i in range(sentence.start, sentence.end)):
                continue
            sentence_dates = _within(dates, sentence)
            for candidate in self._candidates(sentence):
                event = self._event(
                    candidate,
                    sentence,
                    article,
                    by_token,
                    actors,
                    events,
                    sentence_dates,
                    anchor_date,
                    published,
                )
                if event is not None:
                    events.append(event)
        return events

    def _coded(
        self,
        doc: Doc,
        article: Article,
        actors: list[ActorMention],
        dates: list[DateMention],
        anchor_date: DateMention | None,
        published: date | None,
        scenes: dict[int, str | None] | None = None,
    ) -> list[Event]:
        """Events found by the trained coder: its trigger model names the events, its role
        model picks actor and recipient among the sentence's argument candidates."""
        assert self.coder is not None
        finder = ArgumentFinder(doc, actors, self.gazetteer, scenes)
        events: list[Event] = []
        recent: list[Participant] = []  # the parties of the latest meeting
        tone = article_tone(doc, self.lexicon)
        meeting: Event | None = None  # the latest meeting, for sentences that go on about it
        for sentence in doc.sents:
            args = finder.candidates(sentence, recent)
            if not args:
                continue
            mention_at = {i: a for a in args for i in range(a.start, a.end)}
            rules = {c.anchor.i: c.trigger for c in self._candidates(sentence)}
            before = len(events)
            sentence_dates = _within(dates, sentence)
            ctx = SentenceContext(sentence, tone)
            for found in self.coder.triggers(sentence, finder.covered, mention_at, rules, ctx):
                event = self._coded_event(
                    found.token,
                    found.type,
                    found.probability,
                    rules.get(found.token.i),
                    args,
                    sentence,
                    ctx,
                    article,
                    sentence_dates,
                    anchor_date,
                    published,
                )
                if event is not None:
                    events.append(event)
                    parties = event.actor + event.recipient
                    if event.type == "CONSULT" and len({p.code for p in parties}) >= 2:
                        recent, meeting = parties, event
            if len(events) == before and meeting is not None:
                _restated_meeting(meeting, sentence, args, rules, article)
        return events

    def _coded_event(
        self,
        token: Token,
        type_: str,
        probability: float,
        rule: Trigger | None,
        args: list[Argument],
        sentence: Span,
        ctx: SentenceContext,
        article: Article,
        sentence_dates: list[DateMention],
        anchor_date: DateMention | None,
        published: date | None,
    ) -> Event | None:
        assert self.coder is not None
        predicate = token
        if token.pos_ not in {"VERB", "AUX"} and token.head.pos_ in {"VERB", "AUX"}:
            predicate = token.head  # "launched an offensive": the verb carries tense and date
        if _negated(token) or (predicate is not token and _negated(predicate)):
            return None
        hypothetical = self._hypothetical(predicate, ctx.question)
        if hypothetical == "modal" and rule is not None and rule.type in _THREAT_MODES:
            type_ = rule.type  # "would attack if ...": force on a condition, a threat below
        if type_ != "THREATEN" and (
            hypothetical == "condition" or (hypothetical and type_ not in _THREAT_MODES)
        ):
            return None
        roles = self.coder.roles(token, type_, args, sentence, ctx, rule)
        if type_ == "CONSULT" and lexical_role(token, self.lexicon, rule) == "host":
            roles = _host_roles(token, roles)
        actor = self._with_home(_unique(a.participant for a in roles.actor))
        place_recipients = {
            id(a.participant)
            for a in roles.recipient
            if a.kind == "place"
            or (a.kind == "state" and _attached_place(a, token, predicate, visit=True))
        }
        recipient = self._with_home(_unique(a.participant for a in roles.recipient))
        keys = {p.entity_id for p in actor} | {(p.name, p.code) for p in actor}
        actor_codes = {p.code for p in actor}
        recipient = [
            p
            for p in recipient
            if p.entity_id not in keys
            and (p.name, p.code) not in keys
            # "met ... in Kazakhstan" with a Kazakh actor: the place is where, not whom
            and not (id(p) in place_recipients and p.code in actor_codes)
        ]
        if not actor:
            return None
        mode = _mode_for(type_, token, rule, self.lexicon)
        places = [
            Place(a.participant.name, a.code)
            for a in args
            if a.kind in {"place", "state"}
            and _attached_place(a, token, predicate, visit=mode == "visit")
        ]
        location = _location(places, self._dateline)
        if type_ == "CONSULT" and location is not None:
            actor, recipient, mode = _visit_split(actor, recipient, location.get("code"), mode)
        confidence = round(0.4 + 0.3 * probability + 0.2 * roles.confidence, 2)
        return self._build(
            type_,
            mode,
            actor,
            recipient,
            predicate,
            token,
            hypothetical,
            sentence,
            article,
            sentence_dates,
            anchor_date,
            published,
            location,
            confidence,
        )

    # -- triggers -----------------------------------------------------------------------------

    def _candidates(self, sentence: Span) -> Iterable[_Candidate]:
        lex = self.lexicon
        used: set[int] = set()
        for token in sentence:
            if token.i in used:
                continue
            lemma = token.lemma_.lower()
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
                candidate = self._verb_candidate(token, lemma, used)
                if candidate is None and lemma in lex.reporting:
                    candidate = self._speech_act(token)
                if candidate is not None:
                    yield candidate
            elif token.pos_ == "ADJ" and lemma in lex.readiness and token.dep_ == "acomp":
                # "China is ready to strengthen its partnership": willingness to cooperate
                used.add(token.head.i)
                yield _Candidate(Trigger("AGREE"), token.head, token)
            elif token.pos_ in {"NOUN", "PROPN"} and lemma in lex.nouns:
                head = token.head
                if token.dep_ in {"nsubj", "nsubjpass"} and head.lemma_ in {
                    "hold",
                    "take",
                    "be",
                    "begin",
                    "start",
                    "open",
                    "conclude",
                    "continue",
                    "end",
                }:
                    used.add(head.i)
                    yield _Candidate(lex.nouns[lemma], head, token)
                elif (
                    token.dep_ == "pobj"
                    and head.lower_ == "in"
                    and head.head.lemma_ == "be"
                    and head.head.i not in used
                ):
                    # "Baghdad and Washington are in talks": the subject takes part
                    used.add(head.head.i)
                    yield _Candidate(lex.nouns[lemma], head.head, token)
                elif _has_own_actor(token):
                    yield _Candidate(lex.nouns[lemma], token, token)

    def _speech_act(self, verb: Token) -> _Candidate | None:
        """What a reported statement does when it reports no event of its own: "X said the
        government should act" is a REQUEST, "X said Y behaved shamefully" an ACCUSE."""
        lex = self.lexicon
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is None:
            return None
        if clause.lemma_.lower() in lex.verbs or any(
            t.lemma_.lower() in lex.nouns and t.dep_ in {"dobj", "nsubj"} for t in clause.children
        ):
            return None  # the clause reports an event: that is the one to code
        words = {t.lower_ for t in clause.subtree}
        if any(c.dep_ == "aux" and c.lower_ in lex.request_modals for c in clause.children):
            return _Candidate(Trigger("REQUEST", "change"), verb, clause)
        if words & lex.criticism:
            return _Candidate(Trigger("ACCUSE", "disapprove"), verb, clause)
        return None

    def _verb_candidate(self, token: Token, lemma: str, used: set[int]) -> _Candidate | None:
        lex = self.lexicon
        particle = next((c for c in token.children if c.dep_ in {"prt", "prep"}), None)
        if particle is not None and (key := f"{lemma} {particle.lower_}") in lex.phrasal:
            trigger = lex.phrasal[key]
            if trigger is not None:
                return _Candidate(trigger, token, token)
        obj = next((c for c in token.children if c.dep_ in {"dobj", "attr"}), None)
        if obj is not None and obj.lemma_.lower() in self.lexicon.carriers:
            # "conveyed the words of greetings": the event noun is inside the object
            inner = next(
                (
                    g
                    for c in obj.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
            obj = inner if inner is not None else obj
        if obj is not None:
            obj_lemma = obj.lemma_.lower()
            noun = lex.light_verb_overrides.get(
                f"{lemma} {obj_lemma}"
            ) or lex.light_verb_overrides.get(f"{lemma} {obj.lower_}")
            if noun is None and lemma in lex.light_verbs:
                noun = lex.nouns.get(obj_lemma) or lex.nouns.get(obj.lower_)
            if noun is not None:
                used.add(obj.i)
                return _Candidate(noun, token, obj)
        trigger = lex.verbs.get(lemma)
        if trigger is None:
            return None
        if obj is not None and obj.lemma_.lower() in lex.not_events.get(lemma, ()):
            return None
        return _Candidate(trigger, token, token)

    # -- one event ----------------------------------------------------------------------------

    def _event(
        self,
        candidate: _Candidate,
        sentence: Span,
        article: Article,
        by_token: dict[int, ActorMention],
        actors: list[ActorMention],
        earlier: list[Event],
        sentence_dates: list[DateMention],
        anchor_date: DateMention | None,
        published: date | None,
    ) -> Event | None:
        predicate, trigger = candidate.predicate, candidate.trigger
        if _negated(predicate) or _negated(candidate.anchor):
            return None
        hypothetical = self._hypothetical(predicate)
        if hypothetical == "condition" or (hypothetical and trigger.type not in _THREAT_MODES):
            return None
        if self._embedded(predicate):
            return None
        roles = self._arguments(candidate, by_token, actors, earlier)
        actor, recipient = _assign_roles(trigger, roles)
        actor, recipient = self._with_home(actor), self._with_home(recipient)
        type_, mode = trigger.type, trigger.mode
        bilateral = len({p.code for p in actor + recipient}) == 2
        if (
            type_ == "CONSULT"
            and trigger.role == "mutual"
            and (bilateral or _mentions_visit(sentence))
        ):
            # a meeting in one side's country: the other side is visiting
            actor, recipient, mode = _visit_roles(actor + recipient, roles["place"])
        if not actor or (type_ in _NEEDS_RECIPIENT and not recipient):
            return None
        if type_ == "CONSULT" and len({p.entity_id for p in actor + recipient}) < 2:
            # one party meets only itself, unless it is a multilateral body meeting
            if not (actor and actor[0].kind == "organization" and trigger.role == "mutual"):
                return None
            mode = "multilateral"
            host = next((p for p in roles["place"] if p.code), None)
            if host is not None and host.code not in {p.code for p in actor}:
                actor = [*actor, self._state(host.code)]
        return self._build(
            type_,
            mode,
            actor,
            recipient,
            predicate,
            candidate.anchor,
            hypothetical,
            sentence,
            article,
            sentence_dates,
            anchor_date,
            published,
            _location(roles["place"], self._dateline),
            _confidence(candidate, actor, recipient, explicit=False),
        )

    def _build(
        self,
        type_: str,
        mode: str | None,
        actor: list[Participant],
        recipient: list[Participant],
        predicate: Token,
        anchor: Token,
        hypothetical: str | None,
        sentence: Span,
        article: Article,
        sentence_dates: list[DateMention],
        anchor_date: DateMention | None,
        published: date | None,
        location: dict | None,
        confidence: float,
    ) -> Event:
        """Date, modality and PLOVER's future rules for an event whose parties are known."""
        whens = clause_dates(predicate, anchor, sentence_dates)
        when = whens[0] if whens else None
        explicit = when is not None
        future = self._future(predicate, anchor) or after_publication(when, published)
        extra: dict = {}
        if type_ == "AGREE" and when is not None and not historical_aux(when, published):
            # an invitation or promise is made now; a date in it is the plan's
            extra["planned_date"] = when.value
            when, explicit = anchor_date or publication_day(published), False
        elif len(whens) > 1 and not future:
            # "visited in 1998 and 2009": one event per date
            extra["also_dates"] = [(d.value, d.precision) for d in whens[1:]]
        if future:
            # the event is the statement of intent, made now; the plan's date is kept apart
            if when is not None and "planned_date" not in extra:
                extra["planned_date"] = when.value
            when, explicit = anchor_date or publication_day(published), False
        elif when is None:
            when = anchor_date or publication_day(published)
        aux = "future" if future else historical_aux(when, published) if explicit else None
        if (future or hypothetical) and type_ in _THREAT_MODES:
            # "troops would liberate every inch", "will be launched if they refuse": a threat
            type_, mode, aux = "THREATEN", _THREAT_MODES[type_], None
        elif future and type_ in _COOPERATIVE_TO_AGREE:
            type_, mode = "AGREE", None
        elif future and type_ == "RETREAT":
            type_, mode = "CONCEDE", None
        if explicit:
            confidence = min(round(confidence + 0.1, 2), 0.95)
        text = sentence.text.strip()
        return Event(
            type=type_,
            mode=mode,
            context=self.lexicon.contexts(text),
            aux=aux,
            cameo=self.lexicon.cameo(type_, mode),
            quad_class=self.lexicon.quad_class(type_),
            score=self.lexicon.score(type_, mode),
            date=when.value if when else None,
            date_precision=when.precision if when else None,
            actor=actor,
            recipient=recipient,
            location=location,
            mentions=[Evidence(article.id, sentence.start_char, sentence.end_char, text)],
            confidence=confidence,
            extra=extra,
        )

    def _places(self, token: Token, by_token: dict[int, ActorMention]) -> list:
        """Where something happened: the actor mention of a state, else the gazetteer's
        answer for the place name ("in Almaty" → KAZ)."""
        found = [m for m in _mentions_in(token, by_token) if m.kind != "person"]
        if found:
            return [Place(m.text, m.code) for m in found]
        text = token.doc[token.left_edge.i : token.i + 1].text
        code = self.place_code(text) or self.place_code(token.text)
        return [Place(text, code)] if code else []

    def place_code(self, name: str | None) -> str | None:
        """The state a place name lies in, from the reference data."""
        if not name or self.gazetteer is None:
            return None
        ident = self.gazetteer.entity_id(name)
        if ident and ident.split(":")[0] in {"state", "capital", "place"}:
            return ident.split(":")[1]
        return None

    def _state(self, code: str) -> Participant:
        """A state as a participant, named as the reference data names it."""
        record = self.gazetteer.states.get(code, {}) if self.gazetteer is not None else {}
        name = (record.get("names") or [code])[0]
        return Participant(
            name=name, code=code, sector="GOV", entity_id=f"state:{code}", kind="state"
        )

    def _with_home(self, participants: list[Participant]) -> list[Participant]:
        """People and generic actors nobody placed act for the state the article is about
        ("the home secretary", "her father", "the government")."""
        home = self._home.code if self._home is not None else None
        if home is None:
            return participants
        return [
            replace(p, code=home) if p.code is None and p.kind in {"person", "other"} else p
            for p in participants
        ]

    def _hypothetical(self, predicate: Token, question: bool | None = None) -> str | None:
        """ "condition" for the if-clause itself, "modal" for a would/could/might event or
        one that depends on a condition, None for a plain statement. ``question``: whether
        the sentence asks (computed from it when not given)."""
        for token in [predicate, *predicate.ancestors][:3]:
            for child in token.children:
                if child.dep_ == "mark" and child.lower_ in {"if", "unless", "whether"}:
                    return "condition"
                if (
                    child.dep_ in {"aux", "auxpass"}
                    and child.lower_ in self.lexicon.hypothetical_modals
                ):
                    return "modal"
            if token.dep_ not in {"xcomp", "conj", "advcl"}:
                break
        if any(
            c.dep_ == "advcl" and any(m.lower_ in {"if", "unless"} for m in c.children)
            for c in predicate.children
        ):
            return "modal"
        if question is None:
            question = predicate.sent.text.rstrip().endswith("?")
        return "condition" if question else None

    def _embedded(self, predicate: Token) -> bool:
        """A trigger inside another event's complement ("agreed to strengthen cooperation")."""
        if predicate.dep_ not in {"xcomp", "pcomp"}:
            return False
        head = predicate.head
        lemma = head.lemma_.lower()
        return lemma in self.lexicon.verbs and lemma not in self.lexicon.intent_verbs

    def _future(self, predicate: Token, anchor: Token) -> bool:
        lex = self.lexicon
        for token in (predicate, *list(predicate.ancestors)[:2]):
            if any(
                c.dep_ in {"aux", "auxpass"} and c.lower_ in lex.future_markers
                for c in token.children
            ):
                return True
            if token.lemma_.lower() in lex.intent_verbs and token is not predicate:
                return True
            if token.dep_ not in {"xcomp", "conj", "advcl", "relcl"}:
                break
        if any(c.lower_ in lex.future_words for c in anchor.children):
            return True
        return (
            any(c.dep_ == "aux" and c.lower_ == "to" for c in predicate.children)
            and predicate.head.lemma_.lower() in lex.intent_verbs
        )

    def _arguments(
        self,
        candidate: _Candidate,
        by_token: dict[int, ActorMention],
        actors: list[ActorMention],
        earlier: list[Event],
    ) -> dict[str, list]:
        """Participants by grammatical role: actor, recipient, partner, place."""
        predicate, anchor = candidate.predicate, candidate.anchor
        roles: dict[str, list] = {"actor": [], "recipient": [], "partner": [], "place": []}
        if predicate.dep_ == "acl" and predicate.tag_ == "VBN":
            # "a woman captured by Kurdish forces": the noun is the one acted upon
            roles["recipient"] += self._resolve(predicate.head, by_token, actors, earlier)
            subject = None
        else:
            subject = subject_of(predicate, relative=True)
        if subject is not None:
            role = "recipient" if subject.dep_ == "nsubjpass" else "actor"
            roles[role] += self._resolve(subject, by_token, actors, earlier)
        heads = [predicate] if anchor is predicate else [predicate, anchor]
        topical = candidate.trigger.type == "CONSULT" and (
            predicate.lemma_.lower() in self.lexicon.topic_verbs
        )
        for head in heads:
            for child in head.children:
                if child.dep_ in _OBJECTS and child is not anchor:
                    if not topical:
                        roles["recipient"] += self._resolve(child, by_token, actors, earlier)
                elif child.dep_ == "ccomp" and candidate.trigger.type in _CLAUSE_TARGETS:
                    # "demanded that Britain take back ...": the clause's subject is addressed
                    clause_subject = subject_of(child, relative=True)
                    if clause_subject is not None:
                        roles["recipient"] += self._resolve(
                            clause_subject, by_token, actors, earlier
                        )
                elif child.dep_ == "poss" and head is anchor and anchor.pos_ == "NOUN":
                    roles["actor"] += self._resolve(child, by_token, actors, earlier)
                elif child.dep_ in {"prep", "agent"}:
                    role = _PREP_ROLES.get(child.lower_)
                    if candidate.trigger.type == "CONSULT" and child.lower_ in _TOPIC_PREPS:
                        continue
                    if child.lower_ == "for" and head.pos_ != "NOUN" and _has_object(head):
                        continue  # "thanked X for his contribution": the reason, not a party
                    for obj in (c for c in child.children if c.dep_ == "pobj"):
                        if role == "place" or (role == "recipient" and child.lower_ in _PLACE_CUES):
                            roles["place"] += self._places(obj, by_token)
                        if role == "of":
                            role = "actor" if head is anchor else "recipient"
                        if role and role != "place":
                            roles[role] += self._resolve(obj, by_token, actors, earlier)
                elif child.dep_ in {"compound", "amod", "nmod"} and head is anchor:
                    roles["partner"] += _mentions_in(child, by_token)
        return roles

    def _resolve(
        self,
        token: Token,
        by_token: dict[int, ActorMention],
        actors: list[ActorMention],
        earlier: list[Event],
    ) -> list[ActorMention | Participant]:
        found = _mentions_in(token, by_token)
        if found:
            return found
        word = token.lower_
        if word in _PERSON_PRONOUNS:
            return _antecedent(token, actors)
        if word in _FIRST_PERSON or any(c.lower_ in _FIRST_PERSON for c in token.children):
            if _quoted(token):  # "We fully support you," Wang Yi said: the speaker's side
                speaker = _speaker(token.sent, by_token)
                if speaker:
                    return speaker
            home = self._home
            return [home] if home is not None else []
        sector = self.groups.get(word) or self.groups.get(token.lemma_.lower())
        if sector is not None and sector not in {"CVL", "BUS", "REF"} and self._home is not None:
            # "fighters", "troops", "police" with no country named: the article's state
            home = self._home
            return [
                Participant(
                    name=f"{home.name} ({token.lower_})",
                    code=home.code,
                    sector=sector,
                    entity_id=f"{home.key}:{sector}",
                    kind="other",
                )
            ]
        if word in _GROUP_WORDS and earlier:
            last = earlier[-1]
            return [*last.actor, *last.recipient]
        return []


# -- helpers ------------------------------------------------------------------------------------


_QUOTES = '"“”«»'
_REPORTING = {
    "say",
    "tell",
    "add",
    "note",
    "stress",
    "state",
    "emphasize",
    "emphasise",
    "declare",
    "write",
    "quote",
    "continue",
}


def _quoted(token: Token) -> bool:
    """Inside a quotation: an odd number of quote marks before it in its sentence."""
    sent = token.sent
    before = token.doc.text[sent.start_char : token.idx]
    return sum(before.count(q) for q in _QUOTES) % 2 == 1


def _speaker(sent: Span, by_token: dict[int, ActorMention]) -> list[ActorMention]:
    """Who is quoted in a sentence: the subject of its reporting verb ("..., Wang Yi said")."""
    for token in sent:
        if token.lemma_.lower() in _REPORTING and not _quoted(token):
            subject = subject_of(token, relative=True)
            if subject is not None:
                found = _mentions_in(subject, by_token)
                if found:
                    return found
    return []


def _has_object(token: Token) -> bool:
    return any(c.dep_ in _OBJECTS for c in token.children)


def _home_state(actors: list[ActorMention]) -> ActorMention | None:
    """The state an article is mostly about: what "we" and "our" stand for in it."""
    states = [m for m in actors if m.kind == "state" and m.code]
    if not states:
        return None
    top = Counter(m.code for m in states).most_common(1)[0][0]
    return next(m for m in states if m.code == top)


def _antecedent(token: Token, actors: list[ActorMention]) -> list[ActorMention]:
    """The person "he"/"she" refers to: the latest person who was the subject of an earlier
    clause, else the latest person named before it."""
    doc = token.doc
    latest = subject = None
    for mention in actors:
        if mention.end > token.idx or mention.kind != "person":
            continue
        latest = mention
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}:
            subject = mention
    chosen = subject or latest
    return [chosen] if chosen is not None else []


def _index_mentions(doc: Doc, actors: list[ActorMention]) -> dict[int, ActorMention]:
    index: dict[int, ActorMention] = {}
    for mention in actors:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                index.setdefault(i, mention)
    return index


def _pruned_subtree(token: Token) -> Iterable[Token]:
    yield token
    for child in token.children:
        if child.dep_ not in _PRUNE:
            yield from _pruned_subtree(child)


def _mentions_in(token: Token, by_token: dict[int, ActorMention]) -> list[ActorMention]:
    """Actor mentions in the argument rooted at ``token`` (coordinated ones included).

    When the argument's head word is itself part of a mention ("Wang Yi" in "Wang Yi of
    China"), that mention and those of its conjuncts stand for the argument; otherwise every
    mention inside the argument's phrase does.
    """
    seen: dict[int, ActorMention] = {}
    own = by_token.get(token.i)
    if own is not None:
        seen[id(own)] = own
        for conj in token.conjuncts:
            # "Smailov and Chairman of the Russian Government Mishustin": the conjunct's
            # own mention, else the first one inside its phrase
            mention = by_token.get(conj.i) or next(
                (by_token[t.i] for t in _pruned_subtree(conj) if t.i in by_token), None
            )
            if mention is not None:
                seen.setdefault(id(mention), mention)
        return list(seen.values())
    for part in _pruned_subtree(token):
        mention = by_token.get(part.i)
        if mention is not None:
            seen.setdefault(id(mention), mention)
    return list(seen.values())


def _within(dates: list[DateMention], sentence: Span) -> list[DateMention]:
    """The date mentions inside a sentence."""
    return [d for d in dates if sentence.start_char <= d.start < sentence.end_char]


def _has_own_actor(noun: Token) -> bool:
    """An event noun with its own participants: "Russia's invasion", "talks with Iran"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return True
        if child.dep_ == "prep" and child.lower_ in {"with", "between", "by", "on", "against"}:
            return True
    return False


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in {"no", "never"} for c in token.children)


def _participant(item: ActorMention | Participant) -> Participant:
    return item if isinstance(item, Participant) else participant(item)


def _unique(items: Iterable[ActorMention | Participant]) -> list[Participant]:
    seen: dict[str, Participant] = {}
    for item in items:
        party = _participant(item)
        if party.code or party.kind == "person":
            seen.setdefault(party.entity_id or party.name, party)
    return list(seen.values())


def _assign_roles(
    trigger: Trigger, roles: dict[str, list]
) -> tuple[list[Participant], list[Participant]]:
    if trigger.role == "host":
        actor = _unique(roles["recipient"] + roles["partner"])
        recipient = _unique(roles["actor"])
    elif trigger.role == "mutual":
        actor = _unique(roles["actor"] + roles["partner"] + roles["recipient"])
        recipient = []
    else:
        actor = _unique(roles["actor"])
        recipient = _unique(roles["recipient"] + roles["partner"])
    keys = {p.entity_id for p in actor}
    recipient = [p for p in recipient if p.entity_id not in keys]
    return actor, recipient


def _mentions_visit(sentence: Span) -> bool:
    return any(t.lemma_.lower() in {"visit", "arrive", "trip"} for t in sentence)


def _visit_roles(
    parties: list[Participant], places: list[Place]
) -> tuple[list[Participant], list[Participant], str | None]:
    """Split meeting parties into visitors (actor) and hosts (recipient) by where it happened."""
    host_code = next((p.code for p in places if p.code), None)
    if host_code is None:
        return parties, [], None
    hosts = [p for p in parties if p.code == host_code]
    visitors = [p for p in parties if p.code != host_code]
    if hosts and visitors:
        return visitors, hosts, "visit"
    return parties, [], None


def _restated_meeting(
    meeting: Event, sentence: Span, args: list[Argument], rules: dict, article: Article
) -> None:
    """A sentence that names no event of its own but goes on about the latest meeting
    ("During the meeting, Tokayev and Wang Yi discussed trade") is one more of its mentions."""
    if not any(t.type == "CONSULT" for t in rules.values()):
        return
    parties = {p.code for p in meeting.actor + meeting.recipient}
    named = {a.code for a in args if a.code}
    if named and named <= parties:
        text = sentence.text.strip()
        meeting.mentions.append(Evidence(article.id, sentence.start_char, sentence.end_char, text))


def _visit_split(
    actor: list[Participant], recipient: list[Participant], host: str | None, mode: str | None
) -> tuple[list[Participant], list[Participant], str | None]:
    """A meeting in one side's country is the other side's visit (PLOVER: the visitor is the
    actor, the host the recipient): "Tokayev met Wang Yi" datelined Nur-Sultan."""
    parties = actor + recipient
    hosts = [p for p in parties if p.code == host]
    guests = [p for p in parties if p.code and p.code != host]
    if host is None or not hosts or not guests:
        return actor, recipient, mode
    return guests, hosts, "visit"


def _host_roles(token: Token, roles: Roles) -> Roles:
    """ "X received / hosted / welcomed Y": PLOVER codes the visitor Y as actor and the host X
    as recipient, whatever the grammatical roles."""
    subject = subject_of(token)
    if subject is None:
        return roles
    parties = roles.actor + roles.recipient
    if subject.dep_ == "nsubjpass":  # "Y was received by X": the guest is the subject
        guest_at = {t.i for t in subject.subtree}
        host = [a for a in parties if a.attachment(token.doc).i not in guest_at]
    else:
        hosts = {t.i for t in subject.subtree}
        host = [a for a in parties if a.attachment(token.doc).i in hosts]
    guests = [a for a in parties if a not in host]
    if not host or not guests:
        return roles
    return Roles(guests, host, roles.confidence)


def _mode_for(type_: str, token: Token, rule: Trigger | None, lex: Lexicon) -> str | None:
    """The PLOVER mode the lexicon gives the trigger word for the coded type, if any."""
    if rule is not None and rule.type == type_:
        return rule.mode
    lemma = token.lemma_.lower()
    entry = lex.verbs.get(lemma) if token.pos_ in {"VERB", "AUX"} else lex.nouns.get(lemma)
    return entry.mode if entry is not None and entry.type == type_ else None


def _attached_place(arg: Argument, token: Token, predicate: Token, visit: bool = False) -> bool:
    """A place the event happened at: "in"/"at" + the place, governed by the trigger; for a
    visit also its destination ("a visit to China", "travelled to Beijing")."""
    head = arg.head(token.doc)
    if arg.kind == "state" and head.dep_ in {"amod", "compound", "poss"}:
        head = head.head  # "the Kazakh capital", "China's capital"
    prep = head.head
    cues = _PLACE_CUES | {"to"} if visit else _PLACE_CUES
    return head.dep_ == "pobj" and prep.lower_ in cues and prep.head.i in {token.i, predicate.i}


def _location(places: list[Place], dateline: Place | None) -> dict | None:
    place = next((p for p in places if p.code), None) or dateline
    return {"name": place.text, "code": place.code} if place is not None else None


def _confidence(
    candidate: _Candidate,
    actor: list[Participant],
    recipient: list[Participant],
    explicit: bool,
) -> float:
    score = 0.5 + (0.15 if recipient or candidate.trigger.role == "mutual" else 0.0)
    score += 0.1 if explicit else 0.0
    score += 0.1 if candidate.anchor is candidate.predicate else 0.05
    score += 0.05 if all(p.code for p in actor + recipient) else 0.0
    return round(min(score, 0.95), 2)


_VERBAL_COOPERATION = {"AGREE", "SUPPORT", "CONCEDE"}


def _expand_dates(events: list[Event]) -> list[Event]:
    """One event per date for events that carried a list of coordinated dates."""
    out = []
    for event in events:
        out.append(event)
        for value, precision in event.extra.pop("also_dates", []):
            out.append(
                replace(
                    event,
                    date=value,
                    date_precision=precision,
                    extra={},
                    mentions=list(event.mentions),
                )
            )
    return out


def _address_counterparts(events: list[Event]) -> None:
    """Statements made in a meeting are addressed to the other side: a verbal-cooperation
    event with no recipient gets the counterparts of the latest earlier meeting its actor
    took part in (recipients stay empty when there was none)."""
    meetings: list[Event] = []
    for event in events:
        if event.type == "CONSULT":
            meetings.append(event)
            continue
        if event.type not in _VERBAL_COOPERATION or event.recipient or not event.actor:
            continue
        codes = {p.code for p in event.actor}
        for meeting in reversed(meetings):
            parties = meeting.actor + meeting.recipient
            if codes & {p.code for p in parties}:
                others = [p for p in parties if p.code not in codes]
                event.recipient = _unique(others)
                break


def event_key(event: Event) -> tuple:
    """What makes two reports one event: type, the parties (as entities) and the date. Two
    meetings of one minister with two people on the same day stay two events."""
    keys = sorted({p.entity_id or p.name for p in event.actor + event.recipient})
    return (event.type, tuple(keys), event.date)


def event_id(event: Event) -> str:
    """Stable id from the event key: the same event in two articles gets one id."""
    type_, keys, when = event_key(event)
    raw = "|".join([type_, *keys, when or ""])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def merge_events(events: list[Event]) -> list[Event]:
    """One event per real-world event: same type, parties and date → one, every mention."""
    merged: dict[tuple, Event] = {}
    for event in events:
        key = event_key(event)
        if key in merged:
            kept = merged[key]
            kept.mentions.extend(m for m in event.mentions if m not in kept.mentions)
            kept.mode = kept.mode or event.mode
            kept.context = sorted(set(kept.context) | set(event.context))
            kept.confidence = max(kept.confidence, event.confidence)
            if not kept.recipient and event.recipient:
                kept.actor, kept.recipient = event.actor, event.recipient  # who hosted whom
        else:
            merged[key] = event
    for event in merged.values():
        event.id = event_id(event)
    return list(merged.values())

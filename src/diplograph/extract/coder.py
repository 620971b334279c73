"""The trained event coder: which words name events, and who acts on whom.

Two linear models (``data/coder/triggers.json`` and ``data/coder/roles.json``, trained by
``scripts/train_coder.py`` on the annotations in ``tests/gold/train/``) do the reading; the
lexicon's rule candidates are among their features. ``EventExtractor`` turns what they find
into events (dates, modality, PLOVER's future rule, de-duplication).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from diplograph.extract.arguments import Argument
from diplograph.extract.features import (
    Frame,
    SentenceContext,
    candidate_ranks,
    in_other_clause,
    is_candidate,
    lexical_role,
    role_features,
    trigger_features,
)
from diplograph.extract.lexicon import Lexicon, Trigger
from diplograph.extract.linear import LinearModel, packaged_model

NO_EVENT = "O"
NO_ROLE = "none"
RULE_DEFERENCE = 0.5  # the lexicon's type wins when the model gives it half the best's share
# Cooperative reports (visits, talks, agreements) are about two sides: there a missing
# recipient is taken from the candidates; in conflict reporting it is left out (measured on
# the development gold: +0.09 F1 on the seeds, -0.02 on the Guardian articles if done always).
BILATERAL_TONES = frozenset({"coop"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds (kept with the model: ``meta.thresholds``)."""

    trigger: float = 0.4  # probability of an event (1 - P(no event)) for a word to name one
    trigger_rule: float = 0.25  # the same for a word the lexicon's rules already propose
    actor: float = 0.5
    recipient: float = 0.5
    fallback_actor: float = 0.1  # the best actor candidate when none passes ``actor``
    fallback_recipient: float = 0.1  # the same for recipients, for types that usually have one
    party: float = 0.9  # P(takes part) above which a candidate not chosen as actor is a recipient


@dataclass(slots=True)
class Found:
    token: Token
    type: str
    probability: float


@dataclass(slots=True)
class Roles:
    actor: list[Argument]
    recipient: list[Argument]
    confidence: float


class EventCoder:
    """Applies the trigger and role models to one sentence at a time."""

    def __init__(self, lexicon: Lexicon, triggers: LinearModel, roles: LinearModel) -> None:
        self.lexicon, self.trigger_model, self.role_model = lexicon, triggers, roles
        meta = triggers.meta.get("thresholds", {}) | roles.meta.get("thresholds", {})
        self.thresholds = Thresholds(**meta)
        # event types whose annotated events mostly name a recipient, and the article tones
        # (see ``article_tone``) in which a missing recipient is looked for harder
        self.recipient_types = frozenset(roles.meta.get("recipient_types", ()))
        self.bilateral = BILATERAL_TONES

    @classmethod
    def packaged(cls, lexicon: Lexicon) -> EventCoder | None:
        """The coder shipped with diplograph, or None when its model files are absent."""
        triggers, roles = packaged_model("triggers"), packaged_model("roles")
        if triggers is None or roles is None:
            return None
        return cls(lexicon, triggers, roles)

    def triggers(
        self,
        sentence: Span,
        covered: set[int],
        mention_at: dict[int, Argument],
        rules: dict[int, Trigger],
        ctx: SentenceContext,
    ) -> list[Found]:
        """The words of a sentence that name an event, each with its type and probability
        (``covered``: tokens inside actor mentions; ``rules``: the lexicon's candidates)."""
        tokens = [t for t in sentence if is_candidate(t, covered)]
        if not tokens:
            return []
        rows = self.trigger_model.probability_rows(
            [trigger_features(t, self.lexicon, mention_at, rules.get(t.i), ctx) for t in tokens]
        )
        labels = self.trigger_model.labels
        null = labels.index(NO_EVENT)
        index = {label: k for k, label in enumerate(labels)}
        found = []
        for token, row in zip(tokens, rows, strict=True):
            needed = self.thresholds.trigger_rule if token.i in rules else self.thresholds.trigger
            if 1.0 - row[null] < needed:
                continue
            best = max((k for k in range(len(labels)) if k != null), key=row.__getitem__)
            rule = rules.get(token.i)
            if (
                rule is not None
                and rule.type in index
                and labels[best] != rule.type
                and row[index[rule.type]] >= RULE_DEFERENCE * row[best]
            ):
                best = index[rule.type]  # an unsure model defers to the lexicon's reading
            found.append(Found(token, labels[best], float(row[best])))
        return found

    def roles(
        self,
        trigger: Token,
        event_type: str,
        args: list[Argument],
        sentence: Span,
        ctx: SentenceContext,
        rule: Trigger | None = None,
    ) -> Roles:
        """Actor and recipient of an event among the sentence's candidates (those in another
        clause than the trigger's left out)."""
        t = self.thresholds
        args = [a for a in args if not in_other_clause(trigger, a)]
        if not args:
            return Roles([], [], 0.0)
        how = lexical_role(trigger, self.lexicon, rule)
        frame, ranks = Frame(trigger, self.lexicon), candidate_ranks(trigger, args)
        rows = self.role_model.probability_rows(
            [
                role_features(trigger, event_type, a, sentence, len(args), ctx, how, frame, r)
                for a, r in zip(args, ranks, strict=True)
            ]
        )
        labels = self.role_model.labels
        scored = [
            (arg, {label: float(p) for label, p in zip(labels, row, strict=True)})
            for arg, row in zip(args, rows, strict=True)
        ]
        actor = [a for a, p in scored if p["actor"] >= t.actor and p["actor"] >= p["recipient"]]
        if not actor and scored:
            best, p = max(scored, key=lambda item: item[1]["actor"])
            if p["actor"] >= t.fallback_actor:
                actor = [best]
        chosen = {id(a) for a in actor}
        recipient = [
            a
            for a, p in scored
            if id(a) not in chosen
            and p["recipient"] > p["none"]
            and (p["recipient"] >= t.recipient and p["recipient"] > p["actor"] or _party(p, t))
        ]
        if not recipient and event_type in self.recipient_types and ctx.tone in self.bilateral:
            actor_codes = {a.code for a in actor}
            rest = [(a, p) for a, p in scored if id(a) not in chosen and a.code not in actor_codes]
            if rest:
                best, p = max(rest, key=lambda item: item[1]["recipient"])
                if p["recipient"] >= t.fallback_recipient:
                    recipient = [best]
        probs = [p["actor"] for a, p in scored if id(a) in chosen]
        confidence = min(probs) if probs else 0.0
        return Roles(actor, recipient, confidence)


def _party(p: dict[str, float], t: Thresholds) -> bool:
    """A candidate the model is sure takes part but is torn over which side, after the actors
    are chosen: the other side ("X hosted Y" with X at 0.49 actor, 0.50 recipient)."""
    return p["none"] <= 1 - t.party

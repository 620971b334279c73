"""The PLOVER event lexicon (data/plover.json): trigger words, modes, scores, CAMEO codes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources


@dataclass(frozen=True, slots=True)
class Trigger:
    """What a trigger word means: event type, PLOVER mode and how its arguments map to roles."""

    type: str
    mode: str | None = None
    role: str | None = None  # None (subject acts on object) | "host" | "mutual"

    @classmethod
    def parse(cls, spec: str) -> Trigger:
        """``"CONSULT/visit@host"`` → Trigger("CONSULT", "visit", "host")."""
        spec, _, role = spec.partition("@")
        type_, _, mode = spec.partition("/")
        return cls(type_, mode or None, role or None)


class Lexicon:
    """Lookups over the event lexicon. Build once (``Lexicon.load()``) and share."""

    def __init__(self, data: dict) -> None:
        self.types: dict[str, dict] = data["types"]
        self.modes: dict[str, dict] = data["modes"]
        self.verbs = {k: Trigger.parse(v) for k, v in data["verbs"].items()}
        self.nouns = {k: Trigger.parse(v) for k, v in data["nouns"].items()}
        self.light_verbs = frozenset(data["light_verbs"])
        self.light_verb_overrides = {
            k: Trigger.parse(v) for k, v in data["light_verb_overrides"].items()
        }
        self.phrasal = {k: Trigger.parse(v) if v else None for k, v in data["verb_objects"].items()}
        self.not_events = {
            k: frozenset(v) for k, v in data["not_events"].items() if not k.startswith("_")
        }
        self.hypothetical_modals = frozenset(data["modal_hypothetical"])
        self.future_markers = frozenset(data["future_markers"])
        self.future_words = frozenset(data["future_words"])
        self.intent_verbs = frozenset(data["intent_verbs"])
        self.topic_verbs = frozenset(data["topic_verbs"])
        self.readiness = frozenset(data["readiness_adjectives"])
        self.reporting = frozenset(data["reporting_verbs"])
        self.request_modals = frozenset(data["request_modals"])
        self.criticism = frozenset(data["criticism_words"])
        self.carriers = frozenset(data["carrier_nouns"])
        self._contexts: dict[str, list[str]] = data["contexts"]

    @classmethod
    def load(cls) -> Lexicon:
        text = resources.files("diplograph.data").joinpath("plover.json").read_text("utf-8")
        return cls(json.loads(text))

    @cached_property
    def _context_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [
            (name, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I))
            for name, words in self._contexts.items()
        ]

    def contexts(self, text: str) -> list[str]:
        """PLOVER contexts whose keywords occur in ``text``."""
        return [name for name, pattern in self._context_patterns if pattern.search(text)]

    def quad_class(self, type_: str) -> int:
        return self.types[type_]["quad"]

    def score(self, type_: str, mode: str | None) -> float:
        return self.modes.get(f"{type_}/{mode}", self.types[type_])["score"]

    def cameo(self, type_: str, mode: str | None) -> str:
        return self.modes.get(f"{type_}/{mode}", self.types[type_])["cameo"]

"""A self-building registry of people: names, aliases and the offices they held when.

The registry learns from every resolved article (``learn``) and answers who an alias or an
office refers to at a date (``lookup``, ``holder``). It has no global state: create one, pass it
to :func:`diplograph.extract.actors.resolve_actors`, persist it with ``to_records`` or
``take_changes`` (one record per person, with its aliases and offices, for the store's ``actors``,
``actor_aliases`` and ``actor_offices`` tables; ``id`` is the mentions' ``key``) and restore it
with ``from_records``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache
from importlib import resources
from typing import Any

PARTICLES = frozenset({"bin", "ibn", "al", "el", "de", "da", "van", "von", "der", "la", "le"})


def name_key(name: str) -> str:
    """Canonical key of a person's name."""
    return "person:" + " ".join(name.split()).casefold()


def name_tokens(name: str) -> list[str]:
    """The words of a name that identify a person alone ("Wang", "Yi", "Tokayev"), no initials."""
    words = [w.strip(".,").casefold() for w in name.replace("-", " ").split()]
    return [w for w in words if len(w) > 1 and w not in PARTICLES]


@dataclass
class Office:
    """An office held by a person, for a state or organisation code, with the dates it was seen."""

    title: str
    code: str | None
    first_seen: str | None = None
    last_seen: str | None = None

    def distance(self, when: str | None) -> int:
        return _distance(when, self.first_seen, self.last_seen)


@dataclass
class Person:
    """A canonical person: display name (longest form seen), code, aliases and offices."""

    key: str
    name: str
    code: str | None = None
    sector: str | None = None
    aliases: dict[str, list[str | None]] = field(default_factory=dict)
    offices: dict[tuple[str, str | None], Office] = field(default_factory=dict)
    first_seen: str | None = None
    last_seen: str | None = None
    mention_count: int = 0

    def office_at(self, when: str | None, code: str | None = None) -> Office | None:
        """The office nearest to a date (among those for ``code`` when given)."""
        offices = [o for o in self.offices.values() if code is None or o.code == code]
        if not offices:
            return None
        return min(offices, key=lambda o: (o.distance(when), -_ordinal(o.last_seen)))


def _ordinal(day: str | None) -> int:
    if not day:
        return 0
    try:
        return Date.fromisoformat(day[:10]).toordinal()
    except ValueError:
        return 0


UNDATED = 100_000  # the distance of an interval never dated: after every dated one


def _distance(when: str | None, first: str | None, last: str | None) -> int:
    """Days from ``when`` to the interval [first, last]: 0 inside it or when ``when`` is
    unknown, ``UNDATED`` when the interval is."""
    point, lo, hi = _ordinal(when), _ordinal(first), _ordinal(last)
    if not point:
        return 0
    if not lo:
        return UNDATED
    return max(lo - point, point - (hi or lo), 0)


def _span(dates: list[str | None], when: str | None) -> None:
    """Widen a [first, last] pair in place to include ``when``."""
    if not when:
        return
    if dates[0] is None or when < dates[0]:
        dates[0] = when
    if dates[1] is None or when > dates[1]:
        dates[1] = when


OFFICE_REACH = 730  # days from the dates an office was seen within which it is taken as held


class ActorRegistry:
    """People known across articles, keyed by canonical name, found by alias and office."""

    def __init__(self) -> None:
        self._people: dict[str, Person] = {}
        self._by_alias: dict[str, set[str]] = {}
        self._changed: set[str] = set()

    def __len__(self) -> int:
        return len(self._people)

    def people(self) -> list[Person]:
        return list(self._people.values())

    def get(self, key: str) -> Person | None:
        return self._people.get(key)

    def learn(
        self,
        name: str,
        *,
        code: str | None = None,
        sector: str | None = None,
        offices: Iterable[tuple[str, str | None]] = (),
        aliases: Iterable[str] = (),
        date: str | None = None,
        mentions: int = 1,
        key: str | None = None,
    ) -> Person:
        """Record a person seen on ``date`` (with offices as (title, code) pairs)."""
        when = date[:10] if date else None
        person = self._people.get(key) if key else None
        person = person or self._match(name, code, when)
        if person is None:
            person = Person(key=key or name_key(name), name=name)
            self._people[person.key] = person
        if len(name) > len(person.name) and set(name_tokens(person.name)) <= set(name_tokens(name)):
            person.name = name
        self._changed.add(person.key)
        person.code = code or person.code
        person.sector = sector or person.sector
        person.mention_count += mentions
        dates = [person.first_seen, person.last_seen]
        _span(dates, when)
        person.first_seen, person.last_seen = dates
        for alias in {name, *aliases}:
            self._alias(person, alias, when)
        for title, office_code in offices:
            office = person.offices.setdefault((title, office_code), Office(title, office_code))
            pair = [office.first_seen, office.last_seen]
            _span(pair, when)
            office.first_seen, office.last_seen = pair
        return person

    def _alias(self, person: Person, alias: str, when: str | None) -> None:
        alias = " ".join(alias.split())
        if not alias:
            return
        _span(person.aliases.setdefault(alias, [None, None]), when)
        self._by_alias.setdefault(alias.casefold(), set()).add(person.key)

    def _match(self, name: str, code: str | None, when: str | None = None) -> Person | None:
        """An existing person this name denotes: same full name, or a one-word name upgraded
        ("Tokayev" learned before "Kassym-Jomart Tokayev") when the codes agree and the two
        were seen within two years of each other."""
        found = self.lookup(name, code=code)
        if found or len(name_tokens(name)) < 2:
            return found
        for token in name_tokens(name):
            for key in self._by_alias.get(token, ()):
                person = self._people[key]
                if (
                    len(name_tokens(person.name)) == 1
                    and person.code == code
                    and _distance(when, person.first_seen, person.last_seen) <= 730
                ):
                    return person
        return None

    def lookup(self, alias: str, date: str | None = None, code: str | None = None) -> Person | None:
        """The person an alias refers to at a date (the one seen nearest the date, then most)."""
        keys = self._by_alias.get(" ".join(alias.split()).casefold(), set())
        people = [self._people[k] for k in keys]
        if code:
            people = [p for p in people if p.code in (None, code)]
        if not people:
            return None
        when = date[:10] if date else None
        return min(
            people,
            key=lambda p: (_distance(when, p.first_seen, p.last_seen), -p.mention_count, p.key),
        )

    def holder(
        self, office: str | Iterable[str], code: str | None, date: str | None = None
    ) -> Person | None:
        """Who held an office (one title or any of several) for ``code`` at a date: the
        holder seen nearest the date; None when nobody was seen in it within ``OFFICE_REACH``
        days of the date (it has most likely changed hands since)."""
        titles = {office} if isinstance(office, str) else set(office)
        when = date[:10] if date else None
        best: tuple[int, int, int, str] | None = None
        found = None
        for person in self._people.values():
            for held in person.offices.values():
                if held.title in titles and (code is None or held.code == code):
                    distance = held.distance(when)
                    if distance > OFFICE_REACH:
                        continue
                    rank = (
                        distance,
                        -_ordinal(held.last_seen),
                        -person.mention_count,
                        person.key,
                    )
                    if best is None or rank < best:
                        best, found = rank, person
        return found

    def take_changes(self) -> list[dict[str, Any]]:
        """Records of the people learned since the last call (for the store to write)."""
        changed, self._changed = self._changed, set()
        return [self._record(self._people[key]) for key in sorted(changed)]

    def to_records(self) -> list[dict[str, Any]]:
        """Every person as a plain record (see :meth:`_record`)."""
        return [self._record(person) for person in self._people.values()]

    @staticmethod
    def _record(p: Person) -> dict[str, Any]:
        """One person for the store's actors, actor_aliases and actor_offices tables:
        {"id" (= the mentions' key), "name", "kind", "code", "sector", "first_seen",
        "last_seen", "mention_count", "aliases": [{"alias", "first_seen", "last_seen"}],
        "offices": [{"title", "code", "first_seen", "last_seen"}]}."""
        return {
            "id": p.key, "name": p.name, "kind": "person", "code": p.code, "sector": p.sector,
            "first_seen": p.first_seen, "last_seen": p.last_seen,
            "mention_count": p.mention_count,
            "aliases": [{"alias": a, "first_seen": d[0], "last_seen": d[1]}
                        for a, d in p.aliases.items()],
            "offices": [{"title": o.title, "code": o.code, "first_seen": o.first_seen,
                         "last_seen": o.last_seen} for o in p.offices.values()],
        }  # fmt: skip

    @classmethod
    def starter(cls, records: Iterable[dict[str, Any]] = ()) -> ActorRegistry:
        """The registry diplograph starts from: the people it learned by reading news
        (``data/people.json.gz``, built by ``scripts/build_registry.py``), with ``records``
        (what a store has learned) on top."""
        return cls.from_records([*starter_records(), *records])

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> ActorRegistry:
        """Rebuild a registry from person records (``to_records``, or the store's rows)."""
        registry = cls()
        for row in records:
            if row.get("kind", "person") != "person":
                continue
            key = row.get("id") or name_key(row["name"])
            person = Person(key=key, name=row["name"], code=row.get("code"),
                            sector=row.get("sector"), first_seen=row.get("first_seen"),
                            last_seen=row.get("last_seen"),
                            mention_count=row.get("mention_count") or 0)  # fmt: skip
            registry._people[key] = person
            for alias in row.get("aliases", []):
                person.aliases[alias["alias"]] = [alias.get("first_seen"), alias.get("last_seen")]
                registry._by_alias.setdefault(alias["alias"].casefold(), set()).add(key)
            for office in row.get("offices", []):
                code = office.get("code") or None
                person.offices[(office["title"], code)] = Office(
                    office["title"], code, office.get("first_seen"), office.get("last_seen")
                )
        return registry


@cache
def _starter_file() -> tuple[dict[str, Any], ...]:
    resource = resources.files("diplograph.data").joinpath("people.json.gz")
    if not resource.is_file():
        return ()
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return tuple(json.load(text)["people"])


def starter_records() -> list[dict[str, Any]]:
    """The starter registry's person records (a fresh copy each call)."""
    return [
        {**r, "aliases": [dict(a) for a in r["aliases"]],
         "offices": [dict(o) for o in r["offices"]]}
        for r in _starter_file()
    ]  # fmt: skip

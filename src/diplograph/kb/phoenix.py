"""Events as a CAMEO/Phoenix-style tab-separated file, for existing event-data tooling.

The columns and their order are those of the Phoenix dataset of the Open Event Data Alliance,
as written by its pipeline (``openeventdata/phoenix_pipeline``, ``postprocess.py``: one
tab-separated line per event, actors split into full code, root, agent and other codes;
column names as published with the dataset, see phoenixdata.org/description):

    EventID Date Year Month Day SourceActorFull SourceActorEntity SourceActorRole
    SourceActorAttribute TargetActorFull TargetActorEntity TargetActorRole TargetActorAttribute
    EventCode EventRootCode QuadClass GoldsteinScore Issues Lat Lon LocationName StateName
    CountryCode SentenceID URLs NewsSources

How diplograph fills them:

* one row per event × dyad: every (actor, recipient) pair; an event with actors only gives
  one row per pair of actors, or one row with an empty target when it has a single actor.
  Repeated dyads are written once, and a party's dyad with itself only when the event has
  no other. ``EventID`` is ``<event id>-<n>``: the part before the dash is the ``id`` of
  ``export events``, ``n`` numbers the event's rows from 1.
* ``Date`` is ``YYYYMMDD`` and ``Year``/``Month``/``Day`` its digits (``2020``, ``09``,
  ``12``). A date known only to the month or the year has ``00`` for what is unknown
  (``20200900``, Day ``00``); an undated event has all four empty.
* actor codes as in the Phoenix files: ``Entity`` is the root (a state's ISO alpha-3 code, or
  ``IGO``/``NGO`` for an organisation), ``Role`` the agent (sector: GOV, MIL, LEG, BUS, …),
  ``Attribute`` the organisation's acronym; ``Full`` is the three concatenated (``KAZGOV``,
  ``IGOSCO``). Note that Phoenix's own description names the first two the other way round.
* ``EventCode`` is the nearest CAMEO code, ``EventRootCode`` its first two digits.
  ``QuadClass`` is diplograph's 1–4 (1 verbal cooperation … 4 material conflict; Phoenix
  also uses 0 for neutral, which diplograph never writes). ``GoldsteinScore`` is the event's
  PLOVER/Goldstein-style score.
* ``Issues`` holds the PLOVER contexts (``;``-separated); ``Lat``/``Lon``/``LocationName``/
  ``CountryCode`` the event's location; ``StateName`` (first-level division) stays empty.
* ``SentenceID`` is ``<article id>:<offset>`` of each report, ``URLs`` the articles' URLs
  or input paths, ``NewsSources`` their sources, each ``;``-separated.

One header line; no quoting (read with ``quoting=csv.QUOTE_NONE``): tabs, line breaks and
other line separators inside a field are replaced by a space.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from itertools import combinations
from typing import IO, Any

from diplograph.kb.records import iter_events
from diplograph.nlp.pipeline import gazetteer
from diplograph.store.database import Store

COLUMNS = (
    "EventID",
    "Date",
    "Year",
    "Month",
    "Day",
    "SourceActorFull",
    "SourceActorEntity",
    "SourceActorRole",
    "SourceActorAttribute",
    "TargetActorFull",
    "TargetActorEntity",
    "TargetActorRole",
    "TargetActorAttribute",
    "EventCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScore",
    "Issues",
    "Lat",
    "Lon",
    "LocationName",
    "StateName",
    "CountryCode",
    "SentenceID",
    "URLs",
    "NewsSources",
)
_ROOTS = {"IGO", "NGO", "IMG", "MNC"}
_BREAKS = re.compile(r"[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_EMPTY_ACTOR = ("", "", "", "")


def clean(value: Any) -> str:
    """A field: None as empty, whitespace that would break a row as one space."""
    if value is None:
        return ""
    return _BREAKS.sub(" ", str(value)).strip()


def actor_codes(participant: dict[str, Any] | None) -> tuple[str, str, str, str]:
    """(Full, Entity, Role, Attribute) of a participant, in the Phoenix actor-code style."""
    if participant is None:
        return _EMPTY_ACTOR
    code = (participant.get("code") or "").upper()
    sector = (participant.get("sector") or "").upper()
    if not code:
        return (sector, "", sector, "")
    if code in gazetteer().states:
        entity, role, attribute = code, sector, ""
    else:
        entity = sector if sector in _ROOTS else "IGO"
        role = "" if sector in _ROOTS else sector
        attribute = code
    return (entity + role + attribute, entity, role, attribute)


def date_fields(date: str | None) -> tuple[str, str, str, str]:
    """(Date, Year, Month, Day) from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``00`` if unknown."""
    if not date:
        return ("", "", "", "")
    parts = date.split("-")
    year = parts[0]
    month = parts[1] if len(parts) > 1 else "00"
    day = parts[2] if len(parts) > 2 else "00"
    return (year + month + day, year, month, day)


def _dyads(event: dict[str, Any]) -> list[tuple[dict | None, dict | None]]:
    actors, recipients = event["actor"], event["recipient"]
    if recipients:
        pairs = [(a, r) for a in actors or [None] for r in recipients]
    elif len(actors) > 1:
        pairs = list(combinations(actors, 2))
    else:
        pairs = [(actors[0] if actors else None, None)]
    pairs = [
        (a, r)
        for a, r in pairs
        if not (a and r and a.get("entity_id") and a.get("entity_id") == r.get("entity_id"))
    ]
    seen: dict[tuple[str, str], tuple[dict | None, dict | None]] = {}
    for a, r in pairs:
        seen.setdefault((actor_codes(a)[0], actor_codes(r)[0]), (a, r))
    others = {key: pair for key, pair in seen.items() if key[0] != key[1]}
    if others:
        return list(others.values())
    return list(seen.values())[:1]


def _joined(values: Iterable[Any]) -> str:
    unique = dict.fromkeys(clean(v) for v in values if v not in (None, ""))
    return ";".join(v for v in unique if v)


def event_rows(event: dict[str, Any]) -> Iterator[list[str]]:
    """The Phoenix rows of one event in the ``export events`` shape."""
    cameo = clean(event.get("cameo"))
    location = event.get("location") or {}
    mentions = event.get("mentions") or []
    articles = [m.get("article") or {} for m in mentions]
    shared = [
        cameo,
        cameo[:2],
        clean(event.get("quad_class")),
        clean(event.get("score")),
        _joined(event.get("context") or []),
        clean(location.get("lat")),
        clean(location.get("lon")),
        clean(location.get("name")),
        "",
        clean(location.get("code")),
        _joined(f"{a.get('id')}:{m.get('start')}" for a, m in zip(articles, mentions, strict=True)),
        _joined(a.get("path") for a in articles),
        _joined(a.get("source") for a in articles),
    ]
    dates = list(date_fields(event.get("date")))
    for n, (source, target) in enumerate(_dyads(event), start=1):
        yield [
            clean(f"{event['id']}-{n}"),
            *dates,
            *(clean(v) for v in actor_codes(source)),
            *(clean(v) for v in actor_codes(target)),
            *shared,
        ]


def iter_rows(store: Store) -> Iterator[list[str]]:
    """Every event's Phoenix rows, events in the order of ``export events``."""
    for event in iter_events(store):
        yield from event_rows(event)


def write_phoenix(store: Store, output: str | None) -> int:
    """Write the header and every row to the file ``output`` (stdout when None); rows written."""
    if output is None:
        return _write(store, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as stream:
        return _write(store, stream)


def _write(store: Store, stream: IO[str]) -> int:
    stream.write("\t".join(COLUMNS) + "\n")
    count = 0
    for row in iter_rows(store):
        stream.write("\t".join(row) + "\n")
        count += 1
    return count

"""Facts that are not events: relations established, trade, investment, partnership levels,
offices held and election results (interface.md, "Fact export").

Cue words live in ``data/facts.json``. spaCy gives sentences and PERCENT entities; money is
read with a regex built from the cue data, because the small model often tags "$24bn" as
ORDINAL. Periods are ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``, ``START/END`` for a range and
``START/..`` (ISO 8601-2 open interval) for "since START"; years derived from an anniversary
carry ``extra.precision="year"`` and ``extra.derived_from="anniversary"``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span

from diplograph.models import ActorMention, Article, DateMention, Evidence, Fact
from diplograph.nlp.dates import find_dates

_PARTY_KINDS = ("state", "organization")


def _alt(words: list[str], bound: bool = True) -> str:
    """A regex alternation of phrases, longest first, on word boundaries."""
    parts = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    return r"\b(?:" + "|".join(parts) + r")\b" if bound else "(?:" + "|".join(parts) + ")"


class _Cues:
    """Compiled patterns built from data/facts.json."""

    def __init__(self, d: dict[str, Any]) -> None:
        self.data = d
        self.currencies = c = {k: v for k, v in d["currencies"].items() if k != "_doc"}
        pre = sorted((k for k in c if not any(ch.islower() for ch in k)), key=len, reverse=True)
        pre_rx = "|".join(re.escape(k) + (r"\b" if k[-1].isalnum() else "") for k in pre)
        post_rx = _alt([k for k in c if k[0].isalpha()])
        num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        scale = _alt(list(d["scales"]), bound=False)
        self.money = re.compile(
            rf"(?<![\w.])(?:(?P<pre>{pre_rx})\s?)?(?P<n1>{num})(?:\s?(?P<s1>{scale})\b"
            rf"(?:\s(?P<n2>{num})\s?(?P<s2>{scale})\b)?)?(?:\s(?P<post>{post_rx}))?"
        )
        self.qualifier = re.compile(_alt(d["qualifiers"]), re.I)
        self.trade = re.compile(_alt(d["trade_cues"]), re.I)
        self.invest = re.compile(_alt(d["investment_cues"]), re.I)
        self.comparison = re.compile(_alt(d["comparison_cues"]) + r"[^.]{0,20}$", re.I)
        self.decrease = re.compile(_alt(d["decrease_cues"]), re.I)
        self.relation = re.compile(_alt(d["relation_phrases"]), re.I)
        self.establish = re.compile(_alt(d["establishment_cues"]), re.I)
        nums = "|".join(map(re.escape, d["number_words"]))
        self.anniversary = [
            re.compile(p.replace("NUMBER", nums), re.I) for p in d["anniversary_patterns"]
        ]
        adj, noun = _alt(d["partnership_adjectives"]), _alt(d["partnership_nouns"])
        self.partnership = re.compile(rf"(?:{adj}(?:\s*,\s*|\s+and\s+|\s+))+{noun}", re.I)
        self.core = re.compile(_alt(d["partnership_core"]), re.I)
        self.election = re.compile(_alt(d["election_cues"]), re.I)
        self.election_kind = re.compile(_alt(d["election_kinds"]), re.I)


@cache
def _cues() -> _Cues:
    text = resources.files("diplograph.data").joinpath("facts.json").read_text("utf-8")
    return _Cues(json.loads(text))


@cache
def _state_names() -> dict[str, str]:
    """Lower-cased state names, official names, aliases and demonyms → code (states.json)."""
    try:
        text = resources.files("diplograph.data").joinpath("states.json").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    names: dict[str, str] = {}
    for state in json.loads(text).get("states", []):
        for key in ("names", "official", "aliases", "demonyms", "people"):
            for name in state.get(key, []):
                names.setdefault(name.lower(), state["code"])
    return names


def _pct(text: str) -> float | None:
    return float(m[0]) if (m := re.search(r"\d+(?:\.\d+)?", text)) else None


def fact_id(kind: str, parties: list[str], *key: Any) -> str:
    """Deterministic id: sha256 of kind, sorted parties and the kind's key values, 20 hex."""
    blob = json.dumps([kind, sorted(parties), *key], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


class _Reader:
    """Per-article state: sentences, mentions and the date anchor."""

    def __init__(
        self, doc: Doc, article: Article, actors: list[ActorMention], dates: list[DateMention]
    ) -> None:
        self.doc, self.article, self.cues = doc, article, _cues()
        self.actors = sorted(actors, key=lambda a: a.start)
        self.dates = dates
        self.sents = list(doc.sents)
        self.facts: dict[str, Fact] = {}
        self.pub = article.published[:10] if article.published else None
        self.anchor, self.inferred = self._anchor_year()

    def _anchor_year(self) -> tuple[int | None, bool]:
        """Publication year; else the year most explicit dates fall in (ties: latest)."""
        if self.pub:
            return int(self.pub[:4]), False
        years = Counter(
            int(d.value[:4])
            for d in self.dates
            if not d.relative and not d.end_value and d.value[:4].isdigit()
        )
        if not years:
            return None, False
        return max(years, key=lambda y: (years[y], y)), True

    def add(self, fact: Fact, key: tuple, sent: Span | list[Span]) -> None:
        fact.parties = sorted(set(fact.parties))
        fact.id = fact_id(fact.kind, fact.parties, fact.subject, fact.code, *key)
        kept = self.facts.setdefault(fact.id, fact)
        for s in sent if isinstance(sent, list) else [sent]:
            if all(m.start != s.start_char for m in kept.mentions):
                kept.mentions.append(Evidence(self.article.id, s.start_char, s.end_char, s.text))

    def mentions_in(
        self, start: int, end: int, kinds: tuple[str, ...] = _PARTY_KINDS
    ) -> list[ActorMention]:
        """Mentions with a code of the given kinds starting within [start, end)."""
        return [a for a in self.actors if start <= a.start < end and a.kind in kinds and a.code]

    def hyphen_pairs(self, span: Span) -> list[tuple[int, int, list[str]]]:
        """``Kazakh-Chinese`` style pairs in a sentence: (start, end, [code, code])."""
        pairs = []
        for m in re.finditer(r"\b([A-Z][\w’']+)-([A-Z][\w’']+)\b", span.text):
            codes = [self._code_at(span.start_char + m.start(g), m[g]) for g in (1, 2)]
            if all(codes) and codes[0] != codes[1]:
                pairs.append((span.start_char + m.start(), span.start_char + m.end(), codes))
        return pairs

    def _code_at(self, start: int, word: str) -> str | None:
        for a in self.actors:
            if a.kind == "state" and a.code and a.start <= start < a.end and "-" not in a.text:
                return a.code
        return _state_names().get(word.lower())

    def parties(self, span: Span, persons: bool = False) -> list[str]:
        """Codes of the states/organisations (and persons) in a span, in text order."""
        kinds = (*_PARTY_KINDS, "person") if persons else _PARTY_KINDS
        found = [
            (a.start, [a.code]) for a in self.mentions_in(span.start_char, span.end_char, kinds)
        ]
        found += [(s, codes) for s, _, codes in self.hyphen_pairs(span)]
        return list(dict.fromkeys(c for _, cs in sorted(found) for c in cs if c))

    def pair(self, sent: Span, after: int, persons: bool = False) -> list[str]:
        """Two parties: "between X and Y" after ``after`` > a hyphen pair > exactly two."""
        text = sent.text[after - sent.start_char :]
        if (m := re.search(r"\bbetween\b", text)) is not None:
            start = after + m.end()
            codes = list(dict.fromkeys(a.code for a in self.mentions_in(start, sent.end_char)))
            hyph = [c for s, _, cs in self.hyphen_pairs(sent) if s >= start for c in cs]
            if len(both := list(dict.fromkeys(codes + hyph))) >= 2:
                return both[:2]
        if pairs := [p for p in self.hyphen_pairs(sent) if after - 30 <= p[0] <= after + 50]:
            return min(pairs, key=lambda p: abs(p[1] - after))[2]
        codes = self.parties(sent, persons)
        return codes if len(codes) == 2 else []

    def top_states(self) -> list[str]:
        counts = Counter(a.code for a in self.actors if a.kind == "state" and a.code)
        return [c for c, _ in counts.most_common(2)]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        return [d for d in self.dates if start <= d.start < end]


def extract_facts(
    doc: Doc, article: Article, actors: list[ActorMention], dates: list[DateMention]
) -> list[Fact]:
    """All facts stated in one article, one per id with every sentence that states it."""
    reader = _Reader(doc, article, actors, dates)
    for i, sent in enumerate(reader.sents):
        _relations(reader, sent)
        _money(reader, sent, reader.sents[i - 1] if i else None)
        _partnership(reader, sent)
    _offices(reader)
    _election(reader)
    return list(reader.facts.values())


def _relations(r: _Reader, sent: Span) -> None:
    """Relations established: an explicit date, or "Nth anniversary"/"N years since"."""
    text, rel = sent.text, r.cues.relation
    anniv = next((m for rx in r.cues.anniversary if (m := rx.search(text))), None)
    if anniv is not None and not rel.search(text[anniv.end() : anniv.end() + 100]):
        anniv = None
    est = next(
        (
            e
            for e in r.cues.establish.finditer(text)
            if rel.search(text[max(0, e.start() - 60) : e.end() + 60])
        ),
        None,
    )
    if (cue := anniv or est) is None:
        return
    at = sent.start_char + cue.start()
    parties = r.pair(sent, at)
    if len(parties) != 2:
        return
    extra: dict[str, Any] = {}
    if anniv is not None:
        n = anniv["n"]
        n = int(n) if n.isdigit() else r.cues.data["number_words"][n.lower()]
        before = [d for d in r.dates_in(sent.start_char, at) if not d.end_value]
        year, inferred = (int(before[-1].value[:4]), False) if before else (r.anchor, r.inferred)
        if year is None:
            return
        date = str(year - n)
        extra = {"precision": "year", "derived_from": "anniversary", "anniversary": n}
        if inferred:
            extra["inferred"] = True
    else:
        found = r.dates_in(at, sent.end_char) or r.dates_in(sent.start_char, sent.end_char)
        if not found:
            return
        date, extra = found[0].value, {"precision": found[0].precision}
    fact = Fact("relations_established", parties=parties, date=date, extra=extra)
    r.add(fact, (date,), sent)


def _amount(r: _Reader, m: re.Match[str]) -> tuple[float, str] | None:
    """(value, currency) of a money match, or None when it names no currency."""
    cur = m["pre"] or m["post"]
    if cur is None:
        return None
    scales = r.cues.data["scales"]
    value = float(m["n1"].replace(",", "")) * (scales[m["s1"]] if m["s1"] else 1)
    if m["n2"]:
        extra = float(m["n2"]) * scales[m["s2"]]
        value += extra if extra < value else 0
    return round(value, 4), r.cues.currencies[cur]


def _period(r: _Reader, sent: Span, pos: int) -> tuple[str | None, str | None]:
    """(period, since) from the date mention nearest to ``pos``, skipping comparisons."""
    best: DateMention | None = None
    for d in r.dates_in(sent.start_char, sent.end_char):
        lead = r.article.text[max(sent.start_char, d.start - 40) : d.start]
        if r.cues.comparison.search(lead):
            continue
        if best is None or abs(d.start - pos) < abs(best.start - pos):
            best = d
    if best is None:
        return None, None
    lead = r.article.text[max(sent.start_char, best.start - 12) : best.start]
    if re.search(r"\bsince\s*$", lead, re.I):
        return f"{best.value}/..", best.value
    return (f"{best.value}/{best.end_value}" if best.end_value else best.value), None


def _money(r: _Reader, sent: Span, prev: Span | None) -> None:
    """Trade and investment figures: each amount is typed by the nearest preceding cue."""
    text, base = sent.text, sent.start_char
    cues = [(m.start(), "trade") for m in r.cues.trade.finditer(text)]
    cues += [(m.start(), "investment") for m in r.cues.invest.finditer(text)]
    if not cues:
        return
    pcts = [e for e in sent.ents if e.label_ == "PERCENT"]
    parties = r.parties(sent)
    if len(parties) < 2 and prev is not None:
        parties = list(dict.fromkeys(parties + r.parties(prev)))
    if not parties:  # a figure with no state in sight is not a bilateral fact
        return
    parties = list(dict.fromkeys(parties + r.top_states()))[:2]
    first = True
    for m in r.cues.money.finditer(text):
        if (amount := _amount(r, m)) is None:
            continue
        before = [c for c in cues if c[0] < m.start()]
        kind = max(before)[1] if before else min(cues)[1]
        period, since = _period(r, sent, base + m.start())
        words = " ".join(text[: m.start()].split()[-5:])
        extra: dict[str, Any] = {"text": m[0]}
        if quals := [q.lower() for q in r.cues.qualifier.findall(words)]:
            extra["qualifiers"] = quals
        if since:
            extra["since"] = since
        if kind == "trade" and pcts and first:
            pct, lead = _pct(pcts[0].text) or 0.0, text[: pcts[0].start_char - base]
            extra["change_pct"] = -pct if r.cues.decrease.search(lead[-40:]) else pct
            first = False
        if kind == "investment":
            extra.update(_roles(r, sent, parties, cues))
        value = int(amount[0]) if amount[0] == int(amount[0]) else amount[0]
        fact = Fact(kind, parties=parties, value=value, unit=amount[1], period=period, extra=extra)
        r.add(fact, (period, value, amount[1]), sent)


def _roles(
    r: _Reader, sent: Span, parties: list[str], cues: list[tuple[int, str]]
) -> dict[str, str]:
    """investor/host: "from X"/"in X" prepositions, else before/after the investment cue."""
    cue = sent.start_char + min(c for c, k in cues if k == "investment")
    roles: dict[str, str] = {}
    for a in r.mentions_in(sent.start_char, sent.end_char):
        lead = r.article.text[max(sent.start_char, a.start - 12) : a.start].lower().split()
        lead = [w for w in lead if w not in ("the", "a")][-1:]
        role = (
            "investor"
            if lead and lead[0] in r.cues.data["investor_preps"]
            else "host"
            if lead and lead[0] in r.cues.data["host_preps"]
            else "investor"
            if a.start < cue
            else "host"
        )
        roles.setdefault(role, a.code)  # type: ignore[arg-type]
    return roles if set(roles.values()) == set(parties) and len(parties) == 2 else {}


def _partnership(r: _Reader, sent: Span) -> None:
    """Partnership levels ("comprehensive strategic partnership") between two parties."""
    for m in r.cues.partnership.finditer(sent.text):
        if not r.cues.core.search(m[0]):
            continue
        level = re.sub(r"\s+", " ", m[0].lower()).strip()
        parties = r.pair(sent, sent.start_char + m.start(), persons=True)
        if len(parties) != 2:
            continue
        r.add(Fact("partnership", parties=parties, value=level, date=r.pub), (level,), sent)


def _offices(r: _Reader) -> None:
    """One fact per person and office, with the first sentence that names them."""
    seen: set[tuple[str, str]] = set()
    for a in r.actors:
        if a.kind != "person" or not a.office or not a.code or (a.name, a.office) in seen:
            continue
        seen.add((a.name, a.office))
        span = r.doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None:
            fact = Fact("office", subject=a.name, code=a.code, value=a.office, date=r.pub)
            r.add(fact, (a.office,), span.sent)


def _person_near(r: _Reader, sent: Span, pos: int, after: bool) -> tuple[str, str | None] | None:
    """(name, code) of the nearest person on one side of ``pos``: a resolved mention, else a
    PERSON/ORG entity (the small model often tags full names as ORG)."""
    people = [
        (a.start, a.name, a.code)
        for a in r.mentions_in(sent.start_char, sent.end_char, ("person",))
    ]
    people = people or [
        (e.start_char, e.text, None) for e in sent.ents if e.label_ in ("PERSON", "ORG")
    ]
    side = [(n, c) for s, n, c in people if (s >= pos if after else s < pos)]
    return (side[0] if after else side[-1]) if side else None


def _election(r: _Reader) -> None:
    """Turnout and the largest vote share (with its candidate) reported in the article."""
    turnout: tuple[float, Span] | None = None
    shares: list[tuple[float, tuple[str, str | None], Span]] = []
    for i, sent in enumerate(r.sents):
        window = " ".join(s.text for s in r.sents[max(0, i - 2) : i + 1])
        if not r.cues.election.search(window):
            continue
        for ent in (e for e in sent.ents if e.label_ == "PERCENT"):
            lead = sent.text[: ent.start_char - sent.start_char].split()[-1:]
            if (pct := _pct(ent.text)) is None or lead in (["by"], ["up"], ["down"]):
                continue  # a change, not a level
            pcx = re.escape(ent.text)
            if turnout is None and any(
                re.search(p.replace("PCT", pcx), sent.text, re.I)
                for p in r.cues.data["turnout_patterns"]
            ):
                turnout = (pct, sent)
            for spec in (
                r.cues.data["vote_share_patterns"] if r.cues.election.search(sent.text) else []
            ):
                if m := re.search(spec["pattern"].replace("PCT", pcx), sent.text, re.I):
                    after = spec["winner"] == "after"
                    pos = sent.start_char + (m.end() if after else m.start())
                    if who := _person_near(r, sent, pos, after):
                        shares.append((pct, who, sent))
                        break
    if not shares and turnout is None:
        return
    value: dict[str, Any] = {"turnout": turnout[0]} if turnout else {}
    used, code = ([turnout[1]] if turnout else []), None
    if shares:
        pct, (name, code), sent = max(shares, key=lambda s: s[0])
        value.update(winner=name, vote_share=pct)
        used = sorted([*used, sent], key=lambda s: s.start)
    code = code or (r.top_states() or [None])[0]
    date, extra = _election_date(r, used[0])
    fact = Fact("election_result", code=code, value=value, date=date, extra=extra)
    r.add(fact, (date, value.get("winner")), used)


def _election_date(r: _Reader, first: Span) -> tuple[str | None, dict[str, Any]]:
    """A date in the nearest preceding sentence that talks of elections, else publication."""
    i = r.sents.index(first)
    for sent in reversed(r.sents[max(0, i - 6) : i + 1]):
        if not r.cues.election.search(sent.text):
            continue
        kind = r.cues.election_kind.search(sent.text)
        extra: dict[str, Any] = {"election": kind[0].lower()} if kind else {}
        if found := r.dates_in(sent.start_char, sent.end_char):
            return found[0].value, {**extra, "precision": found[0].precision}
        # an undated article: resolve the sentence's dates against the inferred year
        if r.inferred and r.anchor and (found := find_dates(sent.text, f"{r.anchor}-12-31")):
            return found[0].value, {**extra, "precision": found[0].precision, "inferred": True}
    return r.pub, {"precision": "day", "derived_from": "published"} if r.pub else {}

"""Scoring the store against a gold file (``diplograph eval``): precision, recall and F1.

Units: a gold event belongs to one article; a predicted unit is an (event, gold article) pair,
i.e. an event with a mention in a gold article, counted once per gold article it is read from
(the engine may merge reports across articles; gold is per article). Events mentioned only in
other articles are ignored. Gold references resolving to the same stored article are pooled.

Full match (one-to-one per article, maximum matching): same type; actor codes equal and
recipient codes equal, or, when either side has no recipient, the union of codes equal; the
predicted date cut to the gold's precision equals the gold date (a coarser or missing predicted
date misses; a null gold date accepts any). Type-only: same type, same article. Over type-only
pairs: code accuracy (codes match as above), date accuracy (pairs whose gold has a date) and
person-code accuracy (each predicted participant whose actor is of kind 'person': is its code
among the gold event's codes?). Facts match on kind plus whichever of parties (as a set), date,
period, value (numbers within 1 % relative), unit, code and subject the gold line gives.
A ``{"record": "article", "article": {...}}`` line makes an article a gold article even when it
holds no gold event, so that what is predicted in it counts (as false positives).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from diplograph.store import schema as t
from diplograph.store.database import Store

_WS = re.compile(r"\s+")
_REF_KEYS = ("source_id", "title", "title_sha256", "path")
_FACT_STRINGS = ("period", "unit", "code", "subject")
_FACT_KEYS = ("kind", "parties", "subject", "code", "value", "unit", "period", "date")
_PRF = ("precision", "recall", "f1")


@dataclass
class Score:
    """Matched / gold / predicted counts with precision, recall and F1 (0 when undefined)."""

    tp: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        prf = {k: round(getattr(self, k), 4) for k in _PRF}
        return {"tp": self.tp, "gold": self.gold, "predicted": self.predicted, **prf}


@dataclass
class Ratio:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.correct, self.total = self.correct + bool(ok), self.total + 1

    def as_dict(self) -> dict[str, Any]:
        value = None if self.value is None else round(self.value, 4)
        return {"correct": self.correct, "total": self.total, "accuracy": value}


@dataclass
class EvalReport:
    """Every figure of one evaluation; ``misses``/``false_positives`` are for error analysis."""

    gold_path: str
    gold_articles: int = 0
    events: Score = field(default_factory=Score)
    type_only: Score = field(default_factory=Score)
    per_type: dict[str, Score] = field(default_factory=dict)
    code_accuracy: Ratio = field(default_factory=Ratio)
    person_code_accuracy: Ratio = field(default_factory=Ratio)
    date_accuracy: Ratio = field(default_factory=Ratio)
    facts: Score = field(default_factory=Score)
    facts_per_kind: dict[str, Score] = field(default_factory=dict)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    fact_misses: list[dict[str, Any]] = field(default_factory=list)
    fact_false_positives: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for key, value in out.items():
            if isinstance(value, Score | Ratio):
                out[key] = value.as_dict()
            elif key in ("per_type", "facts_per_kind"):
                out[key] = {k: s.as_dict() for k, s in sorted(value.items())}
        return out


@dataclass
class _Rec:
    """A gold or predicted event (or fact, in ``data``) placed in a gold-article group."""

    group: int | None
    ref: str
    type: str
    actor: frozenset[str] = frozenset()
    recipient: frozenset[str] = frozenset()
    date: str | None = None
    text: str | None = None
    persons: tuple[str | None, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def show(self) -> dict[str, Any]:
        if self.data:
            return {"article": self.ref, **self.data, "text": self.text}
        codes = {"actor": sorted(self.actor), "recipient": sorted(self.recipient)}
        return {
            "article": self.ref,
            "type": self.type,
            **codes,
            "date": self.date,
            "text": self.text,
        }


_Ok = Callable[[_Rec, _Rec], bool]


def _norm(text: Any) -> str:
    return _WS.sub(" ", str(text)).strip()


def _codes(parties: Any) -> frozenset[str]:
    items = parties if isinstance(parties, list) else []
    codes = (p.get("code") if isinstance(p, dict) else p for p in items)
    return frozenset(str(c).strip().upper() for c in codes if c)


def _date_ok(gold: str | None, predicted: str | None) -> bool:
    if not gold:
        return True
    return bool(predicted) and len(predicted) >= len(gold) and predicted[: len(gold)] == gold


def _codes_ok(g: _Rec, p: _Rec) -> bool:
    if not g.recipient or not p.recipient:
        return g.actor | g.recipient == p.actor | p.recipient
    return g.actor == p.actor and g.recipient == p.recipient


def _event_ok(g: _Rec, p: _Rec) -> bool:
    return g.type == p.type and _codes_ok(g, p) and _date_ok(g.date, p.date)


def _same_type(g: _Rec, p: _Rec) -> bool:
    return g.type == p.type


def _value_ok(gold: Any, predicted: Any) -> bool:
    try:
        a, b = float(gold), float(predicted)
    except (TypeError, ValueError):
        return _norm(gold).casefold() == _norm(predicted).casefold()
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def _fact_ok(g: _Rec, p: _Rec) -> bool:
    gd, pd = g.data, p.data
    return (
        g.type == p.type
        and ("parties" not in gd or _codes(gd["parties"]) == _codes(pd.get("parties")))
        and _date_ok(gd.get("date"), pd.get("date"))
        and (gd.get("value") is None or _value_ok(gd["value"], pd.get("value")))
        and all(
            not gd.get(k) or _norm(gd[k]).casefold() == _norm(pd.get(k) or "").casefold()
            for k in _FACT_STRINGS
        )
    )


def _prefer(g: _Rec, p: _Rec) -> float:
    """How alike two same-type events are, to choose among candidate partners."""
    union = g.actor | g.recipient | p.actor | p.recipient
    overlap = len((g.actor | g.recipient) & (p.actor | p.recipient)) / len(union) if union else 1
    return 2 * _codes_ok(g, p) + overlap + _date_ok(g.date, p.date)


def _matching(gold: list[_Rec], pred: list[_Rec], ok: _Ok) -> dict[int, int]:
    """Maximum one-to-one matching (gold index → predicted index) over pairs where ``ok``."""
    cands = [[j for j, p in enumerate(pred) if ok(g, p)] for g in gold]
    for g, js in zip(gold, cands, strict=True):
        js.sort(key=lambda j, g=g: -_prefer(g, pred[j]))
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in cands[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def match_count(gold: list[dict[str, Any]], predicted: list[Any]) -> int:
    """Full matches between one article's gold lines and its extracted events (``Event``
    objects, before storing): the count ``evaluate`` would make for that article."""
    golds = [
        _Rec(0, "", str(g["type"]).upper(), _codes(g.get("actor")), _codes(g.get("recipient")),
             g.get("date"))
        for g in gold
    ]  # fmt: skip
    preds = [
        _Rec(0, "", e.type.upper(), _codes([p.code for p in e.actor]),
             _codes([p.code for p in e.recipient]), e.date)
        for e in predicted
    ]  # fmt: skip
    return len(_matching(golds, preds, _event_ok))


def _read_gold(path: Path) -> list[dict[str, Any]]:
    lines = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: malformed JSON: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object")
        record = obj.get("record", "event")
        if record not in ("event", "fact", "article"):
            raise ValueError(f"{path}:{n}: unknown record {record!r} (event, fact or article)")
        ref = obj.get("article")
        if not isinstance(ref, dict) or not any(ref.get(k) for k in _REF_KEYS):
            raise ValueError(
                f"{path}:{n}: 'article' must give source_id, title, title_sha256 or path"
            )
        if record != "article" and not obj.get("type" if record == "event" else "kind"):
            raise ValueError(f"{path}:{n}: missing {'type' if record == 'event' else 'kind'}")
        lines.append(obj)
    return lines


def title_digest(title: str) -> str:
    """How gold files name an article by headline without quoting it: SHA-256 of the
    whitespace-normalised title."""
    return hashlib.sha256(_norm(title).encode("utf-8")).hexdigest()


def _ref_text(ref: dict[str, Any]) -> str:
    key = next(k for k in _REF_KEYS if ref.get(k))
    return f"{key}={ref[key]!r}"


def _resolve(rows: list[Any], ref: dict[str, Any]) -> list[str]:
    if ref.get("source_id"):
        return [r.id for r in rows if r.source_id == str(ref["source_id"])]
    if ref.get("title"):
        title = _norm(ref["title"])
        return [r.id for r in rows if r.title and _norm(r.title) == title]
    if ref.get("title_sha256"):
        return [r.id for r in rows if r.title and title_digest(r.title) == ref["title_sha256"]]
    tail = str(ref["path"]).replace("\\", "/")
    return [
        r.id
        for r in rows
        if r.path
        and ((p := r.path.replace("\\", "/")) == tail or p.endswith("/" + tail.lstrip("/")))
    ]


def _score(gold: list[_Rec], pred: list[_Rec], ok: _Ok, groups: int) -> tuple[list, Score, dict]:
    """Match per gold-article group; return the pairs, the overall and the per-type scores."""
    pairs: list[tuple[_Rec, _Rec]] = []
    for group in range(groups):
        gs, ps = [g for g in gold if g.group == group], [p for p in pred if p.group == group]
        pairs += [(gs[i], ps[j]) for i, j in _matching(gs, ps, ok).items()]
    per: dict[str, Score] = {}
    for g in gold:
        per.setdefault(g.type, Score()).gold += 1
    for p in pred:
        per.setdefault(p.type, Score()).predicted += 1
    for g, _ in pairs:
        per[g.type].tp += 1
    return pairs, Score(len(pairs), len(gold), len(pred)), per


def _predicted(store: Store, group_of: dict[str, int], refs: dict[int, str]) -> tuple[list, list]:
    """Predicted events and facts read from the gold articles, one per (record, group)."""
    ids, units = list(group_of), {}
    with store.engine.connect() as conn:
        for table, key in ((t.event_mentions, "event_id"), (t.fact_mentions, "fact_id")):
            query = (  # a total order: the same answer on every backend
                select(table)
                .where(table.c.article_id.in_(ids))
                .order_by(table.c.start, table.c.article_id, table.c[key])
            )
            units[key] = {}
            for row in conn.execute(query):
                units[key].setdefault((row._mapping[key], group_of[row.article_id]), row.text)
        eids = {e for e, _ in units["event_id"]}
        ev_rows = {r.id: r for r in conn.execute(select(t.events).where(t.events.c.id.in_(eids)))}
        parts: dict[str, list[Any]] = {}
        query = (
            select(t.event_participants, t.actors.c.kind)
            .select_from(t.event_participants.outerjoin(t.actors))
            .where(t.event_participants.c.event_id.in_(eids))
            .order_by(t.event_participants.c.position)
        )
        for r in conn.execute(query):
            parts.setdefault(r.event_id, []).append(r)
        fids = {f for f, _ in units["fact_id"]}
        fact_rows = {r.id: r for r in conn.execute(select(t.facts).where(t.facts.c.id.in_(fids)))}
    preds = []
    for (eid, group), text in units["event_id"].items():
        row, ps = ev_rows[eid], parts.get(eid, [])
        actor = _codes([p.code for p in ps if p.role == "actor"])
        recipient = _codes([p.code for p in ps if p.role == "recipient"])
        persons = tuple(p.code for p in ps if p.kind == "person")
        preds.append(
            _Rec(group, refs[group], row.type.upper(), actor, recipient, row.date, text, persons)
        )
    pred_facts = []
    for (fid, group), text in units["fact_id"].items():
        row = fact_rows[fid]
        data = {k: row._mapping[k] for k in _FACT_KEYS}
        pred_facts.append(_Rec(group, refs[group], row.kind, text=text, data=data))
    return preds, pred_facts


def evaluate(store: Store, gold_path: str | Path) -> EvalReport:
    """Score the events and facts in ``store`` against the gold JSON Lines file."""
    path = Path(gold_path)
    lines = _read_gold(path)
    report = EvalReport(gold_path=str(path))
    with store.engine.connect() as conn:
        cols = (t.articles.c.id, t.articles.c.source_id, t.articles.c.title, t.articles.c.path)
        rows = list(conn.execute(select(*cols).order_by(t.articles.c.seq)))
    parent: dict[str, str] = {}  # union-find: references sharing an article are one group

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    resolved = [_resolve(rows, obj["article"]) for obj in lines]
    unresolved: dict[str, Counter[str]] = {}
    for obj, ids in zip(lines, resolved, strict=True):
        ref = _ref_text(obj["article"])
        if not ids:
            unresolved.setdefault(ref, Counter())[obj.get("record", "event")] += 1
        elif len(ids) > 1 and all(a["ref"] != ref for a in report.ambiguous):
            report.ambiguous.append({"ref": ref, "articles": len(ids)})
        for other in ids:  # also registers single articles
            parent[find(other)] = find(ids[0])
    roots = sorted({find(a) for a in list(parent)})
    gid = {root: i for i, root in enumerate(roots)}
    group_of = {a: gid[find(a)] for a in parent}
    refs: dict[int, str] = {}
    gold_events, gold_facts = [], []
    for obj, ids in zip(lines, resolved, strict=True):
        group = group_of[ids[0]] if ids else None
        ref, text = _ref_text(obj["article"]), obj.get("text")
        if group is not None:
            refs.setdefault(group, ref)
        if obj.get("record") == "article":
            continue  # an annotated article: its predictions count even with no gold event
        if obj.get("record") == "fact":
            data = {k: obj[k] for k in _FACT_KEYS if k in obj}
            gold_facts.append(_Rec(group, ref, str(obj["kind"]), text=text, data=data))
        else:
            actor, recipient = _codes(obj.get("actor")), _codes(obj.get("recipient"))
            gold_events.append(
                _Rec(group, ref, str(obj["type"]).upper(), actor, recipient, obj.get("date"), text)
            )
    report.gold_articles = len(roots)
    report.unresolved = [
        {"ref": r, "events": c["event"], "facts": c["fact"]} for r, c in unresolved.items()
    ]
    preds, pred_facts = _predicted(store, group_of, refs)

    full, report.events, report.per_type = _score(gold_events, preds, _event_ok, len(roots))
    typed, report.type_only, _ = _score(gold_events, preds, _same_type, len(roots))
    for g, p in typed:
        report.code_accuracy.add(_codes_ok(g, p))
        if g.date:
            report.date_accuracy.add(_date_ok(g.date, p.date))
        for code in p.persons:
            report.person_code_accuracy.add(bool(code) and code.upper() in g.actor | g.recipient)
    partner = {id(g): p for g, p in typed} | {id(p): g for g, p in typed}
    matched = {id(r) for pair in full for r in pair}
    for recs, out in ((gold_events, report.misses), (preds, report.false_positives)):
        for rec in recs:
            if id(rec) not in matched:
                near = partner.get(id(rec))
                out.append({**rec.show(), "type_match": near and near.show()})

    pairs, report.facts, report.facts_per_kind = _score(
        gold_facts, pred_facts, _fact_ok, len(roots)
    )
    matched = {id(r) for pair in pairs for r in pair}
    report.fact_misses = [g.show() for g in gold_facts if id(g) not in matched]
    report.fact_false_positives = [p.show() for p in pred_facts if id(p) not in matched]
    return report


def _row(label: str, s: Score) -> str:
    return (
        f"  {label:<22}{s.gold:>6}{s.predicted:>6}{s.tp:>6}"
        f"{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
    )


def _ratio(label: str, r: Ratio, note: str) -> str:
    value = "   n/a" if r.value is None else f"{r.value:6.3f}"
    return f"  {label:<22}{value}  ({r.correct}/{r.total} {note})"


def _brief(rec: dict[str, Any]) -> str:
    if "kind" in rec:
        fields = [f"{k}={rec[k]}" for k in _FACT_KEYS[1:] if rec.get(k) not in (None, [])]
        what = f"{rec['kind']} {' '.join(fields)}"
    else:
        to = f" -> {','.join(rec['recipient'])}" if rec["recipient"] else ""
        what = f"{rec['type']} {','.join(rec['actor']) or '?'}{to} {rec['date'] or '-'}"
    text = _norm(rec.get("text") or "")
    return f"[{rec['article']}] {what}" + (f" | {text[:120]}" if text else "")


def format_report(report: EvalReport, fmt: str = "text", verbose: bool = False) -> str:
    """The report as plain aligned text (``verbose`` adds misses and false positives) or JSON."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; choose text or json")
    r, head = report, f"  {'':<22}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"
    out = [
        f"diplograph eval: {r.gold_path}",
        f"{r.gold_articles} gold articles found in the store; predictions are the events "
        "mentioned in them, one per (event, article)",
    ]
    if r.unresolved:
        n_ev, n_f = sum(u["events"] for u in r.unresolved), sum(u["facts"] for u in r.unresolved)
        out.append(
            f"WARNING: {len(r.unresolved)} gold article reference(s) not found in the "
            f"store; their {n_ev} event(s) and {n_f} fact(s) count as misses (recall):"
        )
        out += [f"  {u['ref']} ({u['events']} events, {u['facts']} facts)" for u in r.unresolved]
    out += [
        f"note: {a['ref']} matches {a['articles']} stored articles (pooled)" for a in r.ambiguous
    ]
    out += ["", "events", head, _row("full match", r.events), _row("type only", r.type_only)]
    out += ["", "by type (recall by gold type, precision by predicted type)", head]
    out += [_row(t, s) for t, s in sorted(r.per_type.items())]
    out += [
        "",
        "diagnostics over type-only pairs",
        _ratio("actor/recipient codes", r.code_accuracy, "pairs"),
        _ratio("person codes", r.person_code_accuracy, "predicted person participants"),
        _ratio("dates", r.date_accuracy, "pairs with a gold date"),
    ]
    if r.facts.gold or r.facts.predicted:
        out += ["", "facts", head, _row("all", r.facts)]
        out += [_row(k, s) for k, s in sorted(r.facts_per_kind.items())]
    if verbose:
        for title in ("misses", "false_positives", "fact_misses", "fact_false_positives"):
            items = getattr(r, title)
            if items:
                out += ["", f"{title.replace('_', ' ')} ({len(items)})"] + [
                    f"  {_brief(i)}" for i in items
                ]
    return "\n".join(out) + "\n"

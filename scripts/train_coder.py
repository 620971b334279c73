"""Train the event coder's trigger and role models from annotated articles.

    .venv/bin/python scripts/train_coder.py tests/gold/train/*.jsonl
    .venv/bin/python scripts/train_coder.py tests/gold/train/*.jsonl --cv 5   # report only

Reads the annotations (offsets into the articles of ../shared/corpus, written by
``scripts/annotate.py``), runs the pipeline's parse, actor resolution and argument
candidates on those articles, labels every candidate word (event type or "O") and every
(trigger, candidate) pair (actor / recipient / none), fits two multinomial logistic
regressions (scikit-learn) and writes them to ``src/diplograph/data/coder/`` as JSON.

``--cv K`` reports, over K folds by article, the trigger and role classifiers' own scores
and the end-to-end event score the way ``diplograph eval`` counts it (type, actor and
recipient codes, date), for the trained coder and for the lexicon rules alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotate import AnnotationError, article_ref  # noqa: E402

from diplograph.extract.actors import resolve_actors  # noqa: E402
from diplograph.extract.analyze import localise_stateless  # noqa: E402
from diplograph.extract.arguments import ArgumentFinder  # noqa: E402
from diplograph.extract.coder import NO_EVENT, NO_ROLE, EventCoder, Thresholds  # noqa: E402
from diplograph.extract.events import EventExtractor  # noqa: E402
from diplograph.extract.features import (  # noqa: E402
    Frame,
    SentenceContext,
    article_tone,
    candidate_ranks,
    is_candidate,
    lexical_role,
    role_features,
    trigger_features,
)
from diplograph.extract.lexicon import Lexicon  # noqa: E402
from diplograph.extract.linear import LinearModel  # noqa: E402
from diplograph.extract.registry import ActorRegistry  # noqa: E402
from diplograph.kb.evaluate import Score, match_count  # noqa: E402
from diplograph.models import ActorMention, Article, DateMention, Event  # noqa: E402
from diplograph.nlp.dates import find_dates  # noqa: E402
from diplograph.nlp.pipeline import gazetteer, load_nlp  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "diplograph" / "data" / "coder"
SEEDS_DIGESTS = ("seeds/002_27ebbd8261c99c81.txt",)


@dataclass
class Item:
    """One annotated article, parsed and resolved once."""

    name: str
    article: Article
    doc: Any
    mentions: list[ActorMention]
    dates: list[DateMention]
    gold: list[dict[str, Any]]


@dataclass
class Examples:
    """Feature lists and labels, with the article each came from (for folds)."""

    features: list[list[str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    def add(self, features: list[str], label: str, group: int) -> None:
        self.features.append(features)
        self.labels.append(label)
        self.groups.append(group)


def _name(ref: dict[str, Any]) -> str:
    if "source_id" in ref:
        return ref["source_id"]
    if "path" in ref:
        return ref["path"]
    for digest in SEEDS_DIGESTS:
        for k in range(1, 20):
            try:
                _, found = article_ref(f"{digest}#{k}")
            except AnnotationError:
                break
            if found == ref:
                return f"{digest}#{k}"
    raise AnnotationError(f"cannot find the article {ref}")


def read_annotations(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """Events by article name; every annotated article is a key (maybe with no events)."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            key = json.dumps(obj["article"], sort_keys=True)
            if key not in names:
                names[key] = _name(obj["article"])
            events = by_article.setdefault(names[key], [])
            if obj.get("record", "event") == "event" and "trigger" in obj:
                events.append(obj)
    return by_article


def load_items(annotations: dict[str, list[dict[str, Any]]]) -> list[Item]:
    nlp, registry = load_nlp(), ActorRegistry.starter()
    names = sorted(annotations)
    articles = [article_ref(n)[0] for n in names]
    items = []
    states = frozenset(gazetteer().states)
    texts = nlp.pipe(a.text for a in articles)
    for name, article, doc in zip(names, articles, texts, strict=True):
        mentions = localise_stateless(
            resolve_actors(doc, article, registry), states, doc, gazetteer()
        )
        dates = find_dates(article.text, article.published)
        items.append(Item(name, article, doc, mentions, dates, annotations[name]))
    return items


def _lexicon_type(token: Any, lexicon: Lexicon) -> str | None:
    lemma = token.lemma_.lower()
    entry = lexicon.verbs.get(lemma) if token.pos_ == "VERB" else lexicon.nouns.get(lemma)
    return entry.type if entry is not None else None


def _arg_label(doc: Any, arg: Any, spans: dict[str, list[tuple[int, int]]]) -> str:
    c0 = doc[arg.start].idx
    c1 = doc[arg.end - 1].idx + len(doc[arg.end - 1])
    for role in ("actor", "recipient"):
        if any(_overlaps(c0, c1, a, b) for a, b in spans[role]):
            return role
    return NO_ROLE


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def build_examples(
    items: list[Item], positions: list[tuple[int, int, int]] | None = None
) -> tuple[Examples, Examples, Counter]:
    """Trigger and role examples; ``positions`` (when given) receives, for each trigger
    example, (item index, token index, sentence start token)."""
    lexicon = Lexicon.load()
    rules = EventExtractor(lexicon, gazetteer())
    triggers, roles = Examples(), Examples()
    stats: Counter = Counter()
    for group, item in enumerate(items):
        doc = item.doc
        finder = ArgumentFinder(doc, item.mentions, gazetteer())
        trigger_at: dict[int, dict[str, Any]] = {}
        types_at: dict[int, set[str]] = {}  # sentence start -> types of gold events read there
        for event in item.gold:
            span = doc.char_span(
                event["trigger"]["start"], event["trigger"]["end"], alignment_mode="expand"
            )
            if span is not None and len(span):
                trigger_at.setdefault(span[0].i, event)
            starts = [event["evidence"]["start"]] + [m["start"] for m in event.get("mentions", [])]
            for start in starts:
                types_at.setdefault(start, set()).add(event["type"])
        stats["gold_events"] += len(item.gold)
        recent: list = []
        tone = article_tone(doc, lexicon)
        for sentence in doc.sents:
            args = finder.candidates(sentence, recent)
            mention_at = {i: a for a in args for i in range(a.start, a.end)}
            rule = {c.anchor.i: c.trigger for c in rules._candidates(sentence)}
            # words naming an event the annotator coded with another word of the sentence (or
            # of a sentence restating it) are not counted as negatives
            coded_types = set().union(
                *(t for s, t in types_at.items() if abs(sentence.start_char - s) <= 2)
            )
            ctx = SentenceContext(sentence, tone)
            for token in sentence:
                event = trigger_at.get(token.i)
                candidate = is_candidate(token, finder.covered)
                if event is None and (not candidate or not args):
                    continue
                rule_type = rule[token.i].type if token.i in rule else None
                if (
                    event is None
                    and coded_types
                    and (rule_type in coded_types or _lexicon_type(token, lexicon) in coded_types)
                ):
                    stats["negatives_skipped"] += 1
                    continue
                if event is not None:
                    stats["triggers_found"] += 1
                    stats["triggers_candidate"] += candidate
                    stats["triggers_with_args"] += bool(args)
                features = trigger_features(token, lexicon, mention_at, rule.get(token.i), ctx)
                triggers.add(features, event["type"] if event else NO_EVENT, group)
                if positions is not None:
                    positions.append((group, token.i, sentence.start))
                if event is None or not args:
                    continue
                spans = {
                    role: [(p["start"], p["end"]) for p in event[role] if "start" in p]
                    for role in ("actor", "recipient")
                }
                how = lexical_role(token, lexicon, rule.get(token.i))
                labels = [_arg_label(doc, arg, spans) for arg in args]
                # a pronoun or collective standing for a labelled mention shares its label
                by_entity = {
                    a.participant.entity_id: label
                    for a, label in zip(args, labels, strict=True)
                    if label != NO_ROLE
                }
                labels = [
                    by_entity.get(a.participant.entity_id, NO_ROLE)
                    if label == NO_ROLE and a.kind in {"pronoun", "collective"}
                    else label
                    for a, label in zip(args, labels, strict=True)
                ]
                aligned = sum(label != NO_ROLE for label in labels)
                frame, ranks = Frame(token, lexicon), candidate_ranks(token, args)
                for arg, label, rank in zip(args, labels, ranks, strict=True):
                    features = role_features(
                        token, event["type"], arg, sentence, len(args), ctx, how, frame, rank
                    )
                    roles.add(features, label, group)
                parties = [a.participant for a in args if a.kind != "collective"]
                codes = {p["code"] for r in ("actor", "recipient") for p in event[r]}
                if event["type"] == "CONSULT" and len(codes) >= 2:
                    recent = list({p.entity_id: p for p in parties if p.code in codes}.values())
                stats["role_events"] += 1
                stats["role_events_aligned"] += aligned > 0
    return triggers, roles, stats


def recipient_types(items: list[Item], share: float = 0.5) -> list[str]:
    """Event types whose annotated events name a recipient at least ``share`` of the time."""
    total, with_recipient = Counter(), Counter()
    for item in items:
        for event in item.gold:
            total[event["type"]] += 1
            with_recipient[event["type"]] += bool(event["recipient"])
    return sorted(t for t in total if with_recipient[t] >= share * total[t])


MIN_COUNT = 2  # a feature seen once is noise for the model and weight in the file


def fit(examples: Examples, c: float, indices: list[int] | None = None) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = range(len(examples.labels)) if indices is None else indices
    counts = Counter(f for i in rows for f in set(examples.features[i]))
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(
        [
            dict.fromkeys((f for f in examples.features[i] if counts[f] >= MIN_COUNT), 1)
            for i in rows
        ]
    )
    y = [examples.labels[i] for i in rows]
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, y)
    labels = [str(label) for label in model.classes_]
    if len(labels) == 2:  # binary: one row of weights, for the second class
        coef = [[-w / 2 for w in model.coef_[0]], [w / 2 for w in model.coef_[0]]]
        bias = [-model.intercept_[0] / 2, model.intercept_[0] / 2]
    else:
        coef, bias = model.coef_.tolist(), model.intercept_.tolist()
    weights = {}
    for j, name in enumerate(vectorizer.get_feature_names_out()):
        row = [round(float(coef[k][j]), 4) for k in range(len(labels))]
        if max(abs(w) for w in row) >= 0.005:
            weights[str(name)] = row
    return LinearModel(labels, [round(float(b), 4) for b in bias], weights)


def _folds(groups: list[int], k: int, seed: int = 13) -> list[set[int]]:
    unique = sorted(set(groups))
    random.Random(seed).shuffle(unique)
    return [set(unique[i::k]) for i in range(k)]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "P": round(p, 3),
        "R": round(r, 3),
        "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


def item_scores(held: list[tuple[str, dict[str, float]]], null: str) -> dict[float, dict]:
    out = {}
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
        tp = fp = fn = 0
        for gold, probs in held:
            best = max((x for x in probs if x != null), key=probs.__getitem__)
            label = best if 1 - probs.get(null, 0.0) >= threshold else null
            if label != null and label == gold:
                tp += 1
            else:
                fp += label != null
                fn += gold != null
        out[threshold] = _prf(tp, fp, fn)
    return out


def extract(item: Item, extractor: EventExtractor) -> list[Event]:
    return extractor.extract(item.doc, item.article, item.mentions, item.dates)


def end_to_end(items: list[Item], events: list[list[Event]]) -> Score:
    total = Score()
    for item, predicted in zip(items, events, strict=True):
        total.tp += match_count(item.gold, predicted)
        total.gold += len(item.gold)
        total.predicted += len(predicted)
    return total


def cross_validate(
    items: list[Item], triggers: Examples, roles: Examples, args: argparse.Namespace
) -> None:
    lexicon = Lexicon.load()
    held_t: list[tuple[str, dict[str, float]]] = []
    held_r: list[tuple[str, dict[str, float]]] = []
    grid = [tuple(float(v) for v in x.split("/")) for x in args.thresholds.split(",")]
    coded = {t: Score() for t in grid}
    ruled = Score()
    rule_extractor = EventExtractor(lexicon, gazetteer())
    for fold in _folds(list(range(len(items))), args.cv):
        test = sorted(fold)
        t_model = fit(
            triggers, args.c_trigger, [i for i, g in enumerate(triggers.groups) if g not in fold]
        )
        r_model = fit(roles, args.c_role, [i for i, g in enumerate(roles.groups) if g not in fold])
        r_model.meta["recipient_types"] = recipient_types(
            [items[i] for i in range(len(items)) if i not in fold]
        )
        held_t += [
            (triggers.labels[i], t_model.probabilities(triggers.features[i]))
            for i, g in enumerate(triggers.groups)
            if g in fold
        ]
        held_r += [
            (roles.labels[i], r_model.probabilities(roles.features[i]))
            for i, g in enumerate(roles.groups)
            if g in fold
        ]
        fold_items = [items[i] for i in test]
        for threshold in grid:
            coder = EventCoder(lexicon, t_model, r_model)
            coder.thresholds = replace(
                coder.thresholds, trigger=threshold[0], trigger_rule=threshold[1]
            )
            extractor = EventExtractor(lexicon, gazetteer(), coder)
            score = end_to_end(fold_items, [extract(i, extractor) for i in fold_items])
            for key in ("tp", "gold", "predicted"):
                setattr(coded[threshold], key, getattr(coded[threshold], key) + getattr(score, key))
        score = end_to_end(fold_items, [extract(i, rule_extractor) for i in fold_items])
        for key in ("tp", "gold", "predicted"):
            setattr(ruled, key, getattr(ruled, key) + getattr(score, key))
    print("trigger items:", item_scores(held_t, NO_EVENT))
    print("role items:", item_scores(held_r, NO_ROLE))
    print("end to end, lexicon rules:", ruled.as_dict())
    for threshold, score in coded.items():
        print(f"end to end, coder (trigger >= {threshold}):", score.as_dict())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--cv", type=int, default=0, help="report K-fold scores (no writing)")
    parser.add_argument("--c-trigger", type=float, default=1.0)
    parser.add_argument("--c-role", type=float, default=0.5)
    parser.add_argument(
        "--thresholds",
        default="0.4/0.3,0.5/0.3,0.4/0.2",
        help="trigger thresholds to compare with --cv, each WORD/RULE_WORD",
    )
    parser.add_argument("--trigger-threshold", type=float, default=Thresholds().trigger)
    parser.add_argument("--rule-threshold", type=float, default=Thresholds().trigger_rule)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    annotations = read_annotations(args.files)
    items = load_items(annotations)
    triggers, roles, stats = build_examples(items)
    print(
        f"{len(items)} articles, {stats['gold_events']} events; "
        f"{len(triggers.labels)} trigger examples, {len(roles.labels)} role examples; "
        f"{dict(stats)} ({time.perf_counter() - started:.0f} s)"
    )
    print("trigger labels:", dict(Counter(triggers.labels).most_common()))
    print("role labels:", dict(Counter(roles.labels).most_common()))
    if args.cv:
        cross_validate(items, triggers, roles, args)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, examples, c in (
        ("triggers", triggers, args.c_trigger),
        ("roles", roles, args.c_role),
    ):
        model = fit(examples, c)
        model.meta = {
            "trained_on": sorted(Path(f).name for f in args.files),
            "articles": len(items),
            "examples": len(examples.labels),
            "C": c,
            "labels": dict(Counter(examples.labels)),
        }
        if name == "roles":
            model.meta["recipient_types"] = recipient_types(items)
        if name == "triggers":
            model.meta["thresholds"] = {
                "trigger": args.trigger_threshold,
                "trigger_rule": args.rule_threshold,
            }
        path = args.out / f"{name}.json.gz"
        model.save(str(path))
        print(f"wrote {path} ({len(model.weights)} features, {path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Annotation tool for the event coder's gold and training files (a developer tool).

Annotators read an article as the pipeline splits it into sentences, write their events as
JSON Lines that name sentences by number and quote only the trigger word and the actor
mentions, and this tool turns those lines into the offset-only files kept in tests/gold/
(no third-party text is committed: see tests/gold/GUIDELINES.md).

    python scripts/annotate.py show guardian-045 reuters-17 bbc-politics/001.txt
    python scripts/annotate.py check raw/guardian-045.jsonl
    python scripts/annotate.py convert raw/*.jsonl -o tests/gold/train/guardian-b.jsonl

References: a JSONL ``id`` of the shared corpus (``guardian-045``, ``reuters-17``) or of the
team's own articles in tests/gold/synthetic/*.articles.jsonl (``synth-dip-004``), or a path
under ../shared/corpus (``bbc-politics/001.txt``, ``seeds/000_9c557d8994a7c5fe.txt``; a
digest's items are numbered ``seeds/002_....txt#3``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from diplograph.ingest.sources import Source, read_source
from diplograph.models import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIPLOGRAPH_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
JSONL = {
    "guardian": CORPUS / "guardian-2019" / "guardian-world-sample.jsonl",
    "reuters": CORPUS / "reuters-21578" / "reuters-21578.jsonl",
}
# the team's own articles, written for training and testing (text committed with them)
SYNTHETIC = REPO / "tests" / "gold" / "synthetic"
TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
PRECISIONS = {"day": 10, "month": 7, "year": 4}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class AnnotationError(ValueError):
    """A raw annotation line that cannot be converted, with the reason."""


@dataclass
class Sentences:
    article: Article
    ref: dict[str, str]
    spans: list[tuple[int, int]]  # character offsets of sentence 1..n (index 0 = sentence 1)

    def text(self, number: int) -> str:
        start, end = self.span(number)
        return self.article.text[start:end]

    def span(self, number: int) -> tuple[int, int]:
        if not 1 <= number <= len(self.spans):
            raise AnnotationError(f"sentence {number} does not exist (1..{len(self.spans)})")
        return self.spans[number - 1]


@cache
def _nlp() -> Any:
    from diplograph.nlp.pipeline import load_nlp

    return load_nlp()


@cache
def _jsonl_index(corpus: str) -> dict[str, Article]:
    paths = sorted(SYNTHETIC.glob("*.articles.jsonl")) if corpus == "synth" else [JSONL[corpus]]
    found: dict[str, Article] = {}
    for path in paths:
        for article, _ in read_source(Source(str(path), "jsonl")):
            if isinstance(article, Article) and article.source_id:
                found[article.source_id] = article
    return found


def _file_articles(relative: str) -> list[Article]:
    path = CORPUS / relative
    if not path.is_file():
        raise AnnotationError(f"no such file under {CORPUS}: {relative}")
    found = [a for a, _ in read_source(Source(str(path), "text")) if isinstance(a, Article)]
    if not found:
        raise AnnotationError(f"{relative}: no article read")
    return found


def article_ref(name: str) -> tuple[Article, dict[str, str]]:
    """The article a reference names and the ``article`` object gold lines use for it."""
    corpus = name.split("-", 1)[0]
    if (corpus in JSONL or corpus == "synth") and "/" not in name:
        article = _jsonl_index(corpus).get(name)
        if article is None:
            where = SYNTHETIC if corpus == "synth" else JSONL[corpus]
            raise AnnotationError(f"no article with id {name!r} in {where}")
        return article, {"source_id": name}
    relative, _, item = name.partition("#")
    articles = _file_articles(relative)
    if len(articles) == 1 and not item:
        return articles[0], {"path": relative}
    if not item:
        raise AnnotationError(f"{relative} holds {len(articles)} articles: name one as #1..")
    index = int(item)
    if not 1 <= index <= len(articles):
        raise AnnotationError(f"{relative} has items #1..#{len(articles)}")
    article = articles[index - 1]
    if not article.title:
        raise AnnotationError(f"{name}: a digest item without a headline cannot be named")
    return article, {"title": article.title}


def ref_name(ref: dict[str, Any]) -> str:
    if "source_id" in ref:
        return ref["source_id"]
    if "name" in ref:
        return ref["name"]
    if "path" in ref:
        return ref["path"]
    raise AnnotationError(f"article reference needs source_id, path or name: {ref}")


_SENTENCES: dict[str, Sentences] = {}


def sentences(name: str) -> Sentences:
    if name not in _SENTENCES:
        article, ref = article_ref(name)
        doc = _nlp()(article.text)
        spans = []
        for sent in doc.sents:
            text = sent.text
            lead = len(text) - len(text.lstrip())
            if text.strip():
                spans.append((sent.start_char + lead, sent.start_char + len(text.rstrip())))
        _SENTENCES[name] = Sentences(article, ref, spans)
    return _SENTENCES[name]


def show(name: str) -> str:
    s = sentences(name)
    a = s.article
    head = [
        f"=== {name}",
        f"published: {a.published or 'unknown'} | dateline: {a.dateline or '-'} | "
        f"source: {a.source or '-'}",
    ]
    if a.title:
        head.append(f"title: {a.title}")
    out, last_end = head, 0
    for number, (start, end) in enumerate(s.spans, 1):
        if "\n\n" in a.text[last_end:start]:
            out.append("")
        out.append(f"[{number}] {' '.join(a.text[start:end].split())}")
        last_end = end
    return "\n".join(out) + "\n"


def _find(text: str, needle: str, occurrence: int, what: str) -> int:
    """Offset of the n-th occurrence of ``needle`` in ``text`` (whitespace-insensitive)."""
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    hits = [m.start() for m in re.finditer(pattern, text)]
    if not hits:
        hits = [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]
    if not hits:
        raise AnnotationError(f"{what} {needle!r} is not in the sentence")
    if occurrence > len(hits):
        raise AnnotationError(f"{what} {needle!r} occurs {len(hits)} time(s), not {occurrence}")
    return hits[occurrence - 1]


def _span_of(text: str, needle: str, occurrence: int, what: str) -> tuple[int, int]:
    start = _find(text, needle, occurrence, what)
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    match = re.compile(pattern, re.IGNORECASE).match(text, start)
    assert match is not None
    return start, match.end()


def _participants(raw: Any, s: Sentences, number: int, role: str) -> list[dict[str, Any]]:
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        raise AnnotationError(f"{role} must be a list of {{text, code}} objects")
    out = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("code"):
            raise AnnotationError(f"every {role} needs a code: {item}")
        code = str(item["code"]).strip().upper()
        entry: dict[str, Any] = {"code": code}
        if item.get("name"):
            entry["name"] = item["name"]
        text = item.get("text")
        if text:
            where = int(item.get("s", number))
            start, end = s.span(where)
            a, b = _span_of(s.article.text[start:end], text, int(item.get("n", 1)), role)
            entry["start"], entry["end"] = start + a, start + b
        out.append(entry)
    return out


def convert_line(raw: dict[str, Any]) -> dict[str, Any]:
    """One raw annotation line → one offset-only gold line."""
    ref = raw.get("article")
    if not isinstance(ref, dict):
        raise AnnotationError("missing 'article'")
    name = ref_name(ref)
    s = sentences(name)
    if raw.get("record") == "article":
        return {"record": "article", "article": s.ref}
    type_ = str(raw.get("type", "")).upper()
    if type_ not in TYPES:
        raise AnnotationError(f"unknown type {raw.get('type')!r}")
    number = raw.get("s")
    if not isinstance(number, int):
        raise AnnotationError("'s' (the sentence number) must be an integer")
    start, end = s.span(number)
    sentence = s.article.text[start:end]
    out: dict[str, Any] = {"article": s.ref, "type": type_}
    out["mode"] = raw.get("mode")
    aux = raw.get("aux")
    if aux not in (None, "future", "historical"):
        raise AnnotationError(f"aux must be null, 'future' or 'historical', not {aux!r}")
    out["aux"] = aux
    out["actor"] = _participants(raw.get("actor"), s, number, "actor")
    out["recipient"] = _participants(raw.get("recipient"), s, number, "recipient")
    if not out["actor"]:
        raise AnnotationError("an event needs at least one actor")
    date, precision = raw.get("date"), raw.get("date_precision")
    if date is not None:
        if not _DATE.match(str(date)):
            raise AnnotationError(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if precision is None:
            precision = {4: "year", 7: "month", 10: "day"}[len(str(date))]
        if PRECISIONS.get(precision) != len(str(date)):
            raise AnnotationError(f"date {date!r} does not have precision {precision!r}")
    out["date"], out["date_precision"] = date, precision
    out["evidence"] = {"start": start, "end": end}
    trigger = raw.get("trigger")
    if not trigger:
        raise AnnotationError("missing 'trigger' (the word that names the event)")
    a, b = _span_of(sentence, str(trigger), int(raw.get("trigger_n", 1)), "trigger")
    out["trigger"] = {"start": start + a, "end": start + b}
    also = raw.get("also") or []
    out["mentions"] = [{"start": x, "end": y} for x, y in (s.span(int(n)) for n in also)]
    for key in ("note",):
        if raw.get(key):
            out[key] = raw[key]
    return out


def convert_file(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    lines, errors = [], []
    seen_articles: set[str] = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise AnnotationError("not a JSON object")
            line = convert_line(raw)
        except (AnnotationError, json.JSONDecodeError, ValueError, TypeError) as exc:
            errors.append(f"{path}:{number}: {exc}")
            continue
        key = json.dumps(line["article"], sort_keys=True)
        if line.get("record") != "article" and key not in seen_articles:
            lines.append({"record": "article", "article": line["article"]})
        seen_articles.add(key)
        if line.get("record") == "article" and any(
            x.get("record") == "article" and x["article"] == line["article"] for x in lines
        ):
            continue
        lines.append(line)
    return lines, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show", help="print articles as numbered sentences")
    p_show.add_argument("refs", nargs="+")
    p_check = sub.add_parser("check", help="validate raw annotation files")
    p_check.add_argument("files", nargs="+", type=Path)
    p_conv = sub.add_parser("convert", help="raw annotation files -> one offset-only gold file")
    p_conv.add_argument("files", nargs="+", type=Path)
    p_conv.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "show":
        status = 0
        for name in args.refs:
            try:
                sys.stdout.write(show(name) + "\n")
            except AnnotationError as exc:
                print(f"error: {exc}", file=sys.stderr)
                status = 1
        return status
    all_lines, all_errors = [], []
    for file in args.files:
        lines, errors = convert_file(file)
        all_lines += lines
        all_errors += errors
        events = sum(1 for x in lines if x.get("record") != "article")
        articles = sum(1 for x in lines if x.get("record") == "article")
        print(f"{file}: {articles} article(s), {events} event(s), {len(errors)} error(s)")
    for error in all_errors:
        print(error, file=sys.stderr)
    if args.command == "convert":
        if all_errors:
            print("not written: fix the errors first", file=sys.stderr)
            return 1
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as out:
            for line in all_lines:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        print(f"wrote {args.output}")
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())

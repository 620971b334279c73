"""JSON Lines articles (one object per line, only ``text`` required), read as a stream."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from diplograph.ingest.body import clean_body, dateline_place, make_article
from diplograph.ingest.dates import normalise_published
from diplograph.ingest.decode import decode_bytes
from diplograph.ingest.errors import Rejected
from diplograph.models import Article

MAX_LINE_BYTES = 16 * 1024 * 1024
_SKIP_CHUNK = 1024 * 1024

# Field names other tools use for the same thing, tried in order.
_ALIASES = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publication_date"),
    "source": ("source", "agency", "publisher"),
    "byline": ("byline", "author"),
}


def read_jsonl(
    stream: IO[bytes], *, path: str | None = None
) -> Iterator[tuple[int, Article | Rejected]]:
    """Yield ``(line_number, Article or Rejected)`` for each non-blank line of ``stream``.

    Lines are read one at a time (memory stays flat whatever the file size); a line longer
    than ``MAX_LINE_BYTES`` is skipped without being held in memory.
    """
    line_number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        line_number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(_SKIP_CHUNK)
            yield (
                line_number,
                Rejected(f"line longer than {MAX_LINE_BYTES // 2**20} MiB", line=line_number),
            )
            continue
        if not raw.strip():
            continue
        try:
            yield line_number, article_from_record(_parse_line(raw), path=path)
        except Rejected as exc:
            exc.line = line_number
            yield line_number, exc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair is one character once decoded


def _loads(text: str) -> Any:
    """``json.loads``, with lone surrogates (``"\\ud800"``, not text in any encoding)
    replaced by U+FFFD so that nothing downstream chokes on them."""
    value = json.loads(text)
    return _without_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _parse_line(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, _ = decode_bytes(raw)
    try:
        record = _loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected(f"malformed JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(record, dict):
        raise Rejected(f"expected a JSON object, got {type(record).__name__}")
    return record


def _field(record: dict[str, Any], name: str) -> Any:
    for key in _ALIASES.get(name, (name,)):
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def article_from_record(record: dict[str, Any], *, path: str | None = None) -> Article:
    """An Article from one JSON object of the interface's article shape."""
    text = _field(record, "text")
    if not isinstance(text, str) or not text.strip():
        raise Rejected('no "text" field (the only required one)')
    published_raw = _field(record, "published")
    published = normalise_published(published_raw)
    if published_raw is not None and published is None:
        raise Rejected(f'unreadable "published" date {str(published_raw)[:40]!r}')
    dateline_raw = record.get("dateline")
    body = clean_body(text, find_dateline=not dateline_raw)
    title = _field(record, "title")
    source_id = record.get("id")
    return make_article(
        body,
        title=str(title).strip() if title else None,
        published=published,
        source=_as_text(_field(record, "source")),
        path=path,
        url=_as_text(record.get("url")),
        source_id=str(source_id) if source_id is not None else None,
        byline=_as_text(_field(record, "byline")),
        dateline=dateline_place(str(dateline_raw)) if dateline_raw else None,
    )


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return str(value).strip() or None


def read_json_document(data: str, *, path: str | None = None) -> Iterator[Article | Rejected]:
    """A whole ``.json`` file: one article object, or an array of them."""
    try:
        document = _loads(data)
    except json.JSONDecodeError as exc:
        raise Rejected(f"malformed JSON ({exc.msg}, line {exc.lineno})") from None
    records = document if isinstance(document, list) else [document]
    for index, record in enumerate(records, 1):
        try:
            if not isinstance(record, dict):
                raise Rejected(f"item {index}: expected a JSON object")
            yield article_from_record(record, path=path)
        except Rejected as exc:
            yield exc

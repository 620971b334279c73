"""What the pages need beyond the kb functions: article texts, places, highlighted evidence.

Everything else comes from :mod:`diplograph.kb` (find_events, actor_detail, relations,
timeline, calendar, search, build_graph, build_brief); these two reads have no kb function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select

from diplograph.store.database import Store
from diplograph.store.schema import articles, events


def article_texts(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id → the article's metadata and full text, for the articles ``ids``."""
    if not ids:
        return {}
    query = select(
        articles.c.id,
        articles.c.title,
        articles.c.published,
        articles.c.source,
        articles.c.dateline,
        articles.c.byline,
        articles.c.path,
        articles.c.url,
        articles.c.text,
    ).where(articles.c.id.in_(ids))
    with store.engine.connect() as connection:
        return {row.id: dict(row._mapping) for row in connection.execute(query)}


@dataclass(frozen=True)
class Place:
    """Where events happened: a country code (or organisation) and the place named."""

    code: str | None
    name: str | None
    events: int


def places(store: Store) -> list[Place]:
    """Events per (country code, place name) of their ``location``, busiest first."""
    code = events.c.location["code"].as_string()
    name = events.c.location["name"].as_string()
    n = func.count().label("n")
    query = (
        select(code.label("code"), name.label("name"), n)
        .where(events.c.location.is_not(None))
        .group_by(code, name)
        .order_by(n.desc(), code, name)
    )
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [Place(row.code, row.name, int(row.n)) for row in rows if row.code or row.name]


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without the white space at either end (a stored end may take the newline)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _spans(text: str, mentions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character ranges of the evidence in ``text``: the stored offsets, else a search."""
    spans = []
    for mention in mentions:
        start, end, said = mention.get("start"), mention.get("end"), mention.get("text") or ""
        fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
        if fits and (not said or text[start:end].strip() == said.strip()):
            spans.append((start, end))
            continue
        found = text.find(said) if said else -1
        if found >= 0:
            spans.append((found, found + len(said)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(_trimmed(text, span) for span in spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, mentions: list[dict[str, Any]]) -> tuple[Markup, int]:
    """``text`` escaped, with ``<mark>`` around each evidence span; and how many were marked."""
    spans = _spans(text, mentions)
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(str(escape(text[at:start])))
        out.append(f'<mark class="evidence">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out)), len(spans)

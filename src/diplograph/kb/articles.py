"""Articles and places as the API and the web app read them (the knowledge base's one layer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from diplograph.store.database import Store
from diplograph.store.schema import articles, event_mentions, events

_META = (
    articles.c.id,
    articles.c.title,
    articles.c.published,
    articles.c.source,
    articles.c.dateline,
    articles.c.byline,
    articles.c.path,
    articles.c.url,
    articles.c.ingested_at,
)


def list_articles(
    store: Store, source: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Article metadata (no text), newest publication first, undated last: one page."""
    where = [articles.c.source == source] if source is not None else []
    page = (
        select(*_META)
        .where(*where)
        .order_by(articles.c.published.desc().nulls_last(), articles.c.seq)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(articles).where(*where)
        ).scalar_one()
        items = [dict(row._mapping) for row in connection.execute(page)] if total > offset else []
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its text and paragraphs, and where each event's evidence sits in it
    (``events``: event id and character offsets into ``text``); None when unknown."""
    with store.engine.connect() as connection:
        row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        spans = connection.execute(
            select(
                event_mentions.c.event_id,
                event_mentions.c.start,
                event_mentions.c.end,
                event_mentions.c.text,
            )
            .where(event_mentions.c.article_id == article_id)
            .order_by(event_mentions.c.start, event_mentions.c.event_id)
        ).all()
    hidden = {"seq", "analysis_version", "search"}  # search: PostgreSQL's tsvector column
    record = {key: value for key, value in row._mapping.items() if key not in hidden}
    record["events"] = [dict(span._mapping) for span in spans]
    return record


def article_texts(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id → the article's metadata and full text, for the articles ``ids``."""
    if not ids:
        return {}
    query = select(*_META, articles.c.text).where(articles.c.id.in_(ids))
    with store.engine.connect() as connection:
        return {row.id: dict(row._mapping) for row in connection.execute(query)}


@dataclass(frozen=True)
class Place:
    """Where events happened: a country code (or organisation) and the place named."""

    code: str | None
    name: str | None
    events: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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

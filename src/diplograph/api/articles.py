"""Articles: a page of metadata (newest first), one article with its text, and store stats."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select

from diplograph.api import deps, models
from diplograph.kb.base import KnowledgeBase
from diplograph.store.schema import articles, event_mentions

router = APIRouter(route_class=deps.ApiRoute, tags=["articles"], responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]

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


@router.get("/articles", response_model=models.ArticlePage)
def list_articles(
    kb: KB,
    source: Annotated[str | None, Query(description="Only this source (exact name)")] = None,
    limit: Annotated[int, Query(ge=0, le=deps.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Article metadata (no text), newest publication first; undated articles last."""
    where = [articles.c.source == source] if source is not None else []
    page = (
        select(*_META)
        .where(*where)
        .order_by(articles.c.published.desc().nulls_last(), articles.c.seq)
        .limit(limit)
        .offset(offset)
    )
    with kb.store.engine.connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(articles).where(*where)
        ).scalar_one()
        items = [dict(row._mapping) for row in connection.execute(page)] if total > offset else []
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/articles/{article_id}", response_model=models.Article, responses=deps.NOT_FOUND)
def get_article(kb: KB, article_id: str) -> dict[str, Any]:
    """One article with its text and paragraphs, and where each event's evidence sits in it
    (``events``: event id and character offsets into ``text``)."""
    with kb.store.engine.connect() as connection:
        row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            raise deps.NotFound(f"no article with id {article_id!r}")
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
    record = {key: row._mapping[key] for key in row._mapping if key != "seq"}
    record.pop("analysis_version", None)
    record.pop("search", None)  # PostgreSQL's tsvector column
    record["events"] = [dict(span._mapping) for span in spans]
    return record


@router.get("/stats", tags=["store"])
def stats(kb: KB) -> dict[str, Any]:
    """What the store holds: counts of articles, events, actors and facts, and sources."""
    return kb.store.summary()

"""Articles: a page of metadata (newest first), one article with its text, and store stats."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from diplograph.api import deps, models
from diplograph.kb import articles as kb_articles
from diplograph.kb.base import KnowledgeBase

router = APIRouter(route_class=deps.ApiRoute, tags=["articles"], responses=deps.ERRORS)
KB = Annotated[KnowledgeBase, Depends(deps.kb)]


@router.get("/articles", response_model=models.ArticlePage)
def list_articles(
    kb: KB,
    source: Annotated[str | None, Query(description="Only this source (exact name)")] = None,
    limit: Annotated[int, Query(ge=0, le=deps.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Article metadata (no text), newest publication first; undated articles last."""
    return kb_articles.list_articles(kb.store, source, limit, offset)


@router.get("/articles/{article_id}", response_model=models.Article, responses=deps.NOT_FOUND)
def get_article(kb: KB, article_id: str) -> dict[str, Any]:
    """One article with its text and paragraphs, and where each event's evidence sits in it
    (``events``: event id and character offsets into ``text``)."""
    found = kb_articles.article(kb.store, article_id)
    if found is None:
        raise deps.NotFound(f"no article with id {article_id!r}")
    return found


@router.get("/stats", tags=["store"])
def stats(kb: KB) -> dict[str, Any]:
    """What the store holds: counts of articles, events, actors and facts, and sources."""
    return kb.store.summary()

"""Opening a store (SQLite by default, PostgreSQL by URL) and reading/writing articles."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, insert, select, text
from sqlalchemy.engine import make_url

from diplograph.kb.corrections import reapply_after_ingest
from diplograph.models import Analysis, Article
from diplograph.store.schema import (
    actor_aliases,
    actor_offices,
    actors,
    articles,
    events,
    facts,
    sources,
)
from diplograph.store.writer import write_analysis, write_registry

DEFAULT_DB = "diplograph.db"
_LOCK = 0x6469706C6F  # PostgreSQL advisory-lock key held while migrating ("diplo")


class StoreError(Exception):
    """The store cannot be opened or used (bad URL, unreachable server, newer schema)."""


def database_url(db: str | None) -> str:
    """Turn ``--db`` (a path, ``sqlite:///…`` or ``postgresql://…``) into a SQLAlchemy URL."""
    db = db or os.environ.get("DIPLOGRAPH_DB") or DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes (kill -9)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store:
    """The knowledge base's storage: one object per open database."""

    def __init__(self, db: str | None = None) -> None:
        self.url = database_url(db)
        try:
            url = make_url(self.url)
        except Exception as exc:
            raise StoreError(f"not a database URL: {db!r}") from exc
        if url.get_backend_name() == "sqlite" and url.database:
            parent = Path(url.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} does not exist")
        try:
            self.engine: Engine = create_engine(self.url)
        except ImportError as exc:  # e.g. postgresql:// without its driver installed
            raise StoreError(f"no database driver for {url.get_backend_name()}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option(
            "script_location", str(resources.files("diplograph.store") / "migrations")
        )
        try:
            with self.engine.begin() as connection:
                if self.dialect == "postgresql":
                    # one migrating process at a time; the others then find the schema current
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except Exception as exc:
            shown = self.engine.url.render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", None) or exc).strip()  # the driver's own words
            raise StoreError(f"cannot open store {shown}: {reason}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------

    def existing_article_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        with self.engine.connect() as connection:
            rows = connection.execute(select(articles.c.id).where(articles.c.id.in_(ids)))
            return {row.id for row in rows}

    def new_articles(self, batch: Iterable[Article]) -> list[Article]:
        """The articles of ``batch`` not stored yet, each once."""
        unique = {article.id: article for article in batch}
        stored = self.existing_article_ids(unique)
        return [article for key, article in unique.items() if key not in stored]

    def add_articles(
        self,
        batch: list[Article],
        analyses: Iterable[Analysis] = (),
        registry: Iterable[dict[str, Any]] = (),
    ) -> list[Article]:
        """Store new articles with what was read from them, in one transaction.

        ``analyses`` are the extractors' results for (some of) these articles; ``registry``
        the actor-registry records that changed. Returns the articles actually stored.
        """
        new = self.new_articles(batch)
        if not new:
            return []
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
        published = {article.id: article.published for article in new}
        analyses, registry = list(analyses), list(registry)
        with self.engine.begin() as connection:
            connection.execute(insert(articles), [_article_row(a, now) for a in new])
            write_registry(connection, registry)
            for analysis in analyses:
                if analysis.article_id in published:
                    write_analysis(connection, analysis, published[analysis.article_id])
            reapply_after_ingest(connection, analyses, registry)  # analysts' corrections stay
        return new

    def article_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(articles)).scalar_one()

    def summary(self) -> dict[str, Any]:
        """Article counts per source with their first and last publication dates."""
        query = (
            select(
                articles.c.source,
                func.count().label("articles"),
                func.min(articles.c.published).label("first"),
                func.max(articles.c.published).label("last"),
            )
            .group_by(articles.c.source)
            .order_by(func.count().desc(), articles.c.source.asc().nulls_first())
        )
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
            counts = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (events, actors, facts)
            }
        return {
            "url": self.engine.url.render_as_string(hide_password=True),
            "articles": sum(row["articles"] for row in rows),
            "sources": rows,
            **counts,
        }

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        """Every article in storage order, as export dictionaries."""
        query = select(articles).order_by(articles.c.seq)
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=500).execute(query):
                yield _article_record(row._mapping)

    def search_articles(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching a full-text query, best first."""
        with self.engine.connect() as connection:
            if self.dialect == "sqlite":
                sql = text(
                    "SELECT a.*, bm25(articles_fts, 2.0, 1.0) AS rank,"
                    " snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet"
                    " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                    " WHERE articles_fts MATCH :q ORDER BY rank LIMIT :limit"
                )
                rows = connection.execute(sql, {"q": _fts5_query(query), "limit": limit})
            else:
                sql = text(
                    "SELECT a.*, ts_rank(a.search, q) AS rank,"
                    " ts_headline('english', a.text, q, 'StartSel=[,StopSel=],MaxWords=24')"
                    " AS snippet FROM articles a, websearch_to_tsquery('english', :q) q"
                    " WHERE a.search @@ q ORDER BY rank DESC LIMIT :limit"
                )
                rows = connection.execute(sql, {"q": query, "limit": limit})
            return [{**_article_record(row._mapping), "snippet": row.snippet} for row in rows]

    def registry_records(self) -> list[dict[str, Any]]:
        """The stored people with aliases and offices, for :class:`ActorRegistry`."""
        with self.engine.connect() as connection:
            people = connection.execute(select(actors).where(actors.c.kind == "person")).all()
            aliases = connection.execute(select(actor_aliases)).all()
            offices = connection.execute(select(actor_offices)).all()
        records = {
            row.id: {
                "id": row.id,
                "name": row.name,
                "code": row.code,
                "sector": row.sector,
                "first_seen": row.first_seen,
                "last_seen": row.last_seen,
                "aliases": [],
                "offices": [],
            }
            for row in people
        }
        for row in aliases:
            if row.actor_id in records:
                records[row.actor_id]["aliases"].append(
                    {"alias": row.alias, "first_seen": row.first_seen, "last_seen": row.last_seen}
                )
        for row in offices:
            if row.actor_id in records:
                records[row.actor_id]["offices"].append(
                    {
                        "title": row.title,
                        "code": row.code or None,
                        "first_seen": row.first_seen,
                        "last_seen": row.last_seen,
                    }
                )
        return list(records.values())

    # -- ingest bookkeeping -------------------------------------------------------------------

    def source_is_complete(self, location: str, size: int | None, mtime: float | None) -> bool:
        with self.engine.connect() as connection:
            row = connection.execute(select(sources).where(sources.c.location == location)).first()
        return bool(row and row.completed_at and row.size == size and row.mtime == mtime)

    def mark_source_complete(
        self, location: str, size: int | None, mtime: float | None, n_articles: int
    ) -> None:
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
        values = {
            "location": location,
            "size": size,
            "mtime": mtime,
            "articles": n_articles,
            "rejections": 0,
            "completed_at": now,
        }
        with self.engine.begin() as connection:
            connection.execute(sources.delete().where(sources.c.location == location))
            connection.execute(insert(sources), [values])


def _fts5_query(query: str) -> str:
    """Quote each word so user text never becomes FTS5 syntax (AND/OR/NEAR, columns, '*')."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w.strip('"')) or '""'


def _article_row(article: Article, ingested_at: str) -> dict[str, Any]:
    row = {
        "id": article.id,
        "source_id": article.source_id,
        "title": article.title,
        "title_inferred": article.title_inferred,
        "published": article.published,
        "published_inferred": article.published_inferred,
        "source": article.source,
        "dateline": article.dateline,
        "byline": article.byline,
        "path": article.path,
        "url": article.url,
        "text": article.text,
        "paragraphs": article.paragraphs,
        "extra": article.extra,
        "ingested_at": ingested_at,
    }
    # PostgreSQL text cannot hold NUL: drop it from metadata on every backend alike
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in row.items()}


def _article_record(row: Any) -> dict[str, Any]:
    """The export shape of interface.md, plus a few extra fields."""
    return {
        "id": row["id"],
        "title": row["title"],
        "published": row["published"],
        "published_inferred": bool(row["published_inferred"]),
        "source": row["source"],
        "dateline": row["dateline"],
        "byline": row["byline"],
        "path": row["path"],
        "url": row["url"],
        "text": row["text"],
        "title_inferred": bool(row["title_inferred"]),
        "source_id": row["source_id"],
        "paragraphs": row["paragraphs"],
        "extra": row["extra"],
        "ingested_at": row["ingested_at"],
    }

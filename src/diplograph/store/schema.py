"""The store's tables (SQLAlchemy Core). Alembic migrations create and evolve them.

articles ─┬─ mentions ── actors ─┬─ actor_aliases
          │                      └─ actor_offices
          ├─ event_mentions ── events ── event_participants ── actors
          └─ fact_mentions ── facts
corrections: analysts' fixes, kept apart from machine output and re-applied after ingest.
sources: bookkeeping of ingested files, so an unchanged file is not read twice.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("source_id", Text),
    Column("title", Text),
    Column("title_inferred", Boolean, nullable=False, default=False),
    Column("published", String(19)),
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("source", Text),
    Column("dateline", Text),
    Column("byline", Text),
    Column("path", Text),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("ingested_at", String(19), nullable=False),
    Column("analysis_version", String(32)),  # which extractor version read it (None: not yet)
)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_source", articles.c.source)

sources = Table(
    "sources",
    metadata,
    Column("location", Text, primary_key=True),
    Column("size", Integer),
    Column("mtime", Float),
    Column("articles", Integer, nullable=False, default=0),
    Column("rejections", Integer, nullable=False, default=0),
    Column("completed_at", String(19)),
)

actors = Table(
    "actors",
    metadata,
    Column("id", Text, primary_key=True),  # the canonical key: "state:KAZ", "person:wang yi"
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("code", String(16)),
    Column("sector", String(8)),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("mention_count", Integer, nullable=False, default=0),
    Column("extra", JSON, nullable=False),
)
Index("ix_actors_code", actors.c.code)
Index("ix_actors_name", actors.c.name)

actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
)
Index("ix_actor_aliases_alias", actor_aliases.c.alias)

actor_offices = Table(
    "actor_offices",
    metadata,
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("title", Text, primary_key=True),
    Column("code", String(16), primary_key=True),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", ForeignKey("actors.id", ondelete="SET NULL")),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(16)),
)
Index("ix_mentions_article", mentions.c.article_id)
Index("ix_mentions_actor", mentions.c.actor_id)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("mode", String(24)),
    Column("context", JSON, nullable=False),
    Column("aux", String(16)),
    Column("cameo", String(4)),
    Column("quad_class", Integer),
    Column("score", Float),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("location", JSON),
    Column("confidence", Float),
    Column("extra", JSON, nullable=False),
)
Index("ix_events_type", events.c.type)
Index("ix_events_date", events.c.date)
Index("ix_events_aux_date", events.c.aux, events.c.date)  # partial: aux IS NOT NULL (0005)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(10), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="SET NULL")),
    Column("name", Text, nullable=False),
    Column("code", String(16)),
    Column("sector", String(8)),
    Column("office", Text),
    Column("type", String(16)),  # the event's type, date, quad class and score, copied
    Column("date", String(10)),  # by triggers (migrations 0003 and 0004)
    Column("quad_class", Integer),
    Column("score", Float),
)
Index("ix_event_participants_code", event_participants.c.code)
Index("ix_event_participants_actor", event_participants.c.actor_id)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_event_mentions_article", event_mentions.c.article_id)

facts = Table(
    "facts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("subject", Text),
    Column("code", String(16)),
    Column("value", Text),
    Column("unit", String(16)),
    Column("period", String(32)),
    Column("date", String(10)),
    Column("extra", JSON, nullable=False),
)
Index("ix_facts_kind", facts.c.kind)

fact_mentions = Table(
    "fact_mentions",
    metadata,
    Column("fact_id", ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(16), nullable=False),  # "event" | "actor"
    Column("target_id", Text, nullable=False),
    Column(
        "field", String(16), nullable=False
    ),  # type, mode, date, actor, recipient, delete, merge
    Column("value", JSON),  # the analyst's value
    Column("machine_value", JSON),  # what the machine had written, for display and undo
    Column("note", Text),
    Column("created_at", String(19), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)
Index("ix_corrections_target", corrections.c.target, corrections.c.target_id)

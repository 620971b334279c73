"""corrections and evidence search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Analysts' corrections, kept apart from machine output; full-text search over the evidence
sentences of events (FTS5 kept by triggers on SQLite, a generated tsvector on PostgreSQL);
indexes for the dyad and type/date queries of the knowledge base.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("machine_value", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=19), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_corrections_target", "corrections", ["target", "target_id"])
    op.create_index("ix_event_participants_code_event", "event_participants", ["code", "event_id"])
    op.create_index("ix_events_type_date", "events", ["type", "date"])
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_SEARCH, "postgresql": _POSTGRES_SEARCH}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS event_mentions_fts_{name}")
        op.execute("DROP TABLE IF EXISTS event_mentions_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_event_mentions_search")
        op.execute("ALTER TABLE event_mentions DROP COLUMN IF EXISTS search")
    op.drop_index("ix_events_type_date", "events")
    op.drop_index("ix_event_participants_code_event", "event_participants")
    op.drop_index("ix_corrections_target", "corrections")
    op.drop_table("corrections")


_SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE event_mentions_fts USING fts5(text, content='event_mentions',"
    " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO event_mentions_fts(rowid, text) SELECT rowid, text FROM event_mentions",
    "CREATE TRIGGER event_mentions_fts_insert AFTER INSERT ON event_mentions BEGIN"
    " INSERT INTO event_mentions_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER event_mentions_fts_delete AFTER DELETE ON event_mentions BEGIN"
    " INSERT INTO event_mentions_fts(event_mentions_fts, rowid, text)"
    " VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER event_mentions_fts_update AFTER UPDATE ON event_mentions BEGIN"
    " INSERT INTO event_mentions_fts(event_mentions_fts, rowid, text)"
    " VALUES ('delete', old.rowid, old.text);"
    " INSERT INTO event_mentions_fts(rowid, text) VALUES (new.rowid, new.text); END",
]
_POSTGRES_SEARCH = [
    "ALTER TABLE event_mentions ADD COLUMN search tsvector GENERATED ALWAYS AS"
    " (to_tsvector('english', text)) STORED",
    "CREATE INDEX ix_event_mentions_search ON event_mentions USING gin (search)",
]

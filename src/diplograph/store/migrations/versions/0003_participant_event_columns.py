"""participants carry their event's type and date

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

The most common questions ("KAZ's events since 2020", "the CONSULT events between KAZ and
CHN, newest first") select by party, type and date. Copying the event's type and date onto
each participant row lets one index answer them — (code, date), (code, type, date),
(actor_id, date) — without visiting the events table. Triggers keep the copies equal to the
event's values whatever writes them: the writer fills them itself; rows inserted without them
(corrections, merges) are filled from the event, and an event's new type or date (a
correction) is copied to its participants.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# newest first, undated last, ties by event id: the order of every event list
_INDEXES = {
    "ix_event_participants_code_date": "code, date {desc}, event_id",
    "ix_event_participants_code_type_date": "code, type, date {desc}, event_id",
    "ix_event_participants_actor_date": "actor_id, date {desc}, event_id",
}
_DESC = {"postgresql": "DESC NULLS LAST"}  # SQLite puts NULL last in DESC order by itself


def upgrade() -> None:
    with op.batch_alter_table("event_participants") as batch:
        batch.add_column(sa.Column("type", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("date", sa.String(length=10), nullable=True))
    op.execute(
        "UPDATE event_participants SET"
        " type = (SELECT e.type FROM events e WHERE e.id = event_participants.event_id),"
        " date = (SELECT e.date FROM events e WHERE e.id = event_participants.event_id)"
    )
    dialect = op.get_bind().dialect.name
    for name, columns in _INDEXES.items():
        desc = _DESC.get(dialect, "DESC")
        op.execute(f"CREATE INDEX {name} ON event_participants ({columns.format(desc=desc)})")
    for statement in {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS event_participants_fill")
        op.execute("DROP TRIGGER IF EXISTS events_copy_to_participants")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_participants_fill ON event_participants")
        op.execute("DROP TRIGGER IF EXISTS events_copy_to_participants ON events")
        op.execute("DROP FUNCTION IF EXISTS diplograph_fill_participant()")
        op.execute("DROP FUNCTION IF EXISTS diplograph_copy_event()")
    for name in _INDEXES:
        op.drop_index(name, "event_participants")
    with op.batch_alter_table("event_participants") as batch:
        batch.drop_column("date")
        batch.drop_column("type")


_SQLITE = [
    "CREATE TRIGGER event_participants_fill AFTER INSERT ON event_participants"
    " WHEN NEW.type IS NULL BEGIN"
    " UPDATE event_participants SET"
    " type = (SELECT type FROM events WHERE id = NEW.event_id),"
    " date = (SELECT date FROM events WHERE id = NEW.event_id)"
    " WHERE rowid = NEW.rowid; END",
    "CREATE TRIGGER events_copy_to_participants AFTER UPDATE OF type, date ON events"
    " WHEN OLD.type IS NOT NEW.type OR OLD.date IS NOT NEW.date BEGIN"
    " UPDATE event_participants SET type = NEW.type, date = NEW.date"
    " WHERE event_id = NEW.id; END",
]
_POSTGRES = [
    "CREATE FUNCTION diplograph_fill_participant() RETURNS trigger AS $$ BEGIN"
    " IF NEW.type IS NULL THEN"
    " SELECT e.type, e.date INTO NEW.type, NEW.date FROM events e WHERE e.id = NEW.event_id;"
    " END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER event_participants_fill BEFORE INSERT ON event_participants"
    " FOR EACH ROW EXECUTE FUNCTION diplograph_fill_participant()",
    "CREATE FUNCTION diplograph_copy_event() RETURNS trigger AS $$ BEGIN"
    " UPDATE event_participants SET type = NEW.type, date = NEW.date"
    " WHERE event_id = NEW.id; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER events_copy_to_participants AFTER UPDATE OF type, date ON events"
    " FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.date IS DISTINCT FROM NEW.date)"
    " EXECUTE FUNCTION diplograph_copy_event()",
]

"""participants also carry their event's quad class and score

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

With the quad class and score beside the type and date (0003), a party's relations and a
dyad's timeline are counted from participant rows alone. The triggers of 0003 are replaced
by ones that copy all four columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COPIED = ("type", "date", "quad_class", "score")


def upgrade() -> None:
    with op.batch_alter_table("event_participants") as batch:
        batch.add_column(sa.Column("quad_class", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("score", sa.Float(), nullable=True))
    same_event = "FROM events e WHERE e.id = event_participants.event_id"
    op.execute(
        f"UPDATE event_participants SET quad_class = (SELECT e.quad_class {same_event}),"
        f" score = (SELECT e.score {same_event})"
    )
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)
    for statement in _triggers(dialect, _COPIED):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_triggers(dialect)  # before the columns go: SQLite rebuilds the table to drop them
    with op.batch_alter_table("event_participants") as batch:
        batch.drop_column("score")
        batch.drop_column("quad_class")
    for statement in _triggers(dialect, _COPIED[:2]):
        op.execute(statement)


def _drop_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS event_participants_fill")
        op.execute("DROP TRIGGER IF EXISTS events_copy_to_participants")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_participants_fill ON event_participants")
        op.execute("DROP TRIGGER IF EXISTS events_copy_to_participants ON events")
        op.execute("DROP FUNCTION IF EXISTS diplograph_fill_participant()")
        op.execute("DROP FUNCTION IF EXISTS diplograph_copy_event()")


def _triggers(dialect: str, columns: tuple[str, ...]) -> list[str]:
    """Fill the copies of a participant inserted without them; copy an event's new values."""
    names = ", ".join(columns)
    if dialect == "sqlite":
        fill = ", ".join(f"{c} = (SELECT {c} FROM events WHERE id = NEW.event_id)" for c in columns)
        differs = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        copy = ", ".join(f"{c} = NEW.{c}" for c in columns)
        return [
            "CREATE TRIGGER event_participants_fill AFTER INSERT ON event_participants"
            f" WHEN NEW.type IS NULL BEGIN UPDATE event_participants SET {fill}"
            " WHERE rowid = NEW.rowid; END",
            f"CREATE TRIGGER events_copy_to_participants AFTER UPDATE OF {names} ON events"
            f" WHEN {differs} BEGIN UPDATE event_participants SET {copy}"
            " WHERE event_id = NEW.id; END",
        ]
    if dialect == "postgresql":
        into = ", ".join(f"NEW.{c}" for c in columns)
        selected = ", ".join(f"e.{c}" for c in columns)
        differs = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        copy = ", ".join(f"{c} = NEW.{c}" for c in columns)
        return [
            "CREATE FUNCTION diplograph_fill_participant() RETURNS trigger AS $$ BEGIN"
            f" IF NEW.type IS NULL THEN SELECT {selected} INTO {into}"
            " FROM events e WHERE e.id = NEW.event_id; END IF; RETURN NEW; END $$"
            " LANGUAGE plpgsql",
            "CREATE TRIGGER event_participants_fill BEFORE INSERT ON event_participants"
            " FOR EACH ROW EXECUTE FUNCTION diplograph_fill_participant()",
            "CREATE FUNCTION diplograph_copy_event() RETURNS trigger AS $$ BEGIN"
            f" UPDATE event_participants SET {copy} WHERE event_id = NEW.id; RETURN NEW; END $$"
            " LANGUAGE plpgsql",
            f"CREATE TRIGGER events_copy_to_participants AFTER UPDATE OF {names} ON events"
            f" FOR EACH ROW WHEN ({differs}) EXECUTE FUNCTION diplograph_copy_event()",
        ]
    return []

"""Alembic environment: runs migrations on the connection diplograph hands over."""

from alembic import context

from diplograph.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # the alembic command line, e.g. `alembic revision --autogenerate`
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

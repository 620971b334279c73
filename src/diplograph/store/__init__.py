"""Persistence: SQLite by default, PostgreSQL by URL; schema migrations with Alembic."""

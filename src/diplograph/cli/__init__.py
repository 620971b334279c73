"""The ``diplograph`` command line: one module per group of commands, all on one Typer app."""

from diplograph.cli import brief, correct, export, ingest, query, serve  # noqa: F401 - registers the commands
from diplograph.cli.app import app, main

__all__ = ["app", "main"]

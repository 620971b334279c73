"""The ``diplograph`` application: global options, consoles, error handling."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console

from diplograph import __version__
from diplograph.store.database import Store, StoreError

app = typer.Typer(
    name="diplograph",
    help="Read foreign-affairs news into an evidence-linked knowledge base of diplomatic events.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Dump the store: articles, events, actors, facts, graph.")
app.add_typer(export_app, name="export")

# markup off: paths, queries and error messages are printed as they are, never as Rich markup
out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)

USAGE_ERROR = 2


class State:
    db: str | None = None

    def open_store(self) -> Store:
        try:
            return Store(self.db)
        except StoreError as exc:
            err.print(f"error: {exc}", style="red")
            raise typer.Exit(USAGE_ERROR) from None


state = State()


def _version(value: bool) -> None:
    if value:
        out.print(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="DIPLOGRAPH_DB",
            help="Store: a file path or sqlite:///path (default ./diplograph.db), "
            "or postgresql://…",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    state.db = db


INTERNAL_ERROR = 3


def main() -> None:
    """Console-script entry point: unexpected errors get one line and exit code 3."""
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("DIPLOGRAPH_DEBUG"):
            raise
        err.print(
            f"diplograph: internal error: {type(exc).__name__}: {exc} "
            "(set DIPLOGRAPH_DEBUG=1 for the traceback)"
        )
        sys.exit(INTERNAL_ERROR)

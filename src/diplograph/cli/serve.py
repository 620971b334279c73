"""``diplograph serve``: the REST API and web app."""

from __future__ import annotations

from typing import Annotated

import typer

from diplograph.cli.app import not_yet, app


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the web app."""
    not_yet("the web app and REST API", "issue 5")

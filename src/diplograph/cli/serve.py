"""``diplograph serve``: the REST API and web app."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from diplograph.cli.app import app, err, state


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    allow_private_urls: Annotated[
        bool,
        typer.Option(help="Let URL ingest fetch loopback and private-network addresses."),
    ] = False,
    max_upload_mb: Annotated[
        float, typer.Option(help="Largest upload accepted by POST /api/ingest, in MiB.", min=0.001)
    ] = 32.0,  # api.app.DEFAULT_MAX_UPLOAD (not imported: the CLI starts without FastAPI)
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the web app.

    Write endpoints (ingest, corrections) need a bearer token: set DIPLOGRAPH_TOKEN before
    starting; without it they are off.

    Example: [bold]diplograph --db diplograph.db serve --port 8000[/bold]
    """
    import uvicorn

    from diplograph.api.app import Settings, create_app

    state.open_store().close()  # a bad --db fails here with a clear message, exit 2
    settings = Settings(
        db=state.db, token=os.environ.get("DIPLOGRAPH_TOKEN") or None,
        allow_private_urls=allow_private_urls, max_upload_bytes=int(max_upload_mb * 2**20),
    )  # fmt: skip
    err.print(f"diplograph: serving http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

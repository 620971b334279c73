"""Commands that ask the knowledge base: events, search."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from diplograph.cli.app import not_yet, app, err, out, state


@app.command()
def events(
    actor: Annotated[str | None, typer.Option(help="Actor code or name.")] = None,
    partner: Annotated[str | None, typer.Option(help="Partner code or name.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
) -> None:
    """Query events."""
    not_yet("querying events", "the event coding engine (issue 3) and knowledge base (issue 4)")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    limit: Annotated[int, typer.Option(help="How many results.", min=1, max=1000)] = 10,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Full-text search over the stored articles, best matches first.

    Example: [bold]diplograph search "strategic partnership"[/bold]
    """
    import json

    with state.open_store() as store:
        hits = store.search_articles(query, limit)
    if fmt == "json":
        for hit in hits:
            hit.pop("paragraphs", None)
            print(json.dumps(hit, ensure_ascii=False))
        return
    if not hits:
        err.print(f"no article matches {query!r}", highlight=False)
        return
    table = Table("published", "source", "title", "snippet", show_lines=True)
    for hit in hits:
        table.add_row(
            hit["published"] or "", hit["source"] or "", hit["title"] or "", hit["snippet"]
        )
    out.print(table)

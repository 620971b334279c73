"""``diplograph export``: dump the store for other tools."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from diplograph.cli.app import USAGE_ERROR, not_yet, err, export_app, state


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


FormatOption = Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
]


@export_app.command("articles")
def export_articles(fmt: FormatOption = ExportFormat.jsonl, output: OutputOption = None) -> None:
    """Export articles (metadata and clean body text)."""
    from diplograph.kb.export import write_records

    with state.open_store() as store:
        try:
            count = write_records(store.iter_articles(), fmt.value, output)
        except ValueError as exc:
            err.print(f"error: {exc}", highlight=False)
            raise typer.Exit(USAGE_ERROR) from None
    if output:
        err.print(f"{count} article(s) written to {output}", highlight=False)


def _export(kind: str, fmt: ExportFormat, output: str | None) -> None:
    from diplograph.kb import records
    from diplograph.kb.export import write_records

    source = {
        "events": records.iter_events,
        "actors": records.iter_actors,
        "facts": records.iter_facts,
    }[kind]
    with state.open_store() as store:
        try:
            count = write_records(source(store), fmt.value, output)
        except ValueError as exc:
            err.print(f"error: {exc}", highlight=False)
            raise typer.Exit(USAGE_ERROR) from None
    if output:
        err.print(f"{count} {kind} written to {output}", highlight=False)


@export_app.command("events")
def export_events(fmt: FormatOption = ExportFormat.jsonl, output: OutputOption = None) -> None:
    """Export events with actors, dates, places and evidence (interface.md shape)."""
    _export("events", fmt, output)


@export_app.command("actors")
def export_actors(fmt: FormatOption = ExportFormat.jsonl, output: OutputOption = None) -> None:
    """Export actors with aliases, offices over time and mention counts."""
    _export("actors", fmt, output)


@export_app.command("facts")
def export_facts(fmt: FormatOption = ExportFormat.jsonl, output: OutputOption = None) -> None:
    """Export facts: relations established, trade, investment, offices, partnerships."""
    _export("facts", fmt, output)


@export_app.command("graph")
def export_graph(
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml or gexf")] = "graphml",
    output: OutputOption = None,
) -> None:
    """Export the actor–relation graph as GraphML or GEXF."""
    not_yet("the relation graph", "the knowledge-base layer (issue 4)")

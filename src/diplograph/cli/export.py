"""``diplograph export``: dump the store for other tools."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from diplograph.cli.app import USAGE_ERROR, err, export_app, state


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
            rows = source(store)
            if kind == "facts" and fmt is not ExportFormat.jsonl:
                rows = map(records.tabular_fact, rows)  # one column set for every kind of fact
            count = write_records(rows, fmt.value, output)
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


def _cannot_write(output: str | None, exc: OSError) -> NoReturn:
    err.print(
        f"error: cannot write {output or 'to stdout'}: {exc.strerror or exc}", highlight=False
    )
    raise typer.Exit(USAGE_ERROR) from None


class GraphFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"


class GraphLevel(StrEnum):
    state = "state"
    actor = "actor"


@export_app.command("graph")
def export_graph(
    fmt: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="graphml, or gexf for Gephi.")
    ] = GraphFormat.graphml,
    output: OutputOption = None,
    level: Annotated[
        GraphLevel,
        typer.Option(help="Nodes: states and organisations (people folded in), or each actor."),
    ] = GraphLevel.state,
    since: Annotated[
        str | None, typer.Option(help="Events from this date (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Events up to this date.")] = None,
    min_events: Annotated[
        int, typer.Option("--min-events", min=1, help="Keep nodes and edges with this many events.")
    ] = 1,
) -> None:
    """Export the actor–relation graph: nodes are parties, edges weighted, typed relations.

    Example: [bold]diplograph export graph --format gexf -o relations.gexf[/bold]
    """
    from diplograph.kb.graph import build_graph, write_graph

    with state.open_store() as store:
        try:
            graph = build_graph(store, level.value, since, until, min_events)
        except ValueError as exc:
            err.print(f"error: {exc}", highlight=False)
            raise typer.Exit(USAGE_ERROR) from None
    try:
        write_graph(graph, fmt.value, output)
    except OSError as exc:
        _cannot_write(output, exc)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if not nodes:
        err.print("no events match: the graph is empty", highlight=False)
    elif output:
        err.print(f"{nodes} node(s) and {edges} edge(s) written to {output}", highlight=False)


@export_app.command("phoenix")
def export_phoenix(output: OutputOption = None) -> None:
    """Export events as Phoenix-style tab-separated rows (CAMEO codes), one per dyad."""
    from diplograph.kb.phoenix import write_phoenix

    with state.open_store() as store:
        try:
            count = write_phoenix(store, output)
        except OSError as exc:
            _cannot_write(output, exc)
    if output:
        err.print(f"{count} row(s) written to {output}", highlight=False)

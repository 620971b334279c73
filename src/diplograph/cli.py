"""The ``diplograph`` command line."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

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


def _not_yet(what: str, issue: str) -> None:
    err.print(
        f"diplograph: {what} is not available yet: it arrives with {issue}. Nothing was done.",
        highlight=False,
    )
    raise typer.Exit(USAGE_ERROR)


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (read recursively), feed or page URLs.", show_default=False
        ),
    ],
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on a terminal.")
    ] = True,
    extract: Annotated[
        bool,
        typer.Option("--extract/--no-extract", help="Read events, actors and facts (default)."),
    ] = True,
) -> None:
    """Read articles from files, folders, feeds and URLs into the store.

    Exit code 0 when every input was stored, 1 when some were rejected (each is named with
    its reason), 2 on usage errors.

    Example: [bold]diplograph ingest examples/corpus https://example.org/feed.xml[/bold]
    """
    from diplograph.ingest.errors import Rejection
    from diplograph.pipeline import ingest as run_ingest

    store = state.open_store()

    def on_rejection(rejection: Rejection) -> None:
        err.print(f"rejected {rejection}")

    bar = Progress(
        TextColumn("[bold]ingest[/bold]"),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[stored]} stored · {task.fields[rate]} articles/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not (progress and err.is_terminal),
        transient=True,
    )
    task = bar.add_task("ingest", total=None, stored=0, rate="–")

    def on_progress(p) -> None:  # noqa: ANN001 - diplograph.pipeline.Progress
        elapsed = bar.tasks[0].elapsed or 0.0
        rate = f"{p.report.articles_read / elapsed:,.0f}" if elapsed > 0.5 else "–"
        bar.update(
            task,
            total=p.bytes_total or None,
            completed=p.bytes_done,
            stored=f"{p.report.stored:,}",
            rate=rate,
        )

    with store, bar:
        report = run_ingest(
            inputs, store, extract=extract, on_progress=on_progress, on_rejection=on_rejection
        )
        total = store.article_count()
    rate = report.articles_read / report.seconds if report.seconds else 0.0
    out.print(
        f"{report.sources} input(s) read: {report.articles_read} article(s) "
        f"({rate:,.0f}/s), {report.stored} newly stored, {report.already_stored} already "
        f"stored, {report.sources_unchanged} unchanged file(s) skipped, "
        f"{len(report.rejections)} rejected; {report.events} event(s) and {report.facts} "
        f"fact(s) read. The store now holds {total} article(s).",
        highlight=False,
    )
    if not report.ok:
        raise typer.Exit(1)


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
    _not_yet("the relation graph", "the knowledge-base layer (issue 4)")


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
    _not_yet("querying events", "the event coding engine (issue 3) and knowledge base (issue 4)")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the web app."""
    _not_yet("the web app and REST API", "issue 5")


@app.command("eval")
def evaluate(
    gold: Annotated[
        list[str], typer.Argument(help="Gold events (and facts), JSON Lines; several are pooled.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List misses and false positives.")
    ] = False,
    quad: Annotated[
        bool,
        typer.Option(
            "--quad",
            help="GOLD is a 'sentence<TAB>quad class' file: code each sentence, score quad "
            "classes (no store needed). Implied by a .tsv file.",
        ),
    ] = False,
) -> None:
    """Score the store's events against a gold file: precision, recall, F1 overall and per
    type, actor-code and date accuracy, and facts.

    Examples: [bold]diplograph eval tests/gold/seeds.jsonl[/bold] ·
    [bold]diplograph eval ../shared/eval/cameo-quad-dev.tsv[/bold]
    """
    if quad or gold[0].endswith(".tsv"):
        from diplograph.kb.quad_eval import evaluate_quad

        try:
            from diplograph.extract.analyze import Analyzer

            analyzer = Analyzer()  # one model load for all the files
            print("\n\n".join(evaluate_quad(path, analyzer).format() for path in gold))
        except (OSError, ValueError) as exc:
            err.print(f"error: {exc}", highlight=False)
            raise typer.Exit(USAGE_ERROR) from None
        return
    from diplograph.kb.evaluate import evaluate as run_eval
    from diplograph.kb.evaluate import format_report

    path = gold[0] if len(gold) == 1 else _pooled(gold)
    with state.open_store() as store:
        try:
            report = run_eval(store, path)
            text = format_report(report, fmt, verbose=verbose)
        except (OSError, ValueError) as exc:
            err.print(f"error: {exc}", highlight=False)
            raise typer.Exit(USAGE_ERROR) from None
        finally:
            if len(gold) > 1:
                os.unlink(path)
    print(text)


def _pooled(paths: list[str]) -> str:
    """Several gold files as one temporary file (scored together)."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as pooled:
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                for line in stream:
                    pooled.write(line if line.endswith("\n") else line + "\n")
    return pooled.name


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


@app.command()
def stats() -> None:
    """What the store holds: articles per source and the span of publication dates."""
    with state.open_store() as store:
        summary = store.summary()
    table = Table(
        "source",
        "articles",
        "first published",
        "last published",
        title=f"{summary['articles']} article(s), {summary['events']} event(s), "
        f"{summary['actors']} actor(s), {summary['facts']} fact(s) in {summary['url']}",
    )
    for row in summary["sources"]:
        table.add_row(
            row["source"] or "(unknown)",
            str(row["articles"]),
            row["first"] or "",
            row["last"] or "",
        )
    out.print(table)


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


if __name__ == "__main__":
    main()

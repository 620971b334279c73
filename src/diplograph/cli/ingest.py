"""Commands that fill the store and describe it: ingest, stats, eval."""

from __future__ import annotations

import os
from typing import Annotated

import typer
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

from diplograph.cli.app import USAGE_ERROR, app, err, out, state


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
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes that parse articles (default: all cores)."
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="Parse on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' for a "
            "LocalCluster of --jobs workers.",
        ),
    ] = None,
) -> None:
    """Read articles from files, folders, feeds and URLs into the store.

    Exit code 0 when every input was stored, 1 when some were rejected (each is named with
    its reason) or the cluster failed mid-run, 2 on usage errors and an unreachable cluster.

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
        try:
            report = run_ingest(
                inputs,
                store,
                extract=extract,
                jobs=jobs or _cores(),
                on_progress=on_progress,
                on_rejection=on_rejection,
                cluster=cluster,
            )
        except Exception as exc:
            if cluster is not None:
                _cluster_failure(exc)
            raise
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


def _cluster_failure(exc: Exception) -> None:
    """Exit with one line when the Dask cluster is unreachable (2) or failed (1)."""
    from diplograph.nlp.cluster import ClusterError, ClusterUnreachable

    if isinstance(exc, ClusterError):
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
        if not isinstance(exc, ClusterUnreachable):
            err.print("committed batches are kept: run the same command again to resume")
        raise typer.Exit(USAGE_ERROR if isinstance(exc, ClusterUnreachable) else 1) from None


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


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1

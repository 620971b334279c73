"""``diplograph brief A B``: a bilateral relations brief in Markdown, HTML or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from diplograph.cli.app import USAGE_ERROR, app, err, state

NOTHING_FOUND = 1
_FORMATS = ("markdown", "html", "json")


@app.command()
def brief(
    a: Annotated[str, typer.Argument(help="One side: a code or name (KAZ, Kazakhstan, Wang Yi).")],
    b: Annotated[str, typer.Argument(help="The other side: a code or name.")],
    since: Annotated[
        str | None, typer.Option(help="Events from this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Events up to this date.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown, html or json")] = "markdown",
    per_section: Annotated[
        int,
        typer.Option(help="Newest lines listed per section (0: all); the rest are counted.", min=0),
    ] = 25,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """A bilateral relations brief: relations, meetings, agreements, statements, figures,
    people and plans, every line with its sources.

    Example: [bold]diplograph brief Kazakhstan China --since 2020 --format html -o kz-cn.html[/bold]
    """
    from diplograph.kb.brief import BriefError, build_brief
    from diplograph.kb.resolve import UnknownActor

    if fmt not in _FORMATS:
        err.print(f"diplograph brief: unknown format {fmt!r} (use {', '.join(_FORMATS)})")
        raise typer.Exit(USAGE_ERROR)
    with state.open_store() as store:
        try:
            result = build_brief(
                store, a, b, since=since, until=until, per_section=per_section or None
            )
        except (UnknownActor, BriefError) as exc:
            err.print(f"diplograph brief: {exc}")
            raise typer.Exit(USAGE_ERROR) from None
    if result.empty:
        period = f" between {since or '…'} and {until or '…'}" if since or until else ""
        err.print(f"diplograph brief: the store holds nothing on {result.dyad}{period}")
        raise typer.Exit(NOTHING_FOUND)
    if fmt == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = result.to_html()
    else:
        text = result.to_markdown()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"diplograph brief: cannot write {output}: {exc.strerror or exc}")
        raise typer.Exit(USAGE_ERROR) from None
    err.print(
        f"brief written to {output}: {result.event_count} event(s), "
        f"{result.article_count} article(s)"
    )

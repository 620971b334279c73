"""Analysts' corrections: correct, corrections, uncorrect, merge-actors.

Exit codes: 0 done, 1 when ``corrections`` finds none, 2 for bad input (unknown event,
correction or actor, a type, mode or date that does not exist): one line on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from diplograph.cli.app import USAGE_ERROR, app, err, out, state
from diplograph.kb import corrections as fixes
from diplograph.store.database import Store

T = TypeVar("T")
NOTHING = 1


class ListFormat(StrEnum):
    table = "table"
    json = "json"


NoteOption = Annotated[
    str | None, typer.Option("--note", help="Why: kept with the correction and shown with it.")
]


def _run(action: Callable[[Store], T]) -> T:
    """Run ``action`` on the store; a bad request becomes one line on stderr and exit 2."""
    with state.open_store() as store:
        try:
            return action(store)
        except ValueError as exc:  # CorrectionError, UnknownActor
            err.print(f"error: {exc}")
            raise typer.Exit(USAGE_ERROR) from None


def _show(value: Any, field: str) -> str:
    """A correction's value in a few words."""
    if field in fixes.ROLES and isinstance(value, list):
        return ", ".join(f"{p['name']} ({p.get('code') or '?'})" for p in value) or "nobody"
    if field == "delete":
        return "deleted" if value is True else "present"
    if field == "merge" and isinstance(value, dict):
        return f"{value['actor']['name']} ({value['actor']['id']})"
    return "none" if value is None else str(value)


def _line(fix: fixes.Correction) -> str:
    what = f"{fix.target} {fix.target_id}"
    if fix.field == "merge":
        change = f"merged into {fix.value}"
    elif fix.field == "delete":
        change = "deleted"
    else:
        machine = _show(fix.machine_value, fix.field)
        change = f"{fix.field}: {machine} -> {_show(fix.value, fix.field)}"
    note = f"  ({fix.note})" if fix.note else ""
    return f"correction {fix.id}: {what} {change}{note}"


@app.command()
def correct(
    event_id: Annotated[str, typer.Argument(help="The event's id (or a unique prefix).")],
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    mode: Annotated[
        str | None, typer.Option(help="PLOVER mode of the type, or 'none' to clear it.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Who acted: codes or names, comma-separated.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option(help="Who received: codes or names, comma-separated; '' none.")
    ] = None,
    date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    delete: Annotated[bool, typer.Option("--delete", help="Remove the event.")] = False,
    note: NoteOption = None,
) -> None:
    """Correct an event. The machine's value is kept, the correction survives re-ingest.

    Example: [bold]diplograph correct 3f2a…  --type AGREE --date 2022-06 --note "planned"[/bold]
    """
    made = _run(
        lambda store: fixes.correct_event(
            store, event_id, type=type_, mode=mode, actor=actor, recipient=recipient,
            date=date, delete=delete, note=note,
        )
    )  # fmt: skip
    for fix in made:
        out.print(_line(fix))


@app.command("corrections")
def list_corrections(
    event: Annotated[str | None, typer.Option("--event", help="Only this event's.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include undone corrections.")] = False,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json (one object a line).")
    ] = ListFormat.table,
) -> None:
    """List analysts' corrections, oldest first."""
    found = _run(lambda store: fixes.list_corrections(store, event, include_undone=all_))
    if not found:
        where = f" for event {event}" if event else ""
        err.print(f"no corrections{where}")
        raise typer.Exit(NOTHING)
    if fmt == ListFormat.json:
        for fix in found:
            sys.stdout.write(json.dumps(fix.as_dict(), ensure_ascii=False) + "\n")
        return
    table = Table("id", "target", "field", "machine", "corrected", "note", "when", "active")
    for fix in found:
        corrected = "deleted" if fix.field == "delete" else _show(fix.value, fix.field)
        machine = "" if fix.field in ("delete", "merge") else _show(fix.machine_value, fix.field)
        if fix.field == "merge":
            corrected = f"into {fix.value}"
        table.add_row(
            str(fix.id), f"{fix.target} {fix.target_id}", fix.field, machine, corrected,
            fix.note or "", fix.created_at, "yes" if fix.active else "undone",
        )  # fmt: skip
    out.print(table)


@app.command()
def uncorrect(
    correction_id: Annotated[int, typer.Argument(help="The correction's id (see corrections).")],
) -> None:
    """Undo a correction: the machine's value (or the merged actor) comes back."""
    fix = _run(lambda store: fixes.undo(store, correction_id))
    out.print(f"undone: {_line(fix)}")


@app.command("merge-actors")
def merge_actors(
    a: Annotated[str, typer.Argument(help="The actor that stays (id or unambiguous name).")],
    b: Annotated[str, typer.Argument(help="The actor merged into A, which disappears.")],
    note: NoteOption = None,
) -> None:
    """Merge actor B into A: B's aliases, offices, mentions and events move to A.

    Example: [bold]diplograph merge-actors "person:wang yi" "person:yi wang"[/bold]
    """
    fix = _run(lambda store: fixes.merge_actors(store, a, b, note=note))
    moved = fix.machine_value
    out.print(
        f"correction {fix.id}: {moved['actor']['name']} ({fix.target_id}) merged into "
        f"{fix.value}: {len(moved['moved_aliases'])} new alias(es), "
        f"{len(moved['mentions'])} mention(s), {len(moved['participants'])} event role(s) moved"
    )

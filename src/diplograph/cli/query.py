"""Commands that ask the knowledge base: events, actors, actor, relations, timeline, calendar,
search.

Exit codes: 0 with results, 1 when nothing matched (a one-line message on stderr), 2 for bad
input (unknown actor, impossible date, unknown type): one line on stderr, never a traceback.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from diplograph.cli.app import USAGE_ERROR, app, err, out, state
from diplograph.kb import query as q
from diplograph.store.database import Store

NOTHING = 1
T = TypeVar("T")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DetailFormat(StrEnum):
    table = "table"
    json = "json"


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="table, json (one object a line) or csv.")
]
SinceOption = Annotated[
    str | None, typer.Option(help="From this date: YYYY, YYYY-MM, YYYY-MM-DD or today.")
]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date (same forms as --since).")]


# -- shared helpers ----------------------------------------------------------------------------


def _ask(question: Callable[[Store], T]) -> T:
    """Run ``question`` on the store; bad input becomes one line on stderr and exit 2."""
    with state.open_store() as store:
        try:
            return question(store)
        except ValueError as exc:  # UnknownActor, impossible dates, unknown types, …
            err.print(f"error: {exc}")
            raise typer.Exit(USAGE_ERROR) from None


def _nothing(message: str) -> None:
    err.print(message)
    raise typer.Exit(NOTHING)


def _jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@contextmanager
def _table(*columns: str, wide: str | None = None) -> Iterator[Table]:
    """A table; the ``wide`` column (evidence, snippet) takes the room the others leave."""
    table = Table(show_lines=True, expand=wide is not None)
    for name in columns:
        table.add_column(
            name, ratio=1 if name == wide else None, min_width=24 if name == wide else None
        )
    yield table
    out.print(table)


def _people(group: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{p['name']} ({p['code']})" if p.get("code") and p["code"] != p["name"] else p["name"]
        for p in group
    )


def _parties(record: dict[str, Any]) -> str:
    actors, recipients = _people(record["actor"]), _people(record["recipient"])
    return f"{actors} → {recipients}" if recipients else actors


def _place(record: dict[str, Any]) -> str:
    return (record.get("location") or {}).get("name") or ""


def _evidence(record: dict[str, Any], width: int = 200) -> str:
    sentence = record["mentions"][0]["text"] if record["mentions"] else ""
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"


def _type(record: dict[str, Any]) -> str:
    label = record["type"] + (f"/{record['mode']}" if record["mode"] else "")
    return label + (f" ({record['aux']})" if record["aux"] else "")


# -- events ------------------------------------------------------------------------------------


@app.command()
def events(
    actor: Annotated[
        str | None, typer.Option(help="Events with this party: code or name (KAZ, China, Wang Yi).")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="...and with this other party (a dyad).")
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option("--type", help="PLOVER event type(s), any case, comma-separated."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    context: Annotated[str | None, typer.Option(help="PLOVER context (economic, …).")] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode (visit, sign, …).")] = None,
    aux: Annotated[str | None, typer.Option(help="future, historical or none.")] = None,
    location: Annotated[str | None, typer.Option(help="Place name or its code.")] = None,
    min_confidence: Annotated[
        float | None, typer.Option(help="Only events at least this sure (0..1).", min=0, max=1)
    ] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence (full text).")] = None,
    limit: Annotated[int, typer.Option(help="How many events.", min=0)] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    order: Annotated[str, typer.Option(help="date_desc, date_asc or confidence.")] = "date_desc",
    fmt: FormatOption = Format.table,
) -> None:
    """Query events, newest first.

    Example: [bold]diplograph events --actor KAZ --partner China --type consult --since 2020[/bold]
    """
    page = _ask(
        lambda store: q.find_events(
            store,
            actor=actor,
            partner=partner,
            type=type_,
            since=since,
            until=until,
            context=context,
            mode=mode,
            aux=aux,
            location=location,
            min_confidence=min_confidence,
            text=text,
            limit=limit,
            offset=offset,
            order=order,
        )  # fmt: skip
    )
    if not page.events:
        beyond = f" ({page.total} match; --offset {offset} is past the end)"
        _nothing("no events match" + (beyond if page.total else ""))
    if fmt == Format.json:
        _jsonl(page.events)
    elif fmt == Format.csv:
        _csv(page.rows())
    else:
        with _table(
            "date", "type", "actors → recipients", "place", "evidence", wide="evidence"
        ) as table:
            for record in page.events:
                table.add_row(
                    record["date"] or "?", _type(record), _parties(record), _place(record),
                    _evidence(record),
                )  # fmt: skip
        shown = f"{offset + 1}–{offset + len(page.events)}"
        err.print(f"events {shown} of {page.total:,}{'' if page.total_exact else '+'}")


# -- actors ------------------------------------------------------------------------------------


@app.command()
def actors(
    query: Annotated[str | None, typer.Argument(help="Part of a name or alias.")] = None,
    kind: Annotated[str | None, typer.Option(help="person, state, organization, other.")] = None,
    limit: Annotated[int, typer.Option(help="How many actors.", min=1)] = 50,
    fmt: FormatOption = Format.table,
) -> None:
    """Find actors by name or alias, most mentioned first.

    Example: [bold]diplograph actors wang --kind person[/bold]
    """
    found = _ask(lambda store: q.find_actors(store, query, kind=kind, limit=limit))
    if not found:
        _nothing(f"no actor matches {query!r}" if query else "the store holds no actors")
    if fmt == Format.json:
        _jsonl(a.to_dict() for a in found)
    elif fmt == Format.csv:
        _csv([a.to_dict() | {"aliases": "; ".join(a.aliases)} for a in found])
    else:
        with _table("name", "kind", "code", "mentions", "aliases", "id") as table:
            for a in found:
                table.add_row(
                    a.name, a.kind, a.code or "", str(a.mention_count),
                    ", ".join(a.aliases[:6]), a.id,
                )  # fmt: skip


@app.command()
def actor(
    name_or_id: Annotated[str, typer.Argument(help="Actor id, code or name (Tokayev, KAZ).")],
    fmt: Annotated[DetailFormat, typer.Option("--format", "-f", help="table or json.")] = (
        DetailFormat.table
    ),
) -> None:
    """One actor: aliases, offices over time, activity, top partners, recent events.

    Example: [bold]diplograph actor "Wang Yi"[/bold]
    """
    detail = _ask(lambda store: q.actor_detail(store, name_or_id))
    if fmt == DetailFormat.json:
        _jsonl([detail.to_dict()])
        return
    code = f", {detail.code}" if detail.code else ""
    out.print(f"{detail.name} ({detail.kind}{code})  id: {detail.id}")
    out.print(f"aliases: {', '.join(detail.aliases) or '-'}")
    out.print(
        f"{detail.mention_count} mention(s) in articles {detail.first_seen or '?'} – "
        f"{detail.last_seen or '?'}; {detail.event_count} event(s) dated "
        f"{detail.first_event or '?'} – {detail.last_event or '?'}"
    )
    if detail.offices:
        with _table("office", "for", "first seen", "last seen") as table:
            for o in detail.offices:
                table.add_row(
                    o["title"], o["code"] or "", o["first_seen"] or "", o["last_seen"] or ""
                )
    if detail.top_partners:
        partners = ", ".join(f"{p['code']} {p['events']}" for p in detail.top_partners)
        out.print(f"top partners (events): {partners}")
    if detail.recent_events:
        with _table("date", "type", "actors → recipients", "evidence", wide="evidence") as table:
            for record in detail.recent_events:
                table.add_row(
                    record["date"] or "?", _type(record), _parties(record), _evidence(record, 140)
                )


# -- relations and timelines -------------------------------------------------------------------


@app.command()
def relations(
    code: Annotated[str, typer.Argument(help="State, organisation or person: code or name.")],
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Partners ranked by shared events, with quad-class counts, mean score and last contact.

    Example: [bold]diplograph relations KAZ --since 2020[/bold]
    """
    found = _ask(lambda store: q.relations(store, code, since=since, until=until))
    if not found:
        _nothing(f"no partners of {code} in the store for that period")
    if fmt == Format.json:
        _jsonl(r.to_dict() for r in found)
    elif fmt == Format.csv:
        _csv([r.to_dict() for r in found])
    else:
        quads = "quad classes 1/2/3/4"
        with _table("partner", "events", quads, "mean score", "last contact", wide="partner") as t:
            for r in found:
                counts = (
                    r.verbal_cooperation, r.material_cooperation,
                    r.verbal_conflict, r.material_conflict,
                )  # fmt: skip
                t.add_row(
                    f"{r.code} {r.name}" if r.name != r.code else r.code, str(r.events),
                    "/".join(map(str, counts)),
                    "" if r.mean_score is None else f"{r.mean_score:+.2f}", r.last_contact or "",
                )  # fmt: skip


@app.command()
def timeline(
    a: Annotated[str, typer.Argument(metavar="A", help="One party: code or name.")],
    b: Annotated[str, typer.Argument(metavar="B", help="The other party: code or name.")],
    by: Annotated[Period, typer.Option(help="month, quarter or year.")] = Period.month,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The dyad's events per period: counts per type and quad class, mean score.

    Example: [bold]diplograph timeline KAZ CHN --by year[/bold]
    """
    found = _ask(lambda store: q.timeline(store, a, b, by=by.value, since=since, until=until))
    if not found:
        _nothing(f"no dated events between {a} and {b} for that period")
    if fmt == Format.json:
        _jsonl(p.to_dict() for p in found)
    elif fmt == Format.csv:
        _csv([p.row() for p in found])
    else:
        columns = ("period", "events", "types", "quad classes 1/2/3/4", "mean score")
        with _table(*columns, wide="types") as table:
            for p in found:
                quads = "/".join(str(p.quad_classes.get(n, 0)) for n in (1, 2, 3, 4))
                types = ", ".join(f"{t} {n}" for t, n in p.types.items())
                score = "" if p.mean_score is None else f"{p.mean_score:+.2f}"
                table.add_row(p.period, str(p.events), types, quads, score)


# -- plans and search --------------------------------------------------------------------------


@app.command()
def calendar(
    since: SinceOption = None,
    until: UntilOption = None,
    actor: Annotated[str | None, typer.Option(help="Plans involving this party.")] = None,
    limit: Annotated[int, typer.Option(help="How many plans.", min=1)] = 100,
    fmt: FormatOption = Format.table,
) -> None:
    """Planned visits, summits and meetings (aux future), soonest first.

    Example: [bold]diplograph calendar --since 2022-06[/bold]
    """
    found = _ask(
        lambda store: q.calendar(store, since=since, until=until, actor=actor, limit=limit)
    )
    if not found:
        _nothing("no planned events for that period")
    if fmt == Format.json:
        _jsonl(p.to_dict() for p in found)
    elif fmt == Format.csv:
        _csv([{"planned_date": p.planned_date} | q.flat_event(p.event) for p in found])
    else:
        with _table(
            "planned", "type", "who", "place", "announced", "evidence", wide="evidence"
        ) as table:
            for p in found:
                table.add_row(
                    p.planned_date or "?", _type(p.event), _parties(p.event), _place(p.event),
                    p.event["date"] or "?", _evidence(p.event, 160),
                )  # fmt: skip


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    limit: Annotated[int, typer.Option(help="How many results.", min=1, max=1000)] = 10,
    fmt: Annotated[DetailFormat, typer.Option("--format", "-f", help="table or json.")] = (
        DetailFormat.table
    ),
) -> None:
    """Full-text search over articles and the evidence of events, best matches first.

    Example: [bold]diplograph search "strategic partnership"[/bold]
    """
    hits = _ask(lambda store: q.search(store, query, limit))
    if not hits:
        _nothing(f"nothing matches {query!r}")
    if fmt == DetailFormat.json:
        _jsonl({k: v for k, v in hit.to_dict().items() if k not in {"paragraphs"}} for hit in hits)
        return
    with _table("what", "date", "title", "snippet", wide="snippet") as table:
        for hit in hits:
            what = hit.kind if hit.kind == "article" else f"event {hit.record['type']}"
            table.add_row(what, hit.date or "", hit.title or "", hit.snippet)

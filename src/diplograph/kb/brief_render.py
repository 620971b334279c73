"""Rendering a :class:`~diplograph.kb.brief.Brief` as Markdown or as a self-contained HTML page.

Both renderings have the same sections in the same order; every line ends with the numbers of
the articles it was read from, and the numbered source list closes the brief.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diplograph.kb.brief import Brief, Evidence, FactItem, Item, Person, Source

QUOTES = 3  # evidence sentences shown under a line; the JSON rendering keeps them all
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")

_SECTIONS = (
    ("relations", "Relations"),
    ("meetings", "High-level visits and meetings"),
    ("agreements", "Agreements and cooperation"),
    ("statements", "Statements of support and criticism"),
    ("economy", "Trade and investment"),
    ("people", "Key people"),
    ("planned", "Planned events ahead"),
    ("sources", "Sources"),
)
_STATEMENTS = (
    ("support", "Support"),
    ("requests", "Requests and demands"),
    ("criticism", "Criticism and conflict"),
)
_NONE = "Nothing in the store."


def _md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _md_code(text: str) -> str:
    return f"`{text}`" if "`" not in text else _md(text)


def _refs(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _item_head(item: Item, planned: bool = False) -> str:
    if planned:
        when = f"planned {item.planned_date or 'date not given'}"
        return f"{when} (announced {item.date or 'undated'})"
    text = item.date or "undated"
    if item.aux == "historical":
        text += " (recalled)"
    return text


def _item_details(item: Item, brief: Brief) -> list[str]:
    lines = []
    if item.type == "CONSULT":
        if item.place:
            lines.append(f"Place: {item.place}")
        lines.append(f"{brief.a.name}: {', '.join(item.people_a) or '—'}")
        lines.append(f"{brief.b.name}: {', '.join(item.people_b) or '—'}")
    elif item.place:
        lines.append(f"Place: {item.place}")
    return lines


def _office_text(person: Person) -> str:
    parts = []
    for office in person.offices:
        span = " to ".join(
            dict.fromkeys(d for d in (office["first_seen"], office["last_seen"]) if d)
        )
        where = ", ".join(x for x in (office["code"], span) if x)
        parts.append(f"{office['title']} ({where})" if where else office["title"])
    return "; ".join(parts) or "office not recorded"


def _source_text(source: Source) -> str:
    bits = [source.title or "(untitled)", source.source or "", source.published or ""]
    return " — ".join(b for b in bits if b)


# -- Markdown -------------------------------------------------------------------------------------


def _md_quotes(evidence: list[Evidence]) -> list[str]:
    lines = [f"  > {_md(e.text)} {_refs([e.source])}" for e in evidence[:QUOTES]]
    if len(evidence) > QUOTES:
        rest = _refs(sorted({e.source for e in evidence[QUOTES:]}))
        lines.append(f"  > … {len(evidence) - QUOTES} more sentence(s) in {rest}")
    return lines


def _md_item(item: Item, brief: Brief, planned: bool = False) -> list[str]:
    lines = [f"- **{_item_head(item, planned)}** — {_md(item.summary)} {_refs(item.sources)}"]
    lines += [f"  - {_md(detail)}" for detail in _item_details(item, brief)]
    return lines + _md_quotes(item.evidence)


def _md_fact(fact: FactItem) -> list[str]:
    return [f"- {_md(fact.summary)} {_refs(fact.sources)}", *_md_quotes(fact.evidence)]


def more_text(brief: Brief, section: str) -> str | None:
    """ "… and N more" for a section listed only in part, with the command that lists them."""
    count = brief.more.get(section)
    if not count:
        return None
    return (
        f"… and {count} more event(s) in the store: diplograph events --actor {brief.a.query}"
        f" --partner {brief.b.query}" + _SECTION_FILTER.get(section, "")
    )


_SECTION_FILTER = {
    "meetings": " --type CONSULT",
    "support": " --type SUPPORT",
    "requests": " --type REQUEST",
    "planned": " --aux future",
}


def _md_items(
    items: list[Item], brief: Brief, planned: bool = False, section: str = ""
) -> list[str]:
    if not items:
        return [_NONE]
    lines = [line for item in items for line in _md_item(item, brief, planned)]
    more = more_text(brief, section)
    return lines + [f"- {_md(more)}"] if more else lines


def markdown(brief: Brief) -> str:
    """The brief as Markdown."""
    lines = [f"# {_md(brief.title)}", ""]
    lines.append(
        f"Period: {_md(brief.period)} · built from {brief.event_count} event(s); "
        f"{brief.article_count} article(s) cited. Numbers in brackets refer to the sources."
    )
    for key, heading in _SECTIONS:
        lines += ["", f"## {heading}", ""]
        if key == "relations":
            facts = brief.relations + brief.partnership
            lines += [line for fact in facts for line in _md_fact(fact)] or [_NONE]
        elif key in ("meetings", "agreements"):
            lines += _md_items(getattr(brief, key), brief, section=key)
        elif key == "planned":
            lines += _md_items(brief.planned, brief, planned=True, section=key)
        elif key == "statements":
            for attr, title in _STATEMENTS:
                items = _md_items(getattr(brief, attr), brief, section=attr)
                lines += [f"### {title}", "", *items, ""]
            lines.pop()
        elif key == "economy":
            lines += [line for fact in brief.economy for line in _md_fact(fact)] or [_NONE]
        elif key == "people":
            for side in (brief.a, brief.b):
                mark = "a" if side is brief.a else "b"
                people = [p for p in brief.people if p.side == mark]
                lines += [f"### {_md(side.name)}", ""]
                lines += [
                    f"- {_md(p.name)} — {_md(_office_text(p))} · {p.events} event(s)"
                    for p in people
                ] or [_NONE]
                lines.append("")
            lines.pop()
        else:
            lines += [
                f"{s.n}. {_md(_source_text(s))}" + (f" — {_md_code(s.path)}" if s.path else "")
                for s in brief.sources
            ] or [_NONE]
    return "\n".join(lines) + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:54rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #333;padding-bottom:.3rem}
h2{font-size:1.2rem;margin-top:1.8rem;border-bottom:1px solid #bbb}
h3{font-size:1rem}
.meta{color:#555}
ul.items>li{margin-bottom:.8rem}
.details{list-style:none;padding-left:1rem;color:#333}
blockquote{margin:.2rem 0 .2rem 1rem;padding-left:.6rem;border-left:3px solid #ccc;
color:#444;font-size:.92rem}
a.ref{text-decoration:none;font-size:.8rem;vertical-align:super}
.none{color:#777;font-style:italic}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_refs(numbers: Iterable[int]) -> str:
    return "".join(f'<a class="ref" href="#src-{n}">[{n}]</a>' for n in numbers)


def _html_quotes(evidence: list[Evidence]) -> str:
    parts = [
        f"<blockquote>{_e(e.text)} {_html_refs([e.source])}</blockquote>" for e in evidence[:QUOTES]
    ]
    if len(evidence) > QUOTES:
        rest = _html_refs(sorted({e.source for e in evidence[QUOTES:]}))
        parts.append(
            f"<blockquote>… {len(evidence) - QUOTES} more sentence(s) in {rest}</blockquote>"
        )
    return "".join(parts)


def _html_list(entries: list[str]) -> str:
    if not entries:
        return f'<p class="none">{_e(_NONE)}</p>'
    return '<ul class="items">' + "".join(f"<li>{entry}</li>" for entry in entries) + "</ul>"


def _html_items(items: list[Item], brief: Brief, planned: bool = False, section: str = "") -> str:
    entries = []
    for item in items:
        details = "".join(f"<li>{_e(d)}</li>" for d in _item_details(item, brief))
        entries.append(
            f"<strong>{_e(_item_head(item, planned))}</strong> — {_e(item.summary)} "
            f"{_html_refs(item.sources)}"
            + (f'<ul class="details">{details}</ul>' if details else "")
            + _html_quotes(item.evidence)
        )
    if entries and (more := more_text(brief, section)):
        entries.append(f'<span class="none">{_e(more)}</span>')
    return _html_list(entries)


def _html_facts(facts: list[FactItem]) -> str:
    return _html_list(
        [f"{_e(f.summary)} {_html_refs(f.sources)}{_html_quotes(f.evidence)}" for f in facts]
    )


def _link(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return f'<a href="{_e(path)}">{_e(path)}</a>'
    return f"<code>{_e(path)}</code>"


def html_page(brief: Brief) -> str:
    """The brief as one HTML page: escaped text, inline style, no external assets."""
    body = [
        f"<h1>{_e(brief.title)}</h1>",
        f'<p class="meta">Period: {_e(brief.period)} · built from {brief.event_count} event(s); '
        f"{brief.article_count} article(s) cited. Numbers in brackets refer to the sources.</p>",
    ]
    for key, heading in _SECTIONS:
        body.append(f'<section id="{key}"><h2>{_e(heading)}</h2>')
        if key == "relations":
            body.append(_html_facts(brief.relations + brief.partnership))
        elif key in ("meetings", "agreements"):
            body.append(_html_items(getattr(brief, key), brief, section=key))
        elif key == "planned":
            body.append(_html_items(brief.planned, brief, planned=True, section=key))
        elif key == "statements":
            for attr, title in _STATEMENTS:
                items = _html_items(getattr(brief, attr), brief, section=attr)
                body.append(f"<h3>{_e(title)}</h3>{items}")
        elif key == "economy":
            body.append(_html_facts(brief.economy))
        elif key == "people":
            for side in (brief.a, brief.b):
                mark = "a" if side is brief.a else "b"
                people = [p for p in brief.people if p.side == mark]
                body.append(f"<h3>{_e(side.name)}</h3>")
                body.append(
                    _html_list(
                        [
                            f"<strong>{_e(p.name)}</strong> — {_e(_office_text(p))} · "
                            f"{p.events} event(s)"
                            for p in people
                        ]
                    )
                )
        else:
            entries = [
                f'<li id="src-{s.n}">{_e(_source_text(s))}'
                + (f" — {_link(s.path)}" if s.path else "")
                + "</li>"
                for s in brief.sources
            ]
            body.append(f"<ol>{''.join(entries)}</ol>" if entries else _html_list([]))
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(brief.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )

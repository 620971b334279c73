"""Evidence highlighted in an article's text, for the event page.

Every read comes from :mod:`diplograph.kb` (find_events, actor_detail, relations, timeline,
calendar, search, build_graph, build_brief, articles); this module only formats.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without the white space at either end (a stored end may take the newline)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _spans(text: str, mentions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character ranges of the evidence in ``text``: the stored offsets, else a search."""
    spans = []
    for mention in mentions:
        start, end, said = mention.get("start"), mention.get("end"), mention.get("text") or ""
        fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
        if fits and (not said or text[start:end].strip() == said.strip()):
            spans.append((start, end))
            continue
        found = text.find(said) if said else -1
        if found >= 0:
            spans.append((found, found + len(said)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(_trimmed(text, span) for span in spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, mentions: list[dict[str, Any]]) -> tuple[Markup, int]:
    """``text`` escaped, with ``<mark>`` around each evidence span; and how many were marked."""
    spans = _spans(text, mentions)
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(str(escape(text[at:start])))
        out.append(f'<mark class="evidence">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out)), len(spans)

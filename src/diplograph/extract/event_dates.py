"""When an event happened: the date of its own clause, the lede's day, publication (issue 3).

Pure functions over the date mentions ``nlp/dates.py`` found in a sentence; the event
extractors (rules and trained coder) call them.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from diplograph.models import DateMention

HISTORICAL_DAYS = 60  # a past event reported more than this after it is "historical"


def clause_dates(predicate: Token, anchor: Token, dates: list[DateMention]) -> list[DateMention]:
    """The dates of the trigger's own clause (coordinated clauses with their own verb
    excluded), nearest first; coordinated dates ("in 1998 and 2009") all come back. Falls
    back to the sentence's date nearest the trigger. A date after "since" bounds the event
    rather than dating it ("the first visit since 2001") and is not taken."""
    doc = predicate.doc
    dates = [d for d in dates if not _since_date(doc, d)]
    if not dates:
        return []
    spans = []
    for token in predicate.subtree:
        if token.dep_ == "conj" and token.pos_ in {"VERB", "AUX"} and token is not predicate:
            spans.append((token.left_edge.idx, token.right_edge.idx + len(token.right_edge)))
    lo = predicate.left_edge.idx
    hi = predicate.right_edge.idx + len(predicate.right_edge)
    own = [d for d in dates if lo <= d.start < hi and not any(a <= d.start < b for a, b in spans)]
    if not own:
        return [min(dates, key=lambda d: abs(d.start - anchor.idx))]
    own.sort(key=lambda d: abs(d.start - anchor.idx))
    first = own[0]
    listed = [
        d
        for d in own
        if d is not first
        and d.precision == first.precision
        and _coordinated(predicate.doc.text, first, d)
    ]
    return [first, *sorted(listed, key=lambda d: d.start)]


def _since_date(doc: Doc, mention: DateMention) -> bool:
    """Whether a date hangs from "since" ("since 2001", "since Pope John Paul II in 2001")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    for token in [span.root, *list(span.root.ancestors)[:3]]:
        if token.lower_ == "since" and token.dep_ in {"prep", "mark"}:
            return True
        if token.pos_ in {"VERB", "AUX"}:
            return False
    return False


def _coordinated(text: str, a: DateMention, b: DateMention) -> bool:
    left, right = (a, b) if a.start < b.start else (b, a)
    between = text[left.end : right.start].strip(" ,").lower()
    return between in {"and", "or", "", "and in", ", and"}


def as_date(published: str | None) -> date | None:
    """The day of an ISO date or timestamp (None when absent or malformed)."""
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def lede_date(
    dates: list[DateMention], published: date | None, lede_end: int
) -> DateMention | None:
    """The day a news report is about: an explicit day shortly before publication, given in
    its first sentence (the lede)."""
    if published is None:
        return None
    for mention in dates[:3]:
        if mention.precision != "day" or mention.start >= lede_end:
            continue
        day = as_date(mention.value)
        if day and 0 <= (published - day).days <= 7:
            return mention
    return None


def publication_day(published: date | None) -> DateMention | None:
    """The publication day as a date mention: the fallback when the text dates nothing."""
    if published is None:
        return None
    return DateMention(0, 0, "", published.isoformat(), "day")


def after_publication(when: DateMention | None, published: date | None) -> bool:
    """Whether a date lies after publication at its own precision (a plan)."""
    if when is None or published is None:
        return False
    return when.value > published.isoformat()[: len(when.value)]


def historical_aux(when: DateMention | None, published: date | None) -> str | None:
    """Past events reported well after they happened (compared with the period's end)."""
    if when is None or published is None:
        return None
    year, month, day = ([*when.value.split("-"), "12", "28"])[:3]
    try:
        end = date(int(year), int(month), min(int(day), 28))
    except ValueError:
        return None
    return "historical" if (published - end).days > HISTORICAL_DAYS else None

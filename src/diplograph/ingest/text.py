"""Plain-text articles: single reports, multi-item digests and signed op-eds.

Shapes handled (see the README's "Input formats" section):

* a leading `` date YYYY-MM-DD`` marker, optionally followed on the same line by a headline
  or directly by a dateline and the body;
* datelines such as ``VATICAN. KAZINFORM``, ``NUR-SULTAN –``, ``NUR-SULTAN. KAZINFORM -``;
* digests whose items each start with a headline line followed by a
  ``DD.MM.YYYY, HH:MM <views>`` line, with ``Images | credit`` and ``Source: X`` lines that
  are metadata, not body;
* a headline on the first line (followed by a blank line);
* a closing signature line (an author or an embassy).
"""

from __future__ import annotations

import re
from collections import Counter

from diplograph.ingest.body import clean_body, make_article, split_dateline
from diplograph.models import Article

_LEADING_DATE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_ITEM_STAMP = re.compile(
    r"^\s*(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4}),\s*(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?:\s+(?P<views>\d+))?\s*$"
)
_MAX_HEADLINE_WORDS = 30


def read_text(text: str, *, path: str | None = None, url: str | None = None) -> list[Article]:
    """All articles in a plain-text document (one, or several for a digest)."""
    lines = text.split("\n")
    stamps = [i for i, line in enumerate(lines) if _ITEM_STAMP.match(line)]
    if stamps:
        return _read_digest(lines, stamps, path=path, url=url)
    return [_read_single(text, path=path, url=url)]


def _read_single(text: str, *, path: str | None, url: str | None) -> Article:
    published = None
    text = text.lstrip("\n")
    if match := _LEADING_DATE.match(text):
        published = match["date"]
        text = text[match.end() :]
    title, rest = _split_headline(text)
    body = clean_body(rest)
    return make_article(body, title=title, published=published, path=path, url=url)


def _split_headline(text: str) -> tuple[str | None, str]:
    """Take the first line as headline when it stands alone and reads like one."""
    first, sep, rest = text.lstrip().partition("\n")
    candidate = first.strip()
    if not sep or not rest.strip() or not _is_headline(candidate):
        return None, text
    return candidate, rest


def _is_headline(line: str) -> bool:
    words = line.split()
    if not words or len(words) > _MAX_HEADLINE_WORDS or line[-1] in ".;:,…":
        return False
    place, _, _ = split_dateline(line)
    return place is None


def _read_digest(
    lines: list[str], stamps: list[int], *, path: str | None, url: str | None
) -> list[Article]:
    headlines = [_headline_before(lines, stamp) for stamp in stamps]
    articles: list[Article] = []
    for n, (stamp, headline) in enumerate(zip(stamps, headlines, strict=True)):
        end = headlines[n + 1] if n + 1 < len(stamps) else len(lines)
        if end is None:
            end = stamps[n + 1]
        match = _ITEM_STAMP.match(lines[stamp])
        assert match is not None
        published = f"{match['y']}-{match['m']}-{match['d']}T{int(match['H']):02d}:{match['M']}:00"
        body = clean_body("\n".join(lines[stamp + 1 : end]))
        extra = {"views": int(match["views"])} if match["views"] else {}
        title = lines[headline].strip() if headline is not None else None
        articles.append(
            make_article(
                body,
                title=title,
                published=published,
                path=path,
                url=url,
                extra={"digest_item": n + 1, **extra},
            )
        )
    _share_digest_source(articles)
    return articles


def _headline_before(lines: list[str], stamp: int) -> int | None:
    """Index of the last non-blank line before a digest item's date stamp."""
    for i in range(stamp - 1, -1, -1):
        if lines[i].strip(" \t\u00a0"):
            return i if _is_headline(lines[i].strip()) else None
    return None


def _share_digest_source(articles: list[Article]) -> None:
    """Items of one digest come from one outlet: fill gaps with the outlet named most."""
    named = Counter(a.source for a in articles if a.source)
    if not named:
        return
    outlet = named.most_common(1)[0][0]
    for article in articles:
        if not article.source:
            article.source = outlet

"""RSS and Atom feeds: one Article per entry.

Feeds come from anywhere, so the XML is first checked with defusedxml: a feed that declares
entities (the "billion laughs" expansion bomb, external entities reading local files or
URLs) is refused before feedparser, which would expand them, ever sees it. feedparser is
given the bytes wrapped in a stream: handed a bare string it would open it as a URL or a
file name.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
import lxml.html
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring
from lxml.etree import ParserError, _Element

from diplograph.ingest.body import clean_body, make_article
from diplograph.ingest.dates import normalise_published
from diplograph.ingest.errors import Rejected
from diplograph.models import Article

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Elements that end a paragraph when feed HTML is turned into text.
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "template", "noscript"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # whitespace in HTML source: one space when shown
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")


def read_feed(
    data: bytes, *, path: str | None = None, url: str | None = None
) -> Iterator[Article | Rejected]:
    """Each entry of an RSS or Atom feed as an Article, or a Rejected saying why not.

    Raises :class:`Rejected` for the whole feed when it declares XML entities, is not
    well-formed XML, or is not a feed.
    """
    _check_xml(data)
    headers = {"content-location": url} if url else None  # base for relative entry links
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        raise Rejected("not an RSS/Atom feed")
    if not parsed.entries:
        raise Rejected("feed has no entries")
    feed_title = _plain_line(parsed.feed, "title")
    for n, entry in enumerate(parsed.entries, start=1):
        try:
            yield _read_entry(entry, n, source=feed_title, path=path or url)
        except Rejected as exc:
            yield exc


def _check_xml(data: bytes) -> None:
    """Refuse XML that declares entities or is not well-formed; parse nothing else."""
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden) as exc:
        raise Rejected(
            "feed declares XML entities; refused (possible entity-expansion attack)"
        ) from exc
    except ParseError as exc:
        raise Rejected(f"not well-formed XML: {exc}") from exc


def _read_entry(entry: Any, n: int, *, source: str | None, path: str | None) -> Article:
    title = _plain_line(entry, "title")
    text = _entry_text(entry)
    body = clean_body(text) if text.strip() else None
    if body is None or not body.paragraphs:
        raise Rejected(f"entry {n} {title or '(untitled)'!r}: no text")
    return make_article(
        body,
        title=title,
        published=_published(entry),
        source=source,
        byline=_author(entry),
        path=path,
        url=entry.get("link") or None,
        source_id=entry.get("id") or None,
    )


def _entry_text(entry: Any) -> str:
    """Plain text of the entry's full content, else of its summary."""
    candidates = [*entry.get("content", []), entry.get("summary_detail")]
    for detail in candidates:
        if not detail or not (detail.get("value") or "").strip():
            continue
        value = detail["value"]
        if detail.get("type", "text/html") in _HTML_TYPES:
            return html_to_text(value)
        return value
    return ""


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: blocks separated by blank lines, ``<br>`` as a newline."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    return _SPACE_AROUND_NEWLINE.sub("\n", "".join(parts)).strip()


def _walk(element: _Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS:
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n\n")
    if tag == "br":
        parts.append("\n")
    if tag in {"td", "th"}:
        parts.append(" ")
    if tag:  # comments and processing instructions have text too: not the entry's
        parts.append(_HTML_SPACE.sub(" ", element.text or ""))
    for child in element:
        _walk(child, parts)
        parts.append(_HTML_SPACE.sub(" ", child.tail or ""))
    if block:
        parts.append("\n\n")


def _published(entry: Any) -> str | None:
    """The entry's publication time: the raw date string, else feedparser's parsed one."""
    for key in ("published", "updated", "created"):
        if published := normalise_published(entry.get(key)):
            return published
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):  # feedparser gives these in UTC
            return normalise_published(datetime(*parsed[:6], tzinfo=UTC))
    return None


def _author(entry: Any) -> str | None:
    """Author name; RSS ``<author>`` is "email (Name)", of which only the name is wanted."""
    detail = entry.get("author_detail") or {}
    return _clean_line(detail.get("name") or entry.get("author"))


def _plain_line(element: Any, key: str) -> str | None:
    """A text field (a title) on one line, its markup removed when the feed says it is HTML."""
    value = element.get(key)
    detail = element.get(f"{key}_detail") or {}
    if value and detail.get("type") in _HTML_TYPES:
        value = html_to_text(value)
    return _clean_line(value)


def _clean_line(value: str | None) -> str | None:
    """``value`` on one line with single spaces; None when blank."""
    return " ".join(value.split()) or None if value else None

"""Web pages: the article's main text and metadata, boilerplate (menus, footers) left out.

Main-text extraction is trafilatura's. The page is parsed into a tree here and the tree is
what trafilatura (and htmldate, which it calls for dates) receives: both libraries fetch a
*string* that looks like a URL, so handing over a tree guarantees no network access.
"""

from __future__ import annotations

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from diplograph.ingest.body import clean_body, make_article
from diplograph.ingest.dates import normalise_published
from diplograph.ingest.errors import Rejected
from diplograph.models import Article

# Meta fields naming when an article was first published, most specific first. htmldate
# (via trafilatura) knows these too but only returns the day; read here, the time survives.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
)
_PUBLISHED_XPATH = (
    "//meta[@content][translate(@property, $upper, $lower) = $key"
    " or translate(@name, $upper, $lower) = $key"
    " or translate(@itemprop, $upper, $lower) = $key]/@content"
)
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def read_html(text: str, *, path: str | None = None, url: str | None = None) -> Article:
    """The article in one HTML page.

    ``url`` is where the page was fetched from; without it the page's canonical link (or
    ``og:url``) is used. Raises :class:`Rejected` when no main text can be found.
    """
    tree = load_html(text)
    if tree is None:
        raise Rejected("no article text found in HTML page")
    published = _meta_published(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
    )
    if doc is None or doc.body is None:
        raise Rejected("no article text found in HTML page")
    blocks = _blocks(doc.body)
    if doc.title:
        # the headline repeated at the top of the body, with any kicker above it
        for index, block in enumerate(blocks[:3]):
            if _same(block, doc.title):
                del blocks[: index + 1]
                break
    body = clean_body("\n\n".join(blocks))
    if not body.paragraphs:
        raise Rejected("no article text found in HTML page")
    extra = {}
    if url and doc.url and doc.url != url:
        extra["canonical_url"] = doc.url
    return make_article(
        body,
        title=doc.title,
        published=published or normalise_published(doc.date),
        source=doc.sitename,
        byline=doc.author,
        path=path,
        url=url or doc.url,
        extra=extra,
    )


def _meta_published(tree: HtmlElement) -> str | None:
    """Publication time from the page's meta tags or a ``<time itemprop=datePublished>``."""
    for key in _PUBLISHED_META:
        for value in tree.xpath(_PUBLISHED_XPATH, key=key, upper=_UPPER, lower=_LOWER):
            if published := normalise_published(value):
                return published
    for value in tree.xpath("//time[@itemprop='datePublished']/@datetime"):
        if published := normalise_published(value):
            return published
    return None


def _blocks(body: _Element) -> list[str]:
    """Text of each block (paragraph, heading, list item, table row) of trafilatura's body.

    Line breaks inside a block are kept as single newlines, so that :func:`clean_body`
    treats them the way it treats hard-wrapped lines in any other input.
    """
    blocks: list[str] = []
    for element in body:
        if element.tag == "list":
            blocks.extend(_list_items(element))
        elif element.tag == "table":
            for row in element.iter("row"):
                cells = [" ".join(_text(cell).split()) for cell in row]
                blocks.append(" | ".join(cell for cell in cells if cell))
        else:
            blocks.append(_text(element))
    return [block.strip() for block in blocks if block.strip()]


def _list_items(element: _Element) -> list[str]:
    """Each item of a (possibly nested) list, nested items after their parent."""
    items: list[str] = []
    for item in element.iter("item"):
        items.append(_text(item, skip="list"))
    return items


def _text(element: _Element, *, skip: str | None = None) -> str:
    """Text of an element with ``<lb/>`` as newlines, leaving out child elements ``skip``."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != skip:
            parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()

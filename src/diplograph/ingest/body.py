"""Turning raw body text into clean paragraphs plus the metadata hidden in it.

Shared by every reader: paragraph splitting, datelines (``NUR-SULTAN. KAZINFORM -``,
``LONDON (Reuters) -``), credit/source lines, signatures and agency attributions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from diplograph.ingest.errors import Rejected
from diplograph.models import Article

# "Images | ortcom.kz", "Photo: AFP"
_CREDIT_LINE = re.compile(
    r"^(?:images?|photos?|photo credit|picture)\s*[|:]\s*(?P<credit>.+)$", re.I
)
# "Source: Kazinform"
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>[^.]{2,60})$", re.I)
# "By Jane Smith" at the top of a body
_BY_LINE = re.compile(r"^by\s+(?P<byline>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,4})$")

_PLACE_WORD = r"[A-Z][A-Z'’\-]*(?![a-z])"
_PLACE = rf"(?P<place>(?:ST\.\s+)?{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}})"
_REGION = r"(?:\s*,\s*(?P<region>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?=\s*[(\-–—,]))?"
_WIRE_DATE = r"(?:\s*,\s*(?P<wiredate>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
_AGENCY_PAREN = r"(?:\s*\((?P<agency_paren>[A-Za-z][\w .&-]{1,30})\))?"
_AGENCY_DOT = r"(?:\.\s+(?P<agency_dot>[A-Z][A-Z\-]{2,}(?:\s+[A-Z][A-Z\-]{2,})?)(?=\s))?"
_DASH = r"(?P<dash>\s*[-–—]{1,2}|\s*:)?"
_DATELINE = re.compile(
    rf"^{_PLACE}{_REGION}{_WIRE_DATE}{_AGENCY_PAREN}{_AGENCY_DOT}{_DASH}\s+(?=[\"'“‘«A-Z0-9])"
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SIGN_OFF = re.compile(r"(?:^|(?<=[.!?\"”]))\s*(?P<word>[A-Za-z]{2,})[\s.^M]*$")
_TERMINAL = '.!?»"”’:;…'
_SIGNATURE_SMALL_WORDS = {"of", "the", "in", "and", "for", "on", "at", "to", "de", "du", "la", "&"}

# "Kazinform cites ...", "Kazinform has learned ...", "Kazinform correspondent reports"
_ATTRIBUTION = re.compile(
    r"\b(?P<agency>[A-Z][A-Za-z]{2,}(?:\s[A-Z][A-Za-z]+)?)\s+(?:cites|has learned|learnt|"
    r"correspondent reports|correspondent reported)\b"
)


@dataclass(slots=True)
class Body:
    """A cleaned body and the metadata pulled out of it."""

    paragraphs: list[str]
    dateline: str | None = None
    agency: str | None = None
    byline: str | None = None
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@cache
def _reference() -> dict:
    data = resources.files("diplograph.data").joinpath("ingest.json").read_text("utf-8")
    return json.loads(data)


def agency_name(raw: str) -> str:
    """Display name of a news agency as written in a dateline ("KAZINFORM" -> "Kazinform")."""
    key = " ".join(raw.upper().split())
    known = _reference()["agencies"].get(key)
    if known:
        return known
    return raw if not raw.isupper() else raw.title()


def place_name(raw: str) -> str:
    """Title-case an all-caps place ("NUR-SULTAN" -> "Nur-Sultan")."""
    words = []
    for word in raw.split():
        parts = [p[:1].upper() + p[1:].lower() for p in word.split("-")]
        words.append("-".join(parts))
    return " ".join(words)


def split_paragraphs(text: str) -> list[str]:
    """Split body text into paragraphs.

    Blank lines always separate paragraphs. Inside a block, hard-wrapped lines (wire copy
    wrapped at ~70 columns) are joined and an indented line starts a new paragraph; long
    lines are each a paragraph of their own.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t\u00a0\u2000-\u200b\u3000]*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        hard_wrapped = len(lines) > 1 and max(len(line) for line in lines) <= 90
        current: list[str] = []
        for line in lines:
            indented = line[:1] in (" ", "\t") and len(line) - len(line.lstrip()) >= 2
            if current and (not hard_wrapped or indented):
                paragraphs.append(" ".join(current))
                current = []
            current.append(" ".join(line.split()))
        if current:
            paragraphs.append(" ".join(current))
    return [p for p in paragraphs if p]


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a leading dateline off a paragraph: ``(place, agency, rest)``."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, None, paragraph
    place = match["place"].strip(" .")
    agency = match["agency_paren"] or match["agency_dot"]
    has_marker = bool(agency or match["dash"] or match["wiredate"])
    letters = re.sub(r"[^A-Z]", "", place)
    if not has_marker or len(letters) < 3 or place in _reference()["not_places"]:
        return None, None, paragraph
    if agency and agency.upper() in _reference()["not_places"]:
        return None, None, paragraph
    rest = paragraph[match.end() :].lstrip()
    if not rest:
        return None, None, paragraph
    return place_name(place), agency_name(agency) if agency else None, rest


def dateline_place(raw: str) -> str | None:
    """Place of a dateline given as a field ("SALVADOR, Feb 26 -" -> "Salvador")."""
    raw = raw.strip()
    if not raw:
        return None
    place, _, _ = split_dateline(raw + " X")
    if place:
        return place
    # a dash ends the place only when set off by spaces ("Salvador -", "Nur-Sultan" stays)
    head = re.split(r",|\(|\s[-–—]|[–—]", raw, maxsplit=1)[0].strip()
    return place_name(head) if head.isupper() else head or None


def is_signature(line: str) -> bool:
    """A closing line naming the author: short, unpunctuated, mostly capitalised words."""
    words = line.split()
    if re.search(r"[a-z]{2}\.\s|\d", line):  # a sentence break or a figure: not a name
        return False
    if not 2 <= len(words) <= 15 or len(line) > 140 or line.rstrip()[-1] in _TERMINAL:
        return False
    content = [w for w in words if w.lower() not in _SIGNATURE_SMALL_WORDS]
    capitalised = sum(1 for w in content if w[:1].isupper() or w[:1] in "—–-")
    return bool(content) and capitalised / len(content) >= 0.75


def _strip_sign_off(body: Body) -> None:
    """Remove a wire's closing sign-off ("... last sentence. Reuter") and keep it as agency."""
    last = body.paragraphs[-1]
    match = _SIGN_OFF.search(last)
    if not match or match["word"].upper() not in _reference()["agencies"]:
        return
    body.agency = body.agency or agency_name(match["word"])
    rest = last[: match.start()].rstrip()
    if rest:
        body.paragraphs[-1] = rest
    else:
        body.paragraphs.pop()


def _ends_with_signature(paragraphs: list[str]) -> bool:
    """A signature closes prose: the paragraphs before it must read as running text."""
    if len(paragraphs) < 2 or not is_signature(paragraphs[-1]):
        return False
    prose = paragraphs[:-1]
    return sum(len(p) for p in prose) / len(prose) >= 80


def clean_body(text: str, *, find_dateline: bool = True, find_signature: bool = True) -> Body:
    """Paragraphs of ``text`` without dateline, credit, source and signature lines."""
    body = Body(paragraphs=[])
    for paragraph in split_paragraphs(text):
        if credit := _CREDIT_LINE.match(paragraph):
            body.extra["image_credit"] = credit["credit"].strip()
            continue
        if source := _SOURCE_LINE.match(paragraph):
            body.source = source["source"].strip()
            continue
        body.paragraphs.append(paragraph)
    if body.paragraphs and (by := _BY_LINE.match(body.paragraphs[0])):
        body.byline = by["byline"]
        body.paragraphs.pop(0)
    if find_dateline and body.paragraphs:
        place, agency, rest = split_dateline(body.paragraphs[0])
        if place:
            body.dateline, body.agency = place, agency
            body.paragraphs[0] = rest
    if body.paragraphs:
        _strip_sign_off(body)
    if find_signature and _ends_with_signature(body.paragraphs):
        body.byline = body.byline or body.paragraphs.pop().lstrip("—–- ")
    return body


def attributed_agency(text: str) -> str | None:
    """The agency a report credits itself to in its text ("Kazinform cites ...")."""
    match = _ATTRIBUTION.search(text[:3000])
    return agency_name(match["agency"]) if match else None


def inferred_title(paragraphs: list[str], limit: int = 110) -> str | None:
    """A title for an article that has none: its first sentence, shortened at a word break."""
    if not paragraphs:
        return None
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"«])", paragraphs[0], maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def make_article(
    body: Body,
    *,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    path: str | None = None,
    url: str | None = None,
    source_id: str | None = None,
    byline: str | None = None,
    dateline: str | None = None,
    extra: dict | None = None,
) -> Article:
    """Assemble an Article from a cleaned body and reader-level metadata.

    Metadata the reader knew for certain (a feed's title, a JSON field) wins over what was
    found inside the body; the body's own attribution is the last resort for the source.
    """
    if not body.paragraphs:
        raise Rejected("no body text")
    title_inferred = False
    if not title:
        title, title_inferred = inferred_title(body.paragraphs), True
    return Article(
        text=body.text,
        paragraphs=body.paragraphs,
        title=title,
        title_inferred=title_inferred,
        published=published,
        source=source or body.source or body.agency or attributed_agency(body.text),
        dateline=dateline or body.dateline,
        byline=byline or body.byline,
        path=path,
        url=url,
        source_id=source_id,
        extra={**body.extra, **(extra or {})},
    )

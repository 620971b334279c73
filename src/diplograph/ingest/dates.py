"""Publication timestamps from whatever an input carries, normalised to ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_published(value: object) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` (UTC when a zone was given), else None.

    Accepts ISO 8601 strings, RFC 822 feed dates, ``datetime``/``date`` objects and, as a
    last resort, free-form dates such as "June 7, 2022" (via dateparser).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if _ISO_DATE.match(text):
        return _valid_date(text)
    try:
        return _iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow to import: only for the rare free-form date

    parsed = dateparser.parse(text, settings={"STRICT_PARSING": True})
    return _iso(parsed) if parsed else None


def _valid_date(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()

"""Date expressions in article text, resolved against the publication date.

``find_dates`` finds candidates with a few precompiled patterns (each starts with a literal
anchor - a month, weekday, digit or keyword - so scanning stays fast; prefixes such as "in",
"last" or "Monday," are read backwards from the anchor), keeps the leftmost-longest
non-overlapping ones and resolves them left to right: anaphora ("the same day", "two days
later") resolve against the nearest earlier mention that is precise enough. Decisions:

* Year-less dates ("Sept. 12", "in November") take the year that puts them closest to the
  publication date; ties go to the past. ``relative=True``.
* Seasons: value = first month, end_value = last month, precision month (spring Mar-May,
  summer Jun-Aug, autumn/fall Sep-Nov, winter Dec-Feb of the next year).
* "last/this/next week": value = Monday, end_value = Sunday, precision day.
* Weekdays: "on Monday" is the latest Monday on or before publication, or the first on or
  after it when the sentence before it is future ("will", "due to", "scheduled", ...) and
  no reporting verb ("said Monday") precedes it. "last Monday" is strictly before, "next
  Monday" strictly after, "the following Monday" the first after the previous day mention.
* Decades and centuries: year precision, value = first year, end_value = last year ("the
  1990s" 1990-1999, "the twentieth century" 1900-1999). "early/mid/late" and "the end /
  beginning / start / middle of" widen the span, not the value ("the end of 2021" = 2021).
* "N days/weeks/months/years ago" resolve against publication; "30 years" alone is no date.
* Anaphora take ``relative`` from their antecedent and are skipped without one.
* Bare years need a trigger before them (in, since, by, of, from, during, early, ...), a
  list after one ("in 1998 and 2009"), a range ("between 2015 and 2018", "2021-2025") or a
  sentence start and a lowercase word after ("2023 will be ..."); "the 2030 Agenda" is none.
* Numeric dates are day-first (07.06.2022); "a/b/yyyy" is month-first only when day-first
  is impossible. Without a publication date, relative expressions are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from diplograph.models import DateMention

__all__ = ["find_dates"]

_MONTHS = "January February March April May June July August September October November December"
_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_MON3 = [m[:3].lower() for m in _MONTHS.split()]
_MON = "|".join([*_MONTHS.split(), *(a + r"\." for a in _ABBR), *_ABBR])
_WD = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMW = "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_NUM = {w: i for i, w in enumerate(_NUMW.split("|")[2:], 1)} | {"a": 1, "an": 1}
_ORDW = "fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first"
_SEASON = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_YB = r"(?:1[89]\d\d|20\d\d|2100)"
_D = r"(?:st|nd|rd|th)?(?![\w%]|[.,:]\d)"
_Y = r"(?:,?\s*(?P<y{0}>(?:1[89]|20|21)\d\d)(?!\d|[.,]\d))?"
_SEP = r"\s*(?:-|–|—|to|until|till|and|through)\s*"
_M = rf"(?=[JFMASOND])(?P<m{{0}}>{_MON})(?!\w)"


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_RX_MONTH = _rx(  # month first: md_md | md_d | mdy | month range | month year | bare month
    _M.format(1)
    + rf"(?:\s*(?P<d1a>\d\d?){_D}{_SEP}{_M.format('2a')}\s*(?P<d2a>\d\d?){_D}"
    + _Y.format("a")
    + rf"|\s*(?P<d1b>\d\d?){_D}{_SEP}(?P<d2b>\d\d?){_D}{_Y.format('b')}"
    + rf"|\s*(?P<d1c>\d\d?){_D}{_Y.format('c')}|\s*(?:-|–|to|until|and|through)\s*"
    + _M.format("2d")
    + _Y.format("d")
    + r"|,?\s+(?:of\s+)?(?P<ye>(?:1[89]|20|21)\d\d)(?!\d)"
    + r"|(?:\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b)?)"
)
_RX_DAY = _rx(  # day first: dm_dm | d_dm | dmy
    rf"(?P<d1>\d\d?){_D}(?:(?:\s+of)?\s+{_M.format('1a')}{_SEP}(?P<d2a>\d\d?){_D}(?:\s+of)?\s+"
    + _M.format("2a")
    + _Y.format("a")
    + rf"|{_SEP}(?P<d2b>\d\d?){_D}(?:\s+of)?\s+"
    + _M.format("2b")
    + _Y.format("b")
    + rf"|(?:\s+of)?\s+{_M.format('1c')}{_Y.format('c')})"
)
_RX_YEAR = _rx(
    rf"(?P<y1>{_YB})(?:\s*(?P<sep>-|–|—|to|and|until|till|through)\s*(?P<y2>\d\d(?:\d\d)?))?"
    r"(?!\d|[.,%]\d|%)"
)
_RX_ISO = _rx(r"(?P<y>(?:1[89]|2[01])\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])")
_RX_NUM = _rx(r"(?P<d>\d\d?)(?P<s>[./])(?P<m>\d\d?)(?P=s)(?P<y>(?:19|20)\d\d)(?!\d)")
_RX_WEEKDAY = _rx(rf"(?P<wd>{_WD})(?!\w|\s+(?:Times|Telegraph|Mirror|Express|Herald|Post))")
_RX_REL = _rx(
    r"(?P<w>yesterday|Yesterday|today|Today|tonight|Tonight|tomorrow|Tomorrow)\b(?!\s+programme)"
    r"|(?P<dir>last|"
    r"Last|this|This|next|Next)\s+(?P<unit>(?i:week|month|year|night|morning|afternoon|evening"
    r"|spring|summer|autumn|fall|winter))\b"
)
_RX_ANA = _rx(
    r"(?:[Tt]he\s+(?:very\s+)?(?P<k>same|next|following|previous|preceding)|[Tt]hat(?:\s+same)?)"
    r"\s+(?P<unit>day|week|month|year)\b"
)
_RX_AGO = _rx(
    rf"(?i:\b(?P<n>{_NUMW}|\d{{1,3}})\s+(?P<unit>day|week|month|year|decade)s?\s+"
    r"(?P<k>ago|later|earlier)\b)"
)
_RX_SEASON = _rx(rf"(?i:\b(?P<s>spring|summer|autumn|fall|winter)(?:,|\s+of)?\s+)(?P<y>{_YB})\b")
_RX_PART = _rx(
    r"(?i:\b(?:the\s+)?(?:(?P<ord>first|second|third|fourth|last|final)\s+(?P<unit>quarter|half)"
    r"|first\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+months)"
    rf"(?:\s+of\s+(?:(?P<dir>this|last|next|the)\s+year|(?P<y>{_YB})))?)\b"
)
_RX_DECADE = _rx(r"\b(?P<y>1[5-9]\d0|20\d0)['’]?s\b")
_RX_CENTURY = _rx(rf"(?i:\b(?:(?P<c>1[5-9]|2[01])(?:st|th)|(?P<cw>{_ORDW}))\s+century)\b")

_BACK_MON = _rx(
    r"(?:\b(?P<pre>(?i:in|since|until|till|from|before|after|during|through|throughout|by|of"
    r"|early|late|mid|between))[\s-]+)?(?:\b(?P<dir>(?i:last|next|this))\s+)?$"
)
_BACK_WD = _rx(rf"\b(?:{_WD}),?\s+(?:the\s+)?$")
_BACK_YEAR = _rx(
    r"(?:\b(?P<pre>(?i:in|since|by|until|till|through|throughout|of|from|before|after|during"
    r"|early|late|mid|around|circa|as\s+of|year|between))[\s-]+|(?P<st>^[ \t]*|[.!?][\"”']?\s+"
    r"|[\"“«(]))$",
    re.M,
)
_BACK_WEEKDAY = _rx(
    r"(?:\b(?P<dir>(?i:last|next|this|the\s+following|the\s+next|the\s+previous))\s+|(?P<named>"
    r"\b(?:Black|Good|Bloody|Super|Holy|Ash|Easter|Cyber|Palm|Maundy)\s+|Mail\s+on\s+))$"
)
_QUAL = _rx(
    r"(?i:(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|turn)\s+of\s+(?:the\s+)?"
    r"|\b(?:early|earlier|late|later|mid)(?:\s+(?:and|or|to)\s+(?:early|late|mid))?(?:-|\s+))$"
)
_WD_DATE = _rx(rf",?\s+(?:the\s+)?(?:\d|(?:{_MON})(?!\w))")
_YLIST = _rx(rf"{_YB}(?:(?:\s*,\s*|\s+)(?:(?:and|or|&)\s+)?{_YB}(?!\d))*")
_LOWER_NEXT = _rx(r",?\s+[a-z]")
_UNIT = _rx(
    r"\s*(?:%|(?i:per\s*cent|percent)\b|\s+(?:people|persons|troops|soldiers|men|women|children"
    r"|dollars|euros|pounds|tonnes|tons|km|kilometres|kilometers|miles|metres|meters|votes"
    r"|seats|cases|deaths|jobs|barrels|hectares|workers|refugees|migrants|members|delegates"
    r"|students|families|homes|units|vehicles|years|rubles|tenge)\b)"
)
_FUTURE = _rx(
    r"\b(?:will|shall|won't|(?:is|are)\s+(?:due|set|scheduled|expected|planned|slated|going)"
    r"\s+to|(?:is|are)\s+to|to\s+be\s+held|scheduled|upcoming|plans?\s+to)\b",
    re.I,
)
_REPORT = _rx(r"\b(?:said|says|told|announced|reported|confirmed|stated|wrote)\s+(?:on\s+)?$")
_SENT = _rx(r"[.!?][\"”»']?\s+(?=[\"“«A-Z])|\n")
_STRONG_MAY = {"in", "since", "until", "till", "early", "late", "mid", "during", "between"}

Res = tuple[int, int, str, str, str | None, bool]  # start, end, value, precision, end, rel


class _Ctx:
    def __init__(self, text: str, pub: date | None) -> None:
        self.text, self.pub, self.out = text, pub, []  # type: list[DateMention]

    def antecedent(self, precisions: tuple[str, ...]) -> DateMention | None:
        return next((d for d in reversed(self.out) if d.precision in precisions), None)

    def back(self, rx: re.Pattern[str], s: int, width: int = 40) -> re.Match[str] | None:
        return rx.search(self.text, max(0, s - width), s)


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _fmt(y: int, m: int | None = None) -> str:
    return f"{y:04d}" if m is None else f"{y:04d}-{m:02d}"


def _mon(s: str) -> int:
    return _MON3.index(s[:3].lower()) + 1


def _num(s: str) -> int:
    return int(s) if s.isdigit() else _NUM[s.lower()]


def _shift(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + m - 1 + k
    return i // 12, i % 12 + 1


def _week(day: date) -> tuple[str, str, str | None]:
    monday = day - timedelta(days=day.weekday())
    return monday.isoformat(), "day", (monday + timedelta(days=6)).isoformat()


def _closest_year(pub: date, m: int, d: int | None) -> int | None:
    """The year putting month ``m`` (day ``d``) closest to ``pub``; ties go to the past."""
    best: tuple[int, int] | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        if d is None:
            dist = abs((y * 12 + m) - (pub.year * 12 + pub.month))
        elif (day := _day(y, m, d)) is not None:
            dist = abs((day - pub).days)
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else None


def _dayspan(
    c: _Ctx, a: int, b: int, m1: str, d1: str, m2: str, d2: str, ys: str | None
) -> list[Res]:
    """A day or day range; a year-less one takes the year closest to publication."""
    mo1, mo2, dd1, dd2 = _mon(m1), _mon(m2), int(d1), int(d2)
    if ys:
        y2 = int(ys)
        y1 = y2 - ((mo2, dd2) < (mo1, dd1))
    elif c.pub is None or (y1 := _closest_year(c.pub, mo1, dd1) or 0) == 0:
        return []
    else:
        y2 = y1 + ((mo2, dd2) < (mo1, dd1))
    start, end = _day(y1, mo1, dd1), _day(y2, mo2, dd2)
    if not start or not end or (end - start).days > 366:
        return []
    endv = end.isoformat() if end != start else None
    return [(a, b, start.isoformat(), "day", endv, not ys)]


def _digit_ok(text: str, s: int) -> bool:
    """No word character, number punctuation or currency sign right before a number."""
    prev = text[s - 1 : s]
    return not prev or not (
        prev.isalnum()
        or prev in ".,$£€/+_"
        or prev == "-"
        and text[max(0, s - 4) : s - 1].lower() != "mid"
    )


def _ext_wd(c: _Ctx, s: int) -> int:
    back = c.back(_BACK_WD, s, 20)
    return back.start() if back else s


def _month_first(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    g, e = m.groupdict(), m.end()
    if g["d1a"]:
        return _dayspan(c, _ext_wd(c, s), e, g["m1"], g["d1a"], g["m2a"], g["d2a"], g["ya"])
    if g["d1b"] or g["d1c"]:
        d1, d2, y = (g["d1b"], g["d2b"], g["yb"]) if g["d1b"] else (g["d1c"], g["d1c"], g["yc"])
        return _dayspan(c, _ext_wd(c, s), e, g["m1"], d1, g["m1"], d2, y)
    m1 = _mon(g["m1"])
    if g["ye"]:
        return [(s, e, _fmt(int(g["ye"]), m1), "month", None, False)]
    back = c.back(_BACK_MON, s)
    pre = (back["pre"] or "").lower() if back else ""
    dirw = (back["dir"] or "").lower() if back else ""
    if g["m2d"] and (g["yd"] or pre in ("between", "from")):
        m2 = _mon(g["m2d"])
        if g["yd"]:
            y2 = int(g["yd"])
            y1, rel = y2 - (m2 < m1), False
        elif c.pub and (y1 := _closest_year(c.pub, m1, None) or 0):
            y2, rel = y1 + (m2 < m1), True
        else:
            return []
        return [(s, e, _fmt(y1, m1), "month", _fmt(y2, m2), rel)]
    e, p = m.end("m1") if g["m2d"] else e, c.pub
    if (
        p is None
        or g["m1"] not in _MONTHS
        or not (pre or dirw or g["rel"])
        or c.text[e : e + 2] in ("'s", "’s")
    ):
        return []
    if g["m1"] == "May" and not (pre in _STRONG_MAY or dirw or g["rel"]):
        return []
    if back and dirw:
        s = back.start("dir")
    if dirw == "this" or g["rel"] == "this":
        y = p.year
    elif dirw:  # "last June", "next June"
        y = p.year - (m1 >= p.month) if dirw == "last" else p.year + (m1 <= p.month)
    elif g["rel"]:  # "June last year"
        y = p.year + (1 if g["rel"] == "next" else -1)
    else:
        y = _closest_year(p, m1, None) or p.year
    return [(s, e, _fmt(y, m1), "month", None, True)]


def _day_first(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    g = m.groupdict()
    if not _digit_ok(c.text, s):
        return []
    if g["d2a"]:
        args = (g["m1a"], g["d1"], g["m2a"], g["d2a"], g["ya"])
    elif g["d2b"]:
        args = (g["m2b"], g["d1"], g["m2b"], g["d2b"], g["yb"])
    else:
        args = (g["m1c"], g["d1"], g["m1c"], g["d1"], g["yc"])
    return _dayspan(c, _ext_wd(c, s), m.end(), *args)


def _numeric(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if mo > 12 and m.groupdict().get("s") == "/":
        mo, d = d, mo
    day = _day(y, mo, d) if _digit_ok(c.text, s) else None
    return [(s, m.end(), day.isoformat(), "day", None, False)] if day else []


def _year(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    t = c.text
    if not _digit_ok(t, s):
        return []
    back = c.back(_BACK_YEAR, s, 25)
    pre = (back["pre"] or "").lower() if back else ""
    if m["y2"]:
        y1, sep, y2s = int(m["y1"]), m["sep"], m["y2"]
        y2 = int(y2s) if len(y2s) == 4 else y1 // 100 * 100 + int(y2s)
        if y1 < y2 <= y1 + 100 and (
            pre in ("between", "from") or not sep.isalpha() or len(y2s) == 4 and sep != "and"
        ):
            return [(s, m.end(), str(y1), "year", str(y2), False)]
    if back is None or back["st"] is not None and not _LOWER_NEXT.match(t, s + 4):
        return []
    out: list[Res] = []
    for ym in re.finditer(r"\d{4}", _YLIST.match(t, s).group()):  # type: ignore[union-attr]
        a, b = s + ym.start(), s + ym.end()
        if not _UNIT.match(t, b):
            out.append((a, b, ym.group(), "year", None, False))
    return out


def _weekday(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    back = c.back(_BACK_WEEKDAY, s, 20)
    if (back and back["named"]) or _WD_DATE.match(c.text, m.end()):
        return []  # "Black Friday"; "Monday, June 5" is read by the date patterns
    wd = _WD.split("|").index(m["wd"])
    dirw = " ".join((back["dir"] or "").lower().split()) if back else ""
    base, rel = c.pub, True
    if dirw.startswith("the "):
        ante = c.antecedent(("day",))
        base, rel = (date.fromisoformat(ante.value), ante.relative) if ante else (None, True)
    if base is None:
        return []
    back_days, fwd = (base.weekday() - wd) % 7, (wd - base.weekday()) % 7
    if dirw in ("last", "the previous"):
        k = -(back_days or 7)
    elif dirw in ("next", "the next", "the following"):
        k = fwd or 7
    else:
        k = fwd if _is_future(c.text, s) else -back_days
    a = back.start() if back and dirw else s
    return [(a, m.end(), (base + timedelta(days=k)).isoformat(), "day", None, rel)]


def _is_future(text: str, s: int) -> bool:
    lo = max(0, s - 300)
    begin = max((b.end() for b in _SENT.finditer(text, lo, s)), default=lo)
    if _REPORT.search(text, max(begin, s - 25), s):
        return False
    stop = _SENT.search(text, s)
    end = stop.start() if stop and s - begin < 15 else s
    return bool(_FUTURE.search(text, begin, end))


def _season(c: _Ctx, s: int, e: int, name: str, y: int | None, dirw: str) -> list[Res]:
    first, p = _SEASON[name.lower()], c.pub
    if y is None:
        if p is None:
            return []
        now, starts = (
            p.year * 12 + p.month - 1,
            [yy * 12 + first - 1 for yy in range(p.year - 2, p.year + 2)],
        )
        if dirw == "this":
            y = p.year - (first == 12 and p.month <= 2)
        elif dirw == "last":
            y = max(x for x in starts if x + 2 < now) // 12
        else:
            y = min(x for x in starts if x > now) // 12
    return [(s, e, _fmt(y, first), "month", _fmt(*_shift(y, first, 2)), dirw != "")]


def _offset(base: date, unit: str, n: int) -> tuple[str, str, str | None]:
    """``base`` moved by ``n`` units, at the unit's precision ("week" moves a day by 7n)."""
    if unit in ("day", "week"):
        return (base + timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), "day", None
    if unit == "month":
        return _fmt(*_shift(base.year, base.month, n)), "month", None
    return _fmt(base.year + n * (10 if unit == "decade" else 1)), "year", None


def _relative(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    p = c.pub
    unit, dirw = (m["unit"] or "").lower(), (m["dir"] or "").lower()
    if dirw == "last" and c.text[max(0, s - 4) : s].lower() == "the ":
        return []  # "over the last week" is a duration
    if unit in _SEASON:
        return _season(c, s, m.end(), unit, None, dirw)
    if p is None:
        return []
    k = {"yesterday": -1, "tomorrow": 1, "last": -1, "next": 1}.get((m["w"] or dirw).lower(), 0)
    if m["w"] or unit in ("night", "morning", "afternoon", "evening"):
        return [(s, m.end(), (p + timedelta(days=k)).isoformat(), "day", None, True)]
    v, prec, e = _week(p + timedelta(days=7 * k)) if unit == "week" else _offset(p, unit, k)
    return [(s, m.end(), v, prec, e, True)]


_DMY = ("day", "month", "year")
_NEED = {"day": _DMY[:1], "week": _DMY[:1], "month": _DMY[:2], "year": _DMY, "decade": _DMY}


def _shifted(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    """Anaphora ("the same day", "the following month", "two days later") and "N years ago"."""
    unit, k = m["unit"].lower(), (m["k"] or "same").lower()
    if k == "ago":
        base, rel = c.pub, True
    elif (ante := c.antecedent(_NEED[unit])) is not None:
        base, rel = date.fromisoformat((ante.value + "-01-01")[:10]), ante.relative
    else:
        return []
    if base is None:
        return []
    n = _num(m["n"]) if m.re is _RX_AGO else 1
    n = {"same": 0, "ago": -n, "earlier": -n, "previous": -1, "preceding": -1}.get(k, n)
    if unit == "week" and m.re is _RX_ANA:
        v, prec, e = _week(base + timedelta(days=7 * n))
    else:
        v, prec, e = _offset(base, unit, n)
    return [(s, m.end(), v, prec, e, rel)]


def _part(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    if m["n"]:
        a, b = 1, min(_num(m["n"]), 12)
    else:
        size = 3 if m["unit"].lower() == "quarter" else 6
        o = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(m["ord"].lower(), 12 // size)
        if o * size > 12:
            return []
        a, b = (o - 1) * size + 1, o * size
    dirw, rel = (m["dir"] or "the").lower(), True
    if m["y"]:
        y, rel = int(m["y"]), False
    elif dirw != "the" and c.pub:
        y = c.pub.year + {"this": 0, "last": -1, "next": 1}[dirw]
    elif (ante := c.antecedent(_DMY)) is not None:
        y, rel = int(ante.value[:4]), ante.relative
    elif c.pub:
        y = c.pub.year
    else:
        return []
    return [(s, m.end(), _fmt(y, a), "month", _fmt(y, b), rel)]


def _era(c: _Ctx, m: re.Match[str], s: int) -> list[Res]:
    if m.re is _RX_SEASON:
        return _season(c, s, m.end(), m["s"], int(m["y"]), "")
    if m.re is _RX_DECADE:
        a = int(m["y"])
        return [(s, m.end(), _fmt(a), "year", _fmt(a + 9), False)]
    n = int(m["c"]) if m["c"] else _ORDW.split("|").index(m["cw"].lower()) + 15
    return [(s, m.end(), _fmt((n - 1) * 100), "year", _fmt((n - 1) * 100 + 99), False)]


_Handler = Callable[[_Ctx, re.Match[str], int], list[Res]]
_RULES: list[tuple[re.Pattern[str], _Handler, tuple[str, ...]]] = [
    (_RX_ISO, _numeric, ()),
    (_RX_NUM, _numeric, ()),
    (_RX_DAY, _day_first, ()),
    (_RX_MONTH, _month_first, ()),
    (_RX_YEAR, _year, ()),
    (_RX_WEEKDAY, _weekday, ()),
    (_RX_REL, _relative, ()),
    (_RX_ANA, _shifted, ()),
    (_RX_AGO, _shifted, ("ago", "later", "earlier")),
    (_RX_SEASON, _era, ("spring", "summer", "autumn", "fall", "winter")),
    (_RX_PART, _part, ("quarter", "half", "months")),
    (_RX_DECADE, _era, ("0s", "0's", "0’s")),
    (_RX_CENTURY, _era, ("century",)),
]


def _parse_pub(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every date expression in ``text``, in order, resolved against ``published`` (ISO)."""
    ctx, low = _Ctx(text, _parse_pub(published)), text.lower()
    cands = []
    for i, (rx, fn, keys) in enumerate(_RULES):
        if not keys or any(k in low for k in keys):
            cands.extend((m.start(), -m.end(), i, m, fn) for m in rx.finditer(text))
    cands.sort(key=lambda t: t[:3])
    last = 0
    for s, _, _, m, fn in cands:
        if s < last:
            continue
        for k, (a, b, value, prec, endv, rel) in enumerate(fn(ctx, m, s)):
            if k == 0 and a >= last and (q := _QUAL.search(text, max(last, a - 40), a)):
                a = q.start()
            ctx.out.append(DateMention(a, b, text[a:b], value, prec, endv, rel))
            last = max(last, b)
    return ctx.out

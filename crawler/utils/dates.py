"""Turn the date strings Indonesian news sites print or embed into aware WIB datetimes.

Every outlet shows times differently (long day-month-year text, ``dd/mm/yyyy``, ISO in meta
tags, epoch attributes, "2 jam lalu" in lists), so one function accepts them all and always
answers in WIB, the zone every Central Java outlet publishes in. Anything it cannot read with
confidence raises ``DateParseError`` instead of guessing.

Conventions chosen here:

* A day without a clock time ("14 Juni 2024", "kemarin", "hari ini") is 00:00 WIB of that day,
  so date-only values sort at the start of their day and are never in the future;
  ``read_indonesian_datetime`` says so (``has_time``), so a caller never takes that 00:00
  for a time of day.
* No zone means WIB; WITA (+8) and WIT (+9) are converted to WIB.
* Day names, Javanese pasaran, outlet names and bylines around a date are ignored: the
  grammar anchors on the day-month-year core, which is what makes byline lines parse.
* In a string that carries both a publication and an update time, the publication time wins;
  ``parse_updated_datetime`` returns the update time.
* Accepted results lie between 1990-01-01 and one year after ``now``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from dateutil.parser import isoparse

from crawler.utils.timezones import WIB

__all__ = [
    "INDONESIAN_MONTHS",
    "DateParseError",
    "DateReading",
    "parse_indonesian_datetime",
    "parse_updated_datetime",
    "read_indonesian_datetime",
]


class DateParseError(ValueError):
    """The text holds no date this module can read with confidence."""


@dataclass(frozen=True)
class DateReading:
    """A parsed date and how much the text said: a clock time, and its zone or offset."""

    value: datetime
    #: False for a day without a clock time: ``value`` is then 00:00 WIB of that day.
    has_time: bool = True
    #: False when no zone was written and WIB was assumed (a naive ISO value, "10:20").
    has_zone: bool = True


#: Month names and abbreviations (lower case, no trailing dot) -> month number. Old spellings
#: (Peb, Nopember) and English names (Antara list pages) are included.
INDONESIAN_MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "feb", "pebruari", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agust", "august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "october", "oct"), 10),
    **dict.fromkeys(("november", "nov", "nopember", "nop"), 11),
    **dict.fromkeys(("desember", "des", "december", "dec"), 12),
}

#: Hijri and Javanese month names: "1 Syawal 1446 H" is not a Gregorian date.
LUNAR_MONTHS: frozenset[str] = frozenset(
    {
        *("muharram", "muharam", "sura", "suro", "safar", "sapar"),
        *("rabiul", "rabiulawal", "rabiulakhir", "mulud", "jumadil", "jumadilawal", "jumadilakhir"),
        *("rajab", "rejeb", "syakban", "syaban", "ruwah", "ramadan", "ramadhan", "pasa"),
        *("syawal", "sawal", "zulkaidah", "dzulqaidah", "dulkangidah", "apit"),
        *("zulhijah", "dzulhijjah", "besar"),
    }
)

#: Zone abbreviation -> UTC offset in hours.
INDONESIAN_ZONES: dict[str, int] = {"wib": 7, "wita": 8, "wit": 9}

#: Relative-time unit -> length; months and years are approximate (30 and 365 days).
RELATIVE_UNITS: dict[str, timedelta] = {
    **dict.fromkeys(("detik", "second", "seconds", "sec", "secs"), timedelta(seconds=1)),
    **dict.fromkeys(("menit", "minute", "minutes", "min", "mins"), timedelta(minutes=1)),
    **dict.fromkeys(("jam", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("hari", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("minggu", "pekan", "week", "weeks"), timedelta(weeks=1)),
    **dict.fromkeys(("bulan", "month", "months"), timedelta(days=30)),
    **dict.fromkeys(("tahun", "year", "years"), timedelta(days=365)),
}

#: Words for a day relative to ``now`` -> days back.
RELATIVE_DAYS: dict[str, int] = {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1}

EARLIEST_YEAR = 1990
LATEST_AHEAD = timedelta(days=366)

# Optional clock time after a date: "- 17:57 WIB", "| 16.04", ", pukul 08:02:00 WITA", "at 09:10".
_TIME = r"""
    (?:[\s,|/–—-]*(?:pukul|pkl\.?|jam|at)?\s*
       (?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?(?!\d)
       (?:\s*(?P<zone>WITA|WIB|WIT)\b)?
    )?"""

# "14 Juni 2024", "04 Nov 2024", "19-Jun-2015", "3 Agust. 2025" plus the optional time.
_WORD_DATE_RE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})[\s-]*(?P<month>[A-Za-z]{3,12})(?![A-Za-z])\.?,?[\s-]*"
    r"(?P<year>\d{4})(?!\d)" + _TIME,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
# "14/06/2024", "05/11/2015 10:08 WIB", "14-06-2024" plus the optional time.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<year>\d{4})(?!\d)" + _TIME,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
# Well-formed ISO 8601 / RFC 3339, handed to dateutil; a "Z" here is real UTC.
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?P<clock>[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$",
    re.IGNORECASE | re.ASCII,
)
# detik meta tags: "2022-12-10T13-19-56Z", "2015-11-05 T10:08:58Z", "2022/12/10 07:16:35".
# detik writes its WIB wall clock there and appends a literal "Z" that does not mean UTC: the
# page showing "2022-12-10T13-19-56Z" prints "Sabtu, 10 Des 2022 13:19 WIB", and the 2015 page
# with "2015-11-05 T10:08:58Z" prints "Kamis, 05/11/2015 10:08 WIB". So every ISO-like string
# that is not well-formed ISO is read as WIB, whatever its suffix claims.
_MACHINE_WIB_RE = re.compile(
    r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:\s*T?\s*(?P<hour>\d{1,2})[-:.](?P<minute>\d{2})(?:[-:.](?P<second>\d{2}))?)?"
    r"\s*(?:Z|(?P<zone>WITA|WIB|WIT))?$",
    re.IGNORECASE | re.ASCII,
)
# detik d-time (epoch seconds) and data attributes in epoch milliseconds.
_EPOCH_SECONDS_RE = re.compile(r"^\d{9,10}$", re.ASCII)
_EPOCH_MILLIS_RE = re.compile(r"^\d{12,13}$", re.ASCII)
# "5 menit yang lalu", "2 Bulan lalu", "sejam lalu", "detik yang lalu", "5 minutes ago".
_RELATIVE_RE = re.compile(
    r"\b(?:(?P<amount>\d+|se|satu|an?)\s*)?(?P<unit>[a-z]+)\s+(?:yang\s+)?(?:lalu|ago)\b",
    re.IGNORECASE | re.ASCII,
)
_JUST_NOW_RE = re.compile(r"\b(?:baru\s+saja|just\s+now)\b", re.IGNORECASE | re.ASCII)
# "kemarin", "kemarin 14:30", "hari ini, pukul 10.00 WIB".
_RELATIVE_DAY_RE = re.compile(
    r"\b(?P<word>hari\s+ini|today|kemarin|yesterday)\b" + _TIME,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
# Labels that open the publication part or the update part of a combined string.
_LABEL_RE = re.compile(
    r"\b(?:(?P<updated>diperbaharui|diperbarui|updated?|pembaruan)"
    r"|terbit|tayang|dipublikasikan|diterbitkan|published|posted)\b\s*:?",
    re.IGNORECASE | re.ASCII,
)


def parse_indonesian_datetime(text: str, *, now: datetime | None = None) -> datetime:
    """Return the publication time in ``text`` as an aware WIB datetime.

    Text after an update label (Diperbarui/Update) is ignored, so a text holding only an
    update time raises ``DateParseError`` rather than passing the update off as publication.
    """
    return read_indonesian_datetime(text, now=now).value


def read_indonesian_datetime(text: str, *, now: datetime | None = None) -> DateReading:
    """Like ``parse_indonesian_datetime``, also saying whether a time and a zone were written."""
    now = _crawl_time(now)
    published_text, _ = _split_published_updated(_normalise(text))
    return _parse_guarded(published_text, now)


def parse_updated_datetime(text: str, *, now: datetime | None = None) -> datetime | None:
    """Return the Diperbarui/Update time in ``text`` (for ``modified``), None if it names none.

    An update label followed by an unreadable date raises ``DateParseError``, like the
    publication parser, so callers can tell "no update" from "broken update text".
    """
    now = _crawl_time(now)
    _, updated_text = _split_published_updated(_normalise(text))
    return None if updated_text is None else _parse_guarded(updated_text, now).value


def _crawl_time(now: datetime | None) -> datetime:
    """Default ``now`` to the current time; a naive ``now`` is taken as WIB wall-clock time."""
    if now is None:
        return datetime.now(WIB)
    return now.replace(tzinfo=WIB) if now.tzinfo is None else now.astimezone(WIB)


def _normalise(text: str) -> str:
    """Collapse all whitespace (NBSP and newlines from HTML included) into single spaces."""
    if not isinstance(text, str):
        raise DateParseError(f"expected a string, got {type(text).__name__}")
    return " ".join(text.split())


def _split_published_updated(text: str) -> tuple[str, str | None]:
    """Separate the update segment (after Diperbarui/Update) from the publication text."""
    published: list[str] = []
    updated: list[str] | None = None
    current = published
    position = 0
    for label in _LABEL_RE.finditer(text):
        current.append(text[position : label.start()])
        if label.group("updated"):
            updated = updated if updated is not None else []
            current = updated
        else:
            current = published
        position = label.end()
    current.append(text[position:])
    return " ".join(published).strip(), None if updated is None else " ".join(updated).strip()


def _parse_guarded(text: str, now: datetime) -> DateReading:
    """Parse and range-check, turning every low-level failure into ``DateParseError``."""
    if not text:
        raise DateParseError("no date text")
    try:
        reading = _parse(text, now)
        result = reading.value.astimezone(WIB)
    except DateParseError:
        raise
    except (ValueError, OverflowError) as error:
        raise DateParseError(f"invalid date in {text!r}: {error}") from error
    if result.year < EARLIEST_YEAR or result > now + LATEST_AHEAD:
        raise DateParseError(f"date out of the plausible range: {text!r}")
    return replace(reading, value=result)


def _parse(text: str, now: datetime) -> DateReading:
    """Try each family: machine formats (whole string) first, then dates inside prose."""
    if _EPOCH_SECONDS_RE.match(text):
        return DateReading(datetime.fromtimestamp(int(text), WIB))
    if _EPOCH_MILLIS_RE.match(text):
        return DateReading(datetime.fromtimestamp(int(text) / 1000, WIB))
    if iso := _ISO_RE.match(text):
        parsed = isoparse(text)
        has_time = iso.group("clock") is not None
        if parsed.tzinfo:
            return DateReading(parsed, has_time=has_time)
        return DateReading(parsed.replace(tzinfo=WIB), has_time=has_time, has_zone=False)
    if machine := _MACHINE_WIB_RE.match(text):
        return _build(machine)
    if absolute := _first_gregorian_date(text):
        return _build(absolute)
    for relative in _RELATIVE_RE.finditer(text):
        if relative.group("unit").lower() in RELATIVE_UNITS:
            return DateReading(_relative_ago(relative, now))
    if _JUST_NOW_RE.search(text):
        return DateReading(now)
    if relative_day := _RELATIVE_DAY_RE.search(text):
        return _relative_day(relative_day, now)
    raise DateParseError(f"no recognisable date in {text!r}")


def _first_gregorian_date(text: str) -> re.Match[str] | None:
    """Return the earliest day-month-year match; lunar-calendar dates are refused."""
    candidates = list(_NUMERIC_DATE_RE.finditer(text))
    saw_lunar_month = False
    for match in _WORD_DATE_RE.finditer(text):
        month_word = match.group("month").lower()
        if month_word in INDONESIAN_MONTHS:
            candidates.append(match)
        saw_lunar_month |= month_word in LUNAR_MONTHS
    if not candidates:
        if saw_lunar_month:
            raise DateParseError(f"Hijri/Javanese calendar date, not Gregorian: {text!r}")
        return None
    return min(candidates, key=lambda match: match.start())


def _build(match: re.Match[str]) -> DateReading:
    """Assemble a date from named groups (day, month, year, optional hour/minute/zone)."""
    month = match.group("month")
    month_number = int(month) if month.isdigit() else INDONESIAN_MONTHS[month.lower()]
    day = date(int(match.group("year")), month_number, int(match.group("day")))
    return _at_clock(day, match)


def _at_clock(day: date, match: re.Match[str]) -> DateReading:
    """Combine ``day`` with the match's optional clock time and zone (default 00:00 WIB)."""
    groups = match.groupdict()
    if groups["hour"] is None:
        return DateReading(datetime.combine(day, time(), WIB), has_time=False, has_zone=False)
    clock = time(int(groups["hour"]), int(groups["minute"]), int(groups["second"] or 0))
    zone = groups.get("zone")
    offset = timezone(timedelta(hours=INDONESIAN_ZONES[zone.lower()])) if zone else WIB
    return DateReading(datetime.combine(day, clock, offset), has_zone=bool(zone))


def _relative_ago(match: re.Match[str], now: datetime) -> datetime:
    """ "3 hari lalu" -> ``now`` minus three days; a missing amount ("detik lalu") means one."""
    unit = RELATIVE_UNITS[match.group("unit").lower()]
    amount = match.group("amount") or "1"
    count = int(amount) if amount.isdigit() else 1
    return (now - count * unit).replace(microsecond=0)


def _relative_day(match: re.Match[str], now: datetime) -> DateReading:
    """ "kemarin 14:30" -> yesterday at 14:30 WIB; without a time, 00:00 of that day."""
    word = " ".join(match.group("word").lower().split())
    return _at_clock(now.date() - timedelta(days=RELATIVE_DAYS[word]), match)

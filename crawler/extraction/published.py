"""When the article was published: structured claims weighed against the date the page shows.

Structured data (JSON-LD ``datePublished``, ``article:published_time``...) usually states the
minute and its offset; the page shows a date next to the headline, sometimes with a time,
sometimes without. The rules, in order:

* A structured time with an explicit offset (or ``Z``) is the best claim. A structured time
  without one (JNews writes ``2020-10-09T13:52:00``) is read in WIB, unless the time shown on
  the page agrees with it read as UTC instead; an explicit-offset claim of another layer wins
  over it.
* The shown time wins over the structured one only on the same day at a different minute: the
  structured value is then a save time, and readers see the shown one (Media Indonesia).
* A shown date without a time never overrides a structured time: its 00:00 is not a time.
* When the shown day and the structured day differ, the structured time is kept and the
  disagreement is reported (warning ``date_disagreement``), so a crawl counts it.
* A date without a time is used only when no layer gives a time: it yields 00:00 WIB of that
  day, marked ``published_precision: day`` in the layers and reported as
  ``published_date_only``, so no one reads that 00:00 as the minute of publication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from crawler.utils.dates import DateParseError, DateReading, read_indonesian_datetime
from crawler.utils.timezones import WIB

#: The layer value recorded under ``published_precision`` for a date without a time.
DAY_PRECISION = "day"


@dataclass
class PublishedChoice:
    """The chosen publication time, its layer, and what the choice noticed."""

    value: datetime | None = None
    layer: str | None = None
    date_only: bool = False
    warnings: dict[str, str] = field(default_factory=dict)


def read_date(text: str | None, now: datetime | None) -> DateReading | None:
    """A date text read with its precision, or None when it holds no readable date."""
    if not text:
        return None
    try:
        return read_indonesian_datetime(text, now=now)
    except DateParseError:
        return None


def choose_published(
    structured: list[tuple[DateReading | None, str]],
    shown: tuple[DateReading | None, str],
) -> PublishedChoice:
    """The publication time from structured claims (best first) and the shown date."""
    claims = [(reading, layer) for reading, layer in structured if reading is not None]
    shown_reading, shown_layer = shown
    shown_time = shown_reading if shown_reading is not None and shown_reading.has_time else None
    best = _best_structured(claims, shown_time)
    choice = PublishedChoice()
    if best is not None:
        value, layer = best
        if shown_reading is not None:
            shown_day = shown_reading.value.astimezone(WIB).date()
            if shown_day != value.astimezone(WIB).date():
                choice.warnings["date_disagreement"] = (
                    f"the page shows {shown_day.isoformat()}, {layer} says {value.isoformat()}"
                )
            elif shown_time is not None and not _same_minute(shown_time.value, value):
                value, layer = shown_time.value, shown_layer
        choice.value, choice.layer = value, layer
        return choice
    if shown_time is not None:
        choice.value, choice.layer = shown_time.value, shown_layer
        return choice
    dated = [*claims, *([(shown_reading, shown_layer)] if shown_reading else [])]
    if dated:
        reading, layer = dated[0]
        choice.value, choice.layer, choice.date_only = reading.value, layer, True
        choice.warnings["published_date_only"] = (
            f"{layer} gives the day {reading.value.date().isoformat()} without a time"
        )
    return choice


def _best_structured(
    claims: list[tuple[DateReading, str]], shown_time: DateReading | None
) -> tuple[datetime, str] | None:
    """The best structured time: one with an offset, else a naive one read in WIB or UTC."""
    timed = [(reading, layer) for reading, layer in claims if reading.has_time]
    zoned = next(((r.value, layer) for r, layer in timed if r.has_zone), None)
    if zoned is not None:
        return zoned
    naive = next(iter(timed), None)
    if naive is None:
        return None
    reading, layer = naive
    as_utc = reading.value.replace(tzinfo=UTC)
    if (
        shown_time is not None
        and not _same_minute(shown_time.value, reading.value)
        and _same_minute(shown_time.value, as_utc)
    ):
        return as_utc.astimezone(WIB), layer
    return reading.value, layer


def _same_minute(first: datetime, second: datetime) -> bool:
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)

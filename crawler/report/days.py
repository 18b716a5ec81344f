"""The WIB days a report covers, by the articles' publication time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crawler.utils.timezones import WIB, as_wib

#: Files written this long before the first day may still hold its articles (clock skew, a
#: run that started before midnight and wrote after it).
FILE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class DayRange:
    """Inclusive range of WIB calendar days."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    @classmethod
    def from_options(
        cls, since: str | None, until: str | None, days: int, *, today: date
    ) -> DayRange:
        """``--since``/``--until`` (YYYY-MM-DD), else the ``days`` days that end today."""
        if days < 1:
            raise ValueError(f"days must be at least 1, not {days}")
        end = date.fromisoformat(until) if until else today
        start = date.fromisoformat(since) if since else end - timedelta(days=days - 1)
        return cls(start, end)

    def __contains__(self, moment: datetime) -> bool:
        return self.since <= as_wib(moment).date() <= self.until

    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    def oldest_useful_file(self) -> datetime:
        """Files last written before this cannot hold an article published in the range."""
        return datetime.combine(self.since, time.min, tzinfo=WIB) - FILE_MARGIN

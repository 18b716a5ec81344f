"""The date window a crawl covers: which articles are new enough to fetch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crawler.utils.timezones import WIB


@dataclass(frozen=True)
class DateWindow:
    """Inclusive publication-time window, in WIB."""

    since: datetime
    until: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.since <= moment <= self.until

    @classmethod
    def from_arguments(
        cls,
        since: str | None,
        until: str | None,
        *,
        default_days: int,
        now: datetime,
        default_since: datetime | None = None,
    ) -> DateWindow:
        """Build from ``-a since=YYYY-MM-DD`` / ``-a until=...`` (days or ISO datetimes, WIB).

        A bare date as ``until`` means the end of that day, so ``until=2025-07-03``
        includes articles published on the 3rd. Without ``since`` the window starts at
        ``default_since`` (where the outlet's last successful run left off), or
        ``default_days`` before ``now`` when there is none.
        """
        now = now.astimezone(WIB)
        if since:
            start = parse_bound(since, end_of_day=False)
        elif default_since is not None:
            start = min(default_since.astimezone(WIB), now)
        else:
            start = now - timedelta(days=default_days)
        end = parse_bound(until, end_of_day=True) if until else now
        if start > end:
            raise ValueError(f"since ({start.isoformat()}) is after until ({end.isoformat()})")
        return cls(start, end)


def parse_bound(text: str, *, end_of_day: bool) -> datetime:
    """A window bound from ``YYYY-MM-DD`` (start or end of that day) or an ISO 8601 time (WIB
    when it names no offset); ValueError when it is neither."""
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=WIB) if moment.tzinfo is None else moment.astimezone(WIB)
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=WIB)

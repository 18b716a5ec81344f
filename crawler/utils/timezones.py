"""The one time zone every published time is expressed in."""

from datetime import datetime
from zoneinfo import ZoneInfo

#: Western Indonesian Time (WIB, UTC+7): all of Java, so every outlet we crawl.
WIB = ZoneInfo("Asia/Jakarta")


def as_wib(moment: datetime) -> datetime:
    """Return *moment* in WIB for display; a naive datetime is taken to be WIB already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=WIB)
    return moment.astimezone(WIB)

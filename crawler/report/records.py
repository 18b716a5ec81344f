"""One delivered JSON Lines record, read for the report: lenient, and honest about what it lacked.

The report reads files written over months by different versions of the crawler, and files a
user may have edited or cut short. Only ``url`` (the article's identity and link) and
``published`` (its day) are required; every other field may be absent or malformed, in which
case the record still counts and the problem is named, so the report can say how many records
lacked what. Only the documented fields are read (README, Output).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from crawler.enrichment.gazetteer import load_kabkota
from crawler.utils.timezones import as_wib
from crawler.utils.urls import url_hash

#: Sentiment labels as written by the sentiment enricher, and the spellings tolerated for them.
SENTIMENT_LABELS = ("positif", "neutral", "negatif")
SENTIMENT_SPELLINGS = {
    "positif": "positif",
    "positive": "positif",
    "negatif": "negatif",
    "negative": "negatif",
    "neutral": "neutral",
    "netral": "neutral",
}
#: The bucket of records whose sentiment is absent or not recognised.
UNKNOWN_SENTIMENT = "unknown"

LINK_SCHEMES = frozenset({"http", "https"})


class BadRecord(ValueError):
    """A line the report cannot use at all; ``reason`` is a key of the report's reason labels."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ReportRecord:
    """The fields of one article the report shows; ``regions`` are codes, most relevant first."""

    url: str
    url_hash: str
    title: str
    published: datetime
    outlet: str
    outlet_name: str
    regions: tuple[str, ...]
    parties: tuple[str, ...]
    sentiment: str


@cache
def region_codes_by_name() -> Mapping[str, str]:
    """Kab/kota code for every code, official name and clipping label, case-folded."""
    names: dict[str, str] = {}
    for region in load_kabkota():
        for name in (region.code, region.name, region.label):
            names[name.casefold()] = region.code
    return names


def parse_line(line: bytes) -> tuple[ReportRecord, list[str]]:
    """The record on one JSON Lines line, and the tolerated problems of its fields."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRecord("not_utf8", str(error)) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BadRecord("broken_json", str(error)) from None
    if not isinstance(data, dict):
        raise BadRecord("not_an_object", type(data).__name__)
    return parse_record(data)


def parse_record(data: Mapping[str, Any]) -> tuple[ReportRecord, list[str]]:
    """Build the record from a decoded JSON object; raise BadRecord without url or published."""
    problems: list[str] = []
    url = _link(data.get("url"))
    if url is None:
        raise BadRecord("url_missing", repr(data.get("url"))[:80])
    published = _moment(data.get("published"))
    if published is None:
        raise BadRecord("published_missing", repr(data.get("published"))[:80])
    title = _text(data.get("title"))
    if not title:
        problems.append("title_missing")
    hash_ = _text(data.get("url_hash"))
    if not hash_:
        problems.append("url_hash_missing")
        hash_ = url_hash(url)
    outlet = _text(data.get("outlet"))
    if not outlet:
        problems.append("outlet_missing")
        outlet = urlsplit(url).hostname or ""
    outlet_name = _text(data.get("outlet_name")) or outlet
    regions = _regions(data.get("kab_kota"), problems)
    parties = _parties(data.get("parties"), problems)
    sentiment = _sentiment(data.get("sentiment"), problems)
    record = ReportRecord(
        url=url,
        url_hash=hash_,
        title=title,
        published=published,
        outlet=outlet,
        outlet_name=outlet_name,
        regions=regions,
        parties=parties,
        sentiment=sentiment,
    )
    return record, problems


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _link(value: Any) -> str | None:
    """The URL when it is one a reader may follow (http or https), else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return url


def _moment(value: Any) -> datetime | None:
    """An ISO 8601 time in WIB (the exporters write WIB; a naive time is taken as WIB)."""
    if not isinstance(value, str):
        return None
    try:
        return as_wib(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def _regions(value: Any, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append("kab_kota_malformed")
        return ()
    codes: list[str] = []
    names = region_codes_by_name()
    for entry in value:
        candidates = (
            [entry.get("code"), entry.get("name"), entry.get("label")]
            if isinstance(entry, dict)
            else [entry]
        )
        code = next(
            (
                names[c.casefold()]
                for c in candidates
                if isinstance(c, str) and c.casefold() in names
            ),
            None,
        )
        if code is None:
            problems.append("kab_kota_unknown")
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _parties(value: Any, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        problems.append("parties_malformed")
        return ()
    return tuple(dict.fromkeys(name.strip() for name in value if name.strip()))


def _sentiment(value: Any, problems: list[str]) -> str:
    if value is None:
        return UNKNOWN_SENTIMENT
    label = value.get("label") if isinstance(value, dict) else value
    known = SENTIMENT_SPELLINGS.get(label.strip().casefold()) if isinstance(label, str) else None
    if known is None:
        problems.append("sentiment_unknown")
        return UNKNOWN_SENTIMENT
    return known

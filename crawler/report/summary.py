"""The figures of one report, computed from the records: what the page shows, before any drawing.

Kept apart from the HTML so that tests can check the numbers themselves, and the page only
lays them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from crawler.report.dataset import Dataset, ReadStats
from crawler.report.days import DayRange
from crawler.report.records import SENTIMENT_LABELS, UNKNOWN_SENTIMENT, ReportRecord
from crawler.report.state import PreviousReport
from crawler.report.stories import Story, group_stories
from crawler.report.tiles import Tile, load_tiles

#: Order of the sentiment segments in charts and legends.
SENTIMENT_ORDER = (*SENTIMENT_LABELS, UNKNOWN_SENTIMENT)


@dataclass
class RegionNews:
    """The articles of one kab/kota (``tile`` None: articles with no kab/kota)."""

    tile: Tile | None
    articles: list[ReportRecord] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def anchor(self) -> str:
        return f"kab-{self.tile.code.replace('.', '-')}" if self.tile else "kab-none"


@dataclass
class NewSince:
    """Articles the previous report did not have. ``compared`` False: no state kept."""

    compared: bool
    previous: datetime | None
    url_hashes: frozenset[str]
    articles: list[ReportRecord]

    @property
    def first_report(self) -> bool:
        return self.compared and self.previous is None


@dataclass
class Summary:
    days: DayRange
    generated: datetime
    records: list[ReportRecord]
    regions: list[RegionNews]
    untagged: RegionNews
    sentiment_by_outlet: list[tuple[str, Counter[str]]]
    sentiment_by_day: list[tuple[date, Counter[str]]]
    parties: list[tuple[str, int]]
    new: NewSince
    stats: ReadStats
    sources: Sequence[str]

    @property
    def ranked_regions(self) -> list[RegionNews]:
        """Kab/kota with articles, most first (ties in code order)."""
        with_news = [region for region in self.regions if region.count]
        return sorted(with_news, key=lambda region: -region.count)

    @property
    def outlets(self) -> int:
        return len({record.outlet for record in self.records})


def summarize(
    dataset: Dataset,
    days: DayRange,
    *,
    generated: datetime,
    previous: PreviousReport | None,
    compared: bool,
    top_stories: int,
) -> Summary:
    """All figures of the report; ``compared`` False when no previous state is kept."""
    records = dataset.records
    by_code = {tile.code: RegionNews(tile) for tile in load_tiles()}
    untagged = RegionNews(None)
    for record in records:
        for code in record.regions:
            by_code[code].articles.append(record)
        if not record.regions:
            untagged.articles.append(record)
    for region in [*by_code.values(), untagged]:
        region.stories = group_stories(region.articles)[:top_stories]

    outlets: dict[str, Counter[str]] = {}
    outlet_names: dict[str, str] = {}
    per_day: dict[date, Counter[str]] = {day: Counter() for day in days.days()}
    parties: Counter[str] = Counter()
    for record in records:
        outlets.setdefault(record.outlet, Counter())[record.sentiment] += 1
        outlet_names.setdefault(record.outlet, record.outlet_name)
        per_day[record.published.date()][record.sentiment] += 1
        parties.update(record.parties)

    seen = previous.url_hashes if previous else frozenset()
    new_articles = [record for record in records if record.url_hash not in seen] if compared else []
    return Summary(
        days=days,
        generated=generated,
        records=records,
        regions=list(by_code.values()),
        untagged=untagged,
        sentiment_by_outlet=[
            (outlet_names[outlet], counts)
            for outlet, counts in sorted(
                outlets.items(), key=lambda item: (-item[1].total(), outlet_names[item[0]])
            )
        ],
        sentiment_by_day=sorted(per_day.items()),
        parties=sorted(parties.items(), key=lambda item: (-item[1], item[0])),
        new=NewSince(
            compared=compared,
            previous=previous.generated if previous else None,
            url_hashes=frozenset(record.url_hash for record in new_articles),
            articles=new_articles,
        ),
        stats=dataset.stats,
        sources=dataset.sources,
    )

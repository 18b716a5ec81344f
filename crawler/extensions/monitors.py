"""Monitors judged at spider close: make a broken outlet loud instead of quietly thin.

An outlet that changes its template rarely breaks a crawl outright: the generic extractor
still finds some text, a date may still come from meta tags, and the run "succeeds" with
worse articles. This extension counts, for every article the spiders parsed, which fields
it has and which extraction layer produced them, and when the spider closes turns the
counts into verdicts:

* error: discovery listed new articles (requested, not delivered before, inside the
  window) and not one became an item, with no ordinary reason (outside the window, already
  delivered, out of the outlet's scope) explaining it;
* warning: coverage of title, published or body below 100 %, or of ``kab_kota`` below
  ``CRAWLER_MONITOR_MIN_KAB_KOTA``;
* warning "layout changed?": more than ``CRAWLER_MONITOR_MAX_FALLBACK_SHARE`` of the
  articles had a field from the generic fallback, naming the outlet and the field.

Verdicts go to the log, to the stats (``crawler/monitor/*``) and, through the conditions in
``crawler.run.outcome``, to the summary line and the exit status. Coverage and fallback shares
need at least ``CRAWLER_MONITOR_MIN_ITEMS`` parsed articles: one odd article is not a trend.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.pipelines.validate import VALIDATION_DROP_REASONS, invalid_reason
from crawler.run.outcome import (
    ARTICLE_FAILURE_PREFIX,
    DEFAULT_MIN_FAILED_ARTICLES,
    DROPPED_PREFIX,
    MONITOR_ERRORS_STAT,
    MONITOR_WARNINGS_STAT,
    stat_int,
    stats_by_suffix,
)

logger = logging.getLogger(__name__)

#: Fields every delivered article must have (the clipping is useless without them).
REQUIRED_FIELDS = ("title", "published", "body")
#: Fields whose extraction layer is watched for a silent slide to the generic fallback.
FALLBACK_FIELDS = ("title", "published", "body")
REGION_FIELD = "kab_kota"
#: The extraction layer name of the last-resort extractor (crawler.extraction.generic).
GENERIC_LAYER = "generic"

MONITOR_PREFIX = "crawler/monitor/"
PARSED_STAT = MONITOR_PREFIX + "parsed"
PRESENT_PREFIX = MONITOR_PREFIX + "present/"
FALLBACK_PREFIX = MONITOR_PREFIX + "fallback/"
COVERAGE_PREFIX = MONITOR_PREFIX + "coverage/"

DEFAULT_MIN_KAB_KOTA = 0.5
DEFAULT_MAX_FALLBACK_SHARE = 0.5
DEFAULT_MIN_ITEMS = 3


@dataclass(frozen=True)
class MonitorLimits:
    """The settings the verdicts are judged against."""

    min_kab_kota: float = DEFAULT_MIN_KAB_KOTA
    max_fallback_share: float = DEFAULT_MAX_FALLBACK_SHARE
    min_items: int = DEFAULT_MIN_ITEMS
    min_failed_articles: float = DEFAULT_MIN_FAILED_ARTICLES

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> MonitorLimits:
        return cls(
            min_kab_kota=settings.getfloat("CRAWLER_MONITOR_MIN_KAB_KOTA", DEFAULT_MIN_KAB_KOTA),
            max_fallback_share=settings.getfloat(
                "CRAWLER_MONITOR_MAX_FALLBACK_SHARE", DEFAULT_MAX_FALLBACK_SHARE
            ),
            min_items=settings.getint("CRAWLER_MONITOR_MIN_ITEMS", DEFAULT_MIN_ITEMS),
            min_failed_articles=settings.getfloat(
                "CRAWLER_MIN_FAILED_ARTICLES", DEFAULT_MIN_FAILED_ARTICLES
            ),
        )


@dataclass
class Verdicts:
    """What the monitors found, as sentences an operator reads."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    coverage: dict[str, float] = field(default_factory=dict)


def has_value(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(has_value(part) for part in value)
    return value not in (None, "")


def no_new_items(
    stats: Mapping[str, Any], min_failed: float = DEFAULT_MIN_FAILED_ARTICLES
) -> str | None:
    """Discovery listed new articles, none became an item, and nothing ordinary explains it.

    Failed article requests count as listed only when there are at least ``min_failed`` of
    them (``CRAWLER_MIN_FAILED_ARTICLES``): one dead link a feed keeps listing is no outage.
    """
    if stat_int(stats, "item_scraped_count"):
        return None
    listed = stat_int(stats, "crawler/articles_requested")
    failed = sum(stats_by_suffix(stats, ARTICLE_FAILURE_PREFIX).values())
    if failed < min_failed:
        listed -= failed
    if listed <= 0:
        return None
    explained = {
        reason: count
        for reason, count in stats_by_suffix(stats, DROPPED_PREFIX).items()
        if reason not in VALIDATION_DROP_REASONS
    }
    if explained:
        return None
    return f"no new items: discovery listed {listed} new article(s), 0 became items"


def judge(
    outlet: str, stats: Mapping[str, Any], limits: MonitorLimits, *, own_template: bool = True
) -> Verdicts:
    """The verdicts of one outlet's crawl from its stats (see the module doc).

    ``own_template``: the spider reads one outlet with its own layouts. The generic spider
    reads any site, all of it through the generic extractor and from any province, so
    neither the fallback share nor the region coverage says anything about a template.
    """
    verdicts = Verdicts()
    if error := no_new_items(stats, limits.min_failed_articles):
        verdicts.errors.append(f"{outlet}: {error}")
    parsed = stat_int(stats, PARSED_STAT)
    if not parsed:
        return verdicts
    scraped = stat_int(stats, "item_scraped_count")
    minimums = {name: 1.0 for name in REQUIRED_FIELDS}
    if own_template:
        minimums[REGION_FIELD] = limits.min_kab_kota
    for name, minimum in minimums.items():
        # Regions are tagged by the last pipeline, so only articles that passed it count.
        total = scraped if name == REGION_FIELD else parsed
        if not total:
            continue
        share = stat_int(stats, PRESENT_PREFIX + name) / total
        verdicts.coverage[name] = round(share, 4)
        if share < minimum and total >= limits.min_items:
            verdicts.warnings.append(
                f"{outlet}: {name} coverage {share:.0%} of {total} article(s), below {minimum:.0%}"
            )
    if not own_template or parsed < limits.min_items:
        return verdicts
    for name in FALLBACK_FIELDS:
        fallback = stat_int(stats, FALLBACK_PREFIX + name)
        if fallback / parsed > limits.max_fallback_share:
            verdicts.warnings.append(
                f"layout changed? {outlet}: {name} came from the generic fallback in "
                f"{fallback}/{parsed} article(s), above {limits.max_fallback_share:.0%}"
            )
    return verdicts


class MonitorExtension:
    """Count parsed articles' fields and layers; judge them when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits = MonitorLimits.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        self.count(item, delivered=True)

    def item_dropped(self, item: Any) -> None:
        # Incomplete articles count (they are what a layout change produces); duplicates and
        # already-delivered ones were counted, or will be, as the article they repeat.
        if invalid_reason(item) is not None:
            self.count(item, delivered=False)

    def count(self, item: Any, *, delivered: bool) -> None:
        stats = self.crawler.stats
        adapter = ItemAdapter(item)
        stats.inc_value(PARSED_STAT)
        for name in REQUIRED_FIELDS:
            if has_value(adapter.get(name)):
                stats.inc_value(PRESENT_PREFIX + name)
        if delivered and has_value(adapter.get(REGION_FIELD)):
            stats.inc_value(PRESENT_PREFIX + REGION_FIELD)
        extraction = adapter.get("extraction") or {}
        for name in FALLBACK_FIELDS:
            if extraction.get(name) == GENERIC_LAYER and has_value(adapter.get(name)):
                stats.inc_value(FALLBACK_PREFIX + name)

    def spider_closed(self) -> None:
        spider = self.crawler.spider
        outlet = spider.name if spider is not None else "?"
        own_template = bool(getattr(spider, "layouts", ()))
        stats = self.crawler.stats
        verdicts = judge(outlet, stats.get_stats(), self.limits, own_template=own_template)
        for name, share in verdicts.coverage.items():
            stats.set_value(COVERAGE_PREFIX + name, share)
        stats.set_value(MONITOR_ERRORS_STAT, verdicts.errors)
        stats.set_value(MONITOR_WARNINGS_STAT, verdicts.warnings)
        for text in verdicts.errors:
            logger.error("Monitor: %s", text)
        for text in verdicts.warnings:
            logger.warning("Monitor: %s", text)

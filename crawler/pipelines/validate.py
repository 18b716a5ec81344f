"""Refuse articles that cannot be delivered, and the shared way every pipeline drops one.

A clipping needs a link, a headline, a publication time and text; anything less is
noise for the reader, so it is dropped here rather than patched downstream.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: Stats key prefix; the full key is ``crawler/dropped/<reason>``.
DROPPED_STATS_PREFIX = "crawler/dropped/"

MISSING_URL = "missing_url"
MISSING_TITLE = "missing_title"
MISSING_PUBLISHED = "missing_published"
NAIVE_PUBLISHED = "naive_published"
MISSING_BODY = "missing_body"

#: Every reason this pipeline drops for, so summaries and monitors can list them.
VALIDATION_DROP_REASONS = (
    MISSING_URL,
    MISSING_TITLE,
    MISSING_PUBLISHED,
    NAIVE_PUBLISHED,
    MISSING_BODY,
)


def drop_item(
    stats: StatsCollector,
    url: str | None,
    reason: str,
    *,
    log_level: int = logging.WARNING,
) -> DropItem:
    """Count and log a drop; return the DropItem for the caller to raise.

    Our one-line log names url and reason; Scrapy's own drop line dumps the whole
    article, so it is demoted to DEBUG. The message is the reason in words
    ("missing published"); the stats key keeps the underscore form.
    """
    stats.inc_value(f"{DROPPED_STATS_PREFIX}{reason}")
    logger.log(log_level, "Dropped %s: %s", url or "<no url>", reason)
    return DropItem(reason.replace("_", " "), log_level="DEBUG")


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def invalid_reason(item: Any) -> str | None:
    """The first reason the item cannot be delivered, or None when it is complete."""
    adapter = ItemAdapter(item)
    published = adapter.get("published")
    if not adapter.get("url"):
        return MISSING_URL
    if not adapter.get("title"):
        return MISSING_TITLE
    if not isinstance(published, datetime):
        return MISSING_PUBLISHED
    if not _is_aware(published):
        return NAIVE_PUBLISHED
    if not any(adapter.get("body") or ()):
        return MISSING_BODY
    return None


class ValidatePipeline:
    """Drop articles lacking url, title, an aware published time or body text."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        reason = invalid_reason(item)
        if reason is not None:
            raise drop_item(self.stats, ItemAdapter(item).get("url"), reason)
        return item

"""Drop the second and later copies of an article within one crawl.

Listings, sitemaps and feeds point at the same article, often under different
addresses; the canonical url_hash makes them one.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.pipelines.validate import drop_item
from crawler.utils.urls import canonicalize_url, url_hash

DUPLICATE_IN_RUN = "duplicate_in_run"


class DuplicateUrlPipeline:
    """Keep the first item per url_hash seen in this run (in memory, per process)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen_hashes: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DuplicateUrlPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key = adapter.get("url_hash") or url_hash(canonicalize_url(adapter.get("url") or ""))
        if key in self.seen_hashes:
            raise drop_item(
                self.stats, adapter.get("url"), DUPLICATE_IN_RUN, log_level=logging.INFO
            )
        self.seen_hashes.add(key)
        return item

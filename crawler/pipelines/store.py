"""Extension point for the persistent store of already delivered articles.

Successive crawls see the same articles again; users should get each one once. The
store remembers what was delivered across runs. This module only defines the
interface, a store that remembers nothing, and the pipeline that consults it; a real
backend (SQLite, Redis) plugs in through the ``CRAWLER_DELIVERED_STORE`` setting.

Lifecycle: the pipeline asks ``seen(url_hash)`` for each item; items that pass every
pipeline (Scrapy's ``item_scraped`` signal) are handed to ``mark_delivered`` as
``(url_hash, outlet)`` pairs when the spider closes, then ``close()`` is called.
Marking only at the end means a crashed run re-delivers rather than loses articles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.pipelines.validate import drop_item

ALREADY_DELIVERED = "already_delivered"

#: Import path used when ``CRAWLER_DELIVERED_STORE`` is not set.
DEFAULT_DELIVERED_STORE = "crawler.pipelines.store.NullDeliveredStore"


class DeliveredStore(Protocol):
    """What a delivered-store backend provides; build it via ``from_crawler`` or no args."""

    def seen(self, url_hash: str) -> bool:
        """Whether the article was delivered by an earlier run."""
        ...

    def mark_delivered(self, hashes: Iterable[tuple[str, str]]) -> None:
        """Record ``(url_hash, outlet)`` pairs as delivered."""
        ...

    def close(self) -> None:
        """Flush and release the backend."""
        ...


class NullDeliveredStore:
    """Remembers nothing: every run delivers everything it finds."""

    def seen(self, url_hash: str) -> bool:
        return False

    def mark_delivered(self, hashes: Iterable[tuple[str, str]]) -> None:
        return None

    def close(self) -> None:
        return None


class DeliveredStorePipeline:
    """Drop articles an earlier run already delivered."""

    def __init__(self, store: DeliveredStore, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats
        self.scraped: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeliveredStorePipeline:
        store_class = load_object(
            crawler.settings.get("CRAWLER_DELIVERED_STORE") or DEFAULT_DELIVERED_STORE,
        )
        pipeline = cls(build_from_crawler(store_class, crawler), crawler.stats)
        crawler.signals.connect(pipeline.remember_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if self.store.seen(adapter.get("url_hash") or ""):
            raise drop_item(
                self.stats, adapter.get("url"), ALREADY_DELIVERED, log_level=logging.DEBUG
            )
        return item

    def remember_scraped(self, item: Any, **_: Any) -> None:
        """Collect an item that passed every pipeline, i.e. went out to the feeds."""
        adapter = ItemAdapter(item)
        if adapter.get("url_hash"):
            self.scraped.append((adapter["url_hash"], adapter.get("outlet") or ""))

    def close_spider(self) -> None:
        try:
            self.store.mark_delivered(self.scraped)
        finally:
            self.store.close()

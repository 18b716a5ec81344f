"""Drop articles an earlier run already delivered.

The spider already skips candidates the delivered-store knows before requesting them; this
pipeline catches what that check cannot see: an article reached under an address never
delivered before whose page names an already delivered canonical URL. ``-a refresh=true``
turns both checks off, to deliver articles again on purpose.

Marking articles delivered is not done here but in ``crawler.extensions.delivery``, only
after the feeds holding them were stored. The store interface lives in ``crawler.store``;
its names are re-exported here for the pipeline's users.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.pipelines.validate import drop_item
from crawler.store import (
    DEFAULT_DELIVERED_STORE,
    DeliveredStore,
    NullDeliveredStore,
    delivered_store,
)

ALREADY_DELIVERED = "already_delivered"


class DeliveredStorePipeline:
    """Drop articles the delivered-store knows, unless the spider runs with ``refresh``."""

    def __init__(self, store: DeliveredStore, stats: StatsCollector, crawler: Crawler) -> None:
        self.store = store
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeliveredStorePipeline:
        return cls(delivered_store(crawler), crawler.stats, crawler)

    def process_item(self, item: Any) -> Any:
        if getattr(self.crawler.spider, "refresh", False):
            return item
        adapter = ItemAdapter(item)
        if self.store.seen(adapter.get("url_hash") or ""):
            raise drop_item(
                self.stats, adapter.get("url"), ALREADY_DELIVERED, log_level=logging.DEBUG
            )
        return item


__all__ = [
    "ALREADY_DELIVERED",
    "DEFAULT_DELIVERED_STORE",
    "DeliveredStore",
    "DeliveredStorePipeline",
    "NullDeliveredStore",
]

"""Count feed files that never reached their storage because exporting them broke first.

Scrapy counts failed ``storage.store()`` calls (``feedexport/failed_count/*``), but when the
feed cannot even be opened (a directory that is a file, a full disk, a read-only mount) the
error is only logged and the run looks successful. A cron job must notice that, so every
feed batch that should have been stored and was not is counted under
``crawler/feed_unstored`` and logged as an error.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter, FeedSlot

from crawler.run.outcome import FEED_UNSTORED

logger = logging.getLogger(__name__)


class FeedWatchExtension:
    """Track which feed slots reached storage and report the ones that did not."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        #: Slots Scrapy finished (stored, or store() failed and was counted by Scrapy).
        self.finished: set[FeedSlot] = set()
        #: Slots that should have received an item but could not open their file.
        self.broken: set[FeedSlot] = set()
        #: Slots that existed before the current item; a batch slot opened for it is not due yet.
        self.known: set[FeedSlot] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedWatchExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return extension

    def _slots(self) -> list[FeedSlot]:
        exporter = self.crawler.get_extension(FeedExporter)
        return list(exporter.slots) if exporter is not None else []

    def spider_opened(self) -> None:
        self.known = set(self._slots())

    def item_scraped(self, item: Any) -> None:
        """Runs after the exporter's own handler: an accepting slot without a file is broken."""
        slots = self._slots()
        for slot in slots:
            if slot in self.known and slot.file is None and slot.filter.accepts(item):
                self.broken.add(slot)
        self.known = set(slots)

    def feed_slot_closed(self, slot: FeedSlot) -> None:
        self.finished.add(slot)

    def feed_exporter_closed(self) -> None:
        due = {slot for slot in self._slots() if self._should_be_stored(slot)} | self.broken
        for slot in due - self.finished:
            self.crawler.stats.inc_value(FEED_UNSTORED)
            logger.error(
                "Feed not stored: %s (%s)",
                slot.uri,
                slot.format,
                extra={"spider": self.crawler.spider},
            )

    @staticmethod
    def _should_be_stored(slot: FeedSlot) -> bool:
        return bool(slot.itemcount) or (slot.store_empty and slot.batch_id == 1)

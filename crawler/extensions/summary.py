"""One summary line per outlet when its crawl ends, and the crawl's outcome in the stats.

Under cron or Scrapyd nobody reads the stats dump; the line says in one glance what the run
found, delivered and lost, and whether it failed (see ``crawler.run.outcome``). It is judged
once the feeds are stored, so storage failures and delivery counts are in it, and logged
when the engine stops, after the stats dump, as the crawl's last word.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter
from scrapy.utils.reactor import is_asyncio_reactor_installed

from crawler.run.outcome import EXIT_CODE_STAT, REASONS_STAT, crawl_outcome
from crawler.run.summary import OUTLET_LOG_ERRORS_STAT, OutletSummary, format_summary_line

logger = logging.getLogger(__name__)


class OutletErrorCounter(logging.Handler):
    """Count ERROR records of one running spider into its stats.

    A record is the spider's when it carries the spider (Scrapy's components pass it) or comes
    from the spider's own logger. A record naming no spider is counted only while this is the
    process's single running outlet, where it can belong to nobody else.
    """

    running: ClassVar[set[OutletErrorCounter]] = set()

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def start(self) -> None:
        self.running.add(self)
        self.crawler.stats.set_value(OUTLET_LOG_ERRORS_STAT, 0)
        logging.getLogger().addHandler(self)

    def stop(self) -> None:
        logging.getLogger().removeHandler(self)
        self.running.discard(self)

    def emit(self, record: logging.LogRecord) -> None:
        spider = self.crawler.spider
        owner = getattr(record, "spider", None)
        if spider is None or owner not in (None, spider):
            return
        own_logger = record.name == spider.name or record.name.startswith(spider.name + ".")
        if owner is spider or own_logger or len(self.running) == 1:
            self.crawler.stats.inc_value(OUTLET_LOG_ERRORS_STAT)


class SummaryExtension:
    """Log the outlet's summary line and record ``crawler/outcome/*`` stats at spider close."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.finish_reason: str | None = None
        self.summary: OutletSummary | None = None
        self.error_counter = OutletErrorCounter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SummaryExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.error_counter.stop, signal=signals.engine_stopped)
        crawler.signals.connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(extension.log_summary, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        self.error_counter.start()

    def spider_closed(self, reason: str) -> None:
        self.finish_reason = reason
        if self.crawler.get_extension(FeedExporter) is None:
            self.report()

    async def feed_exporter_closed(self) -> None:
        # Other handlers of this signal (the delivery commit) were scheduled together with this
        # one; one turn of the loop lets them count before the line is written.
        if is_asyncio_reactor_installed():
            await asyncio.sleep(0)
        self.report()

    def report(self) -> OutletSummary:
        self.error_counter.stop()
        stats = self.crawler.stats
        reason = self.finish_reason or stats.get_value("finish_reason")
        exit_code, reasons = crawl_outcome(stats.get_stats(), reason, self.crawler.settings)
        stats.set_value(EXIT_CODE_STAT, exit_code)
        stats.set_value(REASONS_STAT, reasons)
        spider = self.crawler.spider
        name = spider.name if spider is not None else "?"
        self.summary = OutletSummary.from_stats(
            name, stats.get_stats(), reason, (exit_code, reasons)
        )
        return self.summary

    def log_summary(self) -> None:
        """The line comes last, after Scrapy's stats dump, where a reader of the log looks."""
        if self.summary is None:
            return
        level = logging.INFO if self.summary.ok else logging.WARNING
        logger.log(level, "Summary %s", format_summary_line(self.summary))

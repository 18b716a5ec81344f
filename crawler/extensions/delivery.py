"""Exactly-once delivery: an article is marked delivered only after its feeds were stored.

Each scraped article is *pending* until every feed that accepted it has been stored; then
its hashes go to the delivered-store in one transaction per stored feed (per batch file
with ``FEED_EXPORT_BATCH_ITEM_COUNT``) and ``crawler/delivered`` counts it. If the storage
of any feed holding it fails, it is never marked: ``crawler/feed_store_failed`` counts the
feed, an ERROR says so, and the next run delivers the article again. A run killed before
its feeds closed marks nothing, for the same effect. Across successful runs no article is
delivered twice; across a crash the worst case is one more delivery, never a loss.

Which file holds an article is observed, not computed: this extension's ``item_scraped``
handler runs after the feed exporter's (extensions connect in build order, and Scrapy's
exporter is built first), so the feed slot whose ``itemcount`` grew — the current one, or
the batch file it just filled and closed — received the item. An article a feed should
have received (its filter accepts it) but did not, because exporting it failed, is never
marked. Whether a file was stored is read from the storage object
(``crawler.store.feeds``); for a storage class that does not record it, the feed counts as
stored only when Scrapy counted no storage failure at all in the run, decided once every
feed has closed.

Without any feed, scraped articles go nowhere, so nothing is marked and a WARNING says so.

At the end of a run that covered the default date window, the run is recorded under the
outlet's key (``NewsSpider.outlet_key``); it counts as successful (and moves the next default
window) only when its exit status is a success (``crawler.run.outcome.RUN_SUCCESS_EXIT_CODES``:
0, or 10 for a monitor warning about field quality), feeds were configured, every article it
scraped was delivered and none was left out for ``max_articles``. A run refused because
another run held the outlet's lock records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter, FeedSlot
from scrapy.http import Response

from crawler.run.outcome import (
    DELIVERY_COMMIT_FAILED,
    FEED_STORE_FAILED,
    NORMAL_FINISH_REASON,
    RUN_SUCCESS_EXIT_CODES,
    SCRAPY_FEED_FAILED_PREFIX,
    crawl_outcome,
)
from crawler.store import delivered_store
from crawler.utils.urls import canonicalize_url, url_hash

logger = logging.getLogger(__name__)

DELIVERED = "crawler/delivered"
MAX_ARTICLES_SKIPPED = "crawler/skipped/max_articles"


@dataclass(eq=False)
class PendingArticle:
    """A scraped article waiting for the feeds that hold it."""

    url: str
    outlet: str
    #: Every hash it is remembered by: its own and those of the URLs it was fetched under.
    keys: frozenset[str]
    #: URI templates of the feeds that hold it and are not stored yet.
    waiting: set[str] = field(default_factory=set)
    failed: bool = False
    committed: bool = False


@dataclass(eq=False)
class FeedTrack:
    """One configured feed (a ``FEEDS`` URI template) and the slot now receiving its items."""

    template: str
    accepts: Callable[[Any], bool]
    slot: FeedSlot | None = None
    #: ``slot.itemcount`` when this extension last looked.
    count: int = 0

    def receiver(self, current: FeedSlot | None) -> FeedSlot | None:
        """The slot that took the item just exported, and follow the feed to ``current``.

        Called once per scraped item, after the exporter wrote it: the item went to the slot
        whose count grew (the previous one when it filled a batch and was replaced).
        """
        received = None
        if self.slot is not None and self.slot.itemcount > self.count:
            received = self.slot
        elif current is not None and current is not self.slot and current.itemcount > 0:
            received = current
        self.slot = current
        self.count = current.itemcount if current is not None else 0
        return received


@dataclass(eq=False)
class HeldFile:
    """The articles written to one feed file (slot), until it is stored or not."""

    slot: FeedSlot
    articles: list[PendingArticle] = field(default_factory=list)


def uri_for_log(uri: str) -> str:
    """The feed URI without user and password (``s3://KEY:SECRET@bucket`` is valid in FEEDS)."""
    parts = urlsplit(uri)
    if not parts.username and not parts.password:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class DeliveryExtension:
    """Commit scraped articles to the delivered-store as their feeds are stored."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store = delivered_store(crawler)
        self.exporter: FeedExporter | None = None
        self.tracks: dict[str, FeedTrack] = {}
        #: Articles at least one feed holds or should hold (no filter took the others).
        self.pending: list[PendingArticle] = []
        #: Open and closing feed files by ``id(slot)``, with the articles they hold.
        self.held: dict[int, HeldFile] = {}
        self.undecided: list[HeldFile] = []
        self.started: datetime | None = None
        self.close_reason: str | None = None
        self.failed_feeds = 0
        self.commit_failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeliveryExtension:
        extension = cls(crawler)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.item_scraped, signal=signals.item_scraped)
        connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        connect(extension.spider_closed, signal=signals.spider_closed)
        connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    # --- signals -------------------------------------------------------------------------------

    def spider_opened(self) -> None:
        self.started = datetime.now(UTC)
        exporter = self.crawler.get_extension(FeedExporter)
        if exporter is None:
            logger.warning(
                "No feed is configured (FEEDS is empty): scraped articles go nowhere, so none "
                "is marked delivered and this run does not move the default date window"
            )
            return
        self.exporter = exporter
        for template in exporter.feeds:
            self.tracks[template] = FeedTrack(template, exporter.filters[template].accepts)
        for slot in exporter.slots:
            track = self.tracks.get(slot.uri_template)
            if track is not None:
                track.slot, track.count = slot, slot.itemcount
        self.crawler.stats.set_value(DELIVERED, 0)

    def item_scraped(self, item: Any, response: Response | None = None) -> None:
        adapter = ItemAdapter(item)
        own_hash = adapter.get("url_hash")
        if not own_hash or self.exporter is None:
            return
        article = PendingArticle(
            url=adapter.get("url") or "",
            outlet=getattr(self.crawler.spider, "outlet_key", None) or adapter.get("outlet") or "",
            keys=frozenset({own_hash, *self.alias_keys(adapter.get("url"), response)}),
        )
        current = {slot.uri_template: slot for slot in self.exporter.slots}
        for template, track in self.tracks.items():
            received = track.receiver(current.get(template))
            if received is not None:
                held = self.held.setdefault(id(received), HeldFile(received))
                held.articles.append(article)
                article.waiting.add(template)
            elif track.accepts(item):
                article.failed = True
                logger.error(
                    "%s was not written to the feed %s: it is not marked delivered",
                    article.url,
                    uri_for_log(template),
                )
        if article.waiting or article.failed:
            self.pending.append(article)

    def feed_slot_closed(self, slot: FeedSlot) -> None:
        held = self.held.pop(id(slot), None) or HeldFile(slot)
        stored = getattr(slot.storage, "stored", None)
        if stored is None:
            self.undecided.append(held)
            return
        self.settle(held, stored)

    def feed_exporter_closed(self) -> None:
        """Decide the feeds whose storage does not report its outcome, now that all closed."""
        stats = self.crawler.stats.get_stats()
        any_failure = any(
            key.startswith(SCRAPY_FEED_FAILED_PREFIX) and value for key, value in stats.items()
        )
        undecided, self.undecided = self.undecided, []
        for held in undecided:
            self.settle(held, not any_failure)

    def spider_closed(self, reason: str) -> None:
        self.close_reason = reason

    def engine_stopped(self) -> None:
        try:
            self.record_run()
        finally:
            self.store.close()

    # --- committing ----------------------------------------------------------------------------

    def alias_keys(self, url: str | None, response: Response | None) -> set[str]:
        """Hashes of every URL the article was requested under, as the spider's check sees them.

        A candidate found next time under its legacy, AMP or pre-redirect address is then
        recognised before it is requested.
        """
        urls = [url] if url else []
        if response is not None:
            urls += [response.url, *response.meta.get("redirect_urls", ())]
        spider_keys = getattr(self.crawler.spider, "delivery_keys", None)
        keys: set[str] = set()
        for each in dict.fromkeys(urls):  # the item's URL is most often the response's
            keys |= set(spider_keys(each)) if spider_keys else {url_hash(canonicalize_url(each))}
        return keys

    def settle(self, held: HeldFile, stored: bool) -> None:
        slot, articles = held.slot, held.articles
        if not stored:
            self.failed_feeds += 1
            self.crawler.stats.inc_value(FEED_STORE_FAILED)
            for article in articles:
                article.failed = True
            logger.error(
                "Feed %s (%s, %d articles) was not stored: its articles are not marked "
                "delivered, the next run delivers them again",
                uri_for_log(slot.uri),
                slot.format,
                len(articles),
            )
            return
        ready = []
        for article in articles:
            article.waiting.discard(slot.uri_template)
            if not article.waiting and not article.failed and not article.committed:
                ready.append(article)
        self.commit(ready, uri_for_log(slot.uri))

    def commit(self, articles: list[PendingArticle], where: str) -> None:
        if not articles:
            return
        pairs = [(key, article.outlet) for article in articles for key in sorted(article.keys)]
        try:
            self.store.mark_delivered(pairs, first_seen=self.started)
        except Exception:
            self.commit_failed = True
            self.crawler.stats.inc_value(DELIVERY_COMMIT_FAILED)
            logger.exception(
                "Stored %s but could not mark its %d articles delivered; "
                "the next run delivers them again",
                where,
                len(articles),
            )
            return
        for article in articles:
            article.committed = True
        self.crawler.stats.inc_value(DELIVERED, len(articles))
        logger.info("Marked %d articles delivered (stored in %s)", len(articles), where)

    # --- the run -------------------------------------------------------------------------------

    def run_succeeded(self) -> bool:
        exit_code, _ = crawl_outcome(
            self.crawler.stats.get_stats(), self.close_reason, self.crawler.settings
        )
        return (
            self.close_reason == NORMAL_FINISH_REASON
            and exit_code in RUN_SUCCESS_EXIT_CODES
            and bool(self.tracks)
            and not self.failed_feeds
            and not self.commit_failed
            and all(article.committed for article in self.pending)
            and not self.crawler.stats.get_value(MAX_ARTICLES_SKIPPED)
        )

    def record_run(self) -> None:
        spider = self.crawler.spider
        if self.started is None or spider is None or getattr(spider, "refusal", None):
            return
        if not getattr(spider, "covers_default_window", False):
            logger.info("Run with an explicit window or URL: not recorded as the outlet's last run")
            return
        outlet = getattr(spider, "outlet_key", spider.name)
        success = self.run_succeeded()
        self.store.record_run(outlet, self.started, datetime.now(UTC), success)
        logger.info(
            "Recorded the run of %s as %s",
            outlet,
            "successful" if success else "unsuccessful (the next run keeps the old window)",
        )

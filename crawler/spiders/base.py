"""The shared outlet spider: discovery, the date window, article requests and items.

An outlet module only declares facts (hosts, discovery URLs, article URL patterns,
layouts); this base does the work. Discovery first gathers *candidates* from every
source (sitemaps named in robots.txt, news sitemaps, sitemap indexes, RSS/Atom,
listing pages). Only when discovery is idle are the candidates merged by article
identity, filtered by the date window (using whatever date a source gave) and
requested, newest first. So an article seen in a sitemap and in a feed is fetched
once, and a sitemap's ``news:publication_date`` keeps old articles from being fetched
even when a listing page links them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discovery import parse_feed, parse_sitemap, sitemap_urls_from_robots
from crawler.discovery.xml import UnsafeOrInvalidXML
from crawler.extraction import extract_article
from crawler.extraction.selectors import OutletSelectors
from crawler.items import ArticleItem
from crawler.outlets import Outlet
from crawler.timezones import WIB
from crawler.urls import canonicalize_url, url_hash
from crawler.window import DateWindow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Layout:
    """One version of an outlet's article template.

    ``valid_until`` is the last publication date the layout was used for (None: current);
    the spider picks the newest layout whose ``detect`` selector matches the page, so
    archived pages in an old template still parse.
    """

    name: str
    selectors: OutletSelectors
    detect: str | None = None
    valid_until: date | None = None


@dataclass
class Candidate:
    """An article URL found by discovery, with whatever the source said about it."""

    url: str
    identity: str
    published: datetime | None = None
    title: str | None = None
    sources: set[str] = field(default_factory=set)


class NewsSpider(scrapy.Spider):
    """Base class of every outlet spider."""

    #: The outlet's registry entry (display name, media type, domains, status...).
    outlet: ClassVar[Outlet]
    #: robots.txt files whose ``Sitemap:`` lines start sitemap discovery.
    robots_urls: ClassVar[tuple[str, ...]] = ()
    #: Sitemaps (index, news or plain) tried when robots.txt names none.
    sitemap_urls: ClassVar[tuple[str, ...]] = ()
    feed_urls: ClassVar[tuple[str, ...]] = ()
    listing_urls: ClassVar[tuple[str, ...]] = ()
    #: Article URL patterns; group 1, when present, is the outlet's stable article id.
    article_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    #: Article templates, newest first.
    layouts: ClassVar[tuple[Layout, ...]] = ()
    listing_link_css: ClassVar[str] = "a::attr(href)"
    listing_next_css: ClassVar[str] = "a.next::attr(href), link[rel=next]::attr(href)"

    def __init__(
        self,
        *args: Any,
        since: str | None = None,
        until: str | None = None,
        url: str | None = None,
        max_articles: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window_arguments = (since, until)
        self.article_url = url
        self.max_articles_argument = max_articles
        self.candidates: dict[str, Candidate] = {}
        self.requested: set[str] = set()
        self.skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: scrapy.crawler.Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        since, until = spider.window_arguments
        spider.window = DateWindow.from_arguments(
            since,
            until,
            default_days=settings.getint("CRAWLER_DEFAULT_WINDOW_DAYS", 2),
            now=datetime.now(WIB),
        )
        limit = spider.max_articles_argument
        spider.max_articles = int(limit) if limit else settings.getint("CRAWLER_MAX_ARTICLES", 0)
        spider.max_listing_pages = settings.getint("CRAWLER_MAX_LISTING_PAGES", 10)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.logger.info(
            "window %s .. %s", self.window.since.isoformat(), self.window.until.isoformat()
        )
        if self.article_url:
            self.requested.add(self.article_identity(self.article_url))
            yield self.article_request(self.article_url, priority=0)
            return
        for robots_url in self.robots_urls:
            yield scrapy.Request(
                robots_url, self.parse_robots, errback=self.robots_failed, priority=30
            )
        if not self.robots_urls:
            for request in self.sitemap_requests(self.sitemap_urls):
                yield request
        for feed_url in self.feed_urls:
            yield scrapy.Request(
                feed_url, self.parse_feed, errback=self.discovery_failed, priority=20
            )
        for listing_url in self.listing_urls:
            yield scrapy.Request(
                listing_url,
                self.parse_listing,
                errback=self.discovery_failed,
                priority=10,
                cb_kwargs={"page": 1},
            )

    def sitemap_requests(self, urls: Iterable[str]) -> Iterable[scrapy.Request]:
        for url in urls:
            yield scrapy.Request(
                url, self.parse_sitemap, errback=self.discovery_failed, priority=30
            )

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        named = sitemap_urls_from_robots(response.text, response.url)
        yield from self.sitemap_requests(named or self.sitemap_urls)

    def robots_failed(self, failure: Failure) -> Iterable[scrapy.Request]:
        self.discovery_failed(failure)
        yield from self.sitemap_requests(self.sitemap_urls)

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        try:
            sitemap = parse_sitemap(response.body)
        except UnsafeOrInvalidXML as exc:
            self.count_failure("invalid_sitemap", response.url, str(exc))
            return
        if sitemap.kind == "sitemapindex":
            yield from self.sitemap_requests(entry.loc for entry in sitemap.entries)
            return
        for entry in sitemap.entries:
            self.add_candidate(
                entry.loc,
                published=entry.publication_date or entry.lastmod,
                title=entry.news_title,
                source="sitemap",
            )

    def parse_feed(self, response: Response) -> None:
        try:
            entries = parse_feed(response.body)
        except UnsafeOrInvalidXML as exc:
            self.count_failure("invalid_feed", response.url, str(exc))
            return
        for entry in entries:
            self.add_candidate(
                entry.url, published=entry.published, title=entry.title, source="feed"
            )

    def parse_listing(self, response: Response, page: int) -> Iterable[scrapy.Request]:
        new = 0
        for href in response.css(self.listing_link_css).getall():
            new += self.add_candidate(response.urljoin(href), source="listing")
        next_href = response.css(self.listing_next_css).get()
        if next_href and new and page < self.max_listing_pages:
            yield response.follow(
                next_href,
                self.parse_listing,
                errback=self.discovery_failed,
                priority=10,
                cb_kwargs={"page": page + 1},
            )

    def discovery_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        self.count_failure(
            "discovery_" + failure.type.__name__,
            getattr(request, "url", "?"),
            failure.getErrorMessage(),
        )

    # --- candidates ----------------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        return any(pattern.match(url) for pattern in self.article_patterns)

    def article_identity(self, url: str) -> str:
        """A key equal for every URL of one article (AMP twin, legacy domain, tracking params)."""
        for pattern in self.article_patterns:
            match = pattern.match(url)
            if match and match.groups():
                return f"{self.name}:{match.group(1)}"
        return canonicalize_url(url)

    def add_candidate(
        self,
        url: str,
        *,
        published: datetime | None = None,
        title: str | None = None,
        source: str,
    ) -> bool:
        """Remember an article URL; return True when it is new to this run."""
        if not self.is_article_url(url):
            return False
        identity = self.article_identity(url)
        known = self.candidates.get(identity)
        if known is None:
            self.candidates[identity] = Candidate(
                canonicalize_url(url), identity, published, title, {source}
            )
            self.crawler.stats.inc_value("crawler/discovered")
            return True
        known.sources.add(source)
        if published is not None and (known.published is None or published < known.published):
            known.published = published
        return False

    def on_idle(self) -> None:
        """Discovery has settled: request the candidates not yet requested, newest first."""
        pending = [
            c
            for c in self.candidates.values()
            if c.identity not in self.requested and c.identity not in self.skipped
        ]
        if not pending:
            return
        # Newest first; candidates without a known date (listing links) after the dated ones.
        pending.sort(
            key=lambda c: (c.published is not None, c.published or self.window.since), reverse=True
        )
        for candidate in pending:
            if candidate.published is not None and candidate.published not in self.window:
                self.skipped.add(candidate.identity)
                self.crawler.stats.inc_value("crawler/skipped/outside_window")
                continue
            if self.max_articles and len(self.requested) >= self.max_articles:
                self.skipped.add(candidate.identity)
                self.crawler.stats.inc_value("crawler/skipped/max_articles")
                continue
            self.requested.add(candidate.identity)
            self.crawler.engine.crawl(self.article_request(candidate.url))
        raise DontCloseSpider

    # --- articles ------------------------------------------------------------------------------

    def article_request(self, url: str, priority: int = 0) -> scrapy.Request:
        self.crawler.stats.inc_value("crawler/articles_requested")
        return scrapy.Request(
            url, self.parse_article, errback=self.article_failed, priority=priority
        )

    def article_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else failure.type.__name__
        self.count_failure(
            "article_" + reason, getattr(request, "url", "?"), failure.getErrorMessage()
        )

    def select_layout(self, response: Response) -> Layout | None:
        for layout in self.layouts:
            if layout.detect is None or response.css(layout.detect):
                return layout
        return self.layouts[0] if self.layouts else None

    def parse_article(self, response: Response) -> Iterable[ArticleItem]:
        layout = self.select_layout(response)
        extracted = extract_article(
            response.text, response.url, selectors=layout.selectors if layout else None
        )
        item = self.build_item(response, extracted, layout)
        if (
            not self.article_url
            and item.published is not None
            and item.published not in self.window
        ):
            self.crawler.stats.inc_value("crawler/dropped/outside_window")
            self.logger.info(
                "dropped %s: published %s outside the window", item.url, item.published.isoformat()
            )
            return
        yield item

    def build_item(self, response: Response, extracted: Any, layout: Layout | None) -> ArticleItem:
        url = canonicalize_url(response.url, canonical_hint=extracted.url)
        layers = dict(extracted.layers)
        if layout is not None:
            layers["layout"] = layout.name
        return ArticleItem(
            url=url,
            url_hash=url_hash(url),
            outlet=self.name,
            outlet_name=self.outlet.name,
            media_type=self.outlet.media_type,
            title=extracted.title,
            published=extracted.published,
            modified=extracted.modified,
            authors=list(extracted.authors),
            section=extracted.section,
            tags=list(extracted.tags),
            dateline=extracted.dateline,
            body=list(extracted.body),
            views=extracted.views,
            crawled_at=datetime.now(WIB),
            extraction=layers,
        )

    # --- accounting ----------------------------------------------------------------------------

    def count_failure(self, reason: str, url: str, detail: str) -> None:
        """Every failure is logged with its reason and counted under ``crawler/failed/<reason>``."""
        self.crawler.stats.inc_value(f"crawler/failed/{reason}")
        self.logger.warning("%s: %s (%s)", reason, url, detail)

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        requested = stats.get_value("crawler/articles_requested", 0)
        scraped = stats.get_value("item_scraped_count", 0)
        if requested and not scraped:
            self.logger.error(
                "%s: %d article pages requested but no article delivered; "
                "the outlet may have changed its layout",
                self.name,
                requested,
            )

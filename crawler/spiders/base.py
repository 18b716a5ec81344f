"""The shared outlet spider: discovery, the date window, article requests and items.

An outlet module only declares facts (hosts, discovery URLs, article URL patterns,
layouts); this base does the work. Discovery gathers *candidates* from every source
(sitemaps named in robots.txt, news sitemaps, sitemap indexes, RSS/Atom, listing pages),
merged by article identity, so an article seen in a sitemap and in a feed is fetched once.

Articles flow while discovery goes on: right after each discovery response, the new
candidates whose source gave a date inside the window are requested, with a priority that
puts newer articles first (discovery requests still go before any article). Candidates
without a date (listing links) wait until discovery has settled (no discovery request
queued, downloading or being parsed; article requests do not count, so a hanging article
holds nothing up), so that a sitemap or feed still to come can date them, and a sitemap's
``news:publication_date`` keeps an old article from being fetched even when a listing page
links it. With ``max_articles`` every candidate waits for settled discovery, so that the run
takes the newest of the whole window.

Sitemap indexes are followed newest first (by ``lastmod``) and within bounds: at most
``CRAWLER_MAX_SITEMAP_DEPTH`` indexes deep and ``CRAWLER_MAX_SITEMAPS`` sitemaps a run; what
lies beyond is counted (``crawler/skipped/sitemap_depth``, ``sitemap_limit``) and logged,
so an index that links a new index at every hop cannot hold the crawl.

Each candidate remembers which kinds of source listed it (``sitemap``, ``feed``, ``listing``,
``front-page``, ``wp-rest``); the counts go to the stats (``crawler/sources/<kind>``) and the
run summary, and each discovery URL's answer (HTTP status or error) to
``NewsSpider.discovery_answers``, so a run says which of an outlet's sources work.

An outlet whose discovery URLs are guesses names pages that certainly exist, its home and
section front pages (``fallback_listing_urls``): when discovery settles without a single
candidate that may lie in the window, those are read for article links. Such links carry no
date; an outlet whose article ids grow with time (``article_sequence``) has them requested
newest id first, a few at a time, and the first article found older than the window ends it:
lower ids are skipped and the fronts' further pages are not read.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.reactor import CallLaterOnce
from twisted.python.failure import Failure

from crawler.cluster.profile import apply_profile, shares_frontier
from crawler.discovery import parse_feed, parse_sitemap, sitemap_urls_from_robots
from crawler.discovery.feeds import FeedEntry
from crawler.discovery.sitemaps import Sitemap, SitemapEntry
from crawler.discovery.xml import UnsafeOrInvalidXML
from crawler.downloader.blocking import block_reason, retry_is_scheduled
from crawler.extraction.block import decode_page
from crawler.extraction.layouts import ArticlePage, Layout
from crawler.extraction.pagination import PageAssembly, SinglePageView
from crawler.extraction.read_ahead import UNUSED_STAT
from crawler.extraction.workers import PageReading, ReadArguments, read_page
from crawler.items import ArticleItem
from crawler.outlets.entry import Outlet
from crawler.outlets.registry import publisher_names
from crawler.run.arguments import COMMON_ARGUMENTS, TRUE_WORDS, SpiderArgument
from crawler.run.outcome import EXIT_LOCKED, REFUSED_STAT
from crawler.run.window import DateWindow
from crawler.store import OutletLocked, delivered_store
from crawler.store.feeds import run_id
from crawler.utils.request_meta import (
    DISCOVERED_META,
    DISCOVERY_META,
    PAGE_NUMBER_META,
    PAGED_META,
)
from crawler.utils.timezones import WIB
from crawler.utils.urls import canonicalize_url, url_hash

logger = logging.getLogger(__name__)

#: Page number standing for an outlet's whole-story view (``?page=all``).
VIEW_PAGE = 0
#: Further pages of an article go before new articles, so a started article completes soon.
PAGE_PRIORITY = 5
#: Discovery requests go before articles (sitemaps, robots.txt and REST 30, feeds 20, listings
#: 10). An article's priority is minus its age in minutes at the window's end, so newer ones
#: go first; candidates without a date come last.
UNDATED_PRIORITY = -10_000_000
#: Candidates handed to the scheduler in one turn of the event loop.
RELEASE_BATCH = 500
#: Seconds between two looks at whether discovery has settled, while candidates wait for it.
SETTLE_POLL_SECONDS = 0.5
#: Request meta key: how many sitemap indexes lead to this sitemap (0: named by robots.txt or
#: the outlet).
SITEMAP_DEPTH_META = "sitemap_depth"
DEFAULT_MAX_SITEMAP_DEPTH = 4
DEFAULT_MAX_SITEMAPS = 1000

EPOCH = datetime(1970, 1, 1, tzinfo=WIB)

#: Kinds of discovery source (the value of ``DISCOVERY_META`` in a request's meta).
ROBOTS, SITEMAP, FEED, LISTING, FRONT_PAGE = "robots", "sitemap", "feed", "listing", "front-page"
#: Stats key prefix: candidates each kind of source listed (``crawler/sources/sitemap``).
SOURCES_STATS_PREFIX = "crawler/sources/"
#: Undated candidates ordered by their article sequence are requested this many at a time.
SEQUENCE_BATCH = 8

#: Spellings of "yes" accepted by flag arguments such as ``-a refresh=true``.
TRUE_ARGUMENTS = TRUE_WORDS


def argument_flag(value: str | bool | None) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_ARGUMENTS


def failure_reason(failure: Failure) -> str:
    """``challenge``, ``blocked``, ``http_<status>`` or the exception's name: the tail of a
    failure's stats key."""
    if blocked := block_reason(failure):
        return blocked
    response = getattr(failure.value, "response", None)
    return f"http_{response.status}" if response is not None else failure.type.__name__


def is_discovery(request: scrapy.Request) -> bool:
    """A request of the spider's discovery (robots.txt, sitemap, feed, listing, REST page):
    neither an article nor a further page of one, nor a middleware's own fetch."""
    meta = request.meta
    return (
        request.callback is not NO_CALLBACK
        and DISCOVERED_META not in meta
        and PAGED_META not in meta
    )


def newest_first(entries: Iterable[SitemapEntry]) -> list[str]:
    """The locations of a sitemap index, most recently modified first (undated ones last, in
    document order), so that the sitemap bounds leave out the oldest."""
    ordered = sorted(
        enumerate(entries),
        key=lambda pair: (
            pair[1].lastmod is None,
            -(pair[1].lastmod or EPOCH).timestamp(),
            pair[0],
        ),
    )
    return [entry.loc for _, entry in ordered]


@dataclass
class Candidate:
    """An article URL found by discovery, with whatever the source said about it."""

    url: str
    identity: str
    published: datetime | None = None
    title: str | None = None
    sources: set[str] = field(default_factory=set)


@dataclass
class PagedArticle:
    """An article whose further pages are being fetched: page 1's item, its layout, the pages."""

    item: ArticleItem
    layout: Layout
    assembly: PageAssembly


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
    #: Listings by publication day, requested for every day of the window, newest day first:
    #: ``str.format`` templates of ``day`` (a date), e.g. ``"...indeks?date={day:%m/%d/%Y}"``.
    dated_listing_urls: ClassVar[tuple[str, ...]] = ()
    #: Article URL patterns; group 1, when present, is the outlet's stable article id.
    article_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    #: Article templates, newest first.
    layouts: ClassVar[tuple[Layout, ...]] = ()
    #: The ``-a`` arguments every outlet takes (``crawler.run.arguments``; ``scrapy crawl -h``).
    arguments: ClassVar[tuple[SpiderArgument, ...]] = COMMON_ARGUMENTS
    #: Pages that certainly exist (home, section fronts), read only when discovery found nothing
    #: that may lie in the window (see the module docstring).
    fallback_listing_urls: ClassVar[tuple[str, ...]] = ()
    #: Links on a fallback page that are further section fronts to read (e.g. other subdomains).
    fallback_front_pattern: ClassVar[re.Pattern[str] | None] = None
    listing_link_css: ClassVar[str] = "a::attr(href)"
    listing_next_css: ClassVar[str] = (
        "a.next::attr(href), a[rel=next]::attr(href), link[rel=next]::attr(href)"
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """An outlet's ``allowed_domains`` are its registry domains unless it lists others."""
        super().__init_subclass__(**kwargs)
        outlet = cls.__dict__.get("outlet")
        if outlet is not None and "allowed_domains" not in cls.__dict__:
            cls.allowed_domains = list(outlet.domains)

    def __init__(
        self,
        *args: Any,
        since: str | None = None,
        until: str | None = None,
        url: str | None = None,
        max_articles: str | int | None = None,
        refresh: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window_arguments = (since, until)
        self.article_url = url
        self.max_articles_argument = max_articles
        #: Deliver again what earlier runs delivered (no check before requests, no drop).
        self.refresh = argument_flag(refresh)
        #: Why this run does nothing (another run holds the outlet's lock), or None.
        self.refusal: str | None = None
        self.candidates: dict[str, Candidate] = {}
        self.requested: set[str] = set()
        self.skipped: set[str] = set()
        self.sitemaps_requested = 0
        self.release: CallLaterOnce[int] | None = None
        #: Discovery requests handed to the scheduler and not yet downloading.
        self.discovery_queued: set[scrapy.Request] = set()
        self.starting = True

        #: Discovery URL -> its kind and answer (``200``, ``http_404``, an error's name).
        self.discovery_answers: dict[str, tuple[str, str]] = {}
        self.fallback_started = False
        #: Fallback front pages read or requested, and their next pages not yet requested.
        self.fronts_seen: set[str] = set()
        self.deferred_fronts: list[tuple[str, int]] = []
        #: Highest article sequence proven older than the window: lower ones are older still.
        self.sequence_floor: int | None = None
        #: Responses a worker process has read, with the arguments it read them with.
        self.pages_read_ahead: WeakKeyDictionary[Response, tuple[ReadArguments, PageReading]] = (
            WeakKeyDictionary()
        )

    @property
    def outlet_key(self) -> str:
        """The outlet's name in the delivered-store: its runs, window and lock go by it."""
        return self.name

    @classmethod
    def from_crawler(cls, crawler: scrapy.crawler.Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        since, until = spider.window_arguments
        apply_profile(crawler.settings)  # before the store opens: add-ons come after spiders
        spider.delivered = delivered_store(crawler)
        spider.refusal = spider.take_outlet_lock()
        resume = spider.delivered.last_successful_run(spider.outlet_key) if not until else None
        overlap = timedelta(hours=settings.getfloat("CRAWLER_WINDOW_OVERLAP_HOURS", 6))
        spider.window = DateWindow.from_arguments(
            since,
            until,
            default_days=settings.getint("CRAWLER_DEFAULT_WINDOW_DAYS", 2),
            now=datetime.now(WIB),
            default_since=resume - overlap if resume else None,
        )
        limit = spider.max_articles_argument
        spider.max_articles = int(limit) if limit else settings.getint("CRAWLER_MAX_ARTICLES", 0)
        spider.max_listing_pages = settings.getint("CRAWLER_MAX_LISTING_PAGES", 10)
        spider.max_sitemap_depth = settings.getint(
            "CRAWLER_MAX_SITEMAP_DEPTH", DEFAULT_MAX_SITEMAP_DEPTH
        )
        spider.max_sitemaps = settings.getint("CRAWLER_MAX_SITEMAPS", DEFAULT_MAX_SITEMAPS)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.stop_releasing, signal=signals.spider_closed)
        connect = crawler.signals.connect
        connect(spider.discovery_scheduled, signal=signals.request_scheduled)
        connect(spider.discovery_dequeued, signal=signals.request_reached_downloader)
        connect(spider.discovery_dequeued, signal=signals.request_dropped)
        crawler.signals.connect(spider.discovery_answered, signal=signals.response_received)
        crawler.signals.connect(spider.discovery_left, signal=signals.request_left_downloader)
        return spider

    def take_outlet_lock(self) -> str | None:
        """Take the outlet's run lock (``crawler.store.locks``); why not, when another run has it.

        Cluster members share the Redis frontier, which already gives each article to one of
        them, so they run together without a lock.
        """
        if shares_frontier(self.crawler.settings):
            return None
        started = datetime.now(WIB).isoformat(timespec="seconds")
        holder = f"pid {os.getpid()} on {socket.gethostname()}, run {run_id(self)}, since {started}"
        try:
            self.delivered.lock_outlet(self.outlet_key, holder)
        except OutletLocked as locked:
            return str(locked)
        return None

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.refusal:
            self.crawler.stats.set_value(REFUSED_STAT, self.refusal)
            self.logger.warning(
                "%s: nothing done, exit %d: %s", self.outlet_key, EXIT_LOCKED, self.refusal
            )
            return
        self.logger.info(
            "window %s .. %s", self.window.since.isoformat(), self.window.until.isoformat()
        )
        if self.article_url:
            if self.already_delivered(self.article_url):
                self.logger.info(
                    "%s was delivered by an earlier run; -a refresh=true fetches it again",
                    self.article_url,
                )
                return
            self.requested.add(self.article_identity(self.article_url))
            yield self.article_request(self.article_url, priority=0)
            return
        for robots_url in self.robots_urls:
            yield self.discovery_request(
                robots_url, self.parse_robots, ROBOTS, priority=30, errback=self.robots_failed
            )
        if not self.robots_urls:
            for request in self.sitemap_requests(self.sitemap_urls):
                yield request
        for feed_url in self.feed_urls:
            yield self.discovery_request(feed_url, self.parse_feed, FEED, priority=20)
        listings = [(url, False) for url in self.listing_urls]
        listings += [(url, True) for url in self.dated_listings()]
        for listing_url, dated in listings:
            yield self.discovery_request(
                listing_url,
                self.parse_listing,
                LISTING,
                priority=10,
                cb_kwargs={"page": 1, "dated": dated},
            )
        self.starting = False

    def discovery_request(
        self,
        url: str,
        callback: Any,
        kind: str,
        *,
        priority: int,
        errback: Any = None,
        cb_kwargs: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> scrapy.Request:
        """A request of a discovery source of ``kind``; its answer is noted (see the module)."""
        return scrapy.Request(
            url,
            callback,
            errback=errback or self.discovery_failed,
            priority=priority,
            cb_kwargs=cb_kwargs,
            meta={**(meta or {}), DISCOVERY_META: kind},
        )

    def discovery_answered(self, response: Response, request: scrapy.Request) -> None:
        kind = request.meta.get(DISCOVERY_META)
        if kind:
            self.discovery_answers[request.url] = (kind, str(response.status))

    def discovery_left(self, request: scrapy.Request) -> None:
        """A discovery request left the downloader: without a response it got no answer."""
        kind = request.meta.get(DISCOVERY_META)
        if kind:
            self.discovery_answers.setdefault(request.url, (kind, "no answer"))

    def dated_listings(self) -> list[str]:
        """The ``dated_listing_urls`` of every day of the window, newest day first."""
        first, last = self.window.since.date(), self.window.until.date()
        days = [last - timedelta(days=back) for back in range((last - first).days + 1)]
        return [template.format(day=day) for day in days for template in self.dated_listing_urls]

    def sitemap_requests(self, urls: Iterable[str], depth: int = 0) -> Iterable[scrapy.Request]:
        """Requests of the sitemaps at ``urls``, ``depth`` indexes down, within the bounds."""
        urls = list(urls)
        too_deep = depth > self.max_sitemap_depth
        allowed = 0 if too_deep else max(0, self.max_sitemaps - self.sitemaps_requested)
        allowed = min(allowed, len(urls))
        for url in urls[:allowed]:
            self.sitemaps_requested += 1
            yield self.discovery_request(
                url, self.parse_sitemap, SITEMAP, priority=30, meta={SITEMAP_DEPTH_META: depth}
            )
        left_out = len(urls) - allowed
        if left_out:
            reason = "sitemap_depth" if too_deep else "sitemap_limit"
            bound = (
                f"deeper than CRAWLER_MAX_SITEMAP_DEPTH ({self.max_sitemap_depth})"
                if too_deep
                else f"beyond CRAWLER_MAX_SITEMAPS ({self.max_sitemaps}) this run"
            )
            self.crawler.stats.inc_value(f"crawler/skipped/{reason}", left_out)
            self.logger.warning("%d sitemap(s) not followed, %s: %s", left_out, bound, urls[0])

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        named = sitemap_urls_from_robots(response.text, response.url)
        yield from self.sitemap_requests(named or self.sitemap_urls)

    def robots_failed(self, failure: Failure) -> Iterable[scrapy.Request]:
        if retry_is_scheduled(failure):  # a block page: robots.txt comes again later
            return
        self.discovery_failed(failure)
        yield from self.sitemap_requests(self.sitemap_urls)

    def read_sitemap(self, response: Response) -> Sitemap:
        """The sitemap in a response; a document read only in recovery mode is counted."""
        problems: list[str] = []
        sitemap = parse_sitemap(response.body, problems=problems)
        if problems:
            self.count_failure("malformed_sitemap", response.url, "; ".join(problems[:3]))
        return sitemap

    def read_feed(self, response: Response) -> list[FeedEntry]:
        """The feed entries in a response; a document read only in recovery mode is counted."""
        problems: list[str] = []
        entries = parse_feed(response.body, problems=problems)
        if problems:
            self.count_failure("malformed_feed", response.url, "; ".join(problems[:3]))
        return entries

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        try:
            sitemap = self.read_sitemap(response)
        except UnsafeOrInvalidXML as exc:
            self.count_failure("invalid_sitemap", response.url, str(exc))
            return
        if sitemap.kind == "sitemapindex":
            depth = response.meta.get(SITEMAP_DEPTH_META, 0) + 1
            yield from self.sitemap_requests(newest_first(sitemap.entries), depth)
            return
        for entry in sitemap.entries:
            self.add_candidate(
                entry.loc,
                published=entry.publication_date or entry.lastmod,
                title=entry.news_title,
                source=SITEMAP,
            )

    def parse_feed(self, response: Response) -> None:
        try:
            entries = self.read_feed(response)
        except UnsafeOrInvalidXML as exc:
            self.count_failure("invalid_feed", response.url, str(exc))
            return
        for entry in entries:
            self.add_candidate(entry.url, published=entry.published, title=entry.title, source=FEED)

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """(url, published, title) of what a listing page links; dated listings override it."""
        for href in response.css(self.listing_link_css).getall():
            yield response.urljoin(href), None, None

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The listing's page ``page + 1``, if it links one."""
        return response.css(self.listing_next_css).get()

    def parse_listing(
        self, response: Response, page: int, dated: bool = False
    ) -> Iterable[scrapy.Request]:
        front = response.meta.get(DISCOVERY_META) == FRONT_PAGE
        source = FRONT_PAGE if front else LISTING
        found = new = 0
        for url, published, title in self.listing_entries(response):
            found += self.is_article_url(url)
            new += self.add_candidate(url, published=published, title=title, source=source)
        if front:
            yield from self.front_requests((url, 1) for url in self.linked_fronts(response))
        # A listing is read until a page brings nothing new; a listing of one day (all of it
        # inside the window, much of it already known from feeds) until a page lists nothing.
        next_href = self.next_listing_url(response, page)
        if next_href and (found if dated else new) and page < self.max_listing_pages:
            if front:  # read only if the articles found so far are all in the window
                self.deferred_fronts.append((response.urljoin(next_href), page + 1))
                return
            yield response.follow(
                next_href,
                self.parse_listing,
                errback=self.discovery_failed,
                priority=10,
                cb_kwargs={"page": page + 1, "dated": dated},
                meta={DISCOVERY_META: source},
            )

    # --- fallback: home and section fronts -------------------------------------------------------

    def linked_fronts(self, response: Response) -> list[str]:
        """Further section fronts a fallback page links to (``fallback_front_pattern``)."""
        if self.fallback_front_pattern is None:
            return []
        links = (response.urljoin(href) for href in response.css("a::attr(href)").getall())
        return [link for link in links if self.fallback_front_pattern.match(link)]

    def front_requests(self, pages: Iterable[tuple[str, int]]) -> Iterable[scrapy.Request]:
        """Requests of fallback front pages (URL and page number), each URL once."""
        for url, page in pages:
            if url in self.fronts_seen:
                continue
            self.fronts_seen.add(url)
            yield self.discovery_request(
                url,
                self.parse_listing,
                FRONT_PAGE,
                priority=10,
                cb_kwargs={"page": page, "dated": False},
            )

    def needs_fallback(self) -> bool:
        """Whether discovery settled without one candidate that may lie in the window."""
        if self.fallback_started or not self.fallback_listing_urls or self.article_url:
            return False
        if self.refusal:  # another run holds the outlet: this one does nothing
            return False
        return not any(
            candidate.published is None or candidate.published in self.window
            for candidate in self.candidates.values()
        )

    def start_fallback(self) -> None:
        self.fallback_started = True
        self.crawler.stats.inc_value("crawler/discovery/fallback_fronts")
        self.logger.info(
            "discovery found nothing for the window: reading the home and section fronts"
        )
        for request in self.front_requests((url, 1) for url in self.fallback_listing_urls):
            self.crawler.engine.crawl(request)

    def release_deferred_fronts(self) -> bool:
        """Request the fronts' next pages, unless an article proved the window already left.

        Returns whether any was requested.
        """
        deferred, self.deferred_fronts = self.deferred_fronts, []
        if self.sequence_floor is not None:
            return False
        requested = False
        for request in self.front_requests(deferred):
            self.crawler.engine.crawl(request)
            requested = True
        return requested

    def discovery_failed(self, failure: Failure) -> None:
        if retry_is_scheduled(failure):
            return
        request = getattr(failure, "request", None)
        self.discovery_queued.discard(request)  # refused before downloading (robots, offsite)
        reason = block_reason(failure)
        if reason and request is not None and request.meta.get(DISCOVERY_META):
            self.discovery_answers[request.url] = (request.meta[DISCOVERY_META], reason)
        self.count_failure(
            "discovery_" + (reason or failure.type.__name__),
            getattr(request, "url", "?"),
            failure.getErrorMessage(),
        )

    # --- candidates ----------------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        return any(pattern.match(url) for pattern in self.article_patterns)

    def canonical_url(self, url: str, hint: str | None = None) -> str:
        """The address an article is requested and delivered under (``crawler.utils.urls``)."""
        return canonicalize_url(url, canonical_hint=hint)

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
        if known is None or source not in known.sources:
            self.crawler.stats.inc_value(SOURCES_STATS_PREFIX + source)
        if known is None:
            self.candidates[identity] = Candidate(
                self.canonical_url(url), identity, published, title, {source}
            )
            self.crawler.stats.inc_value("crawler/discovered")
            self.schedule_release()
            return True
        known.sources.add(source)
        if published is not None and (known.published is None or published < known.published):
            known.published = published
            self.schedule_release()
        return False

    def date_undated_candidates(self) -> None:
        """Give undated candidates a date where the outlet can tell one without a fetch.

        Called before candidates are requested; outlets whose article ids carry or bound the
        publication day override it, so that old links are skipped unfetched.
        """

    def article_sequence(self, identity: str) -> int | None:
        """An article's place in its outlet's publication order (an id that grows with time).

        None (the default) when the outlet's ids say nothing about time; then undated
        candidates keep their discovery order and are requested all at once.
        """
        return None

    def schedule_release(self, delay: float = 0.0) -> None:
        """Look at the candidates once the current discovery response is handled.

        Not at once: a callback may still be noting what it knows of the article (the REST
        post of a WordPress candidate).
        """
        if self.release is None:
            self.release = CallLaterOnce(self.release_pending)
        self.release.schedule(delay)

    def release_pending(self) -> int:
        """Request the dated candidates, and every candidate once discovery has settled;
        with ``max_articles``, nothing before that. Looks again soon while some wait."""
        settled = self.discovery_settled()
        if not settled and self.candidates_waiting():
            self.schedule_release(SETTLE_POLL_SECONDS)
        if self.max_articles and not settled:
            return 0
        return self.release_candidates(undated=settled)

    def candidates_waiting(self) -> bool:
        return any(
            c.identity not in self.requested
            and c.identity not in self.skipped
            and (c.published is None or self.max_articles)
            for c in self.candidates.values()
        )

    def discovery_scheduled(self, request: scrapy.Request) -> None:
        if is_discovery(request):
            self.discovery_queued.add(request)

    def discovery_dequeued(self, request: scrapy.Request) -> None:
        self.discovery_queued.discard(request)

    def discovery_settled(self) -> bool:
        """No discovery request waits, downloads or is being parsed (articles do not count).

        Read from the engine's downloader and scraper sets, which Scrapy's own engine status
        report reads too; a discovery request that never reached the downloader and had no
        errback of ours keeps discovery unsettled until the spider is idle.
        """
        if self.starting or self.discovery_queued:
            return False
        engine = self.crawler.engine
        scraper_slot = getattr(engine.scraper, "slot", None)
        busy = [*engine.downloader.active, *getattr(scraper_slot, "active", ())]
        return not any(is_discovery(request) for request in busy)

    def stop_releasing(self) -> None:
        if self.release is not None:
            self.release.cancel()

    def on_idle(self) -> None:
        """Nothing left to do but what waits.

        The home and section fronts when discovery found nothing for the window (see the
        module docstring); else every candidate not yet requested, undated ones with an
        article sequence :data:`SEQUENCE_BATCH` per idle turn, so that the first article
        found older than the window stops them; else the fronts' further pages.
        """
        if self.needs_fallback():
            self.start_fallback()
            raise DontCloseSpider
        if self.release_candidates(undated=True, sequenced=True):
            raise DontCloseSpider
        if self.deferred_fronts and self.release_deferred_fronts():
            raise DontCloseSpider

    def release_candidates(self, *, undated: bool = False, sequenced: bool = False) -> int:
        """Request the candidates not yet requested (the undated ones too when ``undated``,
        those with an article sequence only when ``sequenced``), in ``request_order``; those
        outside the window, delivered before or over ``max_articles`` are skipped and counted.
        Returns how many were requested.

        At most ``RELEASE_BATCH`` at a time, the rest in the next turns of the event loop:
        handing thousands of requests to a shared (Redis) scheduler at once would hold the
        crawl for seconds.
        """
        self.date_undated_candidates()
        pending = [
            c
            for c in self.candidates.values()
            if c.identity not in self.requested
            and c.identity not in self.skipped
            and (undated or c.published is not None)
        ]
        if not pending:
            return 0
        pending.sort(key=self.request_order)
        chosen = []
        batch = 0
        for candidate in pending:
            sequence = None if candidate.published else self.article_sequence(candidate.identity)
            floor = self.sequence_floor
            if sequence is not None and floor is not None and sequence <= floor:
                self.skipped.add(candidate.identity)
                self.crawler.stats.inc_value("crawler/skipped/outside_window")
                continue
            if candidate.published is not None and candidate.published not in self.window:
                self.skipped.add(candidate.identity)
                self.crawler.stats.inc_value("crawler/skipped/outside_window")
                continue
            if self.already_delivered(candidate.url):
                self.skipped.add(candidate.identity)
                continue
            if self.max_articles and len(self.requested) >= self.max_articles:
                self.skipped.add(candidate.identity)
                self.crawler.stats.inc_value("crawler/skipped/max_articles")
                continue
            if sequence is not None:
                if not sequenced:
                    continue  # from on_idle only: each batch tells where the window ends
                if batch >= SEQUENCE_BATCH:
                    break
                batch += 1
            if len(chosen) == RELEASE_BATCH:
                self.schedule_release()
                break
            self.requested.add(candidate.identity)
            chosen.append(candidate)
        # The scheduler takes the last of equal priority first: hand over the oldest first.
        for candidate in reversed(chosen):
            request = self.article_request(
                candidate.url,
                priority=self.article_priority(candidate.published),
                discovered=candidate.published,
            )
            self.crawler.engine.crawl(request)
        return len(chosen)

    def article_priority(self, published: datetime | None) -> int:
        """Minus the article's age in minutes at the window's end: newer articles go first."""
        if published is None:
            return UNDATED_PRIORITY
        minutes = int((self.window.until - published).total_seconds() // 60)
        return -min(max(minutes, 0), -UNDATED_PRIORITY - 1)

    def request_order(self, candidate: Candidate) -> tuple[int, float]:
        """Sort key: dated newest first, then undated by sequence (highest first), then the rest.

        Undated candidates without a sequence keep their discovery order (a stable sort).
        """
        if candidate.published is not None:
            return (0, -candidate.published.timestamp())
        sequence = self.article_sequence(candidate.identity)
        return (1, -sequence) if sequence is not None else (2, 0)

    def note_older_than_window(self, url: str) -> None:
        """An article proved older than the window: ids at or below its sequence are older too."""
        sequence = self.article_sequence(self.article_identity(url))
        if sequence is not None and (self.sequence_floor is None or sequence > self.sequence_floor):
            self.sequence_floor = sequence

    # --- delivered-store -----------------------------------------------------------------------

    def delivery_keys(self, url: str) -> set[str]:
        """Hashes the delivered-store knows an article at ``url`` by: its URL's and its identity's.

        The identity hash catches the same article under another address (legacy domain).
        """
        return {url_hash(canonicalize_url(url)), url_hash(self.article_identity(url))}

    def already_delivered(self, url: str) -> bool:
        """Whether to skip ``url`` because an earlier run delivered it (counted when so)."""
        if self.refresh or not any(self.delivered.seen(key) for key in self.delivery_keys(url)):
            return False
        self.crawler.stats.inc_value("crawler/skipped/already_delivered")
        return True

    @property
    def covers_default_window(self) -> bool:
        """Whether this run looked at everything since the outlet's last successful run.

        Only such a run may move the next run's default window forward.
        """
        return self.window_arguments == (None, None) and not self.article_url

    # --- articles ------------------------------------------------------------------------------

    def article_request(
        self, url: str, priority: int = 0, discovered: datetime | None = None
    ) -> scrapy.Request:
        """``discovered``: the publication time discovery reported (helps choose the layout)."""
        self.crawler.stats.inc_value("crawler/articles_requested")
        return scrapy.Request(
            url,
            self.parse_article,
            errback=self.article_failed,
            priority=priority,
            meta={DISCOVERED_META: discovered},
        )

    def article_failed(self, failure: Failure) -> Iterable[scrapy.Request | ArticleItem]:
        if retry_is_scheduled(failure):
            return
        request = getattr(failure, "request", None)
        if request is not None and PAGED_META in request.meta:
            yield from self.page_failed(failure, request)
            return
        self.count_failure(
            "article_" + failure_reason(failure),
            getattr(request, "url", "?"),
            failure.getErrorMessage(),
        )

    def read_arguments(
        self, url: str, meta: dict[str, Any], layouts: Iterable[Layout] | None = None
    ) -> ReadArguments:
        """How the page at ``url`` (its request's ``meta``) is read: a further page of a paged
        article with its first page's layout, any other page with the outlet's layouts
        (unless ``layouts`` are given)."""
        if layouts is None:
            paged = meta.get(PAGED_META)
            layouts = self.layouts if paged is None else (paged.layout,)
        return ReadArguments(
            url,
            tuple(layouts),
            discovered=meta.get(DISCOVERED_META),
            publishers=self.publisher_names,
        )

    def read_ahead_arguments(
        self, request: scrapy.Request, response: Response
    ) -> ReadArguments | None:
        """The arguments to read ``response`` with in a worker process before the callback
        (``crawler.extraction.read_ahead``), or None when it is not an article page."""
        if request.callback != self.parse_article:
            return None
        return self.read_arguments(response.url, request.meta)

    def read_page(self, response: Response, layouts: Iterable[Layout] | None = None) -> ArticlePage:
        """The page read with the layout chosen for it (see ``crawler.extraction.layouts``).

        The raw body is decoded here, not ``response.text``: servers lie about charsets, and
        valid UTF-8 is stronger evidence than a ``Content-Type`` header (``decode_page``). A
        page that needed the windows-1252 fallback is counted under
        ``crawler/charset_fallback``. What extraction noticed (a noise rule not applied,
        disagreeing dates) is counted under ``crawler/extraction/<warning>`` and logged.
        A page a worker process already read with the same arguments is not read again.
        """
        arguments = self.read_arguments(response.url, response.meta, layouts)
        ahead = self.pages_read_ahead.pop(response, None)
        if ahead is not None and ahead[0] == arguments:
            page, fallback = ahead[1].page(response.body, arguments), ahead[1].fallback
        else:
            if ahead is not None:  # read ahead with other arguments than the spider reads with
                self.crawler.stats.inc_value(UNUSED_STAT)
            decoded = decode_page(response.body)
            page, fallback = read_page(decoded, arguments), decoded.fallback
        if fallback:
            self.crawler.stats.inc_value("crawler/charset_fallback")
            self.logger.info(
                "%s is not the UTF-8 it claims: bytes read as %s", response.url, fallback
            )
        for warning, detail in page.article.warnings.items():
            self.crawler.stats.inc_value(f"crawler/extraction/{warning}")
            self.logger.info("%s: %s (%s)", warning, response.url, detail)
        return page

    @cached_property
    def publisher_names(self) -> tuple[str, ...]:
        """Names of this and every registered outlet, which are never an article's author."""
        return (self.outlet.name, *publisher_names(self.crawler.settings))

    def parse_article(self, response: Response) -> Iterable[ArticleItem | scrapy.Request]:
        paged = response.meta.get(PAGED_META)
        if paged is not None:
            yield from self.parse_further_page(response, paged)
            return
        page = self.read_page(response)
        item = self.build_item(response, page.article, page.layout)
        if (
            not self.article_url
            and item.published is not None
            and item.published not in self.window
        ):
            self.crawler.stats.inc_value("crawler/dropped/outside_window")
            self.logger.info(
                "dropped %s: published %s outside the window", item.url, item.published.isoformat()
            )
            if item.published < self.window.since:
                self.note_older_than_window(response.url)
            return
        reason = None if self.article_url else self.out_of_scope(item)
        if reason:
            self.crawler.stats.inc_value(f"crawler/dropped/{reason}")
            self.logger.info("dropped %s: %s", item.url, reason)
            return
        linked = page.linked_pages(response.url)
        if page.layout is None or page.layout.pagination is None or max(linked, default=1) < 2:
            yield item
            return
        paged = PagedArticle(item, page.layout, PageAssembly(item.body))
        paged.assembly.add_links(linked)
        if isinstance(page.layout.pagination, SinglePageView):
            view_url = page.layout.pagination.view_url(response.url)
            yield self.page_request(paged, VIEW_PAGE, view_url)
            return
        yield from self.next_page_or_item(paged)

    # --- further pages of a paged article (see crawler.extraction.pagination) ---------------------

    def page_request(self, paged: PagedArticle, number: int, url: str) -> scrapy.Request:
        # dont_filter: a page dropped as a duplicate would lose the whole article silently.
        return scrapy.Request(
            url,
            self.parse_article,
            errback=self.article_failed,
            priority=PAGE_PRIORITY,
            dont_filter=True,
            meta={PAGED_META: paged, PAGE_NUMBER_META: number},
        )

    def next_page_or_item(self, paged: PagedArticle) -> Iterable[scrapy.Request | ArticleItem]:
        following = paged.assembly.next_page()
        if following is not None:
            yield self.page_request(paged, *following)
            return
        item, assembly = paged.item, paged.assembly
        item.body = assembly.joined_body()
        item.extraction.update(assembly.flags())
        self.crawler.stats.inc_value(
            "crawler/multipage/" + ("partial" if assembly.failed else "joined")
        )
        yield item

    def parse_further_page(
        self, response: Response, paged: PagedArticle
    ) -> Iterable[scrapy.Request | ArticleItem]:
        number = response.meta[PAGE_NUMBER_META]
        page = self.read_page(response, layouts=(paged.layout,))
        body = page.article.body
        assembly = paged.assembly
        if number != VIEW_PAGE:
            assembly.received(number, body)
            assembly.add_links(page.linked_pages(response.url))
        elif sum(map(len, body)) > sum(map(len, assembly.first_body)):
            assembly.view_received(body, assembly.known_pages)
        else:
            self.crawler.stats.inc_value("crawler/multipage/view_without_more_text")
            self.logger.info("%s holds no more than page 1; fetching the pages", response.url)
        yield from self.next_page_or_item(paged)

    def page_failed(
        self, failure: Failure, request: scrapy.Request
    ) -> Iterable[scrapy.Request | ArticleItem]:
        """Count the page and go on: the article is delivered with what arrived, flagged."""
        self.count_failure(
            "page_" + failure_reason(failure), request.url, failure.getErrorMessage()
        )
        paged = request.meta[PAGED_META]
        if request.meta[PAGE_NUMBER_META] != VIEW_PAGE:
            paged.assembly.page_failed(request.meta[PAGE_NUMBER_META])
        yield from self.next_page_or_item(paged)

    def out_of_scope(self, item: ArticleItem) -> str | None:
        """Why this outlet does not deliver the article (a stats key tail), or None.

        Judged on page 1, before further pages are fetched. Outlets whose channel also carries
        stories from outside Central Java (Kompas regional) override it; ``-a url=`` bypasses it.
        """
        return None

    def build_item(self, response: Response, extracted: Any, layout: Layout | None) -> ArticleItem:
        url = self.canonical_url(response.url, extracted.url)
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

"""The base of outlets that run WordPress: REST API first, then the feed, then sitemaps.

Most small regional outlets run WordPress, and WordPress states in machine form what their
pages only show. The REST API (``/wp-json/wp/v2/posts``) lists the posts of a date window
(``after``/``before``) with their GMT dates, link, title, rendered content and, with
``_embed``, author, category and tag names; so an article found there is delivered from the
listing itself, without fetching its page (extraction layer ``wp-rest``). Only a post whose
REST content is empty has its page fetched, and the REST fields still win over the page's.

Many sites switch the API off: 401/403 from security plugins, 404, or the home page (HTML,
status 200) where JSON should be. Then the spider reads ``/feed/?paged=N`` (newest first, so
paging stops at the first page that reaches back before the window), and when there is no
feed either, the core (``wp-sitemap.xml``) or plugin (``sitemap_index.xml``) sitemaps, keeping
only the post sitemaps. Articles from feeds and sitemaps are fetched and extracted like any
other outlet's. Candidates still go through :class:`NewsSpider`'s merge, window and
newest-first request order, so outlet limits and checks made there apply here too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.discovery.sitemaps import SitemapEntry
from crawler.discovery.xml import UnsafeOrInvalidXML
from crawler.extraction.layouts import Layout
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.selectors import OutletSelectors
from crawler.extraction.wp_rest import (
    NotRestPosts,
    RestPost,
    read_rest_error,
    read_rest_listing,
    read_rest_post,
)
from crawler.items import ArticleItem
from crawler.spiders.base import DISCOVERY_META, FEED, SITEMAP, NewsSpider
from crawler.utils.timezones import WIB

#: A fresh WordPress install keeps its clock in UTC, and ``after``/``before`` are read in the
#: site's clock: asking a day wider on each side keeps posts at the window's edges, and the
#: exact window is then applied to ``date_gmt``.
REST_QUERY_MARGIN = timedelta(days=1)

#: REST error codes that mean "no more pages" rather than "no API" (WordPress sends them with
#: status 400, which past page 1 is read the same way).
REST_END_OF_PAGES = frozenset({"rest_post_invalid_page_number"})

#: The kind of discovery source the REST API is (``crawler/sources/wp-rest``).
WP_REST = "wp-rest"

#: Response headers of a REST collection (WordPress core).
TOTAL_PAGES_HEADER = "X-WP-TotalPages"

#: Dated permalinks (``/2025/07/02/slug``): the publication day, read from the URL.
URL_DAY = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{2})/(?P<day>\d{2})/")

#: Core sitemaps: ``wp-sitemap-posts-<type>-<n>.xml``; taxonomies and users are not posts.
CORE_POSTS_SITEMAP = re.compile(r"/wp-sitemap-posts-(?P<type>[a-z0-9_-]+?)-(?P<page>\d+)\.xml$")
CORE_OTHER_SITEMAP = re.compile(r"/wp-sitemap-(?:taxonomies|users)-[a-z0-9_-]+\.xml$")
#: Yoast and Rank Math: ``<type>-sitemap<n>.xml`` (post, page, category, post_tag, author...).
PLUGIN_SITEMAP = re.compile(r"/(?P<type>[a-z0-9_-]+)-sitemap(?P<page>\d*)\.xml$")
#: Plugin sitemap types that list articles besides the outlet's post types.
NEWS_SITEMAP_TYPES = frozenset({"news"})

#: Static pages every Indonesian news site has (Dewan Pers asks for several of them). Their
#: slugs look like article slugs on sites with ``/%postname%/`` permalinks.
NON_ARTICLE_SLUGS = frozenset(
    {
        *("pedoman-media-siber", "pedoman-pemberitaan-media-siber", "kode-etik-jurnalistik"),
        *("kebijakan-privasi", "privacy-policy", "syarat-dan-ketentuan", "disclaimer"),
        *("tentang-kami", "about-us", "redaksi", "susunan-redaksi", "kontak", "kontak-kami"),
        *("hubungi-kami", "info-iklan", "iklan", "karir", "sitemap", "indeks-berita"),
    }
)

#: Selectors of common WordPress news themes (default themes, GeneratePress/Astra
#: ``.entry-content``, Newspaper ``.td-post-content``, JNews ``.content-inner``) [guess: no
#: page of these outlets was seen]; structured data is read first in any case.
WORDPRESS_THEME = OutletSelectors(
    title="h1.entry-title, h1.jeg_post_title, h1.tdb-title-text, h1",
    published="time.entry-date, .entry-date, .jeg_meta_date, .td-post-date time",
    authors=".author .fn, .jeg_meta_author a, .td-post-author-name a",
    section=".cat-links a, .jeg_meta_category a, .td-category a",
    tags=".tags-links a, .jeg_post_tags a, .td-tags a, .post-tags a",
    body=".entry-content, .td-post-content, .content-inner, .post-content",
    views=".post-views-count, .post-views",
    noise=(".sharedaddy", ".jp-relatedposts", ".addtoany_share_save_container", ".wp-caption"),
)


class WordPressSpider(NewsSpider):
    """Base class of outlets on WordPress; an outlet names its site and URL patterns."""

    #: Scheme and host of the WordPress install, no trailing slash ("https://suarabaru.id").
    wp_root: ClassVar[str]
    #: REST collections listing articles ("posts"; a custom post type adds its rest_base).
    wp_rest_routes: ClassVar[tuple[str, ...]] = ("posts",)
    #: Post types whose sitemaps list articles.
    wp_post_types: ClassVar[tuple[str, ...]] = ("post",)
    #: Feed paths read when the REST API is unavailable (category feeds for one stream).
    wp_feed_paths: ClassVar[tuple[str, ...]] = ("/feed/",)
    #: Sitemaps tried in order when there is no feed either.
    wp_sitemap_paths: ClassVar[tuple[str, ...]] = ("/wp-sitemap.xml", "/sitemap_index.xml")
    #: Posts per REST page (WordPress allows at most 100).
    wp_per_page: ClassVar[int] = 100
    layouts = (Layout("wordpress", WORDPRESS_THEME),)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: identity -> the REST post of that article (its fields win over the page's).
        self.rest_posts: dict[str, RestPost] = {}
        self.rest_post_ids: set[int] = set()
        self.fallback_started = False
        self.failed_feeds: set[str] = set()

    # --- discovery: REST ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            yield request
        if self.article_url:
            return
        for route in self.wp_rest_routes:
            yield self.rest_request(route, page=1)

    def rest_url(self, route: str, page: int) -> str:
        """A REST listing URL of the window, its parameters sorted (one URL per page, always)."""
        params = {
            "_embed": "1",
            "after": _site_clock(self.window.since - REST_QUERY_MARGIN),
            "before": _site_clock(self.window.until + REST_QUERY_MARGIN),
            "page": str(page),
            "per_page": str(self.wp_per_page),
        }
        return f"{self.wp_root}/wp-json/wp/v2/{route}?{urlencode(sorted(params.items()))}"

    def rest_request(self, route: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            self.rest_url(route, page),
            self.parse_rest_listing,
            errback=self.rest_failed,
            priority=30,
            headers={"Accept": "application/json"},
            cb_kwargs={"route": route, "page": page},
            meta={DISCOVERY_META: WP_REST},
        )

    def parse_rest_listing(
        self, response: Response, route: str, page: int
    ) -> Iterable[scrapy.Request]:
        try:
            posts = read_rest_listing(response.body)
        except NotRestPosts as exc:
            yield from self.rest_unavailable(response.url, page, str(exc))
            return
        self.crawler.stats.inc_value("wordpress/rest_pages")
        reached_before_window = False
        unseen = 0
        for raw in posts:
            post = self.read_post(raw)
            if post is None:
                continue
            unseen += post.id not in self.rest_post_ids
            self.rest_post_ids.add(post.id)
            published = post.article.published
            if published is not None and published < self.window.since:
                reached_before_window = True
            if post.type not in self.wp_post_types or not post.is_public:
                self.crawler.stats.inc_value("wordpress/skipped_not_public")
                continue
            if self.add_candidate(
                post.link, published=published, title=post.article.title, source=WP_REST
            ):
                self.rest_posts[self.article_identity(post.link)] = post
        if self.has_next_rest_page(response, page, unseen, reached_before_window):
            yield self.rest_request(route, page + 1)

    def read_post(self, raw: dict[str, Any]) -> RestPost | None:
        """A post object read with the outlet's noise selectors and dateline."""
        selectors = self.layouts[0].selectors if self.layouts else OutletSelectors()
        return read_rest_post(
            raw, noise=selectors.noise, dateline_pattern=selectors.dateline_pattern
        )

    def has_next_rest_page(
        self, response: Response, page: int, unseen: int, reached_before_window: bool
    ) -> bool:
        """Trust ``X-WP-TotalPages`` when sent; without it, page on until a page is empty.

        Paging also ends at a page reaching back before the window (posts come newest first)
        and at a page with no post not seen before (a site that ignores ``page``).
        """
        if unseen == 0 or reached_before_window:
            return False
        if page >= self.max_listing_pages:
            self.logger.warning(
                "stopped at REST page %d (CRAWLER_MAX_LISTING_PAGES): the window may hold more",
                page,
            )
            return False
        total = response.headers.get(TOTAL_PAGES_HEADER)
        if total is not None and total.strip().isdigit():
            return page < int(total)
        return True

    def rest_failed(self, failure: Failure) -> Iterable[scrapy.Request]:
        request = failure.request
        page = request.cb_kwargs.get("page", 1)
        response = getattr(failure.value, "response", None)
        error = read_rest_error(response.body) if response is not None else None
        if page > 1 and (
            _is_http_status(failure, 400) or (error is not None and error.code in REST_END_OF_PAGES)
        ):
            return
        if page > 1:
            self.discovery_failed(failure)
            return
        reason = _failure_reason(failure)
        if error is not None:
            reason += f" {error.code}"
        yield from self.rest_unavailable(request.url, page, reason)

    def rest_unavailable(self, url: str, page: int, reason: str) -> Iterable[scrapy.Request]:
        """The API answered with something other than posts: read the feed instead."""
        if page > 1:
            self.count_failure("wp_rest_page", url, reason)
            return
        if self.fallback_started:
            return
        self.fallback_started = True
        self.crawler.stats.inc_value("wordpress/rest_unavailable")
        self.logger.info("WordPress REST API unavailable at %s (%s): reading feeds", url, reason)
        for path in self.wp_feed_paths:
            yield self.feed_request(path, page=1)

    # --- discovery: feeds ----------------------------------------------------------------------

    def feed_request(self, path: str, page: int) -> scrapy.Request:
        query = f"?{urlencode({'paged': page})}" if page > 1 else ""
        return scrapy.Request(
            f"{self.wp_root}{path}{query}",
            self.parse_wp_feed,
            errback=self.wp_feed_failed,
            priority=20,
            cb_kwargs={"path": path, "page": page},
            meta={DISCOVERY_META: FEED},
        )

    def parse_wp_feed(self, response: Response, path: str, page: int) -> Iterable[scrapy.Request]:
        try:
            entries = self.read_feed(response)
        except UnsafeOrInvalidXML as exc:
            yield from self.feed_unavailable(path, page, response.url, str(exc))
            return
        self.crawler.stats.inc_value("wordpress/feed_pages")
        new = 0
        reached_before_window = False
        for entry in entries:
            new += self.add_candidate(
                entry.url, published=entry.published, title=entry.title, source=FEED
            )
            if entry.published is not None and entry.published < self.window.since:
                reached_before_window = True
        if not new or reached_before_window:
            return
        if page >= self.max_listing_pages:
            self.logger.warning(
                "stopped at feed page %d of %s (CRAWLER_MAX_LISTING_PAGES)", page, path
            )
            return
        yield self.feed_request(path, page + 1)

    def wp_feed_failed(self, failure: Failure) -> Iterable[scrapy.Request]:
        request = failure.request
        path, page = request.cb_kwargs["path"], request.cb_kwargs["page"]
        if page > 1:
            # WordPress answers 404 past the last feed page: the normal end of paging.
            if not _is_http_status(failure, 404):
                self.discovery_failed(failure)
            return
        yield from self.feed_unavailable(path, page, request.url, _failure_reason(failure))

    def feed_unavailable(
        self, path: str, page: int, url: str, reason: str
    ) -> Iterable[scrapy.Request]:
        """A feed path gave no feed; when none of them did, read the sitemaps."""
        if page > 1:
            self.count_failure("wp_feed_page", url, reason)
            return
        self.failed_feeds.add(path)
        self.crawler.stats.inc_value("wordpress/feed_unavailable")
        self.logger.info("WordPress feed unavailable at %s (%s)", url, reason)
        if self.failed_feeds >= set(self.wp_feed_paths):
            self.logger.info("no WordPress feed answered: reading sitemaps")
            yield from self.wp_sitemap_request(0)

    # --- discovery: sitemaps -------------------------------------------------------------------

    def wp_sitemap_request(self, index: int) -> Iterable[scrapy.Request]:
        """Request the ``index``-th sitemap path; past the last one, discovery has failed."""
        if index >= len(self.wp_sitemap_paths):
            self.count_failure(
                "wp_no_discovery", self.wp_root, "no REST API, feed or sitemap answered"
            )
            return
        yield scrapy.Request(
            f"{self.wp_root}{self.wp_sitemap_paths[index]}",
            self.parse_wp_sitemap,
            errback=self.wp_sitemap_failed,
            priority=30,
            cb_kwargs={"root_index": index},
            meta={DISCOVERY_META: SITEMAP},
        )

    def parse_wp_sitemap(
        self, response: Response, root_index: int | None = None
    ) -> Iterable[scrapy.Request]:
        try:
            sitemap = self.read_sitemap(response)
        except UnsafeOrInvalidXML as exc:
            self.count_failure("invalid_sitemap", response.url, str(exc))
            if root_index is not None:
                yield from self.wp_sitemap_request(root_index + 1)
            return
        self.crawler.stats.inc_value("wordpress/sitemaps")
        if sitemap.kind == "sitemapindex":
            for entry in self.post_sitemaps(sitemap.entries):
                yield self.discovery_request(entry.loc, self.parse_wp_sitemap, SITEMAP, priority=30)
            return
        for entry in sitemap.entries:
            self.add_candidate(
                entry.loc,
                published=self.sitemap_date(entry),
                title=entry.news_title,
                source=SITEMAP,
            )

    def wp_sitemap_failed(self, failure: Failure) -> Iterable[scrapy.Request]:
        index = failure.request.cb_kwargs["root_index"]
        self.logger.info(
            "WordPress sitemap unavailable at %s (%s)",
            failure.request.url,
            _failure_reason(failure),
        )
        yield from self.wp_sitemap_request(index + 1)

    def post_sitemaps(self, entries: Iterable[SitemapEntry]) -> list[SitemapEntry]:
        """The sub-sitemaps of an index that can list articles of the window.

        Page, taxonomy, author and attachment sitemaps never list articles. Core sitemaps
        list posts oldest first, 2000 a file, without dates: only the last file of each type
        holds recent posts. Plugin sitemaps carry ``lastmod``: one unchanged since the
        window began holds no post of it.
        """
        newest_core: dict[str, tuple[int, SitemapEntry]] = {}
        chosen: list[SitemapEntry] = []
        for entry in entries:
            path = urlsplit(entry.loc).path
            if core := CORE_POSTS_SITEMAP.search(path):
                if core["type"] in self.wp_post_types:
                    page = int(core["page"])
                    if core["type"] not in newest_core or page > newest_core[core["type"]][0]:
                        newest_core[core["type"]] = (page, entry)
                continue
            if CORE_OTHER_SITEMAP.search(path):
                continue
            plugin = PLUGIN_SITEMAP.search(path)
            if plugin and plugin["type"] not in (*self.wp_post_types, *NEWS_SITEMAP_TYPES):
                continue
            if entry.lastmod is not None and entry.lastmod < self.window.since:
                continue
            chosen.append(entry)
        return [entry for _, entry in newest_core.values()] + chosen

    def sitemap_date(self, entry: SitemapEntry) -> datetime | None:
        """A date good enough to keep a sitemap URL out of or in the window before fetching.

        A news sitemap's publication date is exact. A dated permalink gives the day: a moment
        of that day inside the window when the day overlaps it. ``lastmod`` only bounds the
        publication from above, so it can rule a URL out (modified before the window) but
        never in; such URLs stay undated and are judged after extraction.
        """
        if entry.publication_date is not None:
            return entry.publication_date
        if day := url_day(entry.loc):
            start = datetime.combine(day, time.min, tzinfo=WIB)
            end = datetime.combine(day, time.max, tzinfo=WIB)
            if end < self.window.since or start > self.window.until:
                return start
            return max(start, self.window.since)
        if entry.lastmod is not None and entry.lastmod < self.window.since:
            return entry.lastmod
        return None

    # --- candidates and articles ---------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        return slug not in NON_ARTICLE_SLUGS and super().is_article_url(url)

    def article_request(self, url: str, *args: Any, **kwargs: Any) -> scrapy.Request:
        """A REST post with content is delivered from the listing: no page is fetched.

        The request then goes to a ``data:`` URL (answered inside Scrapy, no network) so that
        the article still passes the base's request order, limits and accounting.
        """
        request = super().article_request(url, *args, **kwargs)
        post = self.rest_posts.get(self.article_identity(url))
        if post is None or not post.has_body:
            return request
        return request.replace(
            url=f"data:,wp-rest-post-{post.id}",
            callback=self.parse_rest_article,
            cb_kwargs={"post": post},
            dont_filter=True,
        )

    def parse_rest_article(self, response: Response, post: RestPost) -> Iterable[ArticleItem]:
        """The item of a REST post. Its window check was made on the candidate, whose date is
        this post's own ``date_gmt``."""
        yield self.build_item(response.replace(url=post.link), post.article, None)

    def build_item(
        self, response: Response, extracted: ExtractedArticle, layout: Layout | None
    ) -> ArticleItem:
        """Fields the REST post states win over those read from the page."""
        post = self.rest_posts.get(self.article_identity(response.url))
        if post is not None and post.article is not extracted:
            extracted = overlay(post.article, extracted)
        return super().build_item(response, extracted, layout)


def overlay(rest: ExtractedArticle, page: ExtractedArticle) -> ExtractedArticle:
    """The page's fields with every field the REST post has put over them (layer included)."""
    merged = ExtractedArticle(**{**vars(page), "layers": dict(page.layers)})
    for name, layer in rest.layers.items():
        setattr(merged, name, getattr(rest, name))
        merged.layers[name] = layer
    if "body" in rest.layers:
        merged.dateline = rest.dateline
    return merged


def url_day(url: str) -> date | None:
    """The publication day of a dated permalink, or None."""
    match = URL_DAY.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _site_clock(moment: datetime) -> str:
    """``moment`` as WIB wall-clock ISO time without offset: how WordPress reads ``after``."""
    return moment.astimezone(WIB).replace(tzinfo=None).isoformat(timespec="seconds")


def _is_http_status(failure: Failure, status: int) -> bool:
    response = getattr(failure.value, "response", None)
    return (
        failure.check(HttpError) is not None and response is not None and response.status == status
    )


def _failure_reason(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    return f"http_{response.status}" if response is not None else failure.type.__name__

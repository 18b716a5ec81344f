"""Pages only a browser can read: rendered through scrapy-playwright, one request at a time.

Some outlets answer some article URLs with a JavaScript shell: the HTML holds scripts and an
empty mount point, and the story arrives only when a browser runs them (the Jawa Pos radar
sites, outlets.md §5). A browser costs a process and a second per page, so a crawl never runs
in one: a spider that recognises a shell (:func:`is_javascript_shell`) asks for that one page
again through the browser (:func:`render_or_skip`), and only that request carries the
``playwright`` meta key.

The other page a browser may read is a bot *challenge* (Cloudflare's "Just a moment...";
``crawler.downloader.blocking``): the challenged request is sent once more through the browser
(:func:`challenge_request`), which runs the challenge's scripts and waits for the page they lead
to.

Rendering is optional. ``CRAWLER_BROWSER`` is ``auto`` (render when the ``browser`` extra,
scrapy-playwright, is importable) or ``off`` (never). Without rendering a shell page is skipped,
logged and counted under ``crawler/skipped/needs_browser``; the rest of the crawl is unchanged.

:class:`BrowserDownloadHandler` is the project's http/https download handler. Every request
goes through :class:`~crawler.downloader.host_map.HostMapDownloadHandler`, except those marked
``playwright``, which a scrapy-playwright handler renders. That handler is made, and
Playwright's driver started, by the first such request of a crawl (only while rendering is
enabled), and Chromium with the first page to render: a crawl that never meets a shell or a
challenge never starts either. ``CRAWLER_HOST_MAP`` holds in the browser too: every request the
page makes to a mapped host (the page, its scripts, its API calls) is fetched from the mapped
server over plain HTTP with the real ``Host`` header (and the page's cookies) and handed to the
browser as the answer, so the page keeps its real https URL, as with the HTTP handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit
from weakref import WeakKeyDictionary

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import NotSupported
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.downloader.host_map import HostMapDownloadHandler

if TYPE_CHECKING:
    from playwright.async_api import Page, Route
    from playwright.async_api import Request as BrowserRequest

#: The scrapy-playwright handler of each crawl that started one (while starting: its future).
_BROWSERS: WeakKeyDictionary[Crawler, asyncio.Future[Any]] = WeakKeyDictionary()

BROWSER_SETTING = "CRAWLER_BROWSER"
#: ``auto``: render when scrapy-playwright is importable; ``off``: never render.
BROWSER_MODES = ("auto", "off")
#: Request meta keys scrapy-playwright reads.
PLAYWRIGHT_META = "playwright"
PAGE_METHODS_META = "playwright_page_methods"
PAGE_INIT_META = "playwright_page_init_callback"
SKIPPED_STAT = "crawler/skipped/needs_browser"
RENDERED_STAT = "crawler/browser/requested"
#: Setting: seconds the browser waits for a challenge page to lead on to the page asked for.
CHALLENGE_WAIT_SETTING = "CRAWLER_BROWSER_CHALLENGE_WAIT"
DEFAULT_CHALLENGE_WAIT = 20.0
#: True once the page is no challenge any more: Cloudflare's challenge options are gone and
#: the title is not an interstitial's.
CHALLENGE_PASSED_JS = (
    "() => !window._cf_chl_opt && !/^(just a moment|checking your browser|verifying you are"
    " human|ddos-guard)/i.test(document.title.trim())"
)
#: A page is a shell when it runs scripts and shows fewer than this many story paragraphs:
#: ``p`` elements of at least :data:`STORY_PARAGRAPH_CHARS` characters outside the page's
#: header, navigation, footer, side bars and ``noscript`` notes. A rendered story has them; a
#: shell's "loading" or "enable JavaScript" line and its menus do not. A short story taken for
#: a shell costs one needless rendering; a shell taken for a story would cost the article.
MIN_STORY_PARAGRAPHS = 2
STORY_PARAGRAPH_CHARS = 80
_STORY_PARAGRAPHS = (
    "//body//p[not(ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside"
    " or ancestor::noscript)]"
)


def browser_mode(settings: BaseSettings) -> str:
    mode = str(settings.get(BROWSER_SETTING) or "auto").strip().lower()
    if mode not in BROWSER_MODES:
        raise ValueError(f"{BROWSER_SETTING} must be one of {BROWSER_MODES}, not {mode!r}")
    return mode


def playwright_installed() -> bool:
    """Whether the ``browser`` extra is importable (scrapy-playwright and Playwright)."""
    try:
        import scrapy_playwright.handler  # noqa: F401
    except ImportError:
        return False
    return True


def rendering_enabled(settings: BaseSettings) -> bool:
    return browser_mode(settings) != "off" and playwright_installed()


def is_javascript_shell(response: Response) -> bool:
    """Whether an HTML page leaves its story to scripts (see :data:`MIN_STORY_PARAGRAPHS`)."""
    if not response.xpath("//script"):
        return False
    story = 0
    for paragraph in response.xpath(_STORY_PARAGRAPHS):
        text = " ".join("".join(paragraph.xpath(".//text()").getall()).split())
        story += len(text) >= STORY_PARAGRAPH_CHARS
    return story < MIN_STORY_PARAGRAPHS


def is_rendered(response: Response) -> bool:
    return bool(response.meta.get(PLAYWRIGHT_META))


def browser_request(response: Response, callback: Any, errback: Any) -> scrapy.Request:
    """The request for ``response``'s page again, this time rendered by the browser.

    The page counts as rendered once the network has been quiet (scripts that fetch the story
    from an API have had their answers); the request keeps the original request's meta.
    """
    from scrapy_playwright.page import PageMethod

    meta = {
        **response.request.meta,
        PLAYWRIGHT_META: True,
        PAGE_METHODS_META: [PageMethod("wait_for_load_state", "networkidle")],
    }
    return scrapy.Request(
        response.url,
        callback,
        errback=errback,
        priority=response.request.priority,
        dont_filter=True,
        meta=meta,
    )


async def start_playwright_handler(crawler: Crawler) -> Any:
    """A scrapy-playwright handler for ``crawler``, its Playwright started.

    scrapy-playwright starts Playwright on ``engine_started``; a handler made later (the first
    page that needs it arrives mid-crawl) is started here the same way. Chromium itself starts
    with the first page.
    """
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    handler = ScrapyPlaywrightDownloadHandler(crawler)
    launch = getattr(handler, "_maybe_launch_in_thread", None) or handler._launch
    await launch()
    return handler


def challenge_request(
    request: scrapy.Request, meta: dict[str, Any], wait_seconds: float = DEFAULT_CHALLENGE_WAIT
) -> scrapy.Request:
    """``request`` again, through the browser, waiting until the challenge leads to the page.

    The challenge's scripts run in the browser; the answer is the page they lead to once its
    title is no challenge's and the network is quiet, or a timeout after ``wait_seconds``
    (the browser did not pass).
    """
    from scrapy_playwright.page import PageMethod

    methods = [
        PageMethod("wait_for_function", CHALLENGE_PASSED_JS, timeout=wait_seconds * 1000),
        PageMethod("wait_for_load_state", "networkidle"),
    ]
    return request.replace(
        dont_filter=True,
        meta={**request.meta, **meta, PLAYWRIGHT_META: True, PAGE_METHODS_META: methods},
    )


def render_or_skip(
    spider: scrapy.Spider, response: Response, callback: Any, errback: Any
) -> Iterable[scrapy.Request]:
    """A browser request for a shell page, or nothing (counted) when rendering is off."""
    stats = spider.crawler.stats
    if rendering_enabled(spider.crawler.settings):
        stats.inc_value(RENDERED_STAT)
        spider.logger.info("%s is a JavaScript shell: rendering it in the browser", response.url)
        yield browser_request(response, callback, errback)
        return
    stats.inc_value(SKIPPED_STAT)
    spider.logger.info(
        "skipped %s: only a browser can read it (install the browser extra; %s=auto)",
        response.url,
        BROWSER_SETTING,
    )


class BrowserDownloadHandler(HostMapDownloadHandler):
    """The http/https handler: host map for every request, the browser for marked ones."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        #: Scrapy makes one handler for http and one for https; they share one browser, which
        #: the handler that started it closes.
        self.owns_browser = False

    async def browser(self) -> Any:
        """The crawl's scrapy-playwright handler, started by the first request that needs it.

        Started on demand, not with the crawl: most crawls never meet a page that needs it.
        """
        if not rendering_enabled(self.crawler.settings):
            return None
        starting = _BROWSERS.get(self.crawler)
        if starting is None:
            starting = _BROWSERS[self.crawler] = asyncio.ensure_future(
                start_playwright_handler(self.crawler)
            )
            self.owns_browser = True
        return await starting

    async def download_request(self, request: scrapy.Request) -> Response:
        if not request.meta.get(PLAYWRIGHT_META):
            return await super().download_request(request)
        browser = await self.browser()
        if browser is None:
            raise NotSupported(
                f"{request.url} asks for the browser, which this crawl cannot start "
                f"({BROWSER_SETTING}=off or no browser extra)"
            )
        if self.host_map:
            request.meta[PAGE_INIT_META] = self.route_mapped_hosts
        return await browser.download_request(request)

    async def route_mapped_hosts(self, page: Page, request: scrapy.Request) -> None:
        # Registered after scrapy-playwright's own route, so it is consulted first.
        await page.route("**/*", self.answer_from_mapped_host)

    async def answer_from_mapped_host(self, route: Route, request: BrowserRequest) -> None:
        parts = urlsplit(request.url)
        target = self.host_map.get((parts.hostname or "").lower())
        if target is None:
            await route.fallback()
            return
        local = urlunsplit(("http", target, parts.path or "/", parts.query, ""))
        # all_headers(): the cookies the page set (a passed challenge's) go along too.
        headers = {**await request.all_headers(), "host": parts.netloc}
        # Redirects go back to the browser, which follows them under the real host.
        answer = await route.fetch(url=local, headers=headers, max_redirects=0)
        await route.fulfill(response=answer)

    async def close(self) -> None:
        await super().close()
        starting = _BROWSERS.get(self.crawler)
        if not self.owns_browser or starting is None:
            return
        if starting.done() and starting.exception() is not None:
            return  # never started: the requests that waited for it failed with the reason
        await (await starting).close()

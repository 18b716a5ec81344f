"""Block pages (bot challenges, captchas, "Access denied"): recognise them, retry later, count.

A block page is not the page we asked for, whatever its status: Cloudflare answers 403 or 503
with "Just a moment..." (sometimes 200), WAFs answer "Access denied" or a captcha, rate limits
answer 429. Parsed as an article it would be exported as junk; retried at once it is blocked
again. So :class:`BlockedPageMiddleware` (a downloader middleware, enabled in settings) looks at
every response for a spider callback, and on a block page:

* counts it under ``crawler/blocked/<spider name>``;
* parks the request and sends it again after a delay that grows with every attempt
  (``CRAWLER_BLOCK_RETRY_DELAY`` seconds, times ``CRAWLER_BLOCK_RETRY_BACKOFF`` per attempt,
  at most ``CRAWLER_BLOCK_RETRY_MAX_DELAY``); the spider stays open while requests are parked;
* after ``CRAWLER_BLOCK_RETRY_TIMES`` retries gives up: counted under
  ``crawler/failed/<article|discovery|page>_blocked`` by the spider's errback, or
  ``..._challenge`` for a *challenge* (below).

A *challenge* is an interstitial that tests the client instead of refusing it: Cloudflare's
"Just a moment..." (managed challenge, Turnstile), DDoS-Guard, Incapsula, a captcha. A real
browser passes some of them. So when the ``browser`` extra can render
(``crawler.downloader.browser``), a challenged request is sent once more at once, through the
browser, which runs the challenge's scripts and waits for the page they lead to; if the browser is
challenged too, the request gives up. Without the browser, challenges are retried later like any
block page. Every block page met is also counted by kind under ``crawler/blocked_kind/<kind>``.

The response never reaches the spider's callback, so it is never exported. The errback sees a
:class:`BlockedPage` failure either way; while a retry is scheduled it must ignore it
(:func:`retry_is_scheduled`). A challenge reached through a redirect is retried at the
originally requested URL.

Recognition reads only the headers and the first :data:`SNIFF_BYTES` of the body: markers that
only challenge pages carry count at any status; a ``<title>`` that is a block page's whole title
counts at any status; softer words ("captcha", "access denied") count only with a refusal status
(403, 429, 503), because real articles mention captchas and logins (Tribun pages hold a
``captchalogin`` form).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.settings import BaseSettings
from twisted.internet.interfaces import IDelayedCall
from twisted.python.failure import Failure

from crawler.downloader.browser import (
    CHALLENGE_WAIT_SETTING,
    DEFAULT_CHALLENGE_WAIT,
    challenge_request,
    rendering_enabled,
)

logger = logging.getLogger(__name__)

#: How much of a body is examined: block pages state what they are near the top.
SNIFF_BYTES = 16 * 1024
#: Statuses with which a site refuses to serve (forbidden, too many requests, unavailable).
REFUSAL_STATUSES = frozenset({403, 429, 503})
#: Stats key prefix; the full key is ``crawler/blocked/<spider name>``.
BLOCKED_STATS_PREFIX = "crawler/blocked/"
#: Request meta key: how many block pages this request has already met.
ATTEMPTS_META = "blocked_attempts"
#: Redirect bookkeeping dropped when a request is sent again at its original URL.
REDIRECT_META = ("redirect_urls", "redirect_reasons", "redirect_times", "redirect_ttl")

#: (kind, byte marker) that only challenge or block pages carry, at any status.
CHALLENGE_MARKERS: tuple[tuple[str, bytes], ...] = (
    ("cloudflare-challenge", b"_cf_chl_opt"),
    ("cloudflare-challenge", b"cf-browser-verification"),
    ("cloudflare-challenge", b"cf-challenge-running"),
    ("cloudflare-block", b"cf-error-details"),
    ("incapsula", b"_incapsula_resource"),
    ("sucuri", b"sucuri website firewall"),
    ("ddos-guard", b"check.ddos-guard.net"),
    # Cloudflare's challenge scripts and widgets (``_cf_chl_opt``, ``cf_chl_rc``,
    # ``cf-chl-widget``); its ordinary pages load ``/cdn-cgi/challenge-platform/scripts/jsd``
    # without them, so that path alone proves nothing.
    ("cloudflare-challenge", b"cf_chl_"),
    ("cloudflare-challenge", b"cf-chl-"),
    ("datadome", b"captcha-delivery.com"),
    ("perimeterx", b"px-captcha"),
)
#: (kind, header name, value marker) that mark a challenge response.
CHALLENGE_HEADERS: tuple[tuple[str, str, bytes], ...] = (
    ("cloudflare-challenge", "cf-mitigated", b"challenge"),
)
#: (kind, regex) for a page ``<title>`` that is the whole title of a block page.
BLOCK_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cloudflare-challenge", re.compile(r"just a moment\.*")),
    ("cloudflare-challenge", re.compile(r"checking your browser.*")),
    ("cloudflare-block", re.compile(r"attention required!?(?:\s*\|\s*cloudflare)?")),
    ("access-denied", re.compile(r"access denied|akses ditolak|403 forbidden|forbidden")),
    ("captcha", re.compile(r"(?:security check|verifying you are human|captcha)[.!]*")),
    ("rate-limit", re.compile(r"(?:429 )?too many requests")),
    ("ddos-guard", re.compile(r"ddos-guard")),
)
#: (kind, lower-case marker) that make a refusal status a block page.
REFUSAL_MARKERS: tuple[tuple[str, bytes], ...] = (
    # An article page may embed a Turnstile widget (a comment form); a refusal may not.
    ("cloudflare-challenge", b"challenges.cloudflare.com"),
    ("cloudflare-challenge", b"cf-turnstile"),
    ("captcha", b"captcha"),
    ("access-denied", b"access denied"),
    ("cloudflare-block", b"cloudflare"),
    ("rate-limit", b"too many requests"),
    ("rate-limit", b"rate limit"),
    ("firewall", b"firewall"),
    ("bot-check", b"are you a robot"),
    ("bot-check", b"verify you are human"),
    ("bot-check", b"verifying you are human"),
    ("bot-check", b"checking your browser"),
    ("bot-check", b"enable javascript and cookies to continue"),
)
#: Kinds of block page that test the client rather than refuse it (see the module docstring).
CHALLENGE_KINDS = frozenset(
    {
        "cloudflare-challenge",
        "ddos-guard",
        "incapsula",
        "datadome",
        "perimeterx",
        "captcha",
        "bot-check",
    }
)
#: Stats key prefix of block pages by kind: ``crawler/blocked_kind/<kind>``.
BLOCKED_KIND_STATS_PREFIX = "crawler/blocked_kind/"
#: Request meta key of the browser's attempt at a challenged request (value: the kind).
CHALLENGE_META = "challenge_in_browser"
CHALLENGE_PASSED_STAT = "crawler/browser/challenge_passed"
CHALLENGE_RENDERED_STAT = "crawler/browser/challenge_requested"

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def detect_block(status: int, headers: Any, body: bytes) -> str | None:
    """The kind of block page a response is ("cloudflare-challenge", "captcha"...), or None.

    ``headers`` is anything with ``get(name)`` returning bytes or str (Scrapy ``Headers``,
    a dict).
    """
    for kind, name, marker in CHALLENGE_HEADERS:
        value = headers.get(name) if headers is not None else None
        if value and marker in (value if isinstance(value, bytes) else value.encode()).lower():
            return kind
    head = body[:SNIFF_BYTES].lower()
    for kind, marker in CHALLENGE_MARKERS:
        if marker in head:
            return kind
    title = _TITLE.search(head)
    if title:
        text = " ".join(title.group(1).decode("utf-8", errors="replace").split())
        for kind, pattern in BLOCK_TITLES:
            if pattern.fullmatch(text):
                return kind
    if status in REFUSAL_STATUSES:
        for kind, marker in REFUSAL_MARKERS:
            if marker in head:
                return kind
    return None


def detect_block_response(response: Response) -> str | None:
    return detect_block(response.status, response.headers, response.body)


#: Statuses that, with ``Retry-After``, say "come back then" (crawler.downloader.backoff waits for
#: it).
RETRY_AFTER_STATUSES = frozenset({429, 503})


def is_rate_limit(response: Response, kind: str) -> bool:
    """A 429/503 with ``Retry-After`` whose page only says "too many requests" is a rate
    limit, retried when the server asked (crawler.downloader.backoff), not a block page."""
    return (
        kind == "rate-limit"
        and response.status in RETRY_AFTER_STATUSES
        and bool(response.headers.get(b"Retry-After"))
    )


def is_challenge(kind: str) -> bool:
    return kind in CHALLENGE_KINDS


class BlockedPage(IgnoreRequest):
    """A block page answered the request; ``retry_scheduled`` says whether it comes again."""

    def __init__(self, kind: str, url: str, attempt: int, retry_scheduled: bool) -> None:
        self.kind = kind
        self.url = url
        self.attempt = attempt
        self.retry_scheduled = retry_scheduled
        outcome = "retry scheduled" if retry_scheduled else "giving up"
        super().__init__(f"block page ({kind}) at {url}, attempt {attempt}; {outcome}")

    @property
    def challenge(self) -> bool:
        return is_challenge(self.kind)


def retry_is_scheduled(failure: Failure) -> bool:
    """True for a block-page failure whose request will be sent again: not a failure yet."""
    return isinstance(failure.value, BlockedPage) and failure.value.retry_scheduled


def is_blocked(failure: Failure) -> bool:
    return isinstance(failure.value, BlockedPage)


def block_reason(failure: Failure) -> str | None:
    """``challenge`` or ``blocked`` for a block-page failure (a stats key tail), else None."""
    if not is_blocked(failure):
        return None
    return "challenge" if failure.value.challenge else "blocked"


@dataclass(frozen=True)
class BlockRetryPolicy:
    """How often and how late a blocked request is sent again."""

    retries: int = 2
    first_delay: float = 60.0
    backoff: float = 2.0
    max_delay: float = 900.0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> BlockRetryPolicy:
        return cls(
            retries=settings.getint("CRAWLER_BLOCK_RETRY_TIMES", cls.retries),
            first_delay=settings.getfloat("CRAWLER_BLOCK_RETRY_DELAY", cls.first_delay),
            backoff=settings.getfloat("CRAWLER_BLOCK_RETRY_BACKOFF", cls.backoff),
            max_delay=settings.getfloat("CRAWLER_BLOCK_RETRY_MAX_DELAY", cls.max_delay),
        )

    def delay(self, attempt: int) -> float:
        """Seconds to wait before sending a request again after its ``attempt``-th block."""
        return max(0.0, min(self.first_delay * self.backoff ** (attempt - 1), self.max_delay))


def original_request(request: Request) -> Request:
    """The request as first made: a challenge reached by a redirect is retried at the start."""
    redirects = request.meta.get("redirect_urls")
    if not redirects:
        return request
    meta = {key: value for key, value in request.meta.items() if key not in REDIRECT_META}
    return request.replace(url=redirects[0], method="GET", body=b"", meta=meta)


class BlockedPageMiddleware:
    """Downloader middleware: block pages are counted, retried later, never handed to parsing.

    Its order must be above RetryMiddleware's (550), so that a 503 challenge is retried
    after a delay instead of at once, and below HttpCompressionMiddleware's (590), so that it
    reads decompressed bodies.
    """

    def __init__(self, crawler: Crawler, policy: BlockRetryPolicy) -> None:
        self.crawler = crawler
        self.policy = policy
        self.challenge_wait = crawler.settings.getfloat(
            CHALLENGE_WAIT_SETTING, DEFAULT_CHALLENGE_WAIT
        )
        self.parked: dict[int, tuple[Request, IDelayedCall]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockedPageMiddleware:
        middleware = cls(crawler, BlockRetryPolicy.from_settings(crawler.settings))
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if request.callback is NO_CALLBACK:  # robots.txt and other internal fetches
            return response
        kind = detect_block_response(response)
        browser_attempt = request.meta.get(CHALLENGE_META)
        if kind is None:
            if browser_attempt and response.status in REFUSAL_STATUSES:
                # The browser's answer carries the status of the challenge it passed.
                self.crawler.stats.inc_value(CHALLENGE_PASSED_STAT)
                logger.info("passed the %s at %s in the browser", browser_attempt, request.url)
                return response.replace(status=200)
            return response
        if is_rate_limit(response, kind):
            return response
        self.count_block_page(kind)
        attempt = request.meta.get(ATTEMPTS_META, 0) + 1
        if browser_attempt:
            logger.warning("%s at %s: not passed in the browser either", kind, request.url)
            raise BlockedPage(kind, request.url, attempt, retry_scheduled=False)
        if is_challenge(kind) and rendering_enabled(self.crawler.settings):
            logger.info("%s at %s: asking again through the browser", kind, request.url)
            self.crawler.stats.inc_value(CHALLENGE_RENDERED_STAT)
            retry = original_request(request)
            meta = {ATTEMPTS_META: attempt, CHALLENGE_META: kind}
            return challenge_request(retry, meta, self.challenge_wait)
        if attempt > self.policy.retries:
            logger.warning("block page (%s) at %s: giving up after %d", kind, request.url, attempt)
            raise BlockedPage(kind, request.url, attempt, retry_scheduled=False)
        retry = original_request(request)
        retry = retry.replace(dont_filter=True, meta={**retry.meta, ATTEMPTS_META: attempt})
        delay = self.policy.delay(attempt)
        logger.info("block page (%s) at %s: retrying in %.0f s", kind, request.url, delay)
        self.park(retry, delay)
        raise BlockedPage(kind, request.url, attempt, retry_scheduled=True)

    def count_block_page(self, kind: str) -> None:
        spider = self.crawler.spider
        self.crawler.stats.inc_value(BLOCKED_STATS_PREFIX + (spider.name if spider else "?"))
        self.crawler.stats.inc_value(BLOCKED_KIND_STATS_PREFIX + kind)

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A browser that never got past a challenge (it timed out waiting) gives up as one."""
        kind = request.meta.get(CHALLENGE_META)
        if kind and not isinstance(exception, IgnoreRequest):
            self.count_block_page(kind)
            logger.warning(
                "%s at %s: the browser did not pass it (%s)", kind, request.url, exception
            )
            attempt = request.meta.get(ATTEMPTS_META, 0) + 1
            raise BlockedPage(kind, request.url, attempt, retry_scheduled=False) from exception

    def park(self, request: Request, delay: float) -> None:
        # Imported here: importing the reactor at module level would install the default one
        # before Scrapy installs the asyncio reactor its settings ask for.
        from twisted.internet import reactor

        key = id(request)
        call = reactor.callLater(delay, self.release, key)  # type: ignore[attr-defined]
        self.parked[key] = (request, call)

    def release(self, key: int) -> None:
        request, _ = self.parked.pop(key)
        self.crawler.engine.crawl(request)

    def spider_idle(self) -> None:
        if self.parked:
            raise DontCloseSpider

    def spider_closed(self) -> None:
        for request, call in self.parked.values():
            if call.active():
                call.cancel()
            logger.warning("closing with a blocked request not retried: %s", request.url)
        self.parked.clear()

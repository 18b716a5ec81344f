"""Retries of 429 and 503 answers that wait first, as the server asked (Retry-After) or longer
each time.

Scrapy's RetryMiddleware sends a retry at once; a rate-limited or overloaded site answers it
with the same 429/503, and the article is lost after a few milliseconds of retries. This
subclass waits before handing the retry back: the seconds of a ``Retry-After`` header (number
or HTTP date), else ``CRAWLER_RETRY_BACKOFF_BASE`` doubled per earlier retry, at most
``CRAWLER_RETRY_MAX_DELAY``. A server asking for longer than that maximum is not retried
early against its word: the request fails now (``article_http_429`` ...), counted under
``crawler/retry_after_too_long``, and the next run fetches the article. The wait does not
hold a download slot: other requests go on. Block pages (crawler.downloader.blocking) never get
here; they have their own delayed retries. A 429/503 whose page only says "too many requests" and
that carries ``Retry-After`` is a rate limit, not a block page: it comes here.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

logger = logging.getLogger(__name__)

#: Statuses whose retry waits: the server said "not now".
BACKOFF_STATUSES = frozenset({429, 503})
DEFAULT_BACKOFF_BASE = 1.0
DEFAULT_MAX_DELAY = 60.0


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP date), None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(
    response: Response, retries_before: int, base: float, max_delay: float
) -> float | None:
    """How long to wait before retry number ``retries_before + 1`` of ``response``'s request.

    None when the server's ``Retry-After`` asks for longer than ``max_delay``: no retry then.
    """
    asked = retry_after_seconds(response.headers.get(b"Retry-After"))
    if asked is not None:
        return asked if asked <= max_delay else None
    return min(base * 2**retries_before, max_delay)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware whose retries of 429/503 wait (see the module doc)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("CRAWLER_RETRY_BACKOFF_BASE", DEFAULT_BACKOFF_BASE)
        self.max_delay = settings.getfloat("CRAWLER_RETRY_MAX_DELAY", DEFAULT_MAX_DELAY)

    async def process_response(
        self, request: Request, response: Response, *args: Any
    ) -> Request | Response:
        if response.status not in BACKOFF_STATUSES or request.meta.get("dont_retry"):
            return super().process_response(request, response, *args)
        retries_before = request.meta.get("retry_times", 0)
        delay = backoff_delay(response, retries_before, self.backoff_base, self.max_delay)
        if delay is None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("crawler/retry_after_too_long")
            logger.info(
                "%s answered %d with Retry-After %s, longer than CRAWLER_RETRY_MAX_DELAY "
                "(%g s): not retried in this run",
                request.url,
                response.status,
                response.headers.get(b"Retry-After", b"").decode("latin-1"),
                self.max_delay,
            )
            return response
        result = super().process_response(request, response, *args)
        if isinstance(result, Request) and delay > 0:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("crawler/retry_backoff")
            await asyncio.sleep(delay)
        return result

"""Retries of 429/503 wait as the server asked, or longer each time, within a ceiling."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.downloader.backoff import BackoffRetryMiddleware, backoff_delay, retry_after_seconds
from crawler.downloader.blocking import BlockedPage, BlockedPageMiddleware

NOW = datetime(2025, 7, 3, 8, 0, 0, tzinfo=UTC)


def test_retry_after_in_seconds_or_as_http_date():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Thu, 03 Jul 2025 08:00:30 GMT", now=NOW) == 30.0
    assert retry_after_seconds("Thu, 03 Jul 2025 07:00:00 GMT", now=NOW) == 0.0
    for unusable in (None, b"", b"soon", b"-5", "Thu, 03 Jul 2025 08:00:30"):
        assert retry_after_seconds(unusable, now=NOW) is None


def response(status: int, retry_after: str | None = None) -> HtmlResponse:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return HtmlResponse("https://www.espos.id/x-2201001", status=status, headers=headers)


def test_delay_doubles_without_retry_after_and_never_exceeds_the_ceiling():
    assert [backoff_delay(response(503), n, 1.0, 60.0) for n in range(4)] == [1, 2, 4, 8]
    assert backoff_delay(response(503), 10, 1.0, 60.0) == 60.0
    assert backoff_delay(response(429, "7"), 0, 1.0, 60.0) == 7.0
    assert backoff_delay(response(503), 3, 0.0, 60.0) == 0.0


def test_a_retry_after_longer_than_the_ceiling_is_not_cut_short():
    assert backoff_delay(response(429, "86400"), 0, 1.0, 60.0) is None
    assert backoff_delay(response(503, "60"), 0, 1.0, 60.0) == 60.0


# --- through the middlewares -----------------------------------------------------------------

TOO_MANY_REQUESTS = (
    b"<html><head><title>429 Too Many Requests</title></head>"
    b"<body><h1>Too Many Requests</h1></body></html>"
)


def middlewares(**settings: object) -> tuple[BackoffRetryMiddleware, BlockedPageMiddleware]:
    crawler = get_crawler(
        Spider, {"CRAWLER_RETRY_BACKOFF_BASE": 0, "CRAWLER_RETRY_MAX_DELAY": 60, **settings}
    )
    crawler.spider = Spider.from_crawler(crawler, name="espos")
    crawler.stats.open_spider()
    return BackoffRetryMiddleware.from_crawler(crawler), BlockedPageMiddleware.from_crawler(crawler)


def answer(status: int, retry_after: str | None, body: bytes) -> tuple[Request, HtmlResponse]:
    request = Request("https://www.espos.id/x-2201001", callback=lambda response: None)
    headers = {"Retry-After": retry_after} if retry_after else {}
    return request, HtmlResponse(
        request.url, status=status, headers=headers, body=body, request=request
    )


@pytest.mark.parametrize("status", [429, 503])
def test_a_rate_limit_page_with_retry_after_is_no_block_page(status: int):
    _, blocking = middlewares(CRAWLER_BROWSER="off")
    request, limited = answer(status, "1", TOO_MANY_REQUESTS)
    assert blocking.process_response(request, limited) is limited
    # A challenge stays a challenge, Retry-After or not (without a browser to ask through).
    request, challenge = answer(status, "1", b"<script>window._cf_chl_opt={}</script>")
    with pytest.raises(BlockedPage):
        blocking.process_response(request, challenge)


def test_retry_after_is_waited_and_a_longer_one_is_not_retried_early():
    backoff, _ = middlewares(CRAWLER_RETRY_MAX_DELAY=0.2)
    request, limited = answer(429, "0", TOO_MANY_REQUESTS)
    retry = asyncio.run(backoff.process_response(request, limited))
    assert isinstance(retry, Request) and retry.url == request.url
    request, too_long = answer(429, "3600", TOO_MANY_REQUESTS)
    assert asyncio.run(backoff.process_response(request, too_long)) is too_long
    assert backoff.crawler.stats.get_value("crawler/retry_after_too_long") == 1

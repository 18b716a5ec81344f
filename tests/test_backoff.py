"""Retries of 429/503 wait as the server asked, or longer each time, within a ceiling."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.http import HtmlResponse

from crawler.backoff import backoff_delay, retry_after_seconds

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
    assert backoff_delay(response(429, "86400"), 0, 1.0, 60.0) == 60.0
    assert backoff_delay(response(503), 3, 0.0, 60.0) == 0.0

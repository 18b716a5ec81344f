"""Downloader middlewares that turn silent losses on a hostile web into named failures.

Scrapy loses some requests without calling their errback: a redirect back to an address
already fetched is filtered as a duplicate, and a redirect to another site is filtered as
offsite. An article lost that way is neither delivered nor counted. These middlewares see the
redirect first and fail the request instead, so the spider counts it under
``crawler/failed/article_RedirectLoop`` or ``article_OffsiteRedirect``; a compressed body
that grows past DOWNLOAD_MAXSIZE fails as ``ResponseTooLarge`` rather than a bare
IgnoreRequest.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.url import url_is_from_any_domain

from crawler.utils.urls import canonicalize_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to an address of its own chain."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect leads to a site the outlet's spider does not allow."""


class ResponseTooLarge(IgnoreRequest):
    """A compressed body grew past DOWNLOAD_MAXSIZE while it was decompressed (a gzip bomb)."""


class RedirectGuardMiddleware:
    """Fail redirects that loop or leave the spider's allowed domains (runs before redirecting)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, *args: Any) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        if request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        if allowed and not url_is_from_any_domain(target, allowed):
            raise OffsiteRedirect(f"redirect to another site: {request.url} -> {target}")
        return response


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, with bombs failing under their own name."""

    def process_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Request | Response:
        try:
            return super().process_response(request, response, *args, **kwargs)
        except IgnoreRequest as exc:
            if "DOWNLOAD_MAXSIZE" not in str(exc):
                raise
            raise ResponseTooLarge(str(exc)) from exc

"""Download handler that can send a real outlet hostname to another server.

Tests and offline demos serve fixture pages from 127.0.0.1, but spiders must keep
requesting (and items keep carrying) the real outlet URLs. The handler rewrites the
connection target of mapped hosts only; the ``Host`` header, robots.txt handling,
redirects and the response URL all stay those of the real site.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


def parse_host_map(value: object) -> dict[str, str]:
    """Read ``CRAWLER_HOST_MAP`` given as a dict or as JSON text (``-s`` on the command line)."""
    if not value:
        return {}
    if isinstance(value, str):
        import json

        value = json.loads(value)
    if not isinstance(value, dict):
        raise ValueError("CRAWLER_HOST_MAP must be a mapping of hostname to host:port")
    return {str(host).lower(): str(target) for host, target in value.items()}


class HostMapDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, with ``CRAWLER_HOST_MAP`` applied to the connection target."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.host_map = parse_host_map(crawler.settings.get("CRAWLER_HOST_MAP"))

    async def download_request(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        target = self.host_map.get((parts.hostname or "").lower())
        if target is None:
            return await super().download_request(request)
        local = request.replace(
            url=urlunsplit(("http", target, parts.path or "/", parts.query, "")),
            meta={**request.meta, "proxy": None},
        )
        local.headers["Host"] = parts.netloc
        response = await super().download_request(local)
        return response.replace(url=request.url)

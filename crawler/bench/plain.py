"""The ceiling: a plain Scrapy spider that fetches the benchmark site and reads only ``<title>``.

Run with ``scrapy runspider`` outside the project (no ``scrapy.cfg``, no
``SCRAPY_SETTINGS_MODULE``), so only Scrapy's default middlewares, extensions and no item
pipelines or feeds take part; the benchmark passes the same concurrency and download settings
as to our crawl. It walks the same sitemap index and fetches the same pages from the same
server, so the difference to our crawl is what the project adds. Imports nothing of the
project on purpose.

Arguments: ``-a sitemap=URL`` (the site's sitemap index, real outlet URL) and
``-a host_map=JSON`` (real host to ``127.0.0.1:port``, as ``CRAWLER_HOST_MAP``). A mapped
request goes to the local address with the real ``Host`` header, which the server routes on.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap


class PlainTitleSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, sitemap: str, host_map: str = "{}", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap = sitemap
        self.host_map: dict[str, str] = json.loads(host_map)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.sitemap, self.parse_sitemap)

    def request(self, url: str, callback: Callable[..., Any]) -> scrapy.Request:
        parts = urlsplit(url)
        target = self.host_map.get(parts.hostname or "")
        if target is None:
            return scrapy.Request(url, callback, cb_kwargs={"url": url})
        local = urlunsplit(("http", target, parts.path or "/", parts.query, ""))
        return scrapy.Request(
            local, callback, headers={"Host": parts.netloc}, cb_kwargs={"url": url}
        )

    def parse_sitemap(self, response: Response, url: str) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(response.body)
        follow = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse_page
        for entry in sitemap:
            yield self.request(entry["loc"], follow)

    def parse_page(self, response: Response, url: str) -> Iterator[dict[str, Any]]:
        yield {"url": url, "title": response.css("title::text").get()}

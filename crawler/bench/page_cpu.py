"""CPU per page of our extraction and enrichment next to trafilatura's, in one process.

Ours is what a crawl does with an article page after the download: the spider's
``parse_article`` on the response (layout choice, extraction, the item) and then the
``EnrichPipeline`` with the project's ``CRAWLER_ENRICHERS`` (regions, parties, sentiment),
both built from the project settings, so a change to either is measured without touching
this module. trafilatura gets the same pages, already decoded (its cheapest input), through
``bare_extraction(html, url=url, with_metadata=True)``.

The three readers (espos, generic, trafilatura) take turns in rounds over the same sample, so
a burst of load on the shared machine hits all of them; each round gives one figure each.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.bench.crawls import GENERIC_ARGUMENTS, window_arguments
from crawler.bench.site import BenchSite
from crawler.items import ArticleItem
from crawler.pipelines import EnrichPipeline
from crawler.spiders.base import NewsSpider
from crawler.spiders.espos import EsposSpider
from crawler.spiders.generic import GenericSpider

T = TypeVar("T")
R = TypeVar("R")

TRAFILATURA_CALL = "trafilatura.bare_extraction(html, url=url, with_metadata=True)"
#: No delivered-store (every sample page is new to the spider), no extensions and no reactor:
#: nothing here downloads, waits or delivers.
IN_PROCESS_SETTINGS = {
    "CRAWLER_DELIVERED_STORE": "crawler.store.NullDeliveredStore",
    "EXTENSIONS": {},
    "TWISTED_REACTOR_ENABLED": False,
}


def sample_pages(site: BenchSite, count: int) -> list[tuple[str, bytes]]:
    """(url, body) of ``count`` articles spread evenly over the site."""
    step = max(1, len(site.articles) // count)
    chosen = site.articles[::step][:count]
    return [(article.url, site.page_file(article).read_bytes()) for article in chosen]


def response_of(url: str, body: bytes) -> HtmlResponse:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return HtmlResponse(url, body=body, headers=headers, request=Request(url))


class ProjectReader:
    """A spider of the project and the enrichment pipeline, built as a crawl builds them."""

    def __init__(self, spider_class: type[NewsSpider], arguments: dict[str, str]) -> None:
        project = vars(importlib.import_module("crawler.settings"))
        settings = {name: value for name, value in project.items() if name.isupper()}
        crawler = get_crawler(spider_class, settings | IN_PROCESS_SETTINGS)
        crawler.spider = spider_class.from_crawler(crawler, **arguments)
        self.spider = crawler.spider
        self.enrich = EnrichPipeline.from_crawler(crawler)

    def extract_all(self, responses: list[HtmlResponse]) -> list[ArticleItem]:
        return [
            item
            for response in responses
            for item in self.spider.parse_article(response)
            if isinstance(item, ArticleItem)
        ]

    def enrich_all(self, items: list[ArticleItem]) -> None:
        for item in items:
            self.enrich.process_item(item)


def cpu_seconds(function: Callable[[T], R], argument: T) -> tuple[float, R]:
    """CPU seconds of this process spent in one call, and its result."""
    started = time.process_time()
    result = function(argument)
    return time.process_time() - started, result


def trafilatura_reader() -> Callable[[list[tuple[str, str]]], None]:
    import trafilatura

    def read(pages: list[tuple[str, str]]) -> None:
        for url, html in pages:
            trafilatura.bare_extraction(html, url=url, with_metadata=True)

    return read


def measure(site: BenchSite, sample: int, rounds: int) -> dict[str, Any]:
    """Per round: ms of CPU per page of each reader; plus what our readers found."""
    pages = sample_pages(site, sample)
    decoded = [(url, body.decode("utf-8")) for url, body in pages]
    readers = {
        "espos": ProjectReader(EsposSpider, window_arguments(site)),
        "generic": ProjectReader(GenericSpider, window_arguments(site) | GENERIC_ARGUMENTS),
    }
    trafilatura_read = trafilatura_reader()
    trafilatura_read(decoded[:1])  # imports and first-call set-up out of the timing
    for reader in readers.values():
        reader.enrich_all(reader.extract_all([response_of(*pages[0])]))
    found: dict[str, int] = {}
    per_round: list[dict[str, float]] = []
    for _ in range(rounds):
        figures: dict[str, float] = {}
        for name, reader in readers.items():
            responses = [response_of(url, body) for url, body in pages]
            seconds, items = cpu_seconds(reader.extract_all, responses)
            figures[f"{name}_extraction_ms"] = seconds * 1000 / len(pages)
            seconds, _ = cpu_seconds(reader.enrich_all, items)
            figures[f"{name}_enrichment_ms"] = seconds * 1000 / len(pages)
            found[name] = sum(1 for item in items if item.title and item.body and item.kab_kota)
        seconds, _ = cpu_seconds(trafilatura_read, decoded)
        figures["trafilatura_ms"] = seconds * 1000 / len(pages)
        per_round.append({key: round(value, 3) for key, value in figures.items()})
    return {
        "sample_pages": len(pages),
        "mean_page_bytes": round(sum(len(body) for _, body in pages) / len(pages)),
        "rounds": per_round,
        "articles_with_title_body_region": found,
        "trafilatura_call": TRAFILATURA_CALL,
    }

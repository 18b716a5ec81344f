"""Extension point for enrichment: regions, parties, sentiment and the like.

Enrichers are listed by import path in the ``CRAWLER_ENRICHERS`` setting and run in
that order. An enricher is best-effort: if it fails, the article still ships without
that enrichment, because a missing label is better than a missing article.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.items import ArticleItem

logger = logging.getLogger(__name__)

#: Stats key prefix; the full key is ``crawler/enrich_errors/<EnricherClassName>``.
ENRICH_ERRORS_STATS_PREFIX = "crawler/enrich_errors/"


class Enricher(Protocol):
    """Adds derived fields to an article in place; built via ``from_crawler`` or no args."""

    def enrich(self, item: ArticleItem) -> None: ...


class EnrichPipeline:
    """Run every configured enricher on every item, isolating their failures."""

    def __init__(self, enrichers: list[Enricher], stats: StatsCollector) -> None:
        self.enrichers = enrichers
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EnrichPipeline:
        enrichers = [
            build_from_crawler(load_object(path), crawler)
            for path in crawler.settings.getlist("CRAWLER_ENRICHERS")
        ]
        return cls(enrichers, crawler.stats)

    def process_item(self, item: Any) -> Any:
        for enricher in self.enrichers:
            name = type(enricher).__name__
            try:
                enricher.enrich(item)
            except Exception:
                self.stats.inc_value(f"{ENRICH_ERRORS_STATS_PREFIX}{name}")
                logger.exception("Enricher %s failed on %s", name, ItemAdapter(item).get("url"))
        return item

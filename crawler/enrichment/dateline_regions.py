"""Region from the dateline: the strongest single cue of where a story happened.

A deliberately small default enricher: the full evidence-weighted tagger (body mentions,
kecamatan, aliases) replaces or extends it through ``CRAWLER_ENRICHERS``.
"""

from __future__ import annotations

from crawler.enrichment.gazetteer import dateline_index
from crawler.items import ArticleItem


class DatelineRegionEnricher:
    """Put the kabupaten/kota named by the article's dateline first in ``kab_kota``."""

    def enrich(self, item: ArticleItem) -> None:
        if not item.dateline:
            return
        region = dateline_index().get(" ".join(item.dateline.split()).upper())
        if region is None or any(r.code == region.code for r in item.kab_kota):
            return
        item.kab_kota.insert(0, region)
        item.extraction.setdefault("kab_kota", "dateline")

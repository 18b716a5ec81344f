"""Espos.id (formerly Solopos.com): Solo-based regional daily, Central Java.

Facts and their confidence are in ../shared/research/outlets.md §1. The numeric
suffix of an article URL is one post-id space shared by solopos.com and espos.id,
so it is the article's identity across domains, AMP twins and legacy URLs.
No feed, sitemap or index of espos.id was seen in public code: the discovery URLs
below are the platform defaults to try [guess]; the spider degrades to whichever
answers. Non-AMP selectors are unknown [guess: sibling Harian Jogja's
``.post-content``]; structured data (JSON-LD, meta) is read first in any case.
"""

from __future__ import annotations

import re

from crawler.extraction.selectors import OutletSelectors
from crawler.outlets import Outlet
from crawler.spiders.base import Layout, NewsSpider

ARTICLE_URL = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)?espos\.id/(?!tag/|page/)[a-z0-9-]+-(\d{5,8})(?:/amp)?/?(?:[?#].*)?$"
)
LEGACY_ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?solopos\.com/(?:\d{4}/\d{2}/\d{2}/)?[a-z0-9-]+-(\d{5,8})/?(?:[?#].*)?$"
)
DATELINE = r"^(?:Esposin|Solopos\.com|JIBI/Solopos)\s*,\s*(?P<place>[A-Z][A-Z .'-]+?)\s*[—–-]{1,2}"
NOISE = ("figure", "figcaption", "script", "style", "ins", ".baca-juga", ".ads", ".post-tags")

CURRENT = OutletSelectors(
    title="h1.post-title",
    published=".post-meta",
    body=".post-content",
    tags=".post-tags a",
    views=".post-views",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
AMP = OutletSelectors(
    title="h1",
    published=".post-meta, .amp-meta",
    body=".post-content, .amp-content",
    tags=".post-tags a",
    noise=(*NOISE, "amp-ad", "amp-img"),
    dateline_pattern=DATELINE,
)
LEGACY_SOLOPOS = OutletSelectors(
    title="h1",
    published=".date, .post-date, .entry-date",
    body=".entry-content, .post-content",
    tags=".tags a, .post-tags a",
    noise=NOISE,
    dateline_pattern=DATELINE,
)


class EsposSpider(NewsSpider):
    name = "espos"
    outlet = Outlet(
        name="Espos.id",
        media_type="Jateng",
        domains=("espos.id", "solopos.com"),
        discovery=("robots-sitemaps", "news-sitemap", "sitemap-index", "rss", "listing"),
        status="experimental",
        home_region="33.72",
        notes="discovery URLs are platform defaults not yet seen live (outlets.md §1)",
    )
    robots_urls = ("https://www.espos.id/robots.txt",)
    sitemap_urls = ("https://www.espos.id/sitemap.xml", "https://www.espos.id/sitemap-news.xml")
    feed_urls = ("https://www.espos.id/feed",)
    listing_urls = ("https://www.espos.id/indeks",)
    article_patterns = (ARTICLE_URL, LEGACY_ARTICLE_URL)
    layouts = (
        Layout("espos-amp", AMP, detect="html[amp]"),
        Layout("espos-2023", CURRENT, detect=".post-content"),
        Layout("solopos-legacy", LEGACY_SOLOPOS, detect=".entry-content"),
    )

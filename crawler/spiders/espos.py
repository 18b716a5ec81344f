"""Espos.id (formerly Solopos.com): Solo-based regional daily, Central Java.

Facts and their confidence are in ../shared/research/outlets.md §1 and
outlet-evidence-2026-12.md §9; each is listed in the ``Outlet`` entry's ``facts``.

* Identity: the numeric suffix of ``<slug>-<post id>`` is one post-id space shared by
  solopos.com and espos.id (2014: 539435, 2026: 2210681) [code][page], so it is the article's
  identity across domains, AMP twins, legacy URLs and GA linker parameters (``?_gl=``) [code].
  Ids grow with time, so undated links are requested highest id first.
* Discovery: still no public evidence of a feed, sitemap or index on espos.id (2026-12): the
  robots.txt sitemaps, ``/sitemap.xml``, ``/sitemap-news.xml``, ``/feed`` and ``/indeks`` are
  platform defaults [guess]. What certainly exists is the article URL shape and the home page;
  the article subdomains (solopos, regional, bisnis) [code] are taken to have front pages
  [guess]. When the guesses give nothing for the window, the home page and those fronts, and
  any other ``*.espos.id`` front the home page links, are read for article links, newest post
  id first; their "next" views (``rel=next``, ``a.next``) [guess] only while no article found
  so far is older than the window.
* Templates: the AMP copy is real [page]; non-AMP selectors are unknown [guess: sibling
  Harian Jogja's ``.post-content``]; structured data (JSON-LD, meta) is read first in any case.
"""

from __future__ import annotations

import re

from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import Layout, NewsSpider

ARTICLE_URL = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)?espos\.id/(?!tag/|page/)[a-z0-9-]+-(\d{5,8})(?:/amp)?/?(?:[?#].*)?$"
)
LEGACY_ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?solopos\.com/(?:\d{4}/\d{2}/\d{2}/)?[a-z0-9-]+-(\d{5,8})/?(?:[?#].*)?$"
)
#: The home page and the front of every ``*.espos.id`` subdomain (also the ones it links).
FRONT_PAGE_URL = re.compile(r"^https://[a-z0-9-]+\.espos\.id/?$")
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
        notes=(
            "feed, sitemaps and index are platform defaults never seen live; when they give "
            "nothing, the home and subdomain front pages are read, newest post id first "
            "(outlets.md §1, outlet-evidence-2026-12.md §9)"
        ),
        facts=(
            Fact(
                "article URL <slug>-<post id> on *.espos.id, /amp twin; one post-id space "
                "with solopos.com, growing with time",
                "seen-in-code",
                "outlets.md §1; outlet-evidence-2026-12.md §9",
            ),
            Fact(
                "legacy www.solopos.com/<slug>-<id> and /YYYY/MM/DD/<slug>-<id>",
                "seen-in-saved-page",
                "outlets.md §1",
            ),
            Fact(
                "article subdomains solopos, regional, bisnis .espos.id",
                "seen-in-code",
                "outlets.md §1",
            ),
            Fact("GA linker parameter ?_gl= on shared links", "seen-in-code", "evidence §9"),
            Fact(
                "AMP page: byline date 'Jumat, 14 Juni 2024 - 17:57 WIB', caption 'ESPOS.ID - ', "
                "Advertisement/Promosi lines, dateline 'Esposin, SOLO—'",
                "seen-in-saved-page",
                "outlets.md §1",
            ),
            Fact("home page www.espos.id/ lists articles", "guessed", "outlets.md §1"),
            Fact(
                "subdomain front pages (solopos., regional., bisnis.espos.id/) and their next "
                "views (rel=next, a.next)",
                "guessed",
                "outlets.md §1",
            ),
            Fact(
                "robots.txt sitemaps, /sitemap.xml, /sitemap-news.xml",
                "guessed",
                "outlets.md §1; evidence §9: no public code uses them",
            ),
            Fact("RSS /feed", "guessed", "evidence §9: no public code uses it"),
            Fact("index /indeks paged ?page=N", "guessed", "evidence §9: not seen"),
            Fact(
                "non-AMP selectors h1.post-title, .post-meta, .post-content",
                "guessed",
                "outlets.md §1: sibling Harian Jogja",
            ),
        ),
    )
    robots_urls = ("https://www.espos.id/robots.txt",)
    sitemap_urls = ("https://www.espos.id/sitemap.xml", "https://www.espos.id/sitemap-news.xml")
    feed_urls = ("https://www.espos.id/feed",)
    listing_urls = ("https://www.espos.id/indeks",)
    fallback_listing_urls = (
        "https://www.espos.id/",
        "https://solopos.espos.id/",
        "https://regional.espos.id/",
        "https://bisnis.espos.id/",
    )
    fallback_front_pattern = FRONT_PAGE_URL
    article_patterns = (ARTICLE_URL, LEGACY_ARTICLE_URL)
    layouts = (
        Layout("espos-amp", AMP, detect="html[amp]"),
        Layout("espos-2023", CURRENT, detect=".post-content"),
        Layout("solopos-legacy", LEGACY_SOLOPOS, detect=".entry-content"),
    )

    def article_sequence(self, identity: str) -> int | None:
        """The post id: one growing id space over espos.id and solopos.com."""
        prefix = f"{self.name}:"
        number = identity.removeprefix(prefix)
        return int(number) if identity.startswith(prefix) and number.isdigit() else None

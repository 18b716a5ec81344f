"""iNews Jateng (jateng.inews.id): the iNews network's Central Java site.

Facts and their confidence are in ../shared/research/outlets.md §12 (network selectors from
code, pagination and noise also from a real network page) and outlet-evidence-2026-12.md §10:
no 2025-26 code uses jateng.inews.id, and www.inews.id's 2026 URLs (``/news/...``,
``/regional/...``) have no ``/read/<id>/``; whether jateng moved to www is unknown.

* URLs: the network's ``/read/<id>/<slug>`` (2022+; the id is the identity) [code: siblings;
  guess for jateng], and the older ``/berita/<slug>`` (2021; no id, identity is the canonical
  URL) [page]. The URL shape says which template generation a page has, so each shape is read
  with its own layout.
* Paged stories: the pager ``ul.paginationContent`` links page N as ``/<N>`` after the article
  URL [page]; ``/read/`` stories also have the whole story at ``<url>/all`` [code], so that
  layout declares a single-page view and the ``/berita/`` one walks the pages.
* Discovery: regional index and feed are unknown; robots.txt sitemaps and the index
  ``/indeks`` are [guess].
* Page: title ``h1``, date ``.timeAndShare .createdAt`` as ``Sabtu, 02 Januari 2021 -
  08:02:00 WIB``, writer ``.author``, story = the ``p`` children of
  ``section.mainBody article.bodyArticleWrapper`` [code][page]; boxes between them ("Baca
  Juga", network promo) and the lines "Read Next : ...", "Lihat Berita Lainnya", the WhatsApp
  channel prompt and "Editor: ..." are not story [page][code].
* Dateline ``SEMARANG, iNewsJateng.id -`` [guess, from the sibling ``JAKARTA, iNewsMadiun.id -``].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from scrapy.http import Response

from crawler.extraction.layouts import ArticlePage, Layout
from crawler.extraction.pagination import PAGE_PATH_NUMBER, PageLinks, SinglePageView
from crawler.extraction.selectors import OutletSelectors
from crawler.extraction.workers import ReadArguments
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import NewsSpider
from crawler.utils.request_meta import PAGED_META

READ_URL = re.compile(r"^https?://jateng\.inews\.id/read/(\d{5,8})/[a-z0-9-]+/?(?:[?#].*)?$")
BERITA_URL = re.compile(r"^https?://jateng\.inews\.id/berita/[a-z0-9-]+/?(?:[?#].*)?$")
#: ``SEMARANG, iNewsJateng.id -`` (any iNews regional brand).
DATELINE = r"^(?P<place>[A-Z][A-Za-z .'-]*?[A-Za-z])\s*,\s*iNews[A-Za-z]*\.id\s*[-–—]{1,2}"
BODY = "section.mainBody article.bodyArticleWrapper"
#: Only the ``p`` children of the body are story; every other child is a box.
NOISE = (f"{BODY} > :not(p)", "figure", "script", "style", "iframe", "ins")
#: Network lines inside the story that the shared cleaning does not know.
NOISE_LINES = re.compile(r"^(?:Read Next\s*:|Lihat Berita Lainnya\W*$)", re.IGNORECASE)
PAGER = "ul.paginationContent a"

SELECTORS = OutletSelectors(
    title="h1",
    published=".timeAndShare .createdAt",
    authors=".author",
    body=BODY,
    noise=NOISE,
    dateline_pattern=DATELINE,
)

READ = Layout(
    "inews-read",
    SELECTORS,
    detect=BODY,
    pagination=SinglePageView(
        links=PAGER, page_number=PAGE_PATH_NUMBER, query=None, path_suffix="/all"
    ),
)
# [guess] when jateng.inews.id left /berita/ URLs is not known; the real page is from 2021.
BERITA = Layout(
    "inews-berita",
    SELECTORS,
    detect=BODY,
    valid_until=date(2021, 12, 31),
    pagination=PageLinks(links=PAGER, page_number=PAGE_PATH_NUMBER),
)


class INewsJatengSpider(NewsSpider):
    name = "inewsjateng"
    outlet = Outlet(
        name="iNews Jateng",
        media_type="Jateng",
        domains=("jateng.inews.id",),
        discovery=("robots-sitemaps", "listing"),
        status="experimental",
        home_region="33.74",
        notes=(
            "iNews network template (outlets.md §12); /read/<id>/ read whole through /all, "
            "2021 /berita/ pages joined page by page; sitemap and index guessed"
        ),
        facts=(
            Fact(
                "network URLs /read/<id>/<slug> with /all",
                "seen-in-code",
                "outlets.md §12 (siblings; on jateng guessed)",
            ),
            Fact(
                "URLs /berita/<slug> with pages /<N> (2021)", "seen-in-saved-page", "outlets.md §12"
            ),
            Fact(
                "page h1, .timeAndShare .createdAt, .author, "
                "section.mainBody article.bodyArticleWrapper > p",
                "seen-in-code",
                "outlets.md §12; evidence §10",
            ),
            Fact("pager ul.paginationContent a", "seen-in-saved-page", "outlets.md §12"),
            Fact("robots.txt sitemaps, /sitemap.xml, /indeks", "guessed", "outlets.md §12"),
            Fact(
                "jateng.inews.id still serves its own site (www.inews.id moved to "
                "/news/, /regional/... in 2026)",
                "guessed",
                "evidence §10",
            ),
            Fact("dateline 'SEMARANG, iNewsJateng.id -'", "guessed", "outlets.md §12"),
        ),
    )
    robots_urls = ("https://jateng.inews.id/robots.txt",)
    sitemap_urls = ("https://jateng.inews.id/sitemap.xml",)
    listing_urls = ("https://jateng.inews.id/indeks",)
    article_patterns = (READ_URL, BERITA_URL)
    layouts = (READ, BERITA)

    def read_arguments(
        self, url: str, meta: dict[str, Any], layouts: Iterable[Layout] | None = None
    ) -> ReadArguments:
        """A first page is read with its URL shape's layout."""
        if layouts is None and PAGED_META not in meta:
            layouts = (BERITA,) if "/berita/" in url else (READ,)
        return super().read_arguments(url, meta, layouts)

    def read_page(self, response: Response, layouts: Iterable[Layout] | None = None) -> ArticlePage:
        """The page without the network's own lines."""
        page = super().read_page(response, layouts)
        page.article.body = [line for line in page.article.body if not NOISE_LINES.match(line)]
        return page

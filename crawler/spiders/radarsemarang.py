"""Radar Semarang and the other Central Java radars of the Jawa Pos network: one code, four outlets.

Facts and their confidence are in ../shared/research/outlets.md §5. The radars are subdomains
of jawapos.com on one platform, so :data:`RADARS` lists them and one spider class is made per
row; each is a registered outlet with its own name and home region.

* URLs: ``https://<radar>.jawapos.com/<category>/<id of 9+ digits>/<slug>``; the id is the
  identity [code]. radarsemarang, radarsolo and radarmagelang are seen in code; radarkudus is
  a [guess] sibling (Radar Tegal and Radar Banyumas are Disway sites: crawler.spiders.disway).
* Discovery: the index ``/indeks-berita`` [guess, by analogy with radarkediri], read as
  ``.latest__link`` cards with a ``.latest__date`` [code: the search results' markup] and
  paged with ``?page=N`` [code: category listings]; RSS ``/rss`` [guess].
* Pages: ``__NEXT_DATA__`` (``props.pageProps.article``) first [code: jawapos.com]; the legacy
  ``read__*`` template [code]; the body stops at the platform's closing blocks ("Editor :",
  "Bagikan:", "Artikel Terkait"...) [code]. A page with neither and hardly any text is a
  JavaScript shell: it is rendered in the browser when the ``browser`` extra is installed,
  else skipped and counted (``crawler.browser``).
* Dates as ``Kamis, 28 Mei 2026 | 14:09 WIB`` [code]; the dateline ``RADARSEMARANG.ID,
  <Kota> –`` [code; punctuation guessed] and the same with each radar's own name [guess].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from crawler.browser import is_javascript_shell, is_rendered, render_or_skip
from crawler.dates import DateParseError, parse_indonesian_datetime
from crawler.extraction.block import parse_html
from crawler.extraction.next_data import next_article, overlay, read_next_article
from crawler.extraction.selectors import OutletSelectors
from crawler.items import ArticleItem
from crawler.layouts import ArticlePage, Layout
from crawler.outlets import Outlet
from crawler.spiders.base import PAGED_META, NewsSpider


@dataclass(frozen=True)
class Radar:
    """One radar of the table: spider name (its subdomain), display name, home region."""

    spider: str
    name: str
    home_region: str
    evidence: str

    @property
    def host(self) -> str:
        return f"{self.spider}.jawapos.com"


#: The Central Java radars (home regions: Kemendagri codes of the cities they are named after).
RADARS = (
    Radar("radarsemarang", "Radar Semarang", "33.74", "seen in code"),
    Radar("radarsolo", "Radar Solo", "33.72", "seen in code"),
    Radar("radarmagelang", "Radar Magelang", "33.71", "seen in code"),
    Radar("radarkudus", "Radar Kudus", "33.19", "a guessed sibling"),
)

#: ``RADARSEMARANG.ID, Semarang –`` (any radar's brand, .ID or .COM).
DATELINE = r"^RADAR[A-Z]+\.(?:ID|COM)\s*,\s*(?P<place>[A-Z][A-Za-z .'-]*?[A-Za-z])\s*[-–—]{1,2}"
#: Paragraphs that open the platform's blocks after the story: nothing from there on is story.
STOP_MARKERS = re.compile(
    r"^(?:Editor\s*:|Bagikan\s*:|Artikel Terkait|Berita Terkini|KONTEN PROMOSI|Populer\b|"
    r"Ikuti Saluran)",
    re.IGNORECASE,
)
NOISE = ("strong.read__others", "figure", "script", "style", "iframe", "ins")

READ = OutletSelectors(
    title="h1.read__title",
    published=".read__info__date",
    authors=".read__info__author",
    body=".read__content",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: Pages in no known template: ``__NEXT_DATA__``, structured data and the generic reader.
PLAIN = OutletSelectors(noise=NOISE, dateline_pattern=DATELINE)


def body_before_stop_marker(body: list[str]) -> list[str]:
    for index, paragraph in enumerate(body):
        if STOP_MARKERS.match(paragraph):
            return body[:index]
    return body


class RadarSpider(NewsSpider):
    """The code of every radar; the registered spiders are made from :data:`RADARS`."""

    layouts = (
        Layout("radar-read", READ, detect=".read__content"),
        Layout("radar-plain", PLAIN),
    )
    listing_link_css = "a.latest__link::attr(href)"

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Index cards: link, title and the shown publication time."""
        for link in response.css("a.latest__link"):
            href = link.attrib.get("href")
            if not href:
                continue
            card = link.xpath("ancestor::*[contains(concat(' ', @class, ' '), ' latest__item ')]")
            shown = " ".join((card or link).css(".latest__date ::text").getall()).strip()
            title = " ".join(link.css("::text").getall()).strip() or None
            yield response.urljoin(href), self.shown_date(shown), title

    @staticmethod
    def shown_date(text: str) -> datetime | None:
        try:
            return parse_indonesian_datetime(text) if text else None
        except DateParseError:
            return None

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager's link to ``?page=N+1`` (listings page that way [code])."""
        for href in response.css("a::attr(href)").getall():
            if parse_qs(urlsplit(response.urljoin(href)).query).get("page") == [str(page + 1)]:
                return href
        return None

    def read_page(self, response: Response, layouts: Iterable[Layout] | None = None) -> ArticlePage:
        """The page with ``__NEXT_DATA__``'s fields over the HTML's, cut at the closing blocks."""
        page = super().read_page(response, layouts)
        selectors = page.layout.selectors if page.layout else PLAIN
        structured = read_next_article(page.root, noise=selectors.noise, dateline_pattern=DATELINE)
        if structured is not None:
            page.article = overlay(structured, page.article)
        page.article.body = body_before_stop_marker(page.article.body)
        return page

    def parse_article(self, response: Response) -> Iterable[ArticleItem | scrapy.Request]:
        if PAGED_META not in response.meta and self.is_shell(response):
            yield from render_or_skip(self, response, self.parse_article, self.article_failed)
            return
        yield from super().parse_article(response)

    def is_shell(self, response: Response) -> bool:
        """A page to render: not rendered yet, a JavaScript shell, no ``__NEXT_DATA__`` article."""
        if is_rendered(response) or not is_javascript_shell(response):
            return False
        return next_article(parse_html(response.text)) is None


def radar_spider(radar: Radar) -> type[RadarSpider]:
    """The registered spider of one radar."""
    host = radar.host
    article_url = re.compile(
        rf"^https?://{re.escape(host)}/[a-z0-9-]+/(\d{{9,}})/[a-z0-9-]+/?(?:[?#].*)?$"
    )
    attributes = {
        "__module__": __name__,
        "__doc__": f"{radar.name} ({host}); see the module docstring.",
        "name": radar.spider,
        "outlet": Outlet(
            name=radar.name,
            media_type="Jateng",
            domains=(host,),
            discovery=("rss", "listing"),
            status="experimental",
            needs_browser=True,
            home_region=radar.home_region,
            notes=(
                f"Jawa Pos radar network, {radar.evidence} (outlets.md §5); __NEXT_DATA__ first, "
                "JavaScript-only pages rendered with the browser extra; index and feed guessed"
            ),
        ),
        "feed_urls": (f"https://{host}/rss",),
        "listing_urls": (f"https://{host}/indeks-berita",),
        "article_patterns": (article_url,),
    }
    return type(f"{radar.spider.title()}Spider", (RadarSpider,), attributes)


#: Spider name -> spider class, one per row of :data:`RADARS`.
RADAR_SPIDERS = {radar.spider: radar_spider(radar) for radar in RADARS}
# Module attributes, so Scrapy's spider loader finds them.
globals().update({spider.__name__: spider for spider in RADAR_SPIDERS.values()})

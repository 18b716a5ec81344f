"""Antara Jateng (jateng.antaranews.com): the national news agency's Central Java bureau.

Facts and their confidence are in ../shared/research/outlets.md §7 and
outlet-evidence-2026-12.md §5 (each is in the ``Outlet`` entry's ``facts``); the 2017 template is
read from a real antaranews.com page (../shared/fixtures/real/antara/).

* URLs: ``/berita/<id>/<slug>``, the numeric id (regional ids reach 7 digits in 2026) is the
  identity [code]; the AMP twin ``/amp/berita/<id>/<slug>`` is the same story and is fetched at
  its canonical address [code]. Video and photo pages (``/video/``, ``/foto/``) are not
  articles.
* Discovery: RSS ``/rss/terkini.xml`` [code], live in 2026 like the section feeds
  ``/rss/<section>.xml`` [code]; regional items sometimes have an empty ``<link>``, the address
  then being the ``guid`` (read by ``crawler.discovery.feeds``) [code]. The ``/terkini`` listing,
  paged ``/terkini/N`` or ``?page=N`` (whichever the pager links) [code for www; guess for
  jateng]; its cards are the national template's ``.card__post`` with ``h2.post_title a``
  [code: www; guess: jateng], the old ``article.simple-post`` with ``header h3 a`` and
  ``p.simple-share`` kept as a fallback [code: jabar, search results]. A card's time is used
  only when absolute; the listing is read on until its cards predate the window.
* Templates: the national ``wrap__article-detail-*`` template [code: www], which the bureaus
  probably run now (a 2026 scraper found the bureau body ``div.post-content.clearfix`` gone on
  jatim) [code; guess for jateng], and the bureau's ``div.post-content.font17`` body kept as a
  fallback layout [code: older]; they are told apart by ``detect``. Archived pages of the 2017
  era are read with the national 2017 template (``#content_news``) [page: www; guess: the
  bureaus shared it].
* Credits: JSON-LD ``author`` is the editor; the writer is the "Pewarta" / byline [page].
* Dateline ``Semarang (ANTARA) -`` [page: sibling bureaus]; 2017 ``Jakarta (ANTARA News) -``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from crawler.extraction.layouts import Layout
from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import NewsSpider
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

ARTICLE_URL = re.compile(
    r"^https?://jateng\.antaranews\.com/(?:amp/)?berita/(\d{5,9})/[a-z0-9-]+/?(?:[?#].*)?$"
)
AMP_PREFIX = "/amp/berita/"
#: A story card of the terkini listing, its link and title, and its time: the national
#: template's card [code: www], then the old one [code: search results of the same CMS].
LISTING_CARD = ".card__post, article.simple-post"
LISTING_CARD_LINK = "h2.post_title a, header h3 a"
LISTING_CARD_TIME = ".card__post__author-info ::text, header p.simple-share ::text"
ABSOLUTE_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: ``/terkini/3`` or ``/terkini?page=3``: the listing's page number.
LISTING_PAGE = re.compile(r"/terkini(?:/(\d+)|/?\?(?:.*&)?page=(\d+))")
#: ``Semarang (ANTARA) -``, ``Mataram, NTB (ANTARA) -``, ``Jakarta (ANTARA News) -``.
DATELINE = r"^(?P<place>[A-Z][A-Za-z .'-]*?)(?:\s*,\s*[A-Za-z .]+)?\s*\(ANTARA(?: News)?\)\s*[-–—]"
NOISE = (".baca-juga", ".text-muted", "script", "style", "ins", "iframe", "figure")

DETAIL = OutletSelectors(
    title=".wrap__article-detail-title",
    published=".wrap__article-detail-info .list-inline-item",
    section=".breadcrumbs .breadcrumbs__item:last-child a",
    body=".wrap__article-detail-content.post-content",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: The bureau template: only the body container is known [code]; the rest comes from JSON-LD.
BUREAU = OutletSelectors(
    body="div.post-content.font17",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: 2017: ``<br><br>``-separated text in ``#content_news`` followed by Editor and copyright
#: paragraphs; a pull-quote ``<blockquote>`` sits outside it [page].
NATIONAL_2017 = OutletSelectors(
    title=".bjbrt h1.title",
    published=".bjbrt time[itemprop=datePublished]",
    authors=".bjbrt .byline [itemprop=author]",
    body="#content_news",
    noise=("#content_news p", "#content_news div", "#content_news span", *NOISE),
    dateline_pattern=DATELINE,
)


def card_time(card: Selector) -> datetime | None:
    """A listing card's publication time, only when it is absolute ("Kamis, 3 Juli 2025 10:20").

    Relative times ("2 jam lalu") are approximate and could skip a story wrongly.
    """
    text = " ".join(card.css(LISTING_CARD_TIME).getall())
    if not ABSOLUTE_YEAR.search(text):
        return None
    try:
        return parse_indonesian_datetime(text)
    except DateParseError:
        return None


def canonical_article_url(url: str) -> str:
    """The address of an AMP twin's story (``/amp/berita/...`` -> ``/berita/...``)."""
    return url.replace(AMP_PREFIX, "/berita/", 1)


class AntaraJatengSpider(NewsSpider):
    name = "antarajateng"
    outlet = Outlet(
        name="Antara Jateng",
        media_type="Jateng",
        domains=("jateng.antaranews.com",),
        discovery=("rss", "listing"),
        status="experimental",
        home_region="33.74",
        notes=(
            "RSS terkini and the /terkini listing; both article templates (wrap__article-detail "
            "and the bureau's post-content font17) from code, the 2017 one from a real page; "
            "AMP twins fetched at their canonical URL (outlets.md §7, evidence §5)"
        ),
        facts=(
            Fact(
                "article URL /berita/<id>/<slug>, AMP /amp/berita/...",
                "seen-in-code",
                "outlets.md §7",
            ),
            Fact(
                "RSS /rss/terkini.xml, live in 2026", "seen-in-code", "outlets.md §7; evidence §5"
            ),
            Fact(
                "regional RSS items with an empty <link>: the address in guid",
                "seen-in-code",
                "evidence §5",
            ),
            Fact(
                "terkini cards .card__post with h2.post_title a",
                "seen-in-code",
                "evidence §5 (www; on jateng guessed)",
            ),
            Fact(
                "old terkini cards article.simple-post, header h3 a, p.simple-share",
                "seen-in-code",
                "outlets.md §7 (search results; jabar older code)",
            ),
            Fact("terkini paged /terkini/N", "guessed", "outlets.md §7 (www uses ?page=N)"),
            Fact(
                "national template .wrap__article-detail-* on jateng",
                "guessed",
                "evidence §5 (bureau body gone on jatim, 2026)",
            ),
            Fact("bureau body div.post-content.font17", "seen-in-code", "outlets.md §7 (older)"),
            Fact(
                "2017 template #content_news; dateline 'Semarang (ANTARA) -'",
                "seen-in-saved-page",
                "fixtures/real/antara; outlets.md §7",
            ),
        ),
    )
    feed_urls = ("https://jateng.antaranews.com/rss/terkini.xml",)
    listing_urls = ("https://jateng.antaranews.com/terkini",)
    article_patterns = (ARTICLE_URL,)
    layouts = (
        Layout("antara-detail", DETAIL, detect=".wrap__article-detail-content"),
        Layout("antara-bureau", BUREAU, detect="div.post-content.font17"),
        # [guess] the end of the 2017 template is not known; only its look is.
        Layout(
            "antara-2017", NATIONAL_2017, detect="#content_news", valid_until=date(2018, 12, 31)
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.article_url:
            self.article_url = canonical_article_url(self.article_url)

    def add_candidate(self, url: str, **kwargs: Any) -> bool:
        """An AMP twin is remembered at its canonical address, the one the layouts read."""
        return super().add_candidate(canonical_article_url(url), **kwargs)

    def parse_listing(
        self, response: Response, page: int, dated: bool = False
    ) -> Iterable[scrapy.Request]:
        """The terkini listing is read on while its pages reach into the window.

        Its first pages are mostly stories the feed already gave, so "until a page brings
        nothing new" would stop it at once; :meth:`next_listing_url` stops it by date instead
        (cards showing only relative times: after ``CRAWLER_MAX_LISTING_PAGES`` pages).
        """
        return super().parse_listing(response, page, dated=True)

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Cards with link, title and, when the card shows one, the absolute publication time."""
        for card in response.css(LISTING_CARD):
            link = card.css(LISTING_CARD_LINK)
            href = link.attrib.get("href") if link else None
            if href:
                title = " ".join(link[0].css("::text").getall()).strip() or None
                yield response.urljoin(href), card_time(card), title

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager's link to page ``page + 1``, unless every dated card predates the window."""
        times = [moment for card in response.css(LISTING_CARD) if (moment := card_time(card))]
        if times and max(times) < self.window.since:
            return None
        for href in response.css("a::attr(href)").getall():
            absolute = response.urljoin(href)
            parts = urlsplit(absolute)
            match = LISTING_PAGE.search(f"{parts.path}?{parts.query}")
            if match and int(match.group(1) or match.group(2)) == page + 1:
                return absolute
        return None

"""Kompas.com Jawa Tengah: Kompas's Central Java channel and its Central Java regional stories.

Facts and their confidence are in ../shared/research/outlets.md §8 and
outlet-evidence-2026-12.md §6 (each is in the ``Outlet`` entry's ``facts``); the 2015 template is
read from a real regional.kompas.com page (../shared/fixtures/real/kompas/).

* URLs: ``/read/YYYY/MM/DD/<8-10 digit id>/<slug>`` on ``www.kompas.com/jawa-tengah`` (the 2025
  channel) and ``regional.kompas.com`` [code]. The id is a time of day plus a sequence, unique
  only within its day, so the identity is day and id; 2015 slugs are dotted Title.Case [page].
* Discovery: the section listings ``/jawa-tengah?page=N`` on both hosts, items
  ``.articleItem a`` / ``.articlePost a`` [code], and the index of every day of the window,
  ``indeks.kompas.com/?site=<site>&date=YYYY-MM-DD&page=N`` (items ``.articleItem
  a.article-link``, older ``a.article__link``; the ``site``/``date`` shape is used by many
  scrapers [code], ``site=regional`` is a guess), which lists every province's stories. The
  URL's day is the publication day, so listing links of days wholly outside the window are
  never fetched and a section listing's paging stops at a page whose stories all predate the
  window. Kompas RSS was reported inactive in 2026 [code] and is not used.
* regional.kompas.com covers every province: a story from there is delivered only when its
  section names Central Java, it was listed in a Jawa Tengah section listing, or its dateline
  (``BOYOLALI, KOMPAS.com –``) is a Central Java place in the project gazetteer; others are
  fetched (only the page tells) and dropped, counted under
  ``crawler/dropped/outside_central_java``.
* Paged stories: the pages are the ``.paging__wrap .paging__item a`` links and the whole story
  is the ``a.paging__link--show`` link, ``?page=all`` [code, 2026]; the older guess
  ``.read__paging a.paging__link`` stays as a second choice.
* Dates: JSON-LD ``datePublished`` [code]; ``.read__time`` reads ``Kompas.com - 14/06/2024,
  17:57 WIB`` with an optional "Diperbarui" time after it [code]. Tags ``.tagsCloud-tag a``
  [code].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapy.http import Response

from crawler.enrichment.gazetteer import load_gazetteer
from crawler.extraction.layouts import Layout, date_in_url
from crawler.extraction.pagination import SinglePageView
from crawler.extraction.selectors import OutletSelectors
from crawler.items import ArticleItem
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import NewsSpider
from crawler.utils.timezones import WIB

ARTICLE_URL = re.compile(
    r"^https?://(?:www\.kompas\.com/jawa-tengah|regional\.kompas\.com)"
    r"/read/(\d{4}/\d{2}/\d{2}/\d{8,10})/[A-Za-z0-9.-]+/?(?:[?#].*)?$"
)
REGIONAL_HOST = "regional.kompas.com"
#: The Jawa Tengah section listings [code]; a story they list has Central Java as its section.
SECTION_LISTINGS = (
    "https://www.kompas.com/jawa-tengah",
    "https://regional.kompas.com/jawa-tengah",
)
#: Words in a section name that place a story in Central Java.
SECTION_WORDS = ("jawa tengah", "jateng")
#: ``SEMARANG, KOMPAS.com –`` [page: reposts]; ``LHOKSEUMAWE, KOMPAS.com –`` [page].
DATELINE = r"^(?P<place>[A-Z][A-Z .'-]*?[A-Z])\s*,\s*KOMPAS\.com\s*[-–—]"
#: In-body boxes that are not the story [code: news-watch kompas.py].
NOISE = (
    "[class*=inject-baca-juga]",
    "[class*=kompasidRec]",
    ".readsection",
    ".inner-article-recom",
    ".inner-banner",
    ".recom__box",
    ".ads",
    ".photo",
    "figure",
    "script",
    "style",
    "iframe",
)
#: Page links (2026 scraper) first, then the older guess; ``?page=all`` is the whole story.
PAGER = SinglePageView(links=".paging__wrap .paging__item a, .read__paging a.paging__link")

READ = OutletSelectors(
    title="h1.read__title",
    published=".read__time",
    modified=".read__time",
    authors=".credit-title-name",
    section=".breadcrumb__wrap .breadcrumb__item:last-child a",
    tags=".tagsCloud-tag a",
    body=".read__content",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: 2015: the only ``h1`` is the channel name; the headline is an ``h2`` in ``.kcm-read-top``
#: and the story ``<br><br>``-separated text [page]. Writer credits are left to the generic
#: reader, which strips "Kontributor <place>," from "Penulis : Kontributor X, Name".
KCM = OutletSelectors(
    title=".kcm-read-top h2",
    published=".kcm-read-top .msmall",
    section=".kcm-breadcrumb li:last-child a",
    body="div.kcm-read-text",
    noise=NOISE,
    dateline_pattern=DATELINE,
)


def dateline_in_central_java(dateline: str | None) -> bool:
    """Whether a dateline place is a kab/kota, town or kecamatan of Central Java.

    Uses the region tagger's gazetteer; a name that also lies outside the province only as a
    kecamatan (e.g. in Ngawi) still counts when it is a Central Java kab/kota or town.
    """
    place = load_gazetteer().lookup(dateline) if dateline else None
    if place is None or place.outside:
        return False
    if place.kabkota or place.alias_of:
        return True
    return bool(place.kecamatan_of) and not place.outside_kecamatan


def names_central_java(section: str | None) -> bool:
    folded = (section or "").casefold()
    return any(word in folded for word in SECTION_WORDS)


class KompasJatengSpider(NewsSpider):
    name = "kompasjateng"
    outlet = Outlet(
        name="Kompas.com",
        media_type="Nasional",
        domains=("www.kompas.com", "regional.kompas.com"),
        discovery=("listing",),
        status="experimental",
        home_region="33.74",
        notes=(
            "www.kompas.com/jawa-tengah and regional.kompas.com stories whose section, listing "
            "or dateline is in Central Java (outlets.md §8); the all-province regional index "
            "per day is guessed; ?page=all for paged stories; current template from code, 2015 "
            "template from a real page (evidence §6)"
        ),
        facts=(
            Fact(
                "URLs /read/YYYY/MM/DD/<id>/<slug> on www.kompas.com/jawa-tengah and "
                "regional.kompas.com",
                "seen-in-code",
                "outlets.md §8",
            ),
            Fact(
                "section listings /jawa-tengah?page=N, .articleItem a",
                "seen-in-code",
                "outlets.md §8",
            ),
            Fact(
                "daily index indeks.kompas.com/?site=<site>&date=YYYY-MM-DD&page=N",
                "seen-in-code",
                "evidence §6",
            ),
            Fact("index site=regional lists the regional stories", "guessed", "evidence §6"),
            Fact(
                "template .read__title, .read__time, .credit-title-name, .read__content, JSON-LD",
                "seen-in-code",
                "outlets.md §8; evidence §6",
            ),
            Fact(
                "pager .paging__wrap .paging__item a, whole story a.paging__link--show (?page=all)",
                "seen-in-code",
                "evidence §6 (2026)",
            ),
            Fact("tags .tagsCloud-tag a", "seen-in-code", "evidence §6"),
            Fact("RSS inactive (not used)", "seen-in-code", "evidence §6"),
            Fact(
                "2015 template .kcm-read-text; dateline 'SEMARANG, KOMPAS.com –'",
                "seen-in-saved-page",
                "fixtures/real/kompas; outlets.md §8",
            ),
        ),
    )
    allowed_domains = ["www.kompas.com", "regional.kompas.com", "indeks.kompas.com"]
    listing_urls = SECTION_LISTINGS
    #: Every regional story of a day, all provinces; each is judged on its page (see above).
    dated_listing_urls = ("https://indeks.kompas.com/?site=regional&date={day:%Y-%m-%d}",)
    listing_link_css = (
        ".articleItem a::attr(href), .articlePost a::attr(href), a.article__link::attr(href)"
    )
    article_patterns = (ARTICLE_URL,)
    layouts = (
        Layout("kompas-read", READ, detect=".read__content", pagination=PAGER),
        # [guess] Kompas left the kcm template around its 2016-2017 redesign; only its look
        # is known.
        Layout(
            "kompas-2015",
            KCM,
            detect="div.kcm-read-text",
            valid_until=date(2017, 12, 31),
            pagination=SinglePageView(links=".kcm-read-paging a"),
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Identities of the stories a Jawa Tengah section listing links (their section).
        self.section_listed: set[str] = set()

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Listed stories; a day wholly outside the window dates the link, so it is skipped.

        A day that touches the window gives no date: only the page knows the time of day.
        """
        section_listing = response.url.split("?")[0].rstrip("/") in SECTION_LISTINGS
        for url, _, title in super().listing_entries(response):
            if section_listing and self.is_article_url(url):
                self.section_listed.add(self.article_identity(url))
            yield url, self.outside_window_moment(date_in_url(url)), title

    def outside_window_moment(self, day: date | None) -> datetime | None:
        if day is None:
            return None
        if self.window.since.date() <= day <= self.window.until.date():
            return None
        return datetime.combine(day, time(12), tzinfo=WIB)

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager's link to page ``page + 1`` of this listing.

        A section listing is newest first: paging stops at a page whose stories all predate
        the window.
        """
        days = [
            day
            for href in response.css(self.listing_link_css).getall()
            if (day := date_in_url(response.urljoin(href))) is not None
        ]
        if days and max(days) < self.window.since.date():
            return None
        here = urlsplit(response.url)
        for href in response.css("a::attr(href)").getall():
            link = urlsplit(response.urljoin(href))
            same_listing = (link.netloc, link.path) == (here.netloc, here.path)
            if same_listing and parse_qs(link.query).get("page") == [str(page + 1)]:
                return link.geturl()
        return None

    def out_of_scope(self, item: ArticleItem) -> str | None:
        if urlsplit(item.url).hostname != REGIONAL_HOST:
            return None
        if (
            names_central_java(item.section)
            or self.article_identity(item.url) in self.section_listed
            or dateline_in_central_java(item.dateline)
        ):
            return None
        return "outside_central_java"

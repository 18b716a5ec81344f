"""Murianews (murianews.com): news of the Muria area (Kudus, Jepara, Pati, Rembang, Blora...).

Facts and their confidence are in ../shared/research/outlets.md §9 and
outlet-evidence-2026-12.md §11 (each is in the ``Outlet`` entry's ``facts``). Since 2024
articles live on berita.murianews.com (and sport.murianews.com) as
``/<author-slug>/<id>/<slug>``; the 2017–2021 site used
``www.murianews.com/YYYY/MM/DD/<id>/<slug>``. The numeric id is the article's identity in both
eras: one id space, 231339 in 2021, 418906 in 2024-08, 455559 in 2025-12 [code].

The new site prints *today's* date in its header, so the publication time is never "the first
date on the page": structured data first, then only the date element under the headline.
No feed or sitemap of Murianews was seen; ``/sitemap.xml`` is tried [guess] and the channel
listings are the dependable source. Their cards are ``.blockbox .card-box`` with ``h3.title``
(sport also ``h5.title``), the section in ``h6.title a`` and the date in the last
``h6.title span`` [code], its format unknown, probably relative ("2 Jam lalu"). Relative
times are only as true as the moment the page was rendered (a cached or saved page lies), so
only absolute listing dates are used to skip old articles and to stop paging. The 2024+ article
page selectors are still unknown [guess].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from parsel import Selector
from scrapy.http import Response

from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import Layout, NewsSpider
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

ARTICLE_URL = re.compile(
    r"^https?://(?:berita|sport)\.murianews\.com/[a-z0-9-]+/(\d{5,7})/[a-z0-9-]+/?(?:[?#].*)?$"
)
LEGACY_ARTICLE_URL = re.compile(
    r"^https?://(?:www\.)?murianews\.com/\d{4}/\d{2}/\d{2}/(\d{5,7})/[a-z0-9-]+/?(?:[?#].*)?$"
)
#: "Murianews, Kudus – " (2024+) and "MuriaNewsCom, Kudus – " (archive).
DATELINE = r"^(?:Murianews|MuriaNewsCom)\s*,\s*(?P<place>[A-Z][A-Za-z .'-]+?)\s*[—–-]{1,2}"

#: A listing entry and where its date may sit: the 2024+ card [code: evidence §11], then the
#: shapes of generic listing scrapers [code: outlets.md §9].
LISTING_ITEM_CSS = ".card-box, article, .latest__item, .news-item"
LISTING_DATE_ATTRIBUTE_CSS = "time::attr(datetime)"
#: A card's date: the last span of its ``h6.title`` (whatever its form).
CARD_DATE_CSS = "h6.title span:last-child ::text"
LISTING_DATE_TEXT_CSS = "time, .date, [class*=date], span"
#: Words that make a listing time relative to the moment the page was rendered.
RELATIVE_TIME = re.compile(r"\b(?:lalu|ago|kemarin|hari ini|baru saja)\b", re.IGNORECASE)
#: Clock-time marker that tells a date span from other spans of a listing entry.
TIME_ZONE_MARK = re.compile(r"\bWI[BT]A?\b")

NOISE = ("figure", "figcaption", "script", "style", "ins", ".ads", ".baca-juga")
#: 2024+ template of berita.murianews.com; class names are guesses (outlets.md §9 "unknown").
BERITA_2024 = OutletSelectors(
    title="h1.detail__title, h1",
    # The date under the headline only: the header's date is today's.
    published=".detail__date",
    authors=".detail__author a",
    section=".detail__category",
    tags=".detail__tags a",
    body=".detail__body",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: The old WordPress site (www, now arsip.murianews.com): WordPress theme classes [guess];
#: its related-article lines run "Baca juga<headline>" without a colon [page].
ARCHIVE_WORDPRESS = OutletSelectors(
    title="h1.entry-title, h1",
    published=".entry-meta time, time.entry-date",
    authors=".entry-meta .author a",
    section=".cat-links a",
    tags=".tags-links a",
    body=".entry-content",
    noise=(
        *NOISE,
        ".wp-caption",
        ".sharedaddy",
        ".jp-relatedposts",
        "p:contains('Baca juga')",
        "p:contains('Baca Juga')",
    ),
    dateline_pattern=DATELINE,
)


def listing_date(entry: Selector) -> datetime | None:
    """The absolute publication time a listing entry shows, if any (relative ones are ignored)."""
    texts = entry.css(LISTING_DATE_ATTRIBUTE_CSS).getall()
    texts.append(" ".join(entry.css(CARD_DATE_CSS).getall()).strip())
    for element in entry.css(LISTING_DATE_TEXT_CSS):
        text = " ".join(element.css("::text").getall()).strip()
        if element.root.tag == "span" and not TIME_ZONE_MARK.search(text):
            continue
        texts.append(text)
    for text in texts:
        if not text or RELATIVE_TIME.search(text):
            continue
        try:
            return parse_indonesian_datetime(text)
        except DateParseError:
            continue
    return None


class MurianewsSpider(NewsSpider):
    name = "murianews"
    outlet = Outlet(
        name="Murianews",
        media_type="Jateng",
        domains=("murianews.com",),
        discovery=("robots-sitemaps", "sitemap-index", "listing"),
        status="experimental",
        home_region="33.19",
        notes=(
            "berita.murianews.com (2024+) and the 2017-2021 www URLs; 2024+ selectors and the "
            "sitemap are guesses; the header shows today's date (outlets.md §9, evidence §11)"
        ),
        facts=(
            Fact(
                "URLs berita|sport.murianews.com/<author>/<id>/<slug>, archive "
                "www.murianews.com/YYYY/MM/DD/<id>/<slug>; one id space",
                "seen-in-code",
                "outlets.md §9; evidence §11",
            ),
            Fact(
                "listing cards .blockbox .card-box: h3.title, h6.title a, last h6.title span "
                "= date",
                "seen-in-code",
                "evidence §11",
            ),
            Fact(
                "channels berita.murianews.com/, /cek-fakta, /nasional",
                "seen-in-code",
                "outlets.md §9",
            ),
            Fact("header shows today's date", "seen-in-saved-page", "outlets.md §9"),
            Fact(
                "datelines 'Murianews, Kudus – ' and 'MuriaNewsCom, Kudus – '",
                "seen-in-saved-page",
                "outlets.md §9",
            ),
            Fact(
                "2024+ article selectors .detail__title, .detail__date, .detail__body",
                "guessed",
                "outlets.md §9, evidence §11: not found",
            ),
            Fact("listing card date format", "guessed", "evidence §11: probably relative"),
            Fact("sitemaps /sitemap.xml", "guessed", "outlets.md §9: none found"),
        ),
    )
    robots_urls = ("https://berita.murianews.com/robots.txt",)
    sitemap_urls = (
        "https://berita.murianews.com/sitemap.xml",
        "https://www.murianews.com/sitemap.xml",
    )
    listing_urls = (
        "https://berita.murianews.com/",
        "https://berita.murianews.com/cek-fakta",
        "https://berita.murianews.com/nasional",
    )
    article_patterns = (ARTICLE_URL, LEGACY_ARTICLE_URL)
    layouts = (
        Layout("murianews-2024", BERITA_2024, detect=".detail__body"),
        Layout(
            "murianews-archive",
            ARCHIVE_WORDPRESS,
            detect=".entry-content",
            valid_until=date(2023, 12, 31),
        ),
    )

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Links of listing entries with the entry's absolute date, then every other link."""
        for entry in response.css(LISTING_ITEM_CSS):
            published = listing_date(entry)
            for href in entry.css("a::attr(href)").getall():
                yield response.urljoin(href), published, None
        yield from super().listing_entries(response)

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """No next page once the page's last dated entry predates the window.

        Listings run newest first, so the following pages are older still.
        """
        dates = [
            shown for entry in response.css(LISTING_ITEM_CSS) if (shown := listing_date(entry))
        ]
        if dates and dates[-1] < self.window.since:
            self.crawler.stats.inc_value("crawler/listing/stopped_at_window")
            return None
        return super().next_listing_url(response, page)

"""Tribun Jateng (jateng.tribunnews.com): the Tribun network's Central Java channel.

Facts and their confidence are in ../shared/research/outlets.md §3 and
outlet-evidence-2026-12.md §4 (each is in the ``Outlet`` entry's ``facts``); the classic template
is read from real Tribun network pages (../shared/fixtures/real/tribun/: solo.tribunnews.com
2020, the same CMS as jateng.tribunnews.com, and tribunnews.com 2015).

* Access: the network's CloudFront answers 403 to non-browser User-Agents and 200 to a Chrome
  User-Agent with a bot suffix [code, www, verified live 2026-07]; the project's default
  User-Agent is that (``crawler.downloader.user_agent``).
* URLs: classic ``/YYYY/MM/DD/<slug>`` and, on www in 2026, ``/<section>/YYYY/MM/DD/<slug>``
  (self-canonical; no id: identity is the canonical URL) [code; guess for jateng], and since
  2025 ``/<section>/<6-8 digit id>/<slug>`` (the id is the identity) [code].
* Discovery: the news sitemap named in robots.txt, else ``/sitemap.xml`` (a sitemap index of
  section news sitemaps on www) or ``/sitemap-news.xml`` [code: www; guess: jateng]; RSS
  ``/rss`` [code], whose items on www all linked the home page in 2026 (such items are skipped
  by the feed reader) [code: www; guess: jateng]; the dated index
  ``index-news?date=YYYY-M-D&page=N``, items ``ul.lsi li h3 a`` with ``time.grey`` as
  ``Jumat, 24 Juli 2026 17:25 WIB`` and topic links (``h4.red``) that are no articles, pager
  ``#paginga .paging a`` [code]. ``/tag/``, ``/topic/`` and ``/search`` are disallowed to
  crawlers by robots.txt [code: www].
* Page (2026): JSON-LD ``@graph`` NewsArticle with ``author`` as a list and a separate
  ``editor``; the time is the ``time[datetime]`` after "Tayang:"; the story is
  ``div.side-article.txt-article``, holding a "Ringkasan Berita" summary
  (``blockquote.summary-article``) and ad slots (``div.ads-placeholder``) that are no story
  [code: www, live-checked].
* Paged stories: the pager ``div.paging`` (2026: ``div.pagination-wrap`` with ``span.total-page``
  "Halaman 1/2" and ``div.page-number a[rel=page-N]``) links ``?page=N``; ``?page=all`` shows
  the whole story [code, older], so the layouts declare a single-page view; where it is
  missing the pages are walked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

from scrapy.http import Response

from crawler.extraction.layouts import Layout
from crawler.extraction.pagination import SinglePageView
from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import NewsSpider
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

NEW_ARTICLE_URL = re.compile(
    r"^https?://jateng\.tribunnews\.com/(?!\d{4}/)[a-z0-9-]+/(\d{6,8})/[a-z0-9-]+/?(?:[?#].*)?$"
)
CLASSIC_ARTICLE_URL = re.compile(
    r"^https?://jateng\.tribunnews\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?(?:[?#].*)?$"
)
#: ``/<section>/YYYY/MM/DD/<slug>`` (www, 2026).
SECTION_DATED_ARTICLE_URL = re.compile(
    r"^https?://jateng\.tribunnews\.com/(?!\d{4}/)[a-z0-9-]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?"
    r"(?:[?#].*)?$"
)
#: A dated index item and its time ("Jumat, 24 Juli 2026 17:25 WIB").
INDEX_ITEM = "ul.lsi li"
INDEX_ITEM_LINK = "h3 a::attr(href)"
INDEX_ITEM_TIME = "time.grey ::text"
CLOCK_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
#: ``TRIBUNJATENG.COM, SEMARANG - `` (and the network's ``TRIBUNSOLO.COM, JAKARTA --``).
DATELINE = r"^TRIBUN[A-Z]*\.COM\s*,\s*(?P<place>[A-Z][A-Z .'-]*?[A-Z])\s*[-–—]{1,2}"
#: In-body boxes that are not the story: "• related" links, the 2026 "Ringkasan Berita" summary
#: and ad slots, photos, scripts.
NOISE = (
    "p.baca",
    "blockquote.summary-article",
    "div.ads-placeholder",
    "figure",
    "figcaption",
    "script",
    "style",
    "ins",
    "iframe",
    ".baca-juga",
)
PAGER = SinglePageView(links="div.paging a", query="page=all")

CLASSIC = OutletSelectors(
    title="h1#arttitle",
    published="div.bdr3 time",
    authors="#penulis a",
    tags="h5.tagcloud3 a",
    body="div.side-article.txt-article",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: 2015: the date is an ``<h3>`` under the headline and the writer a plain "Penulis:" line.
EARLY = OutletSelectors(
    title="h1#arttitle",
    published="div.bdr3 h3",
    tags="h5.tagcloud3 a",
    body="div.side-article.txt-article",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: Anything else (the unverified 2025 template): structured data and the generic reader.
STRUCTURED_ONLY = OutletSelectors(noise=NOISE, dateline_pattern=DATELINE)


def item_time(texts: list[str]) -> datetime | None:
    """An index item's time, if it shows a clock time (a bare day would read as midnight)."""
    text = " ".join(" ".join(texts).split())
    if not CLOCK_TIME.search(text):
        return None
    try:
        return parse_indonesian_datetime(text)
    except DateParseError:
        return None


class TribunJatengSpider(NewsSpider):
    name = "tribunjateng"
    outlet = Outlet(
        name="Tribun Jateng",
        media_type="Jateng",
        domains=("jateng.tribunnews.com",),
        discovery=("robots-sitemaps", "news-sitemap", "rss", "listing"),
        status="experimental",
        home_region="33.74",
        notes=(
            "classic template read from real Tribun network pages, 2026 page features from "
            "code; CloudFront refuses non-browser User-Agents; jateng's sitemaps and feed "
            "unverified (outlets.md §3, outlet-evidence-2026-12.md §4); ?page=all for paged stories"
        ),
        facts=(
            Fact(
                "CloudFront 403 to non-browser User-Agents, 200 to Chrome + bot suffix",
                "seen-in-code",
                "evidence §4 (www, verified live 2026-07-24; jateng inferred)",
            ),
            Fact(
                "URLs /YYYY/MM/DD/<slug> and /<section>/<7-digit id>/<slug>",
                "seen-in-code",
                "outlets.md §3; evidence §4",
            ),
            Fact(
                "URL /<section>/YYYY/MM/DD/<slug> (no id, self-canonical)",
                "seen-in-code",
                "evidence §4 (www; on jateng guessed)",
            ),
            Fact(
                "classic template h1#arttitle, div.bdr3 time, #penulis a, "
                "div.side-article.txt-article, h5.tagcloud3 a, p.baca",
                "seen-in-saved-page",
                "fixtures/real/tribun (solo.tribunnews.com 2020)",
            ),
            Fact(
                "2026 page: JSON-LD @graph, time[datetime] after 'Tayang:', noise "
                "blockquote.summary-article and div.ads-placeholder",
                "seen-in-code",
                "evidence §4 (www, live-checked)",
            ),
            Fact(
                "pager div.paging (pagination-wrap, a[rel=page-N]) linking ?page=N",
                "seen-in-code",
                "evidence §4",
            ),
            Fact("?page=all shows the whole story", "seen-in-code", "outlets.md §3 (older code)"),
            Fact(
                "dated index index-news?date=YYYY-M-D&page=N, ul.lsi li h3 a, time.grey",
                "seen-in-code",
                "outlets.md §3; evidence §4",
            ),
            Fact(
                "RSS /rss with article links",
                "guessed",
                "outlets.md §3; evidence §4: www /rss linked only the home page",
            ),
            Fact(
                "news sitemap /sitemap-news.xml or the /sitemap.xml index on jateng",
                "guessed",
                "evidence §4: seen on www only",
            ),
        ),
    )
    robots_urls = ("https://jateng.tribunnews.com/robots.txt",)
    sitemap_urls = (
        "https://jateng.tribunnews.com/sitemap.xml",
        "https://jateng.tribunnews.com/sitemap-news.xml",
    )
    feed_urls = ("https://jateng.tribunnews.com/rss",)
    dated_listing_urls = (
        "https://jateng.tribunnews.com/index-news?date={day.year}-{day.month}-{day.day}",
    )
    article_patterns = (NEW_ARTICLE_URL, CLASSIC_ARTICLE_URL, SECTION_DATED_ARTICLE_URL)
    layouts = (
        Layout("tribun-classic", CLASSIC, detect="h1#arttitle", pagination=PAGER),
        # [guess] the end of the 2015 template is not known; only its look is.
        Layout(
            "tribun-2015",
            EARLY,
            detect="h1#arttitle",
            valid_until=date(2016, 12, 31),
            pagination=PAGER,
        ),
        Layout("tribun-structured", STRUCTURED_ONLY),
    )

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Index items with the time they show (``time.grey``); topic links are no items."""
        for item in response.css(INDEX_ITEM):
            href = item.css(INDEX_ITEM_LINK).get()
            if href:
                yield response.urljoin(href), item_time(item.css(INDEX_ITEM_TIME).getall()), None

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager link to page ``page + 1`` (the pager numbers pages; it has no "next")."""
        for href in response.css("#paginga .paging a::attr(href)").getall():
            query = parse_qs(urlsplit(response.urljoin(href)).query)
            if query.get("page") == [str(page + 1)]:
                return href
        return None

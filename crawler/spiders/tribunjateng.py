"""Tribun Jateng (jateng.tribunnews.com): the Tribun network's Central Java channel.

Facts and their confidence are in ../shared/research/outlets.md §3; the templates are read from
real Tribun network pages (../shared/fixtures/real/tribun/: solo.tribunnews.com 2020, the same
CMS as jateng.tribunnews.com, and tribunnews.com 2015).

* URLs: classic ``/YYYY/MM/DD/<slug>`` (no id: identity is the canonical URL) and, since 2025,
  ``/<section>/<6-8 digit id>/<slug>`` (the id is the identity) [code].
* Discovery: RSS ``/rss`` [code]; the dated index ``index-news?date=YYYY-M-D&page=N`` with
  items ``ul.lsi li h3 a`` and pager ``#paginga .paging a`` [code]; the news sitemap named in
  robots.txt or ``/sitemap-news.xml`` [guess], which may answer 403 to non-browsers [code].
* Paged stories: the pager ``div.paging`` links ``?page=N``; ``?page=all`` shows the whole
  story [code], so the layouts declare a single-page view.
* The 2025 template behind the new URLs is unverified [guess: still the classic one]; a page
  that matches no layout is read with structured data and the generic reader.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from scrapy.http import Response

from crawler.extraction.selectors import OutletSelectors
from crawler.layouts import Layout
from crawler.outlets import Outlet
from crawler.pagination import SinglePageView
from crawler.spiders.base import NewsSpider

NEW_ARTICLE_URL = re.compile(
    r"^https?://jateng\.tribunnews\.com/(?!\d{4}/)[a-z0-9-]+/(\d{6,8})/[a-z0-9-]+/?(?:[?#].*)?$"
)
CLASSIC_ARTICLE_URL = re.compile(
    r"^https?://jateng\.tribunnews\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?(?:[?#].*)?$"
)
#: ``TRIBUNJATENG.COM, SEMARANG - `` (and the network's ``TRIBUNSOLO.COM, JAKARTA --``).
DATELINE = r"^TRIBUN[A-Z]*\.COM\s*,\s*(?P<place>[A-Z][A-Z .'-]*?[A-Z])\s*[-–—]{1,2}"
#: In-body boxes that are not the story: "• related" links, photos, ad slots, scripts.
NOISE = ("p.baca", "figure", "figcaption", "script", "style", "ins", "iframe", ".baca-juga")
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
            "classic template read from real Tribun network pages; the 2025 template and the "
            "news sitemap are unverified (outlets.md §3); ?page=all for paged stories"
        ),
    )
    robots_urls = ("https://jateng.tribunnews.com/robots.txt",)
    sitemap_urls = ("https://jateng.tribunnews.com/sitemap-news.xml",)
    feed_urls = ("https://jateng.tribunnews.com/rss",)
    dated_listing_urls = (
        "https://jateng.tribunnews.com/index-news?date={day.year}-{day.month}-{day.day}",
    )
    listing_link_css = "ul.lsi li h3 a::attr(href)"
    article_patterns = (NEW_ARTICLE_URL, CLASSIC_ARTICLE_URL)
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

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager link to page ``page + 1`` (the pager numbers pages; it has no "next")."""
        for href in response.css("#paginga .paging a::attr(href)").getall():
            query = parse_qs(urlsplit(response.urljoin(href)).query)
            if query.get("page") == [str(page + 1)]:
                return href
        return None

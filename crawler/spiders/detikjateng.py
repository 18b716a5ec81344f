"""detikJateng (www.detik.com/jateng): detik's Central Java channel.

Facts and their confidence are in ../shared/research/outlets.md §4 and
outlet-evidence-2026-12.md §7 (each is in the ``Outlet`` entry's ``facts``); the templates are
read from real detik pages (../shared/fixtures/real/detik/: the 2022 ``detail__*`` template,
the older ``read__*`` template still used by some channels in 2022, the 2021 ``detail_text``
long-form template and the 2015 ``text_detail`` template).

* URLs: ``/jateng/<section>/d-<id>/<slug>``; the numeric id is the identity [code]. The channel
  also carries DIY stories under ``/jateng/jogja/``, skipped unless ``-a include_jogja=true``
  (counted under ``crawler/skipped/jogja``). Photo and video pages are not articles [code].
* Discovery: RSS ``/jateng/rss`` [code]; the dated index ``/jateng/indeks?date=MM/DD/YYYY``
  whose cards carry the publication time as an epoch ``d-time`` [code][page], followed through
  its "Next" link; per-section news sitemaps ``/jateng/<section>/sitemap_news.xml`` [code].
* Dates: meta ``pubdate`` is WIB behind a fake ``Z``; JSON-LD is right (the extractor knows).
* Noise in the story (2026): "Baca juga" boxes ``.noncontent`` and ``.linksisip``, the parallax
  ad ``.parallaxindetail`` with its ``.ads-scrollpage-*`` parts, ``div-gpt-ad`` slots [code];
  the 2022 pages' ``.paradetail`` [page].
* Paged stories: detik is said to use ``?single=1`` [guess]; no paged page was seen, so no
  layout declares pagination.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from scrapy.http import Response

from crawler.extraction.layouts import Layout
from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.base import NewsSpider, argument_flag
from crawler.utils.timezones import WIB

ARTICLE_URL = re.compile(
    r"^https?://www\.detik\.com/jateng/(?!foto|video)[a-z0-9-]+/d-(\d{6,9})/[a-z0-9-]+/?"
    r"(?:[?#].*)?$"
)
JOGJA_SECTION = "/jateng/jogja/"
#: Sections with a news sitemap each [code: berita, bisnis, wisata, hukum-dan-kriminal].
SITEMAP_SECTIONS = ("berita", "bisnis", "wisata", "hukum-dan-kriminal")
#: In-body boxes that are not the story: parallax ads, "Baca juga" tables, tag rows, photos.
NOISE = (
    ".paradetail",
    ".parallaxindetail",
    "[class*=ads-scrollpage]",
    "[id^=div-gpt-ad]",
    ".noncontent",
    ".linksisip",
    "table.linksisip",
    "table.pic_artikel_sisip_table",
    ".detail__body-tag",
    ".detail__media",
    "figure",
    "script",
    "style",
)

DETAIL = OutletSelectors(
    title="h1.detail__title",
    published="div.detail__date",
    section="div.detail__category a, .page__breadcrumb a:nth-of-type(2)",
    tags=".detail__body-tag a.nav__item",
    body="div.detail__body-text",
    noise=NOISE,
)
READ = OutletSelectors(
    title=".read__head h1",
    published=".read__head .date",
    section=".read__head .breadcrumb a:nth-of-type(2)",
    tags=".detail_tag a",
    body=".read__content",
    noise=(*NOISE, ".detail_tag"),
)
DETAIL_TEXT = OutletSelectors(
    title=".jdl h1",
    published=".jdl .date",
    body="div.detail_text",
    noise=NOISE,
)
EARLY = OutletSelectors(
    title="h1",
    published=".content_detail .date, .jdl .date",
    body="div.text_detail",
    noise=NOISE,
)


class DetikJatengSpider(NewsSpider):
    name = "detikjateng"
    outlet = Outlet(
        name="detikJateng",
        media_type="Jateng",
        domains=("www.detik.com",),
        discovery=("news-sitemap", "rss", "listing"),
        status="experimental",
        home_region="33.74",
        notes=(
            "www.detik.com/jateng only; /jateng/jogja/ (DIY) skipped unless -a include_jogja=true; "
            "dated indeks with epoch d-time (outlets.md §4, evidence §7)"
        ),
        facts=(
            Fact(
                "URLs /jateng/<section>/d-<id>/<slug>; /jateng/jogja/ is DIY",
                "seen-in-code",
                "outlets.md §4",
            ),
            Fact("RSS /jateng/rss", "seen-in-code", "outlets.md §4"),
            Fact(
                "dated indeks /jateng/indeks?date=MM/DD/YYYY&page=N, cards with epoch d-time",
                "seen-in-code",
                "outlets.md §4; evidence §7",
            ),
            Fact(
                "section news sitemaps /jateng/<section>/sitemap_news.xml",
                "seen-in-code",
                "outlets.md §4",
            ),
            Fact(
                "templates detail__*, read__*, detail_text, text_detail",
                "seen-in-saved-page",
                "fixtures/real/detik",
            ),
            Fact(
                "noise .noncontent, .parallaxindetail, [class*=ads-scrollpage], [id^=div-gpt-ad]",
                "seen-in-code",
                "evidence §7 (2026)",
            ),
            Fact("paged stories ?single=1", "guessed", "outlets.md §4 (not used)"),
        ),
    )
    sitemap_urls = tuple(
        f"https://www.detik.com/jateng/{section}/sitemap_news.xml" for section in SITEMAP_SECTIONS
    )
    feed_urls = ("https://www.detik.com/jateng/rss",)
    #: ``date=MM/DD/YYYY`` with the slashes percent-encoded (the same query to the server).
    dated_listing_urls = ("https://www.detik.com/jateng/indeks?date={day:%m%%2F%d%%2F%Y}",)
    listing_next_css = 'a.pagination__item:contains("Next")::attr(href)'
    article_patterns = (ARTICLE_URL,)
    layouts = (
        Layout("detik-detail", DETAIL, detect="div.detail__body-text"),
        Layout("detik-read", READ, detect=".read__content"),
        Layout("detik-detail-text", DETAIL_TEXT, detect="div.detail_text"),
        # [guess] when detik left the 2015 template is not known; only its look is.
        Layout("detik-2015", EARLY, detect="div.text_detail", valid_until=date(2017, 12, 31)),
    )

    def __init__(self, *args: Any, include_jogja: str | bool | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.include_jogja = argument_flag(include_jogja)
        self.jogja_seen: set[str] = set()
        if self.include_jogja:
            self.sitemap_urls = (
                *type(self).sitemap_urls,
                "https://www.detik.com/jateng/jogja/sitemap_news.xml",
            )

    def is_article_url(self, url: str) -> bool:
        if not super().is_article_url(url):
            return False
        if JOGJA_SECTION in url and not self.include_jogja:
            if url not in self.jogja_seen:
                self.jogja_seen.add(url)
                self.crawler.stats.inc_value("crawler/skipped/jogja")
            return False
        return True

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """Index cards: link, title and the epoch ``d-time`` publication time."""
        for card in response.css("article.list-content__item"):
            href = card.css("h3 a.media__link::attr(href), a.media__link::attr(href)").get()
            if not href:
                continue
            epoch = card.css(".media__date [d-time]::attr(d-time)").get("")
            published = datetime.fromtimestamp(int(epoch), WIB) if epoch.isdigit() else None
            title = " ".join(card.css("h3 a.media__link ::text").getall()).strip() or None
            yield response.urljoin(href), published, title

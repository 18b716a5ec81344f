"""The Jawa Pos radars of Central Java (Semarang, Solo, Magelang, Kudus): one base, two platforms.

Facts from ../shared/research/outlet-evidence-2026-12.md §3 and outlets.md §5, marked [code] (a
public scraper relies on it), [page] (a saved page shows it) or [guess]. The radars are
subdomains of jawapos.com and moved platform one at a time during 2025-26, so every radar
reads both:

* **ProMedia "promedia-2"** (2024 to early 2026; the PRMN family Suara Merdeka is on): 9-digit
  ids whose first two digits are the publisher (radarmagelang 68…, radarkudus 69…, radarsolo
  84…) [code]; template ``read__*`` with the story in ``.read__content`` and "Baca Juga" in
  ``strong.read__others`` [code]; long stories paged with ``?page=N`` [code: radarmagelang]
  through the family's ``a.paging__link`` pager [guess: PRMN].
* **The 2026 app**: 10-digit ids ``YYMMDD`` + a 4-digit sequence [code]; the article as JSON
  in ``div[data-page]`` and/or ``__NEXT_DATA__`` (:mod:`crawler.spiders.jawapos_app`), its
  ``content`` the whole story, so no paging [code: www]. Pages whose JSON holds no article and
  whose HTML holds hardly any text are JavaScript shells, rendered by the browser when the
  ``browser`` extra is installed [code: a 2026 Radar Semarang scraper renders them].

Both: article URLs ``/<category>/<id>/<slug>``, the id (9 or 10 digits) being the identity
[code]; the dated index ``/indeks-berita?daterange=<D Month YYYY> - <D Month YYYY>&page=N`` with
English month names, one per window, paged [code: 2024-25, ProMedia]; its cards
``div.latest__item`` with ``a.latest__link`` and ``date.latest__date`` [code]; the home page's
links [guess]. No radar RSS was ever seen, so none is read. The story ends before the
platform's closing blocks ("Editor :", "Bagikan:", "Artikel Terkait"...) [code]; the dateline
is ``RADARSEMARANG.ID, Semarang –`` [code], other radars with their own brand [guess]. Radar
subdomains answered plain clients with a Cloudflare "Just a moment..." challenge (2025-11)
[code]: such pages are block pages (``crawler.downloader.blocking``), never articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import scrapy
from lxml import html as lxml_html
from scrapy.http import Response

from crawler.downloader.browser import is_javascript_shell, is_rendered, render_or_skip
from crawler.extraction.block import parse_html
from crawler.extraction.layouts import ArticlePage, Layout
from crawler.extraction.next_data import overlay
from crawler.extraction.pagination import PageLinks
from crawler.extraction.selectors import OutletSelectors
from crawler.items import ArticleItem
from crawler.spiders.base import NewsSpider
from crawler.spiders.jawapos_app import has_app_article, listed_articles, read_app_article
from crawler.utils.dates import DateParseError, parse_indonesian_datetime
from crawler.utils.request_meta import PAGED_META
from crawler.utils.timezones import WIB

#: ``RADARSEMARANG.ID, Semarang –``; any radar's brand, with or without ``.ID``/``.COM``.
DATELINE = (
    r"^RADAR\s?[A-Z]+(?:\.(?:ID|COM))?\s*,\s*(?P<place>[A-Z][A-Za-z .'-]*?[A-Za-z])\s*[-–—]{1,2}"
)
#: Paragraphs that open the platform's blocks after the story: nothing from there on is story.
STOP_MARKERS = re.compile(
    r"^(?:Editor\s*:|Bagikan\s*:|Artikel Terkait|Berita Terkini|KONTEN PROMOSI|Populer\b|"
    r"Ikuti Saluran)",
    re.IGNORECASE,
)
NOISE = (
    "strong.read__others",
    "strong.readmore",
    ".photo",
    ".ads",
    "center",
    "figure",
    "script",
    "style",
    "iframe",
    "ins",
)
#: The dated index; its ``daterange`` spells months in English [code].
INDEX_PATH = "/indeks-berita"
ENGLISH_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
#: A 2026 app id: ``YYMMDD`` then a 4-digit sequence of that day.
DAY_ID = re.compile(r"^(\d\d)(\d\d)(\d\d)\d{4}$")

READ = OutletSelectors(
    title="h1.read__title",
    published=".read__info__date",
    authors=".read__info__author",
    section=".breadcrumb__wrap .breadcrumb__item:last-child a",
    tags=".tag__list a",
    body=".read__content",
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: Pages with the app's JSON (fields from the JSON) or in no known template (structured
#: data and the generic reader).
PLAIN = OutletSelectors(noise=NOISE, dateline_pattern=DATELINE)


class AppLayout(Layout):
    """The 2026 app: a page whose embedded JSON holds an article."""

    def matches(self, root: lxml_html.HtmlElement) -> bool:
        return super().matches(root) and has_app_article(root)


LAYOUTS = (
    AppLayout("jawapos-app", PLAIN, detect="[data-page], script#__NEXT_DATA__"),
    Layout(
        "promedia-read",
        READ,
        detect=".read__content",
        pagination=PageLinks(links=".paging a.paging__link"),
    ),
    Layout("radar-plain", PLAIN),
)


def article_url(host: str) -> re.Pattern[str]:
    """Article URLs of one radar; group 1 is the 9-digit (ProMedia) or 10-digit (app) id."""
    return re.compile(
        rf"^https?://{re.escape(host)}/[a-z0-9-]+/(\d{{9,10}})/[a-z0-9-]+/?(?:[?#].*)?$"
    )


def english_day(day: date) -> str:
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def index_url(host: str, first: date, last: date, page: int = 1) -> str:
    """The dated index of ``first``..``last`` (``daterange=2 July 2025 - 3 July 2025``)."""
    daterange = f"{english_day(first)} - {english_day(last)}"
    query = urlencode({"daterange": daterange, "page": page}, quote_via=quote)
    return f"https://{host}{INDEX_PATH}?{query}"


def with_page(url: str, page: int) -> str:
    """``url`` asking for page ``page``, its query spelled as :func:`index_url` spells it."""
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "page"]
    query = urlencode([*query, ("page", str(page))], quote_via=quote)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def id_day(article_id: str) -> date | None:
    """The publication day a 10-digit app id encodes (``2607240073``: 24 July 2026)."""
    match = DAY_ID.match(article_id)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(2000 + year, month, day)
    except ValueError:
        return None


def body_before_stop_marker(body: list[str]) -> list[str]:
    for index, paragraph in enumerate(body):
        if STOP_MARKERS.match(paragraph):
            return body[:index]
    return body


def shown_date(text: str | None) -> datetime | None:
    try:
        return parse_indonesian_datetime(text) if text else None
    except DateParseError:
        return None


class JawaPosRadarSpider(NewsSpider):
    """Base of the Jawa Pos radar outlets; a module per radar gives its host and facts."""

    layouts = LAYOUTS

    @property
    def host(self) -> str:
        """The radar's host (``radarsemarang.jawapos.com``), from its registry entry."""
        return self.outlet.domains[0]

    def dated_listings(self) -> list[str]:
        """One index request for the whole window (the index takes a date range)."""
        return [index_url(self.host, self.window.since.date(), self.window.until.date())]

    def listing_entries(
        self, response: Response
    ) -> Iterable[tuple[str, datetime | None, str | None]]:
        """ProMedia cards (link, shown time, title), else every link; plus the page's JSON lists.

        A page with the ProMedia card list reads only its cards, even when it is empty: the
        other links (most read, related) are older stories.
        """
        promedia = response.css(".latest__wrap, .latest__item")
        for link in response.css("a.latest__link" if promedia else "a[href]"):
            href = link.attrib.get("href", "").strip()
            if not href:
                continue
            card = link.xpath("ancestor::*[contains(concat(' ', @class, ' '), ' latest__item ')]")
            shown = " ".join(card.css(".latest__date ::text").getall()).strip() if card else ""
            title = " ".join(" ".join(link.css("::text").getall()).split()) or None
            yield response.urljoin(href), shown_date(shown), title
        for address, published, title in listed_articles(parse_html(response.text)):
            yield response.urljoin(address), shown_date(published), title

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The dated index's next page (callers ask for ``page=N`` [code]); nothing else pages."""
        if urlsplit(response.url).path.rstrip("/") != INDEX_PATH:
            return None
        return with_page(response.url, page + 1)

    def date_undated_candidates(self) -> None:
        """Date undated candidates whose 10-digit id names a day wholly outside the window.

        They get a time of that day, outside the window, so they are skipped unfetched.
        """
        since, until = self.window.since, self.window.until
        for candidate in self.candidates.values():
            key = candidate.identity.removeprefix(f"{self.name}:")
            day = id_day(key) if candidate.published is None else None
            if day is None:
                continue
            start = datetime.combine(day, time.min, WIB)
            end = start + timedelta(days=1) - timedelta(microseconds=1)
            if end < since:
                candidate.published = end
            elif start > until:
                candidate.published = start

    def read_page(self, response: Response, layouts: Iterable[Layout] | None = None) -> ArticlePage:
        """The page with the app JSON's fields over the HTML's, cut at the closing blocks."""
        page = super().read_page(response, layouts)
        structured = read_app_article(page.root, url=response.url, noise=NOISE, dateline=DATELINE)
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
        """A page to render: not rendered yet, a JavaScript shell, no article in its JSON."""
        if is_rendered(response) or not is_javascript_shell(response):
            return False
        return not has_app_article(parse_html(response.text), response.url)

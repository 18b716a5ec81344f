"""The Disway network's regional sites: one template, one spider base, one module per outlet.

Radar Tegal and Radar Banyumas are Disway sites (``<radar>.disway.id``), not Jawa Pos ones
(../shared/research/outlet-evidence-2026-12.md §1-2). Each fact below is marked with how it is
known: [code] a public scraper relies on it, [page] saved pages or scraped rows show it,
[guess] inferred from a sibling site or the platform.

* Article URLs ``/<kategori>/read/<id>/<slug>`` (2026) and ``/read/<id>/<slug>`` (2024); the
  numeric id is the identity [code]. Ids grow with publication time on each site [page: 92
  scraped Radar Tegal rows]: :meth:`DiswaySpider.date_undated_candidates` uses that.
* Listings ``/kategori/<name>`` and the home page, cards ``h2.media-heading a`` [code], paged
  by offset (``/kategori/lokal/30``) through a CodeIgniter pager ``ul.pagination li
  a[data-ci-pagination-page]`` whose attribute is the page number [code]. Cards show no date.
* Section RSS such as ``/rss/purwokerto`` [code: Radar Banyumas]; ``/rss`` [guess: sibling
  radarcirebon.disway.id/rss].
* Article page [code]: title ``div.post h1``, date ``span.date`` as ``Kamis
  05-03-2026,06:50 WIB``, story = the ``p`` of ``div.post.text-black-1``, tags
  ``ul.list-inline li a[href*='/listtag/']`` (shown with a ``#``), section = the breadcrumb's
  second link. Long stories are paged with the same CodeIgniter pager (offsets after the
  article URL: ``<url>/15``, ``<url>/30``) [code].
* The story opens with the caption of the page's photo, repeated on every page, then the
  dateline ``PEMALANG, radartegal.com - `` [page]; "BACA JUGA" lines, "Cek Berita dan
  Artikel lainnya di Google News", a lone ``--`` or ``(*)`` and captions closed by the
  photographer's name between dashes (``-Hermas Purwadi-``) are not story [code][page].
* Access: plain requests with a browser User-Agent work; no JavaScript needed [code].
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import html as lxml_html
from scrapy.http import Response

from crawler.extraction.dateline import find_dateline
from crawler.extraction.layouts import ArticlePage, Layout
from crawler.extraction.pagination import PageLinks
from crawler.extraction.selectors import OutletSelectors, select
from crawler.items import ArticleItem
from crawler.spiders.base import NewsSpider, PagedArticle
from crawler.utils.request_meta import PAGED_META
from crawler.utils.urls import canonicalize_url

#: ``PEMALANG, radartegal.com - `` (any Disway radar's brand, old ``.com`` or ``.disway.id``).
DATELINE = (
    r"^(?P<place>[A-Z][A-Za-z .'-]*?[A-Za-z])\s*,\s*radar[a-z]+\.(?:com|disway\.id)\s*[-–—]{1,2}"
)
#: CodeIgniter's pager: the attribute holds the page number whatever the link's URL shape.
PAGER_LINKS = "ul.pagination li a[data-ci-pagination-page]"
PAGE_ATTRIBUTE = "data-ci-pagination-page"
BODY = "div.post.text-black-1"
NOISE = ("script", "style", "iframe", "ins", "figure")
#: Whole paragraphs that are not story: link lines, end marks.
NOT_STORY = re.compile(r"^(?:BACA JUGA\b.*|-{1,2}|\(\*+\))$")
#: A photo caption closed by the photographer's name between dashes ("... -Hermas Purwadi-").
CAPTION_CREDIT = re.compile(r"\s-\s?[A-Z][\w.']*(?:\s[A-Z][\w.']*){0,3}\s?-$")
#: The dateline is looked for in this many opening paragraphs; what precedes it is captions.
MAX_LEAD_PARAGRAPHS = 3


@dataclass(frozen=True)
class CodeIgniterPages(PageLinks):
    """Pager links numbered by their ``data-ci-pagination-page`` attribute, not their URL."""

    def linked_pages(self, root: lxml_html.HtmlElement, page_url: str) -> dict[int, str]:
        pages: dict[int, str] = {}
        for link in select(root, self.links):
            number = (link.get(PAGE_ATTRIBUTE) or "").strip()
            href = (link.get("href") or "").strip()
            if not number.isdigit() or not href or href.startswith("#"):
                continue
            absolute = urljoin(page_url, href)
            if urlsplit(absolute).scheme in ("http", "https"):
                pages.setdefault(int(number), absolute)
        return pages


POST = OutletSelectors(
    title="div.post h1",
    published="span.date",
    section=".entry-content ul.breadcrumb li:nth-child(2) a",
    tags="ul.list-inline li a[href*='/listtag/']",
    body=BODY,
    noise=NOISE,
    dateline_pattern=DATELINE,
)
#: A page without the post template: structured data and the generic reader.
PLAIN = OutletSelectors(noise=NOISE, dateline_pattern=DATELINE)


def article_url(host: str) -> re.Pattern[str]:
    """Article URLs of one Disway site; group 1 is the article id."""
    return re.compile(
        rf"^https?://{re.escape(host)}/(?:[a-z0-9-]+/)?read/(\d+)/[a-z0-9-]+/?(?:[?#].*)?$"
    )


def split_lead(body: list[str]) -> tuple[list[str], list[str]]:
    """(captions, story): the paragraphs before the opening dateline, and the rest."""
    for index, paragraph in enumerate(body[:MAX_LEAD_PARAGRAPHS]):
        if find_dateline(paragraph, DATELINE):
            return body[:index], body[index:]
    return [], body


def is_story(paragraph: str) -> bool:
    return not (NOT_STORY.match(paragraph) or CAPTION_CREDIT.search(paragraph))


class DiswaySpider(NewsSpider):
    """Base of the Disway outlets; a module per outlet gives host, feeds and listings."""

    layouts = (
        Layout("disway-post", POST, detect=BODY, pagination=CodeIgniterPages(PAGER_LINKS)),
        Layout("disway-plain", PLAIN),
    )
    listing_link_css = "h2.media-heading a::attr(href)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Page 1 captions of paged articles (by item URL): every page repeats them.
        self.captions: dict[str, list[str]] = {}

    def next_listing_url(self, response: Response, page: int) -> str | None:
        """The pager's link numbered ``page + 1`` (offsets in the URL, the number in the link).

        None once this page reaches below the newest article known to predate the window:
        the next page holds only older ones.
        """
        newest_before, _ = self.id_bounds()
        listed = [
            int(key)
            for url, _, _ in self.listing_entries(response)
            if self.is_article_url(url) and (key := self.numeric_id(self.article_identity(url)))
        ]
        if newest_before and listed and min(listed) < newest_before[0]:
            return None
        for link in response.css(PAGER_LINKS):
            if link.attrib.get(PAGE_ATTRIBUTE, "").strip() == str(page + 1):
                return link.attrib.get("href")
        return None

    def read_page(self, response: Response, layouts: Iterable[Layout] | None = None) -> ArticlePage:
        """The page without its photo captions and the network's non-story lines."""
        page = super().read_page(response, layouts)
        article = page.article
        paged: PagedArticle | None = response.meta.get(PAGED_META)
        if paged is None:
            captions, story = split_lead(article.body)
            if captions and page.is_paged(response.url):
                url = canonicalize_url(response.url, canonical_hint=article.url)
                self.captions[url] = captions
        else:
            repeated = self.captions.get(paged.item.url, [])
            story = article.body
            while story and story[0] in repeated:
                story = story[1:]
        article.body = [paragraph for paragraph in story if is_story(paragraph)]
        article.dateline = find_dateline(article.body[0], DATELINE) if article.body else None
        if article.layers.get("tags") == "selectors":
            article.tags = [tag.lstrip("#").strip() for tag in article.tags if tag.strip("# ")]
        return page

    def next_page_or_item(self, paged: PagedArticle) -> Iterable[scrapy.Request | ArticleItem]:
        for result in super().next_page_or_item(paged):
            if isinstance(result, ArticleItem):
                self.captions.pop(result.url, None)
            yield result

    def id_bounds(self) -> tuple[tuple[int, datetime] | None, tuple[int, datetime] | None]:
        """(id, date) of the newest candidate dated before the window and the oldest after it."""
        dated = [
            (int(key), c.published)
            for c in self.candidates.values()
            if c.published is not None and (key := self.numeric_id(c.identity))
        ]
        before = [(key, at) for key, at in dated if at < self.window.since]
        after = [(key, at) for key, at in dated if at > self.window.until]
        return max(before, default=None), min(after, default=None)

    def date_undated_candidates(self) -> None:
        """Date undated candidates by their ids, which grow with publication time.

        A candidate without a date whose id is below that of a candidate dated before the
        window is older than the window: it gets that date as an upper bound, so it is skipped
        without being fetched; likewise above a candidate dated after the window.
        """
        newest_before, oldest_after = self.id_bounds()
        for candidate in self.candidates.values():
            key = self.numeric_id(candidate.identity)
            if candidate.published is not None or not key:
                continue
            if newest_before and int(key) < newest_before[0]:
                candidate.published = newest_before[1]
            elif oldest_after and int(key) > oldest_after[0]:
                candidate.published = oldest_after[1]

    def numeric_id(self, identity: str) -> str | None:
        """The article id of a candidate identity (``radartegal:723237``), or None."""
        prefix = f"{self.name}:"
        key = identity.removeprefix(prefix)
        return key if identity.startswith(prefix) and key.isdigit() else None

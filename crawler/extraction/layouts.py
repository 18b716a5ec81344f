"""Article templates of an outlet, and which one reads a given page.

Outlets change templates; archived pages keep the old one. A spider lists its layouts newest
first, each with a ``detect`` selector and the last publication day it was used for
(``valid_until``, None while current). Choosing one for a page:

1. When the page's publication day is known, the layouts whose era covers that day are tried,
   the tightest era first (the layout that ended soonest after the day), each only if its
   ``detect`` matches: a date must not force a template onto a page that does not have it.
   The day comes from the page's structured data (JSON-LD, meta), else from discovery (feed,
   sitemap, dated index; a sitemap's ``lastmod`` may be a later edit, so the page's own claim
   goes first), else from a ``/YYYY/MM/DD/`` date in the URL path.
2. Otherwise, or when none of those matches, the newest layout whose ``detect`` matches.
3. Failing that, the first layout without ``detect``: one that names no template, only what
   holds for every page of the outlet (noise rules, the dateline, structured data only), and
   whose ``body`` selectors, if any, name the outlet's own story classes. Else no layout:
   structured data and the generic reader read the page.

A template the outlet's layouts do not recognise is never read with another template's
selectors, and no layout's ``body`` is a catch-all (``article``, ``main``, ``body``...):
those would take the whole page, view counters and teasers included, for the story, where
the generic reader knows page furniture when it sees it. Only layouts with a ``detect`` take
part in 1 and 2: ``valid_until`` dates are often estimates, so a template recognised on the
page beats a layout that merely covers the date.

:func:`read_article` is the one path from page to fields, used by the spiders and by the
real-page conformance tests, so both exercise the same choice.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import html as lxml_html

from crawler.extraction import ExtractedArticle, StructuredData, extract_article, read_structured
from crawler.extraction.block import DecodedPage, decode_page, parse_page
from crawler.extraction.pagination import Pagination
from crawler.extraction.selectors import OutletSelectors, select
from crawler.utils.dates import DateParseError, parse_indonesian_datetime
from crawler.utils.timezones import WIB

#: A publication date written into an article URL's path (Tribun, Kompas, old detik).
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")


@dataclass(frozen=True)
class Layout:
    """One version of an outlet's article template.

    ``detect`` is CSS that matches only pages in this template (None: any page);
    ``valid_until`` the last publication day it was used for (None: still current);
    ``pagination`` how a story split over pages is read whole (None: never paged).
    """

    name: str
    selectors: OutletSelectors
    detect: str | None = None
    valid_until: date | None = None
    pagination: Pagination | None = None

    def covers(self, day: date) -> bool:
        return self.valid_until is None or day <= self.valid_until

    def matches(self, root: lxml_html.HtmlElement) -> bool:
        return self.detect is None or bool(select(root, self.detect))


@dataclass
class ArticlePage:
    """One fetched article page, read with the layout chosen for it."""

    article: ExtractedArticle
    layout: Layout | None
    #: The page, decoded or as received (decoded only if the tree is asked for again).
    source: DecodedPage | bytes
    #: The publication day used to choose the layout (None: chosen by ``detect`` only).
    day: date | None = None
    #: The parsed page; None when it was read in another process (``root`` parses it again).
    tree: lxml_html.HtmlElement | None = field(default=None, repr=False)
    #: Page URL -> the pages of this article its pager links to, once looked up.
    links: dict[str, dict[int, str]] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> lxml_html.HtmlElement:
        if self.tree is None:
            source = self.source
            self.tree = parse_page(
                source if isinstance(source, DecodedPage) else decode_page(source)
            )
        return self.tree

    def linked_pages(self, url: str) -> dict[int, str]:
        """Pages of this article the layout's pager links to (empty when not paged)."""
        if url not in self.links:
            pagination = self.layout.pagination if self.layout else None
            self.links[url] = pagination.linked_pages(self.root, url) if pagination else {}
        return dict(self.links[url])

    def is_paged(self, url: str) -> bool:
        """Whether this page is one of several pages of its article."""
        return max(self.linked_pages(url), default=1) > 1


def choose_layout(
    layouts: Sequence[Layout], root: lxml_html.HtmlElement, day: date | None = None
) -> Layout | None:
    """The layout that reads ``root`` (see the module docstring for the order)."""
    if not layouts:
        return None
    detectable = [layout for layout in layouts if layout.detect is not None]
    if day is not None:
        era = sorted(
            (layout for layout in detectable if layout.covers(day)),
            key=lambda layout: layout.valid_until or date.max,
        )
        detectable = era + [layout for layout in detectable if layout not in era]
    for layout in detectable:
        if layout.matches(root):
            return layout
    return next((layout for layout in layouts if layout.detect is None), None)


def date_in_url(url: str) -> date | None:
    match = URL_DATE.search(url)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def structured_published(structured: StructuredData) -> datetime | None:
    """The publication time JSON-LD or meta tags state, if any parses."""
    for text in (structured.jsonld.published, structured.meta.published):
        if text:
            try:
                return parse_indonesian_datetime(text)
            except DateParseError:
                continue
    return None


def publication_day(
    root: lxml_html.HtmlElement,
    url: str,
    discovered: datetime | None = None,
    *,
    structured: StructuredData | None = None,
) -> date | None:
    """The day the page was published, from structured data, discovery or the URL (WIB).

    ``structured``: the page's structured data when already read from ``root``.
    """
    moment = structured_published(structured or read_structured(root)) or discovered
    if moment is not None:
        return moment.astimezone(WIB).date() if moment.tzinfo else moment.date()
    return date_in_url(url)


def read_article(
    html: str | bytes | DecodedPage,
    url: str,
    layouts: Sequence[Layout],
    *,
    discovered: datetime | None = None,
    now: datetime | None = None,
    publishers: Collection[str] = (),
) -> ArticlePage:
    """Choose the layout for a page and extract the article with its selectors.

    ``html``: the page, or the page already decoded (``decode_page``).
    ``publishers``: names of outlets (the registry's), never taken for an author.
    """
    page = html if isinstance(html, DecodedPage) else decode_page(html)
    root = parse_page(page)
    structured = read_structured(root)
    day = publication_day(root, url, discovered, structured=structured) if layouts else None
    layout = choose_layout(layouts, root, day)
    article = extract_article(
        page.text,
        url,
        selectors=layout.selectors if layout else None,
        now=now,
        root=root,
        structured=structured,
        publishers=publishers,
    )
    return ArticlePage(article, layout, page, day, tree=root)

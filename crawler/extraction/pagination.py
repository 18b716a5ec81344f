"""Articles split over several pages: how a layout declares it, and how pages are joined.

Outlets page long stories two ways, and a layout names which:

* :class:`SinglePageView`: the outlet also serves the whole story at one address (Tribun and
  Kompas ``?page=all``, iNews ``/all``). One more request after page 1; when the view turns out
  not to hold more text than page 1 (the outlet dropped the feature), the pages are walked
  instead, so a wrong declaration costs a request, not the article.
* :class:`PageLinks`: pages are fetched one by one from the pager's links (Suara Merdeka and
  the PRMN network ``?page=N`` with ``a.paging__link``; iNews ``ul.paginationContent a``).

Either way the pager on page 1 tells whether the article is paged at all: a page is paged when
its pager links to a page number above 1. Pages are fetched in page order and joined; a run of
paragraphs that ends one page and starts the next (some outlets repeat the last paragraph) is
kept once. The item's URL is page 1's canonical URL, its other fields come from page 1.

**A page that fails** (after Scrapy's retries and the block-page retries) is counted under
``crawler/failed/page_<reason>`` and the article is still delivered, with what arrived, and
marked: ``extraction["pages_missing"]`` lists the missing page numbers. A partial article is
worth more to a media monitor than none (page 1 carries headline, date, dateline and lead);
the flag lets consumers decide. ``extraction["pages"]`` is ``"<joined>/<known>"`` for every
paged article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from crawler.extraction.selectors import select

#: The page number in a ``?page=N`` (or ``&page=N``) query.
PAGE_QUERY_NUMBER = re.compile(r"[?&]page=(\d+)(?:[&#]|$)")
#: The page number as a last path segment (``/berita/slug/4``), as iNews writes it.
PAGE_PATH_NUMBER = re.compile(r"/(\d{1,3})/?(?:[?#].*)?$")
#: Longest run of paragraphs looked for where one page ends and the next begins.
MAX_BOUNDARY_OVERLAP = 3
#: Keys this module writes into an item's ``extraction`` dict.
PAGES_KEY = "pages"
PAGES_MISSING_KEY = "pages_missing"


@dataclass(frozen=True)
class Pagination:
    """The pager of a layout: ``links`` is CSS for its ``<a>`` elements (page numbers, next).

    ``page_number`` finds a link's page number in its absolute URL (group 1); a link without
    one is page 1 (the bare article URL).
    """

    links: str
    page_number: re.Pattern[str] = PAGE_QUERY_NUMBER

    def linked_pages(self, root: lxml_html.HtmlElement, page_url: str) -> dict[int, str]:
        """Page number -> absolute URL, for every page the pager links to."""
        pages: dict[int, str] = {}
        for link in select(root, self.links):
            href = (link.get("href") or "").strip()
            absolute = urljoin(page_url, href) if href and not href.startswith("#") else ""
            if urlsplit(absolute).scheme not in ("http", "https"):
                continue
            match = self.page_number.search(absolute)
            pages.setdefault(int(match.group(1)) if match else 1, absolute)
        return pages

    def is_paged(self, root: lxml_html.HtmlElement, page_url: str) -> bool:
        """Whether the page is one of several pages of its article."""
        return max(self.linked_pages(root, page_url), default=1) > 1


@dataclass(frozen=True)
class PageLinks(Pagination):
    """Fetch every page from the pager's links, in page order, and join them."""


@dataclass(frozen=True)
class SinglePageView(Pagination):
    """Fetch the outlet's whole-story view instead of the pages.

    ``query`` (``"page=all"``, ``"single=1"``) replaces any query parameter of the same name;
    ``path_suffix`` (``"/all"``) is appended to the path instead when given.
    """

    query: str | None = "page=all"
    path_suffix: str | None = None

    def view_url(self, url: str) -> str:
        parts = urlsplit(url)
        if self.path_suffix:
            path = parts.path.rstrip("/") + self.path_suffix
            return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        name, _, value = (self.query or "").partition("=")
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
        query = urlencode([*kept, (name, value)], safe="/")
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def boundary_overlap(previous: Sequence[str], following: Sequence[str]) -> int:
    """Length of the longest paragraph run that ends ``previous`` and starts ``following``."""
    longest = min(len(previous), len(following), MAX_BOUNDARY_OVERLAP)
    for size in range(longest, 0, -1):
        if list(previous[-size:]) == list(following[:size]):
            return size
    return 0


def join_pages(bodies: Sequence[Sequence[str]]) -> list[str]:
    """Paragraphs of consecutive pages as one body, each page-boundary repeat kept once."""
    joined: list[str] = []
    for body in bodies:
        joined.extend(body[boundary_overlap(joined, body) :])
    return joined


@dataclass
class PageAssembly:
    """The pages of one article while they arrive; page 1 is known from the start.

    ``pending`` holds pages linked but not yet fetched; pages are handed out lowest number
    first, so the joined body is in page order even when later pagers reveal more pages.
    """

    first_body: list[str]
    pending: dict[int, str] = field(default_factory=dict)
    bodies: dict[int, list[str]] = field(default_factory=dict)
    failed: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.bodies.setdefault(1, list(self.first_body))

    def add_links(self, pages: dict[int, str]) -> None:
        """Remember pages a pager links to that are neither fetched nor failed yet."""
        for number, url in pages.items():
            if number not in self.bodies and number not in self.failed:
                self.pending.setdefault(number, url)

    def next_page(self) -> tuple[int, str] | None:
        """The lowest-numbered page still to fetch (removed from ``pending``), or None."""
        if not self.pending:
            return None
        number = min(self.pending)
        return number, self.pending.pop(number)

    def received(self, number: int, body: list[str]) -> None:
        self.bodies[number] = body

    def page_failed(self, number: int) -> None:
        self.failed.add(number)

    def view_received(self, body: list[str], known_pages: int) -> None:
        """The whole-story view arrived: it is the body, and stands for every known page."""
        self.bodies = {number: [] for number in range(2, known_pages + 1)}
        self.bodies[1] = body
        self.pending.clear()

    @property
    def known_pages(self) -> int:
        return max([*self.bodies, *self.pending, *self.failed], default=1)

    def joined_body(self) -> list[str]:
        return join_pages([self.bodies[number] for number in sorted(self.bodies)])

    def flags(self) -> dict[str, str]:
        """What the item's ``extraction`` records about its pages (see the module docstring)."""
        flags = {PAGES_KEY: f"{len(self.bodies)}/{self.known_pages}"}
        if self.failed:
            flags[PAGES_MISSING_KEY] = ",".join(str(number) for number in sorted(self.failed))
        return flags

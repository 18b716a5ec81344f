"""Read XML sitemaps, including the Google News fields Scrapy's SitemapSpider drops.

A news sitemap's `news:publication_date` lets the spider skip articles outside the date window
without fetching them, and `news:title` / `news:keywords` are free metadata. Element names are
matched by local name only, so the sitemaps.org 0.9 namespace, a missing namespace and the
old Google 0.84 namespace all read the same; image and video extensions are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.xml import UnsafeOrInvalidXML, parse_xml_safely
from crawler.utils.dates import parse_indonesian_datetime

SitemapKind = Literal["urlset", "sitemapindex"]

#: Root element local name -> the name of its entry elements.
ENTRY_ELEMENT_BY_KIND: dict[str, str] = {"urlset": "url", "sitemapindex": "sitemap"}

ROBOTS_SITEMAP_DIRECTIVE = "sitemap"

#: A four-digit year: present in every absolute date format sitemaps and feeds use.
ABSOLUTE_DATE_HINT = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass
class SitemapEntry:
    """One `<url>` (or, in an index, one `<sitemap>`) with the fields the crawler uses."""

    loc: str
    lastmod: datetime | None = None
    publication_date: datetime | None = None
    news_title: str | None = None
    keywords: list[str] = field(default_factory=list)


@dataclass
class Sitemap:
    """A parsed sitemap: an index pointing at sitemaps, or a urlset pointing at pages."""

    kind: SitemapKind
    entries: list[SitemapEntry]


def local_name(element: etree._Element) -> str:
    """The tag without its namespace; "" for comments and processing instructions."""
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname


def child_text(element: etree._Element, name: str) -> str | None:
    """Stripped text of the first direct child called `name` (any namespace), None if empty."""
    for child in element:
        if local_name(child) == name:
            text = "".join(child.itertext()).strip()
            return text or None
    return None


def child_element(element: etree._Element, name: str) -> etree._Element | None:
    """The first direct child called `name` in any namespace."""
    for child in element:
        if local_name(child) == name:
            return child
    return None


def parse_absolute_date(text: str | None) -> datetime | None:
    """An aware WIB datetime, or None when absent or unreadable (one bad date must not cost the
    whole sitemap).

    Only absolute dates are accepted (text holding a four-digit year): a machine-written date
    never says "kemarin", and reading such words relative to the crawl time would invent dates.
    """
    if not text or not ABSOLUTE_DATE_HINT.search(text):
        return None
    try:
        return parse_indonesian_datetime(text)
    except ValueError:
        return None


def _split_keywords(text: str | None) -> list[str]:
    if not text:
        return []
    return [keyword.strip() for keyword in text.split(",") if keyword.strip()]


def _parse_entry(element: etree._Element) -> SitemapEntry | None:
    loc = child_text(element, "loc")
    if not loc:
        return None
    entry = SitemapEntry(loc=loc, lastmod=parse_absolute_date(child_text(element, "lastmod")))
    news = child_element(element, "news")
    if news is not None:
        entry.publication_date = parse_absolute_date(child_text(news, "publication_date"))
        entry.news_title = child_text(news, "title")
        entry.keywords = _split_keywords(child_text(news, "keywords"))
    return entry


def parse_sitemap(body: bytes, *, problems: list[str] | None = None) -> Sitemap:
    """Parse a sitemap or sitemap index body (plain or gzipped).

    Raises UnsafeOrInvalidXML for unsafe or unparseable XML and for XML whose root is neither
    `urlset` nor `sitemapindex` (an HTML error page served with status 200, for instance).
    Markup that had to be skipped to read the rest is appended to `problems`.
    """
    root = parse_xml_safely(body, problems=problems)
    kind = local_name(root)
    entry_name = ENTRY_ELEMENT_BY_KIND.get(kind)
    if entry_name is None:
        raise UnsafeOrInvalidXML(f"not a sitemap: root element is <{kind or root.tag}>")
    entries = [
        entry
        for element in root
        if local_name(element) == entry_name and (entry := _parse_entry(element)) is not None
    ]
    return Sitemap(kind=kind, entries=entries)  # type: ignore[arg-type]


def sitemap_urls_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt, in order, without duplicates.

    The directive is case-insensitive and independent of user-agent groups; relative values
    (not allowed by the standard but seen in the wild) are resolved against `base_url`.
    """
    urls: list[str] = []
    for line in robots_txt.splitlines():
        directive, separator, value = line.split("#", 1)[0].partition(":")
        if not separator or directive.strip().lower() != ROBOTS_SITEMAP_DIRECTIVE:
            continue
        value = value.strip()
        if not value:
            continue
        url = urljoin(base_url, value)
        if url not in urls:
            urls.append(url)
    return urls

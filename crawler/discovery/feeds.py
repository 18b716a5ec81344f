"""Read RSS (0.9x, 1.0, 2.0) and Atom feeds into article URLs with their metadata.

A feed is the cheapest discovery source: one request lists the newest articles with their
publication times, so out-of-window items are never fetched. Elements are matched by local
name, which covers the RSS 1.0 / Atom / Dublin Core namespaces without a namespace table.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from crawler.discovery.sitemaps import child_text, local_name, parse_absolute_date
from crawler.discovery.xml import UnsafeOrInvalidXML, parse_xml_safely
from crawler.utils.timezones import WIB

#: Root elements (local names) of the feed formats we read.
FEED_ROOTS = frozenset({"rss", "RDF", "feed"})

#: Item elements: RSS `item`, Atom `entry`.
ITEM_ELEMENTS = frozenset({"item", "entry"})

#: Atom link relations that point at the entry's own page (no rel means alternate).
ATOM_PAGE_RELS = frozenset({"", "alternate"})

#: Date elements in order of preference: publication before update.
DATE_ELEMENTS = ("pubDate", "published", "issued", "date", "created", "updated", "modified")

#: RSS `author` is "email (Name)" or a bare email; the name is what we keep.
RSS_AUTHOR_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
EMAIL_ONLY = re.compile(r"^\s*\S+@\S+\s*$")


@dataclass
class FeedEntry:
    """One feed item: where the article is and what the feed says about it."""

    url: str
    title: str | None = None
    published: datetime | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def parse_feed_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, dc:date) as aware WIB; None if absent or unreadable."""
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return parse_absolute_date(text)
    if moment.tzinfo is None:
        # "-0000" is UTC with an unknown local zone (RFC 5322); no zone at all means WIB.
        zone = UTC if text.rstrip().endswith("-0000") else WIB
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(WIB)


def _is_web_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def is_site_root(url: str) -> bool:
    """Whether ``url`` is a site's home page, which feeds give where they lost the item's link.

    Regional Antara feeds leave ``<link>`` empty and www.tribunnews.com's ``/rss`` links every
    item to the home page (outlet-evidence-2026-12.md §4, §5); the item's own address, if
    any, is then its ``guid`` (RSS) or ``id`` (Atom); an item without one is skipped.
    """
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _guid_url(item: etree._Element, name: str) -> str | None:
    """The item's ``guid``/``id`` when it is a web address (``isPermaLink`` is often wrong)."""
    for child in item:
        if local_name(child) == name:
            guid = "".join(child.itertext()).strip()
            if _is_web_url(guid) and not is_site_root(guid):
                return guid
    return None


def _rss_url(item: etree._Element) -> str | None:
    link = ""
    for child in item:
        link = "".join(child.itertext()).strip() if local_name(child) == "link" else ""
        if link:
            break
    if link and not is_site_root(link):
        return link
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    about = about.strip() if about else ""
    return _guid_url(item, "guid") or (about if about and not is_site_root(about) else None)


def _atom_url(entry: etree._Element) -> str | None:
    href = ""
    for child in entry:
        if local_name(child) != "link":
            continue
        href = (child.get("href") or "").strip()
        if href and (child.get("rel") or "").strip() in ATOM_PAGE_RELS:
            break
        href = ""
    if href and not is_site_root(href):
        return href
    return _guid_url(entry, "id")


def _authors(item: etree._Element) -> list[str]:
    names: list[str] = []
    for child in item:
        name = local_name(child)
        if name == "creator":
            candidates = _split_creators("".join(child.itertext()))
        elif name == "author":
            atom_name = child_text(child, "name")
            candidates = [atom_name] if atom_name else [_rss_author_name(child)]
        else:
            continue
        names.extend(c for c in candidates if c and c not in names)
    return names


def _split_creators(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split(",")]


def _rss_author_name(element: etree._Element) -> str:
    text = " ".join("".join(element.itertext()).split())
    if match := RSS_AUTHOR_NAME.match(text):
        return match.group("name").strip()
    return "" if EMAIL_ONLY.match(text) else text


def _categories(item: etree._Element) -> list[str]:
    categories: list[str] = []
    for child in item:
        if local_name(child) not in ("category", "subject"):
            continue
        value = child.get("term") or child.get("label") or "".join(child.itertext())
        value = " ".join(value.split())
        if value and value not in categories:
            categories.append(value)
    return categories


def _published(item: etree._Element) -> datetime | None:
    for name in DATE_ELEMENTS:
        moment = parse_feed_date(child_text(item, name))
        if moment is not None:
            return moment
    return None


def _parse_item(item: etree._Element) -> FeedEntry | None:
    url = _atom_url(item) if local_name(item) == "entry" else _rss_url(item)
    if not url:
        return None
    return FeedEntry(
        url=url,
        title=" ".join((child_text(item, "title") or "").split()) or None,
        published=_published(item),
        authors=_authors(item),
        categories=_categories(item),
    )


def parse_feed(body: bytes, *, problems: list[str] | None = None) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed body, in feed order; items without a URL are skipped.

    Raises UnsafeOrInvalidXML for unsafe or unparseable XML and for XML that is not a feed.
    Markup that had to be skipped to read the rest is appended to `problems`.
    """
    root = parse_xml_safely(body, problems=problems)
    if local_name(root) not in FEED_ROOTS:
        raise UnsafeOrInvalidXML(f"not a feed: root element is <{local_name(root) or root.tag}>")
    return [
        entry
        for element in root.iter()
        if local_name(element) in ITEM_ELEMENTS and (entry := _parse_item(element)) is not None
    ]

"""Tidy extracted text and times so later stages compare like with like.

Only reshapes what extraction found (whitespace, control characters, duplicates, time
zone); it never fills in a missing field from guesses, apart from the crawl's own
timestamp and the URL key derived from the URL itself.

Control characters are stripped from every text of the item, nested lists and mappings
included: pages carry NUL, BEL, terminal escape sequences (``ESC [ 31 m``) and lone UTF-16
surrogates (from JSON-LD ``\\ud800`` escapes), which would garble a terminal, break the clipping
layout (a form feed separates records) or make the UTF-8 feed writers fail. Whitespace
controls are not lost text: a tab, line break or form feed inside a title or a body
paragraph is a word boundary and becomes one space (a body's paragraphs are its list
entries, so a line break inside one is only a wrapped line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.utils.control_characters import strip_control_characters
from crawler.utils.timezones import WIB
from crawler.utils.urls import canonicalize_url, url_hash

#: Single-value text fields whose whitespace is collapsed (None when nothing is left).
TEXT_FIELDS = ("title", "section", "dateline")
#: Text fields that are one line whatever they hold (the clipping writes them on one line).
SINGLE_LINE_FIELDS = ("outlet_name", "media_type")

#: List fields whose entries are collapsed and whose empty entries are dropped.
TEXT_LIST_FIELDS = ("authors", "tags", "body")

#: List fields that are also deduplicated (case-insensitively, first spelling kept).
DEDUPLICATED_LIST_FIELDS = ("authors", "tags")

#: Datetime fields converted to WIB when they carry a zone.
TIME_FIELDS = ("published", "modified", "crawled_at")

#: Invisible characters HTML templates leave in text; str.split() does not treat them as spaces.
INVISIBLE_CHARACTERS = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def strip_controls_everywhere(value: Any) -> Any:
    """``value`` with control characters stripped from every string in it, at any depth."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(strip_controls_everywhere(entry) for entry in value)
    if isinstance(value, dict):
        return {key: strip_controls_everywhere(entry) for key, entry in value.items()}
    return value


def collapse_whitespace(text: str) -> str:
    """One plain space between words (NBSP, tabs and newlines included), no edges.

    Most text arrives collapsed already (extraction collapses it): ``str.isprintable`` is
    False for every character that is whitespace other than the plain space, and for the
    invisible ones, so printable text without two spaces or an edge space is returned as it
    is (a 400-character paragraph in 1.4 against 21 us through ``str.translate``).
    """
    if text.isprintable():
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text
        return " ".join(text.split())
    return " ".join(INVISIBLE_CHARACTERS.sub("", text).split())


def _clean_list(values: Iterable[Any], *, deduplicate: bool) -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = collapse_whitespace(str(value)) if value is not None else ""
        if not text or (deduplicate and text.casefold() in seen):
            continue
        seen.add(text.casefold())
        cleaned.append(text)
    return cleaned


def to_wib(value: datetime) -> datetime:
    """The same instant in WIB; a naive time is left as is, since its zone is unknown."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(WIB)


def keyed_by_url(key: str | None, url: str) -> bool:
    """Whether ``key`` is the hash of ``url``: the spider keyed the item by the URL it had
    already made canonical, so it is not canonicalized a second time."""
    return bool(key) and key == url_hash(url)


class NormalizePipeline:
    """Collapse whitespace, dedupe authors and tags, express times in WIB, key the URL."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def canonical_url(self, url: str) -> str:
        """The spider's canonical form when it has one (the generic spider keeps http for a
        site without https), else ``crawler.utils.urls.canonicalize_url``'s."""
        spider = getattr(self.crawler, "spider", None)
        return getattr(spider, "canonical_url", canonicalize_url)(url)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in adapter.field_names():
            if name in adapter:
                adapter[name] = strip_controls_everywhere(adapter[name])
        for name in SINGLE_LINE_FIELDS:
            if isinstance(adapter.get(name), str):
                adapter[name] = collapse_whitespace(adapter[name])
        for name in TEXT_FIELDS:
            if isinstance(adapter.get(name), str):
                adapter[name] = collapse_whitespace(adapter[name]) or None
        for name in TEXT_LIST_FIELDS:
            if adapter.get(name):
                adapter[name] = _clean_list(
                    adapter[name], deduplicate=name in DEDUPLICATED_LIST_FIELDS
                )
        for name in TIME_FIELDS:
            if isinstance(adapter.get(name), datetime):
                adapter[name] = to_wib(adapter[name])
        if adapter.get("crawled_at") is None:
            adapter["crawled_at"] = datetime.now(WIB)
        url = adapter.get("url")
        if url and not keyed_by_url(adapter.get("url_hash"), url):
            adapter["url"] = self.canonical_url(url)
            if not adapter.get("url_hash"):
                adapter["url_hash"] = url_hash(adapter["url"])
        return item

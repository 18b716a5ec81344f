"""What the 2026 Jawa Pos app embeds in its pages as JSON: the article, and listed articles.

During 2026 the Jawa Pos group moved its subdomains from ProMedia to a new app
(../shared/research/outlet-evidence-2026-12.md §3). Its pages carry their data as JSON in a
``data-page`` attribute (an Inertia-style app, ``{"component", "props", "url"}``; read from
radar pages by a 2026 monitor [code]) and/or Next.js's ``script#__NEXT_DATA__``
(www.jawapos.com, the article at ``props.pageProps.article`` [code]). Where the article sits
in ``data-page`` is not known, so it is looked for: a known path first, else the object under
``props`` that has a ``title`` and the longest ``content``.

Article fields [code: www]: ``title``, ``content`` (HTML; the whole story, even when the page
shows it in parts), ``published_at`` (``YYYY-MM-DD HH:MM:SS``, no zone: WIB),
``authors[].name``, ``category.name``, ``tags[].name``; no modified date. Listings hold article
objects with a URL and ``published_at`` (www's ``initialArticles.data``) [code].
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.extraction.cleaning import collapse_whitespace
from crawler.extraction.dateline import find_dateline
from crawler.extraction.generic import clean_name, title_key
from crawler.extraction.next_data import NEXT_DATA_LAYER, next_data
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.wp_rest import content_paragraphs, rendered_text
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

#: The extraction layer of fields read from a ``data-page`` attribute.
PAGE_DATA_LAYER = "page-data"
PAGE_DATA = "//*[@data-page]/@data-page"
#: Where an article is expected first: Next.js page props, Inertia page props.
ARTICLE_PATHS = (("props", "pageProps", "article"), ("props", "article"))
#: How deep the search for an article or listed articles goes, and how many objects it visits.
MAX_DEPTH = 8
MAX_OBJECTS = 5000
#: Keys whose string value may be an article's address.
URL_KEYS = ("url", "link", "permalink", "href", "canonical_url", "share_url")


def page_data(root: lxml_html.HtmlElement) -> dict[str, Any] | None:
    """The first ``data-page`` attribute that holds a JSON object, or None."""
    for text in root.xpath(PAGE_DATA):
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def embedded(root: lxml_html.HtmlElement) -> list[tuple[str, dict[str, Any]]]:
    """(layer, JSON object) of every data carrier on the page, ``data-page`` first."""
    found = [(PAGE_DATA_LAYER, page_data(root)), (NEXT_DATA_LAYER, next_data(root))]
    return [(layer, data) for layer, data in found if data is not None]


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value`` (itself included), depth first, bounded."""
    stack = [(value, 0)]
    visited = 0
    while stack and visited < MAX_OBJECTS:
        current, level = stack.pop()
        if isinstance(current, dict):
            visited += 1
            yield current
            children = list(current.values())
        elif isinstance(current, list):
            children = list(current)
        else:
            continue
        if level < MAX_DEPTH:
            stack.extend((child, level + 1) for child in reversed(children))


def is_article(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("title"), str)
        and isinstance(value.get("content"), str)
        and bool(value["title"].strip() and value["content"].strip())
    )


def belongs_to(value: dict[str, Any], url: str) -> bool:
    """Whether an article object may be the one at ``url``: its id, slug or path is in it.

    An object that names none of them is not ruled out.
    """
    marks = [str(value[key]) for key in ("id", "slug") if value.get(key) not in (None, "")]
    address = value.get("url")
    if isinstance(address, str) and urlsplit(address).path.strip("/"):
        marks.append(urlsplit(address).path.rstrip("/"))
    return not marks or any(mark in url for mark in marks)


def find_article(data: dict[str, Any], url: str | None = None) -> dict[str, Any] | None:
    """The article in a page's JSON: at a known path, else the longest one under ``props``.

    Found by search, an object that belongs to another address (a related story's excerpt,
    when the page's own article is missing) is not the page's article.
    """
    for path in ARTICLE_PATHS:
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if is_article(value):
            return value
    found = [
        value
        for value in objects(data.get("props", data))
        if is_article(value) and (url is None or belongs_to(value, url))
    ]
    return max(found, key=lambda value: len(value["content"]), default=None)


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_indonesian_datetime(value)
    except DateParseError:
        return None


def _names(value: Any) -> list[str]:
    """Names of a list of ``{"name": ...}`` objects or strings, or of one such object."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for entry in values:
        raw = entry.get("name") if isinstance(entry, dict) else entry
        name = clean_name(collapse_whitespace(raw)) if isinstance(raw, str) else None
        if name and name not in names:
            names.append(name)
    return names


def article_fields(
    data: dict[str, Any], layer: str, *, noise: tuple[str, ...] = (), dateline: str | None = None
) -> ExtractedArticle:
    """An app article object as extracted fields, each recorded under ``layer``."""
    category = data.get("category")
    title = rendered_text(data["title"])
    body = content_paragraphs(data["content"], noise)
    if body and title and title_key(body[0]) == title_key(title):
        body = body[1:]
    values: dict[str, Any] = {
        "title": title,
        "published": _date(data.get("published_at")),
        "modified": _date(data.get("updated_at")),
        "authors": _names(data.get("authors") or data.get("author")),
        "section": (
            rendered_text(category["name"])
            if isinstance(category, dict) and isinstance(category.get("name"), str)
            else None
        ),
        "tags": _names(data.get("tags")),
        "body": body,
    }
    article = ExtractedArticle()
    for name, value in values.items():
        if value not in (None, "", []):
            setattr(article, name, value)
            article.layers[name] = layer
    if article.body:
        article.dateline = find_dateline(article.body[0], dateline)
    return article


def has_app_article(root: lxml_html.HtmlElement, url: str | None = None) -> bool:
    return any(find_article(data, url) is not None for _, data in embedded(root))


def read_app_article(
    root: lxml_html.HtmlElement,
    *,
    url: str | None = None,
    noise: tuple[str, ...] = (),
    dateline: str | None = None,
) -> ExtractedArticle | None:
    """The article a page at ``url`` embeds (``data-page`` before ``__NEXT_DATA__``), or None."""
    for layer, data in embedded(root):
        article = find_article(data, url)
        if article is not None:
            return article_fields(article, layer, noise=noise, dateline=dateline)
    return None


def listed_articles(root: lxml_html.HtmlElement) -> Iterator[tuple[str, str | None, str | None]]:
    """(address, published_at, title) of every object in the page's JSON that has an address.

    The caller keeps the addresses that are article URLs of its outlet.
    """
    for _, data in embedded(root):
        for value in objects(data.get("props", data)):
            for key in URL_KEYS:
                address = value.get(key)
                if isinstance(address, str) and address.strip():
                    published = value.get("published_at")
                    title = value.get("title")
                    yield (
                        address.strip(),
                        published if isinstance(published, str) else None,
                        title if isinstance(title, str) else None,
                    )
                    break

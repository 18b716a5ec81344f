"""Read the article a Next.js page carries in its ``__NEXT_DATA__`` script.

Jawa Pos network pages are Next.js applications: the server puts the props of the page into
``<script id="__NEXT_DATA__" type="application/json">``, the article under
``props.pageProps.article`` with ``title``, ``content`` (HTML), ``published_at``,
``authors[].name`` and ``category.name`` (outlets.md §5, from public scraper code). Those are
the CMS's own values: a machine date, authors as a list and the story without the page around
it, and they are there even when the visible page is left to JavaScript. ``tags[].name`` and
``updated_at`` are read when present [guess: not seen in code].

The content goes through the same paragraph splitting and cleaning as any page body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from lxml import html as lxml_html

from crawler.extraction.authors import clean_name
from crawler.extraction.cleaning import collapse_whitespace
from crawler.extraction.dateline import find_dateline
from crawler.extraction.generic import title_key
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.wp_rest import content_paragraphs, rendered_text
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

#: The extraction layer name recorded for every field read from ``__NEXT_DATA__``.
NEXT_DATA_LAYER = "next-data"
NEXT_DATA_SCRIPT = "//script[@id='__NEXT_DATA__']/text()"
#: Where the article sits in the page props.
ARTICLE_PATH = ("props", "pageProps", "article")


def next_data(root: lxml_html.HtmlElement) -> dict[str, Any] | None:
    """The page's ``__NEXT_DATA__`` object, or None (absent, not JSON, not an object)."""
    for text in root.xpath(NEXT_DATA_SCRIPT):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None


def next_article(root: lxml_html.HtmlElement) -> dict[str, Any] | None:
    """The ``props.pageProps.article`` object when it holds a title or content."""
    value: Any = next_data(root)
    for key in ARTICLE_PATH:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict) or not (value.get("title") or value.get("content")):
        return None
    return value


def _text(value: Any) -> str | None:
    return rendered_text(value) if isinstance(value, str) else None


def _date(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_indonesian_datetime(value)
    except DateParseError:
        return None


def _names(values: Any) -> list[str]:
    """``name`` of every object in a list, cleaned, without repeats."""
    names: list[str] = []
    for value in values if isinstance(values, list) else []:
        raw = value.get("name") if isinstance(value, dict) else None
        name = clean_name(collapse_whitespace(raw)) if isinstance(raw, str) else None
        if name and name not in names:
            names.append(name)
    return names


def read_next_article(
    root: lxml_html.HtmlElement,
    *,
    noise: Iterable[str] = (),
    dateline_pattern: str | None = None,
) -> ExtractedArticle | None:
    """The article fields of a page's ``__NEXT_DATA__``; None when it carries no article.

    ``noise`` are the outlet's CSS selectors of elements to skip in the content;
    ``dateline_pattern`` its dateline regex (group "place").
    """
    data = next_article(root)
    if data is None:
        return None
    category = data.get("category")
    values: dict[str, Any] = {
        "title": _text(data.get("title")),
        "published": _date(data.get("published_at")),
        "modified": _date(data.get("updated_at")),
        "authors": _names(data.get("authors")),
        "section": _text(category.get("name")) if isinstance(category, dict) else None,
        "tags": _names(data.get("tags")),
        "body": content_paragraphs(str(data.get("content") or ""), noise),
    }
    body, title = values["body"], values["title"]
    if body and title and title_key(body[0]) == title_key(title):
        values["body"] = body[1:]
    article = ExtractedArticle()
    for name, value in values.items():
        if value not in (None, "", []):
            setattr(article, name, value)
            article.layers[name] = NEXT_DATA_LAYER
    if article.body:
        article.dateline = find_dateline(article.body[0], dateline_pattern)
    return article


def overlay(structured: ExtractedArticle, page: ExtractedArticle) -> ExtractedArticle:
    """The page's fields with every field ``structured`` has put over them (layer included)."""
    merged = ExtractedArticle(layers=dict(page.layers))
    for spec in fields(ExtractedArticle):
        if spec.name == "layers":
            continue
        value = getattr(structured, spec.name)
        if value not in (None, "", []):
            setattr(merged, spec.name, value)
            if spec.name in structured.layers:
                merged.layers[spec.name] = structured.layers[spec.name]
        else:
            setattr(merged, spec.name, getattr(page, spec.name))
    if structured.body:  # the dateline belongs to the body it was read from
        merged.dateline = structured.dateline
    return merged

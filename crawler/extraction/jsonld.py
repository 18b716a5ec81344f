"""Layer 1: schema.org JSON-LD.

Sites embed several ``application/ld+json`` blocks (breadcrumbs, the site, the article), nest
the article in ``@graph`` or a top-level list, and often emit JSON that a strict parser refuses
(trailing commas, raw newlines in strings, HTML entities, comments). This module tolerates all
of that and returns the article object's fields as plain strings, leaving date parsing and the
choice between layers to the caller.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from crawler.extraction.cleaning import collapse_whitespace

#: Types that are the article itself, in order of preference.
ARTICLE_TYPES = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "Article",
    "BlogPosting",
    "LiveBlogPosting",
)
#: Types that carry article fields only when nothing better exists (detik adds a WebPage twin).
PAGE_TYPES = ("WebPage", "ItemPage")
#: interactionStatistic types that count readers.
VIEW_ACTIONS = ("WatchAction", "ReadAction", "ViewAction")

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_COMMENT = re.compile(r"<!--|-->|^\s*//.*$", re.MULTILINE)
_CDATA = re.compile(r"<!\[CDATA\[|\]\]>")


@dataclass
class JsonLdArticle:
    """Raw article fields from JSON-LD (dates still text)."""

    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    creators: list[str] = field(default_factory=list)
    publisher: str | None = None
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    body: str | None = None
    url: str | None = None
    views: int | None = None


def parse_blocks(root: lxml_html.HtmlElement) -> list[Any]:
    """Every JSON-LD block on the page that could be decoded, in page order."""
    blocks: list[Any] = []
    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "").lower():
            blocks.extend(loads_lenient(script.text or ""))
    return blocks


def loads_lenient(text: str) -> list[Any]:
    """Decode one script's text, repairing common breakage; [] when hopeless.

    Returns a list because one script sometimes holds several concatenated objects.
    """
    text = _CDATA.sub("", _COMMENT.sub("", text)).strip()
    if not text:
        return []
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        for variant in (candidate, html.unescape(candidate)):
            values = _decode_all(variant)
            if values:
                return values
    return []


def _decode_all(text: str) -> list[Any]:
    """Decode back-to-back JSON values (``strict=False`` lets raw newlines in strings pass)."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position = 0
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return values
        values.append(value)
        while position < len(text) and text[position] in " \t\r\n;,":
            position += 1
    return values


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a decoded block, depth first (covers @graph, lists and nesting)."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def article_objects(blocks: list[Any]) -> list[dict[str, Any]]:
    """Article-like objects, best first: article types, then pages that carry a headline."""
    ranked: list[tuple[int, int, dict[str, Any]]] = []
    for position, obj in enumerate(o for block in blocks for o in _objects(block)):
        kinds = _types(obj)
        for rank, kind in enumerate(ARTICLE_TYPES):
            if kind in kinds:
                ranked.append((rank, position, obj))
                break
        else:
            if kinds & set(PAGE_TYPES) and (obj.get("headline") or obj.get("datePublished")):
                ranked.append((len(ARTICLE_TYPES), position, obj))
    return [obj for _, _, obj in sorted(ranked, key=lambda item: item[:2])]


def _text(value: Any) -> str | None:
    """A scalar as collapsed text; dicts give their name/@id, lists their first usable item."""
    if isinstance(value, list):
        return next((t for t in map(_text, value) if t), None)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@id") or value.get("url"))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return collapse_whitespace(html.unescape(str(value))) or None
    return None


def _people(value: Any) -> list[str]:
    """Names of persons in an author/creator value; organisations are skipped."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, list):
            names.extend(_people(item))
        elif isinstance(item, dict):
            if "Organization" in _types(item) or "NewsMediaOrganization" in _types(item):
                continue
            name = _text(item.get("name"))
            if name:
                names.append(name)
        elif isinstance(item, str) and (name := _text(item)):
            names.append(name)
    return names


def _keywords(value: Any) -> list[str]:
    """Keywords given as a comma-separated string or a (nested) list."""
    if isinstance(value, str):
        return [k for k in (collapse_whitespace(html.unescape(p)) for p in value.split(",")) if k]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    return []


def _views(value: Any) -> int | None:
    """Reader count from interactionStatistic (one object or a list)."""
    for obj in _objects(value):
        action = obj.get("interactionType")
        action_name = _text(action) if not isinstance(action, str) else action
        if action_name and action_name.rsplit("/", 1)[-1] in VIEW_ACTIONS:
            count = str(obj.get("userInteractionCount", "")).replace(".", "").replace(",", "")
            if count.isdigit():
                return int(count)
    return None


def _url(obj: dict[str, Any]) -> str | None:
    """The article's own URL: ``url``, else ``mainEntityOfPage`` (string or its @id)."""
    for value in (obj.get("url"), obj.get("mainEntityOfPage")):
        text = _text(value)
        if text and text.startswith(("http://", "https://")):
            return text
    return None


def read_jsonld(root: lxml_html.HtmlElement) -> JsonLdArticle:
    """Article fields from the page's JSON-LD; each field from the best object that has it."""
    objects = article_objects(parse_blocks(root))

    def first(getter: Any) -> Any:
        return next((value for obj in objects if (value := getter(obj))), None)

    return JsonLdArticle(
        headline=first(lambda o: _text(o.get("headline")) or _text(o.get("name"))),
        published=first(lambda o: _text(o.get("datePublished"))),
        modified=first(lambda o: _text(o.get("dateModified"))),
        authors=first(lambda o: _people(o.get("author"))) or [],
        creators=first(lambda o: _people(o.get("creator"))) or [],
        publisher=first(lambda o: _text(o.get("publisher"))),
        section=first(lambda o: _text(o.get("articleSection"))),
        keywords=first(lambda o: _keywords(o.get("keywords"))) or [],
        body=first(
            lambda o: o.get("articleBody") if isinstance(o.get("articleBody"), str) else None
        ),
        url=first(_url),
        views=first(lambda o: _views(o.get("interactionStatistic"))),
    )

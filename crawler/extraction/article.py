"""Article extraction: one call per page, four layers per field.

Each field is taken from the first layer that has it: JSON-LD, meta tags, the outlet's CSS
selectors, then the generic reader. Three fields need more than "first wins", because the
structured layers are wrong in known ways:

* **title**: structured titles often carry a site name ("Judul - Site", "Site: Judul") and
  some CMSs drop punctuation. When a visible ``h1``/``h2`` equals a structured title, or that
  title without a short site name, up to punctuation and case, the heading's text is used as
  shown (Media Indonesia's h1 keeps the ":" and "?" its JSON-LD drops). Without such a heading
  a site name is cut only when another structured title confirms the shorter form.
* **published** (``published.py``): a structured time with its offset first; the shown date
  wins only on the same day at a different minute (then the structured value is a save
  time), never as a date without a time; a naive structured time is read in WIB unless the
  shown time says UTC; a date alone is a day, marked so. Update times and the date a site
  header prints (today's) are never read.
* **authors** (``authors.py``): JSON-LD often names the *editor*, meta tags the outlet. A
  structured author credited visibly as "Editor:" and not as writer is dropped; outlets,
  companies, desks and places are never authors; when no structured author survives, visible
  writer credits are used.

What extraction notices on the way (an outlet noise rule not applied, a shown day that
disagrees with the structured one, a date without a time) is left in
``ExtractedArticle.warnings`` for the crawl to count.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from html import unescape
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from crawler.extraction.authors import CREDIT_KEYWORD, choose_authors
from crawler.extraction.block import decode_html, parse_html, split_paragraphs
from crawler.extraction.cleaning import clean_paragraphs, collapse_whitespace
from crawler.extraction.dateline import find_dateline
from crawler.extraction.generic import (
    element_showing,
    headings,
    read_generic,
    story_body,
    title_key,
    visible_published,
)
from crawler.extraction.jsonld import JsonLdArticle
from crawler.extraction.meta import MetaFields
from crawler.extraction.published import DAY_PRECISION, choose_published, read_date
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.selectors import OutletSelectors, SelectorFields, read_selectors
from crawler.extraction.structured import StructuredData, read_structured
from crawler.utils.dates import DateReading
from crawler.utils.urls import registrable_domain

#: Separators between a title and a site name ("Judul - Tribun Solo", "KapanLagi.com: Judul").
TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " : ", " :: ", ": ")
#: Longest prefix or suffix treated as a site name.
MAX_SITE_NAME_CHARS = 45
_BLOCK_MARKUP = re.compile(r"<(?:p|br|div|h[2-6])\b", re.IGNORECASE)
#: Markup and entities escaped once more inside a JSON-LD articleBody ("&lt;p&gt;", "&amp;quot;").
_ESCAPED_MARKUP = re.compile(r"&lt;(?:p|br|div|h[2-6])\b", re.IGNORECASE)
_ESCAPED_ENTITY = re.compile(r"&amp;(?:[a-z]{2,8}|#\d{2,5});")


def extract_article(
    html: str | bytes,
    url: str,
    *,
    selectors: OutletSelectors | None = None,
    now: datetime | None = None,
    root: lxml_html.HtmlElement | None = None,
    structured: StructuredData | None = None,
    publishers: Collection[str] = (),
) -> ExtractedArticle:
    """Read one article page into an ``ExtractedArticle`` (see the module docstring).

    ``root``: the page already parsed from ``html`` (by ``parse_html``), which spares a second
    parse of a 100 KB page; extraction does not change the tree. With a root, an ``html`` str
    is taken as already decoded (``decode_page``). ``structured``: its JSON-LD
    and meta tags already read from ``root``. ``publishers``: names of outlets (the
    registry's), which are never an author.
    """
    text = html if root is not None and isinstance(html, str) else decode_html(html)
    if root is None:
        root = parse_html(text)
    structured = structured or read_structured(root)
    ld, meta = structured.jsonld, structured.meta
    outlet = selectors or OutletSelectors()
    sel = read_selectors(root, outlet, now) if selectors else SelectorFields()

    selector_body = clean_paragraphs(sel.body)
    structured_body = _jsonld_paragraphs(ld.body)
    container, generic_body = (
        (None, []) if selector_body or structured_body else story_body(root, url)
    )
    title, title_layer, anchor = _choose_title(ld, meta, sel, root)
    shown_date: tuple[DateReading | None, str] = (sel.published, "selectors")
    if sel.published is None and (shown := visible_published(anchor, container, now)):
        shown_date = (DateReading(shown), "generic")
    published = choose_published(
        [(read_date(ld.published, now), "jsonld"), (read_date(meta.published, now), "meta")],
        shown_date,
    )
    complete = title and (selector_body or structured_body or container is not None)
    generic = read_generic(text, root, url, body=generic_body, needs_trafilatura=not complete)
    body, body_layer = _first_value(
        (selector_body, "selectors"), (structured_body, "jsonld"), (generic.body, "generic")
    )
    if not title:
        title, title_layer = generic.title, "generic"
    if body and title and title_key(body[0]) == title_key(title):
        body = body[1:]

    fields: dict[str, tuple[object, str | None]] = {
        "url": _canonical_url(url, meta, ld),
        "title": (title, title_layer),
        "published": (published.value, published.layer),
        "modified": _first_value(
            (_parse_date(ld.modified, now), "jsonld"),
            (_parse_date(meta.modified, now), "meta"),
            (lambda: sel.modified, "selectors"),
        ),
        "authors": choose_authors(
            root,
            [
                (ld.authors + ld.creators, "jsonld"),
                (meta.authors, "meta"),
                (sel.authors, "selectors"),
            ],
            publishers=(site_of(url).split(".")[0], meta.site_name, ld.publisher, *publishers),
            keywords=ld.keywords,
            body=body or [],
            fallback=generic.authors,
        ),
        "section": _first_value(
            (ld.section, "jsonld"),
            (meta.section, "meta"),
            (lambda: sel.section, "selectors"),
            (generic.section, "generic"),
        ),
        "tags": _first_value(
            (_tags(ld.keywords), "jsonld"),
            (_tags(meta.tags), "meta"),
            (lambda: sel.tags, "selectors"),
            (generic.tags, "generic"),
        ),
        "views": _first_value((ld.views, "jsonld"), (lambda: sel.views, "selectors")),
        "body": (body, body_layer),
    }
    article = ExtractedArticle()
    for name, (value, layer) in fields.items():
        if value not in (None, "", []) and layer:
            setattr(article, name, value)
            article.layers[name] = layer
    if article.body:
        article.dateline = find_dateline(article.body[0], outlet.dateline_pattern)
    if published.date_only and "published" in article.layers:
        article.layers["published_precision"] = DAY_PRECISION
    article.warnings.update(published.warnings)
    if sel.skipped_noise:
        article.warnings["noise_rule_skipped"] = (
            "outlet noise rule(s) not applied, they would remove most of the story: "
            + ", ".join(sel.skipped_noise)
        )
    return article


def _first_value(*candidates: tuple[object, str]) -> tuple:
    """The first non-empty (value, layer) pair, or (None, None). A value may be given as a
    function, called only when no layer before it had one (a selector read is a page scan)."""
    for value, layer in candidates:
        if callable(value):
            value = value()
        if value not in (None, "", []):
            return value, layer
    return None, None


def _parse_date(text: str | None, now: datetime | None) -> datetime | None:
    reading = read_date(text, now)
    return reading.value if reading else None


# --- url -----------------------------------------------------------------------------------


def site_of(url: str) -> str:
    """The registrable part of a URL's host ("solo.tribunnews.com" -> "tribunnews.com")."""
    return registrable_domain((urlsplit(url).hostname or "").removeprefix("www."))


def _canonical_url(url: str, meta: MetaFields, ld: JsonLdArticle) -> tuple[str | None, str | None]:
    """rel=canonical, then og:url, then JSON-LD url; only absolute http(s) on the same site."""
    for candidate, layer in ((meta.canonical, "meta"), (meta.url, "meta"), (ld.url, "jsonld")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if absolute.startswith(("http://", "https://")) and site_of(absolute) == site_of(url):
            return absolute, layer
    return None, None


# --- title ---------------------------------------------------------------------------------


def title_variants(title: str) -> list[str]:
    """The title, then without a short site name: " - Site" suffixes, then "Site: " prefixes."""
    variants = [title]
    for separator in TITLE_SEPARATORS:
        head, found, suffix = title.rpartition(separator)
        if found and head.strip() and len(suffix) <= MAX_SITE_NAME_CHARS:
            variants.append(head.strip())
    for separator in TITLE_SEPARATORS:
        prefix, found, rest = title.partition(separator)
        if found and rest.strip() and len(prefix) <= MAX_SITE_NAME_CHARS:
            variants.append(rest.strip())
    return list(dict.fromkeys(variants))


def _choose_title(
    ld: JsonLdArticle, meta: MetaFields, sel: SelectorFields, root: lxml_html.HtmlElement
) -> tuple[str | None, str | None, lxml_html.HtmlElement | None]:
    """(title, layer, the element showing the headline on the page or None)."""
    structured = [(ld.headline, "jsonld")] if ld.headline else []
    structured += [(title, "meta") for title in meta.titles]
    shown = [(h, collapse_whitespace(h.text_content())) for h in headings(root)]
    shown = [(element, text) for element, text in shown if text]
    for title, layer in structured:
        for variant in title_variants(title):
            for element, text in shown:
                if title_key(text) == title_key(variant):
                    return text, layer, element
    first_h1 = next(iter(root.iter("h1")), None)
    if not structured:
        return (sel.title, "selectors", first_h1) if sel.title else (None, None, first_h1)
    title, layer = structured[0]
    known = {title_key(sel.title or "")} | {title_key(text) for _, text in shown}
    for other, _ in structured[1:]:
        if other != title:
            known |= {title_key(variant) for variant in title_variants(other)}
    title = next((v for v in title_variants(title)[1:] if title_key(v) in known), title)
    anchor = element_showing(root, title)
    return title, layer, anchor if anchor is not None else first_h1


# --- tags ----------------------------------------------------------------------------------


def _tags(keywords: list[str]) -> list[str]:
    """Keywords without credit entries ("Editor:X") and bare labels ("News:")."""
    return [k for k in keywords if not CREDIT_KEYWORD.match(k) and not k.endswith(":")]


# --- body ----------------------------------------------------------------------------------


def _jsonld_paragraphs(body: str | None) -> list[str]:
    """JSON-LD articleBody as paragraphs, only when it keeps real paragraph structure."""
    if not body:
        return []
    if _ESCAPED_MARKUP.search(body) or _ESCAPED_ENTITY.search(body):
        body = unescape(body)
    if _BLOCK_MARKUP.search(body):
        fragment = parse_html(f"<html><body><div>{body}</div></body></html>").find("body")
        paragraphs = clean_paragraphs(split_paragraphs(fragment))
    else:
        paragraphs = clean_paragraphs(body.split("\n"))
    return paragraphs if len(paragraphs) >= 2 else []

"""Layer 3: CSS selectors an outlet spider knows for its own layout.

Spiders describe a layout with an ``OutletSelectors``; this module reads the page with it. Every
selector is optional, so a spider names only what structured data gets wrong or lacks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector, LxmlTranslator

from crawler.extraction.authors import split_names
from crawler.extraction.block import split_paragraphs
from crawler.extraction.cleaning import collapse_whitespace
from crawler.utils.dates import (
    DateParseError,
    DateReading,
    parse_updated_datetime,
    read_indonesian_datetime,
)

_DIGITS = re.compile(r"\d[\d.,]*")
#: Commas that separate alternatives in a selector list (not those inside brackets or quotes).
_ALTERNATIVES = re.compile(r",(?![^\[(]*[\])])(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)")


@dataclass(frozen=True)
class OutletSelectors:
    """CSS selectors of one outlet / layout version; all optional.

    A selector list such as ``".post-content, article"`` is tried alternative by alternative.
    """

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: str | None = None
    section: str | None = None
    tags: str | None = None
    body: str | None = None  # container whose <p> (and <br><br> runs) are the paragraphs
    views: str | None = None
    noise: tuple[str, ...] = ()  # CSS of elements removed from the body before reading it
    dateline_pattern: str | None = None  # regex with group "place" for the outlet dateline


@dataclass
class SelectorFields:
    """Values read with an outlet's selectors.

    ``modified``, ``section``, ``tags`` and ``views`` are read from ``root`` when first asked
    for: structured data usually gives them first, and a selector other than one class is a
    scan of the whole page (about half a millisecond on a 100 KB page).
    """

    title: str | None = None
    published: DateReading | None = None  # with its precision: a shown date may lack a time
    authors: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    #: noise rules not applied because they would have removed most of the story
    skipped_noise: list[str] = field(default_factory=list)
    root: lxml_html.HtmlElement | None = None
    selectors: OutletSelectors | None = None
    now: datetime | None = None

    @functools.cached_property
    def modified(self) -> datetime | None:
        if self.root is None or self.selectors is None:
            return None
        reading = read_date(self.root, self.selectors.modified, self.now, updated=True)
        return reading.value if reading else None

    @functools.cached_property
    def section(self) -> str | None:
        if self.root is None or self.selectors is None:
            return None
        return next(iter(_texts(self.root, self.selectors.section)), None)

    @functools.cached_property
    def tags(self) -> list[str]:
        if self.root is None or self.selectors is None:
            return []
        return list(dict.fromkeys(_texts(self.root, self.selectors.tags)))

    @functools.cached_property
    def views(self) -> int | None:
        if self.root is None or self.selectors is None:
            return None
        return read_views(self.root, self.selectors.views)


#: A noise rule naming the container's ancestors is matched this many levels above it.
NOISE_SCOPE_LEVELS = 3
_NAMES_ANCESTORS = re.compile(r"[\s>+~]")
#: Under this much removed text a noise rule cannot remove most of a story worth the name.
MIN_STORY_CHARS = 200
#: A noise rule removing more than this share of a body container's story text is not applied.
MAX_NOISE_SHARE = 0.5
_VISIBLE_TEXT = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)


@functools.lru_cache(maxsize=1024)
def compiled_css(css: str) -> CSSSelector:
    """A CSS selector compiled once: compiling cost more than matching on every page."""
    return CSSSelector(css)


#: A selector naming one class, with or without a tag ("h1.post-title", ".post-meta").
_SIMPLE_CLASS = re.compile(
    r"[ \t\r\n\f]*([A-Za-z][A-Za-z0-9]*)?\.(-?[_A-Za-z][_A-Za-z0-9-]*)[ \t\r\n\f]*"
)
#: Class attribute values (their element is ``getparent()``): cheaper to collect than the
#: elements themselves, 0.45 against 0.58 ms a bench page with the index.
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class")
#: The whitespace XPath's ``normalize-space`` (and so cssselect's class test) splits on.
_XML_SPACE = re.compile(r"[ \t\r\n]+")
#: The page whose classes were indexed last, and the index; see ``_class_index``.
_indexed: tuple[lxml_html.HtmlElement | None, dict[str, list[Any]]] = (None, {})


#: A selector naming the root element alone ("html[amp]", "html.no-js"): cssselect reads it as
#: ``descendant-or-self::html``, a scan of every element (0.18 ms a bench page, every page,
#: for espos-amp's ``detect``), where only a page's root can match.
_ROOT_ONLY = re.compile(r"[ \t\r\n\f]*html(?![-\w])[^ \t\r\n\f>+~]*[ \t\r\n\f]*")


@functools.lru_cache(maxsize=64)
def compiled_root_css(css: str) -> etree.XPath:
    """``css`` tested on the element it is given only (``self::`` for ``descendant-or-self::``)."""
    return etree.XPath(LxmlTranslator().css_to_xpath(css, prefix="self::"))


def _class_index(root: lxml_html.HtmlElement) -> dict[str, list[Any]]:
    """Class attributes of a page's elements by class, in page order, built once per page.

    Each class selector is a scan of every element (0.3-0.6 ms on a 100 KB page, where one
    scan for the ~100 elements with a class and their index cost 0.4 ms), and a page is asked
    for four or more (a layout's ``detect``, body, title, date, views). Kept for the last page
    only, which is held so that its identity cannot be taken by another; pages are never
    modified after parsing (trafilatura reads a copy).
    """
    global _indexed
    if _indexed[0] is not root:
        index: dict[str, list[Any]] = {}
        for value in _CLASS_VALUES(root):
            for word in dict.fromkeys(_XML_SPACE.split(value)):
                if word:
                    index.setdefault(word, []).append(value)
        _indexed = (root, index)
    return _indexed[1]


def _matching(root: lxml_html.HtmlElement, alternative: str) -> list[lxml_html.HtmlElement]:
    """Elements matching one selector; on a whole page, a one-class selector from its index
    and a selector of the root element from the root alone."""
    if root.getparent() is not None:
        return compiled_css(alternative)(root)
    if _ROOT_ONLY.fullmatch(alternative):
        return compiled_root_css(alternative)(root)
    simple = _SIMPLE_CLASS.fullmatch(alternative)
    if simple is None:
        return compiled_css(alternative)(root)
    tag, name = simple.groups()
    found = [value.getparent() for value in _class_index(root).get(name, [])]
    return [element for element in found if element.tag == tag] if tag else found


def select(root: lxml_html.HtmlElement, css: str | None) -> list[lxml_html.HtmlElement]:
    """Elements matching the first alternative of ``css`` that matches anything.

    A selector list ("a, b, article") is read as alternatives in order of preference, not as
    a union, so a broad fallback never adds a second copy of a body the first one found;
    elements nested inside another match are dropped for the same reason. A missing or
    invalid selector matches nothing.
    """
    for alternative in _ALTERNATIVES.split(css or ""):
        try:
            found = _matching(root, alternative) if alternative.strip() else []
        except SelectorError:
            continue
        if found:
            matched = set(found)
            return [e for e in found if not any(a in matched for a in e.iterancestors())]
    return []


def _texts(root: lxml_html.HtmlElement, css: str | None) -> list[str]:
    return [t for e in select(root, css) if (t := collapse_whitespace(e.text_content()))]


def _machine_or_text(element: lxml_html.HtmlElement) -> str:
    """A date element's machine value (``datetime``/``content``) if any, else its text."""
    return collapse_whitespace(
        element.get("datetime") or element.get("content") or element.text_content()
    )


def read_date(
    root: lxml_html.HtmlElement, css: str | None, now: datetime | None, *, updated: bool = False
) -> DateReading | None:
    """First date the selector yields; ``updated`` reads a Diperbarui/Update label first."""
    for element in select(root, css):
        text = _machine_or_text(element)
        try:
            if updated and (value := parse_updated_datetime(text, now=now)):
                return DateReading(value)
            return read_indonesian_datetime(text, now=now)
        except DateParseError:
            continue
    return None


def read_views(root: lxml_html.HtmlElement, css: str | None) -> int | None:
    """Reader count from text like "1.234 kali dibaca" or "699 Views"."""
    for text in _texts(root, css):
        if match := _DIGITS.search(text):
            return int(re.sub(r"[.,]", "", match.group()))
    return None


def read_body(
    root: lxml_html.HtmlElement, selectors: OutletSelectors
) -> tuple[list[str], list[str]]:
    """Paragraphs of every body container with the outlet's noise skipped, and the noise
    rules not applied.

    Noise is looked for in each container, never over the whole page; a rule that names the
    container's ancestors ("section.main article.body > :not(p)") and finds nothing there is
    tried again from ``NOISE_SCOPE_LEVELS`` above it, keeping what lies inside the container.
    A rule that would remove more than ``MAX_NOISE_SHARE`` of a container's story text is a
    rule written for another version of the template (antara-2017's ``#content_news div`` on a
    page whose story sits in a nested ``<div>``): it is not applied, so one bad rule cannot
    delete an article, and it is reported so the crawl counts it; so is a rule that would
    remove the lead, the paragraph opening with the outlet's dateline. Story text is measured
    as the visible text (captions and boxes included), so a rule for a big caption box still
    applies.
    """
    paragraphs: list[str] = []
    skipped: list[str] = []
    dateline = re.compile(selectors.dateline_pattern) if selectors.dateline_pattern else None
    for container in select(root, selectors.body):
        story_chars: int | None = None
        noise: list[lxml_html.HtmlElement] = []
        for css in selectors.noise:
            found = _noise_in(container, css)
            if dateline and any(dateline.search(_text(element)) for element in found):
                skipped.append(css)
                continue
            removed = sum(_visible_chars(element) for element in found)
            if removed >= MIN_STORY_CHARS:
                story_chars = _visible_chars(container) if story_chars is None else story_chars
                if removed > MAX_NOISE_SHARE * story_chars:
                    skipped.append(css)
                    continue
            noise.extend(found)
        paragraphs.extend(split_paragraphs(container, noise))
    return paragraphs, list(dict.fromkeys(skipped))


def _noise_in(container: lxml_html.HtmlElement, css: str) -> list[lxml_html.HtmlElement]:
    found = [element for element in select(container, css) if element is not container]
    if found or not _NAMES_ANCESTORS.search(css):
        return found
    scope = container
    for _ in range(NOISE_SCOPE_LEVELS):
        parent = scope.getparent()
        if parent is None:
            break
        scope = parent
    inside = set(container.iterdescendants())
    return [element for element in select(scope, css) if element in inside]


def _text(element: lxml_html.HtmlElement) -> str:
    return collapse_whitespace(element.text_content())


def _visible_chars(element: lxml_html.HtmlElement) -> int:
    """Characters of the text a reader sees in ``element`` (scripts and styles left out)."""
    return sum(len(text.strip()) for text in _VISIBLE_TEXT(element))


def read_selectors(
    root: lxml_html.HtmlElement, selectors: OutletSelectors, now: datetime | None = None
) -> SelectorFields:
    """The selector layer's fields (body paragraphs are not cleaned yet); the fields other
    layers usually give are read when asked for (``SelectorFields``)."""
    authors = [name for text in _texts(root, selectors.authors) for name in split_names(text)]
    body, skipped_noise = read_body(root, selectors)
    return SelectorFields(
        title=next(iter(_texts(root, selectors.title)), None),
        published=read_date(root, selectors.published, now),
        authors=list(dict.fromkeys(authors)),
        body=body,
        skipped_noise=skipped_noise,
        root=root,
        selectors=selectors,
        now=now,
    )

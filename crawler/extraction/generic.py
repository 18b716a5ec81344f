"""Layer 4: what can be read from any page without knowing the outlet.

The body is the generic reader's (``crawler.extraction.story``: the densest story box, its
paragraphs voted on with trafilatura's opinion of the region around it), which keeps the
page's own paragraph boundaries. trafilatura's whole-page text is the last resort when the
page has no story box; its metadata fills title, author, categories and tags last. Visible
dates (only near the headline, never from the page header) are read here too; trafilatura's
own date guess is not used.

trafilatura gets the HTML (or a copy of part of the tree) only, so it never fetches anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.authors import clean_name
from crawler.extraction.block import class_words, join_detached_datelines
from crawler.extraction.cleaning import clean_paragraphs, collapse_whitespace
from crawler.extraction.story import read_story
from crawler.utils.dates import DateParseError, parse_indonesian_datetime

#: Below this many characters of cleaned paragraphs the densest container is not a story body.
MIN_BODY_CHARS = 200
#: How many elements after the headline may hold the visible publication date.
DATE_SCAN_LIMIT = 150
_FOLLOWING = etree.XPath(f"following::*[position() <= {DATE_SCAN_LIMIT}]")
#: How many siblings just before the headline (and before its parent) may hold it.
DATE_BEFORE_SIBLINGS = 3
#: Site chrome (header, menus, sidebars) never holds the article's date.
CHROME_TAGS = frozenset({"header", "nav", "aside", "footer"})
CHROME_CLASS_WORDS = frozenset({"header", "masthead", "menu", "nav", "navbar", "topbar"})
#: A headline shown outside h1/h2 sits in an element with at most this many children.
SHOWN_TITLE_MAX_CHILDREN = 3
#: A ``<p>`` this long after the headline means the story has begun: stop looking for a date.
STORY_PARAGRAPH_CHARS = 100
#: Class/id words of elements that show a date.
DATE_CLASS_WORDS = frozenset(
    {
        *("date", "datetime", "time", "tanggal", "waktu", "publish", "published"),
        *("pubdate", "jam", "tgl"),
    }
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?!\d)")
_STARTS_LIKE_DATE = re.compile(
    r"^[\s|•-]*(?:\d|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    re.IGNORECASE,
)


@dataclass
class GenericFields:
    """Values from the generic layer (body already cleaned)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


def trafilatura_document(html: str, url: str) -> dict[str, Any]:
    """trafilatura's reading of the page as a dict ({} when it finds nothing).

    Its date is not used (it may pick an update time or a date in the story), so its date
    search is kept to the cheap, non-extensive one. Imported here: most crawls never need it,
    and importing it cost every crawl a quarter of a second of start-up.
    """
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    try:
        document = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; it is the last resort
        return {}
    if document is None:
        return {}
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def story_body(
    root: lxml_html.HtmlElement, url: str | None = None
) -> tuple[lxml_html.HtmlElement | None, list[str]]:
    """The story box and the cleaned story paragraphs, or (None, []) when it is too thin."""
    story = read_story(root, url)
    paragraphs = clean_paragraphs(story.paragraphs)
    if story.box is None or sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        return None, []
    return story.box, paragraphs


def title_key(text: str) -> str:
    """A title reduced to letters and digits, for comparing titles up to punctuation."""
    return re.sub(r"[\W_]+", "", text.casefold())


def headings(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """``h1`` elements, then ``h2``: where a headline is shown."""
    return [*root.iter("h1"), *root.iter("h2")]


def element_showing(root: lxml_html.HtmlElement, title: str) -> lxml_html.HtmlElement | None:
    """The first small element showing ``title`` (up to punctuation): a headline in a div.

    Links and list items are skipped: a sidebar teaser of the same story is not the headline.
    """
    key = title_key(title)
    for element in _page_body(root).iter():
        small = isinstance(element.tag, str) and len(element) <= SHOWN_TITLE_MAX_CHILDREN
        if small and title_key(element.text_content()) == key and not _in_link_list(element):
            return element
    return None


def _page_body(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _in_link_list(element: lxml_html.HtmlElement) -> bool:
    """True for a link or list item, or inside one: a teaser of the story, not its headline."""
    nearby = [element, *list(element.iterancestors())[:3]]
    return any(node.tag in ("a", "li") for node in nearby)


def visible_published(
    anchor: lxml_html.HtmlElement | None,
    stop: lxml_html.HtmlElement | None,
    now: datetime | None = None,
) -> datetime | None:
    """The publication date shown in a date element next to the headline ``anchor``.

    Only short, date-looking elements (a date class, a ``<time>``, or text opening with a day
    name or digit; plain ``<p>`` never) holding both a year and a clock time count. The scan
    runs forward from the headline and ends at the body container ``stop`` or the first
    story-length ``<p>``; then it looks at the few elements just before the headline (some
    layouts print the date above it). Dates in the story or in the site header are not read.
    """
    if anchor is None:
        return None
    for element in _after_headline(anchor, stop):
        if value := _shown_date(element, now):
            return value
    for node in (anchor, anchor.getparent()):
        if node is None:
            continue
        for sibling in list(node.itersiblings(preceding=True))[:DATE_BEFORE_SIBLINGS]:
            if not isinstance(sibling.tag, str) or _is_site_chrome(sibling):
                continue
            for element in sibling.iter():
                if isinstance(element.tag, str) and (value := _shown_date(element, now)):
                    return value
    return None


def _is_site_chrome(element: lxml_html.HtmlElement) -> bool:
    """Page header, navigation and sidebars: where a site prints today's date."""
    return element.tag in CHROME_TAGS or bool(class_words(element) & CHROME_CLASS_WORDS)


def _after_headline(
    anchor: lxml_html.HtmlElement, stop: lxml_html.HtmlElement | None
) -> Iterator[lxml_html.HtmlElement]:
    following = (e for e in _FOLLOWING(anchor) if isinstance(e.tag, str))
    for count, element in enumerate(following):
        if count >= DATE_SCAN_LIMIT or element is stop:
            return
        is_story = element.tag == "p" and not class_words(element) & DATE_CLASS_WORDS
        if is_story and len(collapse_whitespace(element.text_content())) > STORY_PARAGRAPH_CHARS:
            return
        yield element


def _shown_date(element: lxml_html.HtmlElement, now: datetime | None) -> datetime | None:
    """The date an element shows, if it is a short date-looking element with a clock time."""
    text = collapse_whitespace(element.text_content())
    if len(text) > 80 or not (_YEAR.search(text) and _CLOCK.search(text)):
        return None
    date_class = bool(class_words(element) & DATE_CLASS_WORDS)
    if element.tag == "p" and not date_class:
        return None
    if not (element.tag == "time" or date_class or _STARTS_LIKE_DATE.match(text)):
        return None
    try:
        return parse_indonesian_datetime(text, now=now)
    except DateParseError:
        return None


def read_generic(
    html: str,
    root: lxml_html.HtmlElement,
    url: str,
    *,
    body: list[str],
    needs_trafilatura: bool,
) -> GenericFields:
    """The generic layer around the ``story_body`` paragraphs.

    trafilatura runs only when ``needs_trafilatura`` is set; its text becomes the body only
    when ``body`` is empty.
    """
    fields = GenericFields(body=body)
    h1 = next(iter(root.iter("h1")), None)
    if h1 is not None:
        fields.title = collapse_whitespace(h1.text_content()) or None
    if not needs_trafilatura:
        return fields
    document = trafilatura_document(html, url)
    if not fields.body:
        lines = (document.get("text") or "").split("\n")
        fields.body = join_detached_datelines(clean_paragraphs(lines))
    fields.title = fields.title or collapse_whitespace(document.get("title") or "") or None
    if author := document.get("author"):
        fields.authors = [n for part in author.split(";") if (n := clean_name(part))]
    categories = document.get("categories") or []
    fields.section = next((c for c in categories if c), None)
    tags = (part.strip() for tag in document.get("tags") or [] for part in tag.split(","))
    fields.tags = list(dict.fromkeys(tag for tag in tags if tag))
    return fields

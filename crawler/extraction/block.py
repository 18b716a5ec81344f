"""Turn a body container element into paragraphs, and find that container when nobody named it.

A paragraph boundary is a block element (``<p>``, a heading, a ``<div>``...) or a ``<br>``:
news bodies separate paragraphs with ``<p>`` on some sites and with ``<br><br>`` runs of bare text
on others, and a bold line standing between two breaks is a sub-heading paragraph of its own.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

from crawler.extraction.cleaning import collapse_whitespace

#: Elements that flow inside a paragraph; every other element ends the running paragraph.
INLINE_TAGS = frozenset(
    {
        *("a", "abbr", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i"),
        *("kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike"),
        *("strong", "sub", "sup", "time", "tt", "u", "var"),
    }
)

#: Elements whose content is never body text (their tail text still is).
NOISE_TAGS = frozenset(
    {
        *("aside", "audio", "button", "canvas", "embed", "figcaption", "figure"),
        *("footer", "form", "header", "iframe", "img", "input", "ins", "nav"),
        *("noscript", "object", "picture", "script", "select", "style", "svg", "table"),
        *("template", "textarea", "video"),
    }
)

#: Class/id words that mark boxes inside a body which are not the story: related links, ads,
#: share bars, tag rows, captions, bylines (WordPress plugin names included). Matched against
#: whole words of class and id, and only inside a body container, never on its ancestors.
NOISE_CLASS_WORDS = frozenset(
    {
        *("addtoany", "ads", "advert", "advertisement", "author", "banner", "baca"),
        *("caption", "comment", "comments", "gpt", "hide", "hidden", "instagram"),
        *("komentar", "newsletter", "promo", "related", "relatedposts", "share"),
        *("sharedaddy", "sharing", "social", "sosmed", "tag", "tags", "terkait", "tiktok"),
        *("tanggal", "date", "twitter", "yarpp"),
    }
)

_CHARSET = re.compile(rb"charset=[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CLASS_WORD = re.compile(r"[a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
#: A dateline fragment that a site put outside the first ``<p>`` ("Jakarta -", "Doha -").
_DETACHED_DATELINE = re.compile(r"^[^\s.!?].{0,60}?\s[-–—]{1,2}$")
#: Minimum characters for a run of text to count towards a container's weight.
_MIN_UNIT_CHARS = 40
#: A paragraph with at least this share of its text inside links is navigation, not story.
LINK_ONLY_SHARE = 0.9
#: How many levels up a container may grow to take in a lead paragraph.
MAX_LEAD_LEVELS = 2
#: A ``<div>`` with an image and at most this much text is a photo with its caption.
PHOTO_BOX_MAX_CHARS = 250


#: The fallback for bytes that are not UTF-8 on a page that claims (or defaults to) UTF-8:
#: Indonesian sites edited on Windows paste windows-1252 quotes, dashes and accents.
FALLBACK_ENCODING = "cp1252"
#: Error handler name (see ``_cp1252_fallback``).
_FALLBACK_ERRORS = "crawler-cp1252-fallback"
_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8"})


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as windows-1252; its 5 unassigned bytes as Latin-1."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    text = "".join(
        chr(byte) if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([byte]).decode("cp1252")
        for byte in chunk
    )
    return text, error.end


codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


@dataclass(frozen=True)
class DecodedPage:
    """A page's text, and the fallback encoding used for bytes its charset could not decode."""

    text: str
    fallback: str | None = None


def decode_page(html: str | bytes) -> DecodedPage:
    """Page bytes as text: BOM or valid UTF-8 first, else the declared charset.

    Valid UTF-8 wins over a declared charset because servers lie about charsets. When the
    page claims UTF-8 (or declares nothing) and is not valid UTF-8, every byte sequence
    UTF-8 rejects is read as windows-1252 instead of becoming U+FFFD, so a windows-1252 page
    labelled UTF-8 and a UTF-8 page with a few pasted windows-1252 bytes both read right;
    ``fallback`` names the encoding used then, for the crawl to count. NUL characters are
    dropped: an HTML parser would turn each into U+FFFD in the text.
    """
    if isinstance(html, str):
        return DecodedPage(html.replace("\x00", ""))
    if html.startswith(b"\xef\xbb\xbf"):
        html = html[3:]
    try:
        return DecodedPage(html.decode("utf-8").replace("\x00", ""))
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(html[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding not in _UTF8_NAMES:
        try:
            return DecodedPage(html.decode(encoding).replace("\x00", ""))
        except (LookupError, UnicodeDecodeError):
            pass
    text = html.decode("utf-8", errors=_FALLBACK_ERRORS).replace("\x00", "")
    return DecodedPage(text, FALLBACK_ENCODING)


def decode_html(html: str | bytes) -> str:
    """Page bytes as text (see ``decode_page``)."""
    return decode_page(html).text


def parse_html(html: str) -> lxml_html.HtmlElement:
    """Parse a page into an lxml tree; a page without a root element gives an empty document."""
    try:
        return lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except Exception:  # lxml raises ParserError and friends for empty or broken input
        return lxml_html.document_fromstring("<html><body></body></html>")


def class_words(element: lxml_html.HtmlElement) -> set[str]:
    """Lower-case words of the element's class and id ("detail__body-tag" -> detail, body, tag)."""
    label = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return set(_CLASS_WORD.findall(label))


def is_hidden(element: lxml_html.HtmlElement) -> bool:
    """True for elements a reader never sees."""
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style", "")))


def is_noise(element: lxml_html.HtmlElement) -> bool:
    """True for elements inside a body container whose text is not part of the story.

    Besides noise tags, hidden elements and noise class words, a headline ``<h1>`` and a
    ``<div>`` holding an image with little text (a photo box with its caption) are noise.
    """
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    return (
        not tag
        or tag in NOISE_TAGS
        or tag == "h1"
        or is_hidden(element)
        or bool(class_words(element) & NOISE_CLASS_WORDS)
        or (tag == "div" and _is_photo_box(element))
    )


def _is_photo_box(element: lxml_html.HtmlElement) -> bool:
    if next(element.iter("img", "picture"), None) is None:
        return False
    return len(collapse_whitespace(element.text_content())) <= PHOTO_BOX_MAX_CHARS


def split_paragraphs(
    container: lxml_html.HtmlElement, noise: Iterable[lxml_html.HtmlElement] = ()
) -> list[str]:
    """Paragraph texts of a body container, whitespace collapsed, empty ones dropped.

    A paragraph that is all link text (a related-article link, a breadcrumb) is dropped.
    ``noise`` are extra elements (e.g. from outlet selectors) to skip as if they were absent.
    """
    skip = set(noise)
    paragraphs: list[str] = []
    running: list[str] = []
    linked: list[str] = []

    def flush() -> None:
        text = collapse_whitespace("".join(running))
        link_text = collapse_whitespace("".join(linked))
        running.clear()
        linked.clear()
        if text and len(link_text) < LINK_ONLY_SHARE * len(text):
            paragraphs.append(text)

    def add(text: str | None, in_link: bool) -> None:
        running.append(text or "")
        if in_link:
            linked.append(text or "")

    def walk(element: lxml_html.HtmlElement, in_link: bool) -> None:
        in_link = in_link or element.tag == "a"
        add(element.text, in_link)
        for child in element:
            if isinstance(child.tag, str) and child not in skip and not is_noise(child):
                if child.tag.lower() in INLINE_TAGS:
                    walk(child, in_link)
                else:
                    flush()
                    walk(child, in_link)
                    flush()
            add(child.tail, in_link)

    walk(container, False)
    flush()
    return join_detached_datelines(paragraphs)


def join_detached_datelines(paragraphs: list[str]) -> list[str]:
    """Glue a short "Place -" fragment to the paragraph after it, as readers see it."""
    if len(paragraphs) >= 2 and _DETACHED_DATELINE.match(paragraphs[0]):
        return [f"{paragraphs[0]} {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs


def _direct_units(element: lxml_html.HtmlElement) -> Iterator[tuple[str, int]]:
    """(text, link characters) of each paragraph directly owned by ``element``.

    Directly owned means a ``<p>``/heading child or a ``<br>``-delimited run of the element's own
    inline content; text inside nested ``<div>``s belongs to those divs instead.
    """
    running: list[str] = []
    link_chars = 0

    def unit() -> tuple[str, int]:
        return collapse_whitespace("".join(running)), link_chars

    running.append(element.text or "")
    for child in element:
        if not isinstance(child.tag, str) or is_noise(child):
            running.append(child.tail or "")
            continue
        tag = child.tag.lower()
        if tag not in INLINE_TAGS:
            yield unit()
            running.clear()
            link_chars = 0
            if tag in {"p", "h2", "h3", "h4"}:
                yield _text_and_links(child)
        else:
            text, links = _text_and_links(child)
            running.append(text)
            link_chars += links
        running.append(child.tail or "")
    yield unit()


def _text_and_links(element: lxml_html.HtmlElement) -> tuple[str, int]:
    text = collapse_whitespace(element.text_content())
    links = sum(len(collapse_whitespace(a.text_content())) for a in element.iter("a"))
    if element.tag == "a":
        links = len(text)
    return text, links


def container_weight(element: lxml_html.HtmlElement) -> int:
    """Characters of substantial, mostly unlinked paragraphs directly in ``element``."""
    weight = 0
    for text, link_chars in _direct_units(element):
        if len(text) >= _MIN_UNIT_CHARS and link_chars < len(text) / 2:
            weight += len(text) - link_chars
    return weight


def densest_container(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element that holds the most paragraph text: the usual story container.

    An element scores its direct paragraph text plus half of its children's, so a body that
    wraps every paragraph in its own ``<div>`` still wins over any single wrapper. When the
    winner's parent holds paragraph text of its own (a lead paragraph written before a nested
    ``<div>`` with the rest, as on antaranews), the parent is the container.
    """
    weights: dict[lxml_html.HtmlElement, float] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() not in NOISE_TAGS:
            weights[element] = container_weight(element)
    best, best_score = None, 0.0
    for element, weight in weights.items():
        score = weight + sum(weights.get(child, 0) for child in element) / 2
        if score > best_score:
            best, best_score = element, score
    for _ in range(MAX_LEAD_LEVELS):
        parent = best.getparent() if best is not None else None
        if parent is None or not weights.get(parent):
            break
        best = parent
    return best

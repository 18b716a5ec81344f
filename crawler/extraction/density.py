"""Where the story is on a page nobody described: the element holding the most paragraph text.

One walk over the page measures, for every element, the paragraph text it holds directly
(its ``<p>``/sub-heading children and the ``<br>``-separated runs of its own inline content;
text inside nested ``<div>``s belongs to those divs) that is long enough to be prose and mostly
not link text. An element scores that weight plus half of its children's, so a body that wraps
every paragraph in its own ``<div>`` still wins over any single wrapper.

Page furniture never wins: elements that cannot hold story text (scripts, forms controls,
``nav``/``aside``/``footer``, figures...) are skipped with everything inside them, and so are
boxes whose class or id says what they are (comments, cookie banners, related lists, share
bars... see ``crawler.extraction.boilerplate``). Only when that leaves no story-sized element
is the page measured again with those boxes counted, so a template that names its story box
oddly ("post-share-wrapper") is still read.

One walk in Python over a 100 KB page costs a few milliseconds; asking every element for its
text, as the first version did, cost thirty.
"""

from __future__ import annotations

import functools

from lxml import html as lxml_html

from crawler.extraction.block import INLINE_TAGS, NOISE_TAGS, PHOTO_BOX_MAX_CHARS, is_hidden
from crawler.extraction.boilerplate import boilerplate

#: Elements whose content is never story text; their whole subtree is skipped. Unlike inside a
#: story box (``NOISE_TAGS``), tables and forms are walked: old templates lay the whole page
#: out in a table, and some wrap it in a ``<form>``.
SKIPPED_TAGS = NOISE_TAGS - {"table", "form"}
#: Block children counted as one paragraph of their parent.
PARAGRAPH_TAGS = frozenset({"p", "h2", "h3", "h4"})
#: Elements that never become the container themselves (their children still may).
NOT_CONTAINERS = frozenset({"table", "tbody", "tr", "form", "ul", "ol", "h1"})
#: Minimum characters for a run of text to count towards an element's weight.
MIN_UNIT_CHARS = 40
#: How many levels up a container may grow to take in a lead paragraph.
MAX_LEAD_LEVELS = 2
#: Furniture whatever it holds (other boxes may be wrappers of the whole story).
ALWAYS_FURNITURE = frozenset({"comments", "consent"})
#: A box whose best element outscores everything outside boxes this many times wraps the story.
WRAPPER_FACTOR = 3


@functools.lru_cache(maxsize=4096)
def _box_kind(tag: str, class_id: str) -> str | None:
    return boilerplate().box_kind(tag, class_id)


def furniture_box(element: lxml_html.HtmlElement) -> str | None:
    """The kind of furniture box an element is by its class/id, or None."""
    class_id = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    return _box_kind(element.tag, class_id) if class_id else None


def _chars(text: str | None) -> int:
    return len(" ".join(text.split())) if text else 0


class _Measure:
    """One walk's results: element -> weight of the prose it holds directly, and the boxes."""

    def __init__(self) -> None:
        self.weights: dict[lxml_html.HtmlElement, int] = {}
        #: furniture box -> (kind, weight of all the prose inside it)
        self.boxes: dict[lxml_html.HtmlElement, tuple[str, int]] = {}
        self.total = 0

    def walk(self, element: lxml_html.HtmlElement) -> tuple[int, int, bool, int]:
        """(characters, link characters, holds an image, prose weight inside) of ``element``."""
        in_link = element.tag == "a"
        run = _chars(element.text)
        run_links = run if in_link else 0
        total, total_links, has_image, weight, inside = run, run_links, False, 0, 0
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED_TAGS or is_hidden(child):
                has_image = has_image or tag in ("img", "picture")
            else:
                chars, links, image, child_inside = self.walk(child)
                inside += child_inside
                if in_link:
                    links = chars
                has_image = has_image or image
                total += chars
                total_links += links
                if tag in INLINE_TAGS:
                    run += chars
                    run_links += links
                else:
                    weight += _unit_weight(run, run_links)
                    run = run_links = 0
                    if tag in PARAGRAPH_TAGS:
                        weight += _unit_weight(chars, links)
                    elif tag == "div" and image and chars <= PHOTO_BOX_MAX_CHARS:
                        total -= chars
                        total_links -= links
            tail = _chars(child.tail)
            run += tail
            total += tail
            if in_link:
                run_links += tail
                total_links += tail
        weight += _unit_weight(run, run_links)
        if weight and element.tag not in NOT_CONTAINERS:
            self.weights[element] = weight
            self.total += weight
        inside += weight
        if kind := furniture_box(element):
            self.boxes[element] = (kind, inside)
        return total, total_links, has_image, inside

    def furniture_kinds(self, element: lxml_html.HtmlElement) -> set[str]:
        """Kinds of the furniture boxes ``element`` is or sits in."""
        return {
            self.boxes[node][0]
            for node in (element, *element.iterancestors())
            if node in self.boxes
        }

    def densest(self) -> lxml_html.HtmlElement | None:
        """The best-scoring element outside furniture boxes.

        Comment threads and consent banners never win. A candidate inside another kind of box
        wins only when it outscores everything outside boxes several times over: then the box
        wraps the story (a share bar around the whole article, "author-and-share").
        """
        scores: dict[lxml_html.HtmlElement, float] = {}
        for element, weight in self.weights.items():
            scores[element] = scores.get(element, 0.0) + weight
            parent = element.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + weight / 2
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        boxed: tuple[lxml_html.HtmlElement, float] | None = None
        for element, score in ranked:
            if element.tag in NOT_CONTAINERS:
                continue
            kinds = self.furniture_kinds(element)
            if not kinds:
                if boxed is not None and boxed[1] > WRAPPER_FACTOR * score:
                    return boxed[0]
                return element
            if boxed is None and not kinds & ALWAYS_FURNITURE:
                boxed = (element, score)
        return boxed[0] if boxed is not None else None


def _unit_weight(chars: int, links: int) -> int:
    return chars - links if chars >= MIN_UNIT_CHARS and links < chars / 2 else 0


def densest_container(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element that holds the most paragraph text: the usual story container.

    When the winner's parent holds paragraph text of its own (a lead paragraph written before
    a nested ``<div>`` with the rest, as on antaranews), the parent is the container.
    """
    body = root.find("body")
    measure = _Measure()
    measure.walk(body if body is not None else root)
    best = measure.densest()
    for _ in range(MAX_LEAD_LEVELS):
        parent = best.getparent() if best is not None else None
        if parent is None or parent not in measure.weights:
            break
        best = parent
    return best

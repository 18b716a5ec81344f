"""The generic body reader: the story of a page whose template nobody described.

Two opinions are asked and their disagreements settled paragraph by paragraph:

1. **Density** (``crawler.extraction.density``): the element holding the most prose, the
   *story box*. It keeps the page's own paragraph boundaries, but a box can be too narrow (a
   story split over several sibling ``<div>``s or sections) or carry furniture inside it (a
   byline, share labels, a teaser list at its end). Boxes built like it (same tag and
   classes, near it: "article__block", "zn-body__paragraph") are the other parts of a split
   story and count as the box.
2. **trafilatura**, run on the *region* around the box (the box's ancestors a few levels up),
   not on the whole page: its text says which paragraphs of the region read as the article.

Every paragraph of the region is then voted on, with the page's own boundaries:

* page furniture by what it is (a widget label, a counter, a breadcrumb, a teaser's dated
  section line: ``crawler.extraction.boilerplate``) is out whatever the opinions say, and so
  are the short lines after a list's label ("Artikel Terkait", "KONTEN PROMOSI"): its teasers;
* a paragraph of the story box that trafilatura also kept is in;
* a paragraph of the story box that trafilatura left out stays only when it reads as prose
  (long, or a sentence ending in punctuation): bylines, labels and teaser titles go;
* a paragraph outside the box is in only when trafilatura kept it, it is not mostly links and
  it joins the box without a widget label in between: the rest of a story split over sibling
  boxes comes back, a neighbouring widget does not;
* a paragraph in an ``<article>`` nested in the box is a teaser of another story: out.

When trafilatura finds nothing in the region, the box's prose is the story.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.block import Paragraph, is_detached_dateline, paragraphs_of
from crawler.extraction.boilerplate import boilerplate, furniture_kind
from crawler.extraction.cleaning import collapse_whitespace, noise_rule
from crawler.extraction.density import densest_container

#: Elements that hold no text, removed from trafilatura's copy so it has less tree to walk.
STRIPPED_FOR_TRAFILATURA = (
    *("script", "style", "svg", "noscript", "template", "iframe", "img", "picture", "source"),
    *("video", "audio", "canvas", "input", "select", "button", "link", "meta"),
)
#: How many levels above the story box the region for trafilatura's opinion reaches.
REGION_LEVELS = 3
#: A paragraph of the box that trafilatura left out stays when it is this long...
PROSE_CHARS = 120
#: ...or a sentence of at least this many words ending in punctuation.
SENTENCE_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)»]\s*$")
#: A paragraph outside the box with this share of link text is navigation, not story.
MAX_OUTSIDE_LINK_SHARE = 0.5
#: Why a paragraph outside the box is not (yet) taken, and why one in an ``<article>`` nested
#: in the box (a teaser of another story) never is.
OUTSIDE = "outside_box"
OTHER_STORY = "other_story"
#: Furniture that growth outside the box steps over (an ad slot between two story parts).
PASSABLE_FURNITURE = frozenset(
    {"label:ads", "label:share", "label:expand", "label:caption", "counter"}
)
#: Verdicts of in-story furniture ("Baca juga: ...", captions, credit lines) growth steps over.
PASSABLE_PREFIXES = ("teaser:", "noise:")
#: How many levels above the box its twins (same tag and class) are looked for.
TWIN_LEVELS = 4
#: Classes a twin shares with the box's line when one of them has extra classes.
MIN_SHARED_CLASSES = 2
#: Sub-headings of the story: kept inside the box even when short.
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Share of a paragraph's word 4-grams trafilatura must hold to count as kept by it.
MIN_SHARED_SHINGLES = 0.5
_WORD = re.compile(r"\w+")


@dataclass
class Story:
    """The story box and the paragraphs voted in (raw, before ``clean_paragraphs``)."""

    box: lxml_html.HtmlElement | None = None
    paragraphs: list[str] = field(default_factory=list)
    #: paragraphs dropped as furniture, by reason (for tests and diagnostics)
    dropped: dict[str, list[str]] = field(default_factory=dict)


def read_story(root: lxml_html.HtmlElement, url: str | None = None) -> Story:
    """The story of a page by density and trafilatura's vote (see the module docstring)."""
    box = densest_container(root)
    if box is None:
        return Story()
    twins = _twins(box)
    region = _region(box, twins)
    parts = [box, *twins]
    inside = {element for part in parts for element in part.iter()}
    other_stories = {e for n in box.iter("article") if n is not box for e in n.iter()}
    inside -= other_stories
    candidates = paragraphs_of(region, keep={*parts, *box.iterancestors()})
    in_box = [paragraph.block in inside for paragraph in candidates]
    opinion = TrafilaturaOpinion(region, url)
    verdicts = [
        OTHER_STORY if p.block in other_stories else _vote(p, boxed, opinion)
        for p, boxed in zip(candidates, in_box, strict=True)
    ]
    _join_detached_dateline(candidates, in_box, verdicts)
    _drop_listed_teasers(candidates, verdicts)
    _grow_outside_box(candidates, in_box, verdicts, opinion)
    story = Story(box)
    for paragraph, verdict in zip(candidates, verdicts, strict=True):
        if verdict is None:
            story.paragraphs.append(paragraph.text)
        else:
            story.dropped.setdefault(verdict, []).append(paragraph.text)
    return story


def _twins(box: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Siblings built like the box or its near ancestors: the other parts of a split story.

    Templates that cut a story into several boxes ("article__block", "zn-body__paragraph",
    "StoryBodyCompanionColumn") give every part the same tag and the same classes (the first
    or last part sometimes more, but always at least two in common: a lone utility class such
    as "clearfix" makes no twin).
    """
    twins = []
    node = box
    for _ in range(TWIN_LEVELS + 1):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        classes = set((node.get("class") or "").split())
        if classes:
            twins += [s for s in parent if s is not node and _alike(s, node.tag, classes)]
        node = parent
    return twins


def _alike(element: lxml_html.HtmlElement, tag: str, classes: set[str]) -> bool:
    """Same tag, same classes; never an ``<article>`` or a box with its own headline: those
    are other stories (a theme that appends the next post, a list of teasers)."""
    if element.tag != tag or tag == "article" or next(element.iter("h1"), None) is not None:
        return False
    other = set((element.get("class") or "").split())
    if other == classes:
        return True
    shared = other & classes
    return len(shared) >= MIN_SHARED_CLASSES and shared in (other, classes)


def _region(
    box: lxml_html.HtmlElement, twins: list[lxml_html.HtmlElement]
) -> lxml_html.HtmlElement:
    """The box's ancestor a few levels up, wide enough to hold all its twins."""
    region = box
    for _ in range(REGION_LEVELS):
        parent = region.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        region = parent
    for twin in twins:
        while region.getparent() is not None and region not in set(twin.iterancestors()):
            region = region.getparent()
    return region


def _vote(paragraph: Paragraph, in_box: bool, opinion: TrafilaturaOpinion) -> str | None:
    """None to keep a paragraph, else why it is dropped (outside the box: first opinion only)."""
    text = paragraph.text
    if kind := furniture_kind(text):
        return kind
    if rule := noise_rule(text):
        return f"noise:{rule}"
    if not in_box:
        return OUTSIDE
    if paragraph.block.tag in HEADING_TAGS or _reads_as_prose(text) or opinion.keeps(text):
        return None
    return "box_not_prose"


def _drop_listed_teasers(candidates: list[Paragraph], verdicts: list[str | None]) -> None:
    """Drop the short lines after a list's label ("Artikel Terkait", "KONTEN PROMOSI"): its
    teasers, written as plain lines inside the story box. The first line that reads as prose
    ends the list."""
    list_kinds = {f"label:{kind}" for kind in boilerplate().list_kinds}
    in_list = False
    for i, paragraph in enumerate(candidates):
        if verdicts[i] in list_kinds:
            in_list = True
        elif _reads_as_prose(paragraph.text):
            in_list = False
        elif in_list and verdicts[i] is None:
            verdicts[i] = "listed_teaser"


def _join_detached_dateline(
    candidates: list[Paragraph], in_box: list[bool], verdicts: list[str | None]
) -> None:
    """Keep a "Jakarta -" fragment opening the box, glued to the paragraph after it."""
    first = next((i for i, boxed in enumerate(in_box) if boxed), None)
    if first is None or first + 1 >= len(candidates) or not in_box[first + 1]:
        return
    if is_detached_dateline(candidates[first].text) and verdicts[first + 1] is None:
        joined = f"{candidates[first].text} {candidates[first + 1].text}"
        candidates[first + 1] = candidates[first + 1]._replace(text=joined)
        verdicts[first] = "dateline_joined"


def _grow_outside_box(
    candidates: list[Paragraph],
    in_box: list[bool],
    verdicts: list[str | None],
    opinion: TrafilaturaOpinion,
) -> None:
    """Take in paragraphs next to the box that trafilatura kept: a story split over boxes.

    Growth runs outward from the box, paragraph by paragraph, and stops at the first one
    trafilatura did not keep, that is mostly links, or that labels a widget or a teaser list.
    """
    boxed = [i for i, flag in enumerate(in_box) if flag]
    if not boxed:
        return
    story: frozenset[tuple[str, ...]] | None = None
    for indexes in (range(boxed[0] - 1, -1, -1), range(boxed[-1] + 1, len(candidates))):
        for i in indexes:
            verdict, paragraph = verdicts[i], candidates[i]
            if verdict is not None and verdict != OUTSIDE:
                if verdict in PASSABLE_FURNITURE or verdict.startswith(PASSABLE_PREFIXES):
                    continue
                break
            text = paragraph.text
            if story is None:
                story = shingles(" ".join(candidates[j].text for j in boxed if not verdicts[j]))
            if shared_share(text, story) >= MIN_SHARED_SHINGLES:
                verdicts[i] = "repeats_story"
                continue
            links_ok = paragraph.link_chars < MAX_OUTSIDE_LINK_SHARE * len(text)
            worth_asking = paragraph.block.tag in HEADING_TAGS or _reads_as_prose(text)
            if not (links_ok and worth_asking and opinion.keeps(text)):
                break
            verdicts[i] = None


def _reads_as_prose(text: str) -> bool:
    if len(text) >= PROSE_CHARS:
        return True
    return bool(_SENTENCE_END.search(text)) and len(text.split()) >= SENTENCE_WORDS


class TrafilaturaOpinion:
    """Which texts trafilatura keeps as the article in a region of the page.

    Asked lazily: trafilatura runs on the first question only, so a page whose story box is
    all prose and has no story-like neighbours never pays for it.
    """

    def __init__(self, region: lxml_html.HtmlElement, url: str | None) -> None:
        self.region = region
        self.url = url
        self._text: str | None = None
        self._shingles: frozenset[tuple[str, ...]] = frozenset()

    def keeps(self, text: str) -> bool:
        """True when trafilatura's text holds ``text`` (or most of its word 4-grams)."""
        if self._text is None:
            raw = trafilatura_text(self.region, self.url)
            self._text, self._shingles = collapse_whitespace(raw), shingles(raw)
        if not self._text:
            return False
        return text in self._text or shared_share(text, self._shingles) >= MIN_SHARED_SHINGLES


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The word 4-grams of a text."""
    words = _WORD.findall(text)
    return frozenset(tuple(words[i : i + 4]) for i in range(len(words) - 3))


def shared_share(text: str, known: frozenset[tuple[str, ...]]) -> float:
    """Share of a text's word 4-grams found in ``known`` (0 for texts under four words)."""
    words = _WORD.findall(text)
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    return sum(gram in known for gram in grams) / len(grams) if grams else 0.0


def trafilatura_text(region: lxml_html.HtmlElement, url: str | None) -> str:
    """trafilatura's main text of ``region`` alone ("" when it keeps nothing).

    Its fast mode (no second extractor) on a copy of the region, without metadata, comments
    or tables: the cost is a fraction of a whole-page run, and the page's tree is untouched.
    """
    from trafilatura import bare_extraction

    document = lxml_html.Element("html")
    part = copy.deepcopy(region)
    etree.strip_elements(part, *STRIPPED_FOR_TRAFILATURA, etree.Comment, with_tail=False)
    etree.SubElement(document, "body").append(part)
    try:
        result = bare_extraction(
            document,
            url=url,
            fast=True,
            with_metadata=False,
            include_comments=False,
            include_tables=False,
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; its vote is optional
        return ""
    return (result.text if result is not None else "") or ""

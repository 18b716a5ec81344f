"""Page furniture recognised by what it is, not by one site's class names.

A news page wraps its story in boxes that are not the story: comment threads, cookie banners,
menus and breadcrumbs, sidebars, related and popular lists, share bars, ads, newsletter
prompts, bylines and counters. The generic reader (``crawler.extraction.story``) must drop
them on templates nobody here has seen, so they are recognised by general marks:

* a box's class/id words (``comments``, ``related``, ``share``...), unless it also says it
  is content (``article-body``) or is ``<article>``/``<main>``/``<body>``;
* a paragraph that is only a widget's label ("Baca Juga", "REKOMENDASI", "Bagikan",
  "ADVERTISEMENT"), a counter ("1 view", "12 komentar"), a breadcrumb trail ("Home > Nasional"),
  or a teaser's dated section line ("NASIONAL | 9 Oktober 2020").

The words and labels live in ``crawler/data/boilerplate.json`` (Indonesian and English).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib.resources import files

from crawler.utils.dates import DateParseError, parse_indonesian_datetime

BOILERPLATE_DATA = "boilerplate.json"
#: Tags that are content whatever their classes say.
CONTENT_TAGS = frozenset({"article", "main", "body", "html"})
#: A breadcrumb trail: short steps between these separators.
_CRUMB_SEPARATOR = re.compile(r"\s*(?:>|»|›|/|\\|→|\|)\s*")
MAX_CRUMB_STEPS = 6
MAX_CRUMB_STEP_CHARS = 40
#: A dated teaser line: a short label, a separator and a date ("NASIONAL | 9 Oktober 2020").
MAX_DATED_ITEM_CHARS = 80
#: A label before a colon is at most this far into the paragraph.
MAX_LABEL_CHARS = 40
#: Characters of a paragraph's opening read first to rule out that it is only a label.
LABEL_OPENING_CHARS = 80
_LABEL_PART = re.compile(r"^[^\d|•·,-]{0,40}?\s*(?:\||•|·|-|–|—|,)\s*")
_NOT_WORD = re.compile(r"[\W_]+")
_CLASS_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Boilerplate:
    """The vocabulary of page furniture (see ``crawler/data/boilerplate.json``)."""

    class_kinds: dict[str, str]  # class/id word -> kind
    content_words: frozenset[str]
    inside_story_words: frozenset[str]
    labels: dict[str, str]  # label (lower case, words only) -> kind
    counter: re.Pattern[str]
    crumb_roots: frozenset[str]
    prefix_kinds: frozenset[str]
    #: label kinds that head a list: the short lines after such a label are its items
    list_kinds: frozenset[str]
    #: characters of the longest label (words only): a longer paragraph is not a label
    longest_label: int

    def box_kind(self, tag: str, class_id: str) -> str | None:
        """The kind of furniture a box is by its class and id ("related", "share"...), or None."""
        if not class_id or tag in CONTENT_TAGS:
            return None
        words = set(_CLASS_WORD.findall(class_id.lower()))
        if words & self.content_words:
            return None
        return next((self.class_kinds[w] for w in sorted(words) if w in self.class_kinds), None)

    def label_kind(self, text: str) -> str | None:
        """What a paragraph that is only a label labels ("Baca Juga", "Bagikan:"), or None.

        Every paragraph of a story is asked (``crawler.extraction.cleaning``), and reducing a
        whole paragraph to its words cost 10 us: a long one is judged by its opening first.
        The words of an opening are never longer than those of the whole, so when they are
        longer than any label the paragraph is not one.
        """
        if len(text) > LABEL_OPENING_CHARS and (
            len(_words_only(text[:LABEL_OPENING_CHARS])) > self.longest_label
        ):
            return None
        return self.labels.get(_words_only(text))

    def teaser_kind(self, text: str) -> str | None:
        """For some kinds, a label and a colon before a teaser ("Baca juga: ...", "Tags: ...")."""
        head, colon, _ = text[:MAX_LABEL_CHARS].partition(":")
        if not colon:
            return None
        words = _words_only(head).split()
        for size in range(len(words), 0, -1):
            kind = self.labels.get(" ".join(words[:size]))
            if kind in self.prefix_kinds:
                return kind
        return None

    def is_counter(self, text: str) -> bool:
        return bool(self.counter.match(text))

    def is_breadcrumb(self, text: str) -> bool:
        """ "Home > Nasional", "Beranda / Jateng / Semarang": short steps from a root."""
        steps = [s for s in _CRUMB_SEPARATOR.split(text) if s]
        if not 2 <= len(steps) <= MAX_CRUMB_STEPS or len(steps) == text.count(" ") + 1:
            return False
        if any(len(step) > MAX_CRUMB_STEP_CHARS for step in steps):
            return False
        return _words_only(steps[0]) in self.crumb_roots


def _words_only(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


@functools.cache
def boilerplate() -> Boilerplate:
    """The vocabulary, read once from the package data."""
    with files("crawler.data").joinpath(BOILERPLATE_DATA).open(encoding="utf-8") as handle:
        data = json.load(handle)
    labels = {_words_only(label): kind for kind, ls in data["labels"].items() for label in ls}
    counters = "|".join(re.escape(w) for w in sorted(data["counter_words"], key=len, reverse=True))
    return Boilerplate(
        class_kinds={w: kind for kind, words in data["class_words"].items() for w in words},
        content_words=frozenset(data["content_class_words"]),
        inside_story_words=frozenset(data["inside_story_class_words"]),
        labels=labels,
        counter=re.compile(rf"^\d[\d.,]*\s*[kmKM]?\s*(?:{counters})\b\W*$", re.IGNORECASE),
        crumb_roots=frozenset(_words_only(root) for root in data["breadcrumb_roots"]),
        prefix_kinds=frozenset(data["prefix_label_kinds"]),
        list_kinds=frozenset(data["list_label_kinds"]),
        longest_label=max(map(len, labels), default=0),
    )


def is_dated_item(text: str) -> bool:
    """A teaser's section-and-date line: "NASIONAL | 9 Oktober 2020", "Jateng, 2 jam lalu".

    Short, and once a leading label is cut off, nothing but a date.
    """
    if len(text) > MAX_DATED_ITEM_CHARS or not any(c.isdigit() for c in text):
        return False
    rest = _LABEL_PART.sub("", text, count=1)
    if len(rest) == len(text) and not rest[:1].isdigit():
        return False
    try:
        parse_indonesian_datetime(rest)
    except DateParseError:
        return False
    return len(_words_only(rest).split()) <= 7


def furniture_kind(text: str) -> str | None:
    """Why a whole paragraph is page furniture, or None.

    "label:<kind>" for a widget's label alone (a heading over a list: what follows is the
    widget), "teaser:<kind>" for a label with its one teaser ("Baca juga: ..."), "counter",
    "breadcrumb" or "dated_item".
    """
    vocabulary = boilerplate()
    if kind := vocabulary.label_kind(text):
        return f"label:{kind}"
    if kind := vocabulary.teaser_kind(text):
        return f"teaser:{kind}"
    if vocabulary.is_counter(text):
        return "counter"
    if vocabulary.is_breadcrumb(text):
        return "breadcrumb"
    if is_dated_item(text):
        return "dated_item"
    return None

"""Group articles about the same story, so "top stories" can rank by how many outlets ran it.

Different outlets title the same event differently ("Banjir Rendam 3 Desa di Demak", "Tiga
Desa di Demak Terendam Banjir"), but share its content words: the words of a title less
function words and the names of kab/kota (shared by every story of one kab/kota). Two titles
are the same story when at least ``MIN_SHARED_WORDS`` of their content words are shared and
they make at least ``MIN_OVERLAP`` of the shorter title's content words. Grouping is greedy,
oldest article first, so each story is represented by the article that broke it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from importlib.resources import files

from crawler.enrichment.gazetteer import load_kabkota
from crawler.report.records import ReportRecord

MIN_SHARED_WORDS = 2
MIN_OVERLAP = 0.5
#: Coverage of one event follows within days; a title older than this starts a new story.
STORY_GAP = timedelta(days=2)

_WORD = re.compile(r"\w+")
STOPWORDS_FILE = "report_stopwords.txt"


@cache
def region_words() -> frozenset[str]:
    """Words of the kab/kota names and labels ("kabupaten", "kota", "semarang", ...)."""
    return frozenset(
        word
        for region in load_kabkota()
        for word in _WORD.findall(f"{region.name} {region.label}".casefold())
    )


@cache
def ignored_words() -> frozenset[str]:
    """Function words (crawler/data/report_stopwords.txt) and kab/kota name words."""
    text = files("crawler.data").joinpath(STOPWORDS_FILE).read_text(encoding="utf-8")
    stopwords = {line.strip() for line in text.splitlines() if not line.startswith("#")}
    return frozenset(stopwords - {""}) | region_words()


def content_words(title: str) -> frozenset[str]:
    """Lower-case words of a title that can tell stories apart."""
    ignored = ignored_words()
    return frozenset(
        word
        for word in _WORD.findall(title.casefold())
        if word not in ignored and (len(word) > 1 or word.isdigit())
    )


def same_story(words: frozenset[str], other: frozenset[str]) -> bool:
    shared = len(words & other)
    shorter = min(len(words), len(other))
    return shared >= MIN_SHARED_WORDS and shorter > 0 and shared / shorter >= MIN_OVERLAP


@dataclass
class Story:
    """Articles about one event; ``lead`` broke it, ``articles`` holds all, oldest first."""

    lead: ReportRecord
    words: frozenset[str]
    articles: list[ReportRecord] = field(default_factory=list)

    @property
    def outlets(self) -> int:
        return len({article.outlet for article in self.articles})

    @property
    def latest(self) -> ReportRecord:
        """The newest article (articles are added oldest first)."""
        return self.articles[-1]


def group_stories(articles: Iterable[ReportRecord]) -> list[Story]:
    """Stories, the most-covered first (distinct outlets, then articles, then newest).

    An article joins only a story that had an article within ``STORY_GAP`` before it, which
    keeps a report over months from comparing every title with every other.
    """
    stories: list[Story] = []
    recent: list[Story] = []
    for article in sorted(articles, key=lambda a: a.published):
        recent = [s for s in recent if article.published - s.latest.published <= STORY_GAP]
        words = content_words(article.title)
        story = next((s for s in recent if same_story(words, s.words)), None)
        if story is None:
            story = Story(lead=article, words=words, articles=[article])
            stories.append(story)
            recent.append(story)
        else:
            story.articles.append(article)
    stories.sort(key=lambda s: (s.outlets, len(s.articles), s.latest.published), reverse=True)
    return stories

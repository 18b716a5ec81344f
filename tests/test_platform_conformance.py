"""Each platform spider's parser on real pages of its platform, against the hand-checked gold.

A spider's parser is its layouts (chosen per page by ``crawler.extraction.layouts.read_article``,
the path the spider itself takes) and their selectors through ``extract_article``. On every gold
page listed for it: title and published exact, paragraph F1 of at least ``MIN_PAGE_F1``, no
``must_not_contain`` string in the body, the body read by the spider's own selectors, and the
page recognised as one of several pages exactly where the gold says it is.

Outlets on further platforms add a row to ``PLATFORM_PAGES``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.evaluation.conformance import CRAWL_TIME, load_gold, score_page
from crawler.extraction.layouts import read_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "fixtures" / "real"
GOLD = REAL / "gold.jsonl"
MIN_PAGE_F1 = 0.97

#: Spider name -> gold pages its parser must read: file names, or folders ending in "/".
PLATFORM_PAGES: dict[str, tuple[str, ...]] = {
    "tribunjateng": ("tribun/",),
    "detikjateng": ("detik/",),
    "kompasjateng": ("kompas/",),
    "antarajateng": ("antara/",),
    "suaramerdeka": ("prmn/",),
}


def selected(file: str, selections: tuple[str, ...]) -> bool:
    return any(file == s or (s.endswith("/") and file.startswith(s)) for s in selections)


def conformance_cases() -> list:
    if not GOLD.is_file():
        reason = f"real-page gold not found at {GOLD} (../shared is absent)"
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=reason), id="no-shared")]
    gold = load_gold(SHARED)
    return [
        pytest.param(spider, record, id=f"{spider}:{record['file']}")
        for spider, selections in PLATFORM_PAGES.items()
        for record in gold
        if selected(record["file"], selections)
    ]


def spider_class(name: str) -> type:
    return get_spider_loader(get_project_settings()).load(name)


@pytest.mark.parametrize(("spider", "gold"), conformance_cases())
def test_spider_parser_reads_real_platform_page(spider: str, gold: dict) -> None:
    layouts = spider_class(spider).layouts
    page = read_article((REAL / gold["file"]).read_bytes(), gold["url"], layouts, now=CRAWL_TIME)
    score = score_page(gold, page.article)
    assert page.article.title == gold["title"]
    assert score.published_ok, f"published {page.article.published} != {gold['published']}"
    assert score.f1 >= MIN_PAGE_F1, (
        f"paragraph F1 {score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f})"
    )
    assert not score.forbidden_found
    assert page.article.layers.get("body") == "selectors", f"layout {page.layout.name}"
    assert page.is_paged(gold["url"]) is gold["multipage"]


@pytest.mark.skipif(not GOLD.is_file(), reason=f"real-page gold not found at {GOLD}")
@pytest.mark.parametrize("spider", sorted(PLATFORM_PAGES))
def test_every_platform_row_selects_gold_pages(spider: str) -> None:
    files = [g["file"] for g in load_gold(SHARED) if selected(g["file"], PLATFORM_PAGES[spider])]
    assert files, f"no gold page selected for {spider}"


@pytest.mark.skipif(not GOLD.is_file(), reason=f"real-page gold not found at {GOLD}")
def test_detik_rows_cover_the_2015_and_2021_2022_templates() -> None:
    years = {g["published"][:4] for g in load_gold(SHARED) if selected(g["file"], ("detik/",))}
    assert {"2015", "2021", "2022"} <= years


@pytest.mark.skipif(not GOLD.is_file(), reason=f"real-page gold not found at {GOLD}")
@pytest.mark.parametrize(
    ("spider", "file", "layout"),
    [
        # The URL's date picks the 2015 layout although the classic one also matches the page.
        ("tribunjateng", "tribun/tribunnews-article-2015-06-19-domsnapshot.html", "tribun-2015"),
        ("tribunjateng", "tribun/solo-tribunnews-article-2020-10-09.html", "tribun-classic"),
        ("detikjateng", "detik/inet-detik-2015-11-05.html", "detik-2015"),
        ("detikjateng", "detik/sport-detik-insider-d5746542-2021-09-30.html", "detik-detail-text"),
        ("detikjateng", "detik/travel-detik-d6454465-2022-12-10.html", "detik-read"),
        ("detikjateng", "detik/news-detik-d6453785-2022-12-10.html", "detik-detail"),
        ("kompasjateng", "kompas/regional-kompas-article-2015-11-04.html", "kompas-2015"),
        ("antarajateng", "antara/antaranews-article-2017-05-15.html", "antara-2017"),
        (
            "suaramerdeka",
            "prmn/zonajakarta-pikiran-rakyat-article-2020-10-07-page2.html",
            "prmn-read",
        ),
    ],
)
def test_layout_versions_by_date_and_template(spider: str, file: str, layout: str) -> None:
    gold = {g["file"]: g for g in load_gold(SHARED)}[file]
    page = read_article((REAL / file).read_bytes(), gold["url"], spider_class(spider).layouts)
    assert page.layout.name == layout

"""`scrapy crawl suaramerdeka` end to end over the constructed Suara Merdeka site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.extraction.layouts import read_article
from crawler.spiders.suaramerdeka import SuaraMerdekaSpider
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "suaramerdeka"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
#: A real PRMN network page: page 2 of a three-page story.
PRMN_PAGE = SHARED / "fixtures/real/prmn/zonajakarta-pikiran-rakyat-article-2020-10-07-page2.html"
PRMN_URL = (
    "https://zonajakarta.pikiran-rakyat.com/internasional/pr-18808737/"
    "walau-kena-covid-19-donald-trump-masih-berbahaya-karena-disampingnya-ada-pemicu-kiamat-dunia"
)


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("suaramerdeka")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "suaramerdeka",
        "Suara Merdeka",
        "Jateng",
    )
    assert record["extraction"]["layout"] == "prmn-read"
    assert record["extraction"]["body"] == "selectors"
    assert record["extraction"].get("pages") == expected.get("extraction", {}).get("pages")


def test_the_pages_of_a_paged_article_are_fetched_once_each_in_order(crawl: SiteCrawl) -> None:
    pages = EXPECTED["pages_in_order"]
    fetched = [r for r in crawl.requests if r.split("?")[0] == pages[0]]
    assert fetched == pages
    assert log_stat(crawl.log, "crawler/multipage/joined") == 1
    record = next(r for r in crawl.records if r["url"] == pages[0])
    assert "pages_missing" not in record["extraction"]


def test_the_east_java_subdomain_is_never_fetched(crawl: SiteCrawl) -> None:
    assert not any("jatim.suaramerdeka.com" in r for r in crawl.requests)
    assert log_stat(crawl.log, "crawler/skipped/jatim") == 1


def test_block_page_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    assert log_stat(crawl.log, "crawler/failed/article_blocked") == 1
    assert log_stat(crawl.log, "crawler/blocked/suaramerdeka") == blocked["requests"]


def test_every_feed_is_read(crawl: SiteCrawl) -> None:
    assert not [r for r in crawl.requests if "/rss" in r and r not in EXPECTED["discovery_urls"]]


def test_single_paged_article_by_url(tmp_path: Path) -> None:
    article = ARTICLES["m"]
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "suaramerdeka", "-a", f"url={article['url']}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-2000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert (record["url"], record["body"]) == (article["url"], article["body"])


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        (
            "https://www.suaramerdeka.com/jawa-tengah/049795809/menilik-wisata-maritim-rembang",
            "suaramerdeka:049795809",
        ),
        (
            "https://solo.suaramerdeka.com/solo-raya/pr-055482435/kawasan-sriwedari-ditata",
            "suaramerdeka:pr-055482435",
        ),
        (
            "https://www.suaramerdeka.com/semarang-raya/0413788206/gus-yasin-minta-santri-mendunia",
            "suaramerdeka:0413788206",
        ),
    ],
)
def test_article_urls_of_every_generation_have_their_id_as_identity(
    url: str, identity: str
) -> None:
    spider = SuaraMerdekaSpider()
    assert spider.is_article_url(url)
    assert spider.article_identity(url) == identity


def test_the_old_print_archive_and_section_pages_are_not_articles() -> None:
    spider = SuaraMerdekaSpider()
    assert not spider.is_article_url("https://www.suaramerdeka.com/harian/0504/26/nas03.htm")
    assert not spider.is_article_url("https://www.suaramerdeka.com/semarang-raya")


def test_the_pager_of_a_real_prmn_page_2_links_pages_1_and_3() -> None:
    if not PRMN_PAGE.is_file():
        pytest.skip(f"real PRMN page not found at {PRMN_PAGE} (../shared is absent)")
    page = read_article(PRMN_PAGE.read_bytes(), PRMN_URL, SuaraMerdekaSpider.layouts)
    assert page.layout.name == "prmn-read"
    assert page.linked_pages(PRMN_URL) == {1: PRMN_URL, 3: f"{PRMN_URL}?page=3"}

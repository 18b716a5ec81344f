"""`scrapy crawl tribunjateng` end to end over the constructed Tribun Jateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "tribunjateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("tribunjateng")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "tribunjateng",
        "Tribun Jateng",
        "Jateng",
    )
    assert record["extraction"]["layout"] == "tribun-classic"
    assert record["extraction"]["body"] == "selectors"
    for key in ("pages", "pages_missing"):
        assert record["extraction"].get(key) == expected.get("extraction", {}).get(key), key


def test_the_editor_named_by_json_ld_is_not_the_author(crawl: SiteCrawl) -> None:
    record = next(r for r in crawl.records if r["url"] == ARTICLES["a"]["url"])
    assert record["authors"] == ["Rahmat Hidayat"]
    assert record["extraction"]["authors"] == "selectors"


def test_a_paged_article_is_read_through_its_single_page_view(crawl: SiteCrawl) -> None:
    url = ARTICLES["c"]["url"]
    assert crawl.requests.count(url) == 1
    assert crawl.requests.count(f"{url}?page=all") == 1
    assert f"{url}?page=2" not in crawl.requests


def test_without_a_view_the_pages_are_walked_in_order_and_a_lost_page_is_flagged(
    crawl: SiteCrawl,
) -> None:
    url = ARTICLES["d"]["url"]
    order = [r for r in crawl.requests if r.startswith(url)]
    assert order == [url, f"{url}?page=all", f"{url}?page=2", f"{url}?page=3"]
    log = crawl.log
    assert log_stat(log, "crawler/failed/page_http_404") == len(EXPECTED["failed_pages"]) == 3
    assert log_stat(log, "crawler/multipage/joined") == 2
    assert log_stat(log, "crawler/multipage/partial") == 1
    for failed in EXPECTED["failed_pages"]:
        assert f"page_http_404: {failed['url']}" in log


def test_2026_pager_is_walked_by_its_rel_page_links(crawl: SiteCrawl) -> None:
    url = ARTICLES["h"]["url"]
    order = [r for r in crawl.requests if r.startswith(url)]
    assert order == [url, f"{url}?page=all", f"{url}?page=2"]
    record = next(r for r in crawl.records if r["url"] == url)
    assert record["extraction"]["pages"] == "2/2"


def test_2026_summary_box_and_ad_slots_are_no_story(crawl: SiteCrawl) -> None:
    bodies = "\n".join(p for record in crawl.records for p in record["body"])
    for noise in EXPECTED["noise"]:
        assert noise not in bodies, noise


def test_block_page_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    log = crawl.log
    assert log_stat(log, f"crawler/failed/{blocked['failure']}") == 1
    # Every block page met is counted: the three of fixture f and the redirected one of g.
    assert log_stat(log, "crawler/blocked/tribunjateng") == blocked["requests"] + 1


def test_a_challenge_reached_by_redirect_is_retried_at_the_article_url(crawl: SiteCrawl) -> None:
    for entry in EXPECTED["retried"]:
        assert crawl.requests.count(entry["url"]) == 2
        assert entry["url"] in {r["url"] for r in crawl.records}


def test_discovery_used_rss_sitemap_and_every_dated_index(crawl: SiteCrawl) -> None:
    days = {r for r in crawl.requests if "/index-news?" in r and "&page=" not in r}
    assert days == {
        f"https://jateng.tribunnews.com/index-news?date=2025-7-{day}" for day in (1, 2, 3)
    }


def test_single_paged_article_by_url(tmp_path: Path) -> None:
    article = ARTICLES["c"]
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "tribunjateng", "-a", f"url={article['url']}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-2000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert record["url"] == article["url"]
    assert record["body"] == article["body"]

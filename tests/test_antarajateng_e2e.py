"""`scrapy crawl antarajateng` end to end over the constructed Antara Jateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.downloader.browser import playwright_installed
from crawler.spiders.antarajateng import canonical_article_url
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "antarajateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
#: Whether a challenged request goes once more through the browser (the browser extra).
BROWSER = playwright_installed() and Path("/usr/bin/chromium").exists()


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("antarajateng")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "antarajateng",
        "Antara Jateng",
        "Jateng",
    )
    assert record["extraction"]["layout"] == expected["layout"]
    assert record["extraction"]["body"] == "selectors"


def test_both_article_templates_are_read(crawl: SiteCrawl) -> None:
    layouts = {r["extraction"]["layout"] for r in crawl.records}
    assert layouts == {"antara-detail", "antara-bureau"}


def test_the_editor_named_by_json_ld_is_not_the_author(crawl: SiteCrawl) -> None:
    for record in crawl.records:
        assert record["extraction"]["authors"] == "generic"
    record = next(r for r in crawl.records if r["url"] == ARTICLES["a"]["url"])
    assert record["authors"] == ["Wisnu Adhi Nugroho"]


def test_amp_twins_are_fetched_once_at_their_canonical_url(crawl: SiteCrawl) -> None:
    for key in ("b", "c"):
        url = ARTICLES[key]["url"]
        assert crawl.requests.count(url) == 1
        assert not any("/amp/" in r for r in crawl.requests)


def test_a_challenge_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    """Once more in the browser when it can render, else later; given up as a challenge."""
    [blocked] = EXPECTED["blocked"]
    requests = blocked["requests_with_browser" if BROWSER else "requests"]
    assert crawl.requests.count(blocked["url"]) == requests
    assert log_stat(crawl.log, "crawler/failed/article_challenge") == 1
    assert log_stat(crawl.log, "crawler/blocked/antarajateng") == requests
    assert log_stat(crawl.log, "crawler/browser/challenge_requested") == int(BROWSER)


def test_a_feed_item_with_an_empty_link_is_found_by_its_guid(crawl: SiteCrawl) -> None:
    assert ARTICLES["a"]["url"] in {record["url"] for record in crawl.records}
    assert log_stat(crawl.log, "crawler/sources/feed") == 5


def test_the_listing_is_read_by_date_not_by_novelty(crawl: SiteCrawl) -> None:
    # Terkini page 1 brings nothing the feed did not: it is read on anyway, up to page 3.
    listing = [r for r in crawl.requests if "/terkini" in r and "/rss/" not in r]
    assert listing == [f"https://jateng.antaranews.com/terkini{p}" for p in ("", "/2", "/3")]
    assert log_stat(crawl.log, "crawler/skipped/outside_window") == 4


def test_an_amp_url_given_alone_is_read_at_its_canonical_url(tmp_path: Path) -> None:
    url = ARTICLES["c"]["url"]
    amp = url.replace("/berita/", "/amp/berita/")
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "antarajateng", "-a", f"url={amp}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-2000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert (record["url"], record["body"]) == (url, ARTICLES["c"]["body"])
    assert amp not in requests


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://jateng.antaranews.com/amp/berita/606837/a-story",
            "https://jateng.antaranews.com/berita/606837/a-story",
        ),
        (
            "https://jateng.antaranews.com/berita/606837/a-story",
            "https://jateng.antaranews.com/berita/606837/a-story",
        ),
    ],
)
def test_canonical_article_url(url: str, canonical: str) -> None:
    assert canonical_article_url(url) == canonical

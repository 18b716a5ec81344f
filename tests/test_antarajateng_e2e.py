"""`scrapy crawl antarajateng` end to end over the constructed Antara Jateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, log_stat, read_jsonl, run_scrapy, window_args

from crawler.downloader.browser import playwright_installed
from crawler.spiders.antarajateng import canonical_article_url
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "antarajateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
#: Whether a challenged request goes once more through the browser (the browser extra).
BROWSER = playwright_installed() and Path("/usr/bin/chromium").exists()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    workdir = tmp_path_factory.mktemp("antarajateng")
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "antarajateng", *WINDOW, "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "records": read_jsonl(workdir / "out.jsonl"),
        "log": result.stderr,
        "requests": requests,
    }


def test_exactly_the_expected_articles_are_exported(crawl: dict) -> None:
    exported = sorted(r["url"] for r in crawl["records"])
    assert exported == sorted(a["url"] for a in EXPECTED["articles"])


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_every_field_of_every_record(crawl: dict, expected: dict) -> None:
    record = next(r for r in crawl["records"] if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "antarajateng",
        "Antara Jateng",
        "Jateng",
    )
    for name in ("title", "published", "modified", "authors", "section", "tags", "dateline"):
        assert record[name] == expected[name], name
    assert record["body"] == expected["body"]
    assert record["views"] == expected["views"]
    assert record["extraction"]["layout"] == expected["layout"]
    assert record["extraction"]["body"] == "selectors"


def test_both_article_templates_are_read(crawl: dict) -> None:
    layouts = {r["extraction"]["layout"] for r in crawl["records"]}
    assert layouts == {"antara-detail", "antara-bureau"}


def test_the_editor_named_by_json_ld_is_not_the_author(crawl: dict) -> None:
    for record in crawl["records"]:
        assert record["extraction"]["authors"] == "generic"
    record = next(r for r in crawl["records"] if r["url"] == ARTICLES["a"]["url"])
    assert record["authors"] == ["Wisnu Adhi Nugroho"]


def test_amp_twins_are_fetched_once_at_their_canonical_url(crawl: dict) -> None:
    for key in ("b", "c"):
        url = ARTICLES[key]["url"]
        assert crawl["requests"].count(url) == 1
        assert not any("/amp/" in r for r in crawl["requests"])


def test_a_challenge_is_retried_counted_and_never_exported(crawl: dict) -> None:
    """Once more in the browser when it can render, else later; given up as a challenge."""
    [blocked] = EXPECTED["blocked"]
    requests = blocked["requests_with_browser" if BROWSER else "requests"]
    assert crawl["requests"].count(blocked["url"]) == requests
    assert f"article_challenge: {blocked['url']}" in crawl["log"]
    assert log_stat(crawl["log"], "crawler/failed/article_challenge") == 1
    assert log_stat(crawl["log"], "crawler/blocked/antarajateng") == requests
    assert log_stat(crawl["log"], "crawler/browser/challenge_requested") == int(BROWSER)


def test_a_feed_item_with_an_empty_link_is_found_by_its_guid(crawl: dict) -> None:
    assert ARTICLES["a"]["url"] in {record["url"] for record in crawl["records"]}
    assert log_stat(crawl["log"], "crawler/sources/feed") == 5


def test_what_must_not_be_fetched_is_not(crawl: dict) -> None:
    for entry in EXPECTED["not_fetched"]:
        assert entry["url"] not in crawl["requests"], entry["reason"]


def test_the_listing_is_read_by_date_not_by_novelty(crawl: dict) -> None:
    # Terkini page 1 brings nothing the feed did not: it is read on anyway, up to page 3.
    listing = [r for r in crawl["requests"] if "/terkini" in r and "/rss/" not in r]
    assert listing == [f"https://jateng.antaranews.com/terkini{p}" for p in ("", "/2", "/3")]
    assert set(EXPECTED["discovery_urls"]) <= set(crawl["requests"])
    assert log_stat(crawl["log"], "crawler/skipped/outside_window") == 4


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

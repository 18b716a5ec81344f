"""`scrapy crawl` of every WordPress outlet over its constructed site, through real HTTP.

Each site exercises one way in: the REST API (suarabaru, metrojateng, jatengprov), the feed
after a refused or missing API (jatengpos 401, lingkarjateng 404), and the sitemaps after an
API answering HTML and a feed redirecting to the home page (halosemarang). See each site's
README.md; EXPECTED.json follows tests/sites/espos/EXPECTED.json, plus ``source`` per article
("wp-rest": delivered from the REST listing, "wp-rest+page": REST fields over a fetched
page, "page": a fetched page only).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SiteCrawl, crawl_fixture_site, load_expected, request_key

from crawler.outlets.registry import registered_outlets
from crawler.utils.urls import url_hash

WORDPRESS_OUTLETS = (
    "suarabaru",
    "metrojateng",
    "jatengprov",
    "jatengpos",
    "lingkarjateng",
    "halosemarang",
)
ISO_WIB = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")
REST_LAYER = "wp-rest"
#: Fields REST states for every post of the fixtures (authors only where a person wrote it).
REST_FIELDS = {"url", "title", "published", "modified", "section", "tags"}
#: Layer entries of extracted fields (enrichers record theirs beside them).
EXTRACTED_FIELDS = REST_FIELDS | {"authors", "body", "views"}
#: Failures each site is built to cause; any other counted failure is a bug.
EXPECTED_FAILURES = {
    "jatengpos": {"crawler/failed/article_http_404": 1, "crawler/failed/article_challenge": 1},
    "lingkarjateng": {"crawler/failed/article_challenge": 1},
    "halosemarang": {"crawler/failed/article_challenge": 1},
    "metrojateng": {"crawler/failed/article_challenge": 1},
}
#: Sites whose REST API is absent, and the last discovery source each falls back to.
FALLBACKS = {"jatengpos": "feeds", "lingkarjateng": "feeds", "halosemarang": "sitemaps"}


def crawl_site(name: str, workdir: Path, *extra: str) -> SiteCrawl:
    """A crawl of its own (not the session's), which must succeed."""
    crawl = crawl_fixture_site(name, workdir, *extra)
    assert crawl.returncode == 0, crawl.log[-3000:]
    return crawl


#: The session's crawl of each WordPress site (tests/conftest.py, `crawl`).
each_site = pytest.mark.parametrize("crawl", WORDPRESS_OUTLETS, indirect=True)


def test_every_wordpress_outlet_is_registered():
    registry = registered_outlets()
    for name in WORDPRESS_OUTLETS:
        assert name in registry
        assert "wp-rest" in registry[name].discovery


@each_site
def test_every_record_has_its_hash_wib_times_and_a_sentiment(crawl: SiteCrawl) -> None:
    records = {record["url"]: record for record in crawl.records}
    for expected in crawl.expected["articles"]:
        record = records[expected["url"]]
        assert record["url_hash"] == url_hash(expected["url"])
        assert ISO_WIB.match(record["published"]) and ISO_WIB.match(record["crawled_at"])
        assert record["sentiment"]["label"] in {"positif", "negatif", "neutral"}


@each_site
def test_each_field_comes_from_the_source_the_site_offers(crawl: SiteCrawl) -> None:
    records = {record["url"]: record for record in crawl.records}
    for expected in crawl.expected["articles"]:
        layers = records[expected["url"]]["extraction"]
        rest_fields = {field for field, layer in layers.items() if layer == REST_LAYER}
        fixture = expected["fixture"]
        if expected["source"] == "wp-rest":
            assert rest_fields >= REST_FIELDS | {"body"}, fixture
            assert set(layers) & EXTRACTED_FIELDS == rest_fields, fixture
            assert ("authors" in rest_fields) == bool(expected["authors"]), fixture
        elif expected["source"] == "wp-rest+page":
            assert rest_fields >= REST_FIELDS, fixture
            assert layers["body"] != REST_LAYER and layers["layout"] == "wordpress", fixture
        else:
            assert not rest_fields, fixture
            assert layers["layout"] == "wordpress", fixture


@each_site
def test_articles_delivered_from_rest_are_never_fetched(crawl: SiteCrawl) -> None:
    fetched_pages = {
        request_key(url)
        for url in crawl.requests
        if "/wp-json/" not in url and not url.endswith("/robots.txt")
    }
    page_articles = {
        request_key(article["url"])
        for article in crawl.expected["articles"]
        if article["source"] != "wp-rest"
    }
    page_articles |= {request_key(e["url"]) for e in crawl.expected["retried"]}
    page_articles |= {request_key(e["url"]) for e in crawl.expected.get("blocked", [])}
    if crawl.name not in FALLBACKS:
        assert fetched_pages == page_articles


@each_site
def test_rest_fallbacks_are_logged_and_counted(crawl: SiteCrawl) -> None:
    log = crawl.log
    fallback = FALLBACKS.get(crawl.name)
    assert ("REST API unavailable" in log) == (fallback is not None)
    assert ("no WordPress feed answered: reading sitemaps" in log) == (fallback == "sitemaps")
    assert crawl.stats.get("wordpress/rest_unavailable", 0) == (fallback is not None)


@each_site
def test_only_the_failures_the_site_was_built_for_are_counted(crawl: SiteCrawl) -> None:
    failures = {key: n for key, n in crawl.stats.items() if key.startswith("crawler/failed/")}
    assert failures == EXPECTED_FAILURES.get(crawl.name, {})
    for entry in crawl.expected["fetched_but_not_exported"]:
        assert crawl.request_count(entry["url"]) >= 1
    for entry in crawl.expected["retried"]:
        assert crawl.request_count(entry["url"]) == 2
        assert entry["url"] in {record["url"] for record in crawl.records}


# --- outlet-specific behaviour ---------------------------------------------------------------


@pytest.mark.outlet("suarabaru")
def test_rest_paging_follows_the_total_pages_header(crawl: SiteCrawl) -> None:
    rest = [url for url in crawl.requests if "/wp-json/" in url]
    assert [re.search(r"page=(\d+)", url).group(1) for url in rest] == ["1", "2"]


@pytest.mark.outlet("metrojateng")
def test_rest_paging_without_headers_ends_at_the_400_page(crawl: SiteCrawl) -> None:
    rest = [url for url in crawl.requests if "/wp-json/" in url]
    assert [re.search(r"[?&]page=(\d+)", url).group(1) for url in rest] == ["1", "2", "3"]
    assert "wp_rest_page" not in crawl.log


@pytest.mark.outlet("suarabaru")
def test_posts_rest_returns_outside_the_window_are_skipped(crawl: SiteCrawl) -> None:
    assert crawl.stats["crawler/skipped/outside_window"] == 1


@pytest.mark.outlet("metrojateng")
def test_posts_rest_returns_protected_are_skipped(crawl: SiteCrawl) -> None:
    assert crawl.stats["wordpress/skipped_not_public"] == 1


@pytest.mark.outlet("halosemarang")
def test_a_sitemap_lastmod_in_the_window_leads_to_a_fetch_then_a_drop(crawl: SiteCrawl) -> None:
    stats = crawl.stats
    assert stats["crawler/dropped/outside_window"] == 1
    assert stats["crawler/articles_requested"] == 5  # three articles, the dropped one, a challenge


@pytest.mark.outlet("jatengpos")
def test_feed_paging_stops_at_a_page_reaching_before_the_window(crawl: SiteCrawl) -> None:
    feeds = [request_key(url) for url in crawl.requests if "/feed/" in url]
    assert feeds == ["jatengpos.co.id/feed/", "jatengpos.co.id/feed/?paged=2"]


def test_max_articles_takes_the_newest_rest_post(tmp_path):
    result = crawl_site("suarabaru", tmp_path, "-a", "max_articles=1")
    newest = max(result.expected["articles"], key=lambda article: article["published"])
    assert [record["url"] for record in result.records] == [newest["url"]]
    assert result.stats["crawler/skipped/max_articles"] == 3


def test_delivered_rest_articles_are_skipped_next_run_unless_refreshed(tmp_path):
    expected_count = len(load_expected("suarabaru")["articles"])
    assert len(crawl_site("suarabaru", tmp_path).records) == expected_count
    again = crawl_site("suarabaru", tmp_path)
    assert again.records == []
    assert again.stats["crawler/skipped/already_delivered"] == expected_count
    refreshed = crawl_site("suarabaru", tmp_path, "-a", "refresh=true")
    assert len(refreshed.records) == expected_count

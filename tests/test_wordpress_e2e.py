"""`scrapy crawl` of every WordPress outlet over its constructed site, through real HTTP.

Each site exercises one way in: the REST API (suarabaru, metrojateng, jatengprov), the feed
after a refused or missing API (jatengpos 401, lingkarjateng 404), and the sitemaps after an
API answering HTML and a feed redirecting to the home page (halosemarang). See each site's
README.md; EXPECTED.json follows tests/sites/espos/EXPECTED.json, plus ``source`` per article
("wp-rest": delivered from the REST listing, "wp-rest+page": REST fields over a fetched
page, "page": a fetched page only).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITES, read_jsonl, run_scrapy

from crawler.outlets.registry import registered_outlets
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

WORDPRESS_OUTLETS = (
    "suarabaru",
    "metrojateng",
    "jatengprov",
    "jatengpos",
    "lingkarjateng",
    "halosemarang",
)
RECORD_FIELDS = (
    *("title", "published", "modified", "authors", "section", "tags", "dateline", "body"),
    "views",
)
ISO_WIB = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")
STAT = re.compile(r"'([a-z_]+/[^']+)': (\d+)")
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


def load_expected(name: str) -> dict:
    return json.loads((SITES / name / "EXPECTED.json").read_text(encoding="utf-8"))


def window_arguments(expected: dict) -> list[str]:
    window = expected["window"]
    return ["-a", f"since={window['since']}", "-a", f"until={window['until']}"]


def stats_of(log: str) -> dict[str, int]:
    """The integer stats of the dump Scrapy logs when the spider closes."""
    dump = log[log.rindex("Dumping Scrapy stats") :]
    return {key: int(value) for key, value in STAT.findall(dump)}


def crawl_site(name: str, workdir: Path, *arguments: str) -> dict:
    expected = load_expected(name)
    with FixtureServer(SITES / name) as server:
        result = run_scrapy(
            ["crawl", name, *window_arguments(expected), *arguments, "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
        )
        requests = [f"{r.host}{r.path}" for r in server.requests]
        count = server.request_count
        counts = {url: count(url) for url in _urls_of(expected)}
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "name": name,
        "expected": expected,
        "records": read_jsonl(workdir / "out.jsonl"),
        "log": result.stderr,
        "stats": stats_of(result.stderr),
        "requests": requests,
        "counts": counts,
    }


def _urls_of(expected: dict) -> set[str]:
    urls = {article["url"] for article in expected["articles"]}
    for key in ("not_exported", "not_fetched", "fetched_but_not_exported", "retried"):
        urls |= {entry["url"] for entry in expected[key]}
    return urls | set(expected["discovery_urls"])


@pytest.fixture(scope="module")
def site_crawl(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict]:
    """One crawl per site for the whole module, made when a test first asks for it."""
    done: dict[str, dict] = {}

    def crawl_once(name: str) -> dict:
        if name not in done:
            done[name] = crawl_site(name, tmp_path_factory.mktemp(f"wordpress-{name}"))
        return done[name]

    return crawl_once


@pytest.fixture(params=WORDPRESS_OUTLETS)
def crawl(request: pytest.FixtureRequest, site_crawl: Callable[[str], dict]) -> dict:
    return site_crawl(request.param)


def test_every_wordpress_outlet_is_registered():
    registry = registered_outlets()
    for name in WORDPRESS_OUTLETS:
        assert name in registry
        assert "wp-rest" in registry[name].discovery


def test_exactly_the_expected_articles_are_exported_once(crawl):
    urls = [record["url"] for record in crawl["records"]]
    assert sorted(urls) == sorted(article["url"] for article in crawl["expected"]["articles"])


def test_every_field_of_every_record(crawl):
    outlet = registered_outlets()[crawl["name"]]
    records = {record["url"]: record for record in crawl["records"]}
    for expected in crawl["expected"]["articles"]:
        record = records[expected["url"]]
        assert record["url_hash"] == url_hash(expected["url"])
        assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
            crawl["name"],
            outlet.name,
            outlet.media_type,
        )
        for field in RECORD_FIELDS:
            assert record[field] == expected[field], (expected["fixture"], field)
        assert ISO_WIB.match(record["published"]) and ISO_WIB.match(record["crawled_at"])
        assert record["sentiment"]["label"] in {"positif", "negatif", "neutral"}


def test_each_field_comes_from_the_source_the_site_offers(crawl):
    records = {record["url"]: record for record in crawl["records"]}
    for expected in crawl["expected"]["articles"]:
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


def test_articles_delivered_from_rest_are_never_fetched(crawl):
    fetched_pages = {
        path
        for path in crawl["requests"]
        if "/wp-json/" not in path and not path.endswith("/robots.txt")
    }
    page_articles = {
        article["url"].split("://", 1)[1]
        for article in crawl["expected"]["articles"]
        if article["source"] != "wp-rest"
    }
    page_articles |= {e["url"].split("://", 1)[1] for e in crawl["expected"]["retried"]}
    page_articles |= {e["url"].split("://", 1)[1] for e in crawl["expected"].get("blocked", [])}
    if crawl["name"] not in FALLBACKS:
        assert fetched_pages == page_articles
    for entry in crawl["expected"]["not_fetched"]:
        assert crawl["counts"][entry["url"]] == 0, entry["reason"]


def test_discovery_requests_and_fallbacks(crawl):
    for url in crawl["expected"]["discovery_urls"]:
        assert crawl["counts"][url] >= 1, url
    log = crawl["log"]
    fallback = FALLBACKS.get(crawl["name"])
    assert ("REST API unavailable" in log) == (fallback is not None)
    assert ("no WordPress feed answered: reading sitemaps" in log) == (fallback == "sitemaps")
    assert crawl["stats"].get("wordpress/rest_unavailable", 0) == (fallback is not None)


def test_only_the_failures_the_site_was_built_for_are_counted(crawl):
    failures = {key: n for key, n in crawl["stats"].items() if key.startswith("crawler/failed/")}
    assert failures == EXPECTED_FAILURES.get(crawl["name"], {})
    for entry in crawl["expected"]["fetched_but_not_exported"]:
        assert crawl["counts"][entry["url"]] >= 1
    for entry in crawl["expected"]["retried"]:
        assert crawl["counts"][entry["url"]] == 2
        assert entry["url"] in {record["url"] for record in crawl["records"]}


def test_not_exported_urls_are_not_exported(crawl):
    exported = {record["url"] for record in crawl["records"]}
    assert not {entry["url"] for entry in crawl["expected"]["not_exported"]} & exported


# --- outlet-specific behaviour ---------------------------------------------------------------


def test_rest_paging_follows_the_total_pages_header(site_crawl):
    rest = [path for path in site_crawl("suarabaru")["requests"] if "/wp-json/" in path]
    assert [re.search(r"page=(\d+)", path).group(1) for path in rest] == ["1", "2"]


def test_rest_paging_without_headers_ends_at_the_400_page(site_crawl):
    rest = [path for path in site_crawl("metrojateng")["requests"] if "/wp-json/" in path]
    assert [re.search(r"[?&]page=(\d+)", path).group(1) for path in rest] == ["1", "2", "3"]
    assert "wp_rest_page" not in site_crawl("metrojateng")["log"]


def test_posts_rest_returns_outside_the_window_or_protected_are_skipped(site_crawl):
    assert site_crawl("suarabaru")["stats"]["crawler/skipped/outside_window"] == 1
    assert site_crawl("metrojateng")["stats"]["wordpress/skipped_not_public"] == 1


def test_a_sitemap_lastmod_in_the_window_leads_to_a_fetch_then_a_drop(site_crawl):
    stats = site_crawl("halosemarang")["stats"]
    assert stats["crawler/dropped/outside_window"] == 1
    assert stats["crawler/articles_requested"] == 5  # three articles, the dropped one, a challenge


def test_feed_paging_stops_at_a_page_reaching_before_the_window(site_crawl):
    feeds = [path for path in site_crawl("jatengpos")["requests"] if "/feed/" in path]
    assert feeds == ["jatengpos.co.id/feed/", "jatengpos.co.id/feed/?paged=2"]


def test_max_articles_takes_the_newest_rest_post(tmp_path):
    result = crawl_site("suarabaru", tmp_path, "-a", "max_articles=1")
    newest = max(result["expected"]["articles"], key=lambda article: article["published"])
    assert [record["url"] for record in result["records"]] == [newest["url"]]
    assert result["stats"]["crawler/skipped/max_articles"] == 3


def test_delivered_rest_articles_are_skipped_next_run_unless_refreshed(tmp_path):
    expected_count = len(load_expected("suarabaru")["articles"])
    assert len(crawl_site("suarabaru", tmp_path)["records"]) == expected_count
    again = crawl_site("suarabaru", tmp_path)
    assert again["records"] == []
    assert again["stats"]["crawler/skipped/already_delivered"] == expected_count
    refreshed = crawl_site("suarabaru", tmp_path, "-a", "refresh=true")
    assert len(refreshed["records"]) == expected_count

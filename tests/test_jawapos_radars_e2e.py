"""The Jawa Pos radars end to end: the 2026 app (Radar Semarang) and ProMedia (Radar Magelang).

tests/test_outlets.py checks every field of every radar's records; these tests check what the
network adds: which carrier each article is read from, the dated index (one request per
window, paged), ids that date undated links, the Cloudflare challenge, paged ProMedia stories,
and the browser for JavaScript shells (scrapy-playwright driving Debian's /usr/bin/chromium),
also without it (``CRAWLER_BROWSER=off``, as a machine without the ``browser`` extra behaves).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.downloader.browser import playwright_installed
from crawler.testing.fixture_server import FixtureServer

CHROMIUM = Path("/usr/bin/chromium")
FIELDS = ("title", "published", "modified", "authors", "section", "tags", "dateline", "body")

needs_browser = pytest.mark.skipif(
    not (playwright_installed() and CHROMIUM.exists()),
    reason="the browser extra (pip install -e '.[browser]') or Debian's chromium is missing",
)


def expected_of(outlet: str) -> dict:
    return json.loads((SITES / outlet / "EXPECTED.json").read_text(encoding="utf-8"))


SEMARANG = expected_of("radarsemarang")
MAGELANG = expected_of("radarmagelang")


def crawl_site(
    outlet: str, workdir: Path, arguments: list[str], settings: dict[str, str] | None = None
) -> dict:
    with FixtureServer(SITES / outlet) as server:
        result = run_scrapy(
            ["crawl", outlet, *arguments, "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
            settings=settings,
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    output = workdir / "out.jsonl"
    return {
        "returncode": result.returncode,
        "records": read_jsonl(output) if output.exists() else [],
        "log": result.stderr,
        "requests": requests,
    }


#: Tests taking `crawl` read the session's crawl of that radar's site (tests/conftest.py).
semarang = pytest.mark.outlet("radarsemarang")
magelang = pytest.mark.outlet("radarmagelang")


def record_of(crawl: SiteCrawl, url: str) -> dict:
    return next(r for r in crawl.records if r["url"] == url)


def assert_fields(record: dict, expected: dict) -> None:
    for name in FIELDS:
        assert record[name] == expected[name], name


# --- the 2026 app -------------------------------------------------------------------------------


@semarang
@pytest.mark.parametrize("fixture", ["a", "b"])
def test_app_articles_are_read_from_their_embedded_json(crawl: SiteCrawl, fixture: str) -> None:
    expected = next(a for a in SEMARANG["articles"] if a["fixture"] == fixture)
    record = record_of(crawl, expected["url"])
    assert record["extraction"]["layout"] == "jawapos-app"
    for name in ("title", "published", "authors", "section", "body"):
        assert record["extraction"][name] == expected["layer"], name
    # The JSON is there: no page of the window needs the browser.
    assert log_stat(crawl.log, "crawler/browser/requested") == 0


@semarang
def test_the_index_is_one_dated_request_per_window_read_until_empty(crawl: SiteCrawl) -> None:
    index = [r for r in crawl.requests if "/indeks-berita" in r]
    assert index == [u for u in SEMARANG["discovery_urls"] if "/indeks-berita" in u]
    assert "daterange=27%20May%202026%20-%2028%20May%202026&page=1" in index[0]


@semarang
def test_an_undated_link_outside_the_window_is_fetched_then_dropped(crawl: SiteCrawl) -> None:
    # The ProMedia-era link on the home page has no date anywhere: fetched, then dropped.
    assert log_stat(crawl.log, "crawler/dropped/outside_window") == 1


@semarang
def test_a_challenge_page_is_retried_in_the_browser_and_counted(crawl: SiteCrawl) -> None:
    [blocked] = SEMARANG["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    assert log_stat(crawl.log, "crawler/failed/article_challenge") == 1
    assert log_stat(crawl.log, "crawler/blocked/radarsemarang") == blocked["requests"]


# --- ProMedia -----------------------------------------------------------------------------------


@magelang
def test_promedia_pages_are_joined_in_order_over_page_n(crawl: SiteCrawl) -> None:
    pages = MAGELANG["pages_in_order"]
    assert [r for r in crawl.requests if r.split("?")[0] == pages[0]] == pages
    record = record_of(crawl, pages[0])
    assert record["extraction"]["layout"] == "promedia-read"
    assert record["extraction"]["pages"] == "3/3"
    assert log_stat(crawl.log, "crawler/multipage/joined") == 1


def test_an_archived_promedia_page_of_a_radar_now_on_the_app_is_read_whole(
    tmp_path: Path,
) -> None:
    expected = SEMARANG["by_url"]
    url = expected["article"]["url"]
    crawl = crawl_site("radarsemarang", tmp_path, ["-a", f"url={url}"])
    assert crawl["returncode"] == 0, crawl["log"][-3000:]
    [record] = crawl["records"]
    assert_fields(record, expected["article"])
    assert record["extraction"]["layout"] == "promedia-read"
    assert [r for r in crawl["requests"] if r.startswith(url)] == expected["pages_in_order"]


# --- a JavaScript shell --------------------------------------------------------------------------


@needs_browser
def test_a_javascript_shell_is_rendered_in_the_browser_once(tmp_path: Path) -> None:
    expected = SEMARANG["rendered"]
    url = expected["article"]["url"]
    crawl = crawl_site("radarsemarang", tmp_path, ["-a", f"url={url}"])
    assert crawl["returncode"] == 0, crawl["log"][-3000:]
    [record] = crawl["records"]
    assert_fields(record, expected["article"])
    assert record["extraction"]["layout"] == "radar-plain"
    # Fetched by Scrapy first (a shell), then by the browser, whose script and API call
    # reached the fixture server through the host map.
    assert crawl["requests"].count(url) == 2
    for browser_only in expected["browser_requests"]:
        assert crawl["requests"].count(browser_only) == 1, browser_only
    assert log_stat(crawl["log"], "crawler/browser/requested") == 1
    assert "Launching browser chromium" in crawl["log"]


def test_without_the_browser_the_shell_is_skipped_and_counted(tmp_path: Path) -> None:
    expected = SEMARANG["rendered"]
    url = expected["article"]["url"]
    crawl = crawl_site("radarsemarang", tmp_path, ["-a", f"url={url}"], {"CRAWLER_BROWSER": "off"})
    # Nothing could be read: the run says so (exit 5), naming the reason.
    assert crawl["returncode"] == 5
    assert crawl["records"] == []
    assert log_stat(crawl["log"], "crawler/skipped/needs_browser") == 1
    assert f"skipped {url}: only a browser can read it" in crawl["log"]
    assert "needs_browser 1" in crawl["log"]
    assert "scrapy-playwright" not in crawl["log"]
    for browser_only in expected["browser_requests"]:
        assert browser_only not in crawl["requests"]

"""`scrapy crawl radarsemarang` (and its sibling radars) end to end, with and without a browser.

The JavaScript-shell article (fixture c) is dated one day after the outlet test's window, so
`tests/test_outlets.py` never reaches it; the crawls here widen the window to reach it: once
with the browser (scrapy-playwright driving Debian's /usr/bin/chromium), once with
``CRAWLER_BROWSER=off`` as a machine without the ``browser`` extra behaves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SITES, log_stat, read_jsonl, run_scrapy

from crawler.browser import playwright_installed
from crawler.registry import registered_outlets
from crawler.spiders.radarsemarang import RADAR_SPIDERS, RADARS
from crawler.testing.fixture_server import FixtureServer

SITE = SITES / "radarsemarang"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
RENDERED = EXPECTED["rendered"]
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
FIELDS = ("title", "published", "modified", "authors", "section", "tags", "dateline", "body")
CHROMIUM = Path("/usr/bin/chromium")

needs_browser = pytest.mark.skipif(
    not (playwright_installed() and CHROMIUM.exists()),
    reason="the browser extra (pip install -e '.[browser]') or Debian's chromium is missing",
)


def crawl_site(workdir: Path, window: dict, settings: dict[str, str] | None = None) -> dict:
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            [
                "crawl",
                "radarsemarang",
                *("-a", f"since={window['since']}", "-a", f"until={window['until']}"),
                *("-O", "out.jsonl"),
            ],
            cwd=workdir,
            host_map=server.host_map(),
            settings=settings,
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "records": read_jsonl(workdir / "out.jsonl"),
        "log": result.stderr,
        "requests": requests,
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return crawl_site(tmp_path_factory.mktemp("radar"), EXPECTED["window"])


@pytest.fixture(scope="module")
def rendered_crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return crawl_site(tmp_path_factory.mktemp("radar-browser"), RENDERED["window"])


@pytest.fixture(scope="module")
def browserless_crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return crawl_site(
        tmp_path_factory.mktemp("radar-off"), RENDERED["window"], {"CRAWLER_BROWSER": "off"}
    )


def record_of(crawl: dict, url: str) -> dict:
    return next(r for r in crawl["records"] if r["url"] == url)


# --- the outlet's window: no page needs the browser ---------------------------------------------


def test_next_data_is_read_first_and_a_near_empty_page_with_it_is_not_rendered(crawl) -> None:
    record = record_of(crawl, ARTICLES["a"]["url"])
    for name in FIELDS:
        assert record[name] == ARTICLES["a"][name], name
    for name in ("title", "published", "authors", "section", "tags", "body"):
        assert record["extraction"][name] == "next-data", name
    assert log_stat(crawl["log"], "crawler/browser/requested") == 0
    assert "Launching browser" not in crawl["log"]


def test_legacy_template_body_ends_before_the_closing_blocks(crawl) -> None:
    record = record_of(crawl, ARTICLES["b"]["url"])
    assert record["body"] == ARTICLES["b"]["body"]
    assert record["extraction"]["layout"] == "radar-read"
    text = "\n".join(record["body"])
    for marker in ("Baca Juga", "Editor", "Bagikan", "Artikel Terkait", "Tiga Pelajar"):
        assert marker not in text, marker


def test_block_page_is_retried_counted_and_never_exported(crawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl["requests"].count(blocked["url"]) == blocked["requests"]
    assert blocked["url"] not in {r["url"] for r in crawl["records"]}
    assert log_stat(crawl["log"], "crawler/failed/article_blocked") == 1
    assert log_stat(crawl["log"], "crawler/blocked/radarsemarang") == blocked["requests"]


def test_what_must_not_be_fetched_is_not(crawl) -> None:
    for entry in EXPECTED["not_fetched"]:
        assert entry["url"] not in crawl["requests"], entry["reason"]
    assert set(EXPECTED["discovery_urls"]) <= set(crawl["requests"])


# --- a JavaScript shell, rendered through Playwright -------------------------------------------


@needs_browser
def test_a_javascript_shell_is_rendered_in_the_browser(rendered_crawl) -> None:
    expected = RENDERED["article"]
    record = record_of(rendered_crawl, expected["url"])
    for name in FIELDS:
        assert record[name] == expected[name], name
    assert record["extraction"]["layout"] == "radar-read"
    log = rendered_crawl["log"]
    assert log_stat(log, "crawler/browser/requested") == 1
    assert log_stat(log, "playwright/page_count") == 1
    assert "Launching browser chromium" in log


@needs_browser
def test_only_the_shell_goes_through_the_browser(rendered_crawl) -> None:
    requests = rendered_crawl["requests"]
    # Fetched by Scrapy first (a shell), then by the browser; no other article twice.
    assert requests.count(RENDERED["article"]["url"]) == 2
    for fixture in ("a", "b"):
        assert requests.count(ARTICLES[fixture]["url"]) == 1
    # The page's own script and API call reached the fixture server through the host map.
    for url in RENDERED["browser_requests"]:
        assert requests.count(url) == 1, url
    exported = sorted(r["url"] for r in rendered_crawl["records"])
    assert exported == sorted(
        [ARTICLES["a"]["url"], ARTICLES["b"]["url"], RENDERED["article"]["url"]]
    )


def test_without_the_browser_the_shell_is_skipped_and_counted(browserless_crawl) -> None:
    log = browserless_crawl["log"]
    url = RENDERED["article"]["url"]
    assert url not in {r["url"] for r in browserless_crawl["records"]}
    assert log_stat(log, "crawler/skipped/needs_browser") == 1
    assert f"skipped {url}: only a browser can read it" in log
    assert "needs_browser 1" in log  # the run summary names the reason
    assert "scrapy-playwright" not in log
    for browser_only in RENDERED["browser_requests"]:
        assert browser_only not in browserless_crawl["requests"]
    # The rest of the crawl is untouched.
    assert sorted(r["url"] for r in browserless_crawl["records"]) == sorted(
        a["url"] for a in EXPECTED["articles"]
    )


# --- the configured radars ------------------------------------------------------------------------


def test_every_radar_of_the_table_is_a_registered_outlet() -> None:
    outlets = registered_outlets()
    for radar in RADARS:
        outlet = outlets[radar.spider]
        assert outlet.name == radar.name
        assert outlet.home_region == radar.home_region
        assert outlet.domains == (radar.host,)
        assert outlet.needs_browser
        assert (SITES / radar.spider / "EXPECTED.json").is_file()


def test_scrapy_list_shows_every_radar() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert {radar.spider for radar in RADARS} <= set(result.stdout.split())


def test_a_radar_spider_takes_only_its_own_host() -> None:
    semarang = RADAR_SPIDERS["radarsemarang"]
    own = "https://radarsemarang.jawapos.com/berita/1234567001/pasar-johar"
    sibling = "https://radarsolo.jawapos.com/solo/1234568001/car-free-day"
    assert any(pattern.match(own) for pattern in semarang.article_patterns)
    assert not any(pattern.match(sibling) for pattern in semarang.article_patterns)

"""`scrapy crawl kompasjateng` end to end over the constructed Kompas.com Jawa Tengah site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.spiders.kompasjateng import dateline_in_central_java
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "kompasjateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("kompasjateng")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "kompasjateng",
        "Kompas.com",
        "Nasional",
    )
    assert record["extraction"]["layout"] == "kompas-read"
    assert record["extraction"]["body"] == "selectors"
    assert record["extraction"].get("pages") == expected.get("extraction", {}).get("pages")


def test_regional_stories_from_outside_central_java_are_fetched_then_dropped(
    crawl: SiteCrawl,
) -> None:
    dropped = EXPECTED["fetched_but_not_exported"]
    assert log_stat(crawl.log, "crawler/dropped/outside_central_java") == len(dropped) == 2
    exported = {r["url"] for r in crawl.records}
    for entry in dropped:
        assert crawl.requests.count(entry["url"]) == 1
        assert entry["url"] not in exported
        assert f"dropped {entry['url']}: outside_central_java" in crawl.log


def test_each_cue_keeps_a_regional_story(crawl: SiteCrawl) -> None:
    # d: section listing only; f: dateline only; i: breadcrumb section only.
    records = {r["url"]: r for r in crawl.records}
    assert records[ARTICLES["d"]["url"]]["dateline"] == "JAKARTA"
    assert records[ARTICLES["f"]["url"]]["section"] == "Regional"
    assert records[ARTICLES["i"]["url"]]["dateline"] is None
    assert records[ARTICLES["i"]["url"]]["extraction"]["section"] == "selectors"


def test_a_paged_article_is_read_through_its_single_page_view(crawl: SiteCrawl) -> None:
    url = ARTICLES["b"]["url"]
    assert crawl.requests.count(url) == 1
    assert crawl.requests.count(f"{url}?page=all") == 1
    assert f"{url}?page=2" not in crawl.requests
    assert log_stat(crawl.log, "crawler/multipage/joined") == 1


def test_block_page_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    assert log_stat(crawl.log, "crawler/failed/article_blocked") == 1
    assert log_stat(crawl.log, "crawler/blocked/kompasjateng") == blocked["requests"]


def test_listings_are_paged_until_stories_predate_the_window(crawl: SiteCrawl) -> None:
    indexes = {r for r in crawl.requests if "indeks.kompas.com/?" in r and "&page=" not in r}
    assert indexes == {
        f"https://indeks.kompas.com/?site=regional&date=2025-07-0{day}" for day in (1, 2, 3)
    }
    # Five listed stories have URL days before the window: skipped without a request.
    assert log_stat(crawl.log, "crawler/skipped/outside_window") == 5


def test_an_explicit_url_is_delivered_whatever_its_province(tmp_path: Path) -> None:
    url = next(e["url"] for e in EXPECTED["fetched_but_not_exported"])
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "kompasjateng", "-a", f"url={url}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-2000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert (record["url"], record["dateline"]) == (url, "SLEMAN")


@pytest.mark.parametrize(
    ("dateline", "inside"),
    [
        ("KLATEN", True),
        ("SOLO", True),  # another name of Kota Surakarta
        ("UNGARAN", True),  # seat of Kabupaten Semarang
        ("KENDAL", True),  # a Central Java kabupaten, also a kecamatan in Ngawi
        ("SLEMAN", False),
        ("YOGYAKARTA", False),
        ("MEDAN", False),
        (None, False),
    ],
)
def test_dateline_place_is_judged_with_the_gazetteer(dateline: str | None, inside: bool) -> None:
    assert dateline_in_central_java(dateline) is inside

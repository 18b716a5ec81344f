"""`scrapy crawl detikjateng` end to end over the constructed detikJateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy, window_args

from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "detikjateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
LAYOUT_OF_TEMPLATE = {"detail": "detik-detail", "read": "detik-read"}


def run(workdir: Path, *arguments: str) -> dict:
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "detikjateng", *WINDOW, *arguments, "-O", "out.jsonl"],
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


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("detikjateng")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "detikjateng",
        "detikJateng",
        "Jateng",
    )
    assert record["extraction"]["layout"] == LAYOUT_OF_TEMPLATE[expected["template"]]
    assert record["extraction"]["body"] == "selectors"


def test_fake_z_pubdate_is_read_as_wib(crawl: SiteCrawl) -> None:
    record = next(r for r in crawl.records if r["url"].endswith("tugu-muda-terboyo"))
    assert record["published"] == "2025-07-03T10:21:07+07:00"


def test_jogja_stories_are_skipped_and_counted(crawl: SiteCrawl) -> None:
    assert log_stat(crawl.log, "crawler/skipped/jogja") == 1


def test_index_cards_give_the_publication_time(crawl: SiteCrawl) -> None:
    # Fixture w is only in the 07/01 index, whose card dates it before the window.
    assert log_stat(crawl.log, "crawler/skipped/outside_window") == 2


def test_block_page_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    assert log_stat(crawl.log, "crawler/blocked/detikjateng") == blocked["requests"]


def test_include_jogja_exports_the_diy_stories_too(tmp_path: Path) -> None:
    option = EXPECTED["include_jogja"]
    arguments = [f"{key}={value}" for key, value in option["arguments"].items()]
    result = run(tmp_path, *(part for argument in arguments for part in ("-a", argument)))
    records = {r["url"]: r for r in result["records"]}
    expected_urls = {a["url"] for a in EXPECTED["articles"] + option["also_exported"]}
    assert set(records) == expected_urls
    for expected in option["also_exported"]:
        record = records[expected["url"]]
        assert (record["title"], record["published"], record["body"]) == (
            expected["title"],
            expected["published"],
            expected["body"],
        )
    assert set(option["also_fetched"]) <= set(result["requests"])
    assert "crawler/skipped/jogja" not in result["log"]

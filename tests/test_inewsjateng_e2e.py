"""`scrapy crawl inewsjateng` end to end over the constructed iNews Jateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy

from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "inewsjateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
FIELDS = ("title", "published", "modified", "authors", "section", "tags", "dateline", "body")


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("inewsjateng")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_and_layout_of_every_record(crawl: SiteCrawl, expected: dict) -> None:
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "inewsjateng",
        "iNews Jateng",
        "Jateng",
    )
    assert record["extraction"]["layout"] == "inews-read"
    assert record["extraction"]["body"] == "selectors"
    assert record["extraction"].get("pages") == expected.get("extraction", {}).get("pages")


def test_network_boxes_and_lines_are_not_story(crawl: SiteCrawl) -> None:
    record = next(r for r in crawl.records if r["url"] == ARTICLES["a"]["url"])
    text = "\n".join(record["body"])
    for noise in ("Baca Juga", "Read Next", "iNews Network", "Whatsapp", "Editor:"):
        assert noise not in text, noise
    assert len(record["body"]) == 4


def test_a_read_article_is_read_whole_through_its_all_view(crawl: SiteCrawl) -> None:
    url = ARTICLES["b"]["url"]
    assert crawl.requests.count(url) == 1
    assert crawl.requests.count(f"{url}/all") == 1
    assert f"{url}/2" not in crawl.requests
    assert f"{url}/3" not in crawl.requests
    assert log_stat(crawl.log, "crawler/multipage/joined") == 1


def test_a_challenge_is_retried_counted_and_never_exported(crawl: SiteCrawl) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl.requests.count(blocked["url"]) == blocked["requests"]
    assert log_stat(crawl.log, "crawler/failed/article_challenge") == 1
    assert log_stat(crawl.log, "crawler/blocked/inewsjateng") == blocked["requests"]


def test_an_old_berita_article_is_walked_page_by_page(tmp_path: Path) -> None:
    [expected] = EXPECTED["by_url"]
    url = expected["url"]
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "inewsjateng", "-a", f"url={url}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r for r in requests if r.startswith(url)] == [url, f"{url}/2", f"{url}/3"]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert record["url"] == url
    for name in FIELDS:
        assert record[name] == expected[name], name
    assert record["extraction"]["layout"] == "inews-berita"
    assert record["extraction"]["pages"] == "3/3"

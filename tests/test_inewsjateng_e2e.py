"""`scrapy crawl inewsjateng` end to end over the constructed iNews Jateng site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITES, log_stat, read_jsonl, run_scrapy, window_args

from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

SITE = SITES / "inewsjateng"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
ARTICLES = {a["fixture"]: a for a in EXPECTED["articles"]}
FIELDS = ("title", "published", "modified", "authors", "section", "tags", "dateline", "body")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    workdir = tmp_path_factory.mktemp("inewsjateng")
    with FixtureServer(SITE) as server:
        # Challenges retried later, not in the browser (tests/test_blocking.py covers that).
        result = run_scrapy(
            ["crawl", "inewsjateng", *WINDOW, "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
            settings={"CRAWLER_BROWSER": "off"},
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
    assert not set(exported) & {entry["url"] for entry in EXPECTED["not_exported"]}


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_every_field_of_every_record(crawl: dict, expected: dict) -> None:
    record = next(r for r in crawl["records"] if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert (record["outlet"], record["outlet_name"], record["media_type"]) == (
        "inewsjateng",
        "iNews Jateng",
        "Jateng",
    )
    for name in FIELDS:
        assert record[name] == expected[name], name
    assert record["extraction"]["layout"] == "inews-read"
    assert record["extraction"]["body"] == "selectors"
    assert record["extraction"].get("pages") == expected.get("extraction", {}).get("pages")


def test_network_boxes_and_lines_are_not_story(crawl: dict) -> None:
    record = next(r for r in crawl["records"] if r["url"] == ARTICLES["a"]["url"])
    text = "\n".join(record["body"])
    for noise in ("Baca Juga", "Read Next", "iNews Network", "Whatsapp", "Editor:"):
        assert noise not in text, noise
    assert len(record["body"]) == 4


def test_a_read_article_is_read_whole_through_its_all_view(crawl: dict) -> None:
    url = ARTICLES["b"]["url"]
    assert crawl["requests"].count(url) == 1
    assert crawl["requests"].count(f"{url}/all") == 1
    assert f"{url}/2" not in crawl["requests"]
    assert f"{url}/3" not in crawl["requests"]
    assert log_stat(crawl["log"], "crawler/multipage/joined") == 1


def test_a_challenge_is_retried_counted_and_never_exported(crawl: dict) -> None:
    [blocked] = EXPECTED["blocked"]
    assert crawl["requests"].count(blocked["url"]) == blocked["requests"]
    assert f"article_challenge: {blocked['url']}" in crawl["log"]
    assert log_stat(crawl["log"], "crawler/failed/article_challenge") == 1
    assert log_stat(crawl["log"], "crawler/blocked/inewsjateng") == blocked["requests"]


def test_what_must_not_be_fetched_is_not(crawl: dict) -> None:
    for entry in EXPECTED["not_fetched"]:
        assert entry["url"] not in crawl["requests"], entry["reason"]


def test_discovery_used_the_sitemap_and_both_index_pages(crawl: dict) -> None:
    assert set(EXPECTED["discovery_urls"]) <= set(crawl["requests"])


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

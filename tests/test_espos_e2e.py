"""`scrapy crawl espos` end to end, through real HTTP against the constructed Espos site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SITES, read_jsonl, run_scrapy, window_args

from crawler.exporters import read_clippings
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import url_hash

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
ISO_WIB = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One full crawl of the fixture site, exported as JSON Lines and as clippings."""
    workdir = tmp_path_factory.mktemp("espos")
    with FixtureServer(SITES / "espos") as server:
        result = run_scrapy(
            ["crawl", "espos", *WINDOW, "-O", "out.jsonl", "-O", "out.txt:clipping"],
            cwd=workdir,
            host_map=server.host_map(),
        )
        requests = list(server.requests)
        counts = {url: server.request_count(url) for url in _all_fixture_urls()}
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "records": read_jsonl(workdir / "out.jsonl"),
        "clipping": (workdir / "out.txt").read_text(encoding="utf-8"),
        "log": result.stderr,
        "requests": requests,
        "counts": counts,
    }


def _all_fixture_urls() -> list[str]:
    urls = [a["url"] for a in EXPECTED["articles"]]
    urls += [entry["url"] for entry in EXPECTED["not_exported"]]
    urls += [entry["url"] for entry in EXPECTED["retried"]]
    return urls


def test_every_expected_article_is_exported_once(crawl):
    urls = [record["url"] for record in crawl["records"]]
    assert sorted(urls) == sorted(a["url"] for a in EXPECTED["articles"])


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_every_field_of_every_record(crawl, expected):
    record = next(r for r in crawl["records"] if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert record["outlet"] == "espos"
    assert record["outlet_name"] == "Espos.id"
    assert record["media_type"] == "Jateng"
    assert record["title"] == expected["title"]
    assert record["published"] == expected["published"]
    assert ISO_WIB.match(record["published"])
    assert record["modified"] == expected["modified"]
    assert record["authors"] == expected["authors"]
    assert record["section"] == expected["section"]
    assert record["tags"] == expected["tags"]
    assert record["dateline"] == expected["dateline"]
    assert record["body"] == expected["body"]
    assert record["views"] == expected["views"]
    assert ISO_WIB.match(record["crawled_at"])
    assert record["parties"] == []
    sentiment = record["sentiment"]
    assert sentiment["label"] in {"positif", "negatif", "neutral"}
    assert (sentiment["strength"] == 0) == (sentiment["label"] == "neutral")
    assert 0 <= sentiment["strength"] <= 100
    assert {"title", "published", "body"} <= set(record["extraction"])
    assert record["extraction"]["layout"].startswith(("espos", "solopos"))


def test_dateline_region_is_tagged(crawl):
    record = next(r for r in crawl["records"] if r["dateline"] == "SEMARANG")
    first = record["kab_kota"][0]
    assert {k: first[k] for k in ("code", "name", "label")} == {
        "code": "33.74",
        "name": "Kota Semarang",
        "label": "Semarang",
    }


def test_article_outside_the_window_is_never_fetched(crawl):
    for entry in EXPECTED["not_fetched"]:
        assert crawl["counts"][entry["url"]] == 0, entry["reason"]


def test_the_fallback_fronts_are_not_read_when_discovery_found_the_window(crawl):
    fronts = {"www.espos.id", "solopos.espos.id", "regional.espos.id", "bisnis.espos.id"}
    requested = {(r.host, r.path) for r in crawl["requests"]}
    assert not {(host, path) for host, path in requested if host in fronts and path == "/"}


def test_server_error_is_retried_and_the_article_delivered(crawl):
    for entry in EXPECTED["retried"]:
        assert crawl["counts"][entry["url"]] == 2
        assert entry["url"] in {r["url"] for r in crawl["records"]}


def test_missing_article_is_counted_and_logged(crawl):
    missing = EXPECTED["fetched_but_not_exported"][0]
    assert crawl["counts"][missing["url"]] >= 1
    assert f"article_http_404: {missing['url']}" in crawl["log"]
    assert "'crawler/failed/article_http_404': 1" in crawl["log"]


def test_discovery_used_every_source(crawl):
    fetched = {f"https://{r.host}{r.path}" for r in crawl["requests"]}
    assert set(EXPECTED["discovery_urls"]) <= fetched


def test_clipping_export_holds_the_same_articles(crawl):
    clippings = read_clippings(crawl["clipping"])
    assert len(clippings) == len(crawl["records"])
    by_title = {r["title"]: r for r in crawl["records"]}
    for clipping in clippings:
        record = by_title[clipping.title]
        assert clipping.body == record["body"]
        assert clipping.published.isoformat() == record["published"]
        assert clipping.outlet_name == "Espos.id"
        assert clipping.media_type == "Jateng"
        assert clipping.views == (record["views"] or 1)
        assert clipping.kab_kota == [r["label"] for r in record["kab_kota"]]


def test_single_article_argument(espos_server, tmp_path):
    article = EXPECTED["articles"][0]
    result = run_scrapy(
        ["crawl", "espos", "-a", f"url={article['url']}", "-O", "one.jsonl"],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records = read_jsonl(tmp_path / "one.jsonl")
    assert [r["title"] for r in records] == [article["title"]]
    assert not espos_server.was_requested("https://www.espos.id/feed")


def test_max_articles_takes_the_newest(espos_server, tmp_path):
    result = run_scrapy(
        ["crawl", "espos", *WINDOW, "-a", "max_articles=2", "-O", "two.jsonl"],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records = read_jsonl(tmp_path / "two.jsonl")
    assert "'crawler/articles_requested': 2," in result.stderr
    assert "'crawler/skipped/max_articles'" in result.stderr
    # The two newest dated candidates are requested; one of them is the feed's 404 article.
    assert [r["url"] for r in records] == [
        a["url"] for a in EXPECTED["articles"] if a["fixture"] == "h"
    ]


def test_scrapy_list_shows_espos(tmp_path: Path):
    result = run_scrapy(["list"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "espos" in result.stdout.split()

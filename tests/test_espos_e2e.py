"""`scrapy crawl espos` end to end, through real HTTP against the constructed Espos site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import SiteCrawl, load_expected, read_jsonl, run_scrapy, window_args

from crawler.exporters import read_clippings
from crawler.utils.urls import url_hash

EXPECTED = load_expected("espos")
WINDOW = window_args(EXPECTED)
ISO_WIB = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("espos")


@pytest.mark.parametrize("expected", EXPECTED["articles"], ids=lambda a: a["fixture"])
def test_hash_outlet_times_sentiment_and_layers_of_every_record(crawl: SiteCrawl, expected: dict):
    record = next(r for r in crawl.records if r["url"] == expected["url"])
    assert record["url_hash"] == url_hash(expected["url"])
    assert record["outlet"] == "espos"
    assert record["outlet_name"] == "Espos.id"
    assert record["media_type"] == "Jateng"
    assert ISO_WIB.match(record["published"])
    assert ISO_WIB.match(record["crawled_at"])
    assert record["parties"] == []
    sentiment = record["sentiment"]
    assert sentiment["label"] in {"positif", "negatif", "neutral"}
    assert (sentiment["strength"] == 0) == (sentiment["label"] == "neutral")
    assert 0 <= sentiment["strength"] <= 100
    assert {"title", "published", "body"} <= set(record["extraction"])
    assert record["extraction"]["layout"].startswith(("espos", "solopos"))


def test_dateline_region_is_tagged(crawl: SiteCrawl):
    record = next(r for r in crawl.records if r["dateline"] == "SEMARANG")
    first = record["kab_kota"][0]
    assert {k: first[k] for k in ("code", "name", "label")} == {
        "code": "33.74",
        "name": "Kota Semarang",
        "label": "Semarang",
    }


def test_the_fallback_fronts_are_not_read_when_discovery_found_the_window(crawl: SiteCrawl):
    fronts = {"www.espos.id", "solopos.espos.id", "regional.espos.id", "bisnis.espos.id"}
    requested = {(urlsplit(url).hostname, urlsplit(url).path) for url in crawl.requests}
    assert not {(host, path) for host, path in requested if host in fronts and path == "/"}


def test_server_error_is_retried_and_the_article_delivered(crawl: SiteCrawl):
    for entry in EXPECTED["retried"]:
        assert crawl.request_count(entry["url"]) == 2
        assert entry["url"] in {r["url"] for r in crawl.records}


def test_missing_article_is_counted_and_logged(crawl: SiteCrawl):
    missing = EXPECTED["fetched_but_not_exported"][0]
    assert crawl.request_count(missing["url"]) >= 1
    assert f"article_http_404: {missing['url']}" in crawl.log
    assert "'crawler/failed/article_http_404': 1" in crawl.log


def test_clipping_export_holds_the_same_articles(crawl: SiteCrawl):
    clippings = read_clippings(crawl.clipping)
    assert len(clippings) == len(crawl.records)
    by_title = {r["title"]: r for r in crawl.records}
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

"""Espos when every guessed discovery URL is wrong: the home and subdomain fronts still deliver.

The constructed Espos site is served with its robots.txt sitemaps, feed and index answering 404
(none of them was ever seen on espos.id, outlet-evidence-2026-12.md §9). The spider then reads
the home page and the front page of each ``*.espos.id`` subdomain, requests the article links
highest post id first, reads a front's "next" view only while no article found was older than
the window, and says in its summary which kind of source produced the candidates.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SITES, log_stat, read_jsonl, run_scrapy, window_args

from crawler.testing.fixture_server import FixtureServer

SITE = SITES / "espos"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
BY_ID = {article["id"]: article for article in EXPECTED["articles"]}
GUESSED = (
    "www.espos.id/sitemap.xml",
    "www.espos.id/sitemap-news.xml",
    "www.espos.id/feed",
    "www.espos.id/indeks",
)
#: Linked from the fronts: every in-window article except the legacy one only the feed lists.
FROM_FRONTS = ("2201001", "2201002", "2201004", "2201008", "2201009", "2201010", "2201011")
FROM_FRONTS += ("2201012",)
CHALLENGED = "https://bisnis.espos.id/harga-emas-perhiasan-di-solo-turun-rp20000-per-gram-2201014"
OLDER_THAN_WINDOW = (
    "https://solopos.espos.id/wisata-air-umbul-ponggok-klaten-dibuka-hingga-malam-2200950"
)


def crawl_without_guesses(root: Path, *arguments: str) -> dict:
    site = root / "site"
    shutil.copytree(SITE, site)
    routes = json.loads((SITE / "_routes.json").read_text(encoding="utf-8"))
    routes.update({url: {"status": 404} for url in GUESSED})
    (site / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    with FixtureServer(site) as server:
        result = run_scrapy(
            ["crawl", "espos", *window_args(EXPECTED), *arguments, "-O", "out.jsonl"],
            cwd=root,
            host_map=server.host_map(),
        )
        requested = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-3000:]
    return {"records": read_jsonl(root / "out.jsonl"), "log": result.stderr, "requested": requested}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return crawl_without_guesses(tmp_path_factory.mktemp("espos-fronts"))


def test_the_fronts_deliver_every_article_they_link(crawl: dict) -> None:
    records = {record["url"]: record for record in crawl["records"]}
    assert sorted(records) == sorted(BY_ID[i]["url"] for i in FROM_FRONTS)
    for article_id in FROM_FRONTS:
        expected = BY_ID[article_id]
        record = records[expected["url"]]
        for name in ("title", "published", "authors", "dateline", "body"):
            assert record[name] == expected[name], (article_id, name)


def test_the_guesses_were_tried_first_and_the_fronts_only_then(crawl: dict) -> None:
    requested = crawl["requested"]
    # robots.txt names /sitemap.xml (an index that would name the news sitemap).
    tried = [f"https://{url}" for url in GUESSED if not url.endswith("sitemap-news.xml")]
    assert set(tried) <= set(requested)
    fronts = [f"https://{host}.espos.id/" for host in ("www", "solopos", "regional", "bisnis")]
    for front in fronts:
        assert requested.count(front) == 1, front
    assert min(requested.index(front) for front in fronts) > max(map(requested.index, tried))
    assert log_stat(crawl["log"], "crawler/discovery/fallback_fronts") == 1


def test_undated_links_are_taken_highest_post_id_first(tmp_path: Path) -> None:
    limited = crawl_without_guesses(tmp_path, "-a", "max_articles=3")
    article_ids = {
        match.group(1)
        for url in limited["requested"]
        if (match := re.search(r"espos\.id/[a-z0-9-]+-(\d{7})$", url))
    }
    assert article_ids == {"2201014", "2201012", "2201010"}


def test_a_next_view_is_read_until_an_article_is_older_than_the_window(crawl: dict) -> None:
    requested = crawl["requested"]
    assert "https://solopos.espos.id/?page=2" in requested
    assert requested.count(OLDER_THAN_WINDOW) == 1
    assert "https://solopos.espos.id/?page=3" not in requested
    assert not [url for url in requested if url.endswith("-2200900")]
    assert log_stat(crawl["log"], "crawler/dropped/outside_window") == 1


def test_the_summary_names_the_sources_that_produced_candidates(crawl: dict) -> None:
    assert log_stat(crawl["log"], "crawler/sources/front-page") == 10
    assert log_stat(crawl["log"], "crawler/sources/feed", default=None) is None
    [summary] = re.findall(r"Summary espos: (.*)", crawl["log"])
    assert "sources (front-page 10)" in summary


def test_a_challenged_front_link_is_counted_never_an_article(crawl: dict) -> None:
    assert CHALLENGED not in {record["url"] for record in crawl["records"]}
    assert f"article_challenge: {CHALLENGED}" in crawl["log"]
    assert log_stat(crawl["log"], "crawler/blocked_kind/cloudflare-challenge") >= 1

"""`scrapy crawlall`: every outlet in one process, per-outlet feeds, one summary table."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

import pytest
from conftest import READ_AHEAD_SETTINGS, SITES, read_jsonl, run_scrapy, window_args
from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from crawler.commands.crawlall import check_feeds_per_outlet, outlets_to_crawl
from crawler.run.outcome import EXIT_DISCOVERY_FAILED, EXIT_OK
from crawler.testing.fixture_server import FixtureServer

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
#: Two more outlets for the run: a second copy of Espos, and one whose site is down.
EXTRA_OUTLETS = '''\
"""Test outlets: a copy of Espos under another name, and one on a host that is down."""

from crawler.spiders.espos import EsposSpider


class EsposMirrorSpider(EsposSpider):
    name = "espos_mirror"


class DownSpider(EsposSpider):
    name = "down"
    robots_urls = ("https://down.example/robots.txt",)
    sitemap_urls = ()
    feed_urls = ("https://down.example/feed",)
    listing_urls = ()
    allowed_domains = ["down.example"]
'''
PER_OUTLET_FEED = "out/%(name)s.jsonl"


@pytest.fixture
def project(tmp_path: Path) -> dict:
    """A working directory whose Python path holds the extra outlets module."""
    (tmp_path / "extra_outlets.py").write_text(EXTRA_OUTLETS, encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{probe.getsockname()[1]}"
    return {
        "cwd": tmp_path,
        "env": {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])},
        "settings": {
            # Both copies of Espos deliver the same articles; each must get all of them.
            "CRAWLER_DELIVERED_STORE": "crawler.store.NullDeliveredStore",
        },
        "dead": dead,
    }


def crawlall(
    project: dict, server: FixtureServer, spider_modules: str, *args: str, **settings: str
):
    host_map = {**server.host_map(), "down.example": project["dead"]}
    return run_scrapy(
        ["crawlall", *args],
        cwd=project["cwd"],
        host_map=host_map,
        settings={**project["settings"], "SPIDER_MODULES": spider_modules, **settings},
        env=project["env"],
    )


def table_rows(stdout: str) -> dict[str, list[str]]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["outlet", "found"])
    rows = {}
    for line in lines[start + 1 :]:
        cells = line.split()
        if len(cells) == 8:
            rows[cells[0]] = cells[1:]
    return rows


def test_named_outlets_run_together_with_their_own_feeds(project, espos_server):
    result = crawlall(
        project,
        espos_server,
        "crawler.spiders,extra_outlets",
        "espos",
        "espos_mirror",
        *WINDOW,
        "-O",
        PER_OUTLET_FEED,
        **READ_AHEAD_SETTINGS,
    )
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    # Both crawls read their article pages in one worker, the process's.
    assert result.stderr.count("Started 1 page-reading worker(s)") == 1
    assert len(re.findall(r"'crawler/read_ahead/pages': 9\b", result.stderr)) == 2
    expected_urls = sorted(article["url"] for article in EXPECTED["articles"])
    for outlet in ("espos", "espos_mirror"):
        records = read_jsonl(project["cwd"] / "out" / f"{outlet}.jsonl")
        assert sorted(record["url"] for record in records) == expected_urls
        assert {record["outlet"] for record in records} == {outlet}
    rows = table_rows(result.stdout)
    assert rows["espos"] == ["11", "10", "9", "1", "1", "finished", "0"]
    assert rows["espos_mirror"] == rows["espos"]
    # One process: both spiders were open at the same time.
    opened = result.stderr.index("Spider opened")
    assert result.stderr.index("Spider opened", opened + 1) < result.stderr.index("Spider closed")


def test_every_outlet_by_default_and_the_worst_exit_code(project, espos_server):
    """Here the registry holds just the two test outlets; one's site is down."""
    result = crawlall(project, espos_server, "extra_outlets", *WINDOW, "-O", PER_OUTLET_FEED)
    assert result.returncode == EXIT_DISCOVERY_FAILED, result.stderr[-3000:]
    rows = table_rows(result.stdout)
    assert set(rows) == {"espos_mirror", "down"}
    assert rows["down"][0] == "0" and rows["down"][-1] == str(EXIT_DISCOVERY_FAILED)
    assert rows["espos_mirror"][-1] == "0"
    assert "down FAILED: discovery failed" in result.stdout
    records = read_jsonl(project["cwd"] / "out" / "espos_mirror.jsonl")
    assert len(records) == len(EXPECTED["articles"])


def test_a_feed_shared_by_every_outlet_is_refused(project, espos_server):
    result = crawlall(project, espos_server, "extra_outlets", *WINDOW, "-O", "all.jsonl")
    assert result.returncode == 2
    assert "%(name)s" in result.stderr
    assert not (project["cwd"] / "all.jsonl").exists()


def test_outlet_selection():
    assert outlets_to_crawl(["a", "b"], []) == ["a", "b"]
    assert outlets_to_crawl(["a", "b"], ["b", "b"]) == ["b"]
    with pytest.raises(UsageError, match="unknown outlet"):
        outlets_to_crawl(["a"], ["c"])


def test_feed_uris_must_name_the_outlet_when_several_run():
    shared = Settings({"FEEDS": {"all.jsonl": {"format": "jsonlines"}}})
    check_feeds_per_outlet(shared, 1)
    with pytest.raises(UsageError):
        check_feeds_per_outlet(shared, 2)
    check_feeds_per_outlet(Settings({"FEEDS": {PER_OUTLET_FEED: {"format": "jsonl"}}}), 2)

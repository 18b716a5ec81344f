"""`scrapy crawl` tells cron how the run went: one end-to-end test per exit status."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import SITES, refused_addresses, run_scrapy, window_args

from crawler.run.outcome import (
    EXIT_ABNORMAL_FINISH,
    EXIT_BOOTSTRAP_FAILED,
    EXIT_DISCOVERY_FAILED,
    EXIT_FEED_NOT_STORED,
    EXIT_NOTHING_PARSED,
    EXIT_OK,
    EXIT_TOO_MANY_ERRORS,
)
from crawler.testing.fixture_server import FixtureServer

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
#: Article pages of the fixture site: their file names end in the numeric post id.
ARTICLE_FILE = re.compile(r"-\d{7}(\.html)?$")
#: Constructed page: what an outlet serves after moving to client-side rendering (no content).
SCRIPT_ONLY_PAGE = (
    "<!-- Constructed fixture: an article URL answering with an empty app shell. -->\n"
    "<!doctype html><html><head><title>Espos</title></head>"
    '<body><div id="app"></div><script src="/static/app.js"></script></body></html>\n'
)
SUMMARY_LINE = re.compile(r"Summary espos: found \d+, new \d+, delivered \d+, .*")


def crawl(workdir: Path, host_map: dict[str, str], *extra: str, settings=None):
    return run_scrapy(
        ["crawl", "espos", *WINDOW, *extra], cwd=workdir, host_map=host_map, settings=settings
    )


def article_files(site: Path) -> list[Path]:
    files = [p for p in site.rglob("*") if p.is_file() and ARTICLE_FILE.search(p.name)]
    files += [p for p in site.rglob("amp.html")]
    assert len(files) >= 10, "the fixture site changed: article pages not found"
    return files


def copy_of_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "espos", site)
    return site


def test_all_well_exits_0_and_logs_one_summary_line(espos_server: FixtureServer, tmp_path: Path):
    result = crawl(tmp_path, espos_server.host_map())
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    lines = SUMMARY_LINE.findall(result.stderr)
    assert len(lines) == 1
    assert lines[0].endswith(", finished, ok")
    assert "found 11, new 10, delivered 9," in lines[0]
    assert "errors 1 (article_http_404 1)" in lines[0]
    assert "'crawler/outcome/exit_code': 0" in result.stderr


def test_feed_that_cannot_be_written_exits_3(espos_server: FixtureServer, tmp_path: Path):
    (tmp_path / "blocker").write_text("a file where the feed wants a directory\n")
    result = crawl(tmp_path, espos_server.host_map(), "-O", "blocker/out.jsonl")
    assert result.returncode == EXIT_FEED_NOT_STORED, result.stderr[-3000:]
    assert "feed not stored" in result.stderr
    assert not (tmp_path / "blocker").is_dir()


def test_spider_closed_before_finishing_exits_4(espos_server: FixtureServer, tmp_path: Path):
    result = crawl(tmp_path, espos_server.host_map(), settings={"CLOSESPIDER_ITEMCOUNT": "1"})
    assert result.returncode == EXIT_ABNORMAL_FINISH, result.stderr[-3000:]
    assert "finish reason 'closespider_itemcount'" in result.stderr


def test_articles_that_no_longer_parse_exit_5(tmp_path: Path):
    site = copy_of_site(tmp_path)
    for page in article_files(site):
        page.write_text(SCRIPT_ONLY_PAGE, encoding="utf-8")
    workdir = tmp_path / "run"
    workdir.mkdir()
    with FixtureServer(site) as server:
        result = crawl(workdir, server.host_map())
    assert result.returncode == EXIT_NOTHING_PARSED, result.stderr[-3000:]
    assert "no article could be parsed" in result.stderr
    assert "'item_scraped_count'" not in result.stderr


def test_mostly_missing_articles_exit_6(tmp_path: Path):
    site = copy_of_site(tmp_path)
    for page in article_files(site):
        page.unlink()
    workdir = tmp_path / "run"
    workdir.mkdir()
    with FixtureServer(site) as server:
        result = crawl(workdir, server.host_map())
    assert result.returncode == EXIT_TOO_MANY_ERRORS, result.stderr[-3000:]
    assert re.search(r"error ratio (\d+)/\1 article requests failed, above 0\.5", result.stderr)


def test_error_ratio_threshold_is_a_setting(espos_server: FixtureServer, tmp_path: Path):
    """The fixture crawl loses 1 article of 10: fine by default, a failure at a 5 % limit."""
    result = crawl(
        tmp_path,
        espos_server.host_map(),
        settings={"CRAWLER_MAX_ERROR_RATIO": "0.05", "CRAWLER_MIN_FAILED_ARTICLES": "1"},
    )
    assert result.returncode == EXIT_TOO_MANY_ERRORS, result.stderr[-3000:]
    assert "error ratio 1/10 article requests failed, above 0.05" in result.stderr


def test_unreachable_site_exits_7(tmp_path: Path):
    with FixtureServer(SITES / "espos") as server:
        hosts = server.hosts
    with refused_addresses(1) as (dead,):
        result = crawl(tmp_path, dict.fromkeys(hosts, dead), settings={"RETRY_TIMES": "0"})
    assert result.returncode == EXIT_DISCOVERY_FAILED, result.stderr[-3000:]
    assert "discovery failed: nothing found" in result.stderr


def test_spider_that_cannot_start_exits_1(tmp_path: Path):
    result = run_scrapy(["crawl", "espos", "-a", "since=not-a-date"], cwd=tmp_path)
    assert result.returncode == EXIT_BOOTSTRAP_FAILED, result.stderr[-3000:]

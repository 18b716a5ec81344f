"""A bad command line gets one line naming the bad value, and -h lists what a crawl takes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, refused_addresses, run_scrapy

from crawler.commands import CannotStart, check_before_crawl
from crawler.outlets.registry import project_settings
from crawler.run.outcome import EXIT_BOOTSTRAP_FAILED, EXIT_MEANINGS, exit_code_table


def the_one_line(stderr: str, command: str = "crawl") -> str:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.startswith(f"scrapy {command}:")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize(
    ("names", "arguments", "named"),
    [
        (["generic"], {}, "-a feed=URL, -a sitemap=URL or -a url=URL"),
        (["espos"], {"since": "notadate"}, "since=notadate"),
        (["espos"], {"max_articles": "abc"}, "max_articles=abc"),
        (["espos"], {"sinec": "2025-07-01"}, "takes no argument 'sinec'"),
        (["espos"], {"since": "2025-07-05", "until": "2025-07-01"}, "is after until"),
        (["generic"], {"feed": "kabar.example.id/feed"}, "kabar.example.id/feed"),
        (["generic"], {"sitemap": "https://k.id/s.xml", "allow": "(["}, "allow=(["),
        (["detikjateng"], {"include_jogja": "mungkin"}, "include_jogja=mungkin"),
        (["nosuchoutlet"], {}, "nosuchoutlet"),
        (["espos", "detikjateng"], {"until": "gestern"}, "until=gestern"),
        (["espos", "detikjateng"], {"warna": "merah"}, "-a warna"),
    ],
)
def test_bad_arguments_are_named(names: list[str], arguments: dict[str, str], named: str):
    with pytest.raises(CannotStart) as refused:
        check_before_crawl(project_settings(), names, arguments)
    assert named in str(refused.value)


@pytest.mark.parametrize(
    ("names", "arguments"),
    [
        (["espos"], {"since": "2025-07-01", "until": "2025-07-03T12:00", "refresh": "true"}),
        (["generic"], {"sitemap": "https://a.id/s.xml http://b.id/s.xml", "allow": r"/berita/"}),
        (["espos"], {"_job": "6487ec79947edab326d6db28a2d86511"}),  # Scrapyd's own
        (["espos", "detikjateng"], {"include_jogja": "true", "max_articles": "5"}),
    ],
)
def test_good_arguments_pass(names: list[str], arguments: dict[str, str]):
    check_before_crawl(project_settings(), names, arguments)


def test_a_bad_argument_stops_the_crawl_in_one_line_before_it_starts(tmp_path: Path):
    result = run_scrapy(["crawl", "espos", "-a", "since=notadate"], cwd=tmp_path)
    assert result.returncode == EXIT_BOOTSTRAP_FAILED
    assert "since=notadate" in the_one_line(result.stderr)
    assert not (tmp_path / ".crawler-state").exists()


def test_an_unreachable_cluster_redis_is_one_line_without_its_password(tmp_path: Path):
    with refused_addresses(1) as (dead,):
        url = f"redis://:geheim@{dead}/0"
        result = run_scrapy(["crawlall", "espos"], cwd=tmp_path, env={"CRAWLER_REDIS_URL": url})
    assert result.returncode == EXIT_BOOTSTRAP_FAILED
    assert "CRAWLER_REDIS_URL" in the_one_line(result.stderr, "crawlall")
    assert "geheim" not in result.stderr


def test_help_lists_every_spider_argument_and_exit_code(tmp_path: Path):
    result = run_scrapy(["crawl", "-h"], cwd=tmp_path)
    assert result.returncode == 0
    text = result.stdout
    for name in ("since", "until", "url", "max_articles", "refresh"):
        assert f"  {name}=" in text, name
    for name in ("feed", "sitemap", "outlet_name", "media_type", "allow", "include_jogja"):
        assert f"  {name}=" in text, name
    for code in EXIT_MEANINGS:
        assert f"  {code:>3}  " in text, code


def test_the_readme_exit_table_is_the_one_in_the_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- exit-codes:start -->\n(.*?)\n<!-- exit-codes:end -->", readme, re.S)
    assert table, "README has no exit-codes markers"
    assert table.group(1) == exit_code_table()

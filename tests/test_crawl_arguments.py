"""A bad command line gets one line naming the bad value, and -h lists what a crawl takes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from conftest import run_scrapy

from crawler.outcome import EXIT_BOOTSTRAP_FAILED, EXIT_MEANINGS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def the_one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.startswith("scrapy crawl")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["generic"], "-a feed=URL, -a sitemap=URL or -a url=URL"),
        (["espos", "-a", "since=notadate"], "since=notadate"),
        (["espos", "-a", "max_articles=abc"], "max_articles=abc"),
        (["espos", "-a", "sinec=2025-07-01"], "sinec"),
        (["espos", "-a", "since=2025-07-05", "-a", "until=2025-07-01"], "is after until"),
        (["generic", "-a", "feed=kabar.example.id/feed"], "kabar.example.id/feed"),
        (["detikjateng", "-a", "include_jogja=mungkin"], "include_jogja=mungkin"),
        (["nosuchoutlet"], "nosuchoutlet"),
    ],
)
def test_a_bad_argument_is_one_line_naming_it(tmp_path: Path, arguments: list[str], named: str):
    result = run_scrapy(["crawl", *arguments], cwd=tmp_path)
    assert result.returncode == EXIT_BOOTSTRAP_FAILED
    assert named in the_one_line(result.stderr)
    assert not (tmp_path / ".crawler-state").exists()


def test_an_unreachable_cluster_redis_is_one_line_without_its_password(tmp_path: Path):
    url = f"redis://:geheim@127.0.0.1:{free_port()}/0"
    result = run_scrapy(["crawl", "espos"], cwd=tmp_path, env={"CRAWLER_REDIS_URL": url})
    assert result.returncode == EXIT_BOOTSTRAP_FAILED
    line = the_one_line(result.stderr)
    assert "CRAWLER_REDIS_URL" in line and "geheim" not in result.stderr


def test_crawlall_checks_its_arguments_against_every_outlet(tmp_path: Path):
    result = run_scrapy(["crawlall", "espos", "-a", "until=gestern"], cwd=tmp_path)
    assert result.returncode == EXIT_BOOTSTRAP_FAILED
    assert "Traceback" not in result.stderr
    assert "until=gestern" in result.stderr


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

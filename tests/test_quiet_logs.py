"""Logs an operator reads line by line: one line per failed source, no traceback for a site
that is down, no warning for what is normal under cron, the summary always at the end."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SITES, refused_addresses, run_scrapy

from crawler.run.outcome import EXIT_DISCOVERY_FAILED, EXIT_OK
from crawler.testing.fixture_server import FixtureServer

ARTICLE = "https://www.espos.id/harga-cabai-rawit-di-pasar-boyolali-naik-jadi-rp60000-per-kilogram-2201002"
#: Discovery sources of the espos spider (robots.txt, then what it names or the defaults), and
#: the home and section fronts it falls back to when those give nothing.
ESPOS_SOURCES = ("robots.txt", "feed", "indeks", "sitemap-news.xml", "sitemap.xml")
ESPOS_FRONTS = (
    "https://www.espos.id/",
    "https://solopos.espos.id/",
    "https://regional.espos.id/",
    "https://bisnis.espos.id/",
)


def test_an_offline_run_logs_one_line_per_failed_source_and_no_traceback(tmp_path: Path):
    with FixtureServer(SITES / "espos") as server:
        hosts = server.hosts
    with refused_addresses(len(hosts)) as addresses:
        dead = dict(zip(hosts, addresses, strict=True))
        result = run_scrapy(["crawl", "espos"], cwd=tmp_path, host_map=dead)
    log = result.stderr
    assert result.returncode == EXIT_DISCOVERY_FAILED, log[-3000:]
    assert "Traceback" not in log
    assert "Gave up retrying" not in log
    assert "Disabled crawler.extensions.progress" not in log  # no terminal: normal under cron
    warnings = re.findall(r"\[espos\] WARNING: (discovery_\w+): (\S+)", log)
    sources = sorted(url.rsplit("/", 1)[1] for _, url in warnings if url not in ESPOS_FRONTS)
    assert sources == sorted(ESPOS_SOURCES)
    assert sorted(url for _, url in warnings if url in ESPOS_FRONTS) == sorted(ESPOS_FRONTS)
    assert len(warnings) == len(ESPOS_SOURCES) + len(ESPOS_FRONTS)
    assert len(re.findall(r"robots\.txt of www\.espos\.id could not be fetched", log)) == 1
    assert " ERROR: " not in log.replace("[crawler.commands] ERROR: espos failed", "")


def test_the_summary_is_on_stderr_at_the_end_whatever_the_log_level(tmp_path: Path):
    with FixtureServer(SITES / "espos") as server:
        arguments = ["crawl", "espos", "-a", f"url={ARTICLE}", "-O", "out.jsonl"]
        quiet = run_scrapy([*arguments, "-L", "WARNING"], cwd=tmp_path, host_map=server.host_map())
        chatty = run_scrapy(arguments, cwd=tmp_path, host_map=server.host_map())
    assert quiet.returncode == EXIT_OK, quiet.stderr[-3000:]
    assert (
        quiet.stderr.strip()
        .splitlines()[-1]
        .startswith("Summary espos: found 0, new 1, delivered 1")
    )
    assert chatty.returncode == EXIT_OK, chatty.stderr[-3000:]
    assert chatty.stderr.count("Summary espos:") == 1
    assert chatty.stderr.index("Summary espos:") > chatty.stderr.index("Dumping Scrapy stats")

"""The crawls the benchmark times, each a real Scrapy process over the benchmark site.

- ``espos``: ``scrapy crawl espos`` with every project component and its default settings:
  robots.txt, sitemap index, fetch, extraction (in a read worker, ``crawler.extraction.
  read_ahead``, where the machine has a core to spare), enrichment, dedup, delivered-store,
  JSON Lines and clipping feeds;
- ``espos_in_process``: the same with ``CRAWLER_READ_PROCESSES=0``: every page read on the
  crawl's own thread;
- ``generic``: ``scrapy crawl generic -a sitemap=...``: the same, through structured data and
  the generic extractor instead of the outlet's selectors;
- ``plain``: the ceiling, ``crawler.bench.plain`` under ``scrapy runspider`` outside the project;
- ``scrapy bench``: Scrapy's own spider and server (secondary figure: other pages, other server).

All crawls of the site get ``SHARED_SETTINGS``; the plain one also the project's
``CONCURRENT_ITEMS``, ours a throwaway state directory.
Rates come from Scrapy's own ``elapsed_time_seconds`` (spider open to close, so the start-up
of the interpreter is not in them); CPU per article is the process's whole CPU time, start-up
included, divided by the articles it delivered.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from crawler import settings as project_settings
from crawler.bench import plain
from crawler.bench.process import cpu_seconds_of, run_measured, stat_from_log
from crawler.bench.site import DISCOVERY_HOST, BenchSite
from crawler.exporters import read_clippings
from crawler.extraction.read_ahead import PAGES_STAT

#: Download settings of every crawl of the site, ours and the plain one alike: no politeness
#: delays (the server is ours), many requests in flight, INFO logging to a file.
SHARED_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "64",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "64",
    "LOG_LEVEL": "INFO",
    "LOG_FILE": "crawl.log",
}
#: Ours only: no live progress lines, no browser, a state directory of its own per run.
PROJECT_SETTINGS = {
    "CRAWLER_PROGRESS_INTERVAL": "0",
    "CRAWLER_BROWSER": "off",
    "CRAWLER_STATE_DIR": "state",
}
#: Our crawls by kind: the spider, and settings of its own beyond ``PROJECT_SETTINGS``.
OUR_CRAWLS: dict[str, tuple[str, dict[str, str]]] = {
    "espos": ("espos", {}),
    "espos_in_process": ("espos", {"CRAWLER_READ_PROCESSES": "0"}),
    "generic": ("generic", {}),
}
#: The generic spider reads the site as an outlet it has no module for.
GENERIC_ARGUMENTS = {"outlet_name": "Espos.id", "sitemap": f"https://{DISCOVERY_HOST}/sitemap.xml"}


def project_env() -> dict[str, str]:
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}


def plain_env() -> dict[str, str]:
    """The environment without any project: Scrapy's defaults only."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")
    }


def settings_arguments(settings: dict[str, str]) -> list[str]:
    return [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]


def spider_arguments(arguments: dict[str, str]) -> list[str]:
    return [part for name, value in arguments.items() for part in ("-a", f"{name}={value}")]


def host_map(site: BenchSite, port: int) -> dict[str, str]:
    return {host: f"127.0.0.1:{port}" for host in site.hosts}


def window_arguments(site: BenchSite) -> dict[str, str]:
    return {"since": site.since.isoformat(), "until": site.until.isoformat()}


def our_command(spider: str, site: BenchSite, port: int, **own: str) -> list[str]:
    """``own``: settings of this crawl beyond the shared and project ones."""
    arguments = window_arguments(site)
    if spider == "generic":
        arguments |= GENERIC_ARGUMENTS
    settings = SHARED_SETTINGS | PROJECT_SETTINGS | own
    settings["CRAWLER_HOST_MAP"] = json.dumps(host_map(site, port))
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        *spider_arguments(arguments),
        *settings_arguments(settings),
    ]


def plain_settings() -> dict[str, str]:
    """The plain crawl's settings: the shared ones, and the project's ``CONCURRENT_ITEMS``,
    which costs Scrapy the same per response whatever the spider does with its items."""
    return SHARED_SETTINGS | {"CONCURRENT_ITEMS": str(project_settings.CONCURRENT_ITEMS)}


def plain_command(site: BenchSite, port: int) -> list[str]:
    arguments = {
        "sitemap": f"https://{DISCOVERY_HOST}/sitemap.xml",
        "host_map": json.dumps(host_map(site, port)),
    }
    return [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        plain.__file__,
        *spider_arguments(arguments),
        *settings_arguments(plain_settings()),
    ]


def count_delivered(output: Path) -> dict[str, int]:
    """Records in the JSON Lines and clipping feeds a crawl wrote."""
    jsonl = sorted(output.glob("*.jsonl"))
    clippings = sorted(output.glob("*.txt"))
    return {
        "jsonl_records": sum(
            1 for feed in jsonl for line in feed.open(encoding="utf-8") if line.strip()
        ),
        "clipping_files": len(clippings),
        "clipping_records": sum(
            len(read_clippings(file.read_text(encoding="utf-8"))) for file in clippings
        ),
    }


def run_crawl(
    kind: str, site: BenchSite, port: int, server_pid: int, workdir: Path, *, timeout: float
) -> dict[str, Any]:
    """One crawl of the whole site (``kind``: plain or one of ``OUR_CRAWLS``), measured."""
    workdir.mkdir(parents=True, exist_ok=True)
    is_plain = kind == "plain"
    if is_plain:
        command = plain_command(site, port)
    else:
        spider, own = OUR_CRAWLS[kind]
        command = our_command(spider, site, port, **own)
    server_cpu_before = cpu_seconds_of(server_pid)
    result = run_measured(
        command,
        cwd=workdir,
        env=plain_env() if is_plain else project_env(),
        log_file=workdir / SHARED_SETTINGS["LOG_FILE"],
        timeout=timeout,
    )
    server_cpu_after = cpu_seconds_of(server_pid)
    responses = int(stat_from_log(result.log, "response_received_count") or 0)
    elapsed = stat_from_log(result.log, "elapsed_time_seconds") or result.wall_s
    measured: dict[str, Any] = {"kind": kind, "site_articles": len(site.articles)}
    if is_plain:
        articles = int(stat_from_log(result.log, "item_scraped_count") or 0)
    else:
        measured |= count_delivered(workdir / "output" / OUR_CRAWLS[kind][0])
        measured["delivered"] = int(stat_from_log(result.log, "crawler/delivered") or 0)
        measured["read_in_workers"] = int(stat_from_log(result.log, PAGES_STAT) or 0)
        articles = measured["jsonl_records"]
    server_cpu = (
        server_cpu_after - server_cpu_before
        if server_cpu_before is not None and server_cpu_after is not None
        else None
    )
    return measured | {
        "articles": articles,
        "complete": result.returncode == 0
        and articles == len(site.articles)
        and (is_plain or measured["clipping_records"] == measured["delivered"] == articles),
        "exit_code": result.returncode,
        "responses": responses,
        "elapsed_s": round(elapsed, 2),
        "wall_s": round(result.wall_s, 2),
        "articles_per_min": round(articles * 60 / elapsed, 1) if elapsed else 0.0,
        "cpu_s": round(result.cpu_s, 2),
        "cpu_ms_per_article": round(result.cpu_s * 1000 / articles, 2) if articles else None,
        "peak_rss_mb": round(result.peak_rss_mb, 1),
        "server_cpu_ms_per_response": (
            round(server_cpu * 1000 / responses, 3)
            if server_cpu is not None and responses
            else None
        ),
    }


def scrapy_bench(workdir: Path, seconds: int, *, timeout: float) -> dict[str, Any]:
    """Scrapy's own benchmark (its spider, its local server, default settings)."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"]
    result = run_measured(command, cwd=workdir, env=plain_env(), log_file=None, timeout=timeout)
    responses = stat_from_log(result.log, "response_received_count") or 0
    elapsed = stat_from_log(result.log, "elapsed_time_seconds") or result.wall_s
    return {
        "responses": int(responses),
        "elapsed_s": round(elapsed, 2),
        "pages_per_min": round(responses * 60 / elapsed, 1) if elapsed else 0.0,
        "exit_code": result.returncode,
    }

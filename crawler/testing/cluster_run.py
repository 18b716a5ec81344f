"""Start crawler processes of a local cluster (one Redis) over the bulk site, as a user would.

Used by the cluster tests: each worker is a ``scrapy crawl generic`` subprocess in its own
working directory with ``CRAWLER_REDIS_URL`` in its environment and one JSON Lines feed,
``out.jsonl``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.testing.bulk_site import crawl_arguments

FEED_FILE = "out.jsonl"
#: Fast, deterministic crawls of a local server; a short lease so tests need not wait long.
WORKER_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "CRAWLER_CLUSTER_LEASE_SECONDS": "3",
    "TELNETCONSOLE_ENABLED": "False",
}


def start_worker(
    workdir: Path,
    redis_url: str,
    host_map: dict[str, str],
    settings: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """One crawler process; its log goes to ``workdir/crawl.log``."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", *crawl_arguments(), "-O", FEED_FILE]
    for name, value in {**WORKER_SETTINGS, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    command += ["-s", f"CRAWLER_HOST_MAP={json.dumps(host_map)}"]
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "crawler.settings",
        "CRAWLER_REDIS_URL": redis_url,
    }
    log = (workdir / "crawl.log").open("w", encoding="utf-8")
    return subprocess.Popen(
        command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )


def delivered_urls(workdir: Path) -> list[str]:
    """URLs in the worker's stored feed (none when the feed was never stored)."""
    feed = workdir / FEED_FILE
    if not feed.exists():
        return []
    lines = feed.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["url"] for line in lines if line.strip()]

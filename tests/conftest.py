"""Shared test fixtures: ../shared location, local fixture sites and `scrapy crawl` runs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from crawler.testing.fixture_server import FixtureServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SITES = REPO / "tests" / "sites"

#: Settings for fast, deterministic fixture crawls (the fixture server is not a real site).
FAST_CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "INFO",
    # Block pages are retried at once: a fixture block page never clears by waiting.
    "CRAWLER_BLOCK_RETRY_DELAY": "0",
    # Retries of 429/503 without Retry-After go at once (crawler.downloader.backoff).
    "CRAWLER_RETRY_BACKOFF_BASE": "0",
    # A fixture challenge the browser cannot pass is given up soon.
    "CRAWLER_BROWSER_CHALLENGE_WAIT": "3",
}


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(
            f"{SHARED} is absent (a fresh clone without ../shared); real pages not available"
        )
    return SHARED


@pytest.fixture
def espos_server() -> Iterator[FixtureServer]:
    """A fresh server per test: its 500-then-200 counters are per instance."""
    with FixtureServer(SITES / "espos") as server:
        yield server


def run_scrapy(
    args: Sequence[str],
    *,
    cwd: Path,
    host_map: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """Run the `scrapy` command as a user would, from a directory outside the repository."""
    command = [sys.executable, "-m", "scrapy", *args]
    for name, value in {**FAST_CRAWL_SETTINGS, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    if host_map:
        command += ["-s", f"CRAWLER_HOST_MAP={json.dumps(host_map)}"]
    full_env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", **(env or {})}
    return subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def log_stat(log: str, key: str, default: int | None = 0) -> int | None:
    """An integer stat from the "Dumping Scrapy stats" block of a crawl's log."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match.group(1)) if match else default


def window_args(expected: dict) -> list[str]:
    """``-a since=... -a until=...`` for the window an EXPECTED.json declares."""
    window = expected["window"]
    return ["-a", f"since={window['since']}", "-a", f"until={window['until']}"]

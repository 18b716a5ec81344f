"""Shared test fixtures: ../shared location, local fixture sites and `scrapy crawl` runs.

Each fixture site is crawled once per test run over its EXPECTED window (`crawl`), shared by
every test that reads it, on whichever pytest-xdist worker (`SiteCrawls`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import settings as hypothesis_settings

from crawler.testing.fixture_server import FixtureServer, candidate_files

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

#: The shared crawls of fixture sites read every article page in a worker process
#: (crawler.extraction.read_ahead), so the outlet tests check what the workers read; other
#: crawls keep the default, which reads a run's first pages in process.
READ_AHEAD_SETTINGS = {"CRAWLER_READ_PROCESSES": "1", "CRAWLER_READ_AHEAD_AFTER": "0"}


@contextmanager
def refused_addresses(count: int) -> Iterator[list[str]]:
    """``count`` addresses on 127.0.0.1 that refuse connections while the block runs: bound
    and never listening, so no server of a test running beside this one can take them (a
    port only found free can be taken, and was, under pytest-xdist)."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for held in sockets:
            held.bind(("127.0.0.1", 0))
        yield [f"127.0.0.1:{held.getsockname()[1]}" for held in sockets]


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


def request_key(url: str) -> str:
    """A URL as the fixture server records it: ``host/path?query`` (scheme and port dropped)."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}{query}"


@dataclass
class SiteCrawl:
    """One `scrapy crawl <outlet>` of a fixture site over its EXPECTED window, as tests read it."""

    name: str
    expected: dict
    returncode: int
    log: str
    #: Every request the fixture server answered, in order, as ``https://host/path?query``.
    requests: list[str]
    records: list[dict] = field(default_factory=list)
    #: The same records exported in the clipping format.
    clipping: str = ""

    def request_count(self, url: str) -> int:
        """How often `url` was requested (scheme ignored, query significant)."""
        key = request_key(url)
        return sum(1 for request in self.requests if request_key(request) == key)

    @cached_property
    def stats(self) -> dict[str, int]:
        """The integer stats of the dump Scrapy logs when the spider closes."""
        dump = self.log[self.log.rindex("Dumping Scrapy stats") :]
        return {key: int(value) for key, value in re.findall(r"'([a-z_]+/[^']+)': (\d+)", dump)}


def load_expected(name: str) -> dict:
    """tests/sites/<name>/EXPECTED.json."""
    return json.loads((SITES / name / "EXPECTED.json").read_text(encoding="utf-8"))


def article_files(name: str) -> dict[str, Path]:
    """Real URL -> file of each article of the site's EXPECTED.json that is served as a page
    (not those read from a WordPress REST answer)."""
    files = {}
    site = SITES / name
    for article in load_expected(name)["articles"]:
        parts = urlsplit(article["url"])
        host_dir = site / (parts.hostname or "")
        for candidate, _ in candidate_files(parts.path, parts.query):
            if (host_dir / candidate).is_file():
                files[article["url"]] = host_dir / candidate
                break
    return files


def crawl_fixture_site(name: str, workdir: Path, *extra: str) -> SiteCrawl:
    """Crawl the outlet's fixture site over its EXPECTED window, arguments and settings.

    EXPECTED.json may add spider ``arguments`` and crawl ``settings`` (tests/test_outlets.py);
    `extra` adds command-line options (``-a refresh=true``). Both feeds are written: JSON Lines
    and the clipping format.
    """
    expected = load_expected(name)
    arguments = [
        *(f"{key}={value}" for key, value in expected["window"].items()),
        *(f"{key}={value}" for key, value in expected.get("arguments", {}).items()),
    ]
    with FixtureServer(SITES / name) as server:
        result = run_scrapy(
            [
                "crawl",
                name,
                *(part for argument in arguments for part in ("-a", argument)),
                *extra,
                *("-O", "out.jsonl", "-O", "out.txt:clipping"),
            ],
            cwd=workdir,
            host_map=server.host_map(),
            settings={**READ_AHEAD_SETTINGS, **expected.get("settings", {})},
        )
        requests = [f"https://{request.host}{request.path}" for request in server.requests]
    crawl = SiteCrawl(name, expected, result.returncode, result.stderr, requests)
    if (workdir / "out.jsonl").exists():
        crawl.records = read_jsonl(workdir / "out.jsonl")
    if (workdir / "out.txt").exists():
        crawl.clipping = (workdir / "out.txt").read_text(encoding="utf-8")
    return crawl


class SiteCrawls:
    """The run's crawls of fixture sites, each made when a test first asks for it.

    Shared by the pytest-xdist workers through files under `root`: the first worker to ask
    crawls the site holding an exclusive lock on it; a worker asking meanwhile waits for the
    lock, then reads the saved crawl. So each site is crawled once per run, whichever worker
    runs its tests.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._read: dict[str, SiteCrawl] = {}

    def get(self, name: str) -> SiteCrawl:
        if name not in self._read:
            self._read[name] = self._crawl_once(name)
        crawl = self._read[name]
        assert crawl.returncode == 0, f"scrapy crawl {name} failed:\n{crawl.log[-3000:]}"
        return crawl

    def _crawl_once(self, name: str) -> SiteCrawl:
        workdir = self.root / name
        workdir.mkdir(parents=True, exist_ok=True)
        saved = workdir / "crawl.json"
        with (workdir / "crawl.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if saved.exists():
                return SiteCrawl(**json.loads(saved.read_text(encoding="utf-8")))
            crawl = crawl_fixture_site(name, workdir)
            partial = workdir / "crawl.json.partial"
            partial.write_text(json.dumps(asdict(crawl)), encoding="utf-8")
            partial.replace(saved)
            return crawl


@pytest.fixture(scope="session")
def site_crawls(tmp_path_factory: pytest.TempPathFactory) -> SiteCrawls:
    """Under xdist each worker has its own base temp dir; their parent is this run's."""
    base = tmp_path_factory.getbasetemp()
    run_dir = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return SiteCrawls(run_dir / "site-crawls")


def crawled_outlet(item: pytest.Item) -> str | None:
    """The outlet whose fixture crawl `item` reads through `crawl`, if it does.

    Named by indirect parametrization (``parametrize("crawl", [...], indirect=True)``) or by
    the closest ``outlet`` marker (``pytest.mark.outlet("espos")``).
    """
    if "crawl" not in getattr(item, "fixturenames", ()):
        return None
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "crawl" in callspec.params:
        return callspec.params["crawl"]
    marker = item.get_closest_marker("outlet")
    return marker.args[0] if marker else None


@pytest.fixture
def crawl(request: pytest.FixtureRequest, site_crawls: SiteCrawls) -> SiteCrawl:
    """The run's crawl of one outlet's fixture site (see `crawled_outlet`)."""
    name = crawled_outlet(request.node)
    if name is None:
        pytest.fail(
            "the crawl fixture needs pytest.mark.outlet(<name>) or indirect parametrization",
            pytrace=False,
        )
    return site_crawls.get(name)


#: Property tests run Hypothesis's default 100 examples each; before changing the clipping
#: format or the date parser, ``python -m pytest --hypothesis-profile thorough`` runs 2,000.
hypothesis_settings.register_profile("thorough", max_examples=2000)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "outlet(name): the outlet whose fixture crawl `crawl` is")


#: Modules that take longest, slowest first (measured with --durations, 2026-12): under
#: ``--dist loadscope --no-loadscope-reorder`` a module goes to one worker in this order, then
#: the rest in collection order, so no worker starts a long module when the others are done.
SLOW_MODULES_FIRST = (
    "test_cluster.py",
    "test_outlets.py",
    "test_hostile_timing.py",
    "test_delivery.py",
    "test_wordpress_e2e.py",
    "test_exit_status.py",
    "test_outlet_health.py",
    "test_bench.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of SLOW_MODULES_FIRST first, in that order."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return (
            SLOW_MODULES_FIRST.index(name)
            if name in SLOW_MODULES_FIRST
            else len(SLOW_MODULES_FIRST)
        )

    items.sort(key=rank)  # stable: each module keeps its own order


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One worker more than cores: many tests wait (leases, retry delays, the browser)."""
    return (len(os.sched_getaffinity(0)) or 1) + 1

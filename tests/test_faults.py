"""A crawl of a hostile site ends in bounded time, delivers every good article, names every fault.

The fault site is a copy of the constructed espos site (tests/sites/espos) whose feed also
lists the fault articles of ``crawler.testing.fault_server`` and whose sitemap index also
lists hostile sitemaps; RSS faults are read by the generic spider.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FAST_CRAWL_SETTINGS, SITES, read_jsonl, run_scrapy

from crawler.testing.fault_server import FAULTS, XML_FAULTS, FaultServer

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = ["-a", "since=2025-07-01", "-a", "until=2025-07-04"]
ARTICLE_HOST = "https://solopos.espos.id"
#: Small limits so every fault resolves in seconds; the bomb and oversize faults exceed them.
FAULT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "2",
    "DOWNLOAD_MAXSIZE": str(1024 * 1024),
    "DOWNLOAD_WARNSIZE": "0",
    "RETRY_TIMES": "1",
    "CRAWLER_RETRY_MAX_DELAY": "1",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "CRAWLER_MIN_FAILED_ARTICLES": "100",
}
#: Seconds a whole fault crawl may take (timeouts and drips are held far longer by the server).
CRAWL_BOUND = 60
#: Peak resident memory of a crawl process; a decompressed bomb alone would be 256 MiB.
MEMORY_BOUND_KIB = 256 * 1024
SECRET = "canary-4f1d9e-not-for-crawlers"

#: Fault article -> where the crawl must report it: ("failed", reason) in crawler/failed/,
#: ("dropped", reason) in crawler/dropped/, or ("delivered", title words) for pages that are
#: good articles despite their transport or encoding.
ARTICLE_FAULTS: dict[str, tuple[str, str]] = {
    "status-500": ("failed", "article_http_500"),
    "status-502": ("failed", "article_http_502"),
    "status-503": ("failed", "article_http_503"),
    "too-many-requests": ("failed", "article_http_429"),
    "timeout": ("failed", "article_DownloadTimeoutError"),
    "slow-drip": ("failed", "article_DownloadTimeoutError"),
    "reset": ("failed", "article_DownloadFailedError"),
    "cut-connection": ("failed", "article_ResponseDataLossError"),
    "redirect-loop": ("failed", "article_RedirectLoop"),
    "offsite-redirect": ("failed", "article_OffsiteRedirect"),
    "oversize": ("failed", "article_DownloadCancelledError"),
    "gzip-bomb": ("failed", "article_ResponseTooLarge"),
    "binary-as-html": ("dropped", "missing_title"),
    "empty": ("dropped", "missing_title"),
    "cp1252-no-charset": (
        "delivered",
        "Bazar \u201cPasar Gede\u201d di Klaten \u2013 Hari Pertama",
    ),
    # UTF-8 bytes labelled windows-1252: the en dash must not come out as mojibake.
    "wrong-charset": ("delivered", "Bazar Kuliner Klaten \u2013 Diserbu Pengunjung"),
    "truncated-html": ("delivered", "Bazar Kuliner Klaten Ditutup Lebih Awal"),
}


def fault_url(name: str, number: int) -> str:
    return f"{ARTICLE_HOST}/fault-{name}-{2900000 + number}"


def build_fault_site(tmp_path: Path) -> Path:
    """Copy of the espos site listing every fault article in its feed, hostile sitemaps in its
    sitemap index."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "espos", site)
    assert set(ARTICLE_FAULTS) == set(FAULTS), "a fault without an expectation"
    feed = site / "www.espos.id" / "feed"
    items = "".join(
        f"<item><title>fault {name}</title><link>{fault_url(name, number)}</link>"
        "<pubDate>Thu, 03 Jul 2025 09:00:00 +0700</pubDate></item>\n"
        for number, name in enumerate(ARTICLE_FAULTS)
    )
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("</channel>", items + "</channel>"), encoding="utf-8")
    index = site / "www.espos.id" / "sitemap.xml"
    entries = "".join(
        f"<sitemap><loc>https://www.espos.id/fault-{name}.xml</loc></sitemap>\n"
        for name in XML_FAULTS
    )
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("</sitemapindex>", entries + "</sitemapindex>"), encoding="utf-8")
    return site


#: Runs a command and prints the peak resident memory (KiB) of it and its children: the crawl's
#: own peak, apart from every other process the test session started.
PEAK_MEMORY_WRAPPER = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print('peak-kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "sys.exit(done.returncode)"
)


def crawl_measuring_memory(
    args: list[str], *, cwd: Path, host_map: dict[str, str], settings: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], int]:
    """``scrapy`` as ``run_scrapy`` runs it, and the crawl process's peak memory in KiB."""
    command = [sys.executable, "-c", PEAK_MEMORY_WRAPPER, sys.executable, "-m", "scrapy", *args]
    for name, value in {**FAST_CRAWL_SETTINGS, **settings}.items():
        command += ["-s", f"{name}={value}"]
    command += ["-s", f"CRAWLER_HOST_MAP={json.dumps(host_map)}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=CRAWL_BOUND * 2
    )
    peak = re.search(r"peak-kib (\d+)", result.stdout)
    assert peak, result.stderr[-3000:]
    return result, int(peak.group(1))


def stats_of(log: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r"'(crawler/[^']+)': (\d+)", log)}


@pytest.fixture
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the crawl's directory that an XXE entity names."""
    path = tmp_path_factory.mktemp("outside") / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def test_fault_site_crawl_is_bounded_complete_and_explained(tmp_path: Path, secret_file: Path):
    workdir = tmp_path / "run"
    workdir.mkdir()
    with FaultServer(build_fault_site(tmp_path), xxe_target=secret_file) as server:
        started = time.monotonic()
        result, peak = crawl_measuring_memory(
            ["crawl", "espos", *WINDOW, "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
            settings=FAULT_SETTINGS,
        )
        elapsed = time.monotonic() - started
        requested = {request.path for request in server.requests}
    log = result.stderr
    assert elapsed < CRAWL_BOUND, f"took {elapsed:.0f}s"
    assert "Traceback" not in log, log[-4000:]
    items = {item["url"]: item for item in read_jsonl(workdir / "out.jsonl")}
    good = {article["url"] for article in EXPECTED["articles"]}
    assert good <= set(items), f"lost good articles: {sorted(good - set(items))}"
    stats = stats_of(log)
    for number, (name, (kind, expected)) in enumerate(ARTICLE_FAULTS.items()):
        url = fault_url(name, number)
        if kind == "delivered":
            assert items[url]["title"] == expected, name
        else:
            assert stats.get(f"crawler/{kind}/{expected}", 0) >= 1, (name, stats)
            assert url not in items, name
    # Exactly these faults under each reason: nothing else failed, nothing counted twice. The
    # 404s are the espos site's own dead link and the entry recovered from broken sitemaps.
    expected_counts = Counter(
        f"crawler/{kind}/{reason}" for kind, reason in ARTICLE_FAULTS.values()
    )
    for key, count in expected_counts.items():
        if not key.startswith("crawler/delivered/"):
            assert stats[key] == count, key
    assert (
        stats.get("crawler/dropped/outside_window", 0) + stats["crawler/skipped/outside_window"]
        == 1
    )
    # Entity-declaring sitemaps are refused; broken and too deep ones are read in recovery mode
    # (crawler.discovery.xml) and their one entry fetched, without entities or deep recursion,
    # and each is counted as malformed.
    assert stats["crawler/failed/invalid_sitemap"] == 2
    assert stats["crawler/failed/malformed_sitemap"] == 2
    assert stats["crawler/failed/article_http_404"] == 2
    # The 429 and the 503 asked for a pause (Retry-After: 1) before their retry, and got it.
    assert stats["crawler/retry_backoff"] == 2
    assert "attacker.example.net" not in {request.host for request in server.requests}
    assert not any("xxe-probe" in path for path in requested)
    output = (workdir / "out.jsonl").read_text(encoding="utf-8")
    assert SECRET not in output and SECRET not in log and "lollollol" not in log
    assert peak < MEMORY_BOUND_KIB, f"peak memory of a crawl: {peak} KiB"


def test_hostile_feeds_are_refused_and_good_feed_read(tmp_path: Path, secret_file: Path):
    feeds = [f"https://www.espos.id/fault-{name}.rss" for name in XML_FAULTS]
    feeds.append("https://www.espos.id/feed")
    with FaultServer(SITES / "espos", xxe_target=secret_file) as server:
        result = run_scrapy(
            ["crawl", "generic", "-a", "feed=" + " ".join(feeds), *WINDOW, "-O", "out.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
            settings=FAULT_SETTINGS,
        )
        requested = {request.path for request in server.requests}
    stats = stats_of(result.stderr)
    # Entity-declaring feeds are refused; broken and too deep ones are read in recovery mode.
    assert stats.get("crawler/failed/invalid_feed") == 2, result.stderr[-3000:]
    assert stats.get("crawler/failed/malformed_feed") == 2, result.stderr[-3000:]
    assert stats.get("crawler/discovered", 0) >= 5
    assert not any("xxe-probe" in path for path in requested)
    assert SECRET not in result.stderr
    assert SECRET not in (tmp_path / "out.jsonl").read_text(encoding="utf-8")

"""Every good article delivered exactly once under any timing, on a hostile site.

Real ``scrapy crawl generic`` processes against ``crawler.testing.hostile_site`` (written apart
from the fault server): concurrent, same-second, killed and failed runs. Each run uses the
project's default feeds and state directory in the test's working directory, as cron would.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FAST_CRAWL_SETTINGS, log_stat, read_jsonl, run_scrapy

from crawler.exporters import read_clippings
from crawler.run.outcome import (
    EXIT_DISCOVERY_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_TOO_MANY_ERRORS,
)
from crawler.store.sqlite import DATABASE_FILE
from crawler.testing.hostile_site import HostileSite
from crawler.testing.polling import poll_until
from crawler.utils.timezones import WIB

#: Short timeouts and one retry keep a hanging page to seconds; block pages keep their real
#: delay (60 s), so a rate limit taken for a block page would show.
HOSTILE_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "DOWNLOAD_MAXSIZE": str(5 * 1024 * 1024),
    "DOWNLOAD_WARNSIZE": str(4 * 1024 * 1024),
    "CRAWLER_BLOCK_RETRY_DELAY": "60",
}
HOST = "kabar-jateng.test"
WINDOW_LINE = re.compile(r"INFO: window (\S+) \.\. (\S+)")


def generic_arguments(site: HostileSite, host: str, *extra: str) -> list[str]:
    return ["crawl", "generic", "-a", f"sitemap={site.sitemap_url(host)}", *extra]


def crawl(workdir: Path, site: HostileSite, host: str = HOST, *extra: str, **settings: str):
    return run_scrapy(
        generic_arguments(site, host, *extra),
        cwd=workdir,
        host_map=site.host_map(),
        settings={**HOSTILE_SETTINGS, **settings},
        timeout=120,
    )


def start(workdir: Path, site: HostileSite, host: str = HOST, **extra: str) -> Any:
    """A crawl in the background, as cron starts it; its log is ``<workdir>/<host>.log``."""
    command = [sys.executable, "-m", "scrapy", *generic_arguments(site, host)]
    settings = {**FAST_CRAWL_SETTINGS, **HOSTILE_SETTINGS, "LOG_LEVEL": "DEBUG", **extra}
    settings["CRAWLER_HOST_MAP"] = json.dumps(site.host_map())
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    log = (workdir / f"{host}.log").open("wb")
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)


def delivered(workdir: Path) -> Counter[str]:
    """How often each URL is in the stored JSON Lines feeds, checked against the clippings."""
    jsonl = sorted((workdir / "output" / "generic").glob("*.jsonl"))
    clippings = sorted((workdir / "output" / "generic").glob("*.txt"))
    records = [record for path in jsonl for record in read_jsonl(path)]
    clipped = [c for path in clippings for c in read_clippings(path.read_text("utf-8"))]
    assert sorted(r["title"] for r in records) == sorted(c.title for c in clipped)
    return Counter(record["url"] for record in records)


def runs(workdir: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(workdir / ".crawler-state" / DATABASE_FILE) as connection:
        return connection.execute(
            "SELECT outlet, started, success FROM runs ORDER BY rowid"
        ).fetchall()


def window_since(log: str) -> datetime:
    match = WINDOW_LINE.search(log)
    assert match, log[-3000:]
    return datetime.fromisoformat(match.group(1))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_good_articles_delivered_once_bad_cases_counted_with_their_reason(workdir: Path):
    with HostileSite([HOST], chain=True) as site:
        first = crawl(workdir, site, CRAWLER_MAX_SITEMAP_DEPTH="3")
        again = crawl(workdir, site, CRAWLER_MAX_SITEMAP_DEPTH="3")
        limited = site.requested(next(u for u in site.cases(HOST) if "dibatasi" in u))
    log = first.stderr
    assert first.returncode == EXIT_OK, log[-3000:]
    assert delivered(workdir) == Counter(dict.fromkeys(site.good_urls(HOST), 1))
    for url, case in site.cases(HOST).items():
        if not case.good:
            counted = re.search(rf"'crawler/failed/{case.failure}': [1-9]", log)
            assert counted, (url, log[-3000:])
    assert log_stat(log, "crawler/failed/invalid_sitemap") == 1  # the XXE sitemap
    assert log_stat(log, "crawler/skipped/sitemap_depth") == 1  # the endless chain, cut
    assert log_stat(log, "crawler/charset_fallback") == 1
    assert log_stat(log, "crawler/retry_after_too_long") >= 1
    # 429 with Retry-After: 1 was retried a second later, not after a block page's minute.
    assert len(limited) == 2 and 0.9 <= limited[1] - limited[0] < 10
    records = {
        r["url"]: r for path in (workdir / "output").rglob("*.jsonl") for r in read_jsonl(path)
    }
    texts = json.dumps(list(records.values()), ensure_ascii=False)
    assert "\ufffd" not in texts and "\\u001b" not in texts and "\\u0000" not in texts
    assert any(
        "Ren\u00e9 \u2013 warga" in paragraph for r in records.values() for paragraph in r["body"]
    )
    # The second run delivers nothing twice; only the bad cases were new, and all failed
    # again: a failed run (exit 6), which leaves the window where it was.
    assert again.returncode == EXIT_TOO_MANY_ERRORS, again.stderr[-3000:]
    assert "as unsuccessful" in again.stderr
    assert log_stat(again.stderr, "crawler/articles_requested") == len(site.cases(HOST)) // 2
    assert delivered(workdir) == Counter(dict.fromkeys(site.good_urls(HOST), 1))


def test_articles_flow_while_an_endless_sitemap_chain_is_followed(workdir: Path):
    with HostileSite([HOST], articles=10, hostile=False, chain=True, chain_delay=0.3) as site:
        result = crawl(workdir, site, CRAWLER_MAX_SITEMAP_DEPTH="12")
        chain = site.requests_of(HOST, "/rantai/")
        articles = [site.requested(url)[0] for url in site.good_urls(HOST)]
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert len(chain) == 12 and log_stat(result.stderr, "crawler/skipped/sitemap_depth") == 1
    # Every article was fetched while discovery was still following the chain.
    assert max(articles) < chain[-1].at
    assert sum(delivered(workdir).values()) == 10


def test_outlets_started_in_the_same_second_keep_their_files_windows_and_articles(
    workdir: Path,
):
    hosts = ["kabar-a.test", "kabar-b.test", "kabar-c.test"]
    with HostileSite(hosts, hostile=False) as site:
        together = [start(workdir, site, host) for host in hosts[:2]]
        codes = [process.wait(timeout=120) for process in together]
        assert codes == [EXIT_OK, EXIT_OK], [
            (workdir / f"{h}.log").read_text()[-2000:] for h in hosts
        ]
        # A third outlet's first run: its own default window, not 6 h before the others' runs.
        third = crawl(workdir, site, hosts[2])
        assert third.returncode == EXIT_OK, third.stderr[-3000:]
        again = [crawl(workdir, site, host) for host in hosts]
    expected = Counter(url for host in hosts for url in site.good_urls(host))
    assert delivered(workdir) == expected
    assert len(list((workdir / "output" / "generic").glob("*.jsonl"))) == 3
    assert {outlet for outlet, _, success in runs(workdir) if success} == {
        f"generic:{host}" for host in hosts
    }
    assert all(result.returncode == EXIT_OK for result in again)
    assert delivered(workdir) == expected


def test_a_second_run_of_an_outlet_is_refused_and_a_killed_run_loses_nothing(workdir: Path):
    with HostileSite([HOST], hostile=False) as site:
        held = site.article_url(HOST, 1)
        site.hold(held)
        first = start(workdir, site, DOWNLOAD_TIMEOUT="300")
        poll_until(lambda: site.requested(held), timeout=60, what="the held article's request")
        second = crawl(workdir, site)
        assert second.returncode == EXIT_LOCKED, second.stderr[-3000:]
        assert "nothing done" in second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert not (workdir / "output").exists() or delivered(workdir) == Counter()
        site.release(held)
        rerun = crawl(workdir, site)
        assert rerun.returncode == EXIT_OK, rerun.stderr[-3000:]
        assert delivered(workdir) == Counter(dict.fromkeys(site.good_urls(HOST), 1))


def test_a_failed_run_does_not_move_the_window(workdir: Path, tmp_path: Path):
    with HostileSite([HOST], hostile=False) as site:
        good = crawl(workdir, site)
        assert good.returncode == EXIT_OK, good.stderr[-3000:]
    [(_, good_start, _)] = runs(workdir)
    with HostileSite([HOST], hostile=False) as down:
        dead_map = down.host_map()
    offline = run_scrapy(
        generic_arguments(site, HOST),
        cwd=workdir,
        host_map=dead_map,
        settings={**HOSTILE_SETTINGS, "RETRY_TIMES": "0"},
    )
    assert offline.returncode == EXIT_DISCOVERY_FAILED, offline.stderr[-3000:]
    assert "as unsuccessful" in offline.stderr
    with HostileSite([HOST], hostile=False) as site:
        after = crawl(workdir, site)
    assert after.returncode == EXIT_OK, after.stderr[-3000:]
    expected_since = datetime.fromisoformat(good_start) - timedelta(hours=6)
    assert window_since(after.stderr) == expected_since.astimezone(WIB)
    assert [success for *_, success in runs(workdir)] == [1, 0, 1]


def test_a_plain_http_site_is_crawled_over_http(workdir: Path):
    with HostileSite([HOST], articles=5, hostile=False) as site:
        plain = site.plain_host
        result = run_scrapy(
            ["crawl", "generic", "-a", f"sitemap={site.sitemap_url(plain)}"],
            cwd=workdir,
            settings=HOSTILE_SETTINGS,
        )
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    urls = delivered(workdir)
    assert set(urls) == site.good_urls(plain) and set(urls.values()) == {1}
    assert all(url.startswith("http://127.0.0.1:") for url in urls)

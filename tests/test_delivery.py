"""Exactly-once delivery: the delivered-store across runs, kill -9, refresh, window, batches.

End-to-end tests run ``scrapy crawl espos`` with the project's default feeds
(``output/espos/*.jsonl`` and ``*.txt``) against the constructed Espos site or a copy of it,
every run of a test in the same working directory, hence with the same state directory.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import FAST_CRAWL_SETTINGS, SITES, log_stat, read_jsonl, run_scrapy
from scrapy.extensions.feedexport import FeedExporter
from scrapy.utils.test import get_crawler

from crawler.exporters import read_clippings
from crawler.extensions.delivery import (
    DELIVERED,
    FEED_STORE_FAILED,
    DeliveryExtension,
    uri_for_log,
)
from crawler.spiders.espos import ARTICLE_URL, LEGACY_ARTICLE_URL
from crawler.store import NullDeliveredStore
from crawler.store.sqlite import DATABASE_FILE
from crawler.testing.fixture_server import FixtureServer
from crawler.testing.polling import poll_until
from crawler.utils.timezones import WIB
from crawler.utils.urls import url_hash

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
EXPECTED_URLS = sorted(article["url"] for article in EXPECTED["articles"])
WINDOW = ["-a", "since=2025-07-01", "-a", "until=2025-07-04"]
MISSING_ARTICLE_ID = "2201007"
SLOW_ARTICLE = next(a["url"] for a in EXPECTED["articles"] if a["fixture"] == "l")

#: Three articles added to a copy of the site: (host, slug, title, published, dateline place).
NEW_ARTICLES = (
    (
        "solopos.espos.id",
        "warga-wonogiri-gotong-royong-bersihkan-saluran-irigasi-2201013",
        "Warga Wonogiri Gotong Royong Bersihkan Saluran Irigasi",
        "2025-07-03T16:00:00+07:00",
        "WONOGIRI",
    ),
    (
        "regional.espos.id",
        "pelabuhan-tanjung-emas-tambah-dermaga-bongkar-muat-2201014",
        "Pelabuhan Tanjung Emas Tambah Dermaga Bongkar Muat",
        "2025-07-04T07:30:00+07:00",
        "SEMARANG",
    ),
    (
        "bisnis.espos.id",
        "perajin-batik-klaten-kirim-pesanan-pertama-ke-jepang-2201015",
        "Perajin Batik Klaten Kirim Pesanan Pertama ke Jepang",
        "2025-07-04T09:45:00+07:00",
        "KLATEN",
    ),
)
NEW_URLS = sorted(f"https://{host}/{slug}" for host, slug, *_ in NEW_ARTICLES)

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<!-- Constructed fixture (tests/test_delivery.py); structure follows tests/sites/espos pages -->
<title>{title} - Espos.id</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="Tim Redaksi Uji">
</head>
<body>
<article class="post">
<h1 class="post-title">{title}</h1>
<div class="post-meta">by Tim Redaksi Uji - Espos.id</div>
<div class="post-content">
<p>Esposin, {place} – Berita buatan untuk uji pengiriman sekali saja: {title}.</p>
<p>Paragraf kedua ini hanya ada agar isi berita tidak kosong dan bisa diekspor.</p>
</div>
</article>
</body>
</html>
"""

SITEMAP_ENTRY = """  <url>
    <loc>{url}</loc>
    <lastmod>{published}</lastmod>
  </url>
"""


# --- helpers ---------------------------------------------------------------------------------


def copy_site(tmp_path: Path) -> Path:
    """A copy of the Espos site without the feed's permanently missing article (fixture g):
    it would be requested, and fail, on every run, which is the error-ratio check's concern
    and not delivery's."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "espos", site)
    feed = site / "www.espos.id" / "feed"
    item = re.compile(rf"\s*<item>(?:(?!</item>).)*{MISSING_ARTICLE_ID}.*?</item>", re.S)
    feed.write_text(item.sub("", feed.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    return site


def add_new_articles(site: Path) -> None:
    """Write the three NEW_ARTICLES pages and list them in the posts sitemap."""
    entries = ""
    for host, slug, title, published, place in NEW_ARTICLES:
        url = f"https://{host}/{slug}"
        page = ARTICLE_PAGE.format(title=title, url=url, published=published, place=place)
        (site / host / f"{slug}.html").write_text(page, encoding="utf-8")
        entries += SITEMAP_ENTRY.format(url=url, published=published)
    sitemap = site / "www.espos.id" / "sitemap-posts.xml"
    text = sitemap.read_text(encoding="utf-8")
    sitemap.write_text(text.replace("</urlset>", entries + "</urlset>"), encoding="utf-8")


def feed_files(workdir: Path, suffix: str) -> set[Path]:
    return set((workdir / "output" / "espos").glob(f"*{suffix}"))


def article_requests(server: FixtureServer, since: int = 0) -> list[str]:
    """Article pages the server was asked for, from request number `since` on."""
    urls = [f"https://{r.host}{r.path}" for r in server.requests[since:]]
    return [url for url in urls if ARTICLE_URL.match(url) or LEGACY_ARTICLE_URL.match(url)]


def delivered_rows(workdir: Path) -> list[tuple[str, str]]:
    path = workdir / ".crawler-state" / DATABASE_FILE
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT url_hash, outlet FROM delivered").fetchall()


def is_delivered(workdir: Path, url: str) -> bool:
    return url_hash(url) in {hash_ for hash_, _ in delivered_rows(workdir)}


class Crawl:
    """Runs of `scrapy crawl espos` in one working directory, with the new feed files of each."""

    def __init__(self, workdir: Path, server: FixtureServer) -> None:
        self.workdir = workdir
        self.server = server

    def run(self, *args: str, **settings: str) -> SimpleNamespace:
        before_jsonl, before_txt = (
            feed_files(self.workdir, ".jsonl"),
            feed_files(self.workdir, ".txt"),
        )
        first_request = len(self.server.requests)
        result = run_scrapy(
            ["crawl", "espos", *args],
            cwd=self.workdir,
            host_map=self.server.host_map(),
            settings=settings,
        )
        jsonl = sorted(feed_files(self.workdir, ".jsonl") - before_jsonl)
        txt = sorted(feed_files(self.workdir, ".txt") - before_txt)
        return SimpleNamespace(
            returncode=result.returncode,
            log=result.stderr,
            records=[record for path in jsonl for record in read_jsonl(path)],
            clippings=[c for path in txt for c in read_clippings(path.read_text("utf-8"))],
            jsonl=jsonl,
            articles_requested=article_requests(self.server, first_request),
        )


# --- two runs, then three new articles -------------------------------------------------------


def test_second_run_delivers_nothing_and_third_exactly_the_new_articles(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FixtureServer(site) as server:
        crawl = Crawl(workdir, server)

        first = crawl.run(*WINDOW)
        assert first.returncode == 0, first.log[-3000:]
        assert sorted(r["url"] for r in first.records) == EXPECTED_URLS
        assert sorted(c.title for c in first.clippings) == sorted(r["title"] for r in first.records)
        assert log_stat(first.log, DELIVERED, default=None) == len(EXPECTED_URLS)
        assert all(is_delivered(workdir, url) for url in EXPECTED_URLS)

        second = crawl.run(*WINDOW)
        assert second.returncode == 0, second.log[-3000:]
        assert second.records == [] and second.jsonl == []
        assert second.articles_requested == []
        assert log_stat(second.log, DELIVERED, default=None) == 0
        assert log_stat(second.log, "crawler/skipped/already_delivered", default=None) == len(
            EXPECTED_URLS
        )

    add_new_articles(site)
    with FixtureServer(site) as server:
        third = Crawl(workdir, server).run(*WINDOW)
    assert third.returncode == 0, third.log[-3000:]
    assert sorted(r["url"] for r in third.records) == NEW_URLS
    assert sorted(c.title for c in third.clippings) == sorted(a[2] for a in NEW_ARTICLES)
    assert sorted(third.articles_requested) == NEW_URLS
    assert log_stat(third.log, DELIVERED, default=None) == 3


def test_url_argument_skips_a_delivered_article_and_refresh_delivers_again(
    tmp_path: Path,
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    article = next(a for a in EXPECTED["articles"] if a["fixture"] == "a")
    # The same Espos post id under the old solopos.com domain: known by its identity hash.
    legacy = "https://www.solopos.com/" + article["url"].rsplit("/", 1)[1]
    with FixtureServer(copy_site(tmp_path)) as server:
        crawl = Crawl(workdir, server)
        assert crawl.run(*WINDOW).returncode == 0

        single = crawl.run("-a", f"url={legacy}")
        assert single.articles_requested == []
        assert single.records == []
        assert log_stat(single.log, "crawler/skipped/already_delivered", default=None) == 1
        assert f"{legacy} was delivered by an earlier run" in single.log

        again = crawl.run(*WINDOW, "-a", "refresh=true")
        assert again.returncode == 0, again.log[-3000:]
        assert sorted(r["url"] for r in again.records) == EXPECTED_URLS
        assert sorted(set(again.articles_requested)) == EXPECTED_URLS
        assert log_stat(again.log, "crawler/dropped/already_delivered", default=None) is None
        assert log_stat(again.log, DELIVERED, default=None) == len(EXPECTED_URLS)


# --- kill -9 ---------------------------------------------------------------------------------


def start_scrapy(args: list[str], *, cwd: Path, host_map: dict[str, str], log: Path) -> Any:
    """`scrapy` in the background with DEBUG logging (one 'Scraped from' line per item).

    Its download timeout outlasts a held page's delay: on a loaded machine the default 30 s ran
    out before the test was done with the held run, and the retry got the page at once.
    """
    command = [sys.executable, "-m", "scrapy", *args]
    settings = {**FAST_CRAWL_SETTINGS, "LOG_LEVEL": "DEBUG", "DOWNLOAD_TIMEOUT": "600"}
    settings["CRAWLER_HOST_MAP"] = json.dumps(host_map)
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    with log.open("wb") as log_file:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log_file
        )


def wait_for_log(process: Any, log: Path, pattern: str, count: int, timeout: float = 60) -> None:
    def logged() -> bool:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert process.poll() is None, f"scrapy ended early:\n{text[-3000:]}"
        return text.count(pattern) >= count

    try:
        poll_until(logged, timeout=timeout, what=f"{count} x {pattern!r} in {log.name}")
    except TimeoutError as error:
        text = log.read_text(encoding="utf-8", errors="replace")
        raise TimeoutError(f"{error}; {text.count(pattern)} so far:\n{text[-3000:]}") from None


def test_kill_9_mid_run_then_rerun_delivers_every_article_exactly_once(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    slow_key = SLOW_ARTICLE.removeprefix("https://")
    routes = json.loads((site / "_routes.json").read_text(encoding="utf-8"))
    routes[slow_key] = {"delay": 120, "times": 1}
    (site / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    workdir = tmp_path / "work"
    workdir.mkdir()
    others = len(EXPECTED_URLS) - 1

    with FixtureServer(site) as server:
        log = tmp_path / "killed.log"
        process = start_scrapy(
            ["crawl", "espos", *WINDOW], cwd=workdir, host_map=server.host_map(), log=log
        )
        try:
            wait_for_log(process, log, "Scraped from <200", others)
            assert server.was_requested(SLOW_ARTICLE)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL

        # The killed run left only hidden partial files and marked nothing delivered.
        assert feed_files(workdir, ".jsonl") == set() and feed_files(workdir, ".txt") == set()
        assert list((workdir / "output" / "espos").glob(".*.part"))
        assert delivered_rows(workdir) == []

        rerun = Crawl(workdir, server).run(*WINDOW)
    assert rerun.returncode == 0, rerun.log[-3000:]
    union = [r["url"] for path in feed_files(workdir, ".jsonl") for r in read_jsonl(path)]
    assert sorted(union) == EXPECTED_URLS
    titles = [
        c.title
        for path in feed_files(workdir, ".txt")
        for c in read_clippings(path.read_text("utf-8"))
    ]
    assert sorted(titles) == sorted(a["title"] for a in EXPECTED["articles"])
    assert all(is_delivered(workdir, url) for url in EXPECTED_URLS)


# --- date window -----------------------------------------------------------------------------

WINDOW_LINE = re.compile(r"\[espos\] INFO: window (\S+) \.\. (\S+)")


def logged_window(log: str) -> tuple[datetime, datetime]:
    match = WINDOW_LINE.search(log)
    assert match, log[-3000:]
    return datetime.fromisoformat(match.group(1)), datetime.fromisoformat(match.group(2))


def test_default_window_starts_at_last_successful_run_minus_overlap(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FixtureServer(copy_site(tmp_path)) as server:
        crawl = Crawl(workdir, server)
        first = crawl.run()
        since, until = logged_window(first.log)
        assert until - since == timedelta(days=2)
        assert "Recorded the run of espos as successful" in first.log

        path = workdir / ".crawler-state" / DATABASE_FILE
        with sqlite3.connect(path) as connection:
            [(started,)] = connection.execute("SELECT started FROM runs").fetchall()
        second = crawl.run(CRAWLER_WINDOW_OVERLAP_HOURS="5")
        since, _ = logged_window(second.log)
        assert since == datetime.fromisoformat(started) - timedelta(hours=5)
        assert since.utcoffset() == timedelta(hours=7)

        explicit = crawl.run(*WINDOW)
        assert logged_window(explicit.log)[0] == datetime(2025, 7, 1, tzinfo=WIB)
        assert "not recorded as the outlet's last run" in explicit.log
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM runs").fetchone() == (2,)


def test_without_feeds_nothing_is_marked_and_a_warning_says_so(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FixtureServer(copy_site(tmp_path)) as server:
        result = Crawl(workdir, server).run(*WINDOW, FEEDS="{}")
    assert "WARNING: No feed is configured" in result.log
    assert log_stat(result.log, "item_scraped_count", default=None) == len(EXPECTED_URLS)
    assert delivered_rows(workdir) == []


# --- batches and gzip ------------------------------------------------------------------------


def test_batch_files_gzip_and_one_commit_per_stored_batch(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    feeds = {
        "output/%(name)s/%(name)s-%(time)s-%(batch_id)02d.jsonl.gz": {
            "format": "jsonlines",
            "batch_item_count": 4,
            "postprocessing": ["scrapy.extensions.postprocessing.GzipPlugin"],
        }
    }
    with FixtureServer(copy_site(tmp_path)) as server:
        result = Crawl(workdir, server).run(*WINDOW, FEEDS=json.dumps(feeds))
    assert result.returncode == 0, result.log[-3000:]
    files = sorted((workdir / "output" / "espos").glob("*.jsonl.gz"))
    sizes = [len(gzip.decompress(path.read_bytes()).splitlines()) for path in files]
    assert sizes == [4, 4, 1]
    assert [p.name.rsplit("-", 1)[1] for p in files] == [
        "01.jsonl.gz",
        "02.jsonl.gz",
        "03.jsonl.gz",
    ]
    urls = [
        json.loads(line)["url"]
        for p in files
        for line in gzip.decompress(p.read_bytes()).splitlines()
    ]
    assert sorted(urls) == EXPECTED_URLS
    commits = re.findall(r"Marked (\d+) articles delivered", result.log)
    assert commits == ["4", "4", "1"]
    assert all(is_delivered(workdir, url) for url in EXPECTED_URLS)


# --- the extension's bookkeeping, without a crawl --------------------------------------------


class RecordingStore(NullDeliveredStore):
    """Constructed in-memory store recording what was marked."""

    def __init__(self) -> None:
        self.marked: list[tuple[str, str]] = []

    def mark_delivered(self, hashes: Any, *, first_seen: datetime | None = None) -> None:
        self.marked.extend(hashes)


class FakeFeeds:
    """Constructed stand-in for Scrapy's FeedExporter: one slot per feed, batch roll-over."""

    def __init__(self, batch_sizes: dict[str, int]) -> None:
        self.batch_sizes = batch_sizes
        self.feeds = {template: {} for template in batch_sizes}
        self.filters = {t: SimpleNamespace(accepts=lambda item: True) for t in batch_sizes}
        self.slots = [self.new_slot(template, 1) for template in batch_sizes]
        self.filled: list[SimpleNamespace] = []

    @staticmethod
    def new_slot(template: str, batch_id: int) -> SimpleNamespace:
        return SimpleNamespace(
            uri_template=template,
            uri=f"{template}#{batch_id}",
            batch_id=batch_id,
            itemcount=0,
            format="jsonlines",
            storage=SimpleNamespace(),
        )

    def export(self, item: Any, broken: tuple[str, ...] = ()) -> None:
        """Write the item to every feed but the broken ones, as FeedExporter.item_scraped does."""
        slots = []
        for slot in self.slots:
            if slot.uri_template not in broken:
                slot.itemcount += 1
            size = self.batch_sizes[slot.uri_template]
            if size and slot.itemcount >= size:
                self.filled.append(slot)
                slot = self.new_slot(slot.uri_template, slot.batch_id + 1)
            slots.append(slot)
        self.slots = slots

    def slot(self, template: str, batch_id: int) -> SimpleNamespace:
        return next(
            s
            for s in [*self.filled, *self.slots]
            if (s.uri_template, s.batch_id) == (template, batch_id)
        )


def make_extension(batch_sizes: dict[str, int]) -> tuple[DeliveryExtension, FakeFeeds]:
    crawler = get_crawler(settings_dict={"CRAWLER_DELIVERED_STORE": RecordingStore})
    crawler.stats.open_spider()
    feeds = FakeFeeds(batch_sizes)
    crawler.get_extension = lambda cls: feeds if cls is FeedExporter else None
    extension = DeliveryExtension(crawler)
    extension.spider_opened()
    return extension, feeds


def scrape(extension: DeliveryExtension, feeds: FakeFeeds, *numbers: int, broken=()) -> None:
    for number in numbers:
        url = f"https://solopos.espos.id/berita-{number}"
        item = {"url": url, "url_hash": url_hash(url), "outlet": "espos"}
        feeds.export(item, broken)
        extension.item_scraped(item)


def close(extension: DeliveryExtension, slot: SimpleNamespace, stored: bool | None) -> None:
    slot.storage = SimpleNamespace() if stored is None else SimpleNamespace(stored=stored)
    extension.feed_slot_closed(slot)


def marked_numbers(extension: DeliveryExtension) -> set[int]:
    marked = {hash_ for hash_, _ in extension.store.marked}
    return {n for n in range(20) if url_hash(f"https://solopos.espos.id/berita-{n}") in marked}


def test_marked_only_when_every_feed_holding_it_is_stored() -> None:
    extension, feeds = make_extension({"a.jsonl": 0, "a.txt": 0})
    scrape(extension, feeds, 1, 2)
    close(extension, feeds.slot("a.jsonl", 1), stored=True)
    assert marked_numbers(extension) == set()
    close(extension, feeds.slot("a.txt", 1), stored=True)
    assert marked_numbers(extension) == {1, 2}
    assert extension.crawler.stats.get_value(DELIVERED) == 2


def test_a_failed_feed_keeps_its_articles_undelivered() -> None:
    extension, feeds = make_extension({"a.jsonl": 0, "a.txt": 0})
    scrape(extension, feeds, 1, 2)
    close(extension, feeds.slot("a.jsonl", 1), stored=False)
    close(extension, feeds.slot("a.txt", 1), stored=True)
    assert marked_numbers(extension) == set()
    assert extension.crawler.stats.get_value(FEED_STORE_FAILED) == 1
    extension.close_reason = "finished"
    assert not extension.run_succeeded()


def test_batches_commit_separately_and_a_failed_batch_only_loses_its_own() -> None:
    extension, feeds = make_extension({"b-%(batch_id)d.jsonl": 2})
    scrape(extension, feeds, 1, 2, 3, 4, 5)
    close(extension, feeds.slot("b-%(batch_id)d.jsonl", 1), stored=True)
    assert marked_numbers(extension) == {1, 2}
    close(extension, feeds.slot("b-%(batch_id)d.jsonl", 2), stored=False)
    close(extension, feeds.slot("b-%(batch_id)d.jsonl", 3), stored=True)
    assert marked_numbers(extension) == {1, 2, 5}
    assert extension.crawler.stats.get_value(DELIVERED) == 3


def test_one_item_batches_from_the_first_item_on() -> None:
    extension, feeds = make_extension({"c-%(batch_id)d.jsonl": 1})
    scrape(extension, feeds, 1, 2)
    close(extension, feeds.slot("c-%(batch_id)d.jsonl", 2), stored=True)
    assert marked_numbers(extension) == {2}
    close(extension, feeds.slot("c-%(batch_id)d.jsonl", 1), stored=True)
    assert marked_numbers(extension) == {1, 2}


def test_an_article_missing_from_one_feed_is_never_marked(caplog: pytest.LogCaptureFixture):
    extension, feeds = make_extension({"a.jsonl": 0, "a.txt": 0})
    scrape(extension, feeds, 1)
    scrape(extension, feeds, 2, broken=("a.txt",))
    close(extension, feeds.slot("a.jsonl", 1), stored=True)
    close(extension, feeds.slot("a.txt", 1), stored=True)
    assert marked_numbers(extension) == {1}
    assert "berita-2 was not written to the feed a.txt" in caplog.text
    extension.close_reason = "finished"
    assert not extension.run_succeeded()


def test_storage_without_outcome_is_decided_from_scrapys_failure_count() -> None:
    extension, feeds = make_extension({"ftp.jsonl": 0})
    scrape(extension, feeds, 1)
    close(extension, feeds.slot("ftp.jsonl", 1), stored=None)
    assert marked_numbers(extension) == set()
    extension.feed_exporter_closed()
    assert marked_numbers(extension) == {1}

    failing, failing_feeds = make_extension({"ftp.jsonl": 0})
    scrape(failing, failing_feeds, 1)
    close(failing, failing_feeds.slot("ftp.jsonl", 1), stored=None)
    failing.crawler.stats.inc_value("feedexport/failed_count/FTPFeedStorage")
    failing.feed_exporter_closed()
    assert marked_numbers(failing) == set()


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("s3://AKIAEXAMPLE:s3cr3t@bucket/espos.jsonl", "s3://bucket/espos.jsonl"),
        ("ftp://user:pass@host:21/f.txt", "ftp://host:21/f.txt"),
        ("output/espos/espos.jsonl", "output/espos/espos.jsonl"),
    ],
)
def test_feed_uris_are_logged_without_credentials(uri: str, shown: str) -> None:
    assert uri_for_log(uri) == shown

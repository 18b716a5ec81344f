"""`scrapy crawl murianews` over the constructed Murianews site: the outlet's own traps.

Every exported field is compared with EXPECTED.json by tests/test_outlets.py; this module checks
what is particular to Murianews: the header that shows today's date, relative and absolute
listing times, paging that stops at the window, one article under two eras' addresses, and the
archive template reached through `-a url=`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, read_jsonl, run_scrapy
from parsel import Selector

from crawler.spiders.murianews import MurianewsSpider, listing_date
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.timezones import WIB

SITE = SITES / "murianews"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
HEADER_DATE_TEXT = "Jumat, 4 Juli 2025"
BERITA = "https://berita.murianews.com"


def _by_fixture(letter: str) -> dict:
    return next(a for a in EXPECTED["articles"] if a["fixture"] == letter)


def _page_file(url: str) -> Path:
    return SITE / (url.removeprefix("https://") + ".html")


#: Tests taking `crawl` read the session's crawl of this site (tests/conftest.py).
pytestmark = pytest.mark.outlet("murianews")


def test_header_date_is_never_the_publication_time(crawl: SiteCrawl):
    # The trap is really there: fixture b's page shows today's date above its own date.
    b = _by_fixture("b")
    page = _page_file(b["url"]).read_text(encoding="utf-8")
    assert page.index(HEADER_DATE_TEXT) < page.index("Kamis, 03 Juli 2025")
    record = next(r for r in crawl.records if r["url"] == b["url"])
    assert record["published"] == b["published"]
    assert record["extraction"]["published"] == "selectors"
    assert not any(r["published"].startswith("2025-07-04T00:00") for r in crawl.records)


def test_old_story_under_a_current_header_date_is_fetched_then_dropped(crawl: SiteCrawl):
    dropped = EXPECTED["fetched_but_not_exported"][0]["url"]
    assert dropped in crawl.requests
    assert dropped not in {r["url"] for r in crawl.records}
    assert f"dropped {dropped}: published 2025-06-20T10:00:00+07:00 outside the window" in crawl.log


def test_listing_paging_stops_once_entries_predate_the_window(crawl: SiteCrawl):
    assert f"{BERITA}/cek-fakta?page=2" in crawl.requests
    assert f"{BERITA}/cek-fakta?page=3" not in crawl.requests
    assert "'crawler/listing/stopped_at_window': 1" in crawl.log


def test_old_address_and_new_address_are_one_article(crawl: SiteCrawl):
    k = _by_fixture("k")
    legacy = next(
        e["url"] for e in EXPECTED["not_exported"] if "www.murianews.com/2025" in e["url"]
    )
    assert [r["url"] for r in crawl.records].count(k["url"]) == 1
    assert crawl.requests.count(legacy) + crawl.requests.count(k["url"]) <= 2
    # Eight articles and the challenged fixture x: the two addresses of k are one request.
    assert "'crawler/articles_requested': 9," in crawl.log


def test_kudus_dateline_tags_kabupaten_kudus(crawl: SiteCrawl):
    record = next(r for r in crawl.records if r["url"] == _by_fixture("a")["url"])
    assert record["dateline"] == "Kudus"
    assert record["kab_kota"][0]["code"] == "33.19"


def test_archive_template_through_single_url(tmp_path: Path):
    expected = EXPECTED["single_url_articles"][0]
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["crawl", "murianews", "-a", f"url={expected['url']}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-3000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    fields = ("url", "title", "published", "modified", "authors", "section", "tags", "dateline")
    assert {f: record[f] for f in fields} == {f: expected[f] for f in fields}
    assert record["body"] == expected["body"]
    assert record["extraction"]["layout"] == expected["layout"]
    assert not any("Baca" in p or "MuriaNewsCom/" in p for p in record["body"])


# --- URL shapes and listing dates (no crawl) -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        (f"{BERITA}/zulkifli-fahmi/455559/penyebab-siswa-keracunan", "murianews:455559"),
        ("https://sport.murianews.com/rizky-aditya/460110/persiku-kudus", "murianews:460110"),
        ("https://www.murianews.com/2021/08/01/231339/berbekal-daun-ketapang", "murianews:231339"),
        ("https://www.murianews.com/2025/07/01/460109/kemenhub-tinjau", "murianews:460109"),
    ],
)
def test_article_urls_of_both_eras_share_one_identity_space(url: str, identity: str):
    spider = MurianewsSpider()
    assert spider.is_article_url(url)
    assert spider.article_identity(url) == identity


@pytest.mark.parametrize(
    "url",
    [
        f"{BERITA}/",
        f"{BERITA}/cek-fakta",
        f"{BERITA}/cek-fakta?page=2",
        f"{BERITA}/tag/kudus",
        f"{BERITA}/anggit-permana",
        "https://arsip.murianews.com/tag/kudus/",
        "https://www.murianews.com/kanal/kudus",
    ],
)
def test_listing_tag_author_and_archive_pages_are_not_articles(url: str):
    assert not MurianewsSpider().is_article_url(url)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            '<time datetime="2025-07-03T19:45:00+07:00">03 Jul 2025 19:45 WIB</time>',
            "2025-07-03T19:45",
        ),
        ('<span class="latest__date">Kamis, 3 Juli 2025 | 14:20 WIB</span>', "2025-07-03T14:20"),
        ('<span class="latest__date">2 Jam lalu</span>', None),
        ('<span class="latest__date">2 Bulan lalu</span>', None),
        ('<span class="latest__date">Kemarin</span>', None),
        ('<span class="latest__category">Kudus 2025</span>', None),
    ],
)
def test_listing_dates_are_used_only_when_absolute(entry: str, expected: str | None):
    selector = Selector(text=f'<article class="latest__item"><a href="/x">t</a>{entry}</article>')
    value = listing_date(selector.css("article")[0])
    if expected is None:
        assert value is None
    else:
        assert value == datetime.fromisoformat(expected).replace(tzinfo=WIB)

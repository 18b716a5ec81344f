"""`scrapy crawl radartegal` and `radarbanyumas` end to end over their constructed Disway sites.

tests/test_outlets.py checks every field of every record; these tests check what the Disway
network adds: the CodeIgniter pager of paged stories, the photo caption every page repeats,
the network's non-story lines, and the ids that date undated listing cards.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SITES, SiteCrawl, log_stat, read_jsonl, run_scrapy
from scrapy.http import HtmlResponse

from crawler.extraction.block import parse_html
from crawler.run.window import DateWindow
from crawler.spiders.base import Candidate
from crawler.spiders.disway import PAGER_LINKS, CodeIgniterPages, split_lead
from crawler.spiders.radarbanyumas import RadarBanyumasSpider
from crawler.spiders.radartegal import RadarTegalSpider
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.timezones import WIB

OUTLETS = ("radartegal", "radarbanyumas")
#: Text of the fixtures' non-story lines: none may reach a body.
NOISE = ("BACA JUGA", "Google News", "Rizal Fahmi", "Dwi Ariyanto", "Yudi Prasetyo", "(*)")


def expected_of(outlet: str) -> dict:
    return json.loads((SITES / outlet / "EXPECTED.json").read_text(encoding="utf-8"))


#: The session's crawl of each Disway site (tests/conftest.py, `crawl`).
each_site = pytest.mark.parametrize("crawl", OUTLETS, indirect=True)


@each_site
def test_every_story_is_read_by_the_post_template(crawl: SiteCrawl) -> None:
    for record in crawl.records:
        assert record["extraction"]["layout"] == "disway-post"
        assert record["extraction"]["body"] == "selectors"


@each_site
def test_captions_and_network_lines_are_not_story(crawl: SiteCrawl) -> None:
    for record in crawl.records:
        text = "\n".join(record["body"])
        assert not [noise for noise in NOISE if noise in text], record["url"]
        assert "--" not in record["body"]
        # The story opens with its dateline; the photo caption before it is gone.
        assert record["body"][0].startswith(record["dateline"])
    assert all("#" not in tag for record in crawl.records for tag in record["tags"])


@each_site
def test_undated_listing_cards_older_than_the_window_are_never_fetched(crawl: SiteCrawl) -> None:
    # At least the two cards older than the window; whether the listing's second page (two more
    # old cards) is read depends on whether the feed or the listing answered first.
    assert log_stat(crawl.log, "crawler/skipped/outside_window") >= 2
    assert log_stat(crawl.log, "crawler/dropped/outside_window") == 0


def test_the_pages_of_a_paged_story_are_fetched_once_each_in_order(tmp_path: Path) -> None:
    expected = expected_of("radartegal")
    pages = expected["pages_in_order"]
    [story] = [a for a in expected["articles"] if a["url"] == pages[0]]
    with FixtureServer(SITES / "radartegal") as server:
        result = run_scrapy(
            ["crawl", "radartegal", "-a", f"url={pages[0]}", "-O", "one.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
        requests = [f"https://{r.host}{r.path}" for r in server.requests]
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r for r in requests if r.startswith(pages[0])] == pages
    assert log_stat(result.stderr, "crawler/multipage/joined") == 1
    [record] = read_jsonl(tmp_path / "one.jsonl")
    assert record["body"] == story["body"]
    assert record["extraction"]["pages"] == "3/3"


# --- the parts, without a crawl -----------------------------------------------------------------

PAGER = """<html><body><ul class="pagination">
<li class="active"><span>2</span></li>
<li><a href="/lokal/read/723224/judul" data-ci-pagination-page="1">1</a></li>
<li><a href="/lokal/read/723224/judul/30" data-ci-pagination-page="3">3</a></li>
<li><a href="/lokal/read/723224/judul/30" data-ci-pagination-page="3" rel="next">&gt;</a></li>
<li><a href="#" data-ci-pagination-page="4">4</a></li>
</ul></body></html>"""


def test_the_codeigniter_pager_numbers_pages_by_its_attribute() -> None:
    url = "https://radartegal.disway.id/lokal/read/723224/judul/15"
    pages = CodeIgniterPages(PAGER_LINKS).linked_pages(parse_html(PAGER), url)
    assert pages == {
        1: "https://radartegal.disway.id/lokal/read/723224/judul",
        3: "https://radartegal.disway.id/lokal/read/723224/judul/30",
    }


@pytest.mark.parametrize(
    ("body", "captions"),
    [
        (["Foto: warga. -Budi-", "TEGAL, radartegal.com - Isi.", "Lanjut."], 1),
        (["Keterangan foto.", "SLAWI, radartegal.com – Isi."], 1),
        (["PEMALANG, radartegal.com - Isi.", "Lanjut."], 0),
        (["Tanpa dateline.", "Paragraf dua.", "Paragraf tiga.", "X, radartegal.com - Isi."], 0),
    ],
)
def test_what_precedes_the_opening_dateline_is_captions(body: list[str], captions: int) -> None:
    assert split_lead(body) == (body[:captions], body[captions:])


@pytest.mark.parametrize(
    "url",
    [
        "https://radarbanyumas.disway.id/read/117861/judul-berita",
        "https://radarbanyumas.disway.id/purwokerto/read/153842/judul-berita",
    ],
)
def test_article_urls_with_and_without_a_section_share_the_id(url: str) -> None:
    spider = RadarBanyumasSpider()
    assert spider.is_article_url(url)
    assert spider.article_identity(url) == f"radarbanyumas:{url.split('/')[-2]}"
    assert not spider.is_article_url("https://radarbanyumas.disway.id/kategori/purwokerto")
    assert not spider.is_article_url("https://radartegal.disway.id/lokal/read/723237/judul")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


def test_ids_date_undated_candidates_by_their_dated_neighbours() -> None:
    spider = RadarTegalSpider()
    spider.window = DateWindow(at("2026-03-04T00:00"), at("2026-03-05T23:59"))
    dated = {"723190": at("2026-03-03T10:00"), "723237": at("2026-03-05T06:50")}
    later = {"723300": at("2026-03-06T08:00")}
    for key, published in {
        **dated,
        **later,
        "723180": None,
        "723230": None,
        "723400": None,
    }.items():
        identity = f"radartegal:{key}"
        spider.candidates[identity] = Candidate(f"https://x/{key}", identity, published)
    spider.date_undated_candidates()
    published = {c.identity.split(":")[1]: c.published for c in spider.candidates.values()}
    assert published["723180"] == dated["723190"]  # older than a story before the window
    assert published["723230"] is None  # between: it may be in the window, so it is fetched
    assert published["723400"] == later["723300"]  # newer than a story after the window


LISTING = """<html><body><h2 class="media-heading"><a href="/lokal/read/723200/a">A</a></h2>
<h2 class="media-heading"><a href="/lokal/read/{low}/b">B</a></h2>
<ul class="pagination"><li><a href="/kategori/lokal/30" data-ci-pagination-page="2">2</a></li></ul>
</body></html>"""


@pytest.mark.parametrize(("low", "follows"), [("723195", True), ("723185", False)])
def test_a_listing_is_not_paged_past_a_story_dated_before_the_window(
    low: str, follows: bool
) -> None:
    spider = RadarTegalSpider()
    spider.window = DateWindow(at("2026-03-04T00:00"), at("2026-03-05T23:59"))
    identity = "radartegal:723190"
    spider.candidates[identity] = Candidate("https://x/723190", identity, at("2026-03-03T10:00"))
    url = "https://radartegal.disway.id/kategori/lokal"
    page = HtmlResponse(url, body=LISTING.format(low=low).encode(), encoding="utf-8")
    assert spider.next_listing_url(page, 1) == ("/kategori/lokal/30" if follows else None)

"""The report as Chromium renders it: tiles, bar values, links, no network, no script, phone width.

Opens the written HTML file in Debian's headless Chromium (the ``browser`` extra's Playwright,
never Playwright's own browser download) and reads the rendered DOM.
"""

from __future__ import annotations

import argparse
import struct
from datetime import date, datetime, time
from pathlib import Path

import pytest
from report_records import (
    BROWSER_SET_PARTIES,
    BROWSER_SET_REGIONS,
    INJECTION,
    browser_set,
    write_jsonl,
)
from scrapy.settings import Settings

from crawler.report.browser import PHONE, chromium_available, open_report, save_screenshot
from crawler.report.cli import add_arguments, run_report
from crawler.utils.timezones import WIB

pytestmark = pytest.mark.skipif(
    not chromium_available(),
    reason="the browser extra (pip install -e '.[browser]') or Debian's chromium is missing",
)

DAY = date(2025, 7, 3)
RECORDS = browser_set(DAY)
BROKEN_LINES = ("{not json", '{"url": "javascript:alert(1)", "published": "2025-07-03"}')


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("report")
    write_jsonl(work / "output" / "feed.jsonl", RECORDS, *BROKEN_LINES)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    opts = parser.parse_args(
        [str(work / "output"), "-o", str(work / "report.html"), "--state", str(work / "s.json")]
    )
    now = datetime.combine(DAY, time(23), tzinfo=WIB)
    assert run_report(opts, Settings(), now=now) == 0
    return work / "report.html"


def test_35_tiles_in_their_own_places_with_the_counts_of_the_records(report_file: Path):
    with open_report(report_file) as opened:
        tiles = opened.page.eval_on_selector_all(
            "#tile-map g.tile",
            """tiles => tiles.map(g => {
                const box = g.querySelector('rect').getBoundingClientRect();
                return {code: g.dataset.code, count: Number(g.dataset.count),
                        shown: g.querySelector('text.num').textContent,
                        box: [box.left, box.top, box.width, box.height]};
            })""",
        )
    assert len(tiles) == 35
    assert {t["code"]: t["count"] for t in tiles if t["count"]} == BROWSER_SET_REGIONS
    assert all(t["shown"] == str(t["count"]) for t in tiles)
    boxes = [t["box"] for t in tiles]
    assert all(width > 20 and height > 20 for _, _, width, height in boxes)
    for n, (left, top, width, height) in enumerate(boxes):
        for other_left, other_top, _, _ in boxes[n + 1 :]:
            assert abs(left - other_left) >= width or abs(top - other_top) >= height, "overlap"


def test_bars_show_the_input_counts_sorted_and_proportional(report_file: Path):
    with open_report(report_file) as opened:
        read_bars = """bars => bars.map(g => ({
            key: g.dataset.key, count: Number(g.dataset.count),
            shown: g.querySelector('text.value').textContent,
            width: g.querySelector('rect').getBoundingClientRect().width}))"""
        regions = opened.page.eval_on_selector_all("#region-bars g.bar", read_bars)
        parties = opened.page.eval_on_selector_all("#party-bars g.bar", read_bars)
        outlets = opened.page.eval_on_selector_all(
            "#sentiment-outlets g.stack",
            "bars => bars.map(g => [g.dataset.label, Number(g.dataset.total)])",
        )
    assert {b["key"]: b["count"] for b in regions} == BROWSER_SET_REGIONS
    assert all(b["shown"] == str(b["count"]) for b in regions + parties)
    assert [b["count"] for b in regions] == sorted(BROWSER_SET_REGIONS.values(), reverse=True)
    per_article = [b["width"] / b["count"] for b in regions]
    assert max(per_article) - min(per_article) < 1, per_article
    assert {b["key"]: b["count"] for b in parties} == BROWSER_SET_PARTIES
    assert dict(outlets) == {
        "Espos.id": 3,
        "Tribun Jateng": 2,
        "detikJateng": 3,
        "<b>Evil</b> Media": 1,
    }


def test_links_go_to_the_articles_and_tiles_to_their_stories(report_file: Path):
    urls = {record["url"] for record in RECORDS}
    with open_report(report_file) as opened:
        page = opened.page
        story_links = page.eval_on_selector_all("#top a", "links => links.map(a => a.href)")
        new_links = page.eval_on_selector_all("#new-articles a", "links => links.map(a => a.href)")
        assert set(story_links) == urls
        assert set(new_links) == urls  # a first report: everything is new
        anchors = page.eval_on_selector_all(
            "#tile-map a", "links => links.map(a => a.getAttribute('href'))"
        )
        assert len(anchors) == len(BROWSER_SET_REGIONS)
        for anchor in anchors:
            assert page.locator(anchor).count() == 1
        page.locator('#tile-map g[data-code="33.74"]').click()
        assert page.url.endswith("#kab-33-74")
        assert page.locator("#kab-33-74").is_visible()


def test_a_hostile_title_is_shown_as_text_and_nothing_runs_or_loads(report_file: Path):
    with open_report(report_file) as opened:
        page = opened.page
        assert page.title().startswith("Laporan Harian Berita Jawa Tengah")
        texts = page.eval_on_selector_all("#top a", "links => links.map(a => a.textContent)")
        assert INJECTION in texts
        assert page.locator("script, img").count() == 0
        assert opened.requests == [] and opened.errors == []
        skipped = page.locator("#data-skipped").get_attribute("data-count")
    assert skipped == str(len(BROKEN_LINES))


def test_on_a_phone_nothing_sticks_out_and_text_stays_legible(report_file: Path):
    with open_report(report_file, viewport=PHONE) as opened:
        page = opened.page
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth,"
            " document.querySelector('#tile-map').getBoundingClientRect().right]"
        )
        smallest = page.eval_on_selector_all(
            "svg.chart text",
            "texts => Math.min(...texts.map(t => t.getBoundingClientRect().height))",
        )
    scroll_width, viewport_width, map_right = widths
    assert scroll_width <= viewport_width == PHONE["width"]
    assert map_right <= viewport_width
    assert smallest >= 8, f"chart text only {smallest:.1f}px high on a phone"


def test_a_screenshot_is_written(report_file: Path, tmp_path: Path):
    png = tmp_path / "report.png"
    save_screenshot(report_file, png)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == 1100 and height > 900

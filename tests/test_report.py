"""The daily report without a browser: reading, counting, grouping, state, the page's text, CLI.

The rendered page in Chromium is tests/test_report_browser.py; S3 is tests/test_report_s3.py.
All records are constructed (tests/report_records.py).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from conftest import run_scrapy
from parsel import Selector
from report_records import (
    BROWSER_SET_PARTIES,
    BROWSER_SET_REGIONS,
    INJECTION,
    browser_set,
    record,
    write_jsonl,
)

from crawler.enrichment.gazetteer import load_kabkota
from crawler.report.charts import bar_chart, count_classes, stacked_chart
from crawler.report.dataset import read_dataset
from crawler.report.days import DayRange
from crawler.report.labels import Labels
from crawler.report.page import render_page
from crawler.report.records import BadRecord, parse_line, parse_record
from crawler.report.sources import ReportSourceError
from crawler.report.state import STATE_FILE, PreviousReport, load_previous, save_seen
from crawler.report.stories import group_stories
from crawler.report.summary import summarize
from crawler.report.tiles import load_tiles
from crawler.utils.timezones import WIB

DAY = date(2025, 7, 3)
RANGE = DayRange(DAY - timedelta(days=1), DAY)
NOW = datetime.combine(DAY, time(6), tzinfo=WIB)


def line(data: object) -> bytes:
    return json.dumps(data).encode("utf-8")


# --- the tile map's data file --------------------------------------------------------------


def test_every_kabkota_has_one_tile_of_its_own():
    tiles = load_tiles()
    assert [t.code for t in tiles] == [r.code for r in load_kabkota()]
    assert len(tiles) == 35
    assert len({(t.row, t.col) for t in tiles}) == 35
    assert len({t.abbr for t in tiles}) == 35


def test_tiles_sit_roughly_where_the_kabkota_are():
    tile = {t.name: t for t in load_tiles()}
    west_to_east = ["Kabupaten Brebes", "Kota Semarang", "Kabupaten Rembang"]
    assert [tile[n].col for n in west_to_east] == sorted(tile[n].col for n in west_to_east)
    assert tile["Kabupaten Brebes"].col == min(t.col for t in tile.values())
    assert tile["Kabupaten Rembang"].col == max(t.col for t in tile.values())
    # The north coast above the south: Jepara on top, Wonogiri and Klaten in the bottom row.
    assert tile["Kabupaten Jepara"].row == 0
    assert tile["Kabupaten Wonogiri"].row == tile["Kabupaten Klaten"].row == 4
    assert tile["Kota Semarang"].row < tile["Kabupaten Semarang"].row < tile["Kabupaten Klaten"].row
    assert tile["Kabupaten Cilacap"].row > tile["Kabupaten Banyumas"].row


# --- one record ----------------------------------------------------------------------------


def test_a_delivered_record_is_read_with_its_fields():
    data = record(1, DAY, regions=("33.74", "33.22"), sentiment="positif", parties=("PKB",))
    parsed, problems = parse_line(line(data))
    assert problems == []
    assert parsed.url == data["url"] and parsed.url_hash == data["url_hash"]
    assert parsed.regions == ("33.74", "33.22")
    assert parsed.parties == ("PKB",)
    assert parsed.sentiment == "positif"
    assert parsed.published == datetime(2025, 7, 3, 9, 1, tzinfo=WIB)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"url": "https://a.example/1", "published": ', "broken_json"),
        (b"\xff\xfe{}", "not_utf8"),
        (b'["https://a.example/1"]', "not_an_object"),
        (line({"published": "2025-07-03T09:00:00+07:00"}), "url_missing"),
        (line({"url": "javascript:alert(1)", "published": "2025-07-03"}), "url_missing"),
        (line({"url": "https://a.example/1"}), "published_missing"),
        (line({"url": "https://a.example/1", "published": "kemarin"}), "published_missing"),
    ],
)
def test_a_record_without_url_or_publication_time_is_refused_with_its_reason(raw, reason):
    with pytest.raises(BadRecord) as refused:
        parse_line(raw)
    assert refused.value.reason == reason


def test_other_fields_may_be_missing_or_odd_and_the_record_still_counts():
    parsed, problems = parse_record(
        {
            "url": "https://a.example/berita/1",
            "published": "2025-07-02T20:30:00Z",
            "kab_kota": ["Surakarta", {"name": "Kabupaten Cilacap"}, {"code": "99.99"}, "33.74"],
            "parties": "PKB",
            "sentiment": {"label": "netral"},
        }
    )
    assert sorted(problems) == sorted(
        [
            "title_missing",
            "url_hash_missing",
            "outlet_missing",
            "kab_kota_unknown",
            "parties_malformed",
        ]
    )
    assert parsed.regions == ("33.72", "33.01", "33.74")
    assert parsed.sentiment == "neutral"
    assert parsed.outlet == "a.example" and parsed.outlet_name == "a.example"
    assert len(parsed.url_hash) == 40
    # 20:30 UTC is 03:30 WIB the next day: the WIB day is what the report counts.
    assert parsed.published.date() == date(2025, 7, 3)


def test_an_absent_sentiment_is_unknown_and_a_strange_one_is_counted():
    absent, problems = parse_record({"url": "https://a.example/1", "published": "2025-07-03"})
    assert (absent.sentiment, problems) == (
        "unknown",
        ["title_missing", "url_hash_missing", "outlet_missing"],
    )
    strange, problems = parse_record({**record(1, DAY), "sentiment": {"label": "sangat bagus"}})
    assert (strange.sentiment, problems) == ("unknown", ["sentiment_unknown"])


# --- reading folders -----------------------------------------------------------------------


def test_a_folder_is_read_recursively_with_gzip_and_problems_counted(tmp_path: Path):
    output = tmp_path / "output"
    write_jsonl(
        output / "espos" / "espos-1.jsonl",
        [record(1, DAY, regions=("33.74",)), record(2, DAY - timedelta(days=5))],
        "{broken",
        json.dumps({"url": "https://a.example/x"}),
        "",
    )
    gz = output / "tribunjateng" / "tribunjateng-1.jsonl.gz"
    gz.parent.mkdir(parents=True)
    gz.write_bytes(
        gzip.compress((json.dumps(record(3, DAY, outlet="tribunjateng")) + "\n").encode())
    )
    # Not feeds: a feed still being written, a clipping file.
    write_jsonl(output / "espos" / ".espos-2.jsonl.123.part", [record(4, DAY)])
    write_jsonl(output / "espos" / "espos-1.txt", [record(5, DAY)])

    dataset = read_dataset([str(output)], RANGE)
    assert sorted(r.url for r in dataset.records) == sorted(
        [record(1, DAY)["url"], record(3, DAY, outlet="tribunjateng")["url"]]
    )
    stats = dataset.stats
    assert (stats.files, stats.lines, stats.in_range, stats.outside_range) == (2, 5, 2, 1)
    assert stats.skipped == Counter({"broken_json": 1, "published_missing": 1})
    assert stats.examples["broken_json"] == [f"{output / 'espos' / 'espos-1.jsonl'}:3"]


def test_files_written_before_the_range_are_not_opened(tmp_path: Path):
    old = write_jsonl(tmp_path / "old.jsonl", [record(1, DAY)], "{never read")
    stamp = datetime.combine(RANGE.since - timedelta(days=3), time(12), tzinfo=WIB).timestamp()
    os.utime(old, (stamp, stamp))
    write_jsonl(tmp_path / "new.jsonl", [record(2, DAY)])
    dataset = read_dataset([str(tmp_path)], RANGE)
    assert dataset.stats.files_skipped_old == 1
    assert [r.url for r in dataset.records] == [record(2, DAY)["url"]]
    assert not dataset.stats.skipped


def test_an_article_delivered_twice_counts_once_and_the_newest_file_wins(tmp_path: Path):
    first = write_jsonl(tmp_path / "a.jsonl", [record(1, DAY, title="Judul lama")])
    stamp = datetime.combine(DAY, time(7), tzinfo=WIB).timestamp()
    os.utime(first, (stamp, stamp))
    write_jsonl(tmp_path / "b.jsonl", [record(1, DAY, title="Judul baru")])
    dataset = read_dataset([str(tmp_path)], RANGE)
    assert [r.title for r in dataset.records] == ["Judul baru"]
    assert dataset.stats.duplicates == 1


def test_a_damaged_gzip_file_is_counted_and_the_rest_is_read(tmp_path: Path):
    lines = "".join(json.dumps(record(n, DAY)) + "\n" for n in range(200)).encode()
    packed = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    write_jsonl(tmp_path / "good.jsonl", [record(1, DAY)])
    dataset = read_dataset([str(tmp_path)], RANGE)
    assert dataset.stats.skipped == Counter({"unreadable_file": 1})
    # The good file and the lines before the cut count.
    assert 1 < len(dataset.records) < 1 + 200


def test_a_missing_folder_stops_the_report(tmp_path: Path):
    with pytest.raises(ReportSourceError, match="no such file or folder"):
        read_dataset([str(tmp_path / "nowhere")], RANGE)


def test_day_range_from_options():
    assert DayRange.from_options(None, None, 2, today=DAY) == RANGE
    assert DayRange.from_options("2025-06-01", "2025-06-30", 2, today=DAY).since == date(2025, 6, 1)
    assert DayRange.from_options(None, "2025-06-30", 7, today=DAY).since == date(2025, 6, 24)
    with pytest.raises(ValueError):
        DayRange.from_options("2025-07-04", "2025-07-01", 2, today=DAY)


# --- stories, figures, charts --------------------------------------------------------------


def story_record(n: int, outlet: str, title: str, hour: int) -> object:
    parsed, _ = parse_record(record(n, DAY, outlet=outlet, title=title, hour=hour))
    return parsed


def test_one_event_titled_differently_by_three_outlets_is_one_story_ranked_first():
    articles = [
        story_record(1, "espos", "Banjir Rendam 3 Desa di Demak, Ratusan Warga Mengungsi", 8),
        story_record(2, "tribunjateng", "Tiga Desa di Demak Terendam Banjir, Warga Mengungsi", 9),
        story_record(3, "detikjateng", "Warga Demak Mengungsi karena Banjir", 10),
        story_record(4, "espos", "Pemkab Demak Gelar Rapat Anggaran", 11),
        story_record(5, "espos", "Pemkab Demak Gelar Lomba Dayung", 12),
    ]
    stories = group_stories(articles)
    assert [len(s.articles) for s in stories] == [3, 1, 1]
    assert stories[0].lead.url == articles[0].url  # the outlet that broke it
    assert stories[0].outlets == 3


def test_the_same_title_a_week_later_is_another_story():
    title = "Banjir Rendam Desa di Demak, Warga Mengungsi"
    parsed = [
        parse_record(record(n, DAY + timedelta(days=7 * n), title=title))[0] for n in range(3)
    ]
    assert [len(s.articles) for s in group_stories(parsed)] == [1, 1, 1]


def test_count_classes_cover_every_count_once():
    for top in (1, 3, 5, 6, 12, 97):
        classes = count_classes(top)
        covered = [n for c in classes for n in range(c.low, c.high + 1)]
        assert covered == list(range(1, top + 1)), top
        assert len(classes) == min(5, top)


def test_bars_are_proportional_and_segments_add_up():
    chart = bar_chart(
        [("a", "A", 10, ""), ("b", "B", 5, ""), ("c", "Nama yang sangat panjang sekali", 1, "")]
    )
    assert chart.bars[0].width == 2 * chart.bars[1].width
    assert chart.bars[2].label.endswith("…") and chart.bars[2].full_label.startswith("Nama")
    stacked = stacked_chart(
        [("x", Counter(positif=3, negatif=1)), ("y", Counter(neutral=2))],
        ["positif", "neutral", "negatif"],
    )
    widths = [sum(s.width for s in bar.segments) for bar in stacked.bars]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert [s.label for s in stacked.bars[0].segments] == ["positif", "negatif"]


def summary_of(
    tmp_path: Path, records: list[dict], previous: PreviousReport | None = None, compared=True
):
    write_jsonl(tmp_path / "feed.jsonl", records)
    dataset = read_dataset([str(tmp_path / "feed.jsonl")], RANGE)
    return summarize(
        dataset, RANGE, generated=NOW, previous=previous, compared=compared, top_stories=5
    )


def test_figures_per_kabkota_outlet_day_and_party(tmp_path: Path):
    summary = summary_of(tmp_path, browser_set(DAY))
    assert {r.tile.code: r.count for r in summary.ranked_regions} == BROWSER_SET_REGIONS
    assert [r.tile.code for r in summary.ranked_regions][0] == "33.74"
    assert summary.untagged.count == 1
    assert dict(summary.parties) == BROWSER_SET_PARTIES
    outlets = dict(summary.sentiment_by_outlet)
    assert outlets["Espos.id"] == Counter(positif=2, negatif=1)
    assert outlets["detikJateng"] == Counter(neutral=2, negatif=1)
    days = dict(summary.sentiment_by_day)
    assert sum(days[DAY].values()) == 7 and sum(days[DAY - timedelta(days=1)].values()) == 2


def test_new_since_the_previous_report(tmp_path: Path):
    records = browser_set(DAY)
    seen = frozenset(r["url_hash"] for r in records[:6])
    summary = summary_of(tmp_path, records, PreviousReport(NOW - timedelta(days=1), seen))
    assert {r.url for r in summary.new.articles} == {r["url"] for r in records[6:]}
    assert not summary.new.first_report
    first = summary_of(tmp_path, records, None)
    assert first.new.first_report and len(first.new.articles) == len(records)
    off = summary_of(tmp_path, records, None, compared=False)
    assert off.new.articles == []


def test_state_round_trip_and_a_damaged_state_counts_all_as_new(tmp_path: Path, caplog):
    path = tmp_path / "state" / STATE_FILE
    assert load_previous(path) is None
    save_seen(path, NOW, ["b", "a", "a"])
    assert load_previous(path) == PreviousReport(NOW, frozenset({"a", "b"}))
    assert [p.name for p in path.parent.iterdir()] == [STATE_FILE]
    path.write_text("{not json", encoding="utf-8")
    assert load_previous(path) is None
    assert "previous report state unreadable" in caplog.text


# --- the page's text -----------------------------------------------------------------------


def page_of(tmp_path: Path, language: str = "id") -> str:
    summary = summary_of(tmp_path, browser_set(DAY))
    return render_page(summary, Labels(language), new_limit=30)


def test_titles_and_names_from_records_are_text_never_markup(tmp_path: Path):
    html = page_of(tmp_path)
    assert "<script" not in html and "<img" not in html and "<b>Evil" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "&lt;b&gt;Evil&lt;/b&gt; Media" in html
    page = Selector(text=html)
    assert INJECTION in page.css("#top a::text").getall()


def test_the_page_loads_nothing_and_allows_no_script(tmp_path: Path):
    html = page_of(tmp_path)
    page = Selector(text=html)
    policy = page.css('meta[http-equiv="Content-Security-Policy"]::attr(content)').get()
    assert "default-src 'none'" in policy and "script-src" not in policy
    # The one stylesheet is allowed by its hash, nothing else.
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert page.css("script, link, iframe, object, img, [src]") == []
    assert not re.search(r"url\(|@import|//fonts\.", html)
    assert page.css('meta[name="viewport"]::attr(content)').get().startswith("width=device-width")
    links = page.css("a::attr(href)").getall()
    assert all(href.startswith(("#", "https://")) for href in links)


def test_a_day_without_articles_still_gives_a_whole_page(tmp_path: Path):
    write_jsonl(tmp_path / "feed.jsonl", [], "{broken")
    dataset = read_dataset([str(tmp_path / "feed.jsonl")], RANGE)
    summary = summarize(dataset, RANGE, generated=NOW, previous=None, compared=True, top_stories=5)
    page = Selector(text=render_page(summary, Labels("id"), new_limit=30))
    assert len(page.css("#tile-map g.tile")) == 35
    assert page.css("#empty") and not page.css("#sentiment-outlets")
    assert page.css("#data-skipped::attr(data-count)").get() == "1"


def test_english_labels(tmp_path: Path):
    page = Selector(text=page_of(tmp_path, "en"))
    assert page.css("html::attr(lang)").get() == "en"
    assert page.css("h1::text").get() == "Central Java News Daily Report"
    assert "Sentiment" in page.css("h2::text").getall()
    indonesian = Selector(text=page_of(tmp_path, "id"))
    assert indonesian.css("h1::text").get() == "Laporan Harian Berita Jawa Tengah"


# --- the command ---------------------------------------------------------------------------


def today_records(start: int, count: int) -> list[dict]:
    today = datetime.now(WIB).date()
    return [record(n, today, regions=("33.74",), hour=0) for n in range(start, start + count)]


def report(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_scrapy(["report", *args], cwd=workdir)


def test_scrapy_report_writes_the_page_and_shows_what_is_new_the_next_time(tmp_path: Path):
    write_jsonl(tmp_path / "output" / "espos" / "espos-1.jsonl", today_records(1, 3), "{broken")
    first = report(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    today = datetime.now(WIB).date().isoformat()
    page = tmp_path / "reports" / f"report-{today}.html"
    assert (
        f"{page.relative_to(tmp_path)}: 3 article(s), 3 new, 1 bad line(s) skipped" in first.stdout
    )
    assert re.search(r"espos-1\.jsonl:4: skipped \(broken_json\)", first.stderr)
    assert json.loads((tmp_path / ".crawler-state" / STATE_FILE).read_text())["url_hashes"]

    write_jsonl(tmp_path / "output" / "espos" / "espos-2.jsonl", today_records(4, 2))
    second = report(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert ": 5 article(s), 2 new," in second.stdout
    html = Selector(text=page.read_text(encoding="utf-8"))
    assert html.css("#total-new::text").get() == "2"
    assert sorted(html.css("#new-articles a::attr(href)").getall()) == sorted(
        r["url"] for r in today_records(4, 2)
    )

    # A report of a chosen range neither moves the state nor...
    state_before = (tmp_path / ".crawler-state" / STATE_FILE).read_bytes()
    chosen = report(tmp_path, "--since", "2020-01-01", "--until", "2020-01-02", "-o", "old.html")
    assert chosen.returncode == 0, chosen.stderr[-3000:]
    assert (tmp_path / ".crawler-state" / STATE_FILE).read_bytes() == state_before
    assert "old.html: 0 article(s), 0 new" in chosen.stdout


def test_an_unreadable_source_fails_the_report_and_writes_nothing(tmp_path: Path):
    result = report(tmp_path, "missing-folder", "-o", "r.html")
    assert result.returncode == 1
    assert "report not written: missing-folder: no such file or folder" in result.stderr
    assert not (tmp_path / "r.html").exists()
    assert not (tmp_path / ".crawler-state").exists()
    wrong = report(tmp_path, "--lang", "fr")
    assert wrong.returncode == 2


def test_python_m_crawler_report_in_english(tmp_path: Path):
    write_jsonl(tmp_path / "feeds" / "a.jsonl", browser_set(DAY))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.report",
            "feeds",
            "--since",
            "2025-07-02",
            "--until",
            "2025-07-03",
            "--lang",
            "en",
            "-o",
            "en.html",
            "--no-state",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "en.html: 9 article(s), 0 bad line(s) skipped" in result.stdout
    page = Selector(text=(tmp_path / "en.html").read_text(encoding="utf-8"))
    assert page.css("#new p::text").get() == "This report is not compared with a previous one."

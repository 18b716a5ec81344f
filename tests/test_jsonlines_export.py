"""Tests for the JSON and JSON Lines exporters with WIB ISO 8601 datetimes.

The article values are constructed for these tests (not a real article).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from crawler.exporters import IsoJsonItemExporter, IsoJsonLinesItemExporter
from crawler.items import ArticleItem, RegionRecord, Sentiment
from crawler.utils.timezones import WIB

REPO_ROOT = Path(__file__).resolve().parents[1]


def constructed_article(**fields: Any) -> ArticleItem:
    values: dict[str, Any] = {
        "url": "https://example.invalid/pasar-rakyat",
        "outlet_name": "Warta Contoh",
        "title": "Pasar Rakyat Dibuka Lagi – Pedagang Lega",
        "published": datetime(2025, 7, 3, 9, 4, tzinfo=UTC),
        "modified": datetime(2025, 7, 3, 12, 30, tzinfo=timezone(timedelta(hours=9))),
        "crawled_at": datetime(2025, 7, 3, 16, 10, 5, 250000),
        "body": ["MAGELANG – Pasar rakyat kembali dibuka setelah direnovasi."],
        "kab_kota": [RegionRecord(code="33.08", name="Kabupaten Magelang", label="Kab. Magelang")],
        "parties": ["Gerindra"],
        "sentiment": Sentiment(label="positif", strength=71.2),
        "views": 12,
    }
    return ArticleItem(**(values | fields))


def export(exporter_class: type, items: list[Any], **options: Any) -> bytes:
    output = io.BytesIO()
    exporter = exporter_class(output, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return output.getvalue()


def test_jsonlines_writes_wib_iso_datetimes_with_offset() -> None:
    written = export(IsoJsonLinesItemExporter, [constructed_article()])
    record = json.loads(written)
    assert record["published"] == "2025-07-03T16:04:00+07:00"
    assert record["modified"] == "2025-07-03T10:30:00+07:00"


def test_jsonlines_takes_naive_datetimes_as_wib() -> None:
    record = json.loads(export(IsoJsonLinesItemExporter, [constructed_article()]))
    assert record["crawled_at"] == "2025-07-03T16:10:05.250000+07:00"


def test_jsonlines_writes_nested_dataclasses_as_objects() -> None:
    record = json.loads(export(IsoJsonLinesItemExporter, [constructed_article()]))
    assert record["kab_kota"] == [
        {"code": "33.08", "name": "Kabupaten Magelang", "label": "Kab. Magelang", "evidence": []}
    ]
    assert record["sentiment"] == {"label": "positif", "strength": 71.2}
    assert record["views"] == 12


def test_jsonlines_writes_unescaped_utf8_even_when_asked_for_another_encoding() -> None:
    for options in ({}, {"encoding": None}, {"encoding": "latin-1"}):
        written = export(IsoJsonLinesItemExporter, [constructed_article()], **options)
        assert "Dibuka Lagi – Pedagang".encode() in written
        assert b"\\u2013" not in written


def test_jsonlines_writes_one_line_per_item() -> None:
    items = [constructed_article(), constructed_article(title="Kedua", published=None)]
    lines = export(IsoJsonLinesItemExporter, items).split(b"\n")
    assert lines[-1] == b""
    assert [json.loads(line)["title"] for line in lines[:-1]] == [items[0].title, "Kedua"]
    assert json.loads(lines[1])["published"] is None


def test_jsonlines_keeps_dates_and_dicts_of_datetimes() -> None:
    item = {
        "day": date(2025, 7, 3),
        "times": {"seen": datetime(2025, 7, 2, 23, 0, tzinfo=UTC)},
    }
    record = json.loads(export(IsoJsonLinesItemExporter, [item]))
    assert record == {"day": "2025-07-03", "times": {"seen": "2025-07-03T06:00:00+07:00"}}


def test_json_array_exporter_writes_a_list_with_wib_datetimes() -> None:
    items = [constructed_article(), constructed_article(url="https://example.invalid/dua")]
    written = export(IsoJsonItemExporter, items)
    records = json.loads(written)
    assert [record["url"] for record in records] == [item.url for item in items]
    assert {record["published"] for record in records} == {"2025-07-03T16:04:00+07:00"}
    assert "– Pedagang".encode() in written


def test_json_array_exporter_honours_indent() -> None:
    written = export(IsoJsonItemExporter, [constructed_article()], indent=2)
    assert written.startswith(b"[\n{\n  ")
    assert json.loads(written)[0]["kab_kota"][0]["label"] == "Kab. Magelang"


def test_json_array_exporter_without_items_writes_an_empty_list() -> None:
    assert json.loads(export(IsoJsonItemExporter, [])) == []


def test_published_converts_back_to_the_same_instant() -> None:
    item = constructed_article(published=datetime(2025, 12, 31, 20, 0, tzinfo=UTC))
    published = json.loads(export(IsoJsonLinesItemExporter, [item]))["published"]
    assert published == "2026-01-01T03:00:00+07:00"
    assert datetime.fromisoformat(published) == item.published
    assert datetime.fromisoformat(published).utcoffset() == WIB.utcoffset(item.published)


REPLAY_SPIDER = '''\
"""Constructed one-off spider for the feed-export test: replays pickled items, fetches nothing."""

import pickle
from pathlib import Path

import scrapy

HERE = Path(__file__).resolve().parent


class ReplaySpider(scrapy.Spider):
    name = "replay"
    custom_settings = {
        "FEED_EXPORTERS": {
            "jsonlines": "crawler.exporters.IsoJsonLinesItemExporter",
            "json": "crawler.exporters.IsoJsonItemExporter",
        },
        "FEEDS": {
            str(HERE / "feed.jsonl"): {"format": "jsonlines"},
            str(HERE / "feed.json"): {"format": "json"},
        },
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    async def start(self):
        for item in pickle.loads((HERE / "items.pickle").read_bytes()):
            yield item
'''


def test_scrapy_feed_export_in_json_formats(tmp_path: Path) -> None:
    (tmp_path / "items.pickle").write_bytes(pickle.dumps([constructed_article()]))
    (tmp_path / "replay_spider.py").write_text(REPLAY_SPIDER, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", "replay_spider.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line_record = json.loads((tmp_path / "feed.jsonl").read_bytes())
    array_records = json.loads((tmp_path / "feed.json").read_bytes())
    assert line_record["published"] == "2025-07-03T16:04:00+07:00"
    assert array_records == [line_record]
    assert "– Pedagang".encode() in (tmp_path / "feed.jsonl").read_bytes()

"""The publication time: structured claims weighed against the date a page shows.

Constructed pages; their structure imitates WordPress JNews (naive JSON-LD datetime, offset
``article:published_time``, a header date without a time) and the real-page traps of
tests/test_real_pages.py. The text is invented.
"""

from __future__ import annotations

import json
from datetime import datetime

from crawler.extraction import OutletSelectors, extract_article
from crawler.utils.dates import read_indonesian_datetime
from crawler.utils.timezones import WIB

URL = "https://www.contoh.id/berita/12345/pasar-baru-dibuka"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=WIB)
STORY = "".join(
    f"<p>Pemerintah kota membuka pasar baru di pusat kota, kalimat nomor {n} cukup panjang.</p>"
    for n in range(4)
)
SHOWN = OutletSelectors(published=".tanggal-tampil")


def page(*, jsonld: str | None = None, meta: str | None = None, shown: str | None = None) -> str:
    head = f'<meta property="article:published_time" content="{meta}">' if meta else ""
    if jsonld:
        block = {"@type": "NewsArticle", "headline": "Pasar", "datePublished": jsonld}
        head += f'<script type="application/ld+json">{json.dumps(block)}</script>'
    shown_html = f"<div class='tanggal-tampil'>{shown}</div>" if shown else ""
    return (
        f"<html><head>{head}</head><body><h1>Pasar</h1>{shown_html}<div>{STORY}</div></body></html>"
    )


def extract(html: str):
    return extract_article(html, URL, selectors=SHOWN, now=NOW)


def test_a_date_reading_says_whether_a_time_and_a_zone_were_written() -> None:
    dated = read_indonesian_datetime("9 Oktober 2020", now=NOW)
    assert (dated.has_time, dated.value.isoformat()) == (False, "2020-10-09T00:00:00+07:00")
    naive = read_indonesian_datetime("2020-10-09T13:52:00", now=NOW)
    assert (naive.has_time, naive.has_zone) == (True, False)
    zoned = read_indonesian_datetime("2020-10-09T13:52:00+07:00", now=NOW)
    assert (zoned.has_time, zoned.has_zone) == (True, True)
    assert read_indonesian_datetime("Jumat, 9 Oktober 2020 13:52 WIB", now=NOW).has_zone


def test_an_offset_time_beats_a_shown_date_without_a_time() -> None:
    article = extract(page(meta="2020-10-09T13:52:00+07:00", shown="9 Oktober 2020"))
    assert article.published.isoformat() == "2020-10-09T13:52:00+07:00"
    assert article.layers["published"] == "meta"
    assert not article.warnings


def test_a_naive_jsonld_time_loses_to_an_offset_meta_time() -> None:
    article = extract(page(jsonld="2020-10-09T06:52:00", meta="2020-10-09T13:52:00+07:00"))
    assert article.published.isoformat() == "2020-10-09T13:52:00+07:00"
    assert article.layers["published"] == "meta"


def test_a_naive_jsonld_time_is_wib_unless_the_shown_time_says_utc() -> None:
    alone = extract(page(jsonld="2020-10-09T13:52:00"))
    assert alone.published.isoformat() == "2020-10-09T13:52:00+07:00"
    shown_as_utc = extract(page(jsonld="2020-10-09T06:52:00", shown="9 Oktober 2020 13:52 WIB"))
    assert shown_as_utc.published == datetime.fromisoformat("2020-10-09T13:52:00+07:00")
    assert shown_as_utc.layers["published"] == "jsonld"


def test_a_date_only_value_is_the_day_marked_as_such_never_a_time() -> None:
    article = extract(page(shown="9 Oktober 2020"))
    assert article.published.isoformat() == "2020-10-09T00:00:00+07:00"
    assert article.layers["published_precision"] == "day"
    assert "published_date_only" in article.warnings
    dated_jsonld = extract(page(jsonld="2020-10-09", shown="9 Oktober 2020 13:52 WIB"))
    assert dated_jsonld.published.isoformat() == "2020-10-09T13:52:00+07:00"
    assert "published_precision" not in dated_jsonld.layers


def test_a_shown_day_that_disagrees_with_the_structured_day_is_reported() -> None:
    article = extract(page(jsonld="2020-10-09T13:52:00+07:00", shown="12 Oktober 2020 08:00 WIB"))
    assert article.published.isoformat() == "2020-10-09T13:52:00+07:00"
    assert "date_disagreement" in article.warnings


def test_the_shown_minute_wins_on_the_same_day() -> None:
    article = extract(page(jsonld="2020-10-09T13:55:41+07:00", shown="9 Oktober 2020 13:50 WIB"))
    assert article.published.isoformat() == "2020-10-09T13:50:00+07:00"
    assert article.layers["published"] == "selectors"
    assert not article.warnings

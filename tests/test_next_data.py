"""crawler.extraction.next_data: the article of a Next.js page's ``__NEXT_DATA__``."""

from __future__ import annotations

import json
from datetime import datetime

from crawler.extraction.block import parse_html
from crawler.extraction.next_data import (
    NEXT_DATA_LAYER,
    next_article,
    overlay,
    read_next_article,
)
from crawler.extraction.result import ExtractedArticle
from crawler.utils.timezones import WIB

# Constructed fixture data; structure modelled on ../shared/research/outlets.md §5 (jawapos.com
# props.pageProps.article).
ARTICLE = {
    "title": "Jalan Lingkar Ambarawa Mulai Diperlebar",
    "content": (
        "<p>Jalan Lingkar Ambarawa Mulai Diperlebar</p>"
        "<p>RADARSEMARANG.ID, Ambarawa – Pelebaran jalan lingkar dimulai pekan ini.</p>"
        '<div class="ads">Iklan</div>'
        "<p>Baca Juga: Jadwal Kereta Wisata</p>"
        "<p>Pekerjaan ditargetkan selesai sebelum akhir tahun.</p>"
    ),
    "published_at": "2025-07-02T03:30:00Z",
    "authors": [{"name": "Dimas Aryo"}, {"name": "Dimas Aryo"}, {"id": 7}],
    "category": {"name": "Berita"},
}


def page(data: object) -> str:
    script = json.dumps(data) if not isinstance(data, str) else data
    return (
        "<html><body><div id='__next'></div>"
        f"<script id='__NEXT_DATA__' type='application/json'>{script}</script></body></html>"
    )


def props(article: object) -> dict:
    return {"props": {"pageProps": {"article": article}}}


def test_the_article_fields_are_read_with_their_layer() -> None:
    article = read_next_article(
        parse_html(page(props(ARTICLE))),
        noise=(".ads",),
        dateline_pattern=r"^RADAR[A-Z]+\.ID\s*,\s*(?P<place>[A-Za-z]+)",
    )
    assert article is not None
    assert article.title == ARTICLE["title"]
    assert article.published == datetime(2025, 7, 2, 10, 30, tzinfo=WIB)
    assert article.authors == ["Dimas Aryo"]
    assert article.section == "Berita"
    # The repeated title, the ad and the "Baca Juga" line are gone.
    assert article.body == [
        "RADARSEMARANG.ID, Ambarawa – Pelebaran jalan lingkar dimulai pekan ini.",
        "Pekerjaan ditargetkan selesai sebelum akhir tahun.",
    ]
    assert article.dateline == "Ambarawa"
    assert set(article.layers.values()) == {NEXT_DATA_LAYER}
    assert "modified" not in article.layers


def test_pages_without_an_article_give_none() -> None:
    for data in ({"props": {"pageProps": {}}}, props({"id": 1}), props([1]), "{not json", []):
        root = parse_html(page(data))
        assert next_article(root) is None
        assert read_next_article(root) is None
    assert read_next_article(parse_html("<html><body><p>x</p></body></html>")) is None


def test_overlay_keeps_page_fields_the_data_lacks_and_the_dateline_follows_the_body() -> None:
    from_page = ExtractedArticle(
        url="https://radarsemarang.jawapos.com/berita/1/x",
        title="Judul di Halaman",
        tags=["Ambarawa"],
        body=["SEMARANG – versi halaman."],
        dateline="SEMARANG",
        layers={"url": "meta", "title": "meta", "tags": "meta", "body": "generic"},
    )
    from_data = ExtractedArticle(
        title="Judul dari Data",
        body=["Tanpa dateline."],
        layers={"title": NEXT_DATA_LAYER, "body": NEXT_DATA_LAYER},
    )
    merged = overlay(from_data, from_page)
    assert (merged.url, merged.tags) == (from_page.url, ["Ambarawa"])
    assert (merged.title, merged.body) == ("Judul dari Data", ["Tanpa dateline."])
    assert merged.dateline is None
    assert merged.layers == {
        "url": "meta",
        "title": NEXT_DATA_LAYER,
        "tags": "meta",
        "body": NEXT_DATA_LAYER,
    }

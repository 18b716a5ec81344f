"""The Jawa Pos radar network's parts that need no crawl: the app's embedded JSON, ids, the index.

Pages here are constructed fixtures; structure modelled on
../shared/research/outlet-evidence-2026-12.md §3 (the 2026 app's ``div[data-page]`` and
``__NEXT_DATA__``, ProMedia's ``read__*``). The ProMedia layout is also read against the real
PRMN page of ../shared/fixtures/real (the same platform family).
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from crawler.evaluation.conformance import CRAWL_TIME, load_gold, score_page
from crawler.extraction.block import parse_html
from crawler.extraction.layouts import read_article
from crawler.extraction.next_data import NEXT_DATA_LAYER
from crawler.spiders.jawapos_app import (
    PAGE_DATA_LAYER,
    find_article,
    has_app_article,
    listed_articles,
    read_app_article,
)
from crawler.spiders.jawapos_radar import DATELINE, LAYOUTS, id_day, index_url, with_page
from crawler.spiders.radarkudus import RadarKudusSpider
from crawler.spiders.radarmagelang import RadarMagelangSpider
from crawler.spiders.radarsemarang import RadarSemarangSpider
from crawler.spiders.radarsolo import RadarSoloSpider
from crawler.utils.timezones import WIB

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RADARS = (RadarSemarangSpider, RadarSoloSpider, RadarMagelangSpider, RadarKudusSpider)
CONTENT = (
    "<p><strong>RADARSEMARANG.ID, Semarang</strong> – Pedagang Pasar Johar sepakat membuka lapak "
    "hingga malam.</p><p><strong class='readmore'>Baca Juga: <a href='/berita/2605270090/x'>"
    "Halte Baru</a></strong></p><p class='page'></p>"
    "<p>Penerangan di lantai dua sudah diperbaiki.</p>"
)
ARTICLE = {
    "title": "Pasar Johar Buka hingga Malam",
    "content": CONTENT,
    "published_at": "2026-05-28 14:09:00",
    "authors": [{"name": "Dimas Aryo"}],
    "category": {"name": "Berita"},
    "tags": [{"name": "Pasar Johar"}],
}
BODY = [
    "RADARSEMARANG.ID, Semarang – Pedagang Pasar Johar sepakat membuka lapak hingga malam.",
    "Penerangan di lantai dua sudah diperbaiki.",
]


def data_page(value: dict) -> str:
    attribute = html.escape(json.dumps(value))
    return f'<html><body><div id="app" data-page="{attribute}"></div></body></html>'


def next_data_page(value: dict) -> str:
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(value)}</script>'
    return f"<html><body><div id='__next'></div>{script}</body></html>"


def test_the_article_in_data_page_is_read_with_every_field() -> None:
    root = parse_html(data_page({"component": "Article/Show", "props": {"article": ARTICLE}}))
    article = read_app_article(root, dateline=DATELINE)
    assert article is not None
    assert article.title == ARTICLE["title"]
    # A naive published_at is WIB.
    assert article.published == datetime(2026, 5, 28, 14, 9, tzinfo=WIB)
    assert (article.authors, article.section, article.tags) == (
        ["Dimas Aryo"],
        "Berita",
        ["Pasar Johar"],
    )
    assert article.body == BODY
    assert article.dateline == "Semarang"
    assert set(article.layers.values()) == {PAGE_DATA_LAYER}


def test_an_article_under_an_unknown_key_is_found_the_longest_winning() -> None:
    related = {"title": "Berita Lain", "content": "<p>Ringkas.</p>"}
    props = {"factory": {"PUBLISHER_NAME": "Radar"}, "data": {"post": ARTICLE}, "more": [related]}
    assert find_article({"props": props}) == ARTICLE


def test_a_searched_object_of_another_address_is_not_the_page_article() -> None:
    url = "https://radarsemarang.jawapos.com/berita/2605280041/pasar-johar"
    related = {
        "id": 2605270090,
        "title": "Halte Baru",
        "content": "<p>Ringkasan cerita lain.</p>",
        "url": "https://radarsemarang.jawapos.com/berita/2605270090/halte-baru",
    }
    own = {**ARTICLE, "id": 2605280041}
    assert find_article({"props": {"related": [related]}}, url) is None
    assert find_article({"props": {"related": [related], "post": own}}, url) == own
    assert find_article({"props": {"related": [related]}}) == related  # no address: any


def test_next_data_is_read_when_there_is_no_data_page() -> None:
    root = parse_html(next_data_page({"props": {"pageProps": {"article": ARTICLE}}}))
    article = read_app_article(root)
    assert article is not None and article.body == BODY
    assert set(article.layers.values()) == {NEXT_DATA_LAYER}


@pytest.mark.parametrize(
    "page",
    [
        data_page({"component": "Contact", "props": {"factory": {"PUBLISHER_NAME": "Radar"}}}),
        next_data_page({"props": {"pageProps": {}}}),
        '<html><body><div data-page="{not json"></div></body></html>',
        "<html><body><p>Tanpa data.</p></body></html>",
    ],
)
def test_pages_without_an_article_object_have_none(page: str) -> None:
    root = parse_html(page)
    assert read_app_article(root) is None
    assert not has_app_article(root)


def test_listed_articles_carry_their_address_date_and_title() -> None:
    items = [
        {
            "id": 2605280041,
            "title": "A",
            "url": "https://r.jawapos.com/berita/2605280041/a",
            "published_at": "2026-05-28 14:09:00",
        },
        {"title": "B", "link": "/berita/2605200033/b"},
    ]
    page = data_page({"props": {"site": {"name": "Radar"}, "articles": {"data": items}}})
    assert list(listed_articles(parse_html(page))) == [
        ("https://r.jawapos.com/berita/2605280041/a", "2026-05-28 14:09:00", "A"),
        ("/berita/2605200033/b", None, "B"),
    ]


def test_the_app_layout_is_chosen_only_when_its_json_holds_an_article() -> None:
    with_article = data_page({"props": {"article": ARTICLE}})
    shell = data_page({"props": {"factory": {}}})
    url = "https://radarsemarang.jawapos.com/berita/2605280041/pasar-johar"
    assert read_article(with_article, url, LAYOUTS).layout.name == "jawapos-app"
    assert read_article(shell, url, LAYOUTS).layout.name == "radar-plain"


# --- ids and the dated index --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article_id", "day"),
    [
        ("2607240073", date(2026, 7, 24)),
        ("2601150069", date(2026, 1, 15)),
        ("687213386", None),  # ProMedia: publisher prefix, no date
        ("2613400001", None),  # not a day
    ],
)
def test_a_ten_digit_id_encodes_its_day(article_id: str, day: date | None) -> None:
    assert id_day(article_id) == day


@pytest.mark.parametrize("spider", RADARS, ids=lambda spider: spider.name)
def test_ids_of_both_platforms_are_article_identity(spider: type) -> None:
    instance = spider()
    host = instance.host
    promedia = f"https://{host}/berita/687213386/judul-berita"
    app = f"https://{host}/berita/2607240073/judul-berita"
    assert instance.article_identity(promedia) == f"{spider.name}:687213386"
    assert instance.article_identity(f"{promedia}?page=3") == f"{spider.name}:687213386"
    # The category segment of the app's URLs is not stable: the id decides.
    assert instance.article_identity(app.replace("/berita/", "/nasional/")) == (
        instance.article_identity(app)
    )
    for not_article in (
        f"https://{host}/berita",
        f"https://{host}/read/2017/judul",
        f"https://{host}/features/02/11/2021/judul/",
        "https://radarjogja.jawapos.com/berita/2607240073/judul",
    ):
        assert not instance.is_article_url(not_article), not_article


def test_the_index_is_asked_for_one_window_with_english_months() -> None:
    url = index_url("radarsolo.jawapos.com", date(2025, 2, 14), date(2025, 2, 28))
    assert url == (
        "https://radarsolo.jawapos.com/indeks-berita"
        "?daterange=14%20February%202025%20-%2028%20February%202025&page=1"
    )
    assert with_page(url, 2) == url.replace("page=1", "page=2")


# --- ProMedia on a real page of the platform family ------------------------------------------


def test_the_promedia_layout_reads_a_real_prmn_page() -> None:
    gold_file = SHARED / "fixtures" / "real" / "gold.jsonl"
    if not gold_file.is_file():
        pytest.skip(f"real-page gold not found at {gold_file} (../shared is absent)")
    [gold] = [g for g in load_gold(SHARED) if g["file"].startswith("prmn/")]
    real = SHARED / "fixtures" / "real" / gold["file"]
    page = read_article(real.read_bytes(), gold["url"], LAYOUTS, now=CRAWL_TIME)
    score = score_page(gold, page.article)
    assert page.layout.name == "promedia-read"
    assert page.article.title == gold["title"]
    assert score.published_ok
    assert score.f1 >= 0.97, f"paragraph F1 {score.f1:.3f}"
    assert not score.forbidden_found
    assert page.is_paged(gold["url"]) is gold["multipage"]

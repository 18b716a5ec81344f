"""Choosing an article layout: by publication day where known, by template otherwise."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from scrapy.spiderloader import get_spider_loader

from crawler.extraction.block import parse_html
from crawler.extraction.layouts import (
    Layout,
    choose_layout,
    date_in_url,
    publication_day,
    read_article,
)
from crawler.extraction.pagination import SinglePageView
from crawler.extraction.selectors import OutletSelectors
from crawler.outlets.registry import project_settings
from crawler.utils.timezones import WIB

CURRENT = Layout("current", OutletSelectors(body=".story"), detect=".story")
MIDDLE = Layout(
    "middle", OutletSelectors(body=".text"), detect=".text", valid_until=date(2020, 6, 30)
)
EARLY = Layout(
    "early", OutletSelectors(body=".text"), detect=".text", valid_until=date(2015, 12, 31)
)
#: A layout without ``detect``: what holds for every page of the outlet, no template.
OUTLET_WIDE = Layout("outlet-wide", OutletSelectors(dateline_pattern=r"^(?P<place>[A-Z]+) -"))
LAYOUTS = (CURRENT, MIDDLE, EARLY, OUTLET_WIDE)

OLD_TEMPLATE = "<html><body><div class='text'><p>Isi berita lama.</p></div></body></html>"
NEW_TEMPLATE = "<html><body><div class='story'><p>Isi berita baru.</p></div></body></html>"
UNKNOWN_TEMPLATE = "<html><body><main><p>Isi berita.</p></main></body></html>"
STORY_SENTENCE = (
    "Pemerintah kabupaten membuka jalan baru yang menghubungkan dua kecamatan di utara."
)


def registered_layouts() -> dict[str, tuple[Layout, ...]]:
    loader = get_spider_loader(project_settings())
    return {name: tuple(getattr(loader.load(name), "layouts", ())) for name in loader.list()}


@pytest.mark.parametrize(
    ("html", "day", "expected"),
    [
        (OLD_TEMPLATE, date(2014, 3, 1), "early"),
        (OLD_TEMPLATE, date(2015, 12, 31), "early"),
        (OLD_TEMPLATE, date(2016, 1, 1), "middle"),
        (OLD_TEMPLATE, date(2020, 6, 30), "middle"),
        # No date: the newest layout whose template is on the page.
        (OLD_TEMPLATE, None, "middle"),
        # A date after every old era (or a wrong date) cannot force a template that is absent,
        # and a recognised template beats the outlet-wide layout that merely covers the date.
        (OLD_TEMPLATE, date(2024, 1, 1), "middle"),
        (NEW_TEMPLATE, date(2014, 3, 1), "current"),
        (NEW_TEMPLATE, None, "current"),
        (UNKNOWN_TEMPLATE, date(2014, 3, 1), "outlet-wide"),
        (UNKNOWN_TEMPLATE, None, "outlet-wide"),
    ],
)
def test_layout_by_day_then_template(html: str, day: date | None, expected: str) -> None:
    assert choose_layout(LAYOUTS, parse_html(html), day).name == expected


def test_an_unrecognised_template_is_read_by_structured_data_and_the_generic_reader() -> None:
    assert choose_layout((CURRENT, MIDDLE), parse_html(UNKNOWN_TEMPLATE)) is None
    assert choose_layout((), parse_html(UNKNOWN_TEMPLATE)) is None
    story = "".join(f"<p>{STORY_SENTENCE} Bagian {n}.</p>" for n in range(4))
    html = f"<html><body><main><div class='isi'>{story}</div><p>1 view</p></main></body></html>"
    page = read_article(html, "https://example.id/berita/1", (CURRENT, MIDDLE))
    assert page.layout is None
    assert page.article.layers["body"] == "generic"
    assert page.article.body == [f"{STORY_SENTENCE} Bagian {n}." for n in range(4)]


def test_no_layout_body_is_a_catch_all() -> None:
    """Every registered layout names its story box; a bare tag would take the whole page."""
    bare_tag = re.compile(r"^[a-z][a-z0-9]*$")
    for spider, layouts in registered_layouts().items():
        for layout in layouts:
            for alternative in (layout.selectors.body or "").split(","):
                assert not bare_tag.match(alternative.strip()), (spider, layout.name, alternative)


def test_layouts_of_one_era_keep_their_declared_order() -> None:
    amp = Layout("amp", OutletSelectors(), detect="html[amp]")
    page = parse_html("<html amp><body><div class='story'><p>x</p></div></body></html>")
    assert choose_layout((amp, CURRENT), page, date(2025, 1, 1)).name == "amp"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://jateng.tribunnews.com/2025/07/03/judul-berita", date(2025, 7, 3)),
        ("http://inet.detik.com/read/2015/11/05/100026/3062623/323/judul", date(2015, 11, 5)),
        ("https://www.detik.com/jateng/berita/d-7981234/judul", None),
        ("https://example.id/2025/13/40/judul", None),
    ],
)
def test_date_in_url(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


def test_publication_day_prefers_structured_data_then_discovery_then_url() -> None:
    url = "https://jateng.tribunnews.com/2015/06/19/judul"
    structured = parse_html(
        '<html><head><meta property="article:published_time" content="2020-10-09T23:30:00+07:00">'
        "</head><body></body></html>"
    )
    bare = parse_html("<html><body></body></html>")
    discovered = datetime(2019, 1, 2, 1, 0, tzinfo=WIB)
    assert publication_day(structured, url, discovered) == date(2020, 10, 9)
    assert publication_day(bare, url, discovered) == date(2019, 1, 2)
    assert publication_day(bare, url) == date(2015, 6, 19)
    assert publication_day(bare, "https://example.id/berita/judul") is None


def test_publication_day_is_the_day_in_wib() -> None:
    late_evening_utc = datetime.fromisoformat("2025-07-01T18:30:00+00:00")
    assert publication_day(parse_html("<html></html>"), "https://x.id/a", late_evening_utc) == date(
        2025, 7, 2
    )


def test_read_article_uses_the_chosen_layout_and_knows_its_pager() -> None:
    paged = Layout(
        "paged",
        OutletSelectors(body=".text"),
        detect=".text",
        pagination=SinglePageView(links="div.paging a"),
    )
    html = (
        "<html><body><h1>Judul Berita Panjang</h1><div class='text'>"
        "<p>Paragraf pertama berita yang cukup panjang untuk dibaca.</p></div>"
        "<div class='paging'><a href='/2025/07/01/judul'>1</a>"
        "<a href='/2025/07/01/judul?page=2'>2</a></div></body></html>"
    )
    url = "https://jateng.tribunnews.com/2025/07/01/judul"
    page = read_article(html, url, (paged,))
    assert page.layout is paged
    assert page.day == date(2025, 7, 1)
    assert page.article.body == ["Paragraf pertama berita yang cukup panjang untuk dibaca."]
    assert page.article.layers["body"] == "selectors"
    assert page.is_paged(url)
    assert page.linked_pages(url) == {1: url, 2: f"{url}?page=2"}

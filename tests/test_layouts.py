"""Choosing an article layout: by publication day where known, by template otherwise."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.extraction.block import parse_html
from crawler.extraction.selectors import OutletSelectors
from crawler.layouts import Layout, choose_layout, date_in_url, publication_day, read_article
from crawler.pagination import SinglePageView
from crawler.timezones import WIB

CURRENT = Layout("current", OutletSelectors(body=".story"), detect=".story")
MIDDLE = Layout(
    "middle", OutletSelectors(body=".text"), detect=".text", valid_until=date(2020, 6, 30)
)
EARLY = Layout(
    "early", OutletSelectors(body=".text"), detect=".text", valid_until=date(2015, 12, 31)
)
CATCH_ALL = Layout("catch-all", OutletSelectors())
LAYOUTS = (CURRENT, MIDDLE, EARLY, CATCH_ALL)

OLD_TEMPLATE = "<html><body><div class='text'><p>Isi berita lama.</p></div></body></html>"
NEW_TEMPLATE = "<html><body><div class='story'><p>Isi berita baru.</p></div></body></html>"
UNKNOWN_TEMPLATE = "<html><body><main><p>Isi berita.</p></main></body></html>"


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
        # and a recognised template beats the catch-all that merely covers the date.
        (OLD_TEMPLATE, date(2024, 1, 1), "middle"),
        (NEW_TEMPLATE, date(2014, 3, 1), "current"),
        (NEW_TEMPLATE, None, "current"),
        (UNKNOWN_TEMPLATE, date(2014, 3, 1), "catch-all"),
        (UNKNOWN_TEMPLATE, None, "catch-all"),
    ],
)
def test_layout_by_day_then_template(html: str, day: date | None, expected: str) -> None:
    assert choose_layout(LAYOUTS, parse_html(html), day).name == expected


def test_without_a_catch_all_the_first_layout_reads_unknown_pages() -> None:
    assert choose_layout((CURRENT, MIDDLE), parse_html(UNKNOWN_TEMPLATE)).name == "current"
    assert choose_layout((), parse_html(UNKNOWN_TEMPLATE)) is None


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

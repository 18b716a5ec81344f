"""Paged articles: pager reading, joining pages, and a spider walking ``?page=N`` end to end."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import SHARED, read_jsonl, run_scrapy

from crawler.extraction.block import parse_html
from crawler.extraction.pagination import (
    PAGE_PATH_NUMBER,
    PageAssembly,
    PageLinks,
    SinglePageView,
    boundary_overlap,
    join_pages,
)
from crawler.testing.fixture_server import FixtureServer

REAL = SHARED / "fixtures" / "real"
needs_shared = pytest.mark.skipif(
    not (REAL / "gold.jsonl").is_file(), reason=f"real pages not found at {REAL}"
)


def test_join_keeps_a_page_boundary_repeat_once() -> None:
    pages = [["a", "b", "c"], ["c", "d"], ["d", "e"]]
    assert join_pages(pages) == ["a", "b", "c", "d", "e"]


def test_join_keeps_repeats_that_are_not_at_a_boundary() -> None:
    assert join_pages([["a", "b"], ["c", "a"]]) == ["a", "b", "c", "a"]


@pytest.mark.parametrize(
    ("previous", "following", "overlap"),
    [
        (["a", "b", "c"], ["b", "c", "d"], 2),
        (["a"], ["a"], 1),
        (["a", "b"], ["c"], 0),
        ([], ["a"], 0),
        (["v", "w", "x", "y"], ["w", "x", "y", "z"], 3),
        # Runs longer than MAX_BOUNDARY_OVERLAP are not looked for.
        (["a", "b", "c", "d"], ["a", "b", "c", "d", "e"], 0),
    ],
)
def test_boundary_overlap(previous: list[str], following: list[str], overlap: int) -> None:
    assert boundary_overlap(previous, following) == overlap


def test_single_page_view_url() -> None:
    view = SinglePageView(links="div.paging a")
    base = "https://jateng.tribunnews.com/2025/07/02/judul"
    assert view.view_url(base) == f"{base}?page=all"
    assert view.view_url(f"{base}?page=2") == f"{base}?page=all"
    assert view.view_url(f"{base}?utm_source=x") == f"{base}?utm_source=x&page=all"
    detik = SinglePageView(links="a", query="single=1")
    assert detik.view_url("https://www.detik.com/jateng/berita/d-1/x").endswith("/x?single=1")
    inews = SinglePageView(links="a", query=None, path_suffix="/all")
    assert inews.view_url("https://jateng.inews.id/read/123/judul/") == (
        "https://jateng.inews.id/read/123/judul/all"
    )


def test_pager_numbers_from_query_and_from_path() -> None:
    root = parse_html(
        "<html><body><ul class='paginationContent'>"
        "<li><a href='/berita/judul'>1</a></li><li><a href='/berita/judul/2'>2</a></li>"
        "<li><a href='#'>3</a></li><li><a href='javascript:void(0)'>x</a></li></ul></body></html>"
    )
    pages = PageLinks("ul.paginationContent a", PAGE_PATH_NUMBER).linked_pages(
        root, "https://jateng.inews.id/berita/judul"
    )
    assert pages == {
        1: "https://jateng.inews.id/berita/judul",
        2: "https://jateng.inews.id/berita/judul/2",
    }


def test_a_page_without_pager_or_with_only_itself_is_not_paged() -> None:
    links = PageLinks("a.paging__link")
    assert not links.is_paged(parse_html("<html><body><p>x</p></body></html>"), "https://x.id/a")
    alone = parse_html("<html><body><a class='paging__link' href='/a'>1</a></body></html>")
    assert not links.is_paged(alone, "https://x.id/a")


def test_assembly_hands_out_pages_in_order_and_flags_losses() -> None:
    assembly = PageAssembly(["p1"])
    assembly.add_links({1: "u1", 3: "u3", 2: "u2"})
    assert assembly.next_page() == (2, "u2")
    assembly.received(2, ["p2"])
    assembly.add_links({4: "u4", 2: "u2"})  # page 2's pager reveals page 4
    assert assembly.next_page() == (3, "u3")
    assembly.page_failed(3)
    assert assembly.next_page() == (4, "u4")
    assembly.received(4, ["p4"])
    assert assembly.next_page() is None
    assert assembly.joined_body() == ["p1", "p2", "p4"]
    assert assembly.flags() == {"pages": "3/4", "pages_missing": "3"}


def test_assembly_with_the_whole_story_view() -> None:
    assembly = PageAssembly(["p1"])
    assembly.add_links({2: "u2", 3: "u3"})
    assembly.view_received(["p1", "p2", "p3"], assembly.known_pages)
    assert assembly.next_page() is None
    assert assembly.joined_body() == ["p1", "p2", "p3"]
    assert assembly.flags() == {"pages": "3/3"}


@needs_shared
def test_real_tribun_pager_is_read() -> None:
    url = "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter"
    root = parse_html(
        (REAL / "tribun/solo-tribunnews-article-2020-10-09.html").read_bytes().decode()
    )
    assert SinglePageView(links="div.paging a").linked_pages(root, url) == {
        1: url,
        2: f"{url}?page=2",
    }


@needs_shared
def test_real_prmn_page_two_is_recognised_as_paged() -> None:
    url = "https://zonajakarta.pikiran-rakyat.com/internasional/pr-18808737/walau-kena-covid-19-donald-trump-masih-berbahaya-karena-disampingnya-ada-pemicu-kiamat-dunia"
    html = (REAL / "prmn/zonajakarta-pikiran-rakyat-article-2020-10-07-page2.html").read_bytes()
    pages = PageLinks("a.paging__link").linked_pages(parse_html(html.decode()), f"{url}?page=2")
    assert pages == {1: url, 3: f"{url}?page=3"}


# --- a spider walking pages end to end ---------------------------------------------------------

PAGED_SPIDER = '''
"""A throwaway outlet whose long stories are paged with ``a.paging__link`` (PRMN style)."""
import re

from crawler.extraction.selectors import OutletSelectors
from crawler.extraction.layouts import Layout
from crawler.outlets.entry import Outlet
from crawler.extraction.pagination import PageLinks
from crawler.spiders.base import NewsSpider


class PagedExampleSpider(NewsSpider):
    name = "paged_example"
    outlet = Outlet(name="Paged Example")
    allowed_domains = ["paged.example"]
    article_patterns = (re.compile(r"^https://paged\\.example/read/(\\d+)/"),)
    layouts = (
        Layout(
            "paged",
            OutletSelectors(body="article.read__content"),
            detect="article.read__content",
            pagination=PageLinks("a.paging__link"),
        ),
    )
'''
ARTICLE = "https://paged.example/read/555/banjir-rob-pekalongan"
PARAGRAPHS = {
    1: ["PEKALONGAN - Banjir rob kembali merendam permukiman di pesisir utara Pekalongan."],
    2: [
        "Ketinggian air di sejumlah gang mencapai lutut orang dewasa sejak pagi.",
        "Warga memindahkan barang ke tempat yang lebih tinggi.",
    ],
    # Page 3 repeats page 2's last paragraph before going on.
    3: [
        "Warga memindahkan barang ke tempat yang lebih tinggi.",
        "BPBD menyiagakan dua perahu karet di Kelurahan Degayu.",
    ],
}


def constructed_page(number: int, linked: list[int]) -> str:
    """Constructed fixture page; structure modelled on ../shared/fixtures/real/prmn/."""
    links = "".join(
        f'<a class="paging__link" href="{ARTICLE}{"" if n == 1 else f"?page={n}"}">{n}</a>'
        for n in linked
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[number])
    return textwrap.dedent(f"""\
        <!-- Constructed fixture; structure modelled on ../shared/fixtures/real/prmn/ -->
        <html><head><title>Banjir Rob Pekalongan</title>
        <meta property="article:published_time" content="2025-07-02T08:00:00+07:00">
        <meta property="og:url" content="{ARTICLE}"></head>
        <body><h1>Banjir Rob Kembali Rendam Pesisir Pekalongan</h1>
        <article class="read__content">{paragraphs}</article>
        <div class="paging">{links}</div></body></html>""")


@pytest.fixture
def paged_site(tmp_path: Path) -> Path:
    host = tmp_path / "site" / "paged.example" / "read" / "555"
    host.mkdir(parents=True)
    # The pager of page 1 shows pages 1-2 only; page 2's pager reveals page 3.
    (host / "banjir-rob-pekalongan.html").write_text(constructed_page(1, [1, 2]))
    (host / "banjir-rob-pekalongan@page=2.html").write_text(constructed_page(2, [1, 2, 3]))
    (host / "banjir-rob-pekalongan@page=3.html").write_text(constructed_page(3, [1, 2, 3]))
    (tmp_path / "paged_spider.py").write_text(PAGED_SPIDER)
    return tmp_path


def crawl_paged(workdir: Path, server: FixtureServer) -> tuple[list[dict], str]:
    result = run_scrapy(
        ["runspider", "paged_spider.py", "-a", f"url={ARTICLE}", "-O", "out.jsonl"],
        cwd=workdir,
        host_map=server.host_map(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return read_jsonl(workdir / "out.jsonl"), result.stderr


def test_pages_are_walked_in_order_and_joined(paged_site: Path) -> None:
    with FixtureServer(paged_site / "site") as server:
        records, log = crawl_paged(paged_site, server)
        fetched = [r.path for r in server.requests if r.path.startswith("/read/")]
    assert fetched == [
        "/read/555/banjir-rob-pekalongan",
        "/read/555/banjir-rob-pekalongan?page=2",
        "/read/555/banjir-rob-pekalongan?page=3",
    ]
    [record] = records
    assert record["url"] == ARTICLE
    assert record["body"] == [*PARAGRAPHS[1], *PARAGRAPHS[2], PARAGRAPHS[3][1]]
    assert record["extraction"]["pages"] == "3/3"
    assert "pages_missing" not in record["extraction"]
    assert re.search(r"'crawler/multipage/joined': 1\b", log)


def test_a_lost_page_is_counted_and_the_article_delivered_flagged(paged_site: Path) -> None:
    (paged_site / "site" / "_routes.json").write_text(
        json.dumps({"paged.example/read/555/banjir-rob-pekalongan?page=2": {"status": 500}})
    )
    with FixtureServer(paged_site / "site") as server:
        records, log = crawl_paged(paged_site, server)
    [record] = records
    # Page 2 is lost after Scrapy's retries, and with it the link to page 3.
    assert record["body"] == PARAGRAPHS[1]
    assert record["extraction"]["pages"] == "1/2"
    assert record["extraction"]["pages_missing"] == "2"
    assert re.search(r"'crawler/failed/page_http_500': 1\b", log)
    assert re.search(r"'crawler/multipage/partial': 1\b", log)
    assert f"page_http_500: {ARTICLE}?page=2" in log

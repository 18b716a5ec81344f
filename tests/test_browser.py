"""crawler.downloader.browser: when a page is a JavaScript shell, and when the browser may
render it."""

from __future__ import annotations

import sys

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.downloader.browser import (
    SKIPPED_STAT,
    browser_mode,
    is_javascript_shell,
    is_rendered,
    playwright_installed,
    render_or_skip,
    rendering_enabled,
)

URL = "https://radarsemarang.jawapos.com/berita/1234567003/festival-lampion"
# Constructed fixture pages; structure modelled on ../shared/research/outlets.md §5.
SHELL = """<html><head><title>Radar Semarang</title><style>body{margin:0}</style></head>
<body><div id="__next"><div class="loading">Memuat...</div></div>
<script>var story = "a long script text that a reader never sees, however long it is";</script>
<noscript><p>Aktifkan JavaScript untuk membaca berita ini di peramban Anda sekarang juga, ya.</p>
</noscript></body></html>"""
#: A shell whose server-rendered menus and footer hold more text than a loading line.
DRESSED_SHELL = f"""<html><body><header><nav>{"<a href='/berita'>Berita</a> " * 30}</nav></header>
<div id="__next"></div>
<footer><p>{"Radar Semarang menyajikan berita Semarang dan sekitarnya setiap hari. " * 2}</p>
<p>{"Alamat redaksi di Jalan Pandanaran, Semarang, buka setiap hari kerja. " * 2}</p></footer>
<script src="/_next/static/chunks/article.js"></script></body></html>"""
ARTICLE = f"""<html><body><h1>Festival Lampion Kota Lama Digelar Tiga Malam</h1>
<p>{"Panitia memasang lampion di sepanjang jalan Kota Lama. " * 2}</p>
<p>{"Pengunjung dapat menikmati pertunjukan musik tanpa biaya. " * 2}</p>
<script>window.analytics = true;</script></body></html>"""
NO_SCRIPT = "<html><body><p>Halaman kosong.</p></body></html>"


def response(body: str, meta: dict | None = None) -> HtmlResponse:
    request = scrapy.Request(URL, meta=meta or {})
    return HtmlResponse(URL, body=body.encode(), encoding="utf-8", request=request)


@pytest.mark.parametrize(("body", "shell"), [(SHELL, True), (ARTICLE, False), (NO_SCRIPT, False)])
def test_a_shell_is_a_page_of_scripts_with_hardly_any_visible_text(body: str, shell: bool) -> None:
    assert is_javascript_shell(response(body)) is shell


def test_a_rendered_response_is_known_by_its_request() -> None:
    assert is_rendered(response(SHELL, {"playwright": True}))
    assert not is_rendered(response(SHELL))


def test_browser_mode_is_auto_by_default_and_checked() -> None:
    assert browser_mode(Settings()) == "auto"
    assert browser_mode(Settings({"CRAWLER_BROWSER": "OFF"})) == "off"
    with pytest.raises(ValueError, match="CRAWLER_BROWSER"):
        browser_mode(Settings({"CRAWLER_BROWSER": "always"}))


def test_off_never_renders() -> None:
    assert not rendering_enabled(Settings({"CRAWLER_BROWSER": "off"}))


def test_without_scrapy_playwright_nothing_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail, as on a machine without the extra.
    monkeypatch.setitem(sys.modules, "scrapy_playwright.handler", None)
    assert not playwright_installed()
    assert not rendering_enabled(Settings({"CRAWLER_BROWSER": "auto"}))


def test_a_shell_is_skipped_and_counted_when_rendering_is_off() -> None:
    crawler = get_crawler(scrapy.Spider, {"CRAWLER_BROWSER": "off"})
    spider = scrapy.Spider.from_crawler(crawler, name="radarsemarang")
    crawler.stats.open_spider()
    requests = list(render_or_skip(spider, response(SHELL), spider.parse, None))
    assert requests == []
    assert crawler.stats.get_value(SKIPPED_STAT) == 1


@pytest.mark.skipif(not playwright_installed(), reason="the browser extra is not installed")
def test_a_shell_is_asked_for_again_through_the_browser() -> None:
    crawler = get_crawler(scrapy.Spider, {"CRAWLER_BROWSER": "auto"})
    spider = scrapy.Spider.from_crawler(crawler, name="radarsemarang")
    crawler.stats.open_spider()
    page = response(SHELL, {"discovered_published": "2025-07-04"})
    [request] = render_or_skip(spider, page, spider.parse, None)
    assert request.url == URL
    assert request.meta["playwright"] is True
    assert request.meta["playwright_page_methods"]
    assert request.meta["discovered_published"] == "2025-07-04"
    assert request.dont_filter
    assert crawler.stats.get_value(SKIPPED_STAT) is None

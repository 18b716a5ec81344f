"""Meta-refresh redirects without decoding pages that cannot hold one
(crawler.downloader.meta_refresh)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.downloader.meta_refresh import HEAD_BYTES, PrecheckedMetaRefreshMiddleware

URL = "https://www.espos.id/berita/1"
REFRESH = '<meta http-equiv="Refresh" content="0; url=https://www.espos.id/berita/1-baru">'


def middleware() -> PrecheckedMetaRefreshMiddleware:
    return build_from_crawler(PrecheckedMetaRefreshMiddleware, get_crawler())


def respond(html: str, encoding: str = "utf-8") -> tuple[HtmlResponse, object]:
    request = Request(URL)
    response = HtmlResponse(
        URL,
        body=html.encode(encoding),
        headers={"Content-Type": f"text/html; charset={encoding}"},
        request=request,
    )
    return response, middleware().process_response(request, response)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "windows-1252"])
def test_a_refresh_in_the_head_still_redirects(encoding: str) -> None:
    _, result = respond(f"<html><head>{REFRESH}</head><body><p>Pindah</p></body></html>", encoding)
    assert isinstance(result, Request) and result.url.endswith("/berita/1-baru")


def test_a_refresh_after_multi_byte_text_is_still_found() -> None:
    """Scrapy reads 4,096 characters; in UTF-8 they may take more than 4,096 bytes."""
    lead = "<!-- " + "é" * 1500 + " -->"
    assert len(lead.encode()) > 3000 and len(lead) < 4000
    _, result = respond(f"<html><head>{lead}{REFRESH}</head></html>")
    assert isinstance(result, Request)


def test_a_page_without_a_refresh_is_passed_on_undecoded() -> None:
    page = "<html><head><title>Berita</title></head><body>" + "<p>Teks.</p>" * 20_000
    response, result = respond(page + "</body></html>")
    assert len(response.body) > HEAD_BYTES
    assert result is response
    assert response._cached_ubody is None  # Scrapy's middleware decodes all 240 KB here


def test_the_project_uses_it_instead_of_scrapy_s() -> None:
    middlewares = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert middlewares["crawler.downloader.meta_refresh.PrecheckedMetaRefreshMiddleware"] == 580

"""Block pages: recognised by their markers, retried later through the middleware, never parsed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import SHARED, SITES, log_stat, read_jsonl, run_scrapy
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.blocking import (
    SNIFF_BYTES,
    BlockRetryPolicy,
    detect_block,
    original_request,
)

REAL = SHARED / "fixtures" / "real"

# Constructed block pages; structure modelled on the usual CDN answers (Cloudflare, Akamai).
CLOUDFLARE_CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script>window._cf_chl_opt={cType: 'managed'};</script></body></html>"
)
CLOUDFLARE_BLOCK = (
    b"<html><head><title>Attention Required! | Cloudflare</title></head><body>"
    b'<div id="cf-error-details"><h1>Sorry, you have been blocked</h1></div></body></html>'
)
ACCESS_DENIED = (
    b"<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>"
    b"You don't have permission to access this server.</BODY></HTML>"
)
CAPTCHA_403 = (
    b"<html><head><title>Verifikasi</title></head><body><div class='g-recaptcha'>captcha</div>"
)
RATE_LIMIT_429 = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
ARTICLE_ABOUT_CAPTCHA = (
    b"<html><head><title>Cara Mengatasi Captcha yang Terus Muncul - Tribunjateng.com</title>"
    b"</head><body><div id='captchalogin' class='hide'></div><p>Access denied? Captcha?"
    b" Berikut penjelasannya.</p></body></html>"
)


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind"),
    [
        (200, {}, CLOUDFLARE_CHALLENGE, "cloudflare-challenge"),
        (403, {}, CLOUDFLARE_CHALLENGE, "cloudflare-challenge"),
        (503, {}, CLOUDFLARE_CHALLENGE, "cloudflare-challenge"),
        (403, {}, CLOUDFLARE_BLOCK, "cloudflare-block"),
        (200, {}, ACCESS_DENIED, "access-denied"),
        (403, {}, CAPTCHA_403, "captcha"),
        (429, {}, RATE_LIMIT_429, "rate-limit"),
        (403, {"cf-mitigated": b"challenge"}, b"", "cloudflare-challenge"),
        # Softer words only count with a refusal status.
        (200, {}, CAPTCHA_403, None),
        (200, {}, ARTICLE_ABOUT_CAPTCHA, None),
        (503, {}, b"<html><body>Service Unavailable</body></html>", None),
        (404, {}, ACCESS_DENIED.replace(b"Access Denied", b"Not Found"), None),
        # Markers far down the page are not looked at.
        (403, {}, b" " * SNIFF_BYTES + b"captcha", None),
    ],
)
def test_detect_block(status: int, headers: dict, body: bytes, kind: str | None) -> None:
    assert detect_block(status, headers, body) == kind


def test_scrapy_headers_are_read() -> None:
    response = HtmlResponse(
        "https://x.id/a", status=403, headers={"cf-mitigated": "challenge"}, body=b""
    )
    assert detect_block(response.status, response.headers, response.body) == (
        "cloudflare-challenge"
    )


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real pages not found at {REAL}")
def test_no_real_page_is_taken_for_a_block_page() -> None:
    pages = sorted(REAL.rglob("*.html"))
    assert len(pages) >= 20
    flagged = [p.name for p in pages if detect_block(200, {}, p.read_bytes()) is not None]
    assert flagged == []


def test_retry_delays_grow_and_are_capped() -> None:
    policy = BlockRetryPolicy(retries=5, first_delay=60, backoff=2, max_delay=200)
    assert [policy.delay(n) for n in range(1, 5)] == [60, 120, 200, 200]
    assert BlockRetryPolicy(first_delay=0).delay(3) == 0


def test_a_redirected_challenge_is_retried_at_the_original_url() -> None:
    def callback(response: object) -> None:
        return None

    redirected = Request(
        "https://x.id/cdn-cgi/challenge",
        callback=callback,
        meta={"redirect_urls": ["https://x.id/berita/1"], "redirect_times": 1, "keep": 1},
    )
    original = original_request(redirected)
    assert original.url == "https://x.id/berita/1"
    assert original.callback is callback
    assert original.meta == {"keep": 1}
    plain = Request("https://x.id/berita/2")
    assert original_request(plain) is plain


# --- through Scrapy: a site that refuses the first request with a challenge -------------------

ARTICLE_URL = (
    "https://jateng.tribunnews.com/2025/07/03/"
    "pemkot-semarang-perluas-zona-parkir-elektronik-di-simpang-lima"
)
ARTICLE_FILE = SITES / "tribunjateng" / "jateng.tribunnews.com" / ARTICLE_URL.split("/", 3)[3]


@dataclass
class RefusingSite:
    """Answers an article's first ``refusals`` requests with (status, block page), then the page."""

    refusals: list[tuple[int, bytes]]
    article: bytes
    times: list[float] = field(default_factory=list)
    address: str = ""


def serve(site: RefusingSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if self.path == "/robots.txt":
                status, body = 404, b""
            else:
                site.times.append(time.monotonic())
                status, body = site.refusals.pop(0) if site.refusals else (200, site.article)
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


@pytest.fixture
def refusing_site() -> Iterator[RefusingSite]:
    site = RefusingSite([], ARTICLE_FILE.read_bytes())
    server = serve(site)
    site.address = f"127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()


def crawl_one(site: RefusingSite, workdir: Path, **settings: str) -> tuple[list[dict], str]:
    result = run_scrapy(
        ["crawl", "tribunjateng", "-a", f"url={ARTICLE_URL}", "-O", "out.jsonl"],
        cwd=workdir,
        host_map={"jateng.tribunnews.com": site.address},
        settings=settings,
    )
    assert result.returncode in (0, 6), result.stderr[-3000:]
    return read_jsonl(workdir / "out.jsonl"), result.stderr


@pytest.mark.parametrize(
    "refusal",
    [(403, CLOUDFLARE_BLOCK), (503, CLOUDFLARE_CHALLENGE), (429, RATE_LIMIT_429)],
    ids=["403-cloudflare-block", "503-challenge", "429-rate-limit"],
)
def test_refused_then_served_article_is_delivered(
    refusing_site: RefusingSite, tmp_path: Path, refusal: tuple[int, bytes]
) -> None:
    refusing_site.refusals = [refusal]
    records, log = crawl_one(refusing_site, tmp_path)
    assert [r["url"] for r in records] == [ARTICLE_URL]
    # One block page, one delayed retry; Scrapy's own retry of 503/429 did not fire first.
    assert len(refusing_site.times) == 2
    assert log_stat(log, "crawler/blocked/tribunjateng") == 1
    assert "crawler/failed/" not in log
    assert "retry/count" not in log


def test_retry_waits_the_configured_delay(refusing_site: RefusingSite, tmp_path: Path) -> None:
    refusing_site.refusals = [(403, CLOUDFLARE_BLOCK)]
    records, _ = crawl_one(refusing_site, tmp_path, CRAWLER_BLOCK_RETRY_DELAY="1")
    assert len(records) == 1
    first, second = refusing_site.times
    assert second - first >= 1.0


def test_block_pages_every_time_give_up_after_the_retries(
    refusing_site: RefusingSite, tmp_path: Path
) -> None:
    refusing_site.refusals = [(403, CLOUDFLARE_CHALLENGE)] * 5
    records, log = crawl_one(refusing_site, tmp_path, CRAWLER_BLOCK_RETRY_TIMES="3")
    assert records == []
    assert len(refusing_site.times) == 4
    assert log_stat(log, "crawler/blocked/tribunjateng") == 4
    assert log_stat(log, "crawler/failed/article_blocked") == 1
    assert f"article_blocked: {ARTICLE_URL}" in log

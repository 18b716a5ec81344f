"""Block pages: recognised by their markers, retried later through the middleware, never parsed."""

from __future__ import annotations

import json
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

from crawler.downloader.blocking import (
    SNIFF_BYTES,
    BlockRetryPolicy,
    detect_block,
    is_challenge,
    original_request,
)
from crawler.downloader.browser import playwright_installed
from crawler.testing.fixture_server import FixtureServer

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
#: Cloudflare's managed challenge with Turnstile, as www.jawapos.com served it (2025-08;
#: outlet-evidence-2026-12.md §3a): no ``_cf_chl_opt`` in the first bytes, the title says it.
TURNSTILE_CHALLENGE = (
    b"<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title></head><body>"
    b"<h1>www.jawapos.com</h1><p>Verifying you are human. This may take a few seconds.</p>"
    b"<script src='https://challenges.cloudflare.com/turnstile/v0/g/api.js'></script>"
    b"<p>Waiting for www.jawapos.com to respond...</p></body></html>"
)
CHALLENGE_WIDGET_ONLY = (
    b"<html><head><title>Sebentar</title></head><body><div id='cf-chl-widget-x7'></div>"
)
#: A real article may carry a Turnstile widget (a comment form): not a challenge.
ARTICLE_WITH_TURNSTILE = (
    b"<html><head><title>Warga Kudus Gelar Kirab - Murianews</title></head><body><article>"
    b"<p>Kirab budaya digelar.</p></article><form><div class='cf-turnstile'></div></form>"
    b"<script src='https://challenges.cloudflare.com/turnstile/v0/api.js'></script></body></html>"
)
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
        (200, {}, TURNSTILE_CHALLENGE, "cloudflare-challenge"),
        (200, {}, CHALLENGE_WIDGET_ONLY, "cloudflare-challenge"),
        (403, {}, ARTICLE_WITH_TURNSTILE, "cloudflare-challenge"),
        (200, {}, ARTICLE_WITH_TURNSTILE, None),
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


def test_challenges_are_told_from_refusals() -> None:
    assert is_challenge("cloudflare-challenge") and is_challenge("captcha")
    assert not is_challenge("access-denied") and not is_challenge("rate-limit")


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
    """One article crawled from ``site``; challenges are retried later, not in the browser."""
    result = run_scrapy(
        ["crawl", "tribunjateng", "-a", f"url={ARTICLE_URL}", "-O", "out.jsonl"],
        cwd=workdir,
        host_map={"jateng.tribunnews.com": site.address},
        settings={"CRAWLER_BROWSER": "off", **settings},
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
    assert log_stat(log, "crawler/blocked_kind/cloudflare-challenge") == 4
    assert log_stat(log, "crawler/failed/article_challenge") == 1
    assert f"article_challenge: {ARTICLE_URL}" in log


def test_a_refusal_that_is_no_challenge_fails_as_blocked(
    refusing_site: RefusingSite, tmp_path: Path
) -> None:
    refusing_site.refusals = [(403, ACCESS_DENIED)] * 3
    records, log = crawl_one(refusing_site, tmp_path, CRAWLER_BLOCK_RETRY_TIMES="2")
    assert records == []
    assert log_stat(log, "crawler/failed/article_blocked") == 1
    assert log_stat(log, "crawler/failed/article_challenge") == 0


# --- a challenge a browser passes: its script sets a cookie and reloads -----------------------

CHROMIUM = Path("/usr/bin/chromium")
needs_browser = pytest.mark.skipif(
    not (playwright_installed() and CHROMIUM.exists()),
    reason="the browser extra (pip install -e '.[browser]') or Debian's chromium is missing",
)
#: Constructed; modelled on Cloudflare's managed challenge (title, ``_cf_chl_opt``), whose
#: script proves a browser and sets the clearance cookie before reloading the page.
PASSABLE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
</head><body><h1>jateng.tribunnews.com</h1><p>Verifying you are human.</p>
<script>window._cf_chl_opt = {cType: 'managed'};
setTimeout(function () { document.cookie = 'cf_clearance=ok; path=/'; location.reload(); }, 200);
</script></body></html>"""
#: The same page without the script: no browser gets past it.
STUCK_CHALLENGE = PASSABLE_CHALLENGE.split("<script>")[0] + (
    "<script>window._cf_chl_opt = {cType: 'interactive'};</script></body></html>"
)


def challenge_site(root: Path, challenge: str) -> Path:
    """The Tribun fixture article behind a 403 challenge that a ``cf_clearance`` cookie lifts."""
    host = root / "jateng.tribunnews.com"
    article = host / ARTICLE_URL.split("/", 3)[3]
    article.parent.mkdir(parents=True)
    article.write_bytes(ARTICLE_FILE.read_bytes())
    (host / "challenge.html").write_text(challenge, encoding="utf-8")
    route = {"status": 403, "file": "challenge.html", "unless_cookie": "cf_clearance"}
    routes = {f"jateng.tribunnews.com/{ARTICLE_URL.split('/', 3)[3]}": route}
    (root / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    return root


def crawl_challenged(site: Path, workdir: Path) -> tuple[FixtureServer, list[dict], str]:
    with FixtureServer(site) as server:
        result = run_scrapy(
            ["crawl", "tribunjateng", "-a", f"url={ARTICLE_URL}", "-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
            settings={"CRAWLER_BROWSER_CHALLENGE_WAIT": "4"},
        )
    return server, read_jsonl(workdir / "out.jsonl"), result.stderr


@needs_browser
def test_a_challenge_the_browser_passes_delivers_the_article(tmp_path: Path) -> None:
    site = challenge_site(tmp_path / "site", PASSABLE_CHALLENGE)
    server, records, log = crawl_challenged(site, tmp_path)
    assert [r["url"] for r in records] == [ARTICLE_URL], log[-3000:]
    assert records[0]["title"].startswith("Pemkot Semarang Perluas Zona Parkir")
    # Scrapy once (challenged), the browser twice (challenged, then with the cookie).
    assert server.request_count(ARTICLE_URL) == 3
    assert log_stat(log, "crawler/blocked_kind/cloudflare-challenge") == 1
    assert log_stat(log, "crawler/browser/challenge_requested") == 1
    assert log_stat(log, "crawler/browser/challenge_passed") == 1
    assert "crawler/failed/" not in log


@needs_browser
def test_a_challenge_the_browser_cannot_pass_fails_as_a_challenge_never_as_an_article(
    tmp_path: Path,
) -> None:
    site = challenge_site(tmp_path / "site", STUCK_CHALLENGE)
    server, records, log = crawl_challenged(site, tmp_path)
    assert records == []
    assert server.request_count(ARTICLE_URL) == 2  # once by Scrapy, once by the browser
    assert log_stat(log, "crawler/failed/article_challenge") == 1
    assert log_stat(log, "crawler/browser/challenge_passed") == 0
    assert f"article_challenge: {ARTICLE_URL}" in log

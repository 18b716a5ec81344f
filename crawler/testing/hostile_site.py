"""A hostile news site, generated in code, for end-to-end tests of exactly-once delivery.

Written on its own, apart from ``crawler.testing.fault_server`` (which plays faults inside the
constructed outlet sites), so that the delivery guarantees are checked against a second,
independent idea of a hostile web. Constructed: no outlet's pages; article pages carry a
schema.org ``NewsArticle`` JSON-LD block, the structure the generic spider reads.

One server, several sites: each host it is started with is a news site of its own with
``articles`` good articles dated back from ``now`` (so a run without ``-a since`` sees them
in its default window), a sitemap index and (unless ``hostile=False``) the hostile cases of
``HOSTILE_CASES``:

* good despite the hostility (must be delivered once): a body dripped slowly, a 429 and a 503
  with ``Retry-After: 1`` before the page, windows-1252 bytes labelled UTF-8, control
  characters in title and body;
* bad (must be counted with a reason, never delivered): a page that never answers, a
  redirect loop, a redirect off the site, a gzip bomb, a 429 asking to come back in an hour;
* discovery: a sitemap with an external entity (XXE) and, with ``chain``, an index that links
  a new index at every hop.

Requests for the host ``127.0.0.1:<port>`` itself get the first site under plain-http URLs of
that address: a site without https. ``hold(url)`` makes a page wait until ``release(url)``
(or the server stops), so a test can act while a crawl waits for it. Every request is recorded
with its time (``requests``).
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from crawler.utils.timezones import WIB

BIND = "127.0.0.1"
#: Minutes between the publication times of two consecutive good articles: 20 articles go
#: back more than the default window overlap (6 h), fewer than the first run's 2 days.
SPACING_MINUTES = 25
#: A gzip bomb's size once decompressed (a test sets DOWNLOAD_MAXSIZE below it).
BOMB_BYTES = 64 * 1024 * 1024
#: How long the slow page takes to drip its body, and in how many pieces.
DRIP_SECONDS = 1.5
DRIP_PIECES = 10
#: How long a held or hanging page waits at most (stopping the server ends it at once).
HOLD_SECONDS = 300.0
OFFSITE = "https://elsewhere.example.net/berita/1/dipindah"


@dataclass(frozen=True)
class HostileCase:
    """A hostile article page: its path slug, whether it must be delivered, and a pattern of
    the stats key tail (``crawler/failed/<failure>``) a bad one must be counted under (Scrapy
    names a timeout ``TimeoutError`` before 2.15, ``DownloadTimeoutError`` since)."""

    slug: str
    good: bool
    failure: str = ""


HOSTILE_CASES = (
    HostileCase("lambat", good=True),
    HostileCase("dibatasi", good=True),
    HostileCase("sibuk", good=True),
    HostileCase("windows-1252", good=True),
    HostileCase("karakter-kendali", good=True),
    HostileCase("menggantung", good=False, failure=r"article_(Download)?TimeoutError"),
    HostileCase("berputar", good=False, failure="article_RedirectLoop"),
    HostileCase("pindah-situs", good=False, failure="article_OffsiteRedirect"),
    HostileCase("bom", good=False, failure="article_ResponseTooLarge"),
    HostileCase("tunggu-sejam", good=False, failure="article_http_429"),
)
#: Article numbers of the hostile cases (good articles are numbered from 1).
HOSTILE_BASE = 900


@dataclass(frozen=True)
class Recorded:
    at: float
    host: str
    path: str


class HostileSite:
    """The server; ``with HostileSite(["a.example.id"], articles=20) as site: ...``."""

    def __init__(
        self,
        hosts: Sequence[str],
        *,
        articles: int = 20,
        now: datetime | None = None,
        hostile: bool = True,
        chain: bool = False,
        chain_delay: float = 0.0,
    ) -> None:
        self.hosts = tuple(hosts)
        self.articles = articles
        self.hostile = hostile
        self.now = (now or datetime.now(WIB)).replace(microsecond=0)
        self.chain = chain
        self.chain_delay = chain_delay
        self.requests: list[Recorded] = []
        self.held: dict[str, threading.Event] = {}
        self.answered: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server: ThreadingHTTPServer | None = None

    # --- life ----------------------------------------------------------------------------------

    def __enter__(self) -> HostileSite:
        # The gzip bomb is made before any crawl asks for it: compressing it takes ~0.4 s of
        # CPU, more on a loaded machine, against the tests' 2 s download timeout.
        gzip_bomb()
        handler = type("Handler", (HostileHandler,), {"site": self})
        self.server = QuietServer((BIND, 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stopping.set()
        for event in self.held.values():
            event.set()
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    @property
    def plain_host(self) -> str:
        return f"{BIND}:{self.port}"

    def host_map(self) -> dict[str, str]:
        return dict.fromkeys(self.hosts, self.plain_host)

    # --- what a test asks ----------------------------------------------------------------------

    def base(self, host: str) -> str:
        return f"http://{host}" if host == self.plain_host else f"https://{host}"

    def sitemap_url(self, host: str) -> str:
        return f"{self.base(host)}/sitemap.xml"

    def article_url(self, host: str, number: int, slug: str | None = None) -> str:
        return f"{self.base(host)}/berita/{number}/{slug or f'kabar-{number}'}"

    def published(self, number: int) -> datetime:
        if number >= HOSTILE_BASE:
            return self.now - timedelta(minutes=number - HOSTILE_BASE + 1)
        return self.now - timedelta(minutes=SPACING_MINUTES * number)

    def cases(self, host: str) -> dict[str, HostileCase]:
        if not self.hostile:
            return {}
        return {
            self.article_url(host, HOSTILE_BASE + index, case.slug): case
            for index, case in enumerate(HOSTILE_CASES)
        }

    def good_urls(self, host: str) -> set[str]:
        good = {self.article_url(host, number) for number in range(1, self.articles + 1)}
        return good | {url for url, case in self.cases(host).items() if case.good}

    def hold(self, url: str) -> None:
        self.held[urlsplit(url).path] = threading.Event()

    def release(self, url: str) -> None:
        self.held[urlsplit(url).path].set()

    def requested(self, url: str) -> list[float]:
        """When ``url`` (any host spelling of its path) was asked for."""
        parts = urlsplit(url)
        with self.lock:
            return [r.at for r in self.requests if (r.host, r.path) == (parts.netloc, parts.path)]

    def requests_of(self, host: str, prefix: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.host == host and r.path.startswith(prefix)]

    # --- pages ---------------------------------------------------------------------------------

    def title(self, number: int, slug: str | None) -> str:
        return f"Kabar nomor {number} dari Kabupaten Boyolali ({slug or 'biasa'})"

    def article_page(self, host: str, number: int, slug: str | None) -> str:
        title = self.title(number, slug)
        body = [
            f"BOYOLALI - Pemerintah Kabupaten Boyolali mengumumkan kabar nomor {number} hari ini.",
            f"Warga menyambut kabar {number} itu dengan gembira di balai desa setempat.",
            "Camat berharap kegiatan serupa digelar lagi tahun depan di kecamatan lain.",
        ]
        if slug == "windows-1252":
            title += " \u2013 \u201cPasar Gede\u201d kata Ren\u00e9"
            body[1] += " \u201cKami senang,\u201d ujar Ren\u00e9 \u2013 warga setempat."
        if slug == "karakter-kendali":
            title = f"\x1b[31m{title}\x1b[0m\x07\x00"
            body[1] = "Baris\fdengan\x0bkendali\x00 " + body[1]
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": self.published(number).isoformat(),
            "author": {"@type": "Person", "name": "Redaksi Uji"},
            "mainEntityOfPage": self.article_url(host, number, slug),
        }
        paragraphs = "".join(f"<p>{text}</p>" for text in body)
        return (
            "<!doctype html><!-- constructed: hostile test site (crawler.testing.hostile_site) -->"
            f'<html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{self.article_url(host, number, slug)}">'
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
        )

    def sitemap_index(self, host: str) -> str:
        entries = ["/sitemap-berita.xml", *(["/sitemap-xxe.xml"] if self.hostile else [])]
        if self.chain:
            entries.append("/rantai/1.xml")
        return index_document(self.base(host) + path for path in entries)

    def article_sitemap(self, host: str) -> str:
        numbers = [*range(1, self.articles + 1)]
        urls = [(self.article_url(host, n), self.published(n)) for n in numbers]
        urls += [(url, self.published(HOSTILE_BASE + i)) for i, url in enumerate(self.cases(host))]
        entries = "".join(
            f"<url><loc>{url}</loc><lastmod>{moment.isoformat()}</lastmod></url>"
            for url, moment in urls
        )
        return f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">{entries}</urlset>'


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XXE_SITEMAP = (
    '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY rahasia SYSTEM "file:///etc/passwd">]>'
    f'<urlset xmlns="{SITEMAP_NS}"><url><loc>https://x.example/&rahasia;</loc></url></urlset>'
)


def index_document(urls: Any) -> str:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">{entries}</sitemapindex>'


@cache
def gzip_bomb() -> bytes:
    return gzip.compress(bytes(BOMB_BYTES), compresslevel=9)


class QuietServer(ThreadingHTTPServer):
    """A crawler that gives up on a page closes its connection: not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None


class HostileHandler(BaseHTTPRequestHandler):
    site: HostileSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        return None

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        host = (self.headers.get("Host") or "").lower()
        site = self.site
        with site.lock:
            site.requests.append(Recorded(time.monotonic(), host, self.path))
        if host not in site.hosts and host != site.plain_host:
            self.send(404, b"unknown host")
            return
        try:
            self.route(host, urlsplit(self.path).path)
        except (BrokenPipeError, ConnectionResetError):
            return

    def count(self, path: str) -> int:
        with self.site.lock:
            self.site.answered[path] = self.site.answered.get(path, 0) + 1
            return self.site.answered[path]

    def route(self, host: str, path: str) -> None:
        site = self.site
        if event := site.held.get(path):
            event.wait(HOLD_SECONDS)
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/sitemap.xml":
            self.send(200, site.sitemap_index(host).encode(), "application/xml")
        elif path == "/sitemap-berita.xml":
            self.send(200, site.article_sitemap(host).encode(), "application/xml")
        elif path == "/sitemap-xxe.xml":
            self.send(200, XXE_SITEMAP.encode(), "application/xml")
        elif path.startswith("/rantai/") and site.chain:
            hop = int(path.removeprefix("/rantai/").removesuffix(".xml"))
            site.stopping.wait(site.chain_delay)
            document = index_document([f"{site.base(host)}/rantai/{hop + 1}.xml"])
            self.send(200, document.encode(), "application/xml")
        elif path.startswith("/berita/"):
            self.article(host, path)
        else:
            self.send(404, b"not found")

    def article(self, host: str, path: str) -> None:
        parts = path.split("/")
        if len(parts) != 4 or not parts[2].isdigit():
            self.send(404, b"not found")
            return
        number, slug = int(parts[2]), parts[3]
        case = next((c for c in HOSTILE_CASES if c.slug == slug), None)
        if case is None and not (1 <= number <= self.site.articles):
            self.send(404, b"not found")
            return
        page = self.site.article_page(host, number, case.slug if case else None).encode()
        if case is None:
            self.send(200, page)
            return
        getattr(self, "case_" + case.slug.replace("-", "_"))(path, page)

    # --- the hostile cases ---------------------------------------------------------------------

    def case_lambat(self, path: str, page: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        piece = -(-len(page) // DRIP_PIECES)
        for start in range(0, len(page), piece):
            self.wfile.write(page[start : start + piece])
            self.wfile.flush()
            self.site.stopping.wait(DRIP_SECONDS / DRIP_PIECES)

    def case_dibatasi(self, path: str, page: bytes) -> None:
        self.refused_once(path, page, 429, b"429 Too Many Requests")

    def case_sibuk(self, path: str, page: bytes) -> None:
        self.refused_once(path, page, 503, b"503 Service Unavailable")

    def refused_once(self, path: str, page: bytes, status: int, title: bytes) -> None:
        """``status`` with ``Retry-After: 1`` and a page saying so the first time, then the page."""
        if self.count(path) == 1:
            body = b"<html><head><title>" + title + b"</title></head><body></body></html>"
            self.send(status, body, headers={"Retry-After": "1"})
        else:
            self.send(200, page)

    def case_windows_1252(self, path: str, page: bytes) -> None:
        self.send(200, page.decode("utf-8").encode("cp1252"))

    def case_karakter_kendali(self, path: str, page: bytes) -> None:
        self.send(200, page)

    def case_menggantung(self, path: str, page: bytes) -> None:
        self.site.stopping.wait(HOLD_SECONDS)

    def case_berputar(self, path: str, page: bytes) -> None:
        looped = "?putar=2" not in self.path
        self.send(302, b"", headers={"Location": path + ("?putar=2" if looped else "")})

    def case_pindah_situs(self, path: str, page: bytes) -> None:
        self.send(302, b"", headers={"Location": OFFSITE})

    def case_bom(self, path: str, page: bytes) -> None:
        self.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})

    def case_tunggu_sejam(self, path: str, page: bytes) -> None:
        body = b"<html><head><title>429 Too Many Requests</title></head></html>"
        self.send(429, body, headers={"Retry-After": "3600"})

    # --- plumbing ------------------------------------------------------------------------------

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

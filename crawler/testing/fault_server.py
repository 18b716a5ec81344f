"""A fixture server that misbehaves on purpose, for tests of how a crawl survives a hostile web.

It serves site directories exactly like :class:`~crawler.testing.fixture_server.FixtureServer`,
except for *fault URLs*: any path whose last segment is ``fault-<name>``, optionally followed
by ``-<digits>`` (so it matches an outlet's article URL pattern) or an extension, on any served
host. ``<name>`` picks a behaviour from ``FAULTS``::

    https://solopos.espos.id/fault-status-503-2900003     a 503, every time
    https://www.espos.id/fault-xxe.xml                    a sitemap with an external entity
    https://www.espos.id/fault-billion-laughs.rss         an RSS feed with nested entities

XML faults answer a sitemap (``urlset``) for ``.xml`` and an RSS feed for ``.rss``. The
entity of ``xxe`` names ``FaultServer.xxe_target`` (a file the test watches, outside the site);
``XXE_URL_TARGET`` is the network variant. Bodies are built in code, so no fixture file holds
a bomb. Stopping the server releases held and dripping answers at once.
"""

from __future__ import annotations

import functools
import gzip
import random
import re
import socket
import struct
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from crawler.testing.fixture_server import (
    FixtureServer,
    RecordedRequest,
    _FixtureRequestHandler,
    host_from_header,
)

FAULT_PATH = re.compile(r"/fault-(?P<name>[a-z0-9-]+?)(?:-\d+)?(?P<ext>\.xml|\.rss)?$")

#: How long a ``timeout`` answer is held (a test's DOWNLOAD_TIMEOUT must be shorter).
HOLD_SECONDS = 120.0
#: ``slow-drip``: bytes announced, and the pause between single bytes.
DRIP_LENGTH = 4096
DRIP_PAUSE = 0.2
#: ``oversize``: bytes sent (a test sets DOWNLOAD_MAXSIZE below this).
OVERSIZE_BYTES = 3 * 1024 * 1024
#: ``gzip-bomb``: size after decompression; compressed it is about 1/1000 of that.
GZIP_BOMB_BYTES = 256 * 1024 * 1024
GZIP_BOMB_MEMBER_BYTES = 16 * 1024 * 1024
#: ``huge-tree``: nesting depth of the XML tree.
HUGE_TREE_DEPTH = 100_000
#: ``billion-laughs``: entity levels, each ten times the one below.
LAUGH_LEVELS = 10
#: ``cut-connection``: the announced length, of which only the first part is sent.
CUT_ANNOUNCED = 20_000
#: ``offsite-redirect``: a host no outlet allows.
OFFSITE_LOCATION = "https://attacker.example.net/fault-offsite-target"
#: Network variant of XXE: an entity on another host (never fetched by a safe parser).
XXE_URL_TARGET = "http://127.0.0.1:9/xxe-probe"

HTML_TYPE = "text/html; charset=utf-8"

#: Constructed article in the espos-2023 template (tests/sites/espos), with characters that
#: differ between UTF-8 and windows-1252: curly quotes, en dash, e acute.
ARTICLE_TEMPLATE = """<!doctype html>
<!-- Constructed fault fixture; template of tests/sites/espos (espos-2023 layout). -->
<html lang="id"><head><title>{title}</title>{meta}</head><body>
<article class="post">
<h1 class="post-title">{title}</h1>
<div class="post-meta">by Tim Fixture - Espos.id - Kamis, 3 Juli 2025 - 09:{minute:02d} WIB</div>
<div class="post-content">
<p>Esposin, KLATEN \u2013 Paguyuban pedagang \u201cPasar Gede Klaten\u201d menggelar bazar
kuliner selama tiga hari di alun-alun kota. Panitia menyiapkan 80 tenda untuk pelaku usaha
kecil dari 26 kecamatan di Kabupaten Klaten.</p>
<p>Ketua panitia, Ren\u00e9 Santoso, mengatakan bazar itu digelar untuk menggairahkan belanja
warga setelah libur panjang. \u201cKami ingin pengunjung datang bersama keluarga,\u201d ujarnya.</p>
<p>Pemerintah Kabupaten Klaten mendukung kegiatan tersebut dengan menyediakan lahan parkir
tambahan dan petugas kebersihan selama acara berlangsung.</p>
</div></article></body></html>
"""


def article_html(title: str, minute: int = 0, meta: str = "") -> str:
    return ARTICLE_TEMPLATE.format(title=title, minute=minute, meta=meta)


@functools.cache
def gzip_bomb() -> bytes:
    """Gzip members of zeros, ``GZIP_BOMB_BYTES`` in all once decompressed.

    Identical members are concatenated (a valid multi-member gzip file), so building the bomb
    costs one member's compression.
    """
    member = gzip.compress(bytes(GZIP_BOMB_MEMBER_BYTES), compresslevel=9)
    return member * (GZIP_BOMB_BYTES // GZIP_BOMB_MEMBER_BYTES)


def xml_document(kind: str, root: str, xxe_target: str) -> bytes:
    """A hostile or broken sitemap (``root`` "urlset") or RSS feed (``root`` "rss")."""
    url = "https://solopos.espos.id/xml-fault-entry-2909999"
    if root == "rss":
        wrap = '<rss version="2.0"><channel><title>t</title><item><link>{}</link></item>'
        head, tail = wrap, "</channel></rss>"
    else:
        head = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{}</loc>'
        head, tail = head + "</url>", "</urlset>"
    if kind == "xxe":
        dtd = (
            f'<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file://{xxe_target}">'
            f'<!ENTITY remote SYSTEM "{XXE_URL_TARGET}">]>'
        )
        return (
            f"<?xml version='1.0'?>{dtd}{head.format(url + '?s=&secret;&remote;')}{tail}".encode()
        )
    if kind == "billion-laughs":
        entities = ['<!ENTITY lol0 "lol">']
        entities += [
            f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, LAUGH_LEVELS)
        ]
        dtd = f"<!DOCTYPE {root} [{''.join(entities)}]>"
        body = head.format(url + f"?l=&lol{LAUGH_LEVELS - 1};")
        return f"<?xml version='1.0'?>{dtd}{body}{tail}".encode()
    if kind == "huge-tree":
        nested = "<x>" * HUGE_TREE_DEPTH + "</x>" * HUGE_TREE_DEPTH
        return f"<?xml version='1.0'?>{head.format(url)}{nested}{tail}".encode()
    if kind == "malformed":
        return f"<?xml version='1.0'?>{head.format(url)}<url><loc>unclosed".encode()
    raise KeyError(kind)


Fault = Callable[["FaultRequestHandler", str], None]


class FaultRequestHandler(_FixtureRequestHandler):
    """Answers fault URLs with their fault; everything else as the fixture server does."""

    def _respond(self, include_body: bool) -> None:
        server: FaultServer = self.server.fixture  # type: ignore[attr-defined]
        match = FAULT_PATH.search(urlsplit(self.path).path)
        known = FAULTS if match is None or not match.group("ext") else XML_FAULTS
        if match is None or match.group("name") not in known:
            super()._respond(include_body)
            return
        host = host_from_header(self.headers.get("Host"))
        server.record(RecordedRequest(self.command, host, self.path))
        self.close_connection = True
        name = match.group("name")
        if match.group("ext"):
            root = "rss" if match.group("ext") == ".rss" else "urlset"
            body = xml_document(name, root, server.xxe_target)
            self.send(200, [("Content-Type", "application/xml")], body)
            return
        FAULTS[name](self, match.group(0))

    # --- building blocks ---------------------------------------------------------------------

    def send(self, status: int, headers: Sequence[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers_quietly()
        self.write_quietly(body)

    def end_headers_quietly(self) -> None:
        try:
            self.end_headers()
        except OSError:
            return

    def write_quietly(self, data: bytes) -> bool:
        """Write, or return False when the client has gone (it gave up, as it should)."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        return True

    @property
    def stopping(self) -> bool:
        return self.server.fixture._stopping.is_set()  # type: ignore[attr-defined]

    def hold(self, seconds: float) -> None:
        self.server.fixture._stopping.wait(seconds)  # type: ignore[attr-defined]


# --- the faults ------------------------------------------------------------------------------


def status_fault(status: int, headers: Sequence[tuple[str, str]] = ()) -> Fault:
    def answer(handler: FaultRequestHandler, path: str) -> None:
        handler.send(status, [("Content-Type", HTML_TYPE), *headers], b"<p>error</p>")

    return answer


def timeout(handler: FaultRequestHandler, path: str) -> None:
    handler.hold(HOLD_SECONDS)


def reset(handler: FaultRequestHandler, path: str) -> None:
    # SO_LINGER with zero time: close() sends RST instead of FIN.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def slow_drip(handler: FaultRequestHandler, path: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", HTML_TYPE)
    handler.send_header("Content-Length", str(DRIP_LENGTH))
    handler.end_headers_quietly()
    for _ in range(DRIP_LENGTH):
        if handler.stopping or not handler.write_quietly(b" "):
            return
        handler.hold(DRIP_PAUSE)


def redirect_loop(handler: FaultRequestHandler, path: str) -> None:
    """A to B to A: the two URLs differ only in their query."""
    query = urlsplit(handler.path).query
    location = path if query else f"{path}?loop=b"
    handler.send(302, [("Location", location)], b"")


def offsite_redirect(handler: FaultRequestHandler, path: str) -> None:
    handler.send(302, [("Location", OFFSITE_LOCATION)], b"")


def oversize(handler: FaultRequestHandler, path: str) -> None:
    page = article_html("Halaman Terlalu Besar").encode()
    padding = b"<!-- " + b"x" * (OVERSIZE_BYTES - len(page)) + b" -->"
    handler.send(200, [("Content-Type", HTML_TYPE)], page + padding)


def gzip_bomb_answer(handler: FaultRequestHandler, path: str) -> None:
    headers = [("Content-Type", HTML_TYPE), ("Content-Encoding", "gzip")]
    handler.send(200, headers, gzip_bomb())


def cp1252_without_charset(handler: FaultRequestHandler, path: str) -> None:
    page = article_html("Bazar \u201cPasar Gede\u201d di Klaten \u2013 Hari Pertama", minute=10)
    handler.send(200, [("Content-Type", "text/html")], page.encode("cp1252"))


def wrong_charset(handler: FaultRequestHandler, path: str) -> None:
    """UTF-8 bytes whose header and meta tag both claim windows-1252."""
    meta = '<meta charset="windows-1252">'
    page = article_html("Bazar Kuliner Klaten \u2013 Diserbu Pengunjung", minute=20, meta=meta)
    handler.send(200, [("Content-Type", "text/html; charset=windows-1252")], page.encode())


def truncated_html(handler: FaultRequestHandler, path: str) -> None:
    page = article_html("Bazar Kuliner Klaten Ditutup Lebih Awal", minute=30)
    cut = page.index("Pemerintah Kabupaten")
    handler.send(200, [("Content-Type", HTML_TYPE)], page[:cut].encode())


def cut_connection(handler: FaultRequestHandler, path: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", HTML_TYPE)
    handler.send_header("Content-Length", str(CUT_ANNOUNCED))
    handler.end_headers_quietly()
    handler.write_quietly(article_html("Terpotong").encode()[:500])


def binary_as_html(handler: FaultRequestHandler, path: str) -> None:
    noise = random.Random(8).randbytes(4096)
    handler.send(200, [("Content-Type", HTML_TYPE)], b"\x89PNG\r\n\x1a\n" + noise)


def empty(handler: FaultRequestHandler, path: str) -> None:
    handler.send(200, [("Content-Type", HTML_TYPE)], b"")


#: Fault name (the ``fault-<name>`` path segment) -> behaviour. XML faults (``.xml``/``.rss``)
#: are ``xxe``, ``billion-laughs``, ``huge-tree`` and ``malformed`` (see ``xml_document``).
FAULTS: dict[str, Fault] = {
    "status-500": status_fault(500),
    "status-502": status_fault(502),
    "status-503": status_fault(503, [("Retry-After", "1")]),
    "too-many-requests": status_fault(429, [("Retry-After", "1")]),
    "timeout": timeout,
    "reset": reset,
    "slow-drip": slow_drip,
    "redirect-loop": redirect_loop,
    "offsite-redirect": offsite_redirect,
    "oversize": oversize,
    "gzip-bomb": gzip_bomb_answer,
    "cp1252-no-charset": cp1252_without_charset,
    "wrong-charset": wrong_charset,
    "truncated-html": truncated_html,
    "cut-connection": cut_connection,
    "binary-as-html": binary_as_html,
    "empty": empty,
}
XML_FAULTS = ("xxe", "billion-laughs", "huge-tree", "malformed")


class FaultServer(FixtureServer):
    """A FixtureServer whose ``fault-<name>`` URLs misbehave (see the module doc)."""

    handler_class = FaultRequestHandler

    def __init__(
        self,
        site_dirs: Sequence[str | Path] | str | Path,
        *,
        port: int = 0,
        xxe_target: str | Path = "/etc/hostname",
    ) -> None:
        super().__init__(site_dirs, port=port)
        self.xxe_target = str(xxe_target)

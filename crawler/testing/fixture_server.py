"""An offline web server that plays real outlet hosts from saved or constructed pages.

Tests and users without internet run the real spiders against it: the spiders keep requesting
the real URLs (``https://www.espos.id/...``) and the download handler in
``crawler.downloader.host_map`` sends them to ``http://127.0.0.1:<port>/<same path and query>`` with
the real ``Host`` header. This server routes on that header, so one port serves many hosts.

Layout of a site directory::

    <site_dir>/<host>/<path>      pages, e.g. tests/sites/espos/www.espos.id/sitemap.xml
    <site_dir>/_routes.json       optional behaviours (see below)

Every sub-directory whose name does not start with ``_`` or ``.`` is a host.

Path to file (the ``Host`` header picks ``<site_dir>/<host>``; its port is ignored):

* A path ending in ``/`` (including ``/``) means ``<path>index``.
* A query string becomes part of the file name: ``<path>@<query>``, the query exactly as the
  client sent it (still percent-encoded). ``/indeks?page=2`` -> ``indeks@page=2``.
* If that name has no extension (judged on the path, before the ``@``), the server tries, in
  order: the name itself, ``<name>.html``, ``<name>/index.html``. So ``/indeks?page=2`` is
  served from ``indeks@page=2`` or ``indeks@page=2.html``, and
  ``/berita-2201001/amp`` from ``berita-2201001/amp.html``.
* There is no fallback from a query-specific name to the query-less file: a URL with unexpected
  (e.g. tracking) parameters is a 404, so tests see which exact URLs a spider asked for.
* Content-Type comes from the extension (``.xml``, ``.html``, ``.txt``, ``.json``, ``.rss``,
  ``.gz`` ...); a file without extension is served as HTML (article pages); override it with a
  route's ``headers``.

``_routes.json`` maps ``host/path?query`` (e.g. ``"www.espos.id/feed"``) to a behaviour:

* ``{"status": 404}``: always answer with that status (no file needed).
* ``{"status": 500, "times": 1}``: answer 500 to the first N requests, then serve normally
  (a server error that succeeds on retry). ``times`` applies to redirects too.
* ``{"redirect": "https://...", "status": 301}``: redirect (status defaults to 301).
* ``{"headers": {"Content-Type": "application/rss+xml"}}``: extra or overriding headers on every
  answer for that URL.
* ``{"delay": 30}``: hold the answer that many seconds (a slow page, so a test can act while a
  crawl waits for it); with ``times``, only the first N requests wait. Stopping the server
  releases waiting answers at once.
* ``{"status": 403, "file": "cdn-cgi/challenge.html"}``: answer with that status and that file of
  the host's directory as the body (any status), instead of a plain-text body or the URL's file.
* ``{"unless_cookie": "cf_clearance", ...}``: the route applies only to requests that do not
  carry that cookie: a bot challenge whose page script sets the cookie and reloads is passed by
  a browser, never by a plain HTTP client.

Top-level keys starting with ``_`` are comments. Every request (method, host, path with query)
is recorded in ``FixtureServer.requests`` so tests can assert what was and was not fetched.

Command line: ``python -m crawler.testing.fixture_server SITE_DIR [SITE_DIR ...] [--port N]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from crawler.testing.polling import poll_until

logger = logging.getLogger(__name__)

ROUTES_FILE = "_routes.json"
QUERY_SEPARATOR = "@"
INDEX_STEM = "index"
DEFAULT_REDIRECT_STATUS = 301
BIND_ADDRESS = "127.0.0.1"
ROUTE_KEYS = frozenset({"status", "times", "redirect", "headers", "delay", "file", "unless_cookie"})

#: File extension -> Content-Type. Files without an extension are article pages: HTML.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".gz": "application/gzip",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
DEFAULT_CONTENT_TYPE = CONTENT_TYPES[".html"]
UNKNOWN_EXTENSION_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; `path` includes the query string."""

    method: str
    host: str
    path: str
    #: True when the request line held an absolute URL, as clients send it to an HTTP proxy.
    via_proxy: bool = False
    user_agent: str = ""

    @property
    def key(self) -> str:
        """The `host/path?query` form used by `_routes.json`."""
        return f"{self.host}{self.path}"


@dataclass(frozen=True)
class Route:
    """A behaviour from `_routes.json` for one `host/path?query`."""

    status: int | None = None
    times: int | None = None
    redirect: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float | None = None
    file: str | None = None
    unless_cookie: str | None = None

    @classmethod
    def from_json(cls, key: str, value: Any) -> Route:
        if not isinstance(value, dict) or not set(value) <= ROUTE_KEYS:
            raise ValueError(f"{ROUTES_FILE}: route {key!r} must be an object with {ROUTE_KEYS}")
        headers = value.get("headers") or {}
        return cls(
            status=int(value["status"]) if "status" in value else None,
            times=int(value["times"]) if "times" in value else None,
            redirect=value.get("redirect"),
            headers=tuple((str(name), str(text)) for name, text in headers.items()),
            delay=float(value["delay"]) if "delay" in value else None,
            file=value.get("file"),
            unless_cookie=value.get("unless_cookie"),
        )


@dataclass(frozen=True)
class Answer:
    """What to send back: status, headers and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def host_from_header(value: str | None) -> str:
    """The lower-case host of a `Host` header, port removed (IPv6 literals kept whole)."""
    if not value:
        return ""
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if ":" in value else value


def cookie_names(header: str | None) -> set[str]:
    """Names of the cookies in a ``Cookie`` request header."""
    return {part.split("=", 1)[0].strip() for part in (header or "").split(";") if "=" in part}


def route_key(key: str) -> str:
    """Normalise a `host/path?query` key (host lower-cased, path as given)."""
    host, slash, rest = key.partition("/")
    return f"{host.lower()}{slash}{rest}"


def candidate_files(path: str, query: str) -> list[tuple[str, str]]:
    """Relative file names to try for a request, each with the extension that sets its type."""
    stem = path + INDEX_STEM if path.endswith("/") else path
    extension = PurePosixPath(stem).suffix
    name = stem + (QUERY_SEPARATOR + query if query else "")
    name = name.lstrip("/")
    if extension:
        return [(name, extension)]
    return [(name, ""), (name + ".html", ".html"), (name + "/index.html", ".html")]


def content_type_for(extension: str) -> str:
    if not extension:
        return DEFAULT_CONTENT_TYPE
    return CONTENT_TYPES.get(extension.lower(), UNKNOWN_EXTENSION_CONTENT_TYPE)


def discover_hosts(site_dirs: Iterable[Path]) -> dict[str, Path]:
    """Every host directory of every site directory; a host in two site directories is an error."""
    hosts: dict[str, Path] = {}
    for site_dir in site_dirs:
        if not site_dir.is_dir():
            raise FileNotFoundError(f"site directory not found: {site_dir}")
        for child in sorted(site_dir.iterdir()):
            if not child.is_dir() or child.name.startswith(("_", ".")):
                continue
            host = child.name.lower()
            if host in hosts:
                raise ValueError(f"host {host} is served by both {hosts[host]} and {child}")
            hosts[host] = child.resolve()
    return hosts


def load_routes(site_dirs: Iterable[Path]) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for site_dir in site_dirs:
        routes_file = site_dir / ROUTES_FILE
        if not routes_file.is_file():
            continue
        declared = json.loads(routes_file.read_text(encoding="utf-8"))
        for key, value in declared.items():
            if not key.startswith("_"):
                routes[route_key(key)] = Route.from_json(key, value)
    return routes


def plain_answer(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    body = f"{status} {message}\n".encode()
    return Answer(status, (("Content-Type", CONTENT_TYPES[".txt"]), *headers), body)


class FixtureServer:
    """Serve site directories on 127.0.0.1, routing on the `Host` header. See the module doc."""

    #: Request handler class; None: the standard one. Subclasses that misbehave on purpose
    #: (crawler.testing.fault_server) put their own here.
    handler_class: type[BaseHTTPRequestHandler] | None = None

    def __init__(self, site_dirs: Sequence[str | Path] | str | Path, *, port: int = 0) -> None:
        if isinstance(site_dirs, (str, Path)):
            site_dirs = [site_dirs]
        self.site_dirs = [Path(site_dir) for site_dir in site_dirs]
        self.hosts = discover_hosts(self.site_dirs)
        self.routes = load_routes(self.site_dirs)
        self.requested_port = port
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._route_hits: dict[str, int] = {}
        #: Set while stopping, so answers held by a route's `delay` are released.
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> FixtureServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = self.handler_class or _FixtureRequestHandler
        httpd = ThreadingHTTPServer((BIND_ADDRESS, self.requested_port), handler)
        httpd.daemon_threads = True
        httpd.fixture = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fixture-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        wait_until_ready(BIND_ADDRESS, self.port)
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the fixture server is not running")
        return self._httpd.server_address[1]

    @property
    def address(self) -> str:
        return f"{BIND_ADDRESS}:{self.port}"

    def host_map(self) -> dict[str, str]:
        """Every served host -> `127.0.0.1:<port>`: the value of the `CRAWLER_HOST_MAP` setting."""
        return {host: self.address for host in self.hosts}

    # --- request log -----------------------------------------------------------------------

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def request_count(self, url: str) -> int:
        """How often `url` (scheme and port ignored, query significant) was requested."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = f"{(parts.hostname or '').lower()}{path}"
        with self._lock:
            return sum(1 for request in self.requests if request.key == key)

    def was_requested(self, url: str) -> bool:
        return self.request_count(url) > 0

    # --- answering -------------------------------------------------------------------------

    def answer(
        self,
        method: str,
        host_header: str | None,
        raw_path: str,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Record the request and decide the response (routes first, then files).

        ``headers``: the request's other headers (``Cookie``, ``User-Agent``), if any.
        """
        headers = headers or {}
        via_proxy = raw_path.startswith("http://")
        if via_proxy:
            # Absolute form (RFC 9112 §3.2.2): the server also acts as a plain HTTP proxy, so
            # tests can check that crawls honour the standard `http_proxy` variable.
            target = urlsplit(raw_path)
            host_header = target.netloc
            raw_path = urlunsplit(("", "", target.path or "/", target.query, ""))
        host = host_from_header(host_header)
        user_agent = headers.get("User-Agent") or ""
        self.record(RecordedRequest(method, host, raw_path, via_proxy, user_agent))
        host_dir = self.hosts.get(host)
        if host_dir is None:
            return plain_answer(404, f"Not Found: unknown host {host!r}")
        route = self.routes.get(f"{host}{raw_path}", Route())
        if route.unless_cookie and route.unless_cookie in cookie_names(headers.get("Cookie")):
            route = Route()
        status = 200
        if self._route_applies(f"{host}{raw_path}", route):
            if route.delay:
                self._stopping.wait(route.delay)
            if route.redirect:
                location = (("Location", route.redirect),)
                status = route.status or DEFAULT_REDIRECT_STATUS
                return plain_answer(status, "Moved", (*location, *route.headers))
            if route.file:
                return self._file_answer(
                    host_dir, "/" + route.file, route.status or 200, route.headers
                )
            if route.status is not None and not 200 <= route.status < 300:
                return plain_answer(route.status, "Fixture status", route.headers)
            status = route.status or status
        return self._file_answer(host_dir, raw_path, status, route.headers)

    def _route_applies(self, key: str, route: Route) -> bool:
        """Whether the route's status/redirect/delay applies now (its `times` not yet used up)."""
        if route.times is None:
            return True
        with self._lock:
            hits = self._route_hits.get(key, 0) + 1
            self._route_hits[key] = hits
        return hits <= route.times

    def _file_answer(
        self, host_dir: Path, raw_path: str, status: int, extra_headers: tuple[tuple[str, str], ...]
    ) -> Answer:
        parts = urlsplit(raw_path)
        path = unquote(parts.path or "/")
        if ".." in PurePosixPath(path).parts or "\\" in path or "\x00" in path:
            return plain_answer(404, "Not Found")
        for name, extension in candidate_files(path, parts.query):
            file = (host_dir / name).resolve()
            if file.is_file() and file.is_relative_to(host_dir):
                headers = {"content-type": ("Content-Type", content_type_for(extension))}
                headers.update((name.lower(), (name, value)) for name, value in extra_headers)
                return Answer(status, tuple(headers.values()), file.read_bytes())
        return plain_answer(404, "Not Found", extra_headers)


class _FixtureRequestHandler(BaseHTTPRequestHandler):
    """Hands every request to the owning FixtureServer; HTTP/1.0, one request per connection."""

    server_version = "FixtureServer/1.0"

    def _respond(self, include_body: bool) -> None:
        fixture: FixtureServer = self.server.fixture  # type: ignore[attr-defined]
        answer = fixture.answer(self.command, self.headers.get("Host"), self.path, self.headers)
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if include_body:
            self.wfile.write(answer.body)

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(include_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._respond(include_body=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        logger.debug("%s " + format, self.address_string(), *args)


def wait_until_ready(host: str, port: int, timeout: float = 10.0) -> None:
    """Poll until a TCP connection to `host:port` succeeds; TimeoutError after `timeout` s."""

    def accepts() -> bool:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            return False

    poll_until(accepts, timeout=timeout, what=f"a listener on {host}:{port}")


def crawl_argument(host_map: dict[str, str]) -> str:
    """The `-s CRAWLER_HOST_MAP='...'` argument for `scrapy crawl`, quoted for a POSIX shell."""
    return f"-s CRAWLER_HOST_MAP='{json.dumps(host_map, separators=(',', ':'))}'"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.testing.fixture_server",
        description="Serve fixture site directories offline for `scrapy crawl`.",
    )
    parser.add_argument("site_dirs", nargs="+", metavar="SITE_DIR", type=Path)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    arguments = parser.parse_args(argv)
    server = FixtureServer(arguments.site_dirs, port=arguments.port).start()
    print(f"Serving {', '.join(sorted(server.hosts))} on http://{server.address}/", flush=True)
    print("Pass this to scrapy crawl (Ctrl-C to stop):", flush=True)
    print(f"  {crawl_argument(server.host_map())}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

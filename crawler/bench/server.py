"""A fast local web server for the benchmark site: threads, HTTP/1.1 keep-alive, files in memory.

``crawler.testing.fixture_server`` serves the test sites with behaviours (statuses, delays,
redirects) and reads a file per request; for thousands of 100 KB pages at full speed the
benchmark needs less: one thread per connection (``ThreadingHTTPServer``), persistent
connections so Scrapy's connection pool reuses sockets, and every page read once into memory.
It runs in its own process so that serving does not share the crawler's interpreter lock.
Routing is by the ``Host`` header, as in the fixture server: ``<site>/<host>/<path>``, where
``/<path>`` may be stored as ``<path>``, ``<path>.html`` or ``<path>.xml``.

``python -m crawler.bench.server SITE_DIR [--port N]`` prints ``PORT <n>`` once listening.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Content types by stored file suffix.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
#: Suffixes tried after the path itself, in order.
STORED_SUFFIXES = ("", ".html", ".xml")


def load_site(directory: Path) -> dict[tuple[str, str], tuple[bytes, str]]:
    """(host, path) to (body, content type) of every file of the site."""
    pages: dict[tuple[str, str], tuple[bytes, str]] = {}
    for host_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        for file in host_dir.rglob("*"):
            if not file.is_file():
                continue
            relative = "/" + file.relative_to(host_dir).as_posix()
            content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
            body = file.read_bytes()
            pages[(host_dir.name, relative)] = (body, content_type)
            for suffix in STORED_SUFFIXES[1:]:
                if relative.endswith(suffix):
                    pages.setdefault(
                        (host_dir.name, relative[: -len(suffix)]), (body, content_type)
                    )
    return pages


class SiteRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD from the in-memory site; 404 for anything else."""

    protocol_version = "HTTP/1.1"
    #: Headers and body are two writes; with Nagle's algorithm the end of a response can wait
    #: for the client's delayed ACK on a kept-alive connection.
    disable_nagle_algorithm = True
    pages: dict[tuple[str, str], tuple[bytes, str]] = {}

    def answer(self, with_body: bool) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        path = self.path.split("?", 1)[0]
        found = self.pages.get((host, path))
        body, content_type = found if found else (b"not found\n", "text/plain")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self.answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: a line per request would cost more than serving it."""


class SiteServer(ThreadingHTTPServer):
    """A thread per connection; a listen backlog for a crawler's whole burst of connections.

    The ``socketserver`` default backlog of 5 drops the SYNs of a crawler opening 64
    connections at once, and the kernel retries them after 1, 3, 7, 15 and 31 s: whole seconds
    of a benchmark spent waiting on the server rather than crawling.
    """

    request_queue_size = 1024
    daemon_threads = True


def serve(directory: Path, port: int = 0) -> SiteServer:
    handler = type(
        "BoundSiteRequestHandler", (SiteRequestHandler,), {"pages": load_site(directory)}
    )
    return SiteServer(("127.0.0.1", port), handler)


def spawn(
    directory: Path, *options: str, module: str = "crawler.bench.server"
) -> tuple[subprocess.Popen[str], int]:
    """A benchmark server ``module`` in a process of its own, serving ``directory``; its port."""
    server = subprocess.Popen(
        [sys.executable, "-m", module, str(directory), *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline() if server.stdout else ""
    if not line.startswith("PORT "):
        server.kill()
        raise RuntimeError(f"benchmark server {module} did not start: {line!r}")
    return server, int(line.split()[1])


def serve_until_stopped(server: SiteServer) -> None:
    """Tell the spawning process the port (``PORT <n>``), then serve until interrupted."""
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a benchmark site on 127.0.0.1.")
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    serve_until_stopped(serve(args.site, args.port))
    sys.exit(0)


if __name__ == "__main__":
    main()

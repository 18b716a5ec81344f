"""A slow benchmark server that keeps a request log: I/O-bound outlets for the cluster bench.

``crawler.bench.server`` answering every request after ``--delay`` seconds (a slow outlet:
the crawl waits on the network, not on its CPU), counting the requests per host and path
and the most requests in flight per host at once. ``GET /__log__`` (any host) returns that
log as JSON: ``{"requests": {"host/path": n}, "max_in_flight": {"host": n}}``; it is neither
delayed nor counted.

``python -m crawler.bench.cluster_server SITE_DIR [--delay S]`` prints ``PORT <n>``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from crawler.bench.server import (
    SiteRequestHandler,
    SiteServer,
    load_site,
    serve_until_stopped,
)
from crawler.bench.server import spawn as spawn_server

LOG_PATH = "/__log__"


class SlowLoggedHandler(SiteRequestHandler):
    """Answers after ``delay`` seconds; counts requests and requests in flight per host."""

    delay: ClassVar[float] = 0.2
    lock: ClassVar[threading.Lock] = threading.Lock()
    requests: ClassVar[Counter[str]] = Counter()
    in_flight: ClassVar[Counter[str]] = Counter()
    max_in_flight: ClassVar[Counter[str]] = Counter()

    def answer(self, with_body: bool) -> None:
        if self.path == LOG_PATH:
            self.send_log()
            return
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        with self.lock:
            self.requests[host + self.path.split("?", 1)[0]] += 1
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
        try:
            time.sleep(self.delay)
            super().answer(with_body)
        finally:
            with self.lock:
                self.in_flight[host] -= 1

    def send_log(self) -> None:
        with self.lock:
            log = {"requests": dict(self.requests), "max_in_flight": dict(self.max_in_flight)}
        body = json.dumps(log).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path, delay: float) -> SiteServer:
    attributes: dict[str, Any] = {
        "pages": load_site(directory),
        "delay": delay,
        "lock": threading.Lock(),
        "requests": Counter(),
        "in_flight": Counter(),
        "max_in_flight": Counter(),
    }
    handler = type("BoundSlowLoggedHandler", (SlowLoggedHandler,), attributes)
    return SiteServer(("127.0.0.1", 0), handler)


def spawn(directory: Path, delay: float) -> tuple[subprocess.Popen[str], int]:
    """This server in a process of its own; and its port."""
    return spawn_server(directory, "--delay", str(delay), module="crawler.bench.cluster_server")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve benchmark outlets slowly, with a log.")
    parser.add_argument("site", type=Path)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args(argv)
    serve_until_stopped(serve(args.site, args.delay))


if __name__ == "__main__":
    main()

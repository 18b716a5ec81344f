"""A throw-away redis-server on 127.0.0.1 for tests and benchmarks of the cluster profile.

Debian's ``redis-server`` package, started on a free port in its own directory without any
persistence file, polled until it answers PING; ``restart`` starts an empty one on the same
port (what a Redis without persistence looks like after a crash).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

from crawler.testing.polling import poll_until

REDIS_SERVER = "redis-server"
READY_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def available() -> bool:
    return shutil.which(REDIS_SERVER) is not None


class RedisServer:
    """One redis-server process; ``url`` is what ``CRAWLER_REDIS_URL`` takes."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [
            REDIS_SERVER,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.directory
        )
        self.wait_ready()
        return self

    def wait_ready(self) -> None:
        def answers_ping() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    return conn.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        poll_until(answers_ping, timeout=READY_TIMEOUT, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Stop and start again, empty, on the same port."""
        self.stop()
        self.start()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

"""One run of an outlet at a time: the outlet lock of a state store.

Two overlapping runs of one outlet on the same delivered-store both see the same new
articles as undelivered and both export them; cron's ``flock`` prevents that only for the
cron lines that use it, not for Scrapyd jobs or runs started by hand. So every crawl takes
its outlet's lock from the delivered-store before it starts, and a run that finds it taken
does nothing and exits with ``EXIT_LOCKED`` (75, as ``flock -E 75`` did).

The SQLite store locks a file per outlet under ``CRAWLER_STATE_DIR/locks/`` with
``flock(2)``: the kernel releases it when the process ends, however it ends (``kill -9``
included), so a crashed run never blocks the next one. The file also holds a line naming the
holder, for the refusal message. The Redis store uses a lease instead (``crawler.store.redis``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from pathlib import Path
from typing import Protocol

#: Directory of the lock files inside ``CRAWLER_STATE_DIR``.
LOCK_DIRECTORY = "locks"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutletLocked(RuntimeError):
    """Another run of the outlet holds its lock; the message names the holder."""


class OutletLock(Protocol):
    def release(self) -> None: ...


class NoLock:
    """The lock of a store that remembers nothing, and of cluster members (shared frontier)."""

    def release(self) -> None:
        return None


def lock_file_name(outlet: str) -> str:
    """A file name for an outlet key (``generic:Kabar Contoh`` has a colon and a space)."""
    safe = _UNSAFE.sub("-", outlet).strip("-.") or "outlet"
    if safe == outlet:
        return f"{safe}.lock"
    return f"{safe}-{hashlib.sha1(outlet.encode()).hexdigest()[:8]}.lock"


class FileLock:
    """An exclusive ``flock`` on ``<directory>/<outlet>.lock``, held until ``release``."""

    def __init__(self, directory: Path, outlet: str, holder: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / lock_file_name(outlet)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held_by = Path(self.path).read_text(encoding="utf-8", errors="replace").strip()
            os.close(descriptor)
            raise OutletLocked(
                f"another run of {outlet} holds {self.path} ({held_by or 'holder unknown'})"
            ) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, (holder + "\n").encode())
        self.descriptor: int | None = descriptor

    def release(self) -> None:
        if self.descriptor is None:
            return
        descriptor, self.descriptor = self.descriptor, None
        os.close(descriptor)  # closing the only descriptor drops the flock

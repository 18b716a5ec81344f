"""The embedded delivered-store: one SQLite file under ``CRAWLER_STATE_DIR``.

SQLite because a cron job on one machine needs no server, and its transactions make a
batch of hashes durable all at once (a crash never leaves half a batch marked). WAL mode
lets several outlets crawled at the same time (separate cron lines, ``crawlall``) read
while one of them commits; ``busy_timeout`` makes a writer wait for another instead of
failing.

Times are stored as ISO 8601 text in UTC with microseconds, which sorts like the times.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.store.locks import LOCK_DIRECTORY, FileLock

#: File name inside ``CRAWLER_STATE_DIR``.
DATABASE_FILE = "delivered.sqlite3"
#: How long a writer waits for another process's transaction, in milliseconds.
BUSY_TIMEOUT_MS = 30_000
#: Bytes of the file read through a memory map instead of a read() call per page: lookups
#: in a store of a million hashes get about a third faster (``python -m crawler.bench``).
#: Only the pages a lookup touches become resident.
MMAP_BYTES = 256 * 1024 * 1024

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS delivered (
        url_hash TEXT PRIMARY KEY,
        outlet TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        delivered_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE IF NOT EXISTS runs (
        outlet TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        success INTEGER NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS runs_by_outlet ON runs (outlet, success, started)",
)

SEEN = "SELECT 1 FROM delivered WHERE url_hash = ?"
UPSERT_DELIVERED = """
    INSERT INTO delivered (url_hash, outlet, first_seen, delivered_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (url_hash) DO UPDATE SET delivered_at = excluded.delivered_at
"""


def to_text(moment: datetime) -> str:
    """UTC ISO text; naive datetimes are refused because their zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store needs aware times")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


class SqliteDeliveredStore:
    """``DeliveredStore`` on a local SQLite file (see ``crawler.store``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.locks: list[FileLock] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        self._lookup: sqlite3.Cursor | None = None
        self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives a power cut, which is what "delivered" promises.
        self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        with self.connection:
            for statement in SCHEMA:
                self.connection.execute(statement)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SqliteDeliveredStore:
        state_dir = Path(crawler.settings.get("CRAWLER_STATE_DIR") or ".crawler-state")
        return cls(state_dir / DATABASE_FILE)

    def seen(self, url_hash: str) -> bool:
        # One cursor for every lookup: a new cursor per call was a fifth of a lookup's cost.
        if self._lookup is None:
            self._lookup = self.connection.cursor()
        row = self._lookup.execute(SEEN, (url_hash,)).fetchone()
        return row is not None

    def mark_delivered(
        self, hashes: Iterable[tuple[str, str]], *, first_seen: datetime | None = None
    ) -> None:
        now = to_text(datetime.now(UTC))
        seen_at = to_text(first_seen) if first_seen is not None else now
        rows = [(url_hash, outlet, seen_at, now) for url_hash, outlet in hashes]
        if not rows:
            return
        with self.connection:
            self.connection.executemany(UPSERT_DELIVERED, rows)

    def last_successful_run(self, outlet: str) -> datetime | None:
        row = self.connection.execute(
            "SELECT max(started) FROM runs WHERE outlet = ? AND success = 1", (outlet,)
        ).fetchone()
        return from_text(row[0]) if row and row[0] else None

    def record_run(self, outlet: str, started: datetime, finished: datetime, success: bool) -> None:
        with self.connection:
            self.connection.execute(
                "INSERT INTO runs (outlet, started, finished, success) VALUES (?, ?, ?, ?)",
                (outlet, to_text(started), to_text(finished), int(success)),
            )

    def delivered_count(self, outlet: str | None = None) -> int:
        """How many hashes are recorded (for one outlet): for operators and tests."""
        if outlet is None:
            row = self.connection.execute("SELECT count(*) FROM delivered").fetchone()
        else:
            row = self.connection.execute(
                "SELECT count(*) FROM delivered WHERE outlet = ?", (outlet,)
            ).fetchone()
        return int(row[0])

    def lock_outlet(self, outlet: str, holder: str) -> FileLock:
        """A file lock beside the database (``crawler.store.locks``)."""
        lock = FileLock(self.path.parent / LOCK_DIRECTORY, outlet, holder)
        self.locks.append(lock)
        return lock

    def close(self) -> None:
        self.connection.close()
        for lock in self.locks:
            lock.release()
        self.locks.clear()

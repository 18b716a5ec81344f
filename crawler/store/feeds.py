"""Feed storages that report whether they stored, and local files that appear only when complete.

Exactly-once delivery commits an article only after the feed holding it was stored, and a
cluster member whose lease ran out stores nothing (``crawler.store.fence.LeaseFence``). Scrapy
logs and counts a failed ``store()`` but does not tell signal handlers which feed failed
(``feed_slot_closed`` fires either way, and feeds close concurrently, so diffing the
``feedexport/failed_count`` stats would be racy). These storages remember the outcome on
themselves (``stored``: None before ``store()``, then True or False), where the delivery
extension reads it from ``slot.storage``.

The classes keep Scrapy's names so the ``feedexport/*_count/<class>`` stats keep theirs;
``FEED_STORAGES`` in ``crawler.settings`` maps every scheme to them.

Local files are written to a hidden ``.<name>.<pid>.part`` file beside the target and
linked into place when stored, so a run killed mid-way leaves no file that looks
delivered; only the ``.part`` file remains, and the next run delivers those articles again.
A stored file is never written over unless the feed asks for it (``overwrite``, ``-O``): a
target that another run created meanwhile (or, when appending with ``-o``, changed meanwhile)
is a ``FeedCollision``, the feed counts as not stored, and its articles come again next run.
Every feed of a run shares one ``%(time)s`` and one random ``%(run_id)s``, so two runs started
in the same second (two ``generic`` outlets from one cron minute) never pick the same name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions import feedexport
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.store.fence import check_fence

if TYPE_CHECKING:
    _StorageBase = feedexport.FileFeedStorage
else:
    _StorageBase = object

PARTIAL_SUFFIX = ".part"


class FeedCollision(OSError):
    """A feed's target was created or changed by someone else while this run wrote it."""


class RecordsStoreOutcome(_StorageBase):
    """Mixin for any feed storage: sets ``self.stored`` when ``store()`` succeeds or fails."""

    stored: bool | None = None
    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: Any = None) -> Any:
        parent = getattr(super(), "from_crawler", None)
        if parent is not None:
            storage = parent(crawler, uri, feed_options=feed_options)
        else:
            storage = cls(uri, feed_options=feed_options)
        storage.crawler = crawler
        return storage

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        try:
            check_fence(self.crawler)
            result = super().store(file)
        except BaseException:
            self.stored = False
            raise
        if result is None:
            self.stored = True
            return None
        return result.addCallbacks(self._succeeded, self._failed)

    def _succeeded(self, result: Any) -> Any:
        self.stored = True
        return result

    def _failed(self, failure: Failure) -> Failure:
        self.stored = False
        return failure


class AtomicFileFeedStorage(feedexport.FileFeedStorage):
    """A local file feed that appears in place, complete and synced, when stored."""

    partial_path: Path | None = None
    #: (inode, size, mtime) of the file an appending feed started from; None: no such file.
    appended_to: tuple[int, int, int] | None = None

    def open(self, spider: Spider) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.partial_path = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
        file = self.partial_path.open("wb")
        if self.write_mode == "ab" and target.exists():
            # Appending (``-o``) must keep what the file held; copy it so the rename stays atomic.
            with target.open("rb") as existing:
                self.appended_to = _identity(os.fstat(existing.fileno()))
                shutil.copyfileobj(existing, file)
        return file

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if self.partial_path is None:
            raise RuntimeError(f"feed {self.path} was stored without being opened")
        if self.write_mode == "wb":
            os.replace(self.partial_path, self.path)
        elif self.appended_to is not None:
            self._replace_unchanged()
        else:
            self._place_new()
        _sync_directory(Path(self.path).parent)
        return None

    def _place_new(self) -> None:
        """Link the finished file in under its name, failing if the name is taken."""
        assert self.partial_path is not None
        try:
            os.link(self.partial_path, self.path)
        except FileExistsError:
            raise FeedCollision(
                f"{self.path} already exists (another run stored it meanwhile); "
                f"this run's file stays at {self.partial_path}"
            ) from None
        os.unlink(self.partial_path)

    def _replace_unchanged(self) -> None:
        """Put the appended copy in place, unless another writer changed the original."""
        assert self.partial_path is not None
        try:
            now = _identity(os.stat(self.path))
        except FileNotFoundError:
            now = None
        if now != self.appended_to:
            raise FeedCollision(
                f"{self.path} changed while this run appended to it; "
                f"this run's file stays at {self.partial_path}"
            )
        os.replace(self.partial_path, self.path)


def _identity(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_ino, status.st_size, status.st_mtime_ns


def _sync_directory(directory: Path) -> None:
    """Make a rename durable (POSIX); platforms that cannot open directories skip it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class FileFeedStorage(RecordsStoreOutcome, AtomicFileFeedStorage):
    """Local files (no scheme or ``file://``)."""


class S3FeedStorage(RecordsStoreOutcome, feedexport.S3FeedStorage):
    """``s3://bucket/key``; any S3-compatible store through ``AWS_ENDPOINT_URL``."""


class GCSFeedStorage(RecordsStoreOutcome, feedexport.GCSFeedStorage):
    """``gs://bucket/key``."""


class FTPFeedStorage(RecordsStoreOutcome, feedexport.FTPFeedStorage):
    """``ftp://`` and ``ftps://``."""


class StdoutFeedStorage(RecordsStoreOutcome, feedexport.StdoutFeedStorage):
    """``stdout:``."""


#: ``FEED_STORAGES`` value: every scheme Scrapy knows, through the classes above.
FEED_STORAGES = {
    "": f"{__name__}.FileFeedStorage",
    "file": f"{__name__}.FileFeedStorage",
    "s3": f"{__name__}.S3FeedStorage",
    "gs": f"{__name__}.GCSFeedStorage",
    "ftp": f"{__name__}.FTPFeedStorage",
    "ftps": f"{__name__}.FTPFeedStorage",
    "stdout": f"{__name__}.StdoutFeedStorage",
}

_RUN_TIMES: WeakKeyDictionary[Spider, str] = WeakKeyDictionary()
_RUN_IDS: WeakKeyDictionary[Spider, str] = WeakKeyDictionary()


def run_id(spider: Spider) -> str:
    """This run's id: 8 random hex digits, the same for every feed and log line of the run."""
    return _RUN_IDS.setdefault(spider, secrets.token_hex(4))


def one_time_per_run(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: every feed of a run gets the same ``%(time)s`` and ``%(run_id)s``.

    Scrapy computes the time per feed, so a run's ``.jsonl`` and ``.txt`` could straddle a
    second and get different names; users pair them by name. The time alone is not unique:
    cron starts several runs in the same second.
    """
    params["time"] = _RUN_TIMES.setdefault(spider, params["time"])
    params["run_id"] = run_id(spider)
    return params

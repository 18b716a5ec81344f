"""Feed storages that report whether they stored, and local files that appear only when complete.

Exactly-once delivery commits an article only after the feed holding it was stored. Scrapy
logs and counts a failed ``store()`` but does not tell signal handlers which feed failed
(``feed_slot_closed`` fires either way, and feeds close concurrently, so diffing the
``feedexport/failed_count`` stats would be racy). These storages remember the outcome on
themselves (``stored``: None before ``store()``, then True or False), where the delivery
extension reads it from ``slot.storage``.

The classes keep Scrapy's names so the ``feedexport/*_count/<class>`` stats keep theirs;
``FEED_STORAGES`` in ``crawler.settings`` maps every scheme to them.

Local files are written to a hidden ``.<name>.<pid>.part`` file beside the target and
renamed into place when stored, so a run killed mid-way leaves no file that looks
delivered; only the ``.part`` file remains, and the next run delivers those articles again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import Spider
from scrapy.extensions import feedexport
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

if TYPE_CHECKING:
    _StorageBase = feedexport.FileFeedStorage
else:
    _StorageBase = object

PARTIAL_SUFFIX = ".part"


class RecordsStoreOutcome(_StorageBase):
    """Mixin for any feed storage: sets ``self.stored`` when ``store()`` succeeds or fails."""

    stored: bool | None = None

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        try:
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
    """A local file feed that is renamed into place, complete and synced, when stored."""

    partial_path: Path | None = None

    def open(self, spider: Spider) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.partial_path = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
        file = self.partial_path.open("wb")
        if self.write_mode == "ab" and target.exists():
            # Appending (``-o``) must keep what the file held; copy it so the rename stays atomic.
            with target.open("rb") as existing:
                shutil.copyfileobj(existing, file)
        return file

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if self.partial_path is None:
            raise RuntimeError(f"feed {self.path} was stored without being opened")
        os.replace(self.partial_path, self.path)
        _sync_directory(Path(self.path).parent)
        return None


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


def one_time_per_run(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: every feed of a run gets the same ``%(time)s``.

    Scrapy computes the time per feed, so a run's ``.jsonl`` and ``.txt`` could straddle a
    second and get different names; users pair them by name.
    """
    params["time"] = _RUN_TIMES.setdefault(spider, params["time"])
    return params

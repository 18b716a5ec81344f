"""The delivered-store: what earlier runs delivered, and when each outlet last ran well.

Successive crawls see the same articles again; users should get each one once. The store
remembers every article whose feed was stored (by URL hash) and every finished run, so
that a run requests only new articles and starts its date window where the last good run
of the same outlet began.

One small interface, ``DeliveredStore``, so that backends plug in through the
``CRAWLER_DELIVERED_STORE`` setting: the embedded default is
``crawler.store.sqlite.SqliteDeliveredStore``; a shared one (Redis) for several machines
implements the same six methods. Every part of a crawl (spider, pipeline, delivery
extension) reaches the one instance of a crawler through ``delivered_store(crawler)``.

Outlets are named by their outlet key (``NewsSpider.outlet_key``: the spider name, or for the
generic spider its outlet name or site), so each outlet has its own runs and lock.

Lifecycle: ``lock_outlet`` before the run starts (``crawler.store.locks``: a second run of the
outlet on the same store is refused); ``seen`` before requesting and again before exporting;
``mark_delivered`` only after the feed holding the item was stored (see
``crawler.extensions.delivery``); ``record_run`` once at the end of a run; then ``close``,
which also releases the lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from scrapy.crawler import Crawler
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.store.locks import NoLock, OutletLock, OutletLocked

#: Import path used when ``CRAWLER_DELIVERED_STORE`` is not set (e.g. outside the project).
DEFAULT_DELIVERED_STORE = "crawler.store.NullDeliveredStore"

#: Crawler attribute holding the crawler's store once built.
CRAWLER_ATTRIBUTE = "delivered_store"


class DeliveredStore(Protocol):
    """What a delivered-store backend provides; built via ``from_crawler`` or without arguments.

    Times are timezone-aware datetimes. Hashes are the SHA-1 hex strings of
    ``crawler.utils.urls.url_hash``.
    """

    def seen(self, url_hash: str) -> bool:
        """Whether an earlier run delivered the article with this hash."""
        ...

    def mark_delivered(
        self, hashes: Iterable[tuple[str, str]], *, first_seen: datetime | None = None
    ) -> None:
        """Record ``(url_hash, outlet)`` pairs as delivered now, atomically.

        ``first_seen`` (default: now) is kept from the first delivery when a hash is
        delivered again (``-a refresh=true``); ``delivered_at`` is updated.
        """
        ...

    def last_successful_run(self, outlet: str) -> datetime | None:
        """Start time of the outlet's latest successful run, None before the first one."""
        ...

    def record_run(self, outlet: str, started: datetime, finished: datetime, success: bool) -> None:
        """Remember a run of an outlet and whether it delivered everything it found."""
        ...

    def lock_outlet(self, outlet: str, holder: str) -> OutletLock:
        """Take the outlet's run lock until ``close``; ``OutletLocked`` when another run has it.

        ``holder`` (pid, host, run id, start) is shown to a run that finds the lock taken.
        """
        ...

    def close(self) -> None:
        """Flush and release the backend, and the locks taken from it."""
        ...


class NullDeliveredStore:
    """Remembers nothing: every run delivers everything it finds in the default window."""

    def seen(self, url_hash: str) -> bool:
        return False

    def mark_delivered(
        self, hashes: Iterable[tuple[str, str]], *, first_seen: datetime | None = None
    ) -> None:
        return None

    def last_successful_run(self, outlet: str) -> datetime | None:
        return None

    def record_run(self, outlet: str, started: datetime, finished: datetime, success: bool) -> None:
        return None

    def lock_outlet(self, outlet: str, holder: str) -> OutletLock:
        return NoLock()

    def close(self) -> None:
        return None


def delivered_store(crawler: Crawler) -> DeliveredStore:
    """The crawler's one store, built from ``CRAWLER_DELIVERED_STORE`` on first use.

    The spider needs it in ``from_crawler`` (for its date window), before extensions and
    pipelines exist, so whoever asks first builds it and the others share it. That is also
    before Scrapy applies add-ons: the spider applies the cluster profile
    (``crawler.cluster.profile``) before it asks.
    """
    store = getattr(crawler, CRAWLER_ATTRIBUTE, None)
    if store is None:
        store_class = load_object(
            crawler.settings.get("CRAWLER_DELIVERED_STORE") or DEFAULT_DELIVERED_STORE
        )
        store = build_from_crawler(store_class, crawler)
        setattr(crawler, CRAWLER_ATTRIBUTE, store)
    return store


__all__ = [
    "CRAWLER_ATTRIBUTE",
    "DEFAULT_DELIVERED_STORE",
    "DeliveredStore",
    "NullDeliveredStore",
    "OutletLock",
    "OutletLocked",
    "delivered_store",
]

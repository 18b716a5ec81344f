"""The shared article frontier of a cluster: scrapy-redis's scheduler with leases.

Switched on by ``crawler.cluster.profile.ClusterAddon``. Which requests are shared: article requests
(``NewsSpider.article_request``: they carry the discovery meta key and are filtered).
Everything else stays in the process that made it, in a local heap: discovery (robots.txt,
sitemaps, feeds, listings; each process gathers its own candidates in memory and requests them
when idle), retries, and the further pages of a paged story (their state lives in this
process). The shared queue therefore holds only requests any process can finish alone. Article
requests are equal in every process (the candidate's canonical URL), so their fingerprints
are too, and the shared duplicate filter lets one process request each article.

Why leases instead of scrapy-redis's plain fingerprint set: a fingerprint in that set is never
requested again, so the articles a killed process had taken but not delivered (its feeds are
stored only when it ends) would be lost for good. Here a fingerprint has an owner: ``queued``
while its request waits in the shared queue, then the process that popped it (pop and claim
are one Lua script, so a kill cannot separate them). It counts as seen while its owner is
``queued`` or alive; a process proves it is alive with a key that expires after
``CRAWLER_CLUSTER_LEASE_SECONDS`` unless renewed (every third of that). A killed process's
articles become requestable once its key expired; the delivered-store keeps delivered ones
from being requested again. A process ending normally drops its key only after its feeds were
stored and recorded.

Articles that come out of discovery itself (WordPress REST posts, sent as local ``data:``
requests) are made by every process; ``crawler.pipelines.claim`` lets the first live process to
claim an article's URL hash export it, with the same kind of lease.

Redis failing, or losing its data (a restart without persistence: the epoch token of
``crawler.store.redis`` changed), stops the spider with the finish reason
``cluster_redis_lost`` (exit status 4) instead of crawling on against an empty frontier.

A lease that ran out is never renewed: a process stalled longer than its lease (paused,
starved of CPU) may find its articles taken by another. Its key holds its owner name, the
fencing token (``crawler.store.fence.LeaseFence``) checked before each item is exported
(``crawler.pipelines.claim``: ``crawler/dropped/lease_lost``), before each feed is stored and in the
script that records the delivery; the stalled process stops with the finish reason
``cluster_lease_lost`` and delivers nothing, and the next run delivers what it had taken.

scrapy-redis 0.9.1 with Scrapy 2.19: its scheduler has the methods Scrapy's engine calls
(``from_crawler``, ``open(spider)``, ``close(reason)``, ``enqueue_request``, ``next_request``,
``has_pending_requests``) and works unchanged; the subclasses here add only the local heap,
the leases and the failure handling.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import logging
import os
import socket
import threading
import uuid
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis import defaults
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from w3lib.url import canonicalize_url

from crawler.store.fence import FENCE_ATTRIBUTE, LeaseFence
from crawler.store.redis import EPOCH_KEY, EpochChanged, key_prefix, read_epoch
from crawler.utils.request_meta import DISCOVERED_META, PAGED_META

logger = logging.getLogger(__name__)

#: Finish reason of a spider stopped because Redis failed or lost its data.
REDIS_LOST_REASON = "cluster_redis_lost"
REDIS_LOST_STAT = "crawler/cluster/redis_lost"
#: Finish reason of a spider whose lease ran out (it was stalled): it delivers nothing.
LEASE_LOST_REASON = "cluster_lease_lost"
LEASE_LOST_STAT = "crawler/cluster/lease_lost"
SHARED_STAT = "crawler/cluster/shared_requests"
TAKEN_STAT = "crawler/cluster/taken_requests"
#: The spider's count of article requests ("new" in the summary; the outcome's error ratio).
#: In a cluster it counts the articles this process took from the shared queue, not those it
#: offered: an article another process fetches is not this process's to parse or to fail.
ARTICLES_REQUESTED = "crawler/articles_requested"
#: Length of a hex SHA-1 fingerprint, which starts every entry of the shared queue.
FINGERPRINT_LENGTH = 40
DEFAULT_LEASE_SECONDS = 60.0

# KEYS: owners hash, epoch key. ARGV: fingerprint, this process, alive-key prefix, epoch.
# Returns 1 when the fingerprint is held, 0 after marking it queued, -1 when Redis lost data.
SEEN_SCRIPT = """
if redis.call('GET', KEYS[2]) ~= ARGV[4] then return -1 end
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if owner and (owner == 'queued' or owner == ARGV[2]
              or redis.call('EXISTS', ARGV[3] .. owner) == 1) then
    return 1
end
redis.call('HSET', KEYS[1], ARGV[1], 'queued')
return 0
"""

# KEYS: alive key. ARGV: this process, milliseconds. Extends a lease still held, else 0.
RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class LeaseLost(RuntimeError):
    """This process's lease ran out: other processes may have taken its articles."""


# KEYS: queue, owners hash, epoch key. ARGV: this process, epoch, fingerprint length.
TAKE_SCRIPT = """
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return redis.error_reply('EPOCH') end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return false end
redis.call('ZREM', KEYS[1], first[1])
redis.call('HSET', KEYS[2], string.sub(first[1], 1, tonumber(ARGV[3])), ARGV[1])
return first[1]
"""


def shared_fingerprint(request: Request) -> str:
    """SHA-1 of method, canonical URL and body: equal in every process for the same article."""
    digest = hashlib.sha1(request.method.encode())
    digest.update(b"\n" + canonicalize_url(request.url).encode() + b"\n")
    digest.update(request.body or b"")
    return digest.hexdigest()


def is_shared(request: Request) -> bool:
    """Whether a request goes to the shared frontier (see the module docstring)."""
    meta = request.meta
    return not request.dont_filter and DISCOVERED_META in meta and PAGED_META not in meta


def process_name() -> str:
    """Unique per process and run, readable in Redis: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter with owners and expiring leases instead of a plain set."""

    def __init__(self, server: Any, key: str, debug: bool = False, **options: Any) -> None:
        super().__init__(server, key, debug)
        self.owner = options.get("owner") or process_name()
        self.prefix = options.get("prefix") or "crawler"
        self.epoch = options.get("epoch") or read_epoch(server, self.prefix)
        self.seen_script = server.register_script(SEEN_SCRIPT)
        self.renew_script = server.register_script(RENEW_SCRIPT)

    @classmethod
    def from_spider(cls, spider: Spider) -> LeaseDupeFilter:
        settings = spider.settings
        key = settings.get("SCHEDULER_DUPEFILTER_KEY", defaults.SCHEDULER_DUPEFILTER_KEY)
        return cls(
            get_redis_from_settings(settings),
            key % {"spider": spider.name},
            settings.getbool("DUPEFILTER_DEBUG"),
            prefix=key_prefix(settings),
        )

    @property
    def alive_prefix(self) -> str:
        return f"{self.prefix}:alive:"

    def request_fingerprint(self, request: Request) -> str:
        return shared_fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        answer = self.seen_script(
            keys=[self.key, f"{self.prefix}:{EPOCH_KEY}"],
            args=[self.request_fingerprint(request), self.owner, self.alive_prefix, self.epoch],
        )
        if answer == -1:
            raise EpochChanged("Redis lost the frontier (restarted without its data?)")
        return bool(answer)

    @property
    def alive_key(self) -> str:
        return self.alive_prefix + self.owner

    def acquire(self, lease_seconds: float) -> LeaseFence:
        """Start this process's lease: its key holds the owner name, its fencing token."""
        self.server.set(self.alive_key, self.owner, px=int(lease_seconds * 1000))
        return LeaseFence(self.server, self.alive_key, self.owner)

    def renew(self, lease_seconds: float) -> None:
        """Prove this process alive for another lease; fail when Redis is not the one opened.

        Only a lease still held is extended: one that ran out is never recreated, since
        other processes may have taken its articles meanwhile (``LeaseLost``).
        """
        if read_epoch(self.server, self.prefix, create=False) != self.epoch:
            raise EpochChanged("Redis lost its data (restarted without persistence?)")
        renewed = self.renew_script(
            keys=[self.alive_key], args=[self.owner, int(lease_seconds * 1000)]
        )
        if not renewed:
            raise LeaseLost(
                f"the lease {self.alive_key} ran out before it was renewed (process stalled?)"
            )

    def release(self) -> None:
        """Give up every lease now (after a normal end, once its feeds were recorded)."""
        self.server.delete(self.alive_key)

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: the frontier outlives one process (``SCHEDULER_PERSIST``)."""


class ClaimingPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose entries start with the request's fingerprint."""

    def _encode_request(self, request: Request) -> bytes:
        return shared_fingerprint(request).encode() + super()._encode_request(request)

    def _decode_request(self, encoded_request: bytes) -> Request:
        return super()._decode_request(encoded_request[FINGERPRINT_LENGTH:])

    def take(self, owners_key: str, epoch_key: str, owner: str, epoch: str) -> Request | None:
        """Pop the highest-priority request and become its fingerprint's owner, atomically."""
        script = self.server.register_script(TAKE_SCRIPT)
        try:
            data = script(
                keys=[self.key, owners_key, epoch_key], args=[owner, epoch, FINGERPRINT_LENGTH]
            )
        except Exception as error:
            if "EPOCH" in str(error):
                raise EpochChanged(
                    "Redis lost the frontier (restarted without its data?)"
                ) from error
            raise
        return self._decode_request(data) if data else None


class ClusterScheduler(Scheduler):
    """scrapy-redis's scheduler for article requests, a local heap for everything else."""

    def __init__(self, server: Any, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self.crawler: Crawler | None = None
        self.local: list[tuple[int, int, Request]] = []
        self.local_seen: set[str] = set()
        self.order = itertools.count()
        self.lease_seconds = DEFAULT_LEASE_SECONDS
        self.heartbeat: threading.Thread | None = None
        self.stopped = threading.Event()
        self.lost = False
        #: The lease ran out: nothing of this process may be exported any more.
        self.fenced = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.lease_seconds = crawler.settings.getfloat(
            "CRAWLER_CLUSTER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS
        )
        crawler.signals.connect(scheduler.engine_stopped, signal=signals.engine_stopped)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        fence = self.df.acquire(self.lease_seconds)
        if self.crawler is not None:
            setattr(self.crawler, FENCE_ATTRIBUTE, fence)
        # A thread, not a timer of the event loop: a callback holding the loop for longer
        # than the lease (a huge sitemap) must not cost this live process its articles.
        self.heartbeat = threading.Thread(target=self.keep_alive, name="cluster-lease", daemon=True)
        self.heartbeat.start()

    def keep_alive(self) -> None:
        """Renew the lease every third of it until the crawl ends or the lease is lost."""
        from twisted.internet import reactor

        while not self.stopped.wait(self.lease_seconds / 3):
            try:
                self.df.renew(self.lease_seconds)
            except Exception as error:
                if not self.stopped.is_set():  # not the release at the end of the crawl
                    reactor.callFromThread(self.beat_failed, error)  # type: ignore[attr-defined]
                return

    def beat_failed(self, error: Exception) -> None:
        if isinstance(error, LeaseLost):
            self.fenced = True
            self.stop_crawl(f"Cluster lease lost ({error})", LEASE_LOST_REASON, LEASE_LOST_STAT)
        else:
            self.redis_lost(error)

    def redis_lost(self, error: Exception) -> None:
        """Stop the crawl loudly: without Redis this process can neither share nor record."""
        self.stop_crawl(f"Cluster Redis failed ({error})", REDIS_LOST_REASON, REDIS_LOST_STAT)

    def stop_crawl(self, why: str, reason: str, stat: str) -> None:
        """Stop taking and sharing requests and close the spider with ``reason``."""
        if self.lost:
            return
        self.lost = True
        logger.error("%s: stopping the spider", why)
        if self.stats is not None:
            self.stats.inc_value(stat)
        self.stopped.set()
        if self.crawler is not None and self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def engine_stopped(self) -> None:
        """Release the leases only now: the delivery extension recorded the feeds before."""
        self.stopped.set()
        if self.lost:
            return
        try:
            self.df.release()
        except Exception as error:
            logger.warning(
                "Could not release the cluster leases (%s); they expire by themselves", error
            )

    def __len__(self) -> int:
        return len(self.local) + len(self.queue)

    def has_pending_requests(self) -> bool:
        if self.local:
            return True
        if self.lost:
            return False
        try:
            return len(self.queue) > 0
        except Exception as error:
            self.redis_lost(error)
            return False

    def enqueue_request(self, request: Request) -> bool:
        if not is_shared(request):
            return self.enqueue_local(request)
        if self.lost:
            return False
        if self.stats is not None:
            self.stats.inc_value(ARTICLES_REQUESTED, -1)  # counted again by whoever takes it
        try:
            if self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except Exception as error:
            self.redis_lost(error)
            return False
        if self.stats is not None:
            self.stats.inc_value(SHARED_STAT)
        return True

    def enqueue_local(self, request: Request) -> bool:
        fingerprint = shared_fingerprint(request)
        if not request.dont_filter and fingerprint in self.local_seen:
            return False
        self.local_seen.add(fingerprint)
        heapq.heappush(self.local, (-request.priority, next(self.order), request))
        return True

    def next_request(self) -> Request | None:
        if self.local:
            return heapq.heappop(self.local)[2]
        if self.lost:
            return None
        try:
            request = self.queue.take(
                self.df.key, f"{self.df.prefix}:{EPOCH_KEY}", self.df.owner, self.df.epoch
            )
        except Exception as error:
            self.redis_lost(error)
            return None
        if request is not None and self.stats is not None:
            self.stats.inc_value(TAKEN_STAT)
            self.stats.inc_value(ARTICLES_REQUESTED)
        return request

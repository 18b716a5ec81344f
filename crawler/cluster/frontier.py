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
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis import defaults
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.cluster.expiry import DEFAULT_KEEP_SECONDS, sweep_dead_entries
from crawler.cluster.sources import DEFAULT_RUN_SECONDS, SourceClaims, run_scope
from crawler.store.fence import FENCE_ATTRIBUTE, LeaseFence
from crawler.store.redis import EPOCH_KEY, EpochChanged, key_prefix, read_epoch
from crawler.utils.request_meta import DISCOVERED_META, DISCOVERY_META, PAGED_META

logger = logging.getLogger(__name__)

#: Finish reason of a spider stopped because Redis failed or lost its data.
REDIS_LOST_REASON = "cluster_redis_lost"
REDIS_LOST_STAT = "crawler/cluster/redis_lost"
#: Finish reason of a spider whose lease ran out (it was stalled): it delivers nothing.
LEASE_LOST_REASON = "cluster_lease_lost"
LEASE_LOST_STAT = "crawler/cluster/lease_lost"
SHARED_STAT = "crawler/cluster/shared_requests"
#: Discovery sources another member of the cluster run fetched (``crawler.cluster.sources``).
SOURCES_SKIPPED_STAT = "crawler/cluster/sources_skipped"
#: Fingerprints and claims of dead owners removed when a member opened.
SWEPT_STAT = "crawler/cluster/swept_entries"
#: Seconds between two looks at the shared queue by a member waiting for the cluster.
DEFAULT_POLL_SECONDS = 0.2
TAKEN_STAT = "crawler/cluster/taken_requests"
#: The spider's count of article requests ("new" in the summary; the outcome's error ratio).
#: In a cluster it counts the articles this process took from the shared queue, not those it
#: offered: an article another process fetches is not this process's to parse or to fail.
ARTICLES_REQUESTED = "crawler/articles_requested"
#: Length of a hex SHA-1 fingerprint, which starts every entry of the shared queue.
FINGERPRINT_LENGTH = 40
DEFAULT_LEASE_SECONDS = 60.0

#: Whether a fingerprint is held (queued, or owned by a live process); Lua shared by the scripts
#: below. KEYS[1] owners hash; ARGV[1] fingerprint, ARGV[2] this process, ARGV[3] alive prefix.
HELD = """
local owner = redis.call('HGET', KEYS[1], ARGV[1])
local held = owner and (owner == 'queued' or owner == ARGV[2]
                        or redis.call('EXISTS', ARGV[3] .. owner) == 1)
"""

# KEYS: owners hash, epoch key. ARGV: fingerprint, this process, alive-key prefix, epoch,
# keep ms. Returns 1 when the fingerprint is held, 0 after marking it queued, -1 when Redis
# lost data.
SEEN_SCRIPT = (
    """
if redis.call('GET', KEYS[2]) ~= ARGV[4] then return -1 end
"""
    + HELD
    + """
if held then return 1 end
redis.call('HSET', KEYS[1], ARGV[1], 'queued')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
"""
)

# KEYS: owners hash, epoch key, queue. ARGV: fingerprint, this process, alive-key prefix,
# epoch, keep ms, encoded request, score. ``SEEN_SCRIPT`` and the push in one step, so that a
# ``queued`` fingerprint is always in the queue (``crawler.cluster.expiry`` relies on it).
OFFER_SCRIPT = (
    """
if redis.call('GET', KEYS[2]) ~= ARGV[4] then return -1 end
"""
    + HELD
    + """
if held then return 1 end
redis.call('HSET', KEYS[1], ARGV[1], 'queued')
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return 0
"""
)

# KEYS: alive key. ARGV: this process, milliseconds. Extends a lease still held, else 0.
RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class LeaseLost(RuntimeError):
    """This process's lease ran out: other processes may have taken its articles."""


# KEYS: queue, owners hash, epoch key. ARGV: this process, epoch, fingerprint length, keep ms.
TAKE_SCRIPT = """
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return redis.error_reply('EPOCH') end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return false end
redis.call('ZREM', KEYS[1], first[1])
redis.call('HSET', KEYS[2], string.sub(first[1], 1, tonumber(ARGV[3])), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
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
        self.keep_ms = int(options.get("keep_seconds", DEFAULT_KEEP_SECONDS) * 1000)
        self.seen_script = server.register_script(SEEN_SCRIPT)
        self.offer_script = server.register_script(OFFER_SCRIPT)
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
            keep_seconds=settings.getfloat("CRAWLER_CLUSTER_KEEP_SECONDS", DEFAULT_KEEP_SECONDS),
        )

    @property
    def alive_prefix(self) -> str:
        return f"{self.prefix}:alive:"

    def request_fingerprint(self, request: Request) -> str:
        return shared_fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        answer = self.seen_script(
            keys=[self.key, f"{self.prefix}:{EPOCH_KEY}"],
            args=[
                self.request_fingerprint(request),
                self.owner,
                self.alive_prefix,
                self.epoch,
                self.keep_ms,
            ],
        )
        if answer == -1:
            raise EpochChanged("Redis lost the frontier (restarted without its data?)")
        return bool(answer)

    def offer(self, request: Request, queue: ClaimingPriorityQueue) -> bool:
        """Queue ``request`` unless its fingerprint is held; whether it was queued."""
        answer = self.offer_script(
            keys=[self.key, f"{self.prefix}:{EPOCH_KEY}", queue.key],
            args=[
                self.request_fingerprint(request),
                self.owner,
                self.alive_prefix,
                self.epoch,
                self.keep_ms,
                queue._encode_request(request),
                -request.priority,
            ],
        )
        if answer == -1:
            raise EpochChanged("Redis lost the frontier (restarted without its data?)")
        return answer == 0

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

    def take(
        self,
        owners_key: str,
        epoch_key: str,
        owner: str,
        epoch: str,
        keep_ms: int = int(DEFAULT_KEEP_SECONDS * 1000),
    ) -> Request | None:
        """Pop the highest-priority request and become its fingerprint's owner, atomically."""
        script = self.server.register_script(TAKE_SCRIPT)
        try:
            data = script(
                keys=[self.key, owners_key, epoch_key],
                args=[owner, epoch, FINGERPRINT_LENGTH, keep_ms],
            )
        except Exception as error:
            if "EPOCH" in str(error):
                raise EpochChanged(
                    "Redis lost the frontier (restarted without its data?)"
                ) from error
            raise
        return self._decode_request(data) if data else None


class ClusterScheduler(Scheduler):
    """scrapy-redis's scheduler for article requests, a local heap for everything else.

    Discovery requests are claimed for the cluster run first (``crawler.cluster.sources``);
    a member with nothing left to do waits while the cluster is busy (requests queued, or
    another member discovering). While nothing downloads it looks at the shared queue every
    ``CRAWLER_CLUSTER_POLL_SECONDS``.
    """

    def __init__(self, server: Any, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self.crawler: Crawler | None = None
        self.local: list[tuple[int, int, Request]] = []
        self.local_seen: set[str] = set()
        self.order = itertools.count()
        self.lease_seconds = DEFAULT_LEASE_SECONDS
        self.run_seconds = DEFAULT_RUN_SECONDS
        self.poll_seconds = DEFAULT_POLL_SECONDS
        self.heartbeat: threading.Thread | None = None
        self.stopped = threading.Event()
        self.lost = False
        #: The lease ran out: nothing of this process may be exported any more.
        self.fenced = False
        self.sources: SourceClaims | None = None
        #: Discovery requests another live member had claimed, tried again once it is gone.
        self.skipped_sources: dict[str, Request] = {}
        #: Requests taken from the shared queue while waiting, handed to the engine as local.
        self.handed: set[Request] = set()
        self.watch: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        settings = crawler.settings
        scheduler.lease_seconds = settings.getfloat(
            "CRAWLER_CLUSTER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS
        )
        scheduler.run_seconds = settings.getfloat(
            "CRAWLER_CLUSTER_RUN_SECONDS", DEFAULT_RUN_SECONDS
        )
        scheduler.poll_seconds = settings.getfloat(
            "CRAWLER_CLUSTER_POLL_SECONDS", DEFAULT_POLL_SECONDS
        )
        crawler.signals.connect(scheduler.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        fence = self.df.acquire(self.lease_seconds)
        if self.crawler is not None:
            setattr(self.crawler, FENCE_ATTRIBUTE, fence)
        self.sources = SourceClaims(
            self.server,
            prefix=self.df.prefix,
            scope=run_scope(spider),
            owner=self.df.owner,
            epoch=self.df.epoch,
            run_seconds=self.run_seconds,
            keep_seconds=self.df.keep_ms / 1000,
        )
        self.sweep()
        self.start_watching()
        # A thread, not a timer of the event loop: a callback holding the loop for longer
        # than the lease (a huge sitemap) must not cost this live process its articles.
        self.heartbeat = threading.Thread(target=self.keep_alive, name="cluster-lease", daemon=True)
        self.heartbeat.start()

    def sweep(self) -> None:
        """Remove the fingerprints and claims of dead owners (``crawler.cluster.expiry``)."""
        alive = self.df.alive_prefix
        removed = sweep_dead_entries(self.server, self.df.key, alive, self.queue.key)
        removed += sweep_dead_entries(self.server, f"{self.df.prefix}:claims", alive)
        if removed and self.stats is not None:
            self.stats.inc_value(SWEPT_STAT, removed)

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
        if request in self.handed:
            self.handed.discard(request)
            heapq.heappush(self.local, (-request.priority, next(self.order), request))
            return True
        if not is_shared(request):
            return self.enqueue_local(request)
        if self.lost:
            return False
        if self.stats is not None:
            self.stats.inc_value(ARTICLES_REQUESTED, -1)  # counted again by whoever takes it
        try:
            if not self.df.offer(request, self.queue):
                self.df.log(request, self.spider)
                return False
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
        if DISCOVERY_META in request.meta and not self.claim_source(fingerprint, request):
            return False
        self.local_seen.add(fingerprint)
        heapq.heappush(self.local, (-request.priority, next(self.order), request))
        return True

    def claim_source(self, fingerprint: str, request: Request) -> bool:
        """Whether this member fetches the discovery source (see ``crawler.cluster.sources``)."""
        if self.sources is None or self.lost:
            return not self.lost
        try:
            claimed = self.sources.claim(fingerprint)
        except Exception as error:
            self.redis_lost(error)
            return False
        if claimed is None:
            self.redis_lost(EpochChanged("Redis lost the frontier (restarted without its data?)"))
            return False
        if claimed:
            self.skipped_sources.pop(fingerprint, None)
            return True
        if fingerprint not in self.skipped_sources and self.stats is not None:
            self.stats.inc_value(SOURCES_SKIPPED_STAT)
            logger.debug("Source fetched by another cluster member: %s", request.url)
        self.skipped_sources[fingerprint] = request
        return False

    def next_request(self) -> Request | None:
        if self.local:
            return heapq.heappop(self.local)[2]
        if self.lost:
            return None
        return self.take_shared()

    def take_shared(self) -> Request | None:
        """The next request of the shared queue, now owned by this process."""
        try:
            request = self.queue.take(
                self.df.key,
                f"{self.df.prefix}:{EPOCH_KEY}",
                self.df.owner,
                self.df.epoch,
                self.df.keep_ms,
            )
        except Exception as error:
            self.redis_lost(error)
            return None
        if request is not None and self.stats is not None:
            self.stats.inc_value(TAKEN_STAT)
            self.stats.inc_value(ARTICLES_REQUESTED)
        return request

    # --- waiting for the cluster -----------------------------------------------------------

    def spider_idle(self) -> None:
        """This member has nothing to do: done discovering; wait while the cluster is busy.

        Runs after the spider's own idle handler: requests that handler made are in the local
        heap (still discovering) or the shared queue (busy) by now.
        """
        if self.lost or self.local or self.sources is None:
            return
        try:
            if self.sources.discovering:
                self.sources.finish()
            busy = self.sources.cluster_busy(self.queue.key)
        except Exception as error:
            self.redis_lost(error)
            return
        if busy:
            self.retry_skipped_sources()
            raise DontCloseSpider

    def retry_skipped_sources(self) -> None:
        """Fetch the skipped sources whose claimer died before it was done with them."""
        engine = self.crawler.engine if self.crawler is not None else None
        for fingerprint, request in list(self.skipped_sources.items()):
            if engine is not None and self.claim_source(fingerprint, request):
                self.local_seen.discard(fingerprint)
                engine.crawl(request)

    def start_watching(self) -> None:
        self.watch = LoopingCall(self.look_again)
        self.watch.start(self.poll_seconds, now=False)

    def close(self, reason: str = "") -> None:
        if self.watch is not None and self.watch.running:
            self.watch.stop()
        super().close(reason)

    def look_again(self) -> None:
        """When nothing is downloading: take a request from the shared queue, else ask whether
        the spider may close now.

        Scrapy's engine asks the scheduler again only after a download or every 5 seconds;
        a member whose work is done would wait that long for the requests another member
        queues, and for the end of the cluster's run.
        """
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None or engine.spider is None or self.lost:
            return
        if self.local or engine.downloader.active:
            return
        request = self.take_shared()
        if request is not None:
            self.handed.add(request)
            engine.crawl(request)
            return
        if not engine.spider_is_idle():
            return
        answers = self.crawler.signals.send_catch_log(
            signals.spider_idle, spider=self.spider, dont_log=DontCloseSpider
        )
        held = any(
            isinstance(answer, Failure) and isinstance(answer.value, DontCloseSpider)
            for _, answer in answers
        )
        if not held and engine.spider_is_idle() and self.watch is not None:
            self.watch.stop()
            deferred_from_coro(engine.close_spider_async(reason="finished"))

"""The shared delivered-store: one Redis for every crawler process of a cluster.

Same contract as ``crawler.store.sqlite`` (see ``crawler.store``): ``mark_delivered`` is one
Lua script, so a batch is recorded all at once or not at all, and it is called only after the
feed holding the articles was stored (``crawler.extensions.delivery``).

A Redis that restarted without its data would silently forget what was delivered and accept
records of a crawl whose frontier it no longer holds. So the first process writes a random
*epoch* token; every process remembers the token it found when it opened, and every write
checks it first: a different or missing token raises ``EpochChanged`` and nothing is recorded.
Production Redis for a cluster runs with persistence (``appendonly yes``). The same script
checks the process's cluster lease (``crawler.store.fence.LeaseFence``): a process whose lease
ran out records nothing (``FencedOut``).

An outlet's run lock (``crawler.store.locks``) is a lease, ``<p>:lock:<outlet>``: set only
when absent, holding the holder's description, renewed every third of
``CRAWLER_CLUSTER_LEASE_SECONDS`` by a thread of its own and deleted by its holder at the end;
a killed holder's lease runs out by itself. (Cluster members sharing the Redis frontier take
no lock: the frontier already gives each article to one of them.)

Keys (prefix ``CRAWLER_REDIS_PREFIX``, default ``crawler``): ``<p>:epoch``;
``<p>:delivered`` (hash url_hash -> ``outlet<TAB>first_seen<TAB>delivered_at``);
``<p>:last_success`` (hash outlet -> start of the latest successful run);
``<p>:runs`` (list of ``outlet<TAB>started<TAB>finished<TAB>0|1``, the latest ``RUNS_KEPT``);
``<p>:lock:<outlet>``. The cluster's frontier keys and their expiry: ``crawler.cluster.expiry``.
Times: UTC ISO text.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.store.fence import FENCE_ATTRIBUTE, FencedOut, LeaseFence
from crawler.store.locks import OutletLocked
from crawler.store.sqlite import from_text, to_text

logger = logging.getLogger(__name__)

EPOCH_KEY = "epoch"
DEFAULT_PREFIX = "crawler"

# KEYS: epoch, delivered, fence (the lease key of a cluster member, else unused). ARGV: epoch,
# first_seen, delivered_at, fence token ('' outside a cluster), then url_hash/outlet pairs.
MARK_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('EPOCH') end
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[4] then
    return redis.error_reply('FENCED')
end
for i = 5, #ARGV, 2 do
    local first_seen = ARGV[2]
    local old = redis.call('HGET', KEYS[2], ARGV[i])
    if old then
        local outlet, kept = string.match(old, '^([^\\t]*)\\t([^\\t]*)\\t')
        if kept then first_seen = kept end
    end
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1] .. '\\t' .. first_seen .. '\\t' .. ARGV[3])
end
return (#ARGV - 4) / 2
"""

# KEYS: epoch, runs, last_success. ARGV: epoch, outlet, started, finished, success (0|1), runs
# kept (the oldest beyond that are trimmed; the window reads only last_success).
RECORD_RUN_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('EPOCH') end
redis.call('RPUSH', KEYS[2], ARGV[2] .. '\\t' .. ARGV[3] .. '\\t' .. ARGV[4] .. '\\t' .. ARGV[5])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
if ARGV[5] == '1' then
    local last = redis.call('HGET', KEYS[3], ARGV[2])
    if not last or last < ARGV[3] then redis.call('HSET', KEYS[3], ARGV[2], ARGV[3]) end
end
return 1
"""


# KEYS: lock. ARGV: holder, milliseconds. Extends the lease only while this holder has it.
RENEW_LOCK_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# KEYS: lock. ARGV: holder. Deletes the lease only while this holder has it.
RELEASE_LOCK_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
DEFAULT_LEASE_SECONDS = 60.0
#: Entries of ``<p>:runs`` kept, the latest, for operators; the window needs only
#: ``<p>:last_success``.
RUNS_KEPT = 70_000


class EpochChanged(RuntimeError):
    """Redis is not the one this process opened (restarted empty, flushed): refuse to go on."""


def key_prefix(settings: BaseSettings) -> str:
    return settings.get("CRAWLER_REDIS_PREFIX") or DEFAULT_PREFIX


def read_epoch(server: Any, prefix: str, *, create: bool = True) -> str | None:
    """The Redis's epoch token; the first process to ask creates it."""
    key = f"{prefix}:{EPOCH_KEY}"
    if create:
        server.set(key, uuid.uuid4().hex, nx=True)
    value = server.get(key)
    return value.decode() if isinstance(value, bytes) else value


class RedisLease:
    """An outlet's run lock in Redis: a key that expires unless its holder renews it."""

    def __init__(self, server: Any, key: str, holder: str, seconds: float) -> None:
        self.server = server
        self.key = key
        self.holder = holder
        self.milliseconds = int(seconds * 1000)
        if not server.set(key, holder, nx=True, px=self.milliseconds):
            held_by = server.get(key)
            text = held_by.decode(errors="replace") if isinstance(held_by, bytes) else held_by
            raise OutletLocked(f"another run holds the Redis lease {key} ({text or 'expiring'})")
        self.renew_script = server.register_script(RENEW_LOCK_SCRIPT)
        self.stopped = threading.Event()
        self.renewer = threading.Thread(target=self.keep_renewing, name=key, daemon=True)
        self.renewer.start()

    def keep_renewing(self) -> None:
        while not self.stopped.wait(self.milliseconds / 3000):
            try:
                renewed = self.renew_script(keys=[self.key], args=[self.holder, self.milliseconds])
            except redis.RedisError as error:
                logger.warning("Could not renew the run lock %s: %s", self.key, error)
                continue
            if not renewed:
                logger.error(
                    "Lost the run lock %s (this process was stalled longer than its lease): "
                    "another run of the outlet may start",
                    self.key,
                )
                return

    def release(self) -> None:
        if self.stopped.is_set():
            return
        self.stopped.set()
        try:
            self.server.register_script(RELEASE_LOCK_SCRIPT)(keys=[self.key], args=[self.holder])
        except redis.RedisError as error:
            logger.warning("Could not release the run lock %s (it expires): %s", self.key, error)


class RedisDeliveredStore:
    """``DeliveredStore`` in a Redis shared by every process of a cluster."""

    def __init__(
        self,
        url: str,
        prefix: str = DEFAULT_PREFIX,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        self.server = redis.Redis.from_url(url)
        self.prefix = prefix
        self.lease_seconds = lease_seconds
        self.epoch = read_epoch(self.server, prefix)
        self.mark_script = self.server.register_script(MARK_SCRIPT)
        self.record_script = self.server.register_script(RECORD_RUN_SCRIPT)
        self.locks: list[RedisLease] = []
        #: The crawl's cluster lease, checked when recording (``crawler.store.fence.LeaseFence``).
        self.fence: Callable[[], LeaseFence | None] = lambda: None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisDeliveredStore:
        settings = crawler.settings
        url = settings.get("REDIS_URL") or settings.get("CRAWLER_REDIS_URL")
        if not url:
            raise ValueError("RedisDeliveredStore needs CRAWLER_REDIS_URL (redis://host:port/db)")
        lease = settings.getfloat("CRAWLER_CLUSTER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        store = cls(url, key_prefix(settings), lease)
        store.fence = lambda: getattr(crawler, FENCE_ATTRIBUTE, None)
        return store

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def run_checked(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            return script(keys=[self.key(EPOCH_KEY), *keys], args=[self.epoch, *args])
        except redis.ResponseError as error:
            if "EPOCH" in str(error):
                raise EpochChanged(
                    "Redis lost its data since this process opened it (restart without "
                    "persistence?): nothing recorded"
                ) from error
            if "FENCED" in str(error):
                raise FencedOut(
                    "this process's cluster lease ran out before it recorded its delivery: "
                    "nothing recorded"
                ) from error
            raise

    def seen(self, url_hash: str) -> bool:
        return bool(self.server.hexists(self.key("delivered"), url_hash))

    def mark_delivered(
        self, hashes: Iterable[tuple[str, str]], *, first_seen: datetime | None = None
    ) -> None:
        now = to_text(datetime.now(UTC))
        seen_at = to_text(first_seen) if first_seen is not None else now
        pairs = [value for url_hash, outlet in hashes for value in (url_hash, outlet)]
        if not pairs:
            return
        fence = self.fence()
        fence_key, token = (fence.key, fence.token) if fence is not None else (self.key("-"), "")
        self.run_checked(
            self.mark_script, [self.key("delivered"), fence_key], [seen_at, now, token, *pairs]
        )

    def last_successful_run(self, outlet: str) -> datetime | None:
        value = self.server.hget(self.key("last_success"), outlet)
        return from_text(value.decode()) if value else None

    def record_run(self, outlet: str, started: datetime, finished: datetime, success: bool) -> None:
        self.run_checked(
            self.record_script,
            [self.key("runs"), self.key("last_success")],
            [outlet, to_text(started), to_text(finished), "1" if success else "0", RUNS_KEPT],
        )

    def delivered_count(self, outlet: str | None = None) -> int:
        """How many hashes are recorded (for one outlet): for operators and tests."""
        if outlet is None:
            return int(self.server.hlen(self.key("delivered")))
        return sum(
            1
            for value in self.server.hvals(self.key("delivered"))
            if value.decode().split("\t", 1)[0] == outlet
        )

    def lock_outlet(self, outlet: str, holder: str) -> RedisLease:
        lease = RedisLease(self.server, self.key(f"lock:{outlet}"), holder, self.lease_seconds)
        self.locks.append(lease)
        return lease

    def close(self) -> None:
        for lease in self.locks:
            lease.release()
        self.locks.clear()
        self.server.close()

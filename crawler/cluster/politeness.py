"""One politeness budget per host for the whole cluster, kept in Redis.

Scrapy's politeness is per download slot (a host) and per process: at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in flight and ``DOWNLOAD_DELAY`` (raised by
AutoThrottle) between two of them. N cluster members would make N times that load on an
outlet. This downloader middleware makes the same two limits hold for all members together:
before a request goes to its slot, the member asks Redis for a grant on the host, which is
given only while fewer than the limit are in flight cluster-wide and the host's last grant
is at least the delay old. The grant is returned when the response (or the failure) comes
back; one not returned (a member killed or stopped mid-request) expires after twice
``DOWNLOAD_TIMEOUT``, by when any download it stood for has timed out. Times are Redis's own
clock (``TIME``), so the members' clocks do not matter.

The local slot still applies its own limits after the grant, so the cluster never goes
beyond one member's configured politeness; one member alone behaves as before, plus two
Redis calls per request. A member waiting for a grant asks again after the time left, or
``CRAWLER_CLUSTER_POLL_SECONDS`` when the host is full; one request per host and process
asks at a time. Redis failing is logged, counted (``crawler/cluster/politeness_unavailable``)
and the request goes on under the local limits only: the scheduler stops the crawl anyway.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawler.store.redis import key_prefix

logger = logging.getLogger(__name__)

#: Request meta key: the grant this request holds, returned with its response.
GRANT_META = "cluster_politeness_grant"
WAITED_STAT = "crawler/cluster/politeness_waits"
UNAVAILABLE_STAT = "crawler/cluster/politeness_unavailable"
#: An unreturned grant expires after this many download timeouts.
GRANT_LIFETIME_TIMEOUTS = 2.0
DEFAULT_POLL_SECONDS = 0.2

# KEYS: host's grants (sorted set, score = expiry ms), host's next allowed start.
# ARGV: grant id, limit, delay ms, grant lifetime ms.
# Returns 0 when granted, else milliseconds to wait (-1: the host is full, ask again later).
GRANT_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return next_start - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if tonumber(ARGV[3]) > 0 then
    redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', ARGV[3])
end
return 0
"""


class ClusterPolitenessMiddleware:
    """Downloader middleware: a cluster-wide grant per host before each request."""

    def __init__(self, crawler: Crawler, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        settings = crawler.settings
        self.prefix = key_prefix(settings)
        self.limit = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.poll_seconds = settings.getfloat("CRAWLER_CLUSTER_POLL_SECONDS", DEFAULT_POLL_SECONDS)
        self.lifetime_ms = int(
            settings.getfloat("DOWNLOAD_TIMEOUT") * GRANT_LIFETIME_TIMEOUTS * 1000
        )
        self.grant_script = server.register_script(GRANT_SCRIPT)
        self.asking: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.unavailable_logged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPolitenessMiddleware:
        import redis

        url = crawler.settings.get("REDIS_URL") or crawler.settings.get("CRAWLER_REDIS_URL")
        return cls(crawler, redis.Redis.from_url(url))

    def host_key(self, host: str) -> str:
        return f"{self.prefix}:polite:{host}"

    def current_delay(self, request: Request) -> float:
        """The host's delay in this process now (AutoThrottle raises it), at least the setting."""
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return self.delay
        slot = downloader.slots.get(downloader.get_slot_key(request))
        return max(self.delay, slot.delay if slot is not None else 0.0)

    async def process_request(self, request: Request) -> None:
        if request.url.startswith("data:"):
            return
        host = urlparse_cached(request).hostname or ""
        grant = uuid.uuid4().hex
        keys = [self.host_key(host), self.host_key(host) + ":next"]
        waited = False
        async with self.asking[host]:
            while True:
                args = [
                    grant,
                    self.limit,
                    int(self.current_delay(request) * 1000),
                    self.lifetime_ms,
                ]
                try:
                    wait_ms = int(self.grant_script(keys=keys, args=args))
                except Exception as error:
                    self.unavailable(error)
                    return
                if wait_ms == 0:
                    break
                waited = True
                await asyncio.sleep(self.poll_seconds if wait_ms < 0 else wait_ms / 1000)
        if waited:
            self.crawler.stats.inc_value(WAITED_STAT)
        request.meta[GRANT_META] = (keys[0], grant)

    def process_response(self, request: Request, response: Response) -> Response:
        self.give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.give_back(request)

    def give_back(self, request: Request) -> None:
        held = request.meta.pop(GRANT_META, None)
        if held is None:
            return
        try:
            self.server.zrem(*held)
        except Exception as error:
            self.unavailable(error)

    def unavailable(self, error: Exception) -> None:
        self.crawler.stats.inc_value(UNAVAILABLE_STAT)
        if not self.unavailable_logged:
            self.unavailable_logged = True
            logger.error(
                "Cluster politeness unavailable (%s): requests go on under this process's "
                "limits only",
                error,
            )

"""One process of the cluster exports each article (``ClaimPipeline``).

Added to ``ITEM_PIPELINES`` by the cluster profile (``crawler.cluster.profile``); a claim is a
lease like the frontier's (``crawler.cluster.frontier``).
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.cluster.frontier import ClusterScheduler
from crawler.pipelines.validate import drop_item
from crawler.store.redis import EPOCH_KEY, EpochChanged

# KEYS: claims hash, epoch key. ARGV: url hash, this process, alive-key prefix, epoch, keep ms.
# Returns 1 when another live process claimed the article, 0 once this one holds it, -2 when
# this process's own lease ran out (it may not export anything).
CLAIM_SCRIPT = """
if redis.call('GET', KEYS[2]) ~= ARGV[4] then return -1 end
if redis.call('GET', ARGV[3] .. ARGV[2]) ~= ARGV[2] then return -2 end
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if owner and owner ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. owner) == 1 then
    return 1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
"""
#: Drop reason (``crawler/dropped/claimed_elsewhere``) of an article another process holds.
CLAIMED_ELSEWHERE = "claimed_elsewhere"
#: Drop reason of every article of a process whose lease ran out (``crawler.cluster.profile``).
LEASE_LOST = "lease_lost"


class ClaimPipeline:
    """Let one process of the cluster export each article, whatever request produced it.

    Articles from the shared queue were fetched by one process anyway; this covers articles
    that come out of discovery itself (WordPress REST posts, ``__NEXT_DATA__`` listings), which
    every process discovers. The first live process to claim an article's URL hash keeps it;
    the others drop it. Claims are leases like the frontier's (see the module docstring).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.script: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
        if not isinstance(scheduler, ClusterScheduler):
            return item
        if scheduler.fenced:
            raise drop_item(self.crawler.stats, ItemAdapter(item).get("url"), LEASE_LOST)
        if scheduler.lost:
            return item
        dupefilter = scheduler.df
        if self.script is None:
            self.script = dupefilter.server.register_script(CLAIM_SCRIPT)
        adapter = ItemAdapter(item)
        answer = self.script(
            keys=[f"{dupefilter.prefix}:claims", f"{dupefilter.prefix}:{EPOCH_KEY}"],
            args=[
                adapter.get("url_hash") or "",
                dupefilter.owner,
                dupefilter.alive_prefix,
                dupefilter.epoch,
                dupefilter.keep_ms,
            ],
        )
        if answer == -1:
            raise EpochChanged("Redis lost its data (restarted without persistence?)")
        if answer == -2:
            scheduler.fenced = True
            raise drop_item(self.crawler.stats, adapter.get("url"), LEASE_LOST)
        if answer == 1:
            raise drop_item(
                self.crawler.stats, adapter.get("url"), CLAIMED_ELSEWHERE, log_level=logging.DEBUG
            )
        return item

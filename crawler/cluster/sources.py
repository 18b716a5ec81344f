"""Discovery sources claimed like articles: one cluster member fetches each per cluster run.

Every member of an outlet starts the same discovery (robots.txt, sitemaps, feeds, listing and
REST pages). Fetching them all N times made 3 processes slower than 1, so each discovery
request is claimed before it is queued: the first live member to claim a source URL fetches
it and hands the articles it lists to the shared frontier; the others skip it
(``crawler/cluster/sources_skipped``).

**One cluster run** of an outlet is ``CRAWLER_CLUSTER_RUN_SECONDS`` (default 600): a claim
key lives that long, so the members started by one cron round share their sources and the
next round (15 minutes later) fetches them again. Set it a little below the interval between
scheduled runs. Claims are scoped by the outlet and the run's window arguments (``since``,
``until``, ``url``, ``max_articles``): a backfill of another range never skips a source that
a run of a different window fetched.

A claim holds its owner's name while the owner discovers and ``done`` once the owner handed
every article it found to the frontier (when its spider first goes idle). An owner's claim
counts only while its lease (``crawler:alive:<owner>``) lives, so the source of a member that
died before it was done is claimed again by a member still waiting, or by the next run.

While any live member still discovers (it is in the run's ``discovering`` set), the others
wait instead of closing: the articles they are to take may not be queued yet.
"""

from __future__ import annotations

import hashlib
from typing import Any

DEFAULT_RUN_SECONDS = 600.0

# KEYS: source claim, discovering set, epoch. ARGV: owner, alive-key prefix, run ms, epoch,
# keep ms. Returns 1 when this owner holds the claim now, 0 when another holds it (or is
# done with it), -1 when Redis lost its data.
CLAIM_SOURCE_SCRIPT = """
if redis.call('GET', KEYS[3]) ~= ARGV[4] then return -1 end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return 1 end
if holder and (holder == 'done' or redis.call('EXISTS', ARGV[2] .. holder) == 1) then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
"""

# KEYS: discovering set, then this owner's source claims. ARGV: owner.
# Marks the owner's claims done (keeping their expiry) and takes it out of the set.
FINISH_SCRIPT = """
for i = 2, #KEYS do
    if redis.call('GET', KEYS[i]) == ARGV[1] then
        redis.call('SET', KEYS[i], 'done', 'KEEPTTL')
    end
end
redis.call('SREM', KEYS[1], ARGV[1])
return 1
"""

# KEYS: discovering set, shared queue. ARGV: owner, alive-key prefix.
# Whether the cluster still has work for a member that has none: requests queued, or another
# live member discovering. Members whose lease ran out are dropped from the set.
BUSY_SCRIPT = """
if redis.call('ZCARD', KEYS[2]) > 0 then return 1 end
local busy = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if redis.call('EXISTS', ARGV[2] .. member) == 0 then
        redis.call('SREM', KEYS[1], member)
    elseif member ~= ARGV[1] then
        busy = 1
    end
end
return busy
"""


def run_scope(spider: Any) -> str:
    """The outlet and a digest of the run's window arguments: members of one run share it."""
    outlet = getattr(spider, "outlet_key", spider.name)
    arguments = repr(
        (
            getattr(spider, "window_arguments", None),
            getattr(spider, "article_url", None),
            getattr(spider, "max_articles_argument", None),
        )
    )
    return f"{outlet}:{hashlib.sha1(arguments.encode()).hexdigest()[:10]}"


class SourceClaims:
    """This member's claims on the discovery sources of one cluster run (see the module)."""

    def __init__(
        self,
        server: Any,
        *,
        prefix: str,
        scope: str,
        owner: str,
        epoch: str | None,
        run_seconds: float,
        keep_seconds: float,
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.scope = scope
        self.owner = owner
        self.epoch = epoch
        self.run_ms = int(run_seconds * 1000)
        self.keep_ms = int(keep_seconds * 1000)
        self.claim_script = server.register_script(CLAIM_SOURCE_SCRIPT)
        self.finish_script = server.register_script(FINISH_SCRIPT)
        self.busy_script = server.register_script(BUSY_SCRIPT)
        #: Claim keys this member holds and has not finished.
        self.held: set[str] = set()

    @property
    def alive_prefix(self) -> str:
        return f"{self.prefix}:alive:"

    @property
    def discovering_key(self) -> str:
        return f"{self.prefix}:discovering:{self.scope}"

    def claim_key(self, fingerprint: str) -> str:
        return f"{self.prefix}:source:{self.scope}:{fingerprint}"

    def claim(self, fingerprint: str) -> bool | None:
        """True: this member fetches the source; False: another does or did; None: Redis lost
        its data (the epoch changed)."""
        key = self.claim_key(fingerprint)
        answer = self.claim_script(
            keys=[key, self.discovering_key, f"{self.prefix}:epoch"],
            args=[self.owner, self.alive_prefix, self.run_ms, self.epoch, self.keep_ms],
        )
        if answer == -1:
            return None
        if answer == 1:
            self.held.add(key)
        return answer == 1

    @property
    def discovering(self) -> bool:
        return bool(self.held)

    def finish(self) -> None:
        """Everything this member found is in the frontier: its sources are done for the run."""
        self.finish_script(keys=[self.discovering_key, *sorted(self.held)], args=[self.owner])
        self.held.clear()

    def cluster_busy(self, queue_key: str) -> bool:
        """Whether requests are queued or another live member still discovers."""
        return bool(
            self.busy_script(
                keys=[self.discovering_key, queue_key], args=[self.owner, self.alive_prefix]
            )
        )

"""Nothing of the frontier grows forever: keys expire, dead owners' entries are swept.

Two rules, both safe for exactly-once delivery:

- Every frontier key (an outlet's queue and fingerprint hash, the claims hash, a run's
  ``discovering`` set) is given ``CRAWLER_CLUSTER_KEEP_SECONDS`` (default 7 days) of life
  again at each write, so the frontier of an outlet nobody crawls any more disappears by
  itself. Source claims, leases and politeness tokens carry their own shorter expiry.
- When a member opens, it sweeps the fingerprint and claims hashes: an entry whose owner's
  lease ran out already counts as unheld (the scripts of ``crawler.cluster.frontier`` and
  ``crawler.pipelines.claim`` treat it as absent), so deleting it changes nothing but size;
  a ``queued`` entry goes only when its queue is empty (it can no longer be waiting). What
  was delivered stays in the delivered-store, which is what keeps an article from coming twice.
"""

from __future__ import annotations

from typing import Any

DEFAULT_KEEP_SECONDS = 7 * 24 * 3600.0
#: Hash fields looked at per script call, so a sweep never holds Redis for long.
SWEEP_BATCH = 1000

# KEYS: hash, and its queue when it has one. ARGV: cursor, alive-key prefix, count.
# Returns the next cursor and how many entries were removed.
SWEEP_SCRIPT = """
local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[3])
local entries, removed = page[2], 0
local queue_empty = #KEYS < 2 or redis.call('ZCARD', KEYS[2]) == 0
for i = 1, #entries, 2 do
    local owner = entries[i + 1]
    local dead
    if owner == 'queued' then
        dead = queue_empty
    else
        dead = redis.call('EXISTS', ARGV[2] .. owner) == 0
    end
    if dead then
        redis.call('HDEL', KEYS[1], entries[i])
        removed = removed + 1
    end
end
return {page[1], removed}
"""


def sweep_dead_entries(
    server: Any, hash_key: str, alive_prefix: str, queue_key: str | None = None
) -> int:
    """Delete the entries of ``hash_key`` no live owner holds (``queued`` ones only when
    ``queue_key`` is empty); returns how many went."""
    script = server.register_script(SWEEP_SCRIPT)
    keys = [hash_key] if queue_key is None else [hash_key, queue_key]
    cursor, removed = "0", 0
    while True:
        next_cursor, count = script(keys=keys, args=[cursor, alive_prefix, SWEEP_BATCH])
        removed += int(count)
        cursor = next_cursor.decode() if isinstance(next_cursor, bytes) else str(next_cursor)
        if cursor == "0":
            return removed

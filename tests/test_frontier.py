"""The shared frontier's routing and leases against a real redis-server (no crawl).

Needs Debian's ``redis-server`` and the ``cluster`` extra; skipped otherwise.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request

from crawler.testing.polling import poll_until
from crawler.testing.redis_server import RedisServer, available
from crawler.utils.request_meta import DISCOVERED_META, PAGED_META

pytestmark = pytest.mark.skipif(
    not available() or importlib.util.find_spec("scrapy_redis") is None,
    reason="needs redis-server (apt-get install) and the cluster extra",
)

ARTICLE = "https://kabar.example.id/berita/7/rapat-koordinasi-7"
LEASE = 30.0


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


def article_request(**options: object) -> Request:
    return Request(ARTICLE, meta={DISCOVERED_META: None}, **options)


def test_only_filtered_article_requests_are_shared() -> None:
    from crawler.cluster.frontier import is_shared

    assert is_shared(article_request())
    assert not is_shared(article_request(dont_filter=True))  # retries, REST posts, browser
    assert not is_shared(Request("https://kabar.example.id/sitemap.xml"))
    paged = Request(ARTICLE + "?page=2", meta={DISCOVERED_META: None, PAGED_META: object()})
    assert not is_shared(paged)


def test_article_fingerprints_are_equal_across_processes() -> None:
    from crawler.cluster.frontier import shared_fingerprint

    assert shared_fingerprint(article_request()) == shared_fingerprint(article_request())
    assert shared_fingerprint(article_request()) != shared_fingerprint(
        Request(ARTICLE.replace("/7/", "/8/"))
    )


def filters(server: RedisServer, *owners: str) -> list:
    import redis

    from crawler.cluster.frontier import LeaseDupeFilter

    client = redis.Redis(port=server.port)
    return [LeaseDupeFilter(client, "generic:dupefilter", owner=owner) for owner in owners]


def queue_for(dupefilter):  # noqa: ANN001, ANN201 (optional dependency)
    from crawler.cluster.frontier import ClaimingPriorityQueue

    return ClaimingPriorityQueue(
        dupefilter.server, SimpleNamespace(name="generic"), "%(spider)s:requests"
    )


def test_a_taken_article_is_held_while_its_taker_lives(redis_server: RedisServer) -> None:
    first, second = filters(redis_server, "first", "second")
    first.acquire(LEASE)
    second.acquire(LEASE)
    assert not first.request_seen(article_request())
    queue = queue_for(first)
    queue.push(article_request())
    assert second.request_seen(article_request())  # queued: nobody offers it again
    taken = queue.take(first.key, "crawler:epoch", "second", second.epoch)
    assert taken is not None and taken.url == ARTICLE
    assert first.server.hget(first.key, _fingerprint(taken)) == b"second"
    assert first.request_seen(article_request())  # second is alive and holds it
    second.server.delete(second.alive_prefix + "second")  # what expiry does after the lease
    assert not first.request_seen(article_request())  # a dead taker's article is offered again


def test_a_lease_that_ran_out_is_never_renewed(redis_server: RedisServer) -> None:
    from crawler.cluster.frontier import LeaseLost
    from crawler.store.fence import FencedOut

    (dupefilter,) = filters(redis_server, "stalled")
    fence = dupefilter.acquire(LEASE)
    dupefilter.renew(LEASE)
    fence.check()
    dupefilter.server.delete(dupefilter.alive_key)  # the lease ran out while it stalled
    with pytest.raises(LeaseLost):
        dupefilter.renew(LEASE)
    assert not dupefilter.server.exists(dupefilter.alive_key)
    with pytest.raises(FencedOut):
        fence.check()


def _fingerprint(request: Request) -> str:
    from crawler.cluster.frontier import shared_fingerprint

    return shared_fingerprint(request)


def test_a_restarted_empty_redis_is_refused(redis_server: RedisServer) -> None:
    from crawler.store.redis import EpochChanged

    (dupefilter,) = filters(redis_server, "first")
    dupefilter.acquire(LEASE)
    dupefilter.renew(LEASE)
    redis_server.restart()
    with pytest.raises(EpochChanged):
        dupefilter.renew(LEASE)
    with pytest.raises(EpochChanged):
        dupefilter.request_seen(article_request())


def test_claims_let_one_live_process_export_an_article(redis_server: RedisServer) -> None:
    from crawler.pipelines.claim import CLAIM_SCRIPT

    first, second = filters(redis_server, "first", "second")
    first.acquire(LEASE)
    second.acquire(LEASE)
    claim = first.server.register_script(CLAIM_SCRIPT)

    def held_elsewhere(dupefilter) -> int:  # noqa: ANN001
        return claim(
            keys=["crawler:claims", "crawler:epoch"],
            args=["a" * 40, dupefilter.owner, dupefilter.alive_prefix, dupefilter.epoch, 60_000],
        )

    assert held_elsewhere(first) == 0
    assert held_elsewhere(first) == 0  # its own claim again
    assert held_elsewhere(second) == 1
    first.release()
    assert held_elsewhere(second) == 0
    assert held_elsewhere(first) == -2  # its lease is gone: it may export nothing


def source_claims(server: RedisServer, owner: str, run_seconds: float = LEASE):  # noqa: ANN201
    import redis

    from crawler.cluster.sources import SourceClaims
    from crawler.store.redis import read_epoch

    client = redis.Redis(port=server.port)
    client.set(f"crawler:alive:{owner}", owner, px=int(LEASE * 1000))
    return SourceClaims(
        client,
        prefix="crawler",
        scope="generic:abc",
        owner=owner,
        epoch=read_epoch(client, "crawler"),
        run_seconds=run_seconds,
        keep_seconds=LEASE,
    )


SITEMAP_FINGERPRINT = "f" * 40


def test_a_source_is_fetched_by_one_member_per_run(redis_server: RedisServer) -> None:
    first = source_claims(redis_server, "first", run_seconds=0.5)
    second = source_claims(redis_server, "second", run_seconds=0.5)
    assert first.claim(SITEMAP_FINGERPRINT) is True
    assert first.claim(SITEMAP_FINGERPRINT) is True  # its own claim (a retry)
    assert second.claim(SITEMAP_FINGERPRINT) is False
    first.finish()
    first.server.delete("crawler:alive:first")  # ended normally: done claims still hold
    assert second.claim(SITEMAP_FINGERPRINT) is False
    key = first.claim_key(SITEMAP_FINGERPRINT)
    assert first.server.get(key) == b"done" and 0 < first.server.pttl(key) <= 500
    poll_until(lambda: not first.server.exists(key), timeout=10, what="the run's claim to expire")
    assert second.claim(SITEMAP_FINGERPRINT) is True  # the next cluster run fetches it again


def test_a_dead_members_unfinished_source_is_claimed_again(redis_server: RedisServer) -> None:
    first = source_claims(redis_server, "first")
    second = source_claims(redis_server, "second")
    assert first.claim(SITEMAP_FINGERPRINT)
    assert not second.claim(SITEMAP_FINGERPRINT)
    first.server.delete("crawler:alive:first")  # what expiry does after its lease
    assert second.claim(SITEMAP_FINGERPRINT)


def test_members_wait_while_another_discovers_or_requests_are_queued(
    redis_server: RedisServer,
) -> None:
    first = source_claims(redis_server, "first")
    second = source_claims(redis_server, "second")
    queue = "generic:requests"
    assert not second.cluster_busy(queue)
    first.claim(SITEMAP_FINGERPRINT)
    assert second.cluster_busy(queue)  # first still discovers
    assert not first.cluster_busy(queue)  # nobody else does
    first.finish()
    assert not second.cluster_busy(queue)
    first.server.zadd(queue, {b"request": 0})
    assert second.cluster_busy(queue)
    first.server.delete(queue)
    first.claim("e" * 40)
    first.server.delete("crawler:alive:first")  # died while discovering
    assert not second.cluster_busy(queue)
    assert first.server.smembers(first.discovering_key) == set()  # the dead member is dropped


def test_old_frontier_entries_go(redis_server: RedisServer) -> None:
    from crawler.cluster.expiry import sweep_dead_entries

    (live,) = filters(redis_server, "live")
    live.acquire(LEASE)
    client = live.server
    owners = {"a" * 40: "live", "b" * 40: "dead", "c" * 40: "queued"}
    client.hset(live.key, mapping=owners)
    client.hset("crawler:claims", mapping={"1" * 40: "live", "2" * 40: "dead"})
    # No queue: a 'queued' fingerprint can no longer be waiting in it.
    assert sweep_dead_entries(client, live.key, live.alive_prefix, "generic:requests") == 2
    assert sweep_dead_entries(client, "crawler:claims", live.alive_prefix) == 1
    assert client.hgetall(live.key) == {b"a" * 40: b"live"}
    assert client.hkeys("crawler:claims") == [b"1" * 40]

    # Every write gives the frontier keys a bounded life.
    queue = queue_for(live)
    assert live.offer(article_request(), queue)
    assert 0 < client.pttl(live.key) <= live.keep_ms
    assert 0 < client.pttl(queue.key) <= live.keep_ms
    assert sweep_dead_entries(client, live.key, live.alive_prefix, queue.key) == 0  # queued stays


def test_politeness_grants_are_shared_and_expire(redis_server: RedisServer) -> None:
    import redis

    from crawler.cluster.politeness import GRANT_SCRIPT

    client = redis.Redis(port=redis_server.port)
    grant = client.register_script(GRANT_SCRIPT)
    keys = ["crawler:polite:kabar.example.id", "crawler:polite:kabar.example.id:next"]

    def ask(name: str, limit: int = 2, delay_ms: int = 0, lifetime_ms: int = 60_000) -> int:
        return grant(keys=keys, args=[name, limit, delay_ms, lifetime_ms])

    assert ask("one") == 0 and ask("two") == 0
    assert ask("three") == -1  # two in flight, from whichever member: the host is full
    client.zrem(keys[0], "one")  # its response came back
    assert ask("three") == 0
    client.delete(keys[0])
    assert ask("slow", delay_ms=5_000) == 0
    assert 0 < ask("next", delay_ms=5_000) <= 5_000  # the delay holds across the cluster
    client.delete(*keys)
    assert ask("killed", limit=1, lifetime_ms=200) == 0  # its member died mid-request
    poll_until(lambda: ask("after", limit=1) == 0, timeout=10, what="the grant to expire")

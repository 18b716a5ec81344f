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
            args=["a" * 40, dupefilter.owner, dupefilter.alive_prefix, dupefilter.epoch],
        )

    assert held_elsewhere(first) == 0
    assert held_elsewhere(first) == 0  # its own claim again
    assert held_elsewhere(second) == 1
    first.release()
    assert held_elsewhere(second) == 0
    assert held_elsewhere(first) == -2  # its lease is gone: it may export nothing

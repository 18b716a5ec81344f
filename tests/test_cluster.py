"""The cluster profile against a real redis-server: 3 processes, one shared frontier.

Needs Debian's ``redis-server`` (``.ci/run`` installs it) and the ``cluster`` extra; skipped
otherwise. Each test starts its own Redis on a free port and crawls a generated site of
600 constructed articles (``crawler.testing.bulk_site``) served from 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.testing.bulk_site import article_url, write_site
from crawler.testing.fixture_server import FixtureServer
from crawler.testing.polling import poll_until
from crawler.testing.redis_server import RedisServer, available

pytestmark = [
    pytest.mark.skipif(not available(), reason="redis-server is not installed (apt-get install)"),
    pytest.mark.skipif(
        importlib.util.find_spec("scrapy_redis") is None,
        reason="the cluster extra (scrapy-redis) is not installed",
    ),
]

ARTICLES = 600
WORKERS = 3
RUN_TIMEOUT = 120.0
VICTIM_LEASE = 300.0


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    site = tmp_path_factory.mktemp("bulk-site")
    write_site(site, ARTICLES)
    with FixtureServer(site) as server:
        yield server


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


def redis_client(server: RedisServer):  # noqa: ANN201 (redis is an optional dependency)
    import redis

    return redis.Redis(port=server.port)


def start(
    workdir: Path,
    redis: RedisServer,
    server: FixtureServer,
    lease: float | None = None,
    settings: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    from crawler.testing.cluster_run import start_worker

    settings = {**(settings or {})}
    if lease:
        settings["CRAWLER_CLUSTER_LEASE_SECONDS"] = str(lease)
    return start_worker(workdir, redis.url, server.host_map(), settings)


def finish(process: subprocess.Popen[str], workdir: Path) -> int:
    try:
        return process.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError((workdir / "crawl.log").read_text()[-3000:]) from None


def delivered(workdir: Path) -> list[str]:
    from crawler.testing.cluster_run import delivered_urls

    return delivered_urls(workdir)


def taken_by(client, pid: int) -> int:  # noqa: ANN001
    """Fingerprints the process with this pid owns now (it popped them from the queue)."""
    return sum(1 for owner in client.hvals("generic:dupefilter") if f":{pid}:".encode() in owner)


EVERY_URL = {article_url(number) for number in range(1, ARTICLES + 1)}


def test_three_processes_deliver_every_article_exactly_once(
    tmp_path: Path, redis_server: RedisServer, bulk_server: FixtureServer
) -> None:
    workdirs = [tmp_path / f"worker-{index}" for index in range(WORKERS)]
    processes = [start(workdir, redis_server, bulk_server) for workdir in workdirs]
    codes = [finish(process, workdir) for process, workdir in zip(processes, workdirs, strict=True)]

    logs = [(workdir / "crawl.log").read_text() for workdir in workdirs]
    assert codes == [0] * WORKERS, [log[-2000:] for log in logs]
    shares = [delivered(workdir) for workdir in workdirs]
    union = Counter(url for share in shares for url in share)
    assert set(union) == EVERY_URL
    assert max(union.values()) == 1
    assert all(shares), [len(share) for share in shares]
    assert redis_client(redis_server).hlen("crawler:delivered") == ARTICLES
    # Articles went through the shared queue: no process fetched them all itself.
    assert all(len(share) < ARTICLES for share in shares)


def test_killed_process_share_is_delivered_by_a_follow_up_run(
    tmp_path: Path, redis_server: RedisServer, bulk_server: FixtureServer
) -> None:
    client = redis_client(redis_server)
    workdirs = [tmp_path / f"worker-{index}" for index in range(WORKERS)]
    processes = [start(workdir, redis_server, bulk_server) for workdir in workdirs[1:]]
    # The victim joins once the others have claimed the run's discovery sources and queued
    # articles: it holds no source, so the others never wait for its discovery, and its lease
    # outlasts their run, so they cannot take over its articles.
    poll_until(
        lambda: sum(taken_by(client, process.pid) for process in processes) > 0,
        timeout=RUN_TIMEOUT,
        what="the first workers to discover and take articles",
    )
    victim = start(workdirs[0], redis_server, bulk_server, lease=VICTIM_LEASE)
    poll_until(
        lambda: taken_by(client, victim.pid) >= 50,
        timeout=RUN_TIMEOUT,
        what="the victim to take articles",
    )
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    survivors = list(zip(processes, workdirs[1:], strict=True))
    assert [finish(process, workdir) for process, workdir in survivors] == [0, 0]
    assert delivered(workdirs[0]) == []  # killed before its feed was stored
    delivered_so_far = Counter(url for _, workdir in survivors for url in delivered(workdir))
    assert len(delivered_so_far) < ARTICLES  # the victim's taken articles are missing

    # Its lease would expire by itself after VICTIM_LEASE seconds; expire it now.
    (alive_key,) = client.keys(f"crawler:alive:*:{victim.pid}:*")
    assert 0 < client.pttl(alive_key) <= VICTIM_LEASE * 1000
    client.delete(alive_key)
    # The next cluster run starts once this one's source claims expired
    # (CRAWLER_CLUSTER_RUN_SECONDS); expire them now too.
    client.delete(*client.keys("crawler:source:*"))
    follow_up = tmp_path / "follow-up"
    assert finish(start(follow_up, redis_server, bulk_server), follow_up) == 0

    union = delivered_so_far + Counter(delivered(follow_up))
    assert set(union) == EVERY_URL
    assert max(union.values()) == 1
    assert delivered(follow_up)
    assert client.hlen("crawler:delivered") == ARTICLES


def test_redis_restart_stops_every_process_loudly_and_marks_nothing_unstored(
    tmp_path: Path, redis_server: RedisServer, bulk_server: FixtureServer
) -> None:
    client = redis_client(redis_server)
    workdirs = [tmp_path / f"worker-{index}" for index in range(WORKERS)]
    processes = [start(workdir, redis_server, bulk_server) for workdir in workdirs]
    poll_until(
        lambda: sum(taken_by(client, process.pid) for process in processes) >= 100,
        timeout=RUN_TIMEOUT,
        what="articles to be taken",
    )
    redis_server.restart()
    codes = [finish(process, workdir) for process, workdir in zip(processes, workdirs, strict=True)]

    assert all(code != 0 for code in codes), codes
    for workdir in workdirs:
        log = (workdir / "crawl.log").read_text()
        assert "Cluster Redis failed" in log
        assert "cluster_redis_lost" in log
    stored = {url for workdir in workdirs for url in delivered(workdir)}
    marked = redis_client(redis_server).hkeys("crawler:delivered")
    stored_hashes = {url_hash_of(url) for url in stored}
    assert {key.decode() for key in marked} <= stored_hashes


def url_hash_of(url: str) -> str:
    from crawler.utils.urls import canonicalize_url, url_hash

    return url_hash(canonicalize_url(url))


def test_a_stalled_process_whose_lease_was_taken_over_delivers_nothing(
    tmp_path: Path, redis_server: RedisServer, bulk_server: FixtureServer
) -> None:
    client = redis_client(redis_server)
    stalled_dir, other_dir = tmp_path / "stalled", tmp_path / "other"
    # The stalled process's politeness grants on the host outlive two download timeouts
    # (crawler.cluster.politeness); a short timeout lets the other process start sooner.
    short = {"DOWNLOAD_TIMEOUT": "5"}
    stalled = start(stalled_dir, redis_server, bulk_server, settings=short)
    poll_until(
        lambda: taken_by(client, stalled.pid) >= 50,
        timeout=RUN_TIMEOUT,
        what="the stalled process to take articles",
    )
    stalled.send_signal(signal.SIGSTOP)  # a paused VM, a starved process
    try:
        poll_until(
            lambda: not client.keys(f"crawler:alive:*:{stalled.pid}:*"),
            timeout=RUN_TIMEOUT,
            what="the stalled process's lease to run out",
        )
        # Another process takes over the stalled one's articles and delivers everything.
        other = start(other_dir, redis_server, bulk_server, settings=short)
        assert finish(other, other_dir) == 0
    finally:
        stalled.send_signal(signal.SIGCONT)
    code = finish(stalled, stalled_dir)
    log = (stalled_dir / "crawl.log").read_text()
    assert code != 0 and "cluster_lease_lost" in log, log[-3000:]
    assert delivered(stalled_dir) == []
    union = Counter(delivered(other_dir)) + Counter(delivered(stalled_dir))
    assert set(union) == EVERY_URL and max(union.values()) == 1
    assert client.hlen("crawler:delivered") == ARTICLES


def test_three_workers_on_slow_outlets_fetch_each_source_and_article_once(
    tmp_path: Path,
) -> None:
    """The cluster benchmark's quick mode, judged on correctness only (not speed)."""
    from crawler.bench.cluster import QUICK, crawl
    from crawler.bench.cluster_site import build_outlets

    outlets = build_outlets(tmp_path / "site", QUICK["outlets"], QUICK["articles"])
    # Each worker has two requests in flight (one outlet at a time), but an outlet's
    # politeness is 2 for the three of them together. Staggered: each crawls its first outlet
    # alone, and they meet on the last one (finding the others' first outlets done); a
    # waiting worker looks at the shared queue every 50 ms.
    politeness = {
        "CONCURRENT_REQUESTS": "2",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
        "CRAWLER_CLUSTER_POLL_SECONDS": "0.05",
    }
    run = crawl(
        3, tmp_path / "site", outlets, QUICK["delay"], tmp_path / "run", politeness, staggered=True
    )

    assert run.exit_codes == [0, 0, 0]
    rounds = [[1, 2, 3, 4], [2, 3, 4, 1], [3, 4, 1, 2]]
    for worker, expected in enumerate(rounds):
        lines = (tmp_path / "run" / f"worker-{worker}" / "stdout.log").read_text().splitlines()
        crawled = [int(line.split()[1].rstrip(":")) for line in lines if line.startswith("outlet")]
        assert crawled == expected, lines
    every_article = set().union(*(outlet.article_urls for outlet in outlets))
    assert set(run.delivered) == every_article
    assert set(run.delivered.values()) == {1}
    sources = {outlet.host + path for outlet in outlets for path in outlet.source_paths}
    assert {key: run.requests.get(key) for key in sources} == dict.fromkeys(sources, 1)
    assert max(run.max_in_flight.values()) <= 2
    assert run.problems == []


def test_bench_worker_whose_crawl_cannot_start_exits_1_with_the_reason() -> None:
    """A crawl failing before the reactor runs must not leave the worker waiting for ever."""
    command = [sys.executable, "-m", "crawler.bench.cluster_worker", "--port", "9"]
    command += ["--outlets", "1", "--articles", "1", "-s", "TWISTED_REACTOR=no.such.Reactor"]
    ended = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT)

    assert ended.returncode == 1
    assert "No module named 'no'" in ended.stdout, ended.stdout[-2000:]

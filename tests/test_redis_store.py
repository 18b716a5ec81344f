"""The Redis delivered-store keeps the SQLite store's contract; the cluster add-on's switch.

Needs Debian's ``redis-server`` and the ``cluster`` extra for the store tests (skipped
otherwise); the add-on tests need neither.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.cluster.profile import CLUSTER_SETTINGS, apply_profile
from crawler.testing.redis_server import RedisServer, available

needs_redis = pytest.mark.skipif(
    not available() or importlib.util.find_spec("redis") is None,
    reason="needs redis-server (apt-get install) and the cluster extra",
)

START = datetime(2025, 7, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def store(redis_server: RedisServer):  # noqa: ANN201 (optional dependency)
    from crawler.store.redis import RedisDeliveredStore

    opened = RedisDeliveredStore(redis_server.url)
    yield opened
    opened.close()


@needs_redis
def test_marked_hashes_are_seen_and_counted_per_outlet(store) -> None:  # noqa: ANN001
    assert not store.seen("a" * 40)
    store.mark_delivered([("a" * 40, "espos"), ("b" * 40, "tribunjateng")])
    assert store.seen("a" * 40) and store.seen("b" * 40)
    assert not store.seen("c" * 40)
    assert store.delivered_count() == 2
    assert store.delivered_count("espos") == 1


@needs_redis
def test_first_seen_is_kept_when_delivered_again(store) -> None:  # noqa: ANN001
    store.mark_delivered([("a" * 40, "espos")], first_seen=START)
    store.mark_delivered([("a" * 40, "espos")], first_seen=START + timedelta(days=1))
    raw = store.server.hget("crawler:delivered", "a" * 40).decode().split("\t")
    assert raw[0] == "espos"
    assert datetime.fromisoformat(raw[1]) == START
    assert datetime.fromisoformat(raw[2]) > START


@needs_redis
def test_last_successful_run_ignores_failed_and_older_runs(store) -> None:  # noqa: ANN001
    assert store.last_successful_run("espos") is None
    store.record_run("espos", START, START + timedelta(minutes=5), True)
    store.record_run("espos", START + timedelta(hours=2), START + timedelta(hours=3), False)
    store.record_run("espos", START - timedelta(hours=2), START, True)
    assert store.last_successful_run("espos") == START
    assert store.last_successful_run("tribunjateng") is None
    assert store.server.llen("crawler:runs") == 3


@needs_redis
def test_naive_times_are_refused(store) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="naive"):
        store.record_run("espos", datetime(2025, 7, 3), datetime(2025, 7, 3), True)


@needs_redis
def test_a_restarted_empty_redis_records_nothing(store, redis_server) -> None:  # noqa: ANN001
    from crawler.store.redis import EpochChanged

    store.mark_delivered([("a" * 40, "espos")])
    redis_server.restart()
    with pytest.raises(EpochChanged):
        store.mark_delivered([("b" * 40, "espos")])
    with pytest.raises(EpochChanged):
        store.record_run("espos", START, START, True)
    assert store.server.hlen("crawler:delivered") == 0


def test_profile_is_off_without_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRAWLER_REDIS_URL", raising=False)
    settings = Settings({"CRAWLER_DELIVERED_STORE": "crawler.store.sqlite.SqliteDeliveredStore"})
    apply_profile(settings)
    assert settings.get("SCHEDULER") != CLUSTER_SETTINGS["SCHEDULER"]
    assert settings.get("CRAWLER_DELIVERED_STORE") == "crawler.store.sqlite.SqliteDeliveredStore"


@pytest.mark.skipif(importlib.util.find_spec("scrapy_redis") is None, reason="no cluster extra")
@pytest.mark.parametrize("source", ["environment", "setting"])
def test_one_url_switches_the_whole_profile(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    url = "redis://redis.lan:6379/0"
    monkeypatch.delenv("CRAWLER_REDIS_URL", raising=False)
    settings = Settings()
    settings.set("CRAWLER_DELIVERED_STORE", "crawler.store.sqlite.SqliteDeliveredStore", "project")
    settings.set("ITEM_PIPELINES", {"crawler.pipelines.ValidatePipeline": 200}, "project")
    if source == "environment":
        monkeypatch.setenv("CRAWLER_REDIS_URL", url)
    else:
        settings.set("CRAWLER_REDIS_URL", url, "cmdline")
    apply_profile(settings)
    assert settings.get("REDIS_URL") == url
    assert settings.getbool("SCHEDULER_PERSIST")
    for name, value in CLUSTER_SETTINGS.items():
        assert settings.get(name) == value, name
    assert set(settings.getdict("ITEM_PIPELINES")) == {
        "crawler.pipelines.ValidatePipeline",
        "crawler.pipelines.claim.ClaimPipeline",
    }


def test_command_line_still_overrides_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAWLER_REDIS_URL", "redis://redis.lan:6379/0")
    if importlib.util.find_spec("scrapy_redis") is None:
        pytest.skip("no cluster extra")
    settings = Settings()
    settings.set("SCHEDULER_PERSIST", False, "cmdline")
    apply_profile(settings)
    assert settings.getbool("SCHEDULER_PERSIST") is False

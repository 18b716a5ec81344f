"""The SQLite delivered-store: seen/mark, runs, persistence, and how a crawler finds it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.store import NullDeliveredStore, delivered_store
from crawler.store.sqlite import DATABASE_FILE, SqliteDeliveredStore
from crawler.utils.timezones import WIB
from crawler.utils.urls import url_hash

FIRST = url_hash("https://solopos.espos.id/berita-pertama-2201001")
SECOND = url_hash("https://www.espos.id/berita-kedua-2201002")
T0 = datetime(2025, 7, 3, 8, 0, tzinfo=WIB)


@pytest.fixture
def store(tmp_path: Path) -> SqliteDeliveredStore:
    opened = SqliteDeliveredStore(tmp_path / "state" / DATABASE_FILE)
    yield opened
    opened.close()


def rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def test_unknown_hash_is_not_seen_and_marked_hash_is(store: SqliteDeliveredStore) -> None:
    assert store.seen(FIRST) is False
    store.mark_delivered([(FIRST, "espos")])
    assert store.seen(FIRST) is True
    assert store.seen(SECOND) is False


def test_directory_is_created_on_demand_and_wal_is_on(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state" / DATABASE_FILE
    SqliteDeliveredStore(path).close()
    assert path.is_file()
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]


def test_lookups_use_the_primary_key(store: SqliteDeliveredStore) -> None:
    plan = store.connection.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM delivered WHERE url_hash = ?", (FIRST,)
    ).fetchall()
    assert "PRIMARY KEY" in " ".join(str(step[-1]) for step in plan)


def test_marks_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    writer = SqliteDeliveredStore(path)
    writer.mark_delivered([(FIRST, "espos"), (SECOND, "espos")], first_seen=T0)
    writer.close()
    reader = SqliteDeliveredStore(path)
    try:
        assert reader.seen(FIRST) and reader.seen(SECOND)
        assert reader.delivered_count("espos") == 2
        assert reader.delivered_count("suaramerdeka") == 0
    finally:
        reader.close()


def test_row_holds_outlet_first_seen_and_delivered_at(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    store = SqliteDeliveredStore(path)
    before = datetime.now(UTC)
    store.mark_delivered([(FIRST, "espos")], first_seen=T0)
    store.close()
    [(hash_, outlet, first_seen, delivered_at)] = rows(path, "SELECT * FROM delivered")
    assert (hash_, outlet) == (FIRST, "espos")
    assert datetime.fromisoformat(first_seen) == T0
    assert before <= datetime.fromisoformat(delivered_at) <= datetime.now(UTC)


def test_delivering_again_keeps_first_seen_and_moves_delivered_at(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    store = SqliteDeliveredStore(path)
    store.mark_delivered([(FIRST, "espos")], first_seen=T0)
    [(_, _, _, first_delivery)] = rows(path, "SELECT * FROM delivered")
    store.mark_delivered([(FIRST, "espos")], first_seen=T0 + timedelta(days=1))
    store.close()
    [(_, _, first_seen, second_delivery)] = rows(path, "SELECT * FROM delivered")
    assert datetime.fromisoformat(first_seen) == T0
    assert second_delivery >= first_delivery


def test_a_batch_is_all_or_nothing(store: SqliteDeliveredStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.mark_delivered([(FIRST, "espos")], first_seen=datetime(2025, 7, 3))
    assert not store.seen(FIRST)

    def pairs_then_failure():
        yield (FIRST, "espos")
        raise RuntimeError("source broke mid-way")

    with pytest.raises(RuntimeError):
        store.mark_delivered(pairs_then_failure())
    assert not store.seen(FIRST)


def test_last_successful_run_is_the_latest_successful_start(store: SqliteDeliveredStore) -> None:
    assert store.last_successful_run("espos") is None
    store.record_run("espos", T0, T0 + timedelta(minutes=2), True)
    store.record_run("espos", T0 + timedelta(hours=1), T0 + timedelta(hours=1, minutes=3), False)
    store.record_run("suaramerdeka", T0 + timedelta(hours=2), T0 + timedelta(hours=3), True)
    assert store.last_successful_run("espos") == T0
    store.record_run("espos", T0 + timedelta(hours=4), T0 + timedelta(hours=5), True)
    assert store.last_successful_run("espos") == T0 + timedelta(hours=4)
    assert store.last_successful_run("suaramerdeka") == T0 + timedelta(hours=2)


def test_runs_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    first = SqliteDeliveredStore(path)
    first.record_run("espos", T0, T0 + timedelta(minutes=1), True)
    first.close()
    second = SqliteDeliveredStore(path)
    try:
        assert second.last_successful_run("espos") == T0
    finally:
        second.close()


def test_two_connections_see_each_others_commits(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    one, two = SqliteDeliveredStore(path), SqliteDeliveredStore(path)
    try:
        one.mark_delivered([(FIRST, "espos")])
        assert two.seen(FIRST)
    finally:
        one.close()
        two.close()


def test_crawler_builds_one_store_from_the_setting_under_the_state_dir(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={
            "CRAWLER_DELIVERED_STORE": "crawler.store.sqlite.SqliteDeliveredStore",
            "CRAWLER_STATE_DIR": str(tmp_path / "state"),
        }
    )
    store = delivered_store(crawler)
    try:
        assert isinstance(store, SqliteDeliveredStore)
        assert delivered_store(crawler) is store
        assert store.path == tmp_path / "state" / DATABASE_FILE
    finally:
        store.close()


def test_without_the_setting_the_store_remembers_nothing() -> None:
    store = delivered_store(get_crawler())
    assert isinstance(store, NullDeliveredStore)
    store.mark_delivered([(FIRST, "espos")])
    store.record_run("espos", T0, T0, True)
    assert store.seen(FIRST) is False
    assert store.last_successful_run("espos") is None

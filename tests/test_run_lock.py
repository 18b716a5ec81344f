"""One run of an outlet at a time: a second run on the same state exits 75 and does nothing."""

from __future__ import annotations

import importlib.util
import json
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import read_jsonl
from test_delivery import (
    EXPECTED_URLS,
    SLOW_ARTICLE,
    WINDOW,
    Crawl,
    copy_site,
    delivered_rows,
    feed_files,
    start_scrapy,
    wait_for_log,
)

from crawler.run.outcome import EXIT_LOCKED, EXIT_OK
from crawler.store.locks import FileLock, OutletLocked, lock_file_name
from crawler.testing.fixture_server import FixtureServer
from crawler.testing.redis_server import RedisServer, available


def test_a_file_lock_is_exclusive_names_its_holder_and_is_freed_on_release(tmp_path: Path):
    first = FileLock(tmp_path, "espos", "pid 1 on host, run abcd1234")
    with pytest.raises(OutletLocked, match="pid 1 on host, run abcd1234"):
        FileLock(tmp_path, "espos", "pid 2")
    FileLock(tmp_path, "generic:Kabar Contoh", "pid 2").release()  # other outlets are free
    first.release()
    FileLock(tmp_path, "espos", "pid 3").release()


def test_lock_file_names_are_safe_and_distinct():
    assert lock_file_name("espos") == "espos.lock"
    names = {lock_file_name(key) for key in ("generic:a b", "generic:a-b", "generic:../x")}
    assert len(names) == 3 and all("/" not in name and " " not in name for name in names)


def slow_site(tmp_path: Path, seconds: float) -> Path:
    site = copy_site(tmp_path)
    routes = json.loads((site / "_routes.json").read_text(encoding="utf-8"))
    routes[SLOW_ARTICLE.removeprefix("https://")] = {"delay": seconds, "times": 1}
    (site / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    return site


def start_held_run(workdir: Path, server: FixtureServer, log: Path) -> Any:
    """A crawl in the background, waiting for its slow page once every other is scraped."""
    run = start_scrapy(
        ["crawl", "espos", *WINDOW], cwd=workdir, host_map=server.host_map(), log=log
    )
    wait_for_log(run, log, "Scraped from <200", len(EXPECTED_URLS) - 1)
    return run


def test_a_second_run_of_the_outlet_exits_75_and_the_first_delivers_everything_once(
    tmp_path: Path,
):
    workdir = tmp_path / "work"
    workdir.mkdir()
    log = tmp_path / "first.log"
    with FixtureServer(slow_site(tmp_path, 120)) as server:
        first = start_held_run(workdir, server, log)
        second = Crawl(workdir, server).run(*WINDOW)
    # Stopping the server answered the first run's slow page: it finishes now.
    assert first.wait(timeout=60) == EXIT_OK, log.read_text()[-3000:]
    assert second.returncode == EXIT_LOCKED, second.log[-3000:]
    assert "nothing done" in second.log and "another run of espos holds" in second.log
    assert second.articles_requested == [] and second.records == []
    assert "Recorded the run" not in second.log
    delivered = Counter(
        r["url"] for path in feed_files(workdir, ".jsonl") for r in read_jsonl(path)
    )
    assert sorted(delivered) == EXPECTED_URLS and set(delivered.values()) == {1}


def test_a_killed_run_leaves_no_lock_behind(tmp_path: Path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FixtureServer(slow_site(tmp_path, 120)) as server:
        killed = start_held_run(workdir, server, tmp_path / "killed.log")
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        assert delivered_rows(workdir) == []
        rerun = Crawl(workdir, server).run(*WINDOW)
    assert rerun.returncode == EXIT_OK, rerun.log[-3000:]
    assert sorted(r["url"] for r in rerun.records) == EXPECTED_URLS


@pytest.mark.skipif(
    not available() or importlib.util.find_spec("redis") is None,
    reason="redis-server or the cluster extra (redis) is not installed",
)
def test_the_redis_store_locks_an_outlet_with_a_lease(tmp_path: Path):
    from crawler.store.redis import RedisDeliveredStore

    with RedisServer(tmp_path / "redis") as server:
        first = RedisDeliveredStore(server.url, lease_seconds=30)
        second = RedisDeliveredStore(server.url, lease_seconds=30)
        first.lock_outlet("espos", "pid 1, run abcd1234")
        with pytest.raises(OutletLocked, match="pid 1, run abcd1234"):
            second.lock_outlet("espos", "pid 2")
        second.lock_outlet("tribunjateng", "pid 2")
        first.close()  # releases the lease
        second.lock_outlet("espos", "pid 2")
        second.close()

"""Feed files: one name per run, never written over, and -o/-O in place of the default feeds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SITES, run_scrapy
from scrapy.utils.test import get_crawler

from crawler.settings import FEEDS
from crawler.store.feeds import FeedCollision, FileFeedStorage, one_time_per_run
from crawler.testing.fixture_server import FixtureServer

ARTICLE = "https://www.espos.id/harga-cabai-rawit-di-pasar-boyolali-naik-jadi-rp60000-per-kilogram-2201002"


def storage(path: Path, **options: object) -> FileFeedStorage:
    return FileFeedStorage.from_crawler(get_crawler(), str(path), feed_options=options)


def write(feed: FileFeedStorage, data: bytes) -> None:
    file = feed.open(SimpleNamespace(name="espos"))
    file.write(data)
    feed.store(file)


def test_default_feed_names_carry_the_run_id():
    assert all("%(run_id)s" in uri and "%(name)s" in uri for uri in FEEDS)


class Run:
    name = "generic"


def test_runs_started_in_the_same_second_get_different_names():
    first, second = Run(), Run()
    a = one_time_per_run({"time": "2025-07-03T01-15-00+00-00"}, first)
    b = one_time_per_run({"time": "2025-07-03T01-15-00+00-00"}, second)
    assert a["run_id"] != b["run_id"]
    # Every feed of one run shares the run's time and id.
    again = one_time_per_run({"time": "2025-07-03T01-15-01+00-00"}, first)
    assert (again["time"], again["run_id"]) == (a["time"], a["run_id"])


def test_a_file_another_run_stored_is_never_written_over(tmp_path: Path):
    target = tmp_path / "espos-2025-07-03T01-15-00+00-00.jsonl"
    ours = storage(target)
    file = ours.open(SimpleNamespace(name="espos"))
    file.write(b'{"url": "ours"}\n')
    target.write_bytes(b'{"url": "theirs"}\n')  # another run stored the same name meanwhile
    with pytest.raises(FeedCollision, match="already exists"):
        ours.store(file)
    assert ours.stored is False
    assert target.read_bytes() == b'{"url": "theirs"}\n'


def test_appending_keeps_what_the_file_held_unless_it_changed_meanwhile(tmp_path: Path):
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"1\n")
    write(storage(target), b"2\n")
    assert target.read_bytes() == b"1\n2\n"

    late = storage(target)
    file = late.open(SimpleNamespace(name="espos"))
    file.write(b"4\n")
    target.write_bytes(b"1\n2\n3\n")  # another writer appended meanwhile
    with pytest.raises(FeedCollision, match="changed"):
        late.store(file)
    assert target.read_bytes() == b"1\n2\n3\n"


def test_overwrite_replaces_as_asked(tmp_path: Path):
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old\n")
    write(storage(target, overwrite=True), b"new\n")
    assert target.read_bytes() == b"new\n"


@pytest.mark.parametrize("option", ["-O", "-o"])
def test_command_line_output_replaces_the_default_feeds(tmp_path: Path, option: str):
    with FixtureServer(SITES / "espos") as server:
        result = run_scrapy(
            ["crawl", "espos", "-a", f"url={ARTICLE}", option, "out.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert not (tmp_path / "output").exists(), sorted(map(str, (tmp_path / "output").rglob("*")))

"""Feeds to S3 end to end, against moto's S3-compatible server on 127.0.0.1.

The server runs as its own process (``python -m moto.server``, extra ``dev``), so stopping it
is a real outage for the crawl: uploads fail, nothing may be marked delivered, and the run
after the server is back must deliver everything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SITES, log_stat, run_scrapy

from crawler.exporters import read_clippings
from crawler.store.sqlite import DATABASE_FILE, SqliteDeliveredStore
from crawler.testing.fixture_server import FixtureServer, wait_until_ready
from crawler.testing.polling import poll_until
from crawler.utils.urls import url_hash

boto3 = pytest.importorskip("boto3", reason="the s3 extra (boto3) is not installed")
pytest.importorskip("moto.server", reason="moto[server] (extra dev) is not installed")

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
EXPECTED_URLS = sorted(article["url"] for article in EXPECTED["articles"])
WINDOW = ["-a", "since=2025-07-01", "-a", "until=2025-07-04"]
BUCKET = "kliping-jateng"
FEEDS = {
    f"s3://{BUCKET}/%(name)s/%(name)s-%(time)s.jsonl": {"format": "jsonlines"},
    f"s3://{BUCKET}/%(name)s/%(name)s-%(time)s.txt": {"format": "clipping"},
}
KEY = re.compile(r"^espos/espos-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\+00-00)\.(jsonl|txt)$")
#: Constructed credentials; moto accepts any.
ACCESS_KEY = "AKIAUNITTEST00000001"
SECRET_KEY = "unitTestSecretValue0123456789abcdefABCDEF"
RUNNING_LINE = re.compile(r"Running on http://127\.0\.0\.1:(\d+)")


class MotoServer:
    """moto's server mode in a child process on 127.0.0.1 (any free port, then the same one)."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        log = self.log_dir / f"moto-{self.starts}.log"
        with log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )

        def running_line() -> re.Match[str] | None:
            text = log.read_text(errors="replace")
            assert self.process.poll() is None, text
            return RUNNING_LINE.search(text)

        match = poll_until(running_line, timeout=30, what="the moto server to start")
        self.port = int(match.group(1))
        wait_until_ready("127.0.0.1", self.port, timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def objects(self) -> dict[str, bytes]:
        client = self.client()
        listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {
            entry["Key"]: client.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
            for entry in listing
        }


@pytest.fixture
def s3(tmp_path: Path) -> MotoServer:
    server = MotoServer(tmp_path)
    server.start()
    server.client().create_bucket(Bucket=BUCKET)
    yield server
    server.stop()


def isolated_aws_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No credentials or config from the developer's machine; fail fast when S3 is down."""
    env = {
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "2",
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_SESSION_TOKEN": "",
    }
    return {**env, **extra}


def crawl_to_s3(
    workdir: Path, site: FixtureServer, s3: MotoServer, *, env: dict[str, str], **settings: str
) -> subprocess.CompletedProcess[str]:
    return run_scrapy(
        ["crawl", "espos", *WINDOW],
        cwd=workdir,
        host_map=site.host_map(),
        settings={"FEEDS": json.dumps(FEEDS), "AWS_ENDPOINT_URL": s3.endpoint, **settings},
        env=env,
    )


def assert_feeds_hold_every_article(objects: dict[str, bytes]) -> None:
    keys = {KEY.match(key) for key in objects}
    assert None not in keys, sorted(objects)
    assert sorted(match.group(2) for match in keys) == ["jsonl", "txt"]
    assert len({match.group(1) for match in keys}) == 1, "both feeds of a run share one time"
    [jsonl] = [body for key, body in objects.items() if key.endswith(".jsonl")]
    [clipping] = [body for key, body in objects.items() if key.endswith(".txt")]
    records = [json.loads(line) for line in jsonl.decode("utf-8").splitlines()]
    assert sorted(record["url"] for record in records) == EXPECTED_URLS
    titles = sorted(c.title for c in read_clippings(clipping.decode("utf-8")))
    assert titles == sorted(record["title"] for record in records)


def delivered(workdir: Path) -> set[str]:
    store = SqliteDeliveredStore(workdir / ".crawler-state" / DATABASE_FILE)
    try:
        return {url for url in EXPECTED_URLS if store.seen(url_hash(url))}
    finally:
        store.close()


def test_feeds_reach_s3_and_credentials_never_reach_the_log(tmp_path: Path, s3: MotoServer):
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FixtureServer(SITES / "espos") as site:
        result = crawl_to_s3(
            workdir,
            site,
            s3,
            env=isolated_aws_env(tmp_path),
            AWS_ACCESS_KEY_ID=ACCESS_KEY,
            AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert_feeds_hold_every_article(s3.objects())
    assert delivered(workdir) == set(EXPECTED_URLS)
    assert log_stat(result.stderr, "feedexport/success_count/S3FeedStorage", default=None) == 2
    # The settings line and the stats are printed, with the credentials masked.
    assert "Overridden settings" in result.stderr and "Dumping Scrapy stats" in result.stderr
    assert "'AWS_SECRET_ACCESS_KEY': '***'" in result.stderr
    assert SECRET_KEY not in result.stderr + result.stdout
    assert ACCESS_KEY not in result.stderr + result.stdout


def test_credentials_in_the_feed_uri_are_masked_too(tmp_path: Path, s3: MotoServer):
    workdir = tmp_path / "work"
    workdir.mkdir()
    feeds = {f"s3://{ACCESS_KEY}:{SECRET_KEY}@{BUCKET}/%(name)s/uri.jsonl": {"format": "jsonl"}}
    with FixtureServer(SITES / "espos") as site:
        result = crawl_to_s3(
            workdir, site, s3, env=isolated_aws_env(tmp_path), FEEDS=json.dumps(feeds)
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "espos/uri.jsonl" in s3.objects()
    assert f"s3://{BUCKET}/espos/uri.jsonl" in result.stderr
    assert SECRET_KEY not in result.stderr and ACCESS_KEY not in result.stderr


def test_s3_outage_fails_the_run_marks_nothing_and_the_next_run_delivers_all(
    tmp_path: Path, s3: MotoServer
):
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = isolated_aws_env(tmp_path, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    with FixtureServer(SITES / "espos") as site:
        s3.stop()
        failed = crawl_to_s3(workdir, site, s3, env=env)
        assert failed.returncode != 0, failed.stderr[-3000:]
        assert log_stat(failed.stderr, "crawler/feed_store_failed", default=None) == 2
        assert log_stat(failed.stderr, "crawler/delivered", default=None) == 0
        assert "was not stored: its articles are not marked delivered" in failed.stderr
        assert delivered(workdir) == set()
        assert SECRET_KEY not in failed.stderr and ACCESS_KEY not in failed.stderr

        s3.start()
        s3.client().create_bucket(Bucket=BUCKET)
        recovered = crawl_to_s3(workdir, site, s3, env=env)
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    assert_feeds_hold_every_article(s3.objects())
    assert delivered(workdir) == set(EXPECTED_URLS)
    assert os.listdir(workdir / ".crawler-state")

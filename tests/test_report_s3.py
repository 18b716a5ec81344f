"""``scrapy report s3://bucket/prefix`` against moto's S3-compatible server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import run_scrapy
from parsel import Selector
from report_records import BROWSER_SET_REGIONS, browser_set

from crawler.testing.fixture_server import wait_until_ready
from crawler.testing.polling import poll_until

boto3 = pytest.importorskip("boto3", reason="the s3 extra (boto3) is not installed")
pytest.importorskip("moto.server", reason="moto[server] (extra dev) is not installed")

BUCKET = "kliping-jateng"
DAY = date(2025, 7, 3)
RUNNING_LINE = re.compile(r"Running on http://127\.0\.0\.1:(\d+)")
#: Constructed credentials; moto accepts any.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAREPORTTEST000001",
    "AWS_SECRET_ACCESS_KEY": "reportTest0123",
}


@pytest.fixture
def s3_endpoint(tmp_path: Path) -> Iterator[str]:
    """moto's server in a child process on a free port, ready when it answers."""
    log = tmp_path / "moto.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )

    def running_line() -> re.Match[str] | None:
        text = log.read_text(errors="replace")
        assert process.poll() is None, text
        return RUNNING_LINE.search(text)

    try:
        port = int(poll_until(running_line, timeout=30, what="the moto server").group(1))
        wait_until_ready("127.0.0.1", port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def aws_env(tmp_path: Path) -> dict[str, str]:
    """No credentials or config from the developer's machine."""
    return {
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "2",
        **CREDENTIALS,
    }


def test_the_report_reads_jsonl_and_gzip_objects_under_a_prefix(tmp_path: Path, s3_endpoint: str):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    records = [json.dumps(r) for r in browser_set(DAY)]
    plain = "\n".join([*records[:5], "{broken"]) + "\n"
    client.put_object(Bucket=BUCKET, Key="feeds/espos/espos-1.jsonl", Body=plain.encode())
    packed = gzip.compress(("\n".join(records[5:]) + "\n").encode())
    client.put_object(Bucket=BUCKET, Key="feeds/tribun/tribun-1.jsonl.gz", Body=packed)
    client.put_object(Bucket=BUCKET, Key="feeds/espos/espos-1.txt", Body=b"clipping, not read")
    client.put_object(Bucket=BUCKET, Key="elsewhere/x.jsonl", Body=b"{outside the prefix")

    args = ["--since", "2025-07-02", "--until", "2025-07-03", "-o", "s3.html", "--no-state"]
    result = run_scrapy(
        ["report", f"s3://{BUCKET}/feeds/", *args],
        cwd=tmp_path,
        settings={"AWS_ENDPOINT_URL": s3_endpoint},
        env=aws_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "s3.html: 9 article(s), 1 bad line(s) skipped" in result.stdout
    assert f"s3://{BUCKET}/feeds/espos/espos-1.jsonl:6: skipped (broken_json)" in result.stderr
    page = Selector(text=(tmp_path / "s3.html").read_text(encoding="utf-8"))
    bars = page.css("#region-bars g.bar")
    counts = {bar.attrib["data-key"]: int(bar.attrib["data-count"]) for bar in bars}
    assert counts == BROWSER_SET_REGIONS
    assert CREDENTIALS["AWS_SECRET_ACCESS_KEY"] not in result.stderr + result.stdout


def test_a_missing_bucket_fails_the_report(tmp_path: Path, s3_endpoint: str):
    result = run_scrapy(
        ["report", f"s3://{BUCKET}/feeds/", "-o", "s3.html"],
        cwd=tmp_path,
        settings={"AWS_ENDPOINT_URL": s3_endpoint},
        env=aws_env(tmp_path),
    )
    assert result.returncode == 1
    assert f"report not written: s3://{BUCKET}/feeds/: cannot list the bucket" in result.stderr
    assert "NoSuchBucket" in result.stderr
    assert not (tmp_path / "s3.html").exists()

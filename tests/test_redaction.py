"""Secrets (AWS keys, passwords in Redis and feed URLs) never reach the log or the stats."""

from __future__ import annotations

import logging

from conftest import run_scrapy
from scrapy.settings import Settings

from crawler.extensions.redaction import MASK, SecretMaskingFilter, mask_stats, secrets_in
from crawler.testing.fixture_server import FixtureServer

REDIS_PASSWORD = "hunter2-redis-pw"
AWS_SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def test_redis_url_passwords_come_from_settings_and_environment(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://:env-only-pw@cache.lan:6379/1")
    settings = Settings({"CRAWLER_REDIS_URL": f"redis://worker:{REDIS_PASSWORD}@redis.lan/0"})
    found = secrets_in(settings)
    assert {REDIS_PASSWORD, "env-only-pw"} <= found


def test_secret_shapes_are_masked_without_being_configured():
    masking = SecretMaskingFilter()
    text = f"cannot reach redis://:{REDIS_PASSWORD}@10.0.0.5:6379/0 with key {AWS_KEY_ID}"
    assert masking.mask(text) == f"cannot reach redis://:{MASK}@10.0.0.5:6379/0 with key {MASK}"
    harmless = "https://www.espos.id/berita?id=1 mailto:redaksi@espos.id redis://cache:6379/0"
    assert masking.mask(harmless) == harmless


def test_log_records_and_stats_values_are_masked():
    masking = SecretMaskingFilter()
    masking.add([AWS_SECRET])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "auth %s", (AWS_SECRET,), None)
    masking.filter(record)
    assert AWS_SECRET not in record.getMessage()
    stats = {
        "crawler/outcome/reasons": [f"feed not stored: s3://{AWS_KEY_ID}:{AWS_SECRET}@b/x"],
        "cluster/redis": f"redis://:{REDIS_PASSWORD}@h/0",
        "item_scraped_count": 3,
    }
    mask_stats(stats, masking)
    assert AWS_SECRET not in str(stats) and REDIS_PASSWORD not in str(stats)
    assert AWS_KEY_ID not in str(stats)
    assert stats["item_scraped_count"] == 3


def test_crawl_log_holds_no_secret(espos_server: FixtureServer, tmp_path):
    result = run_scrapy(
        ["crawl", "espos", "-a", "since=2025-07-01", "-a", "until=2025-07-04", "-O", "out.jsonl"],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
        settings={"REDIS_URL": f"redis://:{REDIS_PASSWORD}@127.0.0.1:1/0"},
        env={"AWS_SECRET_ACCESS_KEY": AWS_SECRET, "AWS_ACCESS_KEY_ID": AWS_KEY_ID},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Dumping Scrapy stats" in result.stderr
    for secret in (REDIS_PASSWORD, AWS_SECRET, AWS_KEY_ID):
        assert secret not in result.stderr
        assert secret not in result.stdout

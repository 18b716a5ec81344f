"""An unattended crawl opens no control port, and the Scrapy it needs is the one declared."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from conftest import REPO, SITES, run_scrapy
from packaging.requirements import Requirement
from packaging.version import Version
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.core.engine import ExecutionEngine

from crawler.outlets.registry import project_settings
from crawler.testing.fixture_server import FixtureServer

#: The first Scrapy release with the APIs the project calls: ``ExecutionEngine.close_spider_async``
#: (crawler.cluster.frontier), coroutine ``download_request`` of download handlers built from the
#: crawler (crawler.downloader.host_map, crawler.downloader.browser), pipelines without a spider
#: argument.
SCRAPY_FLOOR = Version("2.14")


def declared_scrapy_floor() -> Version:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [scrapy] = [Requirement(text) for text in project["dependencies"] if text.startswith("scrapy")]
    floors = [Version(spec.version) for spec in scrapy.specifier if spec.operator == ">="]
    assert floors, f"pyproject.toml gives no lower bound for Scrapy: {scrapy}"
    return max(floors)


def test_declared_scrapy_floor_has_the_apis_the_code_calls():
    assert declared_scrapy_floor() >= SCRAPY_FLOOR
    assert hasattr(ExecutionEngine, "close_spider_async")
    assert hasattr(HTTP11DownloadHandler, "download_request")


def test_no_remote_control_or_telnet_endpoint_by_default():
    settings = project_settings()
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False


def test_a_crawl_listens_on_no_port_and_writes_no_control_token(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_STATE_HOME": str(home / ".local" / "state")}
    with FixtureServer(SITES / "espos") as server:
        url = "https://www.espos.id/harga-cabai-rawit-di-pasar-boyolali-naik-jadi-rp60000-per-kilogram-2201002"
        result = run_scrapy(
            ["crawl", "espos", "-a", f"url={url}", "-O", "out.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
            env=env,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Remote control" not in result.stderr
    assert "Telnet" not in result.stderr
    assert not any(home.rglob("*")), sorted(os.fspath(p) for p in home.rglob("*"))

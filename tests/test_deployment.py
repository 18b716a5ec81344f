"""Installed, it runs anywhere: any working directory, package data, standard proxy variables."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from conftest import REPO, read_jsonl, run_scrapy

from crawler.downloader.host_map import parse_host_map
from crawler.testing.fixture_server import FixtureServer

ARTICLE = "www.espos.id/harga-cabai-rawit-di-pasar-boyolali-naik-jadi-rp60000-per-kilogram-2201002"


def test_crawl_goes_through_the_http_proxy_from_the_environment(
    espos_server: FixtureServer, tmp_path: Path
):
    proxy = f"http://127.0.0.1:{espos_server.port}"
    result = run_scrapy(
        ["crawl", "espos", "-a", f"url=http://{ARTICLE}", "-O", "out/one.jsonl"],
        cwd=tmp_path,
        env={"http_proxy": proxy, "no_proxy": ""},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records = read_jsonl(tmp_path / "out" / "one.jsonl")
    assert [r["url"] for r in records] == [f"https://{ARTICLE}"]
    proxied = [r for r in espos_server.requests if r.via_proxy]
    assert any(f"{r.host}{r.path}" == ARTICLE for r in proxied)


def test_output_paths_are_relative_to_the_working_directory(
    espos_server: FixtureServer, tmp_path: Path
):
    result = run_scrapy(
        ["crawl", "espos", "-a", f"url=https://{ARTICLE}", "-O", "nested/dir/out.txt:clipping"],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        (tmp_path / "nested" / "dir" / "out.txt")
        .read_text(encoding="utf-8")
        .startswith("Sentimen\n")
    )


def test_host_map_accepts_json_text_and_mappings():
    assert parse_host_map('{"WWW.Espos.id": "127.0.0.1:1"}') == {"www.espos.id": "127.0.0.1:1"}
    assert parse_host_map({"a.example": "127.0.0.1:2"}) == {"a.example": "127.0.0.1:2"}
    assert parse_host_map(None) == {}
    with pytest.raises(ValueError):
        parse_host_map("[1, 2]")


def test_scrapy_cfg_names_the_settings_module_and_a_deploy_target():
    config = configparser.ConfigParser()
    config.read(REPO / "scrapy.cfg")
    assert config["settings"]["default"] == "crawler.settings"
    assert config["deploy"]["project"] == "crawler"

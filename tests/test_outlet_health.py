"""`scrapy outlet_health`: coverage report and exit status, against the constructed fixture sites.

The command is meant for the live sites; here CRAWLER_HOST_MAP points it at tests/sites/murianews
and at a copy of it whose article template "broke" (the site turned into a JavaScript shell).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SITES, run_scrapy, window_args

from crawler.health import (
    DEFAULT_THRESHOLDS,
    EXIT_UNHEALTHY,
    HEALTH_FIELDS,
    build_report,
    format_report,
    thresholds_from,
)
from crawler.items import ArticleItem, RegionRecord
from crawler.testing.fixture_server import FixtureServer

SITE = SITES / "murianews"
EXPECTED = json.loads((SITE / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
#: What is left of an article page once the outlet renders it in the browser only.
SCRIPT_SHELL = '<main id="app"></main><script src="/static/app.js"></script>'
STRUCTURED_DATA = re.compile(
    r'<script type="application/ld\+json">.*?</script>|<meta property="article:[^>]*>', re.S
)
ARTICLE_BLOCK = re.compile(r'<main class="detail">.*?</main>', re.S)


def _health(site: Path, cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with FixtureServer(site) as server:
        return run_scrapy(
            ["outlet_health", "murianews", *WINDOW, "-n", "5", *extra],
            cwd=cwd,
            host_map=server.host_map(),
        )


def test_healthy_outlet_exits_zero_and_reports_every_field(tmp_path: Path):
    result = _health(SITE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for name in HEALTH_FIELDS:
        assert name in lines, result.stdout
    assert "5/5 100%" in lines["title"]
    assert "jsonld" in lines["published"]
    assert "selectors" in lines["body"]
    assert "5/5 100%" in lines["kab_kota"] and not lines["kab_kota"].endswith(" -")
    assert "5 article(s) parsed" in result.stdout
    assert result.stdout.rstrip().endswith("healthy")
    assert not (tmp_path / "output").exists(), "a health run must not write feed files"


def test_broken_template_exits_non_zero_and_names_the_fields(tmp_path: Path):
    broken = tmp_path / "broken-site"
    shutil.copytree(SITE, broken)
    pages = [p for p in broken.rglob("*.html") if re.search(r"/\d{5,7}/", p.as_posix())]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        text = ARTICLE_BLOCK.sub(SCRIPT_SHELL, STRUCTURED_DATA.sub("", text))
        page.write_text(text, encoding="utf-8")
    workdir = tmp_path / "run"
    workdir.mkdir()
    result = _health(broken, workdir)
    assert result.returncode == EXIT_UNHEALTHY, result.stdout + result.stderr[-3000:]
    assert "UNHEALTHY" in result.stdout
    for name in ("published", "body", "dateline"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(name))
        assert "below minimum" in line, result.stdout


def test_threshold_setting_can_fail_an_otherwise_healthy_outlet(tmp_path: Path):
    result = _health(SITE, tmp_path, "-s", 'CRAWLER_HEALTH_THRESHOLDS={"authors": 1.01}')
    assert result.returncode == EXIT_UNHEALTHY
    assert "authors 100% < 101%" in result.stdout


def test_unknown_outlet_is_a_usage_error(tmp_path: Path):
    result = run_scrapy(["outlet_health", "no-such-outlet"], cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown outlet 'no-such-outlet'" in result.stderr


# --- the report itself (no crawl) -------------------------------------------------------------


def _item(**fields) -> ArticleItem:
    return ArticleItem(url="https://example.id/a", **fields)


def test_report_counts_fields_and_layers_over_all_parsed_articles():
    kudus = RegionRecord("33.19", "Kabupaten Kudus", "Kudus")
    items = [
        _item(
            title="A",
            published=None,
            authors=["X"],
            body=["p" * 150, "q" * 50],
            dateline="Kudus",
            kab_kota=[kudus],
            extraction={
                "title": "jsonld",
                "authors": "meta",
                "body": "selectors",
                "kab_kota": "dateline",
            },
        ),
        _item(title="B", body=["Beranda", "Cek Fakta"], extraction={"title": "generic"}),
    ]
    report = build_report("murianews", "Murianews", items, DEFAULT_THRESHOLDS)
    by_name = {f.name: f for f in report.fields}
    assert (by_name["title"].filled, by_name["title"].total) == (2, 2)
    assert by_name["title"].layers == {"jsonld": 1, "generic": 1}
    assert by_name["published"].coverage == 0.0
    assert by_name["authors"].coverage == 0.5 and by_name["authors"].ok
    assert by_name["kab_kota"].layers == {"dateline": 1}
    assert by_name["body"].filled == 1, "a menu-sized body is not a story"
    assert report.problems == ["published 0% < 100%", "body 50% < 100%"]
    assert report.exit_code == EXIT_UNHEALTHY
    assert "published" in format_report(report) and "UNHEALTHY" in format_report(report)


def test_no_parsed_article_is_unhealthy():
    report = build_report("murianews", "Murianews", [], DEFAULT_THRESHOLDS)
    assert report.problems == ["no article page was parsed"]


def test_threshold_overrides_are_checked():
    assert thresholds_from({"authors": "0.8"})["authors"] == 0.8
    assert thresholds_from(None) == DEFAULT_THRESHOLDS
    with pytest.raises(ValueError, match="unknown health fields"):
        thresholds_from({"headline": 1})

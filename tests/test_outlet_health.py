"""`scrapy outlet_health`: coverage report and exit status, against the constructed fixture sites.

The command is meant for the live sites; here CRAWLER_HOST_MAP points it at tests/sites/murianews
and at a copy of it whose article template "broke" (the site turned into a JavaScript shell).
"""

from __future__ import annotations

import json
import pkgutil
import re
import shutil
import socket
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import REPO, SITES, run_scrapy, window_args

import crawler.commands
from crawler.items import ArticleItem, RegionRecord
from crawler.outlets.registry import registered_outlets
from crawler.run.health import (
    DEFAULT_THRESHOLDS,
    EXIT_NOTHING_TO_JUDGE,
    EXIT_UNHEALTHY,
    EXIT_UNREACHABLE,
    HEALTH_FIELDS,
    HEALTHY,
    NOTHING_TO_JUDGE,
    PARSED_BADLY,
    UNREACHABLE,
    build_report,
    format_report,
    thresholds_from,
    worst_exit_code,
)
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
    assert "No feed is configured" not in result.stderr
    assert re.search(
        r"^  sitemap +200 +https://berita\.murianews\.com/sitemap\.xml$", result.stdout, re.M
    )
    assert re.search(r"^  listing +200 +https://berita\.murianews\.com/$", result.stdout, re.M)


def test_pages_parsed_outside_the_window_are_nothing_to_judge_not_a_broken_parser(tmp_path: Path):
    with FixtureServer(SITE) as server:
        result = run_scrapy(
            ["outlet_health", "murianews", "-a", "since=2025-07-05", "-n", "5"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == EXIT_NOTHING_TO_JUDGE, result.stdout + result.stderr[-3000:]
    assert "all published outside the window (widen --days)" in result.stdout
    assert "no article page was parsed" not in result.stdout


def test_an_unreachable_outlet_is_not_a_broken_parser(tmp_path: Path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{probe.getsockname()[1]}"
    hosts = ("berita.murianews.com", "www.murianews.com", "sport.murianews.com")
    result = run_scrapy(
        ["outlet_health", "murianews", *WINDOW, "-n", "2"],
        cwd=tmp_path,
        host_map=dict.fromkeys(hosts, closed),
        settings={"RETRY_TIMES": "0"},
    )
    assert result.returncode == EXIT_UNREACHABLE, result.stdout + result.stderr[-3000:]
    assert "UNREACHABLE (exit 12): discovery found nothing and failed" in result.stdout
    assert re.search(
        r"^  robots +no answer +https://berita\.murianews\.com/robots\.txt$", result.stdout, re.M
    )


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


@pytest.mark.parametrize(
    ("stats", "verdict", "exit_code", "words"),
    [
        (
            {"crawler/failed/discovery_ConnectionRefusedError": 3},
            UNREACHABLE,
            EXIT_UNREACHABLE,
            "discovery found nothing and failed (discovery_ConnectionRefusedError 3)",
        ),
        (
            {
                "crawler/discovered": 4,
                "crawler/articles_requested": 2,
                "crawler/failed/article_challenge": 2,
                "crawler/blocked_kind/cloudflare-challenge": 4,
            },
            UNREACHABLE,
            EXIT_UNREACHABLE,
            "all 2 article request(s) failed (article_challenge 2), 4 block page(s)",
        ),
        (
            {
                "crawler/discovered": 6,
                "crawler/articles_requested": 3,
                "crawler/dropped/outside_window": 3,
            },
            NOTHING_TO_JUDGE,
            EXIT_NOTHING_TO_JUDGE,
            "3 article page(s) parsed, all published outside the window (widen --days)",
        ),
        (
            {"crawler/discovered": 6, "crawler/skipped/outside_window": 6},
            NOTHING_TO_JUDGE,
            EXIT_NOTHING_TO_JUDGE,
            "6 article(s) discovered, none inside the window (widen --days)",
        ),
        (
            {},
            PARSED_BADLY,
            EXIT_UNHEALTHY,
            "discovery answered but listed no article link",
        ),
        (
            {"crawler/discovered": 2, "crawler/articles_requested": 2},
            PARSED_BADLY,
            EXIT_UNHEALTHY,
            "2 article page(s) fetched, none became an article",
        ),
    ],
    ids=["down", "blocked", "parsed-outside-window", "listed-outside-window", "no-links", "junk"],
)
def test_no_parsed_article_gets_the_verdict_of_what_happened(stats, verdict, exit_code, words):
    report = build_report("murianews", "Murianews", [], DEFAULT_THRESHOLDS, stats)
    assert report.verdict[0] == verdict
    assert report.exit_code == exit_code
    assert words in report.problems[0]
    assert words in format_report(report)


def test_several_outlets_exit_with_the_worst_verdict_parsed_badly_first():
    def report(stats: dict) -> object:
        return build_report("x", "X", [], DEFAULT_THRESHOLDS, stats)

    down = report({"crawler/failed/discovery_DNSLookupError": 1})
    quiet = report({"crawler/discovered": 1})
    broken = report({})
    assert worst_exit_code([quiet, down]) == EXIT_UNREACHABLE
    assert worst_exit_code([quiet, down, broken]) == EXIT_UNHEALTHY
    assert worst_exit_code([quiet]) == EXIT_NOTHING_TO_JUDGE
    assert worst_exit_code([]) == 0


def test_threshold_overrides_are_checked():
    assert thresholds_from({"authors": "0.8"})["authors"] == 0.8
    assert thresholds_from(None) == DEFAULT_THRESHOLDS
    with pytest.raises(ValueError, match="unknown health fields"):
        thresholds_from({"headline": 1})


# --- every outlet in one go: one report to send back ------------------------------------------


def test_all_outlets_in_one_run_write_one_text_and_json_report(tmp_path: Path):
    sites = sorted(path for path in SITES.iterdir() if (path / "EXPECTED.json").is_file())
    with FixtureServer(sites) as server:
        result = run_scrapy(
            [
                "outlet_health",
                "--all",
                "-a",
                "since=2025-07-01",
                "-a",
                "until=2025-07-04",
                "-n",
                "2",
                "--report",
                "reports/health",
            ],
            cwd=tmp_path,
            host_map=server.host_map(),
            settings={"CRAWLER_BROWSER": "off"},
            timeout=600,
        )
    document = json.loads((tmp_path / "reports" / "health.json").read_text(encoding="utf-8"))
    text = (tmp_path / "reports" / "health.txt").read_text(encoding="utf-8")
    outlets = sorted(name for name in registered_outlets() if name != "generic")
    assert [entry["spider"] for entry in document["outlets"]] == outlets
    assert result.returncode == document["exit_code"], result.stderr[-3000:]
    for entry in document["outlets"]:
        assert entry["verdict"] in (HEALTHY, PARSED_BADLY, UNREACHABLE, NOTHING_TO_JUDGE)
        assert set(entry["fields"]) == set(HEALTH_FIELDS)
        assert {"candidates", "by_source", "answers"} <= set(entry["discovery"])
        assert {"pages", "by_kind"} <= set(entry["blocked"])
        assert re.search(
            rf"^{entry['spider']} +{entry['verdict']} +{entry['exit_code']} ", text, re.M
        )
    espos = next(entry for entry in document["outlets"] if entry["spider"] == "espos")
    assert espos["verdict"] == HEALTHY and espos["articles"]["parsed"] >= 1
    assert espos["fields"]["title"]["layers"]
    assert {"url": "https://www.espos.id/feed", "kind": "feed", "answer": "200"} in (
        espos["discovery"]["answers"]
    )
    assert text == result.stdout.split("report written to")[0].rstrip("\n") + "\n"
    assert "No feed is configured" not in result.stderr


def test_every_command_has_one_name():
    """Scrapy names project commands after their modules; an entry point must not add a second
    spelling (``outlet-health`` beside ``outlet_health``)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extra = project["project"].get("entry-points", {}).get("scrapy.commands", {})
    module_commands = {module.name for module in pkgutil.iter_modules(crawler.commands.__path__)}
    assert "outlet_health" in module_commands
    spellings = {name.replace("-", "_") for name in extra}
    assert not spellings & module_commands, f"second names for {spellings & module_commands}"

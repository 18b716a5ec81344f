"""Spider-close monitors: a broken outlet shows in the log, the stats and the exit status."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import SITES, read_jsonl, run_scrapy

from crawler.extensions.monitors import (
    FALLBACK_PREFIX,
    PARSED_STAT,
    PRESENT_PREFIX,
    MonitorLimits,
    judge,
)
from crawler.run.outcome import (
    EXIT_MONITOR_ERROR,
    EXIT_MONITOR_WARNING,
    EXIT_OK,
    MONITOR_ERRORS_STAT,
    MONITOR_WARNINGS_STAT,
    crawl_outcome,
)
from crawler.testing.fixture_server import FixtureServer

LIMITS = MonitorLimits(min_kab_kota=0.5, max_fallback_share=0.5, min_items=3)
WINDOW = ["-a", "since=2025-07-01", "-a", "until=2025-07-04"]


def parsed_stats(parsed: int, *, missing: dict | None = None, fallback: dict | None = None):
    """Stats of a crawl whose ``parsed`` articles all became items, except as given."""
    stats = {
        "crawler/articles_requested": parsed,
        "item_scraped_count": parsed,
        PARSED_STAT: parsed,
    }
    for name in ("title", "published", "body", "kab_kota"):
        stats[PRESENT_PREFIX + name] = parsed - (missing or {}).get(name, 0)
    for name, count in (fallback or {}).items():
        stats[FALLBACK_PREFIX + name] = count
    return stats


def test_a_healthy_crawl_has_no_verdicts():
    verdicts = judge("espos", parsed_stats(9), LIMITS)
    assert verdicts.errors == verdicts.warnings == []
    assert verdicts.coverage == {"title": 1.0, "published": 1.0, "body": 1.0, "kab_kota": 1.0}


def test_new_articles_listed_but_no_item_is_an_error():
    stats = {"crawler/articles_requested": 4, "crawler/dropped/missing_body": 4}
    verdicts = judge("espos", stats, LIMITS)
    assert verdicts.errors == [
        "espos: no new items: discovery listed 4 new article(s), 0 became items"
    ]


def test_a_few_failed_requests_are_no_outage_but_many_are():
    few = {"crawler/articles_requested": 1, "crawler/failed/article_blocked": 1}
    assert judge("espos", few, LIMITS).errors == []
    many = {"crawler/articles_requested": 3, "crawler/failed/article_http_503": 3}
    assert judge("espos", many, LIMITS).errors == [
        "espos: no new items: discovery listed 3 new article(s), 0 became items"
    ]


def test_no_items_explained_by_ordinary_drops_is_no_error():
    for reason in ("outside_window", "already_delivered", "outside_central_java"):
        stats = {"crawler/articles_requested": 2, f"crawler/dropped/{reason}": 2}
        assert judge("espos", stats, LIMITS).errors == []
    assert judge("espos", {"crawler/articles_requested": 0}, LIMITS).errors == []


def test_required_field_below_full_coverage_warns():
    stats = parsed_stats(5, missing={"published": 1})
    stats["item_scraped_count"] = 4
    stats[PRESENT_PREFIX + "kab_kota"] = 4
    (warning,) = judge("espos", stats, LIMITS).warnings
    assert warning == "espos: published coverage 80% of 5 article(s), below 100%"


def test_kab_kota_coverage_is_judged_against_its_setting():
    stats = parsed_stats(10, missing={"kab_kota": 6})
    (warning,) = judge("espos", stats, LIMITS).warnings
    assert warning.startswith("espos: kab_kota coverage 40% of 10")
    assert judge("espos", stats, MonitorLimits(min_kab_kota=0.4)).warnings == []


def test_generic_fallback_majority_warns_layout_changed_naming_outlet_and_field():
    verdicts = judge("murianews", parsed_stats(4, fallback={"body": 3, "title": 2}), LIMITS)
    assert verdicts.warnings == [
        "layout changed? murianews: body came from the generic fallback in 3/4 article(s), "
        "above 50%"
    ]
    assert judge("murianews", parsed_stats(4, fallback={"body": 2}), LIMITS).warnings == []


def test_ratio_monitors_need_a_sample_and_spare_the_generic_spider():
    small = parsed_stats(2, missing={"title": 1}, fallback={"body": 2})
    assert judge("espos", small, LIMITS).warnings == []
    large = parsed_stats(5, fallback={"body": 5})
    assert judge("generic", large, LIMITS, own_template=False).warnings == []


def test_verdicts_set_the_exit_status_after_the_crawl_conditions():
    stats = {**parsed_stats(3), MONITOR_WARNINGS_STAT: ["layout changed? x"]}
    assert crawl_outcome(stats, "finished", None) == (EXIT_MONITOR_WARNING, ["layout changed? x"])
    stats[MONITOR_ERRORS_STAT] = ["x: no new items"]
    code, reasons = crawl_outcome(stats, "finished", None)
    assert code == EXIT_MONITOR_ERROR and reasons == ["x: no new items", "layout changed? x"]
    assert crawl_outcome(stats, "shutdown", None)[0] < EXIT_MONITOR_ERROR


def changed_template_site(tmp_path: Path) -> Path:
    """The espos fixture site after a redesign: the article body container has a new name."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "espos", site)
    changed = 0
    for page in site.rglob("*"):
        if not page.is_file() or page.suffix in (".xml", ".txt", ".json", ".md"):
            continue
        html = page.read_text(encoding="utf-8")
        redesigned = re.sub(r"\b(post-content|entry-content)\b", "story-body", html)
        redesigned = re.sub(r"<(/?)article\b", r"<\1section", redesigned)
        if redesigned != html:
            page.write_text(redesigned, encoding="utf-8")
            changed += 1
    assert changed >= 9, "the espos fixture site changed: article pages not found"
    return site


def test_changed_article_template_fires_the_monitors_end_to_end(tmp_path: Path):
    with FixtureServer(changed_template_site(tmp_path)) as server:
        result = run_scrapy(
            ["crawl", "espos", *WINDOW, "-O", "out.jsonl"], cwd=tmp_path, host_map=server.host_map()
        )
    assert result.returncode == EXIT_MONITOR_WARNING, result.stderr[-3000:]
    items = read_jsonl(tmp_path / "out.jsonl")
    assert items and sum(item["extraction"]["body"] == "generic" for item in items) > len(items) / 2
    warning = re.search(r"WARNING: Monitor: (layout changed\? espos: body .*)", result.stderr)
    assert warning, result.stderr[-3000:]
    summary = re.search(r"Summary espos: .*", result.stderr)
    assert summary and summary.group(0).endswith(f"exit {EXIT_MONITOR_WARNING}: {warning.group(1)}")
    assert "'crawler/monitor/fallback/body': " in result.stderr
    assert f"'crawler/outcome/exit_code': {EXIT_MONITOR_WARNING}" in result.stderr


def test_unchanged_site_passes_the_monitors(espos_server: FixtureServer, tmp_path: Path):
    result = run_scrapy(
        ["crawl", "espos", *WINDOW, "-O", "out.jsonl"],
        cwd=tmp_path,
        host_map=espos_server.host_map(),
    )
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert "Monitor:" not in result.stderr
    assert "'crawler/monitor/coverage/body': 1.0" in result.stderr
    assert "'crawler/monitor/warnings': []" in result.stderr

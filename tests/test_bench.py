"""The benchmark harness works: ``python -m crawler.bench`` on a tiny site, and its parts.

These check that every figure is measured and printed and that ``--check`` reports missed
targets; they assert no speed target (a smoke run on a busy machine measures nothing). The
full benchmark is run by hand; see README "Performance".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.bench.figures import Spread, crawl_figures
from crawler.bench.profile import Attribution, component_of
from crawler.bench.server import load_site
from crawler.bench.site import build_site
from crawler.bench.targets import TARGETS, check
from crawler.extraction.layouts import read_article
from crawler.spiders.espos import EsposSpider

REPO = Path(__file__).resolve().parents[1]
KINDS = ("plain", "espos", "espos_in_process", "generic", "plain_small", "espos_small")


def test_site_pages_are_realistic_espos_articles(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", 8)
    article = site.articles[3]
    html = site.page_file(article).read_text(encoding="utf-8")
    assert 90_000 <= len(html.encode()) <= 110_000
    page = read_article(html, article.url, EsposSpider.layouts)
    assert page.layout is not None and page.layout.name == "espos-2023"
    assert page.article.title and page.article.published == article.published
    assert page.article.dateline and len(page.article.body) >= 9
    served = load_site(site.directory)
    assert ("www.espos.id", "/sitemap.xml") in served
    assert (article.host, article.path) in served


def crawl(articles_per_min: float, rss: float) -> dict[str, float | None]:
    return {
        "articles_per_min": articles_per_min,
        "cpu_ms_per_article": 10.0,
        "peak_rss_mb": rss,
        "server_cpu_ms_per_response": 0.3,
        "read_in_workers": 0,
    }


def test_ratios_are_paired_per_repeat_and_targets_judge_the_median() -> None:
    runs = [
        {
            "plain": crawl(1000.0, 100.0),
            "espos": crawl(800.0, 120.0),
            "espos_in_process": crawl(400.0, 120.0),
            "generic": crawl(500.0, 120.0),
            "plain_small": crawl(1000.0, 100.0),
            "espos_small": crawl(800.0, 100.0),
        },
        {
            "plain": crawl(2000.0, 100.0),
            "espos": crawl(1200.0, 105.0),
            "espos_in_process": crawl(400.0, 120.0),
            "generic": crawl(500.0, 120.0),
            "plain_small": crawl(1000.0, 100.0),
            "espos_small": crawl(800.0, 100.0),
        },
        {
            "plain": crawl(1000.0, 100.0),
            "espos": crawl(700.0, 104.0),
            "espos_in_process": crawl(400.0, 120.0),
            "generic": crawl(500.0, 120.0),
            "plain_small": crawl(1000.0, 100.0),
            "espos_small": crawl(800.0, 100.0),
        },
    ]
    figures = crawl_figures(runs)
    ratio = figures["espos_vs_plain_articles_per_min"]
    assert (ratio.median, ratio.low, ratio.high) == (0.7, 0.6, 0.8)
    assert figures["espos_in_process_read_in_workers"].median == 0  # counted, not missing
    in_process = figures["espos_in_process_vs_plain_articles_per_min"]
    assert (in_process.median, in_process.low, in_process.high) == (0.4, 0.2, 0.4)
    memory = figures["espos_peak_rss_full_vs_small"]
    assert (memory.median, memory.high) == (1.05, 1.2)
    checks = {c.target.figure: c for c in check(figures)}
    assert checks["espos_vs_plain_articles_per_min"].ok  # 0.70 >= 0.70
    assert checks["espos_peak_rss_full_vs_small"].ok  # 1.05 <= 1.10
    assert checks["espos_cpu_ms_per_article"].ok  # 10 ms <= 12
    assert not checks["espos_vs_trafilatura"].ok  # not measured: missed
    figures["espos_vs_plain_articles_per_min"] = Spread.of([0.69])
    assert not {c.target.figure: c for c in check(figures)}["espos_vs_plain_articles_per_min"].ok


def test_profile_gives_library_time_to_the_component_that_called_it() -> None:
    project = ("/x/crawler/pipelines/normalize.py", 1, "process_item")
    scrapy_core = ("/x/site-packages/scrapy/core/scraper.py", 1, "scrape")
    library = ("/x/site-packages/lxml/html/__init__.py", 1, "fromstring")
    builtin = ("~", 0, "<built-in method len>")
    table = {  # as pstats keeps it: (primitive calls, calls, own s, cumulative s, callers)
        project: (1, 1, 1.0, 6.0, {scrapy_core: (1, 1, 1.0, 6.0)}),
        scrapy_core: (1, 1, 2.0, 8.0, {}),
        library: (2, 2, 4.0, 5.0, {project: (1, 1, 3.0, 3.5), scrapy_core: (1, 1, 1.0, 1.5)}),
        builtin: (1, 1, 1.0, 1.0, {library: (1, 1, 1.0, 1.0)}),
    }
    assert component_of(project[0]) == "pipelines" and component_of(library[0]) is None
    by_component = Attribution(table).by_component()
    # The library's 4 s go 3:1 to its callers; the builtin's 1 s follows the library's split.
    assert by_component["pipelines"] == 1.0 + 3.0 + 0.75
    assert by_component["Scrapy engine and scraper"] == 2.0 + 1.0 + 0.25


def test_quick_run_measures_and_prints_every_figure(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "crawler.bench", "--quick", "--articles", "40"]
    result = subprocess.run(
        [*command, "--repeats", "1", "--check", "--report", str(report_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert report_path.exists(), result.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["articles"] == 40 and report["small_articles"] == 8
    (run,) = report["runs"]
    assert set(run) == set(KINDS)
    for kind, crawled in run.items():
        expected = 8 if kind.endswith("_small") else 40
        assert crawled["exit_code"] == 0 and crawled["articles"] == expected, (kind, crawled)
        assert crawled["complete"] and crawled["cpu_s"] > 0 and crawled["peak_rss_mb"] > 0
    assert run["espos"]["clipping_records"] == 40 and run["generic"]["jsonl_records"] == 40
    # 40 articles: read in process, before a worker would start (after 100).
    assert run["espos"]["read_in_workers"] == run["espos_in_process"]["read_in_workers"] == 0
    rounds = report["page_cpu"]["rounds"]
    assert len(rounds) == 1 and all(value > 0 for value in rounds[0].values())
    assert report["page_cpu"]["articles_with_title_body_region"] == {"espos": 30, "generic": 30}
    assert report["store"]["hits"] == report["store"]["lookups"] // 2
    assert report["scrapy_bench"]["pages_per_min"] > 0
    assert set(report["checks"]) == {target.figure for target in TARGETS}
    for target in TARGETS:
        assert target.description in result.stdout
    missed = [c for c in report["checks"].values() if not c["ok"]]
    assert result.returncode == (1 if missed else 0), result.stderr[-3000:]
    for check_result in missed:
        assert check_result["description"] in result.stdout.split("missed targets:")[1]
    assert "plain Scrapy" in result.stdout and "trafilatura" in result.stdout

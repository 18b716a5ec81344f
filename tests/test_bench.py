"""Smoke test of ``python -m crawler.bench``: a tiny run, checked for the report's structure.

The full benchmark (5,000 pages, about ten minutes) is run by hand; see README "Performance".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.bench.server import load_site
from crawler.bench.site import build_site
from crawler.layouts import read_article
from crawler.spiders.espos import EsposSpider

REPO = Path(__file__).resolve().parents[1]


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


def test_quick_run_writes_a_report_with_ratios(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.bench",
            "--quick",
            "--pages",
            "50",
            "--report",
            str(report_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["pages"] == 50 and report["quick"] is True
    assert report["crawl"]["articles"] == 50 and report["crawl"]["exit_code"] == 0
    assert report["crawl"]["clipping_files"] == 1 and report["crawl"]["clipping_records"] == 50
    assert report["crawl_small"]["articles"] == 10
    assert report["crawl"]["articles_per_min"] > 0 and report["crawl"]["peak_rss_mb"] > 0
    assert report["scrapy_bench"]["pages_per_min"] > 0
    cpu = report["cpu"]
    assert cpu["extraction_ms"] > 0 and cpu["enrichment_ms"] > 0 and cpu["trafilatura_ms"] > 0
    assert cpu["articles_with_title_body_region"] == cpu["sample_pages"]
    assert report["store"]["hashes"] == 20_000
    assert report["store"]["hits"] == report["store"]["lookups"] // 2
    assert set(report["ratios"]) == {
        "crawl_articles_per_min_vs_scrapy_bench_pages_per_min",
        "our_extraction_enrichment_cpu_vs_trafilatura",
        "peak_rss_full_vs_fifth_of_articles",
    }
    for check in report["checks"].values():
        assert set(check) == {"value", "target", "ok"}
    assert "end-to-end crawl" in result.stdout and "scrapy bench" in result.stdout

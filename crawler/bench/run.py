"""Measure the crawler against the real ceiling: plain Scrapy on the same pages, same run.

``python -m crawler.bench`` builds a site of constructed Espos-style article pages
(``crawler.bench.site``), serves it from its own process (``crawler.bench.server``) and, for
each repeat, crawls it in turn (``crawler.bench.crawls``):

1. ``plain``: a plain Scrapy spider reading only ``<title>`` (Scrapy's defaults, no project);
2. ``espos``: ``scrapy crawl espos`` as a user runs it: every pipeline, extension and both
   feeds, default settings (article pages read in a worker where there is a core to spare);
3. ``espos_in_process``: the same with every page read on the crawl's own thread;
4. ``generic``: ``scrapy crawl generic`` over the same sitemap;
5. ``plain_small`` and ``espos_small``: plain and espos over a site of a fifth of the
   articles, for peak RSS at 1k against 5k articles.

All with the same concurrency and download settings against the same server. Then, in this
process, CPU per page of our extraction and enrichment and of trafilatura on the same pages
(``crawler.bench.page_cpu``), delivered-store lookups (``crawler.bench.store_lookups``), and
``scrapy bench`` as a secondary figure. It prints every figure as median [min .. max] over
the repeats, checks the targets (``crawler.bench.targets``) and writes a JSON report;
``--check`` makes a missed target an exit status of 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy

from crawler.bench import page_cpu, store_lookups
from crawler.bench.crawls import SHARED_SETTINGS, plain_settings, run_crawl, scrapy_bench
from crawler.bench.figures import Spread, crawl_figures, page_cpu_figures
from crawler.bench.report import table
from crawler.bench.server import spawn
from crawler.bench.site import BenchSite, build_site
from crawler.bench.targets import Check, check

#: Crawls of one repeat, in the order they run.
ORDER = ("plain", "espos", "espos_in_process", "generic", "plain_small", "espos_small")
SMALL_SUFFIX = "_small"
#: The small site holds this share of the articles (1,000 of 5,000).
SMALL_DIVISOR = 5
DEFAULT_ARTICLES = 5000
DEFAULT_REPEATS = 3
QUICK_ARTICLES = 300
#: Full run and --quick: pages of the in-process sample, scrapy bench seconds, stored hashes.
PAGE_SAMPLE = 300
QUICK_PAGE_SAMPLE = 30
SCRAPY_BENCH_SECONDS = 10
QUICK_SCRAPY_BENCH_SECONDS = 3
QUICK_STORE_HASHES = 20_000


def crawl_timeout(articles: int) -> float:
    """Generous: a crawl killed by it shows as incomplete, it does not hang the benchmark."""
    return 120 + articles * 0.25


def run_crawls(
    sites: dict[str, BenchSite],
    repeats: int,
    workdir: Path,
    *,
    keep: bool,
    log: Callable[[str], None],
) -> list[dict[str, dict[str, Any]]]:
    """Every repeat's crawls, in ``ORDER``, each against its site's own server process."""
    servers = {name: spawn(site.directory) for name, site in sites.items()}
    runs = []
    try:
        for repeat in range(1, repeats + 1):
            run: dict[str, dict[str, Any]] = {}
            for kind in ORDER:
                site_name = "small" if kind.endswith(SMALL_SUFFIX) else "full"
                site = sites[site_name]
                server, port = servers[site_name]
                crawl_dir = workdir / "crawls" / f"{repeat}-{kind}"
                log(f"repeat {repeat}/{repeats}: {kind} ({len(site.articles)} articles)")
                run[kind] = run_crawl(
                    kind.removesuffix(SMALL_SUFFIX),
                    site,
                    port,
                    server.pid,
                    crawl_dir,
                    timeout=crawl_timeout(len(site.articles)),
                )
                if not keep:
                    shutil.rmtree(crawl_dir, ignore_errors=True)
            runs.append(run)
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
    return runs


def machine() -> dict[str, Any]:
    import trafilatura

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "trafilatura": trafilatura.__version__,
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def run(
    articles: int,
    repeats: int,
    *,
    quick: bool,
    workdir: Path,
    keep: bool,
    log: Callable[[str], None],
) -> dict[str, Any]:
    small_articles = max(1, articles // SMALL_DIVISOR)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": articles,
        "small_articles": small_articles,
        "repeats": repeats,
        "quick": quick,
        "order": list(ORDER),
        "shared_settings": SHARED_SETTINGS,
        "plain_settings": plain_settings(),
        "machine_at_start": machine(),
    }
    log(f"building {articles} + {small_articles} pages in {workdir}")
    sites = {
        "full": build_site(workdir / "site", articles),
        "small": build_site(workdir / "site-small", small_articles),
    }
    seconds = QUICK_SCRAPY_BENCH_SECONDS if quick else SCRAPY_BENCH_SECONDS
    log(f"scrapy bench, {seconds} s")
    report["scrapy_bench"] = scrapy_bench(workdir / "scrapy-bench", seconds, timeout=seconds + 120)
    report["runs"] = run_crawls(sites, repeats, workdir, keep=keep, log=log)
    sample = min(articles, QUICK_PAGE_SAMPLE if quick else PAGE_SAMPLE)
    log(f"CPU per page in process: {sample} pages, {repeats} rounds")
    report["page_cpu"] = page_cpu.measure(sites["full"], sample, repeats)
    hashes = QUICK_STORE_HASHES if quick else store_lookups.HASHES
    log(f"delivered-store with {hashes:,} hashes")
    report["store"] = store_lookups.measure(
        workdir / "store", hashes, QUICK_STORE_HASHES if quick else store_lookups.LOOKUPS
    )
    report["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    return report


def figures_of(report: dict[str, Any]) -> dict[str, Spread]:
    cpu = report["page_cpu"]
    complete = [crawl["complete"] for run in report["runs"] for crawl in run.values()]
    complete += [
        found == cpu["sample_pages"] for found in cpu["articles_with_title_body_region"].values()
    ]
    return {
        **crawl_figures(report["runs"]),
        **page_cpu_figures(cpu["rounds"]),
        "store_lookups_per_s": Spread.of([report["store"]["lookups_per_s"]]),
        "complete": Spread.of([sum(complete) / len(complete)]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--articles",
        type=int,
        help=f"articles of the site ({DEFAULT_ARTICLES}; --quick: {QUICK_ARTICLES})",
    )
    parser.add_argument(
        "--repeats", type=int, help=f"crawls of each kind ({DEFAULT_REPEATS}; --quick: 1)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK_PAGE_SAMPLE} in-process pages, {QUICK_STORE_HASHES:,} "
        f"hashes, {QUICK_SCRAPY_BENCH_SECONDS} s of scrapy bench",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--report", type=Path, default=Path("bench-report.json"))
    parser.add_argument("--keep", action="store_true", help="keep the sites and crawl logs")
    args = parser.parse_args(argv)
    articles = args.articles or (QUICK_ARTICLES if args.quick else DEFAULT_ARTICLES)
    repeats = args.repeats or (1 if args.quick else DEFAULT_REPEATS)

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="crawler-bench-"))
    try:
        report = run(articles, repeats, quick=args.quick, workdir=workdir, keep=args.keep, log=log)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    figures = figures_of(report)
    checks = check(figures)
    report["figures"] = {name: spread.as_dict() for name, spread in figures.items()}
    report["checks"] = {c.target.figure: c.as_dict() for c in checks}
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report, figures, checks))
    print(f"\nreport: {args.report}")
    missed = missed_targets(checks)
    if args.check and missed:
        print("missed targets: " + "; ".join(missed))
        sys.exit(1)


def missed_targets(checks: list[Check]) -> list[str]:
    return [
        f"{c.target.description} {c.spread.median:.3f} (target {c.target.wording})"
        for c in checks
        if not c.ok
    ]

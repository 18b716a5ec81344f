"""Measure the crawler on a local fixture site and compare it with Scrapy and trafilatura.

One run, one machine, so the ratios hold even where absolute times are noisy:

- end-to-end articles/min of a real ``scrapy crawl espos`` subprocess over the site (fetch from
  127.0.0.1, parse, enrich, dedupe, delivered-store, JSON Lines and clipping feeds), with a
  throwaway state directory, AutoThrottle off, no delay and high concurrency;
- its peak RSS (``os.wait4`` of that process), and the same for a crawl of a fifth of the
  articles, to show whether memory grows with the number of articles;
- CPU milliseconds per article of our extraction and of our enrichment, in this process, over a
  sample of the same pages, and trafilatura's extraction of the same pages;
- delivered-store lookups/s with 1,000,000 hashes stored (SQLite backend);
- ``scrapy bench`` pages/min (Scrapy's own spider and server), parsed from its log.

It prints a table and writes a JSON report (``--report``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy

from crawler.bench.site import BenchSite, build_site
from crawler.exporters import read_clippings

SPIDER = "espos"
#: The outlet's home region (Solo), as its spider declares it.
HOME_REGION = "33.72"
#: Settings of the benchmark crawl: no politeness delays (the server is ours), many requests
#: in flight, no live progress lines, no browser.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "64",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "64",
    "CRAWLER_PROGRESS_INTERVAL": "0",
    "CRAWLER_BROWSER": "off",
    "CRAWLER_STATE_DIR": "state",
    "LOG_LEVEL": "INFO",
    "LOG_FILE": "crawl.log",
}
#: Length of the ``scrapy bench`` run (Scrapy's default is 10 s).
SCRAPY_BENCH_SECONDS = 10
QUICK_SCRAPY_BENCH_SECONDS = 3
#: Stores of this many hashes; --quick uses fewer.
STORE_HASHES = 1_000_000
STORE_LOOKUPS = 200_000
#: The lookups are timed this many times and the fastest round counts (as ``timeit`` does):
#: on a shared machine the slower rounds measure the other processes.
STORE_ROUNDS = 3
#: Pages of the site read in process for the CPU measurements (evenly spread).
CPU_SAMPLE_PAGES = 300
#: Targets of issue 9 (checked on the ratios of one run).
MIN_CRAWL_VS_SCRAPY_BENCH = 0.5
MAX_CPU_VS_TRAFILATURA = 1.0
MAX_PEAK_RSS_MB = 300.0
#: RSS of the full crawl may exceed that of the crawl of a fifth of the articles by this share.
MAX_RSS_GROWTH = 0.25
MIN_STORE_LOOKUPS_PER_S = 100_000.0

_STAT = r"'{name}': ([0-9.]+)"
_LOGSTATS = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


def stat_from_log(log: str, name: str) -> float | None:
    """A number from Scrapy's closing stats dump, e.g. ``item_scraped_count``."""
    found = re.findall(_STAT.format(name=re.escape(name)), log)
    return float(found[-1]) if found else None


@dataclass
class ProcessResult:
    returncode: int
    wall_s: float
    peak_rss_mb: float
    log: str


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], log_file: Path | None, timeout: float
) -> ProcessResult:
    """Run a command to its end; its own peak RSS comes from ``wait4`` (Linux: KiB)."""
    started = time.perf_counter()
    with open(cwd / "stdout.log", "wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    log = (cwd / "stdout.log").read_text(errors="replace")
    if log_file is not None and log_file.exists():
        log += log_file.read_text(errors="replace")
    return ProcessResult(process.returncode, wall, usage.ru_maxrss / 1024, log)


def project_env() -> dict[str, str]:
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}


# --- the end-to-end crawl ----------------------------------------------------------------------


def crawl(
    site: BenchSite, port: int, workdir: Path, *, max_articles: int | None, timeout: float
) -> dict[str, Any]:
    """A real ``scrapy crawl`` of the site; articles/min from its own elapsed time."""
    workdir.mkdir(parents=True, exist_ok=True)
    host_map = {host: f"127.0.0.1:{port}" for host in site.hosts}
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        SPIDER,
        "-a",
        f"since={site.since.isoformat()}",
        "-a",
        f"until={site.until.isoformat()}",
    ]
    if max_articles:
        command += ["-a", f"max_articles={max_articles}"]
    for name, value in {**CRAWL_SETTINGS, "CRAWLER_HOST_MAP": json.dumps(host_map)}.items():
        command += ["-s", f"{name}={value}"]
    result = run_measured(
        command,
        cwd=workdir,
        env=project_env(),
        log_file=workdir / CRAWL_SETTINGS["LOG_FILE"],
        timeout=timeout,
    )
    feeds = sorted((workdir / "output" / SPIDER).glob("*.jsonl"))
    articles = sum(1 for feed in feeds for line in feed.open(encoding="utf-8") if line.strip())
    clippings = sorted((workdir / "output" / SPIDER).glob("*.txt"))
    clipping_records = sum(
        len(read_clippings(file.read_text(encoding="utf-8"))) for file in clippings
    )
    elapsed = stat_from_log(result.log, "elapsed_time_seconds") or result.wall_s
    return {
        "articles": articles,
        "clipping_files": len(clippings),
        "clipping_records": clipping_records,
        "delivered": int(stat_from_log(result.log, "crawler/delivered") or 0),
        "responses": int(stat_from_log(result.log, "response_received_count") or 0),
        "elapsed_s": round(elapsed, 2),
        "wall_s": round(result.wall_s, 2),
        "articles_per_min": round(articles * 60 / elapsed, 1) if elapsed else 0.0,
        "peak_rss_mb": round(result.peak_rss_mb, 1),
        "exit_code": result.returncode,
        "max_articles": max_articles,
    }


# --- scrapy bench ------------------------------------------------------------------------------


def scrapy_bench(workdir: Path, seconds: int, timeout: float) -> dict[str, Any]:
    """Scrapy's own benchmark (its spider, its local server, default settings), ``seconds`` long."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"]
    result = run_measured(command, cwd=workdir, env=env, log_file=None, timeout=timeout)
    responses = stat_from_log(result.log, "response_received_count") or 0
    elapsed = stat_from_log(result.log, "elapsed_time_seconds") or result.wall_s
    per_interval = [int(rate) for _, rate in _LOGSTATS.findall(result.log)]
    return {
        "responses": int(responses),
        "elapsed_s": round(elapsed, 2),
        "pages_per_min": round(responses * 60 / elapsed, 1) if elapsed else 0.0,
        "logstats_pages_per_min_max": max(per_interval, default=0),
        "exit_code": result.returncode,
    }


# --- CPU per article, in process ---------------------------------------------------------------


def cpu_ms_per_call(function: Callable[[Any], Any], inputs: list[Any]) -> tuple[float, list[Any]]:
    """Mean CPU milliseconds of ``function`` over ``inputs`` (after one warm-up call)."""
    function(inputs[0])
    started = time.process_time()
    outputs = [function(value) for value in inputs]
    return (time.process_time() - started) * 1000 / len(inputs), outputs


def sample_pages(site: BenchSite, count: int) -> list[tuple[str, str]]:
    step = max(1, len(site.articles) // count)
    chosen = site.articles[::step][:count]
    return [(a.url, site.page_file(a).read_text(encoding="utf-8")) for a in chosen]


def cpu_per_article(site: BenchSite, count: int) -> dict[str, Any]:
    """Our extraction and enrichment, and trafilatura's extraction, on the same pages."""
    import trafilatura

    from crawler.enrichment.parties import PartyEnricher
    from crawler.enrichment.regions import RegionEnricher
    from crawler.enrichment.sentiment import SentimentEnricher
    from crawler.items import ArticleItem
    from crawler.layouts import read_article
    from crawler.spiders.espos import EsposSpider

    pages = sample_pages(site, count)
    layouts = EsposSpider.layouts

    def extract(page: tuple[str, str]) -> ArticleItem:
        url, html = page
        article = read_article(html, url, layouts).article
        return ArticleItem(
            url=url,
            outlet=SPIDER,
            title=article.title,
            body=list(article.body),
            dateline=article.dateline,
            published=article.published,
        )

    enrichers = [RegionEnricher(home_region=HOME_REGION), PartyEnricher(), SentimentEnricher()]

    def enrich(item: ArticleItem) -> ArticleItem:
        for enricher in enrichers:
            enricher.enrich(item)
        return item

    def trafilatura_extract(page: tuple[str, str]) -> Any:
        url, html = page
        return trafilatura.bare_extraction(html, url=url, with_metadata=True)

    extraction_ms, items = cpu_ms_per_call(extract, pages)
    enrichment_ms, _ = cpu_ms_per_call(enrich, items)
    trafilatura_ms, _ = cpu_ms_per_call(trafilatura_extract, pages)
    return {
        "sample_pages": len(pages),
        "mean_page_bytes": round(sum(len(html.encode()) for _, html in pages) / len(pages)),
        "extraction_ms": round(extraction_ms, 3),
        "enrichment_ms": round(enrichment_ms, 3),
        "ours_ms": round(extraction_ms + enrichment_ms, 3),
        "trafilatura_ms": round(trafilatura_ms, 3),
        "trafilatura_call": "trafilatura.bare_extraction(html, url=url, with_metadata=True)",
        "articles_with_title_body_region": sum(
            1 for item in items if item.title and item.body and item.kab_kota
        ),
    }


# --- delivered-store lookups -------------------------------------------------------------------


def fake_hashes(start: int, count: int) -> Iterable[str]:
    for number in range(start, start + count):
        yield hashlib.sha1(f"https://bench.invalid/{number}".encode()).hexdigest()


def store_lookups(workdir: Path, hashes: int, lookups: int) -> dict[str, Any]:
    """Lookups/s of ``SqliteDeliveredStore.seen`` with ``hashes`` stored, half of them hits.

    Wall-clock rate of the fastest of ``STORE_ROUNDS`` rounds; the CPU-time rate beside it.
    """
    from crawler.store.sqlite import UPSERT_DELIVERED, SqliteDeliveredStore

    workdir.mkdir(parents=True, exist_ok=True)
    store = SqliteDeliveredStore(workdir / "delivered.sqlite3")
    started = time.perf_counter()
    moment = "2025-07-20T00:00:00.000000+00:00"
    with store.connection:
        store.connection.executemany(
            UPSERT_DELIVERED, ((h, SPIDER, moment, moment) for h in fake_hashes(0, hashes))
        )
    build_s = time.perf_counter() - started
    chooser = random.Random(9)
    present = [chooser.randrange(hashes) for _ in range(lookups // 2)]
    probes = [next(iter(fake_hashes(n, 1))) for n in present]
    probes += list(fake_hashes(hashes, lookups - len(probes)))
    chooser.shuffle(probes)
    store.seen(probes[0])
    best_wall = best_cpu = float("inf")
    for _ in range(STORE_ROUNDS):
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        hits = sum(1 for probe in probes if store.seen(probe))
        best_wall = min(best_wall, time.perf_counter() - wall_started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    stored = store.delivered_count()
    store.close()
    return {
        "hashes": stored,
        "lookups": len(probes),
        "hits": hits,
        "build_s": round(build_s, 2),
        "rounds": STORE_ROUNDS,
        "lookups_per_s": round(len(probes) / best_wall),
        "lookups_per_cpu_s": round(len(probes) / best_cpu),
    }


# --- the run -----------------------------------------------------------------------------------


def start_server(site: BenchSite) -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.bench.server", str(site.directory)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline() if server.stdout else ""
    if not line.startswith("PORT "):
        server.kill()
        raise RuntimeError(f"benchmark server did not start: {line!r}")
    return server, int(line.split()[1])


def check(value: float, target: float, *, at_most: bool = False) -> dict[str, Any]:
    ok = value <= target if at_most else value >= target
    return {"value": value, "target": ("<= " if at_most else ">= ") + str(target), "ok": ok}


def ratios_and_checks(report: dict[str, Any]) -> None:
    full, small = report["crawl"], report["crawl_small"]
    cpu, bench = report["cpu"], report["scrapy_bench"]
    crawl_ratio = full["articles_per_min"] / bench["pages_per_min"] if bench["pages_per_min"] else 0
    cpu_ratio = cpu["ours_ms"] / cpu["trafilatura_ms"] if cpu["trafilatura_ms"] else 0
    rss_growth = full["peak_rss_mb"] / small["peak_rss_mb"] - 1 if small["peak_rss_mb"] else 0
    report["ratios"] = {
        "crawl_articles_per_min_vs_scrapy_bench_pages_per_min": round(crawl_ratio, 3),
        "our_extraction_enrichment_cpu_vs_trafilatura": round(cpu_ratio, 3),
        "peak_rss_full_vs_fifth_of_articles": round(1 + rss_growth, 3),
    }
    report["checks"] = {
        "crawl_vs_scrapy_bench": check(round(crawl_ratio, 3), MIN_CRAWL_VS_SCRAPY_BENCH),
        "cpu_vs_trafilatura": check(round(cpu_ratio, 3), MAX_CPU_VS_TRAFILATURA, at_most=True),
        "peak_rss_mb": check(full["peak_rss_mb"], MAX_PEAK_RSS_MB, at_most=True),
        "rss_growth_full_vs_fifth": check(round(rss_growth, 3), MAX_RSS_GROWTH, at_most=True),
        "store_lookups_per_s": check(report["store"]["lookups_per_s"], MIN_STORE_LOOKUPS_PER_S),
    }


def table(report: dict[str, Any]) -> str:
    full, small, cpu = report["crawl"], report["crawl_small"], report["cpu"]
    store, bench = report["store"], report["scrapy_bench"]
    rows = [
        (
            "end-to-end crawl",
            f"{full['articles_per_min']:.0f} articles/min",
            f"{full['articles']} articles in {full['elapsed_s']} s, exit {full['exit_code']}",
        ),
        (
            "scrapy bench",
            f"{bench['pages_per_min']:.0f} pages/min",
            f"{bench['responses']} pages in {bench['elapsed_s']} s",
        ),
        (
            "extraction CPU",
            f"{cpu['extraction_ms']:.2f} ms/article",
            f"{cpu['sample_pages']} pages of ~{cpu['mean_page_bytes'] // 1000} KB",
        ),
        ("enrichment CPU", f"{cpu['enrichment_ms']:.2f} ms/article", "regions, parties, sentiment"),
        (
            "trafilatura CPU",
            f"{cpu['trafilatura_ms']:.2f} ms/article",
            "bare_extraction, same pages",
        ),
        (
            "peak RSS",
            f"{full['peak_rss_mb']:.0f} MB",
            f"{small['peak_rss_mb']:.0f} MB for {small['articles']} articles",
        ),
        (
            "delivered-store",
            f"{store['lookups_per_s']:,} lookups/s",
            f"{store['hashes']:,} hashes stored; {store['lookups_per_cpu_s']:,} per CPU second",
        ),
    ]
    lines = [f"{name:<18} {value:>22}  {detail}" for name, value, detail in rows]
    lines.append("")
    for name, result in report["checks"].items():
        verdict = "ok" if result["ok"] else "FAIL"
        lines.append(f"{name:<26} {result['value']!s:>10} (target {result['target']}) {verdict}")
    return "\n".join(lines)


def run(pages: int, *, quick: bool, workdir: Path, log: Callable[[str], None]) -> dict[str, Any]:
    import trafilatura

    timeout = 120 if quick else 3600
    log(f"building {pages} pages in {workdir / 'site'}")
    site = build_site(workdir / "site", pages)
    report: dict[str, Any] = {
        "pages": pages,
        "quick": quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "scrapy": scrapy.__version__,
            "trafilatura": trafilatura.__version__,
        },
        "server": "crawler.bench.server: ThreadingHTTPServer, HTTP/1.1 keep-alive, pages in "
        "memory, own process",
    }
    log("scrapy bench")
    seconds = QUICK_SCRAPY_BENCH_SECONDS if quick else SCRAPY_BENCH_SECONDS
    report["scrapy_bench"] = scrapy_bench(workdir / "scrapy-bench", seconds, timeout)
    server, port = start_server(site)
    try:
        small = max(1, pages // 5)
        log(f"crawl of {small} articles")
        report["crawl_small"] = crawl(
            site, port, workdir / "crawl-small", max_articles=small, timeout=timeout
        )
        log(f"crawl of {pages} articles")
        report["crawl"] = crawl(site, port, workdir / "crawl", max_articles=None, timeout=timeout)
    finally:
        server.terminate()
        server.wait()
    log("CPU per article")
    report["cpu"] = cpu_per_article(site, min(pages, 30 if quick else CPU_SAMPLE_PAGES))
    hashes = 20_000 if quick else STORE_HASHES
    log(f"delivered-store with {hashes} hashes")
    report["store"] = store_lookups(workdir / "store", hashes, 20_000 if quick else STORE_LOOKUPS)
    ratios_and_checks(report)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", type=int, default=None, help="articles of the site (5000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small run: 200 pages, 20,000 hashes, 3 s of scrapy bench",
    )
    parser.add_argument("--report", type=Path, default=Path("bench-report.json"))
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args(argv)
    pages = args.pages or (200 if args.quick else 5000)

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="crawler-bench-"))
    try:
        report = run(pages, quick=args.quick, workdir=workdir, log=log)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nreport: {args.report}")

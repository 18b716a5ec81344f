"""Does the cluster scale? 1 worker against 3 on slow outlets, each article and source once.

``python -m crawler.bench.cluster`` builds ``--outlets`` constructed outlets
(``crawler.bench.cluster_site``), serves them from one slow server process that answers
every request after ``--delay`` seconds and logs it (``crawler.bench.cluster_server``), and,
for each repeat, crawls them all with 1 worker and then with ``--workers`` workers, each run
with a fresh redis-server. A worker is one process crawling every outlet
(``crawler.bench.cluster_worker``), as a machine of the cluster would.

What a worker may do is set as on a deployment: its own capacity is ``CONCURRENT_REQUESTS``
per outlet crawl (``WORKER_CAPACITY``), each outlet's politeness ``CONCURRENT_REQUESTS_PER_DOMAIN``
(``POLITENESS``), which the cluster shares (``crawler.cluster.politeness``). One worker is
bound by its capacity; three together are bound by the outlets' politeness, which the
server's log proves held.

Time runs from the first worker's start to the last one's exit (start-up, discovery and the
end of the run included). Per repeat it prints both crawls (time, articles, the workers' CPU,
source fetches, most requests in flight per outlet); then medians with [min .. max] over the
repeats of both times, of their paired ratio and of the CPU, and the checks: the ratio's
median at least ``TARGET_SPEEDUP``, every article delivered exactly once over all workers'
feeds, every discovery source fetched exactly once per run (the server's log; robots.txt is
Scrapy's robots middleware, once per process and host, and not counted), no outlet ever
above its politeness. ``--check`` exits 1 when one fails; ``--quick`` is a small, fast run
for tests (judged on correctness only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.bench.cluster_server import LOG_PATH, spawn
from crawler.bench.cluster_site import BenchOutlet, build_outlets
from crawler.bench.cluster_worker import feed_file
from crawler.bench.figures import Spread
from crawler.bench.process import wait_measured
from crawler.testing.redis_server import RedisServer

TARGET_SPEEDUP = 2.5
#: In-flight requests one worker makes per outlet, and the outlets' politeness (cluster-wide).
WORKER_CAPACITY = 1
POLITENESS = 3
WORKER_SETTINGS = {
    "CONCURRENT_REQUESTS": str(WORKER_CAPACITY),
    "CONCURRENT_REQUESTS_PER_DOMAIN": str(POLITENESS),
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
    "LOG_FILE": "worker.log",
    "TELNETCONSOLE_ENABLED": "False",
    "CRAWLER_PROGRESS_INTERVAL": "0",
}
#: Pages answer after 1 s by default: one worker spends about 30 ms of CPU per article, so
#: with 200 ms pages three workers of six outlets each would need 2.6 cores and a 2-core
#: machine would measure its CPU, not the cluster (``--delay 0.2``: 1.36x, README).
FULL = {"outlets": 6, "articles": 300, "repeats": 3, "delay": 1.0}
QUICK = {"outlets": 6, "articles": 15, "repeats": 1, "delay": 0.05}
TIMEOUT = 900.0


@dataclass
class ClusterRun:
    """One crawl of every outlet by ``workers`` workers, and what the servers saw."""

    workers: int
    seconds: float
    exit_codes: list[int]
    #: How often each article URL was delivered, over every worker's feeds.
    delivered: Counter[str]
    #: host + path -> requests the server answered.
    requests: dict[str, int]
    max_in_flight: dict[str, int]
    #: The outlets' politeness the workers ran with (requests in flight per outlet).
    politeness: int
    problems: list[str] = field(default_factory=list)
    #: User and system CPU seconds of the workers together.
    cpu_seconds: float = 0.0

    def judge(self, outlets: list[BenchOutlet]) -> None:
        """Note every way this run failed exactly-once delivery, sources or politeness."""
        if any(self.exit_codes):
            self.problems.append(f"worker exit codes {self.exit_codes}")
        expected = set().union(*(outlet.article_urls for outlet in outlets))
        missing = expected - set(self.delivered)
        twice = [url for url, count in self.delivered.items() if count > 1]
        extra = set(self.delivered) - expected
        for what, urls in (("missing", missing), ("delivered twice", twice), ("unknown", extra)):
            if urls:
                self.problems.append(f"{len(urls)} articles {what}, e.g. {sorted(urls)[0]}")
        for outlet in outlets:
            for path in sorted(outlet.source_paths):
                count = self.requests.get(outlet.host + path, 0)
                if count != 1:
                    self.problems.append(f"source {outlet.host}{path} fetched {count} times")
            most = self.max_in_flight.get(outlet.host, 0)
            if most > self.politeness:
                self.problems.append(f"{outlet.host}: {most} in flight > {self.politeness}")

    @property
    def sources_fetched(self) -> int:
        return sum(
            count
            for key, count in self.requests.items()
            if "/sitemap" in key or key.endswith("/feed.xml")
        )


def server_log(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{LOG_PATH}", timeout=10) as answer:
        return json.load(answer)


def delivered_urls(workdir: Path, outlets: list[BenchOutlet]) -> list[str]:
    urls = []
    for outlet in outlets:
        feed = workdir / feed_file(outlet)
        if feed.exists():
            lines = feed.read_text(encoding="utf-8").splitlines()
            urls += [json.loads(line)["url"] for line in lines if line.strip()]
    return urls


def crawl(
    workers: int,
    site: Path,
    outlets: list[BenchOutlet],
    delay: float,
    root: Path,
    settings: dict[str, str] | None = None,
) -> ClusterRun:
    """Every outlet crawled by ``workers`` worker processes against a fresh Redis and server;
    ``settings`` change ``WORKER_SETTINGS``."""
    settings = {**WORKER_SETTINGS, **(settings or {})}
    server, port = spawn(site, delay)
    try:
        with RedisServer(root / "redis") as redis:
            env = {**os.environ, "CRAWLER_REDIS_URL": redis.url}
            env.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
            command = [sys.executable, "-m", "crawler.bench.cluster_worker", "--port", str(port)]
            command += ["--outlets", str(len(outlets)), "--articles", str(outlets[0].articles)]
            for name, value in settings.items():
                command += ["-s", f"{name}={value}"]
            workdirs = [root / f"worker-{index}" for index in range(workers)]
            began = time.monotonic()
            processes = []
            for workdir in workdirs:
                workdir.mkdir(parents=True)
                output = (workdir / "stdout.log").open("w")
                processes.append(
                    subprocess.Popen(
                        command, cwd=workdir, env=env, stdout=output, stderr=subprocess.STDOUT
                    )
                )
            ended = [wait_measured(process, TIMEOUT)[:2] for process in processes]
            seconds = time.monotonic() - began
        log = server_log(port)
    finally:
        server.terminate()
        server.wait(timeout=10)
    delivered = Counter(url for workdir in workdirs for url in delivered_urls(workdir, outlets))
    codes = [code for code, _ in ended]
    politeness = int(settings["CONCURRENT_REQUESTS_PER_DOMAIN"])
    run = ClusterRun(
        workers, seconds, codes, delivered, log["requests"], log["max_in_flight"], politeness
    )
    run.cpu_seconds = sum(cpu for _, cpu in ended)
    run.judge(outlets)
    return run


def describe(run: ClusterRun) -> str:
    articles = sum(run.delivered.values())
    rate = articles / run.seconds * 60 if run.seconds else 0.0
    most = max(run.max_in_flight.values(), default=0)
    verdict = "ok" if not run.problems else "; ".join(run.problems[:3])
    return (
        f"{run.workers} worker(s): {run.seconds:6.1f} s, {articles} articles "
        f"({rate:,.0f}/min), CPU {run.cpu_seconds:.1f} s, {run.sources_fetched} source fetches, "
        f"at most {most} in flight per outlet: {verdict}"
    )


def spread_text(spread: Spread, unit: str = "") -> str:
    return f"{spread.median:.2f}{unit} [{spread.low:.2f} .. {spread.high:.2f}]"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small site, one repeat")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--outlets", type=int)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--delay", type=float, help="seconds before the server answers")
    parser.add_argument("--keep", type=Path, help="keep logs and feeds in this directory")
    options = parser.parse_args(argv)
    plan = {**(QUICK if options.quick else FULL)}
    for name in plan:
        if getattr(options, name) is not None:
            plan[name] = getattr(options, name)
    root = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    print(
        f"{plan['outlets']} outlets x {plan['articles']} articles, pages delayed "
        f"{plan['delay']} s, worker capacity {WORKER_CAPACITY} per outlet, politeness "
        f"{POLITENESS} per outlet; {plan['repeats']} repeat(s), 1 vs {options.workers} workers",
        flush=True,
    )
    runs: list[tuple[ClusterRun, ClusterRun]] = []
    try:
        outlets = build_outlets(root / "site", plan["outlets"], plan["articles"])
        for repeat in range(1, plan["repeats"] + 1):
            pair = []
            for workers in (1, options.workers):
                run = crawl(
                    workers, root / "site", outlets, plan["delay"], root / f"{repeat}-{workers}"
                )
                print(f"repeat {repeat}: {describe(run)}", flush=True)
                pair.append(run)
            runs.append((pair[0], pair[1]))
    finally:
        if options.keep:
            shutil.copytree(root, options.keep, dirs_exist_ok=True)
        shutil.rmtree(root, ignore_errors=True)
    single = Spread.of([one.seconds for one, _ in runs])
    many = Spread.of([more.seconds for _, more in runs])
    speedup = Spread.of([one.seconds / more.seconds for one, more in runs])
    problems = [problem for pair in runs for run in pair for problem in run.problems]
    print(f"1 worker:  {spread_text(single, ' s')}")
    print(f"{options.workers} workers: {spread_text(many, ' s')}")
    print(f"speedup:   {spread_text(speedup, 'x')} (target >= {TARGET_SPEEDUP}x)")
    cpu_single = Spread.of([one.cpu_seconds for one, _ in runs])
    cpu_many = Spread.of([more.cpu_seconds for _, more in runs])
    print(f"CPU, 1 worker:  {spread_text(cpu_single, ' s')}")
    print(f"CPU, {options.workers} workers: {spread_text(cpu_many, ' s')}")
    print(
        f"each article once, each source once, politeness held: {'yes' if not problems else 'NO'}"
    )
    slow = not options.quick and not speedup.median >= TARGET_SPEEDUP
    missed = problems + ([f"speedup below {TARGET_SPEEDUP}x"] if slow else [])
    if options.check and missed:
        print("missed: " + "; ".join(missed[:5]))
        sys.exit(1)


if __name__ == "__main__":
    main()

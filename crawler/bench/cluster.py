"""Does the cluster scale? 1 worker against 3 on slow outlets, each article and source once.

``python -m crawler.bench.cluster`` builds ``--outlets`` constructed outlets
(``crawler.bench.cluster_site``), serves them from one slow server process that answers
every request after ``--delay`` seconds and logs it (``crawler.bench.cluster_server``), and,
for each repeat, crawls them all with 1 worker and then with ``--workers`` workers, each run
with a fresh redis-server. A worker is one process that crawls every outlet in turn
(``crawler.bench.cluster_worker``), as a machine of the cluster running its scheduled jobs
one after another would.

What a worker may do is set as on a deployment: its capacity is for the whole machine,
``CONCURRENT_REQUESTS`` of its one crawl at a time (``WORKER_CAPACITY``); each outlet's
politeness ``CONCURRENT_REQUESTS_PER_DOMAIN`` (``POLITENESS``) is shared by the cluster
(``crawler.cluster.politeness``). So one worker has 1 request in flight and three have 3:
the crawl waits on the slow outlets, not on this machine's CPU, and the speedup shows how
well the cluster's source claims, shared discovery and shared frontier divide the work.
Every worker crawls the outlets in the same order, as the same schedule on every machine
would, so the three share every outlet: one claims its sources and all take its articles
from the shared queue. ``--staggered`` starts worker k at outlet k instead: the workers
crawl the first outlets alone and meet on the later ones.

Time runs from the moment every worker is started up (Python and Scrapy imported, its
crawlers built; printed, not timed: on machines of their own workers start up side by side,
on one 2-core machine three start-ups at once would time the CPU) to the last one's exit
(discovery, every crawl's own start and end, and the end of the run included). Per repeat it
prints both crawls (time, articles, the workers' CPU, source fetches, most requests in
flight per outlet); then medians with [min .. max] over the repeats of both times, of their
paired ratio and of the CPU, and the checks: the ratio's median at least
``TARGET_SPEEDUP``, every article delivered exactly once over all workers' feeds, every
discovery source fetched exactly once per run (the server's log; robots.txt is Scrapy's
robots middleware, once per crawl, and not counted), no outlet ever above its politeness.
``--check`` exits 1 when one fails; ``--quick`` is a small, fast run for tests (judged on
correctness only).
"""

from __future__ import annotations

import argparse
import contextlib
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
from crawler.bench.cluster_worker import READY, feed_file
from crawler.bench.figures import Spread
from crawler.bench.process import wait_measured
from crawler.testing.polling import poll_until
from crawler.testing.redis_server import RedisServer

TARGET_SPEEDUP = 2.5
#: Requests one worker has in flight (one crawl at a time), and each outlet's politeness
#: (requests in flight on it, cluster-wide).
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
#: Slow outlets (pages answer after 200 ms); the size keeps three repeats near 15 minutes.
FULL = {"outlets": 6, "articles": 140, "repeats": 3, "delay": 0.2}
QUICK = {"outlets": 4, "articles": 6, "repeats": 1, "delay": 0.03}
TIMEOUT = 900.0
STARTUP_TIMEOUT = 120.0


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
    #: User and system CPU seconds of the workers together (their start-up included).
    cpu_seconds: float = 0.0
    #: From starting the worker processes until every one was started up (not timed).
    startup_seconds: float = 0.0

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


def first_outlet(worker: int, outlets: int, staggered: bool) -> int:
    """Where a worker starts its round of the outlets: the first, or worker k at outlet k."""
    return worker % outlets + 1 if staggered else 1


def start_workers(
    command: list[str], workdirs: list[Path], env: dict[str, str], staggered: bool, outlets: int
) -> list[subprocess.Popen[bytes]]:
    """Start a worker in each directory and wait until every one is started up (or ended)."""
    processes = []
    for index, workdir in enumerate(workdirs):
        workdir.mkdir(parents=True)
        first = first_outlet(index, outlets, staggered)
        with (workdir / "stdout.log").open("w") as output:
            processes.append(
                subprocess.Popen(
                    [*command, "--first", str(first), "--wait-for-go"],
                    cwd=workdir,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )

    def started(process: subprocess.Popen[bytes], workdir: Path) -> bool:
        text = (workdir / "stdout.log").read_text(errors="replace")
        return READY in text.splitlines() or has_ended(process)

    try:
        poll_until(
            lambda: all(map(started, processes, workdirs)),
            timeout=STARTUP_TIMEOUT,
            what="the workers to start up",
            max_pause=0.05,
        )
    except TimeoutError:
        for process in processes:
            process.kill()
        raise
    return processes


def has_ended(process: subprocess.Popen[bytes]) -> bool:
    """Whether the process ended, leaving it unreaped for ``wait_measured``."""
    flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
    return os.waitid(os.P_PID, process.pid, flags) is not None


def go(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write(b"go\n")
                process.stdin.close()


def crawl(
    workers: int,
    site: Path,
    outlets: list[BenchOutlet],
    delay: float,
    root: Path,
    settings: dict[str, str] | None = None,
    staggered: bool = False,
) -> ClusterRun:
    """Every outlet crawled by ``workers`` worker processes against a fresh Redis and server;
    ``settings`` change ``WORKER_SETTINGS``. Timed from the moment every worker is started
    up; ``staggered``: worker k starts at outlet k."""
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
            launched = time.monotonic()
            processes = start_workers(command, workdirs, env, staggered, len(outlets))
            began = time.monotonic()
            go(processes)
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
    run.startup_seconds = began - launched
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
        f"at most {most} in flight per outlet; started up in {run.startup_seconds:.1f} s "
        f"(not timed); load average {os.getloadavg()[0]:.1f}: {verdict}"
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
    parser.add_argument(
        "--staggered", action="store_true", help="worker k starts its round at outlet k"
    )
    parser.add_argument("--keep", type=Path, help="keep logs and feeds in this directory")
    options = parser.parse_args(argv)
    plan = {**(QUICK if options.quick else FULL)}
    for name in plan:
        if getattr(options, name) is not None:
            plan[name] = getattr(options, name)
    root = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    print(
        f"{plan['outlets']} outlets x {plan['articles']} articles, pages delayed "
        f"{plan['delay']} s; a worker crawls the outlets in turn "
        f"({'worker k from outlet k' if options.staggered else 'all in the same order'}) with "
        f"{WORKER_CAPACITY} request(s) in flight; politeness {POLITENESS} per outlet; "
        f"{plan['repeats']} repeat(s), 1 vs {options.workers} workers",
        flush=True,
    )
    runs: list[tuple[ClusterRun, ClusterRun]] = []
    try:
        outlets = build_outlets(root / "site", plan["outlets"], plan["articles"])
        for repeat in range(1, plan["repeats"] + 1):
            pair = []
            for workers in (1, options.workers):
                run = crawl(
                    workers,
                    root / "site",
                    outlets,
                    plan["delay"],
                    root / f"{repeat}-{workers}",
                    staggered=options.staggered,
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

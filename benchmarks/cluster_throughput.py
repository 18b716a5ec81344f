"""Articles per minute of the cluster profile on loopback, for 1 and for 3 processes.

Run ``python benchmarks/cluster_throughput.py``. It generates the constructed bulk site
(``crawler.testing.bulk_site``, 2,000 articles by default) in a temporary directory, serves it
from 127.0.0.1, starts a throw-away ``redis-server`` and crawls the whole site twice, each
time with a fresh Redis: once with 1 process, once with 3 processes sharing the frontier
(``--workers`` changes the second figure). Time runs from the first process's start to the
last one's exit, so process start-up and discovery are included. Needs Debian's
redis-server and the ``cluster`` extra.

The figures measure this machine's CPU more than the network: every process parses and
enriches its own share, each discovers the whole site itself, and all share the machine with
the fixture server; on a machine with fewer cores than processes + 1, 3 processes are slower
than 1 (on 2 cores: 1 process 7,800/min, 3 processes 4,300/min for 2,000 articles).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from crawler.testing.bulk_site import write_site
from crawler.testing.cluster_run import delivered_urls, start_worker
from crawler.testing.fixture_server import FixtureServer
from crawler.testing.redis_server import RedisServer

TIMEOUT = 900.0


def crawl(workers: int, site: FixtureServer, root: Path) -> tuple[float, int]:
    """Seconds for ``workers`` processes to crawl the site, and the articles they delivered."""
    with RedisServer(root / "redis") as redis:
        workdirs = [root / f"worker-{index}" for index in range(workers)]
        began = time.monotonic()
        processes = [start_worker(workdir, redis.url, site.host_map()) for workdir in workdirs]
        codes = [process.wait(timeout=TIMEOUT) for process in processes]
        elapsed = time.monotonic() - began
    if any(codes):
        raise SystemExit(f"a worker failed (exit codes {codes}); see {root}/worker-*/crawl.log")
    return elapsed, sum(len(delivered_urls(workdir)) for workdir in workdirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as directory:
        root = Path(directory)
        write_site(root / "site", options.articles)
        with FixtureServer(root / "site") as site:
            for workers in (1, options.workers):
                seconds, delivered = crawl(workers, site, root / f"run-{workers}")
                rate = delivered / seconds * 60
                print(
                    f"{workers} process(es): {delivered} articles in {seconds:.1f} s "
                    f"= {rate:,.0f} articles/min"
                )


if __name__ == "__main__":
    main()

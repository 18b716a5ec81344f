"""One cluster member of the benchmark: every bench outlet crawled in turn in one process.

A worker machine has a capacity of its own (its CPU, its connections), not one per outlet:
like a Scrapyd node with ``max_proc = 1``, which runs the jobs scheduled on it one after
another, or a cron line running each outlet in turn, this worker crawls the constructed
outlets of ``crawler.bench.cluster_site`` one at a time, from ``--first`` round to the one
before it, so ``CONCURRENT_REQUESTS`` is what the whole machine has in flight. The outlets need
the generic spider with per-outlet arguments: one crawler per outlet, each with its own feed
(``out-<n>.jsonl``) and its own frontier keys (the generic spider's name is the same for
every outlet). ``CRAWLER_REDIS_URL`` in the environment makes it a cluster member. Prints one
line per outlet (finish reason, items, seconds) and exits 1 when an outlet did not finish.

``python -m crawler.bench.cluster_worker --port P --outlets 6 --articles 140 [--first 2]
[--wait-for-go] -s NAME=VALUE``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Generator
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.project import get_project_settings
from twisted.internet.defer import Deferred, inlineCallbacks
from twisted.python.failure import Failure

from crawler.bench.cluster_site import PUBLISHED_DAY, BenchOutlet
from crawler.spiders.generic import GenericSpider

#: What ``--wait-for-go`` prints once the worker is started up and its crawlers are built.
READY = "ready"


def feed_file(outlet: BenchOutlet) -> str:
    return f"out-{outlet.number}.jsonl"


def outlet_settings(outlet: BenchOutlet, port: int, overrides: dict[str, str]) -> dict[str, str]:
    return {
        **overrides,
        "FEEDS": json.dumps({feed_file(outlet): {"format": "jsonlines"}}),
        "CRAWLER_HOST_MAP": json.dumps({outlet.host: f"127.0.0.1:{port}"}),
        "SCHEDULER_QUEUE_KEY": f"bench{outlet.number}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"bench{outlet.number}:dupefilter",
    }


def crawl_arguments(outlet: BenchOutlet) -> dict[str, str]:
    day = PUBLISHED_DAY.date().isoformat()
    return {
        "sitemap": outlet.sitemap_url,
        "feed": outlet.feed_url,
        "outlet_name": outlet.name,
        "since": day,
        "until": day,
    }


def turn_order(outlets: int, first: int) -> list[int]:
    """Outlet numbers ``first``, ``first + 1``, ... round to ``first - 1``."""
    return [(first - 1 + step) % outlets + 1 for step in range(outlets)]


@inlineCallbacks
def crawl_in_turn(
    process: CrawlerProcess, crawls: list[tuple[BenchOutlet, Crawler]]
) -> Generator[Deferred[Any], Any, None]:
    """Each outlet's crawl once the one before it ended; print a line per outlet."""
    for outlet, crawler in crawls:
        began = time.monotonic()
        yield process.crawl(crawler, **crawl_arguments(outlet))
        stats = crawler.stats.get_stats() if crawler.stats else {}
        print(
            f"outlet {outlet.number}: {stats.get('finish_reason')}, "
            f"{stats.get('item_scraped_count', 0)} items, {time.monotonic() - began:.1f} s",
            flush=True,
        )


def stop_reactor(result: Any) -> None:
    """After the last crawl; a crawl that failed to start leaves its traceback on stdout.

    The first crawl starts before the reactor runs (it installs the reactor), so a failure
    there stops the reactor as soon as it runs instead of leaving it running for ever.
    """
    from twisted.internet import reactor

    if isinstance(result, Failure):
        result.printTraceback(file=sys.stdout)
    if reactor.running:  # type: ignore[attr-defined]
        reactor.stop()  # type: ignore[attr-defined]
    else:
        reactor.callWhenRunning(reactor.stop)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--outlets", type=int, required=True)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--first", type=int, default=1, help="the outlet to start with")
    parser.add_argument(
        "--wait-for-go",
        action="store_true",
        help=f"print {READY!r} once started up, then wait for a line on stdin",
    )
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.settings)
    base = get_project_settings()
    base.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(base)
    crawls = []
    for number in turn_order(args.outlets, args.first):
        outlet = BenchOutlet(number, args.articles)
        crawler = process.create_crawler(GenericSpider)
        crawler.settings.setdict(outlet_settings(outlet, args.port, overrides), priority="cmdline")
        crawls.append((outlet, crawler))
    if args.wait_for_go:
        print(READY, flush=True)
        sys.stdin.readline()
    crawl_in_turn(process, crawls).addBoth(stop_reactor)
    process.start(stop_after_crawl=False)
    reasons = [
        crawler.stats.get_value("finish_reason") if crawler.stats else None for _, crawler in crawls
    ]
    sys.exit(0 if reasons == ["finished"] * len(crawls) else 1)


if __name__ == "__main__":
    main()

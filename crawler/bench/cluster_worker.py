"""One cluster member of the benchmark: every bench outlet crawled in one process.

Like ``scrapy crawlall`` on a worker machine, but over the constructed outlets of
``crawler.bench.cluster_site``, which need the generic spider with per-outlet arguments:
one crawler per outlet, each with its own feed (``out-<n>.jsonl``) and its own frontier keys
(the generic spider's name is the same for every outlet). ``CRAWLER_REDIS_URL`` in the
environment makes it a cluster member. Prints one line per outlet (finish reason, items)
and exits 1 when an outlet did not finish.

``python -m crawler.bench.cluster_worker --port P --outlets 6 --articles 500 -s NAME=VALUE``
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.bench.cluster_site import PUBLISHED_DAY, BenchOutlet
from crawler.spiders.generic import GenericSpider


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--outlets", type=int, required=True)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.settings)
    base = get_project_settings()
    base.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(base)
    day = PUBLISHED_DAY.date().isoformat()
    crawlers = []
    for number in range(1, args.outlets + 1):
        outlet = BenchOutlet(number, args.articles)
        crawler = process.create_crawler(GenericSpider)
        crawler.settings.setdict(outlet_settings(outlet, args.port, overrides), priority="cmdline")
        crawlers.append(crawler)
        process.crawl(
            crawler,
            sitemap=outlet.sitemap_url,
            feed=outlet.feed_url,
            outlet_name=outlet.name,
            since=day,
            until=day,
        )
    process.start()
    failed = False
    for number, crawler in enumerate(crawlers, start=1):
        stats = crawler.stats.get_stats() if crawler.stats else {}
        reason = stats.get("finish_reason")
        failed |= reason != "finished"
        print(f"outlet {number}: {reason}, {stats.get('item_scraped_count', 0)} items", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""``scrapy outlet_health <spider>``: crawl a few recent articles of an outlet, report health.

Meant for users with internet: it runs the outlet's spider live (listing, then the newest
``-n`` articles of the last ``--days``), then prints per-field coverage (title, published,
authors, body, dateline, kab_kota) and the extraction layer behind each value. The exit status
is non-zero (``crawler.health.EXIT_UNHEALTHY``) when a field falls below its threshold
(``CRAWLER_HEALTH_THRESHOLDS``). Spider arguments pass through (``-a since=...``,
``-a feed=...`` for the generic spider), and ``-s CRAWLER_HOST_MAP=...`` points it at a local
fixture site. Articles count whether or not validation would deliver them; nothing is recorded
in the delivered-store.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.health import build_report, format_report, thresholds_from
from crawler.pipelines.validate import invalid_reason
from crawler.registry import registered_outlets
from crawler.timezones import WIB


class ParsedArticles:
    """Collects every article a crawl parsed: delivered ones and those validation refused."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def item_scraped(self, item: Any) -> None:
        self.items.append(item)

    def item_dropped(self, item: Any) -> None:
        # Duplicates and already-delivered articles are not parsing results; refusals are.
        if invalid_reason(item) is not None:
            self.items.append(item)


#: A health run delivers nothing: no feed files, no delivered-store entries. These beat the
#: project's settings but not the user's own -s/-o/-O.
HEALTH_RUN_SETTINGS: dict[str, Any] = {
    "CRAWLER_DELIVERED_STORE": "crawler.store.NullDeliveredStore",
    "FEEDS": {},
}


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Crawl a few recent articles of an outlet live and report per-field coverage"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-n",
            "--articles",
            type=int,
            default=None,
            help="articles to fetch (default: CRAWLER_HEALTH_ARTICLES)",
        )
        parser.add_argument(
            "--days",
            type=float,
            default=None,
            help="how far back to look when no -a since is given "
            "(default: CRAWLER_HEALTH_WINDOW_DAYS)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        for name, value in HEALTH_RUN_SETTINGS.items():
            if self.settings.getpriority(name) < SETTINGS_PRIORITIES["cmdline"]:
                self.settings.set(name, value, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        if len(args) != 1:
            raise UsageError("name one outlet spider (`scrapy outlets` lists them)")
        name = args[0]
        outlets = registered_outlets(self.settings)
        if name not in outlets:
            raise UsageError(f"unknown outlet {name!r}; `scrapy outlets` lists them")
        try:
            thresholds = thresholds_from(self.settings.getdict("CRAWLER_HEALTH_THRESHOLDS"))
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from exc

        spider_arguments = dict(opts.spargs)
        articles = opts.articles or self.settings.getint("CRAWLER_HEALTH_ARTICLES", 5)
        spider_arguments.setdefault("max_articles", str(articles))
        if "since" not in spider_arguments and "url" not in spider_arguments:
            days = opts.days or self.settings.getfloat("CRAWLER_HEALTH_WINDOW_DAYS", 3)
            since = datetime.now(WIB) - timedelta(days=days)
            spider_arguments["since"] = since.isoformat(timespec="seconds")

        parsed = ParsedArticles()
        crawler = self._create_crawler(name)
        crawler.signals.connect(parsed.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(parsed.item_dropped, signal=signals.item_dropped)
        self.crawler_process.crawl(crawler, **spider_arguments)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        outlet_name = outlets[name].name
        if parsed.items:
            outlet_name = ItemAdapter(parsed.items[0]).get("outlet_name") or outlet_name
        report = build_report(
            name, outlet_name, parsed.items, thresholds, crawler.stats.get_stats()
        )
        print(format_report(report), flush=True)
        self.exitcode = report.exit_code

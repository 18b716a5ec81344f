"""``scrapy crawlall``: every outlet in one process, concurrently, then one summary table.

One process means one cron line and one lock for the whole region, and outlets that are slow
(AutoThrottle, big sitemaps) do not hold the others up. Feeds stay per outlet through
``%(name)s`` in their URI. Which outlets a full run covers is decided by
``outlets_of_full_run`` alone, from the outlet registry.
"""

from __future__ import annotations

import argparse

from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.commands import (
    CannotStart,
    check_before_crawl,
    command_line_feeds_only,
    new_crawler,
    report_cannot_start,
    run_exit_code,
)
from crawler.outlets.registry import registered_outlets
from crawler.run.summary import format_summary_table, summarize_crawler

#: The URI parameter that keeps one outlet's feed apart from another's.
OUTLET_URI_PARAMETER = "%(name)s"


def outlets_of_full_run(settings: BaseSettings) -> list[str]:
    """Every registered outlet tied to domains (a generic spider needs per-run arguments)."""
    return [name for name, outlet in registered_outlets(settings).items() if outlet.domains]


def outlets_to_crawl(available: list[str], requested: list[str]) -> list[str]:
    """The requested outlets (all when none are named), refusing names that do not exist."""
    if not requested:
        return available
    unknown = sorted(set(requested) - set(available))
    if unknown:
        raise UsageError(f"unknown outlet(s): {', '.join(unknown)}", print_help=False)
    return list(dict.fromkeys(requested))


def check_feeds_per_outlet(settings: BaseSettings, outlets: int) -> None:
    """Several outlets writing one feed URI would overwrite each other's files."""
    if outlets < 2:
        return
    shared = [str(uri) for uri in settings.getdict("FEEDS") if OUTLET_URI_PARAMETER not in str(uri)]
    if shared:
        raise UsageError(
            f"feed URI(s) without {OUTLET_URI_PARAMETER} would be shared by every outlet: "
            + ", ".join(shared),
            print_help=False,
        )


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [outlet ...]"

    def short_desc(self) -> str:
        return "Run every outlet (or the named ones) in one process and print a summary table"

    def long_desc(self) -> str:
        return (
            "Run every registered outlet concurrently in one process. -a arguments go to "
            "every spider; feeds need %(name)s in their URI. Prints one row per outlet at the "
            "end; the exit status is the worst outlet's (0: all went well)."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        command_line_feeds_only(self.settings, opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None and self.settings is not None
        outlets = outlets_to_crawl(outlets_of_full_run(self.settings), args)
        if not outlets:
            raise UsageError("the project has no outlets to crawl", print_help=False)
        check_feeds_per_outlet(self.settings, len(outlets))
        try:
            check_before_crawl(self.settings, outlets, opts.spargs)
        except CannotStart as error:
            self.exitcode = report_cannot_start("crawlall", error, self.settings)
            return
        crawlers: list[Crawler] = []
        for outlet in outlets:
            crawler = new_crawler(self, outlet)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        summaries = [summarize_crawler(crawler) for crawler in crawlers]
        print(format_summary_table(summaries), flush=True)
        self.exitcode = run_exit_code(summaries, 1 if self.crawler_process.bootstrap_failed else 0)

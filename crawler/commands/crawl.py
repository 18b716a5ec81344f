"""``scrapy crawl`` with an exit status for cron: non-zero when the crawl did not go well.

Before the crawl starts, the spider name, its ``-a`` values and the cluster's Redis are
checked (``crawler.commands.check_before_crawl``): a bad one stops the command with one
line naming it and exit status 1. ``-h`` lists every outlet's arguments and the exit codes.
At the end the outlet's summary line is on stderr whatever the log level.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.commands import (
    CannotStart,
    RawDescriptionFormatter,
    check_before_crawl,
    command_line_feeds_only,
    crawl_help,
    print_summaries_not_shown,
    report_cannot_start,
    run_exit_code,
)
from crawler.run_summary import summarize_crawler


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider of the project; the exit status says whether the crawl went well"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        assert self.settings is not None
        parser.formatter_class = RawDescriptionFormatter
        parser.epilog = crawl_help(self.settings)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        command_line_feeds_only(self.settings, opts)

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.started_crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        self.started_crawlers: list[Crawler] = []
        if len(args) == 1:
            try:
                check_before_crawl(self.settings, args, opts.spargs)
            except CannotStart as error:
                self.exitcode = report_cannot_start("crawl", error, self.settings)
                return
        super().run(args, opts)
        summaries = [summarize_crawler(crawler) for crawler in self.started_crawlers]
        self.exitcode = run_exit_code(summaries, self.exitcode)
        print_summaries_not_shown(summaries)

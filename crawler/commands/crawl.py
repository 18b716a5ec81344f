"""``scrapy crawl`` with an exit status for cron: non-zero when the crawl did not go well.

Before the crawl starts, the spider name, its ``-a`` values and the cluster's Redis are
checked (``crawler.commands.check_before_crawl``): a bad one stops the command with one
line naming it and exit status 1. ``-h`` lists every outlet's arguments and the exit codes.
At the end the outlet's summary line is on stderr whatever the log level.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.commands import (
    CannotStart,
    RawDescriptionFormatter,
    check_before_crawl,
    command_line_feeds_only,
    crawl_help,
    new_crawler,
    print_summaries_not_shown,
    report_cannot_start,
    run_exit_code,
)
from crawler.run.outcome import EXIT_BOOTSTRAP_FAILED, EXIT_OK
from crawler.run.summary import summarize_crawler


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

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl <spider> (scrapy list shows them)")
        try:
            check_before_crawl(self.settings, args, opts.spargs)
        except CannotStart as error:
            self.exitcode = report_cannot_start("crawl", error, self.settings)
            return
        crawler = new_crawler(self, args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        started = EXIT_BOOTSTRAP_FAILED if self.crawler_process.bootstrap_failed else EXIT_OK
        summaries = [summarize_crawler(crawler)]
        self.exitcode = run_exit_code(summaries, started)
        print_summaries_not_shown(summaries)

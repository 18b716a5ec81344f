"""``scrapy crawl`` with an exit status for cron: non-zero when the crawl did not go well."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.commands import command_line_feeds_only, run_exit_code
from crawler.run_summary import summarize_crawler


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider of the project; the exit status says whether the crawl went well"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        command_line_feeds_only(self.settings, opts)

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.started_crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.started_crawlers: list[Crawler] = []
        super().run(args, opts)
        summaries = [summarize_crawler(crawler) for crawler in self.started_crawlers]
        self.exitcode = run_exit_code(summaries, self.exitcode)

"""``scrapy report``: the daily HTML report of the delivered JSON Lines (crawler.report)."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options] [folder | file | s3://bucket/prefix ...]"

    def short_desc(self) -> str:
        return "Write the daily HTML report of the delivered articles"

    def long_desc(self) -> str:
        return (
            "Read the delivered JSON Lines (default: output/) and write one self-contained HTML "
            "page: articles per kab/kota (tile map and bars), sentiment per outlet and per day, "
            "parties mentioned, new since the previous report, top stories per kab/kota. "
            "Exit status 0: written; 1: a source could not be read; 2: wrong command line."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        from crawler.report.cli import add_arguments  # only this command needs the report

        add_arguments(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError(f"unrecognised arguments: {' '.join(args)}")
        configure_logging(self.settings)
        from crawler.report.cli import run_report

        self.exitcode = run_report(opts, self.settings)

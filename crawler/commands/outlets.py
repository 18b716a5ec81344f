"""``scrapy outlets``: the outlet registry as a table, read from the spiders themselves."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler.registry import COLUMNS, markdown_table, registered_outlets, text_table


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "List the outlets: " + ", ".join(COLUMNS)

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--markdown", action="store_true", help="print the README's Markdown table"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        outlets = registered_outlets(self.settings)
        print(markdown_table(outlets) if opts.markdown else text_table(outlets))

"""``scrapy outlets``: the outlet registry as a table, read from the spiders themselves.

``--facts`` lists what each spider relies on and how it is known (seen in code, seen in a
saved page, guessed), guessed first: what an operator with internet access verifies first.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler.outlets.registry import (
    COLUMNS,
    facts_text,
    readme_section,
    registered_outlets,
    text_table,
)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "List the outlets: " + ", ".join(COLUMNS)

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--markdown", action="store_true", help="print the README's Markdown section"
        )
        parser.add_argument(
            "--facts",
            action="store_true",
            help="print each outlet's facts and how each is known, guessed first",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        outlets = registered_outlets(self.settings)
        if opts.markdown:
            print(readme_section(outlets))
        elif opts.facts:
            print(facts_text(outlets))
        else:
            print(text_table(outlets))

"""Project commands for the ``scrapy`` tool, found through the ``COMMANDS_MODULE`` setting.

The crawling commands (``crawl``, ``crawlall``) end with an exit status that tells cron whether
the run went well (``crawler.outcome``); ``run_exit_code`` is that shared last step.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable

from scrapy.settings import BaseSettings
from scrapy.utils.conf import arglist_to_dict, feed_process_params_from_cli

from crawler.outcome import EXIT_OK, worst_exit_code
from crawler.run_summary import OutletSummary

logger = logging.getLogger(__name__)


def run_exit_code(summaries: Iterable[OutletSummary], scrapy_exit_code: int = EXIT_OK) -> int:
    """The process exit status: the worst outlet's, logging why it is not 0."""
    summaries = list(summaries)
    for summary in summaries:
        for problem in summary.problems:
            logger.error("%s failed (exit %d): %s", summary.outlet, summary.exit_code, problem)
    return worst_exit_code([scrapy_exit_code, *(summary.exit_code for summary in summaries)])


def command_line_feeds_only(settings: BaseSettings, opts: argparse.Namespace) -> None:
    """Make ``-o``/``-O`` replace the project's default feeds, as the README promises.

    Scrapy merges the ``FEEDS`` setting into the command-line feeds, so ``-O out.jsonl`` would
    also write ``output/<outlet>/...``. Only feeds given with ``-s FEEDS=...`` on the same
    command line are kept beside them.
    """
    if not (opts.output or opts.overwrite_output):
        return
    given = arglist_to_dict(opts.set).get("FEEDS")
    only_cli = settings.copy()
    only_cli.set("FEEDS", given or {}, priority="cmdline")
    feeds = feed_process_params_from_cli(
        only_cli, opts.output, overwrite_output=opts.overwrite_output
    )
    settings.set("FEEDS", feeds, priority="cmdline")

"""Project commands for the ``scrapy`` tool, found through the ``COMMANDS_MODULE`` setting.

The crawling commands (``crawl``, ``crawlall``) end with an exit status that tells cron whether
the run went well (``crawler.outcome``); ``run_exit_code`` is that shared last step.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

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

"""Project commands for the ``scrapy`` tool, found through the ``COMMANDS_MODULE`` setting.

The crawling commands (``crawl``, ``crawlall``) check what they are given before a crawl
starts (``check_before_crawl``: spider names, ``-a`` values, the cluster's Redis) and stop
with one line naming what is wrong; they end with an exit status that tells cron whether the
run went well (``crawler.run.outcome``); ``run_exit_code`` is that shared last step.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Mapping

from scrapy.commands import BaseRunSpiderCommand, ScrapyHelpFormatter
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import arglist_to_dict, feed_process_params_from_cli

from crawler.cluster.profile import ClusterUnavailable, check_reachable
from crawler.extensions.summary import logger as summary_logger
from crawler.run.arguments import (
    ArgumentError,
    check_arguments,
    declared_arguments,
    describe_arguments,
)
from crawler.run.outcome import EXIT_BOOTSTRAP_FAILED, EXIT_OK, exit_code_lines, worst_exit_code
from crawler.run.summary import OutletSummary, format_summary_line

logger = logging.getLogger(__name__)
#: The logger of the summary line (crawler.extensions.summary).
SUMMARY_LOGGER = summary_logger.name


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


class CannotStart(Exception):
    """What keeps a crawl from starting, in one line."""


def check_before_crawl(
    settings: BaseSettings, names: Iterable[str], spargs: Mapping[str, str]
) -> None:
    """Raise ``CannotStart`` for an unknown spider, a bad ``-a`` value or an unusable cluster.

    With several spiders (``crawlall``) an argument needs to suit only those that take it.
    """
    loader = get_spider_loader(settings)
    known = set(loader.list())
    names = list(names)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CannotStart(f"no such outlet: {', '.join(unknown)} (scrapy list shows them)")
    spiders = [loader.load(name) for name in names]
    try:
        for spidercls in spiders:
            own = {name: value for name, value in spargs.items() if takes(spidercls, name)}
            check_arguments(spidercls, spargs if len(spiders) == 1 else own)
        stray = [name for name in spargs if not any(takes(s, name) for s in spiders)]
        if stray:
            raise ArgumentError(f"-a {stray[0]}: no outlet takes this argument")
        check_reachable(settings)
    except (ArgumentError, ClusterUnavailable) as error:
        raise CannotStart(str(error)) from None


def takes(spidercls: type, name: str) -> bool:
    """Whether the spider takes ``-a name`` (Scrapyd's ``_job`` and the like: always)."""
    return name.startswith("_") or name in declared_arguments(spidercls)


def report_cannot_start(command: str, error: CannotStart, settings: BaseSettings) -> int:
    """Say why in one line, on stderr (and in the log file when there is one)."""
    line = f"scrapy {command}: {error}"
    if settings.get("LOG_FILE"):
        logger.critical(line)
    print(line, file=sys.stderr, flush=True)
    return EXIT_BOOTSTRAP_FAILED


class RawDescriptionFormatter(ScrapyHelpFormatter):
    """Scrapy's help layout, with the description and epilog printed as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


def crawl_help(settings: BaseSettings) -> str:
    """Spider arguments of every outlet and the exit codes: ``scrapy crawl -h``'s epilog."""
    loader = get_spider_loader(settings)
    spiders = [loader.load(name) for name in sorted(loader.list())]
    return "\n".join(
        [describe_arguments(spiders), "", "Exit status (crawlall: the worst outlet's):"]
        + exit_code_lines()
    )


def print_summaries_not_shown(summaries: Iterable[OutletSummary]) -> None:
    """The outlets' summary lines on stderr, unless the log already put them there.

    With ``-L WARNING``, ``--nolog`` or ``LOG_FILE`` the summary extension's line does not
    reach the terminal (or cron's mail); the last line on stderr still says how the run went.
    """
    for summary in summaries:
        level = logging.INFO if summary.ok else logging.WARNING
        if not logged_to_stderr(SUMMARY_LOGGER, level):
            print(f"Summary {format_summary_line(summary)}", file=sys.stderr, flush=True)


def logged_to_stderr(name: str, level: int) -> bool:
    """Whether a record of ``level`` from logger ``name`` is written to stderr."""
    if not logging.getLogger(name).isEnabledFor(level):
        return False
    return any(
        isinstance(handler, logging.StreamHandler)
        and getattr(handler, "stream", None) is sys.stderr
        and handler.level <= level
        for handler in logging.getLogger().handlers
    )


def new_crawler(command: BaseRunSpiderCommand, spidercls: str | type) -> Crawler:
    """A crawler for ``spidercls``, through Scrapy's own hook where it has one (2.18+: it
    warns when feeds are configured but the feed exporter is off)."""
    assert command.crawler_process is not None
    if hasattr(BaseRunSpiderCommand, "_create_crawler"):
        return BaseRunSpiderCommand._create_crawler(command, spidercls)
    return command.crawler_process.create_crawler(spidercls)

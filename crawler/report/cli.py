"""The report's command line, shared by ``scrapy report`` and ``python -m crawler.report``.

Exit status: 0 the page was written (bad records are counted on it and logged, they do not
fail the report), 1 a source could not be read at all (nothing written, state unchanged),
2 a wrong command line.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from crawler.report.dataset import log_summary, read_dataset
from crawler.report.days import DayRange
from crawler.report.labels import DEFAULT_LANGUAGE, LANGUAGES, Labels
from crawler.report.page import render_page
from crawler.report.sources import ReportSourceError
from crawler.report.state import STATE_FILE, load_previous, save_seen
from crawler.report.summary import summarize
from crawler.utils.timezones import WIB

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOURCE_FAILED = 1
EXIT_USAGE = 2

DEFAULT_SOURCE = "output"
DEFAULT_DAYS = 2
DEFAULT_TOP_STORIES = 5
DEFAULT_NEW_LIMIT = 30
DEFAULT_STATE_DIR = ".crawler-state"
#: Scrapy's S3 settings and the boto3 client arguments they become (as for S3 feeds).
S3_SETTINGS = {
    "AWS_ENDPOINT_URL": "endpoint_url",
    "AWS_ACCESS_KEY_ID": "aws_access_key_id",
    "AWS_SECRET_ACCESS_KEY": "aws_secret_access_key",
    "AWS_SESSION_TOKEN": "aws_session_token",
    "AWS_REGION_NAME": "region_name",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help=f"folders or JSON Lines files (.jsonl, .jsonl.gz) or s3://bucket/prefix "
        f"(default: {DEFAULT_SOURCE}/)",
    )
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="first publication day (WIB)")
    parser.add_argument(
        "--until", metavar="YYYY-MM-DD", help="last publication day (WIB; default: today)"
    )
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"without --since: this many days ending with --until (default: {DEFAULT_DAYS}, "
        "yesterday and today)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the HTML file to write (default: reports/report-<last day>.html)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help="language of the page: id (Bahasa Indonesia, default) or en",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP_STORIES,
        help=f"top stories per kab/kota (default: {DEFAULT_TOP_STORIES})",
    )
    parser.add_argument(
        "--new-limit",
        type=int,
        default=DEFAULT_NEW_LIMIT,
        help=f"new articles listed one by one (default: {DEFAULT_NEW_LIMIT}; the rest counted)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help=f"the file that keeps what the previous report saw, by default "
        f"CRAWLER_STATE_DIR/{STATE_FILE}; only reports without --since or --until update it",
    )
    parser.add_argument(
        "--no-state", action="store_true", help="do not compare with the previous report"
    )


def s3_client_options(settings: BaseSettings) -> dict[str, Any]:
    """boto3 client arguments from the settings that are set (else boto3's own defaults)."""
    return {arg: settings.get(name) for name, arg in S3_SETTINGS.items() if settings.get(name)}


def state_path(opts: argparse.Namespace, settings: BaseSettings) -> Path:
    if opts.state:
        return Path(opts.state)
    return Path(settings.get("CRAWLER_STATE_DIR") or DEFAULT_STATE_DIR) / STATE_FILE


def run_report(
    opts: argparse.Namespace, settings: BaseSettings, *, now: datetime | None = None
) -> int:
    """Read, summarise, write the page and the state; return the exit status."""
    generated = (now or datetime.now(WIB)).astimezone(WIB)
    try:
        days = DayRange.from_options(opts.since, opts.until, opts.days, today=generated.date())
    except ValueError as error:
        logger.error("bad date range: %s", error)
        return EXIT_USAGE
    sources = opts.sources or [DEFAULT_SOURCE]
    try:
        dataset = read_dataset(sources, days, s3_options=s3_client_options(settings))
    except ReportSourceError as error:
        logger.error("report not written: %s", error)
        return EXIT_SOURCE_FAILED
    log_summary(dataset.stats)

    compared = not opts.no_state
    state = state_path(opts, settings)
    previous = load_previous(state) if compared else None
    summary = summarize(
        dataset,
        days,
        generated=generated,
        previous=previous,
        compared=compared,
        top_stories=opts.top,
    )
    page = render_page(summary, Labels(opts.lang), new_limit=opts.new_limit)
    output = Path(opts.output or default_output(days.until))
    write_atomically(output, page)
    if compared and not (opts.since or opts.until):
        save_seen(state, generated, (record.url_hash for record in dataset.records))
    new = f", {len(summary.new.articles)} new" if compared else ""
    skipped = dataset.stats.skipped.total()
    print(
        f"{output}: {len(dataset.records)} article(s){new}, {skipped} bad line(s) skipped",
        flush=True,
    )
    return EXIT_OK


def default_output(last_day: date) -> Path:
    return Path("reports") / f"report-{last_day.isoformat()}.html"


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.report``: the project's settings (crawler.settings) apply."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    parser = argparse.ArgumentParser(
        prog="python -m crawler.report",
        description="Write the daily HTML report of the delivered JSON Lines.",
    )
    add_arguments(parser)
    opts = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    return run_report(opts, get_project_settings())


if __name__ == "__main__":
    sys.exit(main())

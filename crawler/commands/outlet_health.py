"""``scrapy outlet_health <spider>`` / ``--all``: crawl a few recent articles, report health.

Meant for users with internet: it runs outlet spiders live (discovery, then the newest ``-n``
articles of the last ``--days``), then prints per-field coverage (title, published, authors,
body, dateline, kab_kota), the extraction layer behind each value, which discovery URLs
answered and how, and the block pages met. The exit status is the verdict's
(``crawler.run.health``): 0 healthy, 8 parsed badly, 12 unreachable or blocked, 13 nothing in the
window to judge. ``--all`` runs every outlet (but the generic spider) in one process and
writes one report, text and JSON (``--report``), that an operator can send back.

Spider arguments pass through (``-a since=...``, ``-a feed=...`` for the generic spider), and
``-s CRAWLER_HOST_MAP=...`` points it at a local fixture site. Articles count whether or not
validation would deliver them; nothing is delivered: no feed files, nothing recorded in the
delivered-store.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler import __version__
from crawler.extensions.delivery import DeliveryExtension
from crawler.outlets.registry import registered_outlets
from crawler.pipelines.validate import invalid_reason
from crawler.run.health import (
    HealthReport,
    build_report,
    format_report,
    format_reports,
    thresholds_from,
    worst_exit_code,
)
from crawler.spiders.generic import GenericSpider
from crawler.utils.timezones import WIB

#: ``--report`` default: ``outlet-health-<UTC time>`` (``.txt`` and ``.json``).
REPORT_STEM = "outlet-health-{time:%Y%m%dT%H%M%SZ}"


@dataclass
class ParsedArticles:
    """Collects every article a crawl parsed: delivered ones and those validation refused."""

    items: list[Any] = field(default_factory=list)

    def item_scraped(self, item: Any) -> None:
        self.items.append(item)

    def item_dropped(self, item: Any) -> None:
        # Duplicates and already-delivered articles are not parsing results; refusals are.
        if invalid_reason(item) is not None:
            self.items.append(item)


#: A health run delivers nothing: no feed files, no delivered-store entries, so no delivery
#: extension either (it would warn that no feed is configured). These beat the project's
#: settings but not the user's own -s/-o/-O.
HEALTH_RUN_SETTINGS: dict[str, Any] = {
    "CRAWLER_DELIVERED_STORE": "crawler.store.NullDeliveredStore",
    "FEEDS": {},
}


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] <spider> | --all"

    def short_desc(self) -> str:
        return "Crawl a few recent articles of an outlet (or all) live and report their health"

    def long_desc(self) -> str:
        return (
            f"{self.short_desc()}. Exit status: 0 healthy, 8 parsed badly (a field below its "
            "minimum, or pages that became no article), 12 unreachable or blocked, 13 nothing "
            "in the window to judge; with --all the worst of 8, 12, 13."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-n",
            "--articles",
            type=int,
            default=None,
            help="articles to fetch per outlet (default: CRAWLER_HEALTH_ARTICLES)",
        )
        parser.add_argument(
            "--days",
            type=float,
            default=None,
            help="how far back to look when no -a since is given "
            "(default: CRAWLER_HEALTH_WINDOW_DAYS)",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="every outlet but the generic spider, in one process, one report",
        )
        parser.add_argument(
            "--report",
            metavar="PATH",
            default=None,
            help="write the report to PATH.txt and PATH.json "
            "(--all default: outlet-health-<UTC time> in the working directory)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        for name, value in HEALTH_RUN_SETTINGS.items():
            if self.settings.getpriority(name) < SETTINGS_PRIORITIES["cmdline"]:
                self.settings.set(name, value, priority="cmdline")
        self.settings.set_in_component_priority_dict("EXTENSIONS", DeliveryExtension, None)

    def outlet_names(self, args: list[str], opts: argparse.Namespace) -> list[str]:
        outlets = registered_outlets(self.settings)
        if opts.all:
            if args:
                raise UsageError("name one outlet or give --all, not both")
            return [name for name in outlets if name != GenericSpider.name]
        if len(args) != 1:
            raise UsageError("name one outlet spider (`scrapy outlets` lists them) or give --all")
        if args[0] not in outlets:
            raise UsageError(f"unknown outlet {args[0]!r}; `scrapy outlets` lists them")
        return args

    def spider_arguments(self, opts: argparse.Namespace) -> dict[str, str]:
        assert self.settings is not None
        arguments = dict(opts.spargs)
        articles = opts.articles or self.settings.getint("CRAWLER_HEALTH_ARTICLES", 5)
        arguments.setdefault("max_articles", str(articles))
        if "since" not in arguments and "url" not in arguments:
            days = opts.days or self.settings.getfloat("CRAWLER_HEALTH_WINDOW_DAYS", 3)
            since = datetime.now(WIB) - timedelta(days=days)
            arguments["since"] = since.isoformat(timespec="seconds")
        return arguments

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        names = self.outlet_names(args, opts)
        try:
            thresholds = thresholds_from(self.settings.getdict("CRAWLER_HEALTH_THRESHOLDS"))
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        arguments = self.spider_arguments(opts)
        runs: list[tuple[str, Crawler, ParsedArticles]] = []
        for name in names:
            parsed = ParsedArticles()
            crawler = self._create_crawler(name)
            crawler.signals.connect(parsed.item_scraped, signal=signals.item_scraped)
            crawler.signals.connect(parsed.item_dropped, signal=signals.item_dropped)
            self.crawler_process.crawl(crawler, **arguments)
            runs.append((name, crawler, parsed))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        outlets = registered_outlets(self.settings)
        reports = [
            report_of(outlets[name].name, crawler, parsed, thresholds)
            for name, crawler, parsed in runs
        ]
        text = format_reports(reports) if opts.all else format_report(reports[0])
        print(text, flush=True)
        report_path = opts.report or (
            REPORT_STEM.format(time=datetime.now(UTC)) if opts.all else None
        )
        if report_path:
            written = write_report(Path(report_path), text, reports, arguments)
            print(f"report written to {written[0]} and {written[1]}", flush=True)
        self.exitcode = worst_exit_code(reports)


def report_of(
    display_name: str, crawler: Crawler, parsed: ParsedArticles, thresholds: dict[str, float]
) -> HealthReport:
    """One outlet's report from its finished crawler (stats, discovery answers, articles)."""
    if parsed.items:
        display_name = ItemAdapter(parsed.items[0]).get("outlet_name") or display_name
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    discovery = getattr(crawler.spider, "discovery_answers", {})
    name = crawler.spider.name if crawler.spider else str(crawler.spidercls.name)
    return build_report(name, display_name, parsed.items, thresholds, stats, discovery)


def write_report(
    path: Path, text: str, reports: list[HealthReport], arguments: dict[str, str]
) -> tuple[Path, Path]:
    """``path``.txt (as printed) and ``path``.json (every outlet's figures)."""
    text_path, json_path = path.with_suffix(".txt"), path.with_suffix(".json")
    text_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_text(text + "\n", encoding="utf-8")
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "crawler_version": __version__,
        "spider_arguments": arguments,
        "exit_code": worst_exit_code(reports),
        "outlets": [report.as_json() for report in reports],
    }
    json_path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return text_path, json_path

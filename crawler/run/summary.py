"""What one outlet's crawl did, in the few numbers an operator reads after a run.

The same figures feed the live progress line, the summary line at the end of
``scrapy crawl`` and the table of ``scrapy crawlall``, so they are read from the crawl
stats in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler

from crawler.run.outcome import (
    DROPPED_PREFIX,
    EXIT_BOOTSTRAP_FAILED,
    EXIT_OK,
    FAILED_PREFIX,
    SKIPPED_PREFIX,
    crawl_outcome,
    stat_int,
    stats_by_suffix,
)

#: Items committed to the delivered-store after their feed was stored; absent without a store.
DELIVERED_STAT = "crawler/delivered"
#: ERROR records of this outlet (crawler.extensions.summary); Scrapy's count is process-wide.
OUTLET_LOG_ERRORS_STAT = "crawler/log_errors"
SCRAPY_LOG_ERRORS_STAT = "log_count/ERROR"
#: How log errors are named among the failure reasons.
LOG_ERRORS_NAME = "logged_errors"
#: Candidates per kind of discovery source (crawler.spiders.base): ``crawler/sources/feed``.
SOURCES_PREFIX = "crawler/sources/"

#: Table columns: heading and the OutletSummary attribute shown under it.
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("outlet", "outlet"),
    ("found", "found"),
    ("new", "new"),
    ("delivered", "delivered"),
    ("dropped", "dropped_total"),
    ("errors", "errors_total"),
    ("finish", "finish_reason"),
    ("exit", "exit_code"),
)


@dataclass(frozen=True)
class OutletSummary:
    """One outlet's figures; counts by reason keep their stats-key suffix as the name."""

    outlet: str
    found: int
    new: int
    delivered: int
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    exit_code: int = EXIT_OK
    problems: tuple[str, ...] = ()
    #: Candidates each kind of discovery source listed (one candidate may count in several).
    sources: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_stats(
        cls,
        outlet: str,
        stats: Mapping[str, Any],
        finish_reason: str | None = None,
        outcome: tuple[int, Sequence[str]] = (EXIT_OK, ()),
        *,
        live: bool = False,
    ) -> OutletSummary:
        """Read an outlet's figures; ``live`` (during the crawl) counts items handed to the feeds
        as delivered, since the delivery commit happens only once the feeds are stored."""
        dropped = merge_counts(
            stats_by_suffix(stats, DROPPED_PREFIX), stats_by_suffix(stats, SKIPPED_PREFIX)
        )
        errors = stats_by_suffix(stats, FAILED_PREFIX)
        logged_key = (
            OUTLET_LOG_ERRORS_STAT if OUTLET_LOG_ERRORS_STAT in stats else SCRAPY_LOG_ERRORS_STAT
        )
        if logged := stat_int(stats, logged_key):
            errors[LOG_ERRORS_NAME] = logged
        delivered = (
            stat_int(stats, DELIVERED_STAT)
            if DELIVERED_STAT in stats and not live
            else stat_int(stats, "item_scraped_count")
        )
        return cls(
            outlet=outlet,
            found=stat_int(stats, "crawler/discovered"),
            new=stat_int(stats, "crawler/articles_requested"),
            delivered=delivered,
            dropped=dropped,
            errors=errors,
            finish_reason=finish_reason,
            exit_code=outcome[0],
            problems=tuple(outcome[1]),
            sources=stats_by_suffix(stats, SOURCES_PREFIX),
        )

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    @property
    def errors_total(self) -> int:
        return sum(self.errors.values())

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


def merge_counts(*counts: Mapping[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for mapping in counts:
        for name, count in mapping.items():
            merged[name] = merged.get(name, 0) + count
    return merged


def format_counts(counts: Mapping[str, int]) -> str:
    """``outside_window 1, already_delivered 3``, largest first."""
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{name} {count}" for name, count in ordered)


def _with_detail(total: int, counts: Mapping[str, int]) -> str:
    return f"{total} ({format_counts(counts)})" if counts else str(total)


def format_summary_line(summary: OutletSummary) -> str:
    """The one line logged when an outlet's crawl ends."""
    status = "ok" if summary.ok else f"exit {summary.exit_code}: " + "; ".join(summary.problems)
    sources = f"sources ({format_counts(summary.sources)}), " if summary.sources else ""
    return (
        f"{summary.outlet}: found {summary.found}, new {summary.new}, "
        f"delivered {summary.delivered}, "
        f"dropped {_with_detail(summary.dropped_total, summary.dropped)}, "
        f"errors {_with_detail(summary.errors_total, summary.errors)}, "
        f"{sources}{summary.finish_reason or 'not run'}, {status}"
    )


def format_summary_table(summaries: Iterable[OutletSummary]) -> str:
    """A fixed-width table, one row per outlet, then the reasons behind drops, errors, failures."""
    summaries = list(summaries)
    rows = [[heading for heading, _ in TABLE_COLUMNS]]
    for summary in summaries:
        rows.append([_cell(getattr(summary, attribute)) for _, attribute in TABLE_COLUMNS])
    widths = [max(len(row[index]) for row in rows) for index in range(len(TABLE_COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(width) if index == 0 or index == len(row) - 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    for summary in summaries:
        if summary.dropped:
            lines.append(f"{summary.outlet} dropped: {format_counts(summary.dropped)}")
        if summary.errors:
            lines.append(f"{summary.outlet} errors: {format_counts(summary.errors)}")
        for problem in summary.problems:
            lines.append(f"{summary.outlet} FAILED: {problem}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def crawl_stats(crawler: Crawler) -> dict[str, Any]:
    """The crawler's stats; none when the crawl never started (its spider could not be built:
    Scrapy then has no stats collector, and asking for it raises)."""
    try:
        collector = crawler.stats
    except RuntimeError:
        return {}
    return collector.get_stats() if collector is not None else {}


def summarize_crawler(crawler: Crawler) -> OutletSummary:
    """The final summary of a finished crawler, its outcome judged on the final stats."""
    stats = crawl_stats(crawler)
    reason = stats.get("finish_reason")
    spider = getattr(crawler, "spider", None)
    name = spider.name if spider is not None else str(getattr(crawler.spidercls, "name", "?"))
    if spider is None:
        outcome: tuple[int, Sequence[str]] = (
            EXIT_BOOTSTRAP_FAILED,
            ["spider could not be started (see the log)"],
        )
    else:
        outcome = crawl_outcome(stats, reason, crawler.settings)
    return OutletSummary.from_stats(name, stats, reason, outcome)

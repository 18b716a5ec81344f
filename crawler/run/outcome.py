"""Whether a crawl went well, as one exit status cron (or a monitor) can act on.

A crawl that "ran" can still have failed its users: a feed that never reached its storage,
a spider stopped early, an outlet whose new template no extractor understands, or a site
answering mostly errors. Each such condition is a ``Condition`` in ``CONDITIONS``; the
first condition in that tuple that holds sets the exit code, so the tuple is ordered by
how much the failure costs the reader (lost delivery first). Monitors add conditions by
passing their own tuple to ``crawl_outcome``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings

EXIT_OK = 0
#: Scrapy's own: a spider could not be created (bad argument, unknown spider).
EXIT_BOOTSTRAP_FAILED = 1
EXIT_FEED_NOT_STORED = 3
EXIT_ABNORMAL_FINISH = 4
EXIT_NOTHING_PARSED = 5
EXIT_TOO_MANY_ERRORS = 6
EXIT_DISCOVERY_FAILED = 7
#: 8, 12 and 13 are ``scrapy outlet_health``'s (crawler.run.health). The spider-close monitors
#: (crawler.extensions.monitors): an error (new articles listed, none became an item), and a
#: warning (field coverage too low, or "layout changed?": fields from the generic fallback).
EXIT_MONITOR_ERROR = 9
EXIT_MONITOR_WARNING = 10
EXIT_DELIVERY_NOT_RECORDED = 11
#: Another run of the outlet holds its lock (crawler.store.locks): this run did nothing. The
#: value is sysexits' EX_TEMPFAIL, which ``flock -E 75`` in the README's old cron line returned.
EXIT_LOCKED = 75
#: Exit codes of a run that may move the outlet's default window: everything it found was
#: delivered. A monitor warning (10) is about field quality, not about delivery; counting it
#: as a failure would freeze the window of an outlet whose warning persists (say a national
#: outlet below the kab_kota share), making every later window longer.
RUN_SUCCESS_EXIT_CODES = frozenset({EXIT_OK, EXIT_MONITOR_WARNING})

#: Scrapy's own: a wrong command line (unknown option, a feed without %(name)s for crawlall).
EXIT_USAGE = 2

#: What each exit status of ``scrapy crawl`` and ``scrapy crawlall`` means, for ``-h`` and the
#: README (a test keeps the README's table equal to this). When several hold, the first of
#: ``CONDITIONS`` wins.
EXIT_MEANINGS: dict[int, str] = {
    EXIT_OK: "all went well",
    EXIT_BOOTSTRAP_FAILED: (
        "the crawl could not start: unknown outlet, bad `-a` value, unreachable "
        "`CRAWLER_REDIS_URL` (one line names it)"
    ),
    EXIT_USAGE: (
        "wrong command line (unknown option, feed without `%(name)s` for `crawlall`); Scrapy's own"
    ),
    EXIT_FEED_NOT_STORED: (
        "a feed could not be stored (or its file name was taken meanwhile); its articles are "
        "not marked delivered, the next run delivers them"
    ),
    EXIT_ABNORMAL_FINISH: (
        "the spider closed for another reason than `finished` (`CLOSESPIDER_*`, Ctrl-C, "
        "shutdown, cluster Redis lost or its lease taken over)"
    ),
    EXIT_NOTHING_PARSED: (
        "article pages arrived but none became an article: the outlet probably changed its layout"
    ),
    EXIT_TOO_MANY_ERRORS: (
        "more than `CRAWLER_MAX_ERROR_RATIO` (0.5) of the article requests failed, and at "
        "least `CRAWLER_MIN_FAILED_ARTICLES` (3)"
    ),
    EXIT_DISCOVERY_FAILED: (
        "nothing was discovered and discovery requests failed: the site is down or blocks us"
    ),
    EXIT_MONITOR_ERROR: "monitor error: discovery listed new articles and not one became an item",
    EXIT_MONITOR_WARNING: (
        "monitor warning: title/published/body coverage below 100 %, `kab_kota` below "
        '`CRAWLER_MONITOR_MIN_KAB_KOTA`, or "layout changed?"; still a successful run'
    ),
    EXIT_DELIVERY_NOT_RECORDED: (
        "feeds were stored but the delivered-store could not record them (e.g. Redis lost): "
        "the next run delivers those articles again"
    ),
    EXIT_LOCKED: (
        "another run of the outlet holds its lock (same state directory or Redis): this run "
        "did nothing; not a failure"
    ),
}


def exit_code_lines() -> list[str]:
    """``EXIT_MEANINGS`` as plain lines (``scrapy crawl -h``)."""
    return [f"  {code:>3}  {text.replace('`', '')}" for code, text in EXIT_MEANINGS.items()]


def exit_code_table() -> str:
    """``EXIT_MEANINGS`` as the README's Markdown table."""
    rows = ["| exit | meaning |", "|---|---|"]
    rows += [f"| {code} | {text} |" for code, text in EXIT_MEANINGS.items()]
    return "\n".join(rows)


NORMAL_FINISH_REASON = "finished"
DEFAULT_MAX_ERROR_RATIO = 0.5
#: Fewer failed article requests than this never fail a run: one dead link that a feed keeps
#: listing would otherwise fail every cron run until it leaves the date window.
DEFAULT_MIN_FAILED_ARTICLES = 3

FAILED_PREFIX = "crawler/failed/"
#: Failures of article requests; every other ``crawler/failed/`` reason is discovery's.
ARTICLE_FAILURE_PREFIX = FAILED_PREFIX + "article_"
DROPPED_PREFIX = "crawler/dropped/"
SKIPPED_PREFIX = "crawler/skipped/"
#: Feeds stored whose articles the delivered-store could not record (they come again next run).
DELIVERY_COMMIT_FAILED = "crawler/delivery_commit_failed"
#: Feeds whose storage failed, counted by the delivery side (exactly-once commit).
FEED_STORE_FAILED = "crawler/feed_store_failed"
#: Feed batches whose export broke before storage was even attempted (see FeedWatchExtension).
FEED_UNSTORED = "crawler/feed_unstored"
#: Scrapy's own count of failed ``storage.store()`` calls, one key per storage class.
SCRAPY_FEED_FAILED_PREFIX = "feedexport/failed_count/"
#: Drops that mean "nothing to deliver", not "could not parse".
EXPECTED_DROP_REASONS = ("already_delivered", "outside_window")

#: Why a run did nothing at all (crawler.spiders.base): another run holds the outlet's lock.
REFUSED_STAT = "crawler/refused"

#: Where the outcome is recorded in the crawl's stats.
EXIT_CODE_STAT = "crawler/outcome/exit_code"
REASONS_STAT = "crawler/outcome/reasons"
#: Verdicts of the spider-close monitors, lists of sentences (crawler.extensions.monitors).
MONITOR_ERRORS_STAT = "crawler/monitor/errors"
MONITOR_WARNINGS_STAT = "crawler/monitor/warnings"

Stats = Mapping[str, Any]
SettingsLike = BaseSettings | Mapping[str, Any] | None


def stat_int(stats: Stats, key: str) -> int:
    value = stats.get(key) or 0
    return int(value) if isinstance(value, int | float) else 0


def stats_by_suffix(stats: Stats, prefix: str) -> dict[str, int]:
    """Counters under ``prefix``, keyed by the rest of their name."""
    return {
        key[len(prefix) :]: int(value)
        for key, value in stats.items()
        if key.startswith(prefix) and isinstance(value, int | float) and value
    }


def setting_float(settings: SettingsLike, name: str, default: float) -> float:
    if settings is None:
        return default
    if isinstance(settings, BaseSettings):
        return settings.getfloat(name, default)
    value = settings.get(name)
    return default if value is None else float(value)


# --- conditions ------------------------------------------------------------------------------
# Each takes (stats, finish reason, settings) and returns why the crawl failed, or None.


def feed_not_stored(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    # The delivery side and Scrapy may both count one failed store(); never-opened feeds apart.
    store_failures = max(
        stat_int(stats, FEED_STORE_FAILED),
        sum(stats_by_suffix(stats, SCRAPY_FEED_FAILED_PREFIX).values()),
    )
    failed = store_failures + stat_int(stats, FEED_UNSTORED)
    if failed:
        return f"feed not stored: {failed} feed file(s) could not be written"
    return None


def delivery_not_recorded(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    failed = stat_int(stats, DELIVERY_COMMIT_FAILED)
    if failed:
        return f"delivered-store did not record {failed} stored feed(s): next run repeats them"
    return None


def abnormal_finish(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    if reason is None:
        return "spider did not run"
    if reason != NORMAL_FINISH_REASON:
        return f"spider closed early: finish reason {reason!r}"
    return None


def nothing_parsed(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    """Article pages arrived, yet not one became an item: the outlet's layout likely changed."""
    requested = stat_int(stats, "crawler/articles_requested")
    received = requested - sum(stats_by_suffix(stats, ARTICLE_FAILURE_PREFIX).values())
    if received <= 0 or stat_int(stats, "item_scraped_count"):
        return None
    if any(stat_int(stats, DROPPED_PREFIX + name) for name in EXPECTED_DROP_REASONS):
        return None
    return f"no article could be parsed: {received} article page(s) received, 0 items"


def too_many_errors(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    requested = stat_int(stats, "crawler/articles_requested")
    if not requested:
        return None
    failed = sum(stats_by_suffix(stats, ARTICLE_FAILURE_PREFIX).values())
    limit = setting_float(settings, "CRAWLER_MAX_ERROR_RATIO", DEFAULT_MAX_ERROR_RATIO)
    minimum = setting_float(settings, "CRAWLER_MIN_FAILED_ARTICLES", DEFAULT_MIN_FAILED_ARTICLES)
    if failed >= minimum and failed / requested > limit:
        return f"error ratio {failed}/{requested} article requests failed, above {limit:g}"
    return None


def discovery_failed(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    """Nothing found while discovery requests failed: the site is down or blocks us."""
    if stat_int(stats, "crawler/discovered"):
        return None
    failures = {
        name: count
        for name, count in stats_by_suffix(stats, FAILED_PREFIX).items()
        if not name.startswith("article_")
    }
    if failures:
        return f"discovery failed: nothing found, {sum(failures.values())} discovery error(s)"
    return None


def _monitor_verdicts(stats: Stats, key: str) -> str | None:
    verdicts = stats.get(key) or ()
    if isinstance(verdicts, str):
        verdicts = (verdicts,)
    return "; ".join(str(text) for text in verdicts) or None


def monitor_error(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    return _monitor_verdicts(stats, MONITOR_ERRORS_STAT)


def monitor_warning(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    return _monitor_verdicts(stats, MONITOR_WARNINGS_STAT)


def run_refused(stats: Stats, reason: str | None, settings: SettingsLike) -> str | None:
    refusal = stats.get(REFUSED_STAT)
    return f"nothing done: {refusal}" if refusal else None


@dataclass(frozen=True)
class Condition:
    """One way a crawl can fail, with the exit code it causes."""

    exit_code: int
    check: Callable[[Stats, str | None, SettingsLike], str | None]


#: Ordered by severity: the first condition that holds sets the exit code.
CONDITIONS: tuple[Condition, ...] = (
    Condition(EXIT_FEED_NOT_STORED, feed_not_stored),
    Condition(EXIT_DELIVERY_NOT_RECORDED, delivery_not_recorded),
    Condition(EXIT_ABNORMAL_FINISH, abnormal_finish),
    Condition(EXIT_NOTHING_PARSED, nothing_parsed),
    Condition(EXIT_TOO_MANY_ERRORS, too_many_errors),
    Condition(EXIT_DISCOVERY_FAILED, discovery_failed),
    Condition(EXIT_MONITOR_ERROR, monitor_error),
    Condition(EXIT_MONITOR_WARNING, monitor_warning),
    # Last: the least severe for ``crawlall``'s worst code; a refused run meets no other.
    Condition(EXIT_LOCKED, run_refused),
)


def crawl_outcome(
    stats: Stats,
    reason: str | None,
    settings: SettingsLike,
    conditions: Iterable[Condition] = CONDITIONS,
) -> tuple[int, list[str]]:
    """Exit code and every reason the crawl is not a success (``(0, [])`` when it is)."""
    exit_code = EXIT_OK
    reasons: list[str] = []
    for condition in conditions:
        text = condition.check(stats, reason, settings)
        if text:
            reasons.append(text)
            exit_code = exit_code or condition.exit_code
    return exit_code, reasons


def worst_exit_code(codes: Iterable[int], conditions: Iterable[Condition] = CONDITIONS) -> int:
    """The exit code of a multi-outlet run: the most severe of its outlets' codes."""
    present = set(codes) - {EXIT_OK}
    if not present:
        return EXIT_OK
    severity = [condition.exit_code for condition in conditions]
    ranked = sorted(present, key=lambda code: severity.index(code) if code in severity else -1)
    return ranked[0]

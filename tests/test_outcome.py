"""The exit-status decision and the summary texts, on hand-made stats."""

from __future__ import annotations

import pytest

from crawler.run.outcome import (
    CONDITIONS,
    EXIT_ABNORMAL_FINISH,
    EXIT_BOOTSTRAP_FAILED,
    EXIT_DISCOVERY_FAILED,
    EXIT_FEED_NOT_STORED,
    EXIT_NOTHING_PARSED,
    EXIT_OK,
    EXIT_TOO_MANY_ERRORS,
    Condition,
    crawl_outcome,
    worst_exit_code,
)
from crawler.run.summary import OutletSummary, format_summary_line, format_summary_table

#: Stats of a run that went well: 10 requested, 1 lost to a 404, 8 delivered, 1 dropped.
GOOD_RUN = {
    "crawler/discovered": 12,
    "crawler/articles_requested": 10,
    "crawler/failed/article_http_404": 1,
    "crawler/skipped/outside_window": 2,
    "crawler/dropped/missing_body": 1,
    "item_scraped_count": 8,
    "finish_reason": "finished",
}


def outcome(changes: dict, reason: str | None = "finished", settings=None):
    return crawl_outcome({**GOOD_RUN, **changes}, reason, settings or {})


def test_a_good_run_is_ok():
    assert outcome({}) == (EXIT_OK, [])


@pytest.mark.parametrize(
    "changes",
    [
        {"crawler/feed_store_failed": 1},
        {"feedexport/failed_count/S3FeedStorage": 2},
        {"crawler/feed_unstored": 1},
    ],
)
def test_feed_not_stored(changes):
    code, reasons = outcome(changes)
    assert code == EXIT_FEED_NOT_STORED
    assert reasons[0].startswith("feed not stored")


@pytest.mark.parametrize("reason", ["closespider_timeout", "shutdown", "cancelled", None])
def test_any_finish_but_finished_is_abnormal(reason):
    code, reasons = outcome({}, reason=reason)
    assert code == EXIT_ABNORMAL_FINISH
    assert len(reasons) == 1


def test_articles_received_but_none_parsed():
    code, reasons = outcome({"item_scraped_count": 0, "crawler/dropped/missing_body": 9})
    assert code == EXIT_NOTHING_PARSED
    assert reasons == ["no article could be parsed: 9 article page(s) received, 0 items"]


@pytest.mark.parametrize("reason", ["already_delivered", "outside_window"])
def test_nothing_new_to_deliver_is_not_a_parse_failure(reason):
    assert outcome({"item_scraped_count": 0, f"crawler/dropped/{reason}": 9}) == (EXIT_OK, [])


def test_no_article_requested_is_fine():
    changes = {"crawler/articles_requested": 0, "item_scraped_count": 0}
    assert outcome({**changes, "crawler/failed/article_http_404": 0}) == (EXIT_OK, [])


def test_error_ratio_above_the_setting_fails():
    assert outcome({"crawler/failed/article_http_404": 5})[0] == EXIT_OK  # 5/10 is not above 0.5
    code, reasons = outcome({"crawler/failed/article_http_404": 6})
    assert code == EXIT_TOO_MANY_ERRORS
    assert reasons == ["error ratio 6/10 article requests failed, above 0.5"]
    strict = {"CRAWLER_MAX_ERROR_RATIO": "0.05", "CRAWLER_MIN_FAILED_ARTICLES": "1"}
    assert outcome({}, settings=strict)[0] == EXIT_TOO_MANY_ERRORS


def test_a_few_dead_links_do_not_fail_a_run():
    """One article a feed keeps listing but the site lost must not fail every cron run."""
    few = {"crawler/articles_requested": 2, "crawler/failed/article_http_404": 2}
    assert outcome(few)[0] == EXIT_OK
    assert (
        outcome({**few, "crawler/articles_requested": 3, "crawler/failed/article_http_404": 3})[0]
        == EXIT_TOO_MANY_ERRORS
    )


def test_discovery_errors_only_count_when_nothing_was_found():
    failures = {"crawler/failed/discovery_ConnectionRefusedError": 4}
    assert outcome(failures)[0] == EXIT_OK
    nothing = {"crawler/discovered": 0, "crawler/articles_requested": 0, "item_scraped_count": 0}
    code, reasons = outcome({**nothing, **failures, "crawler/failed/article_http_404": 0})
    assert code == EXIT_DISCOVERY_FAILED
    assert reasons == ["discovery failed: nothing found, 4 discovery error(s)"]


def test_the_most_severe_condition_sets_the_code_and_every_reason_is_kept():
    code, reasons = outcome({"crawler/feed_store_failed": 1}, reason="closespider_timeout")
    assert code == EXIT_FEED_NOT_STORED
    assert len(reasons) == 2


def test_monitors_add_conditions():
    def too_few(stats, reason, settings):
        return "too few articles" if stats.get("item_scraped_count", 0) < 100 else None

    extended = (*CONDITIONS, Condition(9, too_few))
    assert crawl_outcome(GOOD_RUN, "finished", {}, extended) == (9, ["too few articles"])


def test_worst_exit_code_follows_severity_not_number():
    assert worst_exit_code([EXIT_OK, EXIT_OK]) == EXIT_OK
    assert worst_exit_code([EXIT_DISCOVERY_FAILED, EXIT_FEED_NOT_STORED]) == EXIT_FEED_NOT_STORED
    assert worst_exit_code([EXIT_TOO_MANY_ERRORS, EXIT_BOOTSTRAP_FAILED]) == EXIT_BOOTSTRAP_FAILED


def test_summary_figures_come_from_the_stats():
    summary = OutletSummary.from_stats("espos", {**GOOD_RUN, "log_count/ERROR": 2}, "finished")
    assert (summary.found, summary.new, summary.delivered) == (12, 10, 8)
    assert summary.dropped == {"outside_window": 2, "missing_body": 1}
    assert summary.errors == {"article_http_404": 1, "logged_errors": 2}
    assert OutletSummary.from_stats("espos", {**GOOD_RUN, "crawler/delivered": 7}).delivered == 7


def test_summary_line():
    summary = OutletSummary.from_stats("espos", GOOD_RUN, "finished")
    assert format_summary_line(summary) == (
        "espos: found 12, new 10, delivered 8, dropped 3 (outside_window 2, missing_body 1), "
        "errors 1 (article_http_404 1), finished, ok"
    )
    failed = OutletSummary.from_stats("espos", GOOD_RUN, "shutdown", (4, ["closed early"]))
    assert format_summary_line(failed).endswith(", shutdown, exit 4: closed early")


def test_summary_table_has_a_row_per_outlet_and_the_reasons_below():
    good = OutletSummary.from_stats("espos", GOOD_RUN, "finished")
    bad = OutletSummary.from_stats("tribunjateng", {}, None, (1, ["could not start"]))
    lines = format_summary_table([good, bad]).splitlines()
    assert lines[0].split() == [
        "outlet", "found", "new", "delivered", "dropped", "errors", "finish", "exit"
    ]  # fmt: skip
    assert lines[1].split() == ["espos", "12", "10", "8", "3", "1", "finished", "0"]
    assert lines[2].split() == ["tribunjateng", "0", "0", "0", "0", "0", "-", "1"]
    assert len({len(line) for line in lines[:3]}) == 1  # aligned columns
    assert "espos dropped: outside_window 2, missing_body 1" in lines
    assert "tribunjateng FAILED: could not start" in lines


def test_stored_feeds_the_store_could_not_record_fail_the_run():
    code, reasons = outcome({"crawler/delivery_commit_failed": 1})
    assert code == 11
    assert reasons == ["delivered-store did not record 1 stored feed(s): next run repeats them"]

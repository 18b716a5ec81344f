from datetime import UTC, datetime

import pytest

from crawler.run.window import DateWindow
from crawler.utils.timezones import WIB

NOW = datetime(2025, 7, 3, 12, 0, tzinfo=WIB)


def test_default_window_is_the_last_days_in_wib():
    window = DateWindow.from_arguments(None, None, default_days=2, now=NOW)
    assert window.since == datetime(2025, 7, 1, 12, 0, tzinfo=WIB)
    assert window.until == NOW


def test_until_as_a_date_includes_the_whole_day():
    window = DateWindow.from_arguments("2025-07-01", "2025-07-03", default_days=2, now=NOW)
    assert datetime(2025, 7, 1, 0, 0, tzinfo=WIB) in window
    assert datetime(2025, 7, 3, 23, 59, tzinfo=WIB) in window
    assert datetime(2025, 6, 30, 23, 59, tzinfo=WIB) not in window
    assert datetime(2025, 7, 4, 0, 0, tzinfo=WIB) not in window


def test_iso_bounds_with_offsets_are_converted_to_wib():
    window = DateWindow.from_arguments(
        "2025-07-01T00:00:00+00:00", "2025-07-02T10:00", default_days=2, now=NOW
    )
    assert window.since == datetime(2025, 7, 1, 7, 0, tzinfo=WIB)
    assert window.until == datetime(2025, 7, 2, 10, 0, tzinfo=WIB)


def test_inverted_window_is_refused():
    with pytest.raises(ValueError, match="after"):
        DateWindow.from_arguments("2025-07-03", "2025-07-01", default_days=2, now=NOW)


def test_default_since_replaces_the_default_days_but_not_an_explicit_since():
    resume = datetime(2025, 7, 3, 1, 30, tzinfo=UTC)
    window = DateWindow.from_arguments(None, None, default_days=2, now=NOW, default_since=resume)
    assert window.since == datetime(2025, 7, 3, 8, 30, tzinfo=WIB)
    assert window.since.tzinfo is WIB
    explicit = DateWindow.from_arguments(
        "2025-07-01", None, default_days=2, now=NOW, default_since=resume
    )
    assert explicit.since == datetime(2025, 7, 1, tzinfo=WIB)


def test_default_since_in_the_future_is_clamped_to_now():
    window = DateWindow.from_arguments(
        None, None, default_days=2, now=NOW, default_since=datetime(2030, 1, 1, tzinfo=WIB)
    )
    assert window.since == window.until == NOW

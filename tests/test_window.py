from datetime import datetime

import pytest

from crawler.timezones import WIB
from crawler.window import DateWindow

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

"""Tests for crawler.utils.dates.

The date strings below are constructed by hand in the shapes listed in research/outlets.md and
research/regions.md (section E) and seen in the real page copies under shared/fixtures/real.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.utils.dates import (
    INDONESIAN_MONTHS,
    DateParseError,
    parse_indonesian_datetime,
    parse_updated_datetime,
)
from crawler.utils.timezones import WIB

#: Fixed crawl time for relative expressions and the "not too far in the future" rule.
NOW = datetime(2026, 11, 20, 10, 15, 30, tzinfo=WIB)

VISIBLE_TEXT_CASES = [
    # espos / solopos byline and legacy solopos
    ("Jumat, 14 Juni 2024 - 17:57 WIB", "2024-06-14T17:57:00+07:00"),
    (
        "by Kurniawan  - Espos.id Solopos  -  Jumat, 14 Juni 2024 - 17:57 WIB",
        "2024-06-14T17:57:00+07:00",
    ),
    ("Senin, 28 September 2015 - 11:45 WIB", "2015-09-28T11:45:00+07:00"),
    # Radar Semarang, PRMN (Suara Merdeka family)
    ("Kamis, 28 Mei 2026 | 14:09 WIB", "2026-05-28T14:09:00+07:00"),
    ("Kamis, 3 Juli 2025 | 16:04 WIB", "2025-07-03T16:04:00+07:00"),
    ("Kamis, 3 Juli 2025 | 16.04 WIB", "2025-07-03T16:04:00+07:00"),
    ("- 7 Oktober 2020, 15:13 WIB", "2020-10-07T15:13:00+07:00"),
    # Disway (Radar Tegal: no comma after the day name, none before the time); Jawa Pos widget
    ("Kamis 05-03-2026,06:50 WIB", "2026-03-05T06:50:00+07:00"),
    ("Rabu 04-03-2026,21:06 WIB", "2026-03-04T21:06:00+07:00"),
    ("7 Desember 2025, 21:45 WIB", "2025-12-07T21:45:00+07:00"),
    # iNews, with seconds
    ("Sabtu, 02 Januari 2021 - 08:02:00 WIB", "2021-01-02T08:02:00+07:00"),
    ("Sabtu, 02 Januari 2021 - 08.02.41 WIB", "2021-01-02T08:02:41+07:00"),
    # suara.com
    ("Selasa, 09 Juni 2020 | 22:01 WIB", "2020-06-09T22:01:00+07:00"),
    ("19 Jun 2015 | 13:06", "2015-06-19T13:06:00+07:00"),
    # Antara (video page, articles, English list pages)
    ("Rabu, 3 Februari 2021 15:27", "2021-02-03T15:27:00+07:00"),
    ("Senin, 15 Mei 2017 18:43 WIB", "2017-05-15T18:43:00+07:00"),
    ("14 June 2024 17:57", "2024-06-14T17:57:00+07:00"),
    ("Friday, 14 June 2024 17:57 WIB", "2024-06-14T17:57:00+07:00"),
    ("3 August 2025 09:05", "2025-08-03T09:05:00+07:00"),
    # Kompas
    ("Kompas.com - 14/06/2024, 17:57 WIB", "2024-06-14T17:57:00+07:00"),
    ("Kompas.com, 14/06/2024, 17:57 WIB", "2024-06-14T17:57:00+07:00"),
    ("Rabu, 4 November 2015 | 21:04 WIB", "2015-11-04T21:04:00+07:00"),
    # detik (abbreviated months), old detik numeric form
    ("Senin, 04 Nov 2024 14:30 WIB", "2024-11-04T14:30:00+07:00"),
    ("Sabtu, 10 Des 2022 13:19 WIB", "2022-12-10T13:19:00+07:00"),
    ("Jumat, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
    # Tribun
    ("Selasa, 5 November 2024 14:30 WIB", "2024-11-05T14:30:00+07:00"),
    ("Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:00+07:00"),
    ("Jumat, 19 Juni 2015 12:58 WIB", "2015-06-19T12:58:00+07:00"),
    # okezone / liputan6 shapes
    ("Jum'at, 17 Februari 2017 - 13:30 wib", "2017-02-17T13:30:00+07:00"),
    ("Jum\u2019at, 17 Februari 2017 - 13:30 WIB", "2017-02-17T13:30:00+07:00"),
    ("on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:00+07:00"),
    ("16 Feb 2016, 07:16", "2016-02-16T07:16:00+07:00"),
    # every abbreviation family, dots, case, pasaran, time words
    ("Sen, 5 Agt 2024 08:00 WIB", "2024-08-05T08:00:00+07:00"),
    ("5 Agu 2024 08:00", "2024-08-05T08:00:00+07:00"),
    ("5 Ags. 2024 08:00", "2024-08-05T08:00:00+07:00"),
    ("Senin, 5 Agust. 2024 08:00", "2024-08-05T08:00:00+07:00"),
    ("12 Peb 2021 09:00", "2021-02-12T09:00:00+07:00"),
    ("Kamis, 12 Nop 2020 09:00", "2020-11-12T09:00:00+07:00"),
    ("Rabu, 11 Nopember 2020 pukul 09.00 WIB", "2020-11-11T09:00:00+07:00"),
    ("Sel, 3 Sept 2024 pkl. 10.30", "2024-09-03T10:30:00+07:00"),
    ("Minggu, 01 DESEMBER 2024 jam 07:05", "2024-12-01T07:05:00+07:00"),
    ("Ahad, 2 maret 2025, 06.15 WIB", "2025-03-02T06:15:00+07:00"),
    ("Jumat Kliwon, 14 Juni 2024 - 17:57 WIB", "2024-06-14T17:57:00+07:00"),
    ("Kam, 28 Apr 2022 - 20:10", "2022-04-28T20:10:00+07:00"),
    ("19-Jun-2015 13:06", "2015-06-19T13:06:00+07:00"),
    ("Senin, 4 November 2024, pukul 14.30 WIB", "2024-11-04T14:30:00+07:00"),
    # other zones converted to WIB
    ("Kamis, 3 Juli 2025 | 16:04 WITA", "2025-07-03T15:04:00+07:00"),
    ("Kamis, 3 Juli 2025 | 16:04 WIT", "2025-07-03T14:04:00+07:00"),
    ("Senin, 1 Januari 2024 00:30 WITA", "2023-12-31T23:30:00+07:00"),
    # numeric day-first dates
    ("14/06/2024, 17:57", "2024-06-14T17:57:00+07:00"),
    ("14/06/2024 17:57:09", "2024-06-14T17:57:09+07:00"),
    ("14-06-2024 17:57", "2024-06-14T17:57:00+07:00"),
    ("14-06-2024", "2024-06-14T00:00:00+07:00"),
    ("4/6/2024 07.05", "2024-06-04T07:05:00+07:00"),
    # date only means 00:00 WIB
    ("Jumat, 21 November 2025", "2025-11-21T00:00:00+07:00"),
    ("Jumat, 19 Juni 2015", "2015-06-19T00:00:00+07:00"),
    ("Jumat, 14 Juni 2024 - 17 orang tewas", "2024-06-14T00:00:00+07:00"),
    ("14 Juni 2024, 15.000 peserta", "2024-06-14T00:00:00+07:00"),
]

MACHINE_CASES = [
    # well-formed ISO 8601: the zone is honoured
    ("2024-06-14T17:57:00+07:00", "2024-06-14T17:57:00+07:00"),
    ("2020-10-07T15:13:00+0700", "2020-10-07T15:13:00+07:00"),
    ("2024-06-14T10:57:00Z", "2024-06-14T17:57:00+07:00"),
    ("2024-06-14T10:57:00.123Z", "2024-06-14T17:57:00.123000+07:00"),
    ("2024-06-14T17:57:00.5+07:00", "2024-06-14T17:57:00.500000+07:00"),
    ("2024-06-14T18:57:00+08:00", "2024-06-14T17:57:00+07:00"),
    ("2024-06-14T17:57:00", "2024-06-14T17:57:00+07:00"),
    ("2017-02-17 13:30:08", "2017-02-17T13:30:08+07:00"),
    ("2024-06-14 10:57:00Z", "2024-06-14T17:57:00+07:00"),
    ("2024-06-14", "2024-06-14T00:00:00+07:00"),
    ("  2026-01-08T20:19:38+07:00\n", "2026-01-08T20:19:38+07:00"),
    # detik's malformed meta times: WIB wall clock with a fake Z
    ("2022-12-10T13-19-56Z", "2022-12-10T13:19:56+07:00"),
    ("2022-12-10T07-16-35Z", "2022-12-10T07:16:35+07:00"),
    ("2015-11-05 T10:08:58Z", "2015-11-05T10:08:58+07:00"),
    ("2022/12/10 07:16:35", "2022-12-10T07:16:35+07:00"),
    ("2022/12/10", "2022-12-10T00:00:00+07:00"),
    ("2024-6-4 7:05", "2024-06-04T07:05:00+07:00"),
    ("2024-06-14 17:57 WITA", "2024-06-14T16:57:00+07:00"),
    # epoch seconds (detik d-time) and milliseconds (dateunix)
    ("1670653196", "2022-12-10T13:19:56+07:00"),
    ("1670574368000", "2022-12-09T15:26:08+07:00"),
    ("1446692426000", "2015-11-05T10:00:26+07:00"),
]

RELATIVE_CASES = [
    ("5 menit yang lalu", "2026-11-20T10:10:30+07:00"),
    ("2 jam lalu", "2026-11-20T08:15:30+07:00"),
    ("3 hari lalu", "2026-11-17T10:15:30+07:00"),
    ("2 Bulan lalu", "2026-09-21T10:15:30+07:00"),
    ("1 minggu yang lalu", "2026-11-13T10:15:30+07:00"),
    ("sejam lalu", "2026-11-20T09:15:30+07:00"),
    ("detik yang lalu", "2026-11-20T10:15:29+07:00"),
    ("30 detik lalu", "2026-11-20T10:15:00+07:00"),
    ("1 tahun lalu", "2025-11-20T10:15:30+07:00"),
    ("Diunggah 4 jam yang lalu", "2026-11-20T06:15:30+07:00"),
    ("5 minutes ago", "2026-11-20T10:10:30+07:00"),
    ("an hour ago", "2026-11-20T09:15:30+07:00"),
    ("baru saja", "2026-11-20T10:15:30+07:00"),
    ("just now", "2026-11-20T10:15:30+07:00"),
    ("kemarin", "2026-11-19T00:00:00+07:00"),
    ("kemarin 14:30", "2026-11-19T14:30:00+07:00"),
    ("Kemarin, pukul 14.30 WIB", "2026-11-19T14:30:00+07:00"),
    ("hari ini 10:00", "2026-11-20T10:00:00+07:00"),
    ("Hari ini", "2026-11-20T00:00:00+07:00"),
    ("yesterday 23:59", "2026-11-19T23:59:00+07:00"),
]

UPDATE_CASES = [
    # (text, published, updated)
    (
        "Kompas.com - 14/06/2024, 17:57 WIB Diperbarui 15/06/2024, 08:00 WIB",
        "2024-06-14T17:57:00+07:00",
        "2024-06-15T08:00:00+07:00",
    ),
    (
        "Terbit: Jumat, 14 Juni 2024 - 17:57 WIB Update: Sabtu, 15 Juni 2024 - 08:00 WIB",
        "2024-06-14T17:57:00+07:00",
        "2024-06-15T08:00:00+07:00",
    ),
    (
        "Updated: 15/06/2024, 08:00 WIB | Published: 14/06/2024, 17:57 WIB",
        "2024-06-14T17:57:00+07:00",
        "2024-06-15T08:00:00+07:00",
    ),
    (
        "Tayang: Kamis, 3 Juli 2025 | 16:04 WIB Diperbarui: 3 jam lalu",
        "2025-07-03T16:04:00+07:00",
        "2026-11-20T07:15:30+07:00",
    ),
    ("Kamis, 3 Juli 2025 | 16:04 WIB", "2025-07-03T16:04:00+07:00", None),
]

ERROR_CASES = [
    "",
    "   ",
    "tidak ada tanggal di sini",
    "Advertisement",
    "Senin",
    "14 Juni",
    "Senin (19/7)",
    "1 Syawal 1446 H",
    "Jumat, 1 Ramadhan 1445 H",
    "10 Muharram 1446",
    "14 Smarch 2024 17:57",
    "14/13/2024",
    "31 Februari 2024",
    "30/02/2024 10:00",
    "14 Juni 2024 25:00",
    "14 Juni 1989 10:00",
    "2024-13-01T00:00:00Z",
    "2029-01-01T00:00:00+07:00",
    "14 Juni 2030",
    "123",
    "99999999999999999999 tahun lalu",
    "5 orang lalu",
    "Diperbarui 15/06/2024, 08:00 WIB",
]


def _parse(text: str) -> str:
    return parse_indonesian_datetime(text, now=NOW).isoformat()


@pytest.mark.parametrize(("text", "expected"), VISIBLE_TEXT_CASES)
def test_visible_text_formats(text: str, expected: str) -> None:
    assert _parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), MACHINE_CASES)
def test_machine_formats(text: str, expected: str) -> None:
    assert _parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), RELATIVE_CASES)
def test_relative_expressions_count_back_from_now(text: str, expected: str) -> None:
    assert _parse(text) == expected


@pytest.mark.parametrize(("text", "published", "updated"), UPDATE_CASES)
def test_publication_wins_over_update(text: str, published: str, updated: str | None) -> None:
    assert _parse(text) == published
    modified = parse_updated_datetime(text, now=NOW)
    assert (modified.isoformat() if modified else None) == updated


@pytest.mark.parametrize("text", ERROR_CASES)
def test_unreadable_text_raises(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_indonesian_datetime(text, now=NOW)


def test_non_string_input_raises_date_parse_error() -> None:
    with pytest.raises(DateParseError):
        parse_indonesian_datetime(None, now=NOW)  # type: ignore[arg-type]


def test_result_is_in_wib_even_when_now_is_utc() -> None:
    now_utc = NOW.astimezone(UTC)
    result = parse_indonesian_datetime("kemarin 14:30", now=now_utc)
    assert result.tzinfo is WIB
    assert result.isoformat() == "2026-11-19T14:30:00+07:00"


def test_relative_day_uses_the_wib_calendar_day() -> None:
    """At 20:00 UTC it is already the next day in WIB, so "hari ini" is that WIB day."""
    now_utc = datetime(2026, 11, 19, 20, 0, tzinfo=UTC)
    assert parse_indonesian_datetime("hari ini", now=now_utc).isoformat() == (
        "2026-11-20T00:00:00+07:00"
    )


def test_default_now_is_the_current_time() -> None:
    before = datetime.now(WIB).replace(microsecond=0)
    result = parse_indonesian_datetime("baru saja")
    assert before <= result <= datetime.now(WIB)


def test_future_limit_is_one_year_after_now() -> None:
    assert _parse("20 November 2027") == "2027-11-20T00:00:00+07:00"
    with pytest.raises(DateParseError):
        parse_indonesian_datetime("20 Desember 2027", now=NOW)


def test_month_table_covers_full_abbreviated_old_and_english_names() -> None:
    expected = {
        "januari": 1, "peb": 2, "maret": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6,
        "juli": 7, "agt": 8, "agu": 8, "ags": 8, "agust": 8, "sept": 9, "okt": 10,
        "oct": 10, "nop": 11, "nopember": 11, "des": 12, "december": 12,
    }  # fmt: skip
    assert {name: INDONESIAN_MONTHS[name] for name in expected} == expected
    assert sorted(set(INDONESIAN_MONTHS.values())) == list(range(1, 13))


def test_date_parse_error_is_a_value_error() -> None:
    assert issubclass(DateParseError, ValueError)


_DATE_TOKENS = st.sampled_from(
    [
        "Jumat,", "14", "31", "0", "Juni", "Feb", "Syawal", "2024", "1446", "9999", "-", "|",
        "17:57", "25:61", "08.02.00", "WIB", "WITA", "WIT", "pukul", "lalu", "yang", "menit",
        "jam", "hari", "ini", "kemarin", "Diperbarui", "Update:", "14/06/2024", "31/02/2024",
        "2022-12-10T13-19-56Z", "2024-06-14T17:57:00+07:00", "1670653196", "T", "Z", "+0700",
    ]
)  # fmt: skip


@settings(deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(_DATE_TOKENS, max_size=8).map(" ".join)),
    now_offset_days=st.integers(min_value=-3000, max_value=3000),
)
def test_any_text_gives_wib_datetime_or_date_parse_error(text: str, now_offset_days: int) -> None:
    now = NOW + timedelta(days=now_offset_days)
    try:
        result = parse_indonesian_datetime(text, now=now)
    except DateParseError:
        return
    assert result.tzinfo is not None
    assert result.utcoffset() == timedelta(hours=7)

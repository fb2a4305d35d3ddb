from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.reports import Period, PeriodError, parse_period

TODAY = date(2026, 8, 17)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026"),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
        ("2024-2", date(2024, 2, 1), date(2024, 2, 29), "Februari 2024"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Triwulan III 2026"),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "Triwulan I 2026"),
        ("2026-S1", date(2026, 1, 1), date(2026, 6, 30), "Semester I 2026"),
        ("2026-S2", date(2026, 7, 1), date(2026, 12, 31), "Semester II 2026"),
        (
            "2026-01-01..2026-06-30",
            date(2026, 1, 1),
            date(2026, 6, 30),
            "1 Januari 2026 s.d. 30 Juni 2026",
        ),
        (" 2026-03-05 .. 2026-03-05 ", date(2026, 3, 5), date(2026, 3, 5), None),
        ("", date(2026, 1, 1), TODAY, "1 Januari 2026 s.d. 17 Agustus 2026"),
    ],
)
def test_parse(text: str, start: date, end: date, label: str | None) -> None:
    period = parse_period(text, TODAY)
    assert (period.start, period.end) == (start, end)
    if label is not None:
        assert period.label == label


def test_none_is_year_to_date() -> None:
    assert parse_period(None, TODAY) == parse_period("", TODAY)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("26", "expected one of"),
        ("2026-13", "month 13"),
        ("2026-00", "month 0"),
        ("2026-Q5", "quarter 5"),
        ("2026-S3", "semester 3"),
        ("1999", "year 1999"),
        ("2026-02-30..2026-03-01", "does not exist"),
        ("2026-06-30..2026-01-01", "ends"),
        ("2026/01/01..2026/02/01", "YYYY-MM-DD"),
        ("tahun ini", "expected one of"),
    ],
)
def test_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text, TODAY)


def test_utc_range_uses_local_midnight() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 31), "Januari 2026")
    start, stop = period.utc_range(ZoneInfo("Asia/Makassar"))
    assert start == datetime(2025, 12, 31, 16, tzinfo=UTC)
    assert stop == datetime(2026, 1, 31, 16, tzinfo=UTC)
    assert period.months() == [(2026, 1)]

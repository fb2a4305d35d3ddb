"""Parsing /petugas tambah: the three date formats, ids, decree numbers with spaces."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from bot.domain.decrees import (
    DecreeInputError,
    parse_appointment,
    parse_decree_date,
    parse_telegram_id,
)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_every_date_reads_back_in_all_three_formats(day: date) -> None:
    iso = day.isoformat()
    dashed = f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    slashed = f"{day.day}/{day.month}/{day.year:04d}"
    assert parse_decree_date(iso) == parse_decree_date(dashed) == parse_decree_date(slashed) == day


@pytest.mark.parametrize(
    "text", ["31.01.2026", "2026/01/31", "31-01/2026", "31-02-2026", "2026-13-01", "kemarin", ""]
)
def test_other_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        parse_decree_date(text)


def test_decree_number_may_hold_spaces() -> None:
    parsed = parse_appointment(["5101", "800/12", "Tahun", "2026", "31/01/2026"])
    assert parsed.telegram_id == 5101
    assert parsed.decree_number == "800/12 Tahun 2026"
    assert parsed.decree_date == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["5101", "2026-01-31"], "syntax"),
        (["-5", "SK", "2026-01-31"], "id"),
        (["0", "SK", "2026-01-31"], "id"),
        (["5101", "SK", "31 Jan"], "date"),
    ],
)
def test_bad_appointments_name_the_bad_part(args: list[str], field: str) -> None:
    with pytest.raises(DecreeInputError) as caught:
        parse_appointment(args)
    assert caught.value.field == field


def test_telegram_id_must_be_a_positive_number() -> None:
    assert parse_telegram_id("123456789") == 123456789
    with pytest.raises(DecreeInputError):
        parse_telegram_id("12a")

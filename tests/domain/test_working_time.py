"""Working-time arithmetic: office hours, Friday prayer break, holidays, cuti bersama."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings, strategies as st

from bot.config import DEFAULT_WORKING_HOURS, Settings
from bot.domain.labels import (
    format_local_date,
    format_local_datetime,
    format_local_time,
    timezone_abbreviation,
)
from bot.domain.working_time import CUTI_BERSAMA_NAME, WorkingCalendar, parse_working_hours

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
CALENDAR = WorkingCalendar(parse_working_hours(DEFAULT_WORKING_HOURS), WITA)

# The default schedule: Mon-Thu 4.5 h + 3 h, Friday 4 h + 3 h.
MON_THU_SECONDS = 27_000
FRI_SECONDS = 25_200
WEEK_SECONDS = 4 * MON_THU_SECONDS + FRI_SECONDS


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


# 2026-11-02 .. 2026-11-06 is a Monday-to-Friday week without holidays (checked below).
MON = date(2026, 11, 2)
FRI = date(2026, 11, 6)


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=WITA)


def test_reference_week_has_no_holidays() -> None:
    national = holidays.country_holidays("ID", years=2026)
    assert MON.weekday() == 0
    assert FRI.weekday() == 4
    assert not any(MON + timedelta(days=offset) in national for offset in range(14))


# -- parsing -----------------------------------------------------------------------


def test_parse_default_spec() -> None:
    assert parse_working_hours(DEFAULT_WORKING_HOURS) == {
        **{
            weekday: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0)))
            for weekday in range(4)
        },
        4: ((time(7, 30), time(11, 30)), (time(13, 30), time(16, 30))),
    }


def test_parse_indonesian_day_names_and_dotted_clock() -> None:
    assert parse_working_hours(
        "sen-kam 07.30-12.00, 13:00-16:00; jum 07:30-11:30,13:30-16:30;"
    ) == parse_working_hours(DEFAULT_WORKING_HOURS)


def test_parse_day_list() -> None:
    assert parse_working_hours("mon, wed,sab 08:00-12:00") == {
        0: ((time(8), time(12)),),
        2: ((time(8), time(12)),),
        5: ((time(8), time(12)),),
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("  ;  ", "no open period|empty"),
        ("07:30-12:00", "group '07:30-12:00' must look like"),
        ("xyz 07:30-12:00", "unknown day name 'xyz'"),
        ("mon-xyz 07:30-12:00", "unknown day name 'xyz'"),
        ("mon 12:00-07:30", "'12:00-07:30' .* must end after it starts"),
        ("mon 07:30-07:30", "'07:30-07:30' .* must end after it starts"),
        ("mon 07:30-12:00,11:00-13:00", "'11:00-13:00' overlaps '07:30-12:00'"),
        ("mon 13:00-16:00,07:30-12:00", "chronological order: '07:30-12:00'"),
        ("mon 7-12", "period '7-12' .* must look like 'HH:MM-HH:MM'"),
        ("mon 08:00-24:00", "invalid clock time in period '08:00-24:00'"),
        ("mon 08:60-09:00", "invalid clock time in period '08:60-09:00'"),
        ("fri-mon 08:00-12:00", "day span 'fri-mon' .* runs backwards"),
        ("mon 08:00-12:00; mon 13:00-15:00", "day 'mon' is listed in more than one"),
        ("mon-tue,tue 08:00-12:00", "day 'tue' is listed twice"),
        ("mon,,tue 08:00-12:00", "empty day name"),
        ("mon 08:00-12:00,", "period '' in working hours group"),
    ],
)
def test_parse_errors_name_the_bad_part(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(parse_working_hours(spec), WITA)


def test_calendar_without_any_working_day_is_rejected() -> None:
    with pytest.raises(ValueError, match="no open period"):
        WorkingCalendar({}, WITA)
    with pytest.raises(ValueError, match="no open period"):
        WorkingCalendar({0: ()}, WITA)


def test_calendar_validates_hours_given_directly() -> None:
    with pytest.raises(ValueError, match="weekday 7"):
        WorkingCalendar({7: ((time(8), time(9)),)}, WITA)
    with pytest.raises(ValueError, match="overlaps"):
        WorkingCalendar({0: ((time(8), time(10)), (time(9), time(11)))}, WITA)


# -- days and moments ----------------------------------------------------------------


def test_working_days_and_weekends() -> None:
    assert [CALENDAR.is_working_day(MON + timedelta(days=i)) for i in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert CALENDAR.holiday_name(MON + timedelta(days=5)) is None


def test_national_holidays_close_the_office() -> None:
    assert not CALENDAR.is_working_day(date(2026, 12, 25))
    assert CALENDAR.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert not CALENDAR.is_working_day(date(2026, 8, 17))
    assert CALENDAR.holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert CALENDAR.working_seconds_on_day(date(2026, 8, 17)) == 0
    assert CALENDAR.working_seconds_on_day(date(2026, 8, 18)) == MON_THU_SECONDS


def test_idul_fitri_per_holidays_package() -> None:
    package = holidays.country_holidays("ID", years=2026, language="id")
    idul_fitri = sorted(day for day, name in package.items() if "Idul Fitri" in name)
    # What the package says for 2026 (1 Syawal 1447 H); if it ever changes, the
    # calendar follows it and only this line needs a look.
    assert idul_fitri == [date(2026, 3, 21), date(2026, 3, 22)]
    for day in idul_fitri:
        assert not CALENDAR.is_working_day(day)
        name = CALENDAR.holiday_name(day)
        assert name is not None
        assert "Idul Fitri" in name


def test_holidays_work_for_any_year() -> None:
    assert CALENDAR.holiday_name(date(2041, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert CALENDAR.holiday_name(date(1999, 12, 25)) == "Hari Raya Natal"


def test_cuti_bersama_from_settings() -> None:
    config = Settings(cuti_bersama=[date(2026, 12, 24), date(2026, 12, 31)])
    calendar = WorkingCalendar.from_settings(config)
    assert calendar.tz == WITA
    assert calendar.hours == parse_working_hours(config.working_hours)
    assert calendar.holiday_name(date(2026, 12, 24)) == CUTI_BERSAMA_NAME
    assert not calendar.is_working_day(date(2026, 12, 24))
    assert CALENDAR.is_working_day(date(2026, 12, 24))
    # Wed 15:00 -> Mon 08:30 skips cuti bersama (Thu) and Christmas (Fri).
    assert calendar.working_seconds_between(wita(2026, 12, 23, 15), wita(2026, 12, 28, 8, 30)) == (
        7200
    )
    assert calendar.next_opening(wita(2026, 12, 30, 17)) == wita(2027, 1, 4, 7, 30)


def test_cuti_bersama_settings_parse_from_csv() -> None:
    config = Settings.model_validate({"cuti_bersama": "2026-12-24, 2026-12-31"})
    calendar = WorkingCalendar.from_settings(config)
    assert not calendar.is_working_day(date(2026, 12, 31))


def test_national_holiday_name_wins_over_configured_cuti_bersama() -> None:
    calendar = WorkingCalendar(
        parse_working_hours(DEFAULT_WORKING_HOURS), WITA, [date(2026, 12, 25)]
    )
    assert calendar.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"


def test_package_cuti_bersama_is_opt_in() -> None:
    package = holidays.country_holidays(
        "ID", years=2026, language="id", categories=("government",)
    )
    assert package, "the holidays package lists cuti bersama for 2026"
    calendar = WorkingCalendar(
        parse_working_hours(DEFAULT_WORKING_HOURS), WITA, package_cuti_bersama=True
    )
    for day in package:
        assert not calendar.is_working_day(day)
        assert (calendar.holiday_name(day) or "").startswith(("Cuti Bersama", "Hari"))
    closed_around_lebaran = [
        day
        for day in (date(2026, 3, 17) + timedelta(days=i) for i in range(8))
        if not calendar.is_working_day(day)
    ]
    reopening = next(
        date(2026, 3, 17) + timedelta(days=i)
        for i in range(1, 30)
        if calendar.is_working_day(date(2026, 3, 17) + timedelta(days=i))
    )
    assert closed_around_lebaran
    assert calendar.next_opening(wita(2026, 3, 17, 17)) == at(reopening, 7, 30)


def test_is_working_time_boundaries() -> None:
    thu = MON + timedelta(days=3)
    assert not CALENDAR.is_working_time(at(MON, 7, 29, 59))
    assert CALENDAR.is_working_time(at(MON, 7, 30))
    assert CALENDAR.is_working_time(at(MON, 11, 59, 59))
    assert not CALENDAR.is_working_time(at(MON, 12))
    assert not CALENDAR.is_working_time(at(MON, 12, 59, 59))
    assert CALENDAR.is_working_time(at(thu, 13))
    assert not CALENDAR.is_working_time(at(thu, 16))
    # Friday: longer break for Friday prayer, closes at 16:30.
    assert CALENDAR.is_working_time(at(FRI, 11, 29, 59))
    assert not CALENDAR.is_working_time(at(FRI, 11, 30))
    assert not CALENDAR.is_working_time(at(FRI, 13, 15))
    assert CALENDAR.is_working_time(at(FRI, 13, 30))
    assert CALENDAR.is_working_time(at(FRI, 16, 15))
    assert not CALENDAR.is_working_time(at(FRI, 16, 30))
    assert not CALENDAR.is_working_time(at(FRI + timedelta(days=1), 9))


def test_inputs_in_other_zones_are_converted_to_local_time() -> None:
    # 2026-11-01 23:30 UTC is Monday 07:30 WITA.
    assert CALENDAR.is_working_time(datetime(2026, 11, 1, 23, 30, tzinfo=UTC))
    assert not CALENDAR.is_working_time(datetime(2026, 11, 1, 23, 29, tzinfo=UTC))
    # 07:00 WIB is 08:00 WITA.
    assert CALENDAR.is_working_time(datetime(2026, 11, 2, 7, 0, tzinfo=WIB))
    start = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    assert CALENDAR.working_seconds_between(start, start + timedelta(hours=1)) == 3600
    assert CALENDAR.add_working_time(start, 3600) == at(MON, 9)


def test_naive_datetimes_are_rejected() -> None:
    naive = at(MON, 9).replace(tzinfo=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.is_working_time(naive)
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        CALENDAR.working_seconds_between(naive, at(MON, 10))
    with pytest.raises(ValueError, match="end must be timezone-aware"):
        CALENDAR.working_seconds_between(at(MON, 10), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.add_working_time(naive, 60)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.next_opening(naive)


def test_dates_must_be_plain_dates() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        CALENDAR.is_working_day(at(MON, 9))


# -- working_seconds_between ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(MON, 8), at(MON, 9), 3600),
        (at(MON, 6), at(MON, 7, 31), 60),
        (at(MON, 11), at(MON, 14), 7200),  # lunch break 12:00-13:00 does not count
        (at(MON, 12, 10), at(MON, 12, 50), 0),
        (at(MON, 15), at(MON + timedelta(days=1), 8, 30), 7200),  # the night does not count
        (at(FRI, 16), at(MON + timedelta(days=7), 8), 3600),  # the weekend does not count
        (at(FRI, 11), at(FRI, 14), 3600),  # Friday prayer break 11:30-13:30
        (at(MON, 0), at(MON + timedelta(days=7), 0), WEEK_SECONDS),
        (at(MON, 0), at(MON, 23, 59, 59), MON_THU_SECONDS),
        (at(FRI, 0), at(FRI + timedelta(days=1), 0), FRI_SECONDS),
        # Thursday before Christmas 15:00 -> Monday 08:30: Friday 25 December is closed.
        (wita(2026, 12, 24, 15), wita(2026, 12, 28, 8, 30), 7200),
        # Independence Day (Monday 17 August 2026).
        (wita(2026, 8, 14, 16), wita(2026, 8, 18, 8), 3600),
        (at(MON, 10), at(MON, 9), 0),
        (at(MON, 10), at(MON, 10), 0),
    ],
)
def test_working_seconds_between(start: datetime, end: datetime, expected: int) -> None:
    assert CALENDAR.working_seconds_between(start, end) == expected


def test_working_minutes_between_rounds_down() -> None:
    assert CALENDAR.working_minutes_between(at(MON, 8), at(MON, 8, 1, 59)) == 1


def test_sub_second_parts_are_dropped() -> None:
    start = at(MON, 8).replace(microsecond=900_000)
    assert CALENDAR.working_seconds_between(start, at(MON, 8, 0, 1)) == 1


def test_year_long_span_matches_day_by_day_sum() -> None:
    # Speed over long spans is measured in bench/, not asserted here.
    year_2026 = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    expected = sum(CALENDAR.working_seconds_on_day(day) for day in year_2026)
    total = CALENDAR.working_seconds_between(wita(2026, 1, 1), wita(2027, 1, 1))
    decade = CALENDAR.working_seconds_between(wita(2020, 1, 1), wita(2030, 1, 1))
    assert total == expected
    assert decade > 9 * total
    # A whole year of working time ends at the last closing of 2026: Thursday 31 December.
    assert CALENDAR.add_working_time(wita(2026, 1, 1), total) == wita(2026, 12, 31, 16)


# -- add_working_time / next_opening -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "seconds", "expected"),
    [
        (at(MON, 9), 3600, at(MON, 10)),
        (at(MON, 11), 3600, at(MON, 12)),  # ends at closing time, not after the break
        (at(MON, 11, 30), 3600, at(MON, 13, 30)),
        (at(MON, 6), 60, at(MON, 7, 31)),
        (at(FRI, 16), 3600, at(MON + timedelta(days=7), 8)),
        (at(FRI, 11), 3600, at(FRI, 14)),
        (at(FRI + timedelta(days=1), 10), 60, at(MON + timedelta(days=7), 7, 31)),
        (at(MON, 7, 30), WEEK_SECONDS, at(FRI, 16, 30)),
        (at(MON, 7, 30), 3 * WEEK_SECONDS, at(FRI + timedelta(days=14), 16, 30)),
        (wita(2026, 12, 24, 15, 30), 3600, wita(2026, 12, 28, 8)),
        (at(MON, 12, 30), 0, at(MON, 12, 30)),
    ],
)
def test_add_working_time(start: datetime, seconds: int, expected: datetime) -> None:
    result = CALENDAR.add_working_time(start, seconds)
    assert result == expected
    assert result.tzinfo is UTC


def test_add_working_time_rejects_negative_seconds() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_time(at(MON, 9), -1)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(MON, 9), at(MON, 9)),
        (at(MON, 5), at(MON, 7, 30)),
        (at(MON, 12, 30), at(MON, 13)),
        (at(MON, 16), at(MON + timedelta(days=1), 7, 30)),
        (at(FRI, 12), at(FRI, 13, 30)),
        (at(FRI, 17), at(MON + timedelta(days=7), 7, 30)),
        (wita(2026, 12, 24, 17), wita(2026, 12, 28, 7, 30)),
    ],
)
def test_next_opening(moment: datetime, expected: datetime) -> None:
    result = CALENDAR.next_opening(moment)
    assert result == expected
    assert result.tzinfo is UTC


def test_working_day_after() -> None:
    assert CALENDAR.working_day_after(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert CALENDAR.working_day_after(FRI, 0) == FRI
    assert CALENDAR.working_day_after(FRI, 5) == FRI + timedelta(days=7)
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.working_day_after(FRI, -1)


def test_closed_days_without_end_fail_instead_of_looping() -> None:
    everything = (date(2026, 1, 1) + timedelta(days=i) for i in range(4000))
    calendar = WorkingCalendar(parse_working_hours("mon 08:00-09:00"), WITA, everything)
    with pytest.raises(ValueError, match="no working day"):
        calendar.next_opening(wita(2026, 1, 1))
    with pytest.raises(ValueError, match="no working day"):
        calendar.add_working_time(wita(2026, 1, 1), 60)


# -- properties ---------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, WITA, WIB, WIT])
BASE = datetime(2025, 1, 1, tzinfo=UTC)
MOMENTS = st.builds(
    lambda offset, zone: (BASE + timedelta(seconds=offset)).astimezone(zone),
    st.integers(0, 3 * 366 * 86_400),
    ZONES,
)
WORK_SECONDS = st.one_of(
    st.integers(0, 3 * WEEK_SECONDS), st.integers(0, 60 * WEEK_SECONDS), st.integers(0, 600)
)


@given(start=MOMENTS, seconds=WORK_SECONDS)
@settings(max_examples=300, deadline=None)
def test_add_working_time_inverts_working_seconds_between(start: datetime, seconds: int) -> None:
    due = CALENDAR.add_working_time(start, seconds)
    assert due >= start
    assert CALENDAR.working_seconds_between(start, due) == seconds
    if seconds > 0:
        # Earliest such moment: one second earlier, less work has been done.
        assert CALENDAR.working_seconds_between(start, due - timedelta(seconds=1)) == seconds - 1


@given(a=MOMENTS, b=MOMENTS, c=MOMENTS)
@settings(max_examples=300, deadline=None)
def test_working_seconds_are_additive(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    between = CALENDAR.working_seconds_between
    assert between(a, b) + between(b, c) == between(a, c)


@given(start=MOMENTS, first=WORK_SECONDS, second=WORK_SECONDS, other=MOMENTS)
@settings(max_examples=200, deadline=None)
def test_monotonic(start: datetime, first: int, second: int, other: datetime) -> None:
    low, high = sorted((first, second))
    assert CALENDAR.add_working_time(start, low) <= CALENDAR.add_working_time(start, high)
    early, late = sorted((start, other))
    assert CALENDAR.working_seconds_between(start, early) <= CALENDAR.working_seconds_between(
        start, late
    )
    assert 0 <= CALENDAR.working_seconds_between(early, late) <= (late - early).total_seconds()


@given(
    start=st.builds(
        lambda minutes: BASE + timedelta(minutes=minutes), st.integers(0, 3 * 366 * 1440)
    ),
    span_minutes=st.integers(0, 4 * 1440),
)
@settings(max_examples=40, deadline=None)
def test_matches_minute_by_minute_reference(start: datetime, span_minutes: int) -> None:
    expected = 60 * sum(
        CALENDAR.is_working_time(start + timedelta(minutes=i)) for i in range(span_minutes)
    )
    assert (
        CALENDAR.working_seconds_between(start, start + timedelta(minutes=span_minutes))
        == expected
    )


@given(moment=MOMENTS)
@settings(max_examples=200, deadline=None)
def test_next_opening_is_the_first_working_moment(moment: datetime) -> None:
    opening = CALENDAR.next_opening(moment)
    assert opening >= moment
    assert CALENDAR.is_working_time(opening)
    assert CALENDAR.working_seconds_between(moment, opening) == 0
    assert CALENDAR.add_working_time(moment, 1) == opening.replace(microsecond=0) + timedelta(
        seconds=1
    )


# -- formatting -------------------------------------------------------------------------------


def test_format_local_datetime_in_indonesian() -> None:
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert format_local_datetime(moment, WITA) == "Selasa, 1 Desember 2026 pukul 07.30 WITA"
    assert format_local_datetime(moment, WIB) == "Selasa, 1 Desember 2026 pukul 06.30 WIB"
    assert format_local_datetime(moment, WIT) == "Selasa, 1 Desember 2026 pukul 08.30 WIT"
    assert format_local_datetime(moment, ZoneInfo("UTC")) == (
        "Senin, 30 November 2026 pukul 23.30 UTC"
    )
    assert format_local_time(moment, WITA) == "07.30 WITA"
    assert format_local_date(date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
    assert format_local_date(date(2026, 3, 22)) == "Minggu, 22 Maret 2026"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_local_datetime(moment.replace(tzinfo=None), WITA)


def test_timezone_abbreviations() -> None:
    assert timezone_abbreviation(WITA) == "WITA"
    assert timezone_abbreviation(ZoneInfo("Asia/Pontianak")) == "WIB"
    assert timezone_abbreviation(WIT) == "WIT"
    assert timezone_abbreviation(ZoneInfo("Europe/Berlin")) == "Europe/Berlin"

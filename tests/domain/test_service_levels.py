"""Service-level targets: first response in working time, resolution in working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from bot.config import DEFAULT_RESOLUTION_DAYS, DEFAULT_WORKING_HOURS, Settings
from bot.domain.enums import TicketKind
from bot.domain.labels import format_duration_id
from bot.domain.service_levels import (
    DEFAULT_RESOLUTION_WORKING_DAYS,
    ExpectedAnswer,
    ServiceLevelPolicy,
    describe_expected_answer,
    parse_resolution_days,
)
from bot.domain.working_time import WorkingCalendar, parse_working_hours

WITA = ZoneInfo("Asia/Makassar")
CALENDAR = WorkingCalendar(parse_working_hours(DEFAULT_WORKING_HOURS), WITA)
POLICY = ServiceLevelPolicy(
    first_response_seconds=3600,
    resolution_working_days_by_kind=dict(DEFAULT_RESOLUTION_WORKING_DAYS),
    reminder_fraction=0.75,
)

# 2026-11-02 .. 2026-11-13: two Monday-to-Friday weeks without holidays.
MON = date(2026, 11, 2)
TUE = MON + timedelta(days=1)
THU = MON + timedelta(days=3)
FRI = MON + timedelta(days=4)
SAT = MON + timedelta(days=5)
NEXT_MON = MON + timedelta(days=7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WITA)


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


# -- parsing -----------------------------------------------------------------------------


def test_defaults_match_the_settings_default() -> None:
    assert parse_resolution_days(DEFAULT_RESOLUTION_DAYS) == dict(DEFAULT_RESOLUTION_WORKING_DAYS)
    assert set(DEFAULT_RESOLUTION_WORKING_DAYS) == set(TicketKind)


def test_missing_kinds_fall_back_to_defaults() -> None:
    parsed = parse_resolution_days(" Pengaduan = 7 , ")
    assert parsed[TicketKind.PENGADUAN] == 7
    assert parsed[TicketKind.PERMINTAAN_INFORMASI] == 10
    assert parse_resolution_days("") == dict(DEFAULT_RESOLUTION_WORKING_DAYS)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("keluhan=3", "unknown ticket kind 'keluhan' in resolution days entry 'keluhan=3'"),
        ("pengaduan", "entry 'pengaduan' must look like 'KIND=NUMBER'"),
        ("pengaduan=0", "entry 'pengaduan=0' needs a whole number of working days >= 1"),
        ("pengaduan=-2", "'pengaduan=-2' needs a whole number"),
        ("pengaduan=1.5", "'pengaduan=1.5' needs a whole number"),
        ("pengaduan=lima", "'pengaduan=lima' needs a whole number"),
        ("pengaduan=3,pengaduan=4", "'pengaduan' is given more than once: 'pengaduan=4'"),
    ],
)
def test_parse_errors_name_the_bad_entry(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_resolution_days(spec)


def test_policy_from_settings() -> None:
    config = Settings(
        first_response_minutes=30, resolution_days="komentar=1", reminder_fraction=0.5
    )
    policy = ServiceLevelPolicy.from_settings(config)
    assert policy.first_response_seconds == 1800
    assert policy.resolution_working_days_by_kind[TicketKind.KOMENTAR] == 1
    assert policy.resolution_working_days_by_kind[TicketKind.PENGADUAN] == 5
    assert policy.reminder_fraction == 0.5
    assert policy.reminder_seconds == 900


def test_policy_validates_and_copies_its_targets() -> None:
    days = dict(DEFAULT_RESOLUTION_WORKING_DAYS)
    policy = ServiceLevelPolicy(3600, days, 0.75)
    days[TicketKind.PENGADUAN] = 99
    assert policy.resolution_working_days_by_kind[TicketKind.PENGADUAN] == 5
    assert hash(policy) == hash(
        ServiceLevelPolicy(3600, dict(DEFAULT_RESOLUTION_WORKING_DAYS), 0.75)
    )
    with pytest.raises(ValueError, match="first_response_seconds"):
        ServiceLevelPolicy(0, days, 0.75)
    with pytest.raises(ValueError, match="reminder_fraction"):
        ServiceLevelPolicy(3600, days, 1.0)
    with pytest.raises(ValueError, match="missing for: komentar"):
        ServiceLevelPolicy(3600, {k: 1 for k in TicketKind if k != TicketKind.KOMENTAR}, 0.75)
    with pytest.raises(ValueError, match="'aspirasi' must be >= 1"):
        ServiceLevelPolicy(3600, {**days, TicketKind.ASPIRASI: 0}, 0.75)


# -- first response -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (at(MON, 9), at(MON, 10)),
        (at(MON, 11, 30), at(MON, 13, 30)),  # the lunch break pauses the clock
        (at(FRI, 11), at(FRI, 14)),  # so does the Friday prayer break
        (at(FRI, 16), at(NEXT_MON, 8)),
        (at(FRI, 20), at(NEXT_MON, 8, 30)),  # opened after hours: counting starts Monday
        (at(SAT, 10), at(NEXT_MON, 8, 30)),
        (wita(2026, 12, 24, 15, 30), wita(2026, 12, 28, 8)),  # Christmas Friday is closed
    ],
)
def test_first_response_due(opened: datetime, due: datetime) -> None:
    assert POLICY.first_response_due(CALENDAR, opened) == due


def test_reminder_due_at_fraction_of_first_response_time() -> None:
    assert POLICY.reminder_due(CALENDAR, at(MON, 9)) == at(MON, 9, 45)
    assert POLICY.reminder_due(CALENDAR, at(MON, 11, 30)) == at(MON, 13, 15)
    assert POLICY.reminder_due(CALENDAR, at(FRI, 20)) == at(NEXT_MON, 8, 15)


# -- resolution -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "kind", "due"),
    [
        # Same clock time, N working days later; the weekend is skipped.
        (at(MON, 9), TicketKind.PENGADUAN, at(NEXT_MON, 9)),
        (at(THU, 14), TicketKind.PERTANYAAN, at(NEXT_MON + timedelta(days=1), 14)),
        (at(MON, 9), TicketKind.PERMINTAAN_INFORMASI, at(MON + timedelta(days=14), 9)),
        # Opened while closed: counting starts at the next opening (Monday 07:30).
        (at(FRI, 20), TicketKind.PERTANYAAN, at(NEXT_MON + timedelta(days=3), 7, 30)),
        (at(MON, 12, 30), TicketKind.KOMENTAR, at(THU, 13)),
        # Tuesday 11:45 + 3 = Friday 11:45, inside the prayer break: the deadline moves
        # back to the end of the morning period (no working time lies in between).
        (at(TUE, 11, 45), TicketKind.PERTANYAAN, at(FRI, 11, 30)),
        # Friday 16:15 + 3 = Wednesday 16:15, after closing: Wednesday 16:00.
        (at(FRI, 16, 15), TicketKind.PERTANYAAN, at(NEXT_MON + timedelta(days=2), 16)),
        # Christmas (Friday 25 December 2026) is not a working day.
        (wita(2026, 12, 23, 10), TicketKind.PENGADUAN, wita(2026, 12, 31, 10)),
    ],
)
def test_resolution_due(opened: datetime, kind: TicketKind, due: datetime) -> None:
    result = POLICY.resolution_due(CALENDAR, opened, kind)
    assert result == due
    assert result.tzinfo is UTC


def test_resolution_reminder_due() -> None:
    opened = at(MON, 9)
    due = POLICY.resolution_due(CALENDAR, opened, TicketKind.PENGADUAN)
    reminder = POLICY.resolution_reminder_due(CALENDAR, opened, TicketKind.PENGADUAN)
    total = CALENDAR.working_seconds_between(opened, due)
    assert opened < reminder < due
    assert CALENDAR.working_seconds_between(opened, reminder) == int(total * 0.75)


# -- measures ---------------------------------------------------------------------------------


def test_measure_first_response_over_the_weekend() -> None:
    on_time = POLICY.measure_first_response(CALENDAR, at(FRI, 16), at(NEXT_MON, 8))
    assert on_time.wall_seconds == 64 * 3600
    assert on_time.working_seconds == 3600
    assert on_time.target_working_seconds == 3600
    assert on_time.within_target
    late = POLICY.measure_first_response(CALENDAR, at(FRI, 16), at(NEXT_MON, 8, 1))
    assert late.working_seconds == 3660
    assert not late.within_target


def test_answer_in_the_break_after_a_noon_deadline_is_on_time() -> None:
    measure = POLICY.measure_first_response(CALENDAR, at(MON, 11), at(MON, 12, 30))
    assert measure.working_seconds == 3600
    assert measure.within_target


def test_measure_tolerates_clock_skew() -> None:
    measure = POLICY.measure_first_response(
        CALENDAR, at(MON, 9), at(MON, 9) - timedelta(seconds=2)
    )
    assert (measure.wall_seconds, measure.working_seconds, measure.within_target) == (0, 0, True)


def test_measure_resolution() -> None:
    opened = at(MON, 9)
    due = POLICY.resolution_due(CALENDAR, opened, TicketKind.PERTANYAAN)
    assert POLICY.measure_resolution(CALENDAR, opened, due, TicketKind.PERTANYAAN).within_target
    late = POLICY.measure_resolution(
        CALENDAR, opened, due + timedelta(minutes=1), TicketKind.PERTANYAAN
    )
    assert not late.within_target
    assert late.target_working_seconds == 3 * 27_000


# -- expected answer ----------------------------------------------------------------------------


def test_expected_answer_while_open() -> None:
    now = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 WITA
    assert describe_expected_answer(CALENDAR, POLICY, now) == ExpectedAnswer(
        now_local=at(MON, 9),
        office_open=True,
        first_response_due_local=at(MON, 10),
        next_opening_local=None,
        closed_day_name=None,
    )
    answer = describe_expected_answer(CALENDAR, POLICY, now)
    assert answer.now_local.tzinfo == WITA
    assert answer.first_response_due_local.tzinfo == WITA


def test_expected_answer_on_the_weekend() -> None:
    answer = describe_expected_answer(CALENDAR, POLICY, at(SAT, 10))
    assert not answer.office_open
    assert answer.next_opening_local == at(NEXT_MON, 7, 30)
    assert answer.next_opening_local is not None
    assert answer.next_opening_local.tzinfo == WITA
    assert answer.first_response_due_local == at(NEXT_MON, 8, 30)
    assert answer.closed_day_name is None


def test_expected_answer_on_a_holiday() -> None:
    answer = describe_expected_answer(CALENDAR, POLICY, wita(2026, 12, 25, 9))
    assert not answer.office_open
    assert answer.closed_day_name == "Hari Raya Natal"
    assert answer.next_opening_local == wita(2026, 12, 28, 7, 30)


# -- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "kurang dari 1 menit"),
        (59, "kurang dari 1 menit"),
        (60, "1 menit"),
        (2700, "45 menit"),
        (3600, "1 jam"),
        (3900, "1 jam 5 menit"),
        (9000 + 59, "2 jam 30 menit"),
        (50 * 3600, "50 jam"),
    ],
)
def test_format_duration_id(seconds: int, text: str) -> None:
    assert format_duration_id(seconds) == text


def test_format_duration_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration_id(-1)


# -- properties ---------------------------------------------------------------------------------

BASE = datetime(2025, 1, 1, tzinfo=UTC)
MOMENTS = st.builds(
    lambda offset: BASE + timedelta(seconds=offset), st.integers(0, 3 * 366 * 86_400)
)


@given(opened=MOMENTS, kind=st.sampled_from(list(TicketKind)))
@settings(max_examples=200, deadline=None)
def test_resolution_due_lands_on_the_nth_working_day(opened: datetime, kind: TicketKind) -> None:
    start = CALENDAR.next_opening(opened)
    due = POLICY.resolution_due(CALENDAR, opened, kind)
    days = POLICY.resolution_working_days_by_kind[kind]
    # Every working day of the default schedule opens at 07:30, so the deadline never
    # has to leave the due day.
    assert due.astimezone(WITA).date() == CALENDAR.working_day_after(
        start.astimezone(WITA).date(), days
    )
    elapsed = CALENDAR.working_seconds_between(opened, due)
    # Between N-1 and N+1 full working days of work (days last 7 to 7.5 hours).
    assert (days - 1) * 25_200 < elapsed <= (days + 1) * 27_000


@given(opened=MOMENTS)
@settings(max_examples=200, deadline=None)
def test_first_response_and_reminder_in_working_time(opened: datetime) -> None:
    due = POLICY.first_response_due(CALENDAR, opened)
    reminder = POLICY.reminder_due(CALENDAR, opened)
    assert CALENDAR.working_seconds_between(opened, due) == 3600
    assert CALENDAR.working_seconds_between(opened, reminder) == 2700
    assert opened < reminder < due
    assert POLICY.measure_first_response(CALENDAR, opened, due).within_target


def test_first_response_targets_per_kind_from_settings() -> None:
    config = Settings(
        _env_file=None, first_response_minutes=60, first_response_minutes_by_kind="pengaduan=30"
    )
    policy = ServiceLevelPolicy.from_settings(config)
    assert policy.first_response_target(TicketKind.PENGADUAN) == 1800
    assert policy.first_response_target(TicketKind.PERTANYAAN) == 3600
    assert policy.first_response_target() == 3600
    calendar = WorkingCalendar.from_settings(config)
    opened = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 WITA
    assert policy.first_response_due(calendar, opened, TicketKind.PENGADUAN) == opened + timedelta(
        minutes=30
    )
    late = policy.measure_first_response(
        calendar, opened, opened + timedelta(minutes=45), TicketKind.PENGADUAN
    )
    assert not late.within_target
    assert policy.measure_first_response(
        calendar, opened, opened + timedelta(minutes=45)
    ).within_target

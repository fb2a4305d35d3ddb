"""Downtime from heartbeat rows: restarts are not outages, real gaps are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.domain.working_time import WorkingCalendar
from bot.services.uptime import beat, downtime_between, outages_between, start_service_run
from storage.db import SessionMaker

MONDAY_9_WITA = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return MONDAY_9_WITA + timedelta(minutes=minutes)


def test_short_restart_is_not_an_outage() -> None:
    runs = [(at(0), at(60)), (at(61), at(120))]
    assert outages_between(runs, start=at(0), end=at(120)) == []


def test_gap_and_tail_are_outages() -> None:
    runs = [(at(0), at(60)), (at(90), at(120))]
    gaps = outages_between(runs, start=at(0), end=at(180))
    assert gaps == [(at(60), at(90)), (at(120), at(180))]


def test_time_before_the_first_run_is_not_counted() -> None:
    runs = [(at(100), at(120))]
    assert outages_between(runs, start=at(0), end=at(120)) == []


async def test_downtime_counts_working_minutes(session_maker: SessionMaker) -> None:
    calendar = WorkingCalendar.from_settings(Settings(_env_file=None))
    first = await start_service_run(session_maker, now=at(0))
    await beat(session_maker, run_id=first, now=at(30))
    second = await start_service_run(session_maker, now=at(60))
    await beat(session_maker, run_id=second, now=at(90))
    async with session_maker() as session:
        downtime = await downtime_between(
            session, start=at(-600), end=at(24 * 60), now=at(90), calendar=calendar
        )
    assert downtime.recorded
    assert downtime.outages == 1
    assert downtime.working_minutes == 30


async def test_no_runs_means_not_recorded(session_maker: SessionMaker) -> None:
    calendar = WorkingCalendar.from_settings(Settings(_env_file=None))
    async with session_maker() as session:
        downtime = await downtime_between(
            session, start=at(0), end=at(60), now=at(60), calendar=calendar
        )
    assert not downtime.recorded

"""Downtime, measured honestly: each bot process keeps a heartbeat row; gaps are outages.

The report's section g (kendala) counts outages and the working time they cost.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.working_time import WorkingCalendar
from bot.services.runtime import Runtime
from storage import queries
from storage.db import SessionMaker

HEARTBEAT_SECONDS = 60
# A gap shorter than this is a restart or a missed beat, not an outage.
TOLERANCE = timedelta(seconds=3 * HEARTBEAT_SECONDS)


@dataclass(frozen=True)
class Downtime:
    recorded: bool
    outages: int
    minutes: int
    working_minutes: int


async def start_service_run(session_maker: SessionMaker, *, now: datetime) -> int:
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    async with session_maker() as session:
        run_id = await queries.add_service_run(session, holder=holder, now=now)
        await session.commit()
        return run_id


async def beat(session_maker: SessionMaker, *, run_id: int, now: datetime) -> None:
    async with session_maker() as session:
        await queries.touch_service_run(session, run_id=run_id, now=now)
        await session.commit()


async def record_service_run(app: Runtime) -> None:
    """Background job of the bot process: one row for this run, renewed every minute."""
    run_id = await start_service_run(app.session_maker, now=app.clock.now())
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await beat(app.session_maker, run_id=run_id, now=app.clock.now())


def merge_runs(runs: Sequence[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Covered intervals, with gaps below the tolerance closed."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(runs):
        if merged and start <= merged[-1][1] + TOLERANCE:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def outages_between(
    runs: Sequence[tuple[datetime, datetime]], *, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Uncovered stretches of [start, end], counted only from the first recorded run."""
    covered = merge_runs(runs)
    if not covered:
        return []
    cursor = max(start, covered[0][0])
    gaps = []
    for run_start, run_end in covered:
        if run_start > cursor + TOLERANCE and run_start > start:
            gaps.append((cursor, min(run_start, end)))
        cursor = max(cursor, run_end)
        if cursor >= end:
            break
    if cursor + TOLERANCE < end:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if b > a]


async def downtime_between(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    calendar: WorkingCalendar,
) -> Downtime:
    end = min(end, now)
    runs = await queries.service_runs_overlapping(session, start=start - TOLERANCE, end=end)
    if not runs:
        return Downtime(recorded=False, outages=0, minutes=0, working_minutes=0)
    gaps = outages_between(runs, start=start, end=end)
    seconds = sum(int((b - a).total_seconds()) for a, b in gaps)
    working = sum(calendar.working_seconds_between(a, b) for a, b in gaps)
    return Downtime(
        recorded=True, outages=len(gaps), minutes=seconds // 60, working_minutes=working // 60
    )

"""Service runs: one heartbeat row per bot process; the gaps between runs are outages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ServiceRun


async def add_service_run(session: AsyncSession, *, holder: str, now: datetime) -> int:
    run = ServiceRun(holder=holder, started_at=now, last_seen_at=now)
    session.add(run)
    await session.flush()
    assert run.id is not None
    return run.id


async def touch_service_run(session: AsyncSession, *, run_id: int, now: datetime) -> None:
    run = await session.get(ServiceRun, run_id)
    if run is not None:
        run.last_seen_at = now


async def service_runs_overlapping(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """(started_at, last_seen_at) of the runs alive at some point in [start, end]."""
    statement = select(ServiceRun.started_at, ServiceRun.last_seen_at).where(
        col(ServiceRun.last_seen_at) >= start, col(ServiceRun.started_at) <= end
    )
    return [(a, b) for a, b in (await session.exec(statement)).all()]

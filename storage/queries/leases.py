"""Leases and job runs: which process leads the scheduler, which periodic job already ran."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import JobRun, Lease


async def take_lease(
    session: AsyncSession, *, name: str, holder: str, now: datetime, expires_at: datetime
) -> bool:
    """Take or extend the lease if it is ``holder``'s or expired; True when it is ours."""
    result = await session.exec(
        sa.update(Lease)
        .where(
            col(Lease.name) == name,
            sa.or_(col(Lease.holder) == holder, col(Lease.expires_at) <= now),
        )
        .values(holder=holder, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        return True
    # The first process ever creates the row; ON CONFLICT lets a racing one lose.
    table = Lease.__table__  # type: ignore[attr-defined]
    values = {"name": name, "holder": holder, "expires_at": expires_at}
    inserted = await session.exec(
        dialect_insert(session, table).values(values).on_conflict_do_nothing()
    )
    return bool(inserted.rowcount)


async def expire_lease(session: AsyncSession, *, name: str, holder: str, now: datetime) -> None:
    await session.exec(
        sa.update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == holder)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


async def claim_job_run(
    session: AsyncSession, *, job: str, period_key: str, now: datetime
) -> bool:
    """Insert the JobRun row first thing in the session; False when it already ran.

    On PostgreSQL a concurrent claimer waits on the unique index until the first one
    commits, then fails here; so does a second call after a restart.
    """
    session.add(JobRun(job=job, period_key=period_key, ran_at=now))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def job_ran(session: AsyncSession, *, job: str, period_key: str) -> bool:
    done = await session.exec(
        select(JobRun.id).where(JobRun.job == job, JobRun.period_key == period_key)
    )
    return done.first() is not None

"""Timers: rows with a due time (reminders, escalations, follow-ups), swept when due."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Timer


async def add_timers(
    session: AsyncSession, *, ticket_id: int, due: Mapping[str, datetime]
) -> None:
    """One timer per kind for a ticket, due at the given moments (one statement: this runs
    for every new ticket)."""
    if not due:
        return
    rows = [{"ticket_id": ticket_id, "kind": kind, "due_at": at} for kind, at in due.items()]
    await session.exec(sa.insert(Timer).values(rows))


async def cancel_timers(session: AsyncSession, *, ticket_id: int, now: datetime) -> None:
    """Timers of a handled ticket that have not fired: cancelled (the rows stay)."""
    await session.exec(
        sa.update(Timer)
        .where(
            col(Timer.ticket_id) == ticket_id,
            col(Timer.fired_at).is_(None),
            col(Timer.cancelled_at).is_(None),
        )
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )


async def move_timers(
    session: AsyncSession, *, ticket_id: int, due: Mapping[str, datetime]
) -> None:
    """New due moments for the ticket's timers that have neither fired nor been cancelled."""
    for kind, due_at in due.items():
        await session.exec(
            sa.update(Timer)
            .where(
                col(Timer.ticket_id) == ticket_id,
                col(Timer.kind) == kind,
                col(Timer.fired_at).is_(None),
                col(Timer.cancelled_at).is_(None),
            )
            .values(due_at=due_at)
            .execution_options(synchronize_session=False)
        )


async def due_timer_ids(
    session: AsyncSession, *, now: datetime, kinds: Sequence[str], limit: int
) -> list[int]:
    """Timers due by ``now`` that neither fired nor were cancelled, earliest first."""
    rows = await session.exec(
        select(Timer.id)
        .where(
            col(Timer.fired_at).is_(None),
            col(Timer.cancelled_at).is_(None),
            col(Timer.due_at) <= now,
            col(Timer.ticket_id).is_not(None),
            col(Timer.kind).in_(kinds),
        )
        .order_by(col(Timer.due_at), col(Timer.id))
        .limit(limit)
    )
    return [int(timer_id) for timer_id in rows.all() if timer_id is not None]


async def get_timer(session: AsyncSession, *, timer_id: int) -> Timer | None:
    return await session.get(Timer, timer_id)


async def close_timer(session: AsyncSession, *, timer_id: int, now: datetime, fired: bool) -> bool:
    """Mark a pending timer fired (or cancelled); False when another sweeper got it first."""
    claimed = await session.exec(
        sa.update(Timer)
        .where(
            col(Timer.id) == timer_id,
            col(Timer.fired_at).is_(None),
            col(Timer.cancelled_at).is_(None),
        )
        .values(**({"fired_at": now} if fired else {"cancelled_at": now}))
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount)

"""What a health check reads: leases, inbox and outbox backlogs, the last send."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import OutboxStatus
from storage.models import InboxUpdate, Lease, Outbox


@dataclass(frozen=True)
class Backlogs:
    leases: Sequence[Lease]
    inbox_count: int
    inbox_oldest: datetime | None
    outbox_count: int
    outbox_oldest_due: datetime | None
    outbox_failed: int
    last_sent: datetime | None


async def ping(session: AsyncSession) -> None:
    """A round trip to the database; raises if it cannot be reached."""
    await session.exec(sa.select(sa.literal(1)))  # type: ignore[call-overload]


async def health_backlogs(session: AsyncSession, *, lease_names: Sequence[str]) -> Backlogs:
    """One read of everything ``python -m bot health`` reports (it fails if the DB is down)."""
    await ping(session)
    leases = (await session.exec(select(Lease).where(col(Lease.name).in_(lease_names)))).all()
    inbox_count, inbox_oldest = (
        await session.exec(
            select(sa.func.count(), sa.func.min(InboxUpdate.received_at)).where(
                col(InboxUpdate.processed_at).is_(None)
            )
        )
    ).one()
    waiting = [OutboxStatus.PENDING, OutboxStatus.SENDING]
    outbox_count, outbox_oldest_due = (
        await session.exec(
            select(sa.func.count(), sa.func.min(Outbox.due_at)).where(
                col(Outbox.status).in_(waiting)
            )
        )
    ).one()
    failed = (
        await session.exec(
            select(sa.func.count()).where(col(Outbox.status) == OutboxStatus.FAILED)
        )
    ).one()
    last_sent = (
        await session.exec(
            select(sa.func.max(Outbox.sent_at)).where(col(Outbox.status) == OutboxStatus.SENT)
        )
    ).one()
    return Backlogs(
        leases=leases,
        inbox_count=int(inbox_count),
        inbox_oldest=inbox_oldest,
        outbox_count=int(outbox_count),
        outbox_oldest_due=outbox_oldest_due,
        outbox_failed=int(failed),
        last_sent=last_sent,
    )

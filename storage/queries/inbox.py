"""Raw updates as they arrive from getUpdates, before the dispatcher handles them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import (
    InboxUpdate,
)


async def store_raw_updates(
    session: AsyncSession, *, updates: Sequence[tuple[int, str]], now: datetime
) -> None:
    """Insert raw updates, ignoring ones already stored (Telegram may resend them)."""
    if not updates:
        return
    rows = [
        {"update_id": update_id, "payload": payload, "received_at": now, "attempts": 0}
        for update_id, payload in updates
    ]
    inbox = InboxUpdate.__table__  # type: ignore[attr-defined]
    await session.exec(dialect_insert(session, inbox).values(rows).on_conflict_do_nothing())


async def pending_inbox(session: AsyncSession, *, limit: int) -> Sequence[InboxUpdate]:
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.processed_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(limit)
    )
    return (await session.exec(statement)).all()


async def get_inbox_update(session: AsyncSession, *, update_id: int) -> InboxUpdate | None:
    return await session.get(InboxUpdate, update_id)


async def add_inbox_update(session: AsyncSession, update: InboxUpdate) -> InboxUpdate:
    """An update that reached the dispatcher without passing the poller (webhook, tests)."""
    session.add(update)
    return update

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


async def pending_inbox(
    session: AsyncSession, *, limit: int, skip_locked: bool = False
) -> Sequence[InboxUpdate]:
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.processed_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(limit)
    )
    if skip_locked:
        # PostgreSQL, several processes: leave out the rows another one is handling now.
        statement = statement.with_for_update(skip_locked=True)
    return (await session.exec(statement)).all()


class InboxRowTaken:
    """Marker: the inbox row is locked by another process's transaction."""


INBOX_ROW_TAKEN = InboxRowTaken()


async def claim_inbox_update(
    session: AsyncSession, *, update_id: int
) -> InboxUpdate | InboxRowTaken | None:
    """The update's inbox row; on PostgreSQL locked for this transaction.

    Several processes share the inbox; ``FOR UPDATE SKIP LOCKED`` lets exactly one of them
    handle an update, the others skip it while it is being handled.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return await session.get(InboxUpdate, update_id)
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id)
        .with_for_update(skip_locked=True)
    )
    row = (await session.exec(statement)).first()
    if row is not None:
        return row
    exists = await session.exec(
        select(InboxUpdate.update_id).where(col(InboxUpdate.update_id) == update_id)
    )
    return INBOX_ROW_TAKEN if exists.first() is not None else None


async def get_inbox_update(session: AsyncSession, *, update_id: int) -> InboxUpdate | None:
    return await session.get(InboxUpdate, update_id)


async def add_inbox_update(session: AsyncSession, update: InboxUpdate) -> InboxUpdate:
    """An update that reached the dispatcher without passing the poller (webhook, tests)."""
    session.add(update)
    return update

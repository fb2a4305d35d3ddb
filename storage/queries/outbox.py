"""Outgoing calls: queueing, claiming, re-queueing, and what each message shows now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import (
    OutboxPurpose,
    OutboxStatus,
)
from bot.domain.outbox import OutboxPayload
from storage.models import (
    MessageRender,
    Outbox,
)


async def enqueue(
    session: AsyncSession,
    *,
    method: str,
    chat_id: int,
    payload: OutboxPayload,
    now: datetime,
    purpose: OutboxPurpose | None = None,
    ticket_id: int | None = None,
    dedupe_key: str | None = None,
    target_outbox_id: int | None = None,
    due_at: datetime | None = None,
) -> Outbox:
    """Add an outgoing call. A pending row with the same dedupe_key is replaced in place.

    Services call this through ``bot.services.notifier.Notifier``, which builds the payload.
    """
    stored = payload.to_json()
    attachment = payload.attachment
    if dedupe_key is not None:
        statement = select(Outbox).where(
            Outbox.dedupe_key == dedupe_key, Outbox.status == OutboxStatus.PENDING
        )
        existing = (await session.exec(statement)).first()
        if existing is not None:
            existing.payload = stored
            existing.attachment = attachment.content if attachment else None
            existing.attachment_name = attachment.filename if attachment else None
            existing.target_outbox_id = target_outbox_id
            await session.flush()
            return existing
    row = Outbox(
        method=method,
        chat_id=chat_id,
        payload=stored,
        attachment=attachment.content if attachment else None,
        attachment_name=attachment.filename if attachment else None,
        purpose=purpose,
        ticket_id=ticket_id,
        dedupe_key=dedupe_key,
        target_outbox_id=target_outbox_id,
        created_at=now,
        due_at=due_at or now,
    )
    session.add(row)
    await session.flush()
    return row


async def recent_outbox_count(
    session: AsyncSession, *, chat_id: int, purpose: OutboxPurpose, since: datetime
) -> int:
    statement = select(sa.func.count()).where(
        Outbox.chat_id == chat_id, Outbox.purpose == purpose, Outbox.created_at >= since
    )
    return int((await session.exec(statement)).one())


async def latest_outbox(
    session: AsyncSession, *, chat_id: int, purpose: OutboxPurpose, since: datetime
) -> Outbox | None:
    statement = (
        select(Outbox)
        .where(Outbox.chat_id == chat_id, Outbox.purpose == purpose, Outbox.created_at >= since)
        .order_by(col(Outbox.id).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def latest_ticket_outbox(
    session: AsyncSession, *, ticket_id: int, purpose: OutboxPurpose
) -> Outbox | None:
    statement = (
        select(Outbox)
        .where(Outbox.ticket_id == ticket_id, Outbox.purpose == purpose)
        .order_by(col(Outbox.id).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def due_outbox(
    session: AsyncSession, *, now: datetime, limit: int, lock: bool
) -> Sequence[Outbox]:
    """Due rows, most urgent first: a broadcast row never comes before another row.

    Acknowledgements, answers and cards must not wait behind thousands of dissemination
    messages (issue 12), so bulk rows sort after every other due row, each group by id.
    """
    statement = (
        select(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.due_at <= now)
        .order_by(_bulk_last(), col(Outbox.id))
        .limit(limit)
    )
    if lock:
        statement = statement.with_for_update(skip_locked=True)
    return (await session.exec(statement)).all()


def _bulk_last() -> sa.ColumnElement[int]:
    """0 for ordinary rows, 1 for broadcast rows (the claim's first sort key)."""
    return sa.case((col(Outbox.purpose) == OutboxPurpose.BROADCAST.value, 1), else_=0)


async def first_undelivered_ids(
    session: AsyncSession,
    *,
    chat_ids: Sequence[int],
    unordered_methods: frozenset[str],
    unordered_purposes: frozenset[str] = frozenset(),
) -> dict[int, int]:
    """The oldest undelivered row of each chat: only it may be sent, to keep chat order.

    Rows of ``unordered_purposes`` (broadcasts) are left out: a citizen's acknowledgement
    must not wait for the broadcast row queued for them earlier.
    """
    if not chat_ids:
        return {}
    statement = (
        select(Outbox.chat_id, sa.func.min(Outbox.id))
        .where(
            col(Outbox.chat_id).in_(chat_ids),
            col(Outbox.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            col(Outbox.method).not_in(unordered_methods),
        )
        .group_by(col(Outbox.chat_id))
    )
    if unordered_purposes:
        statement = statement.where(
            sa.or_(col(Outbox.purpose).is_(None), col(Outbox.purpose).not_in(unordered_purposes))
        )
    rows = (await session.exec(statement)).all()
    return {int(chat): int(first) for chat, first in rows if first is not None}


async def requeue_stuck_outbox(
    session: AsyncSession,
    *,
    claimed_before: datetime,
    now: datetime,
    exclude_ids: Sequence[int] = (),
) -> int:
    """Rows left 'sending' since before ``claimed_before`` have an unknown outcome.

    Telegram may or may not have them and offers no idempotency key, so they are sent
    again, whatever their purpose: a rare duplicate is better than a lost answer or
    acknowledgement. ``exclude_ids`` are rows this process is sending right now.
    Returns how many rows were re-queued.
    """
    statement = (
        sa.update(Outbox)
        .where(
            col(Outbox.status) == OutboxStatus.SENDING,
            col(Outbox.due_at) < claimed_before,
        )
        .values(
            status=OutboxStatus.PENDING,
            due_at=now,
            last_error="outcome unknown: sending was interrupted; sent again",
        )
        .execution_options(synchronize_session=False)
    )
    if exclude_ids:
        statement = statement.where(col(Outbox.id).not_in(list(exclude_ids)))
    result = await session.exec(statement)
    return int(result.rowcount or 0)


async def release_outbox_claims(session: AsyncSession, *, ids: Sequence[int]) -> None:
    """Rows claimed but never handed to Telegram go back to the queue unchanged."""
    if not ids:
        return
    await session.exec(
        sa.update(Outbox)
        .where(col(Outbox.id).in_(list(ids)), col(Outbox.status) == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING)
        .execution_options(synchronize_session=False)
    )


async def next_pending_due(session: AsyncSession) -> datetime | None:
    statement = (
        select(Outbox.due_at)
        .where(Outbox.status == OutboxStatus.PENDING)
        .order_by(col(Outbox.due_at))
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def message_render(
    session: AsyncSession, *, chat_id: int, message_id: int
) -> MessageRender | None:
    return await session.get(MessageRender, (chat_id, message_id))


async def save_message_render(
    session: AsyncSession,
    *,
    chat_id: int,
    message_id: int,
    content: str,
    markup: str | None,
    now: datetime,
) -> None:
    row = await session.get(MessageRender, (chat_id, message_id))
    if row is None:
        session.add(
            MessageRender(
                chat_id=chat_id,
                message_id=message_id,
                content=content,
                markup=markup,
                updated_at=now,
            )
        )
    else:
        row.content = content
        row.markup = markup
        row.updated_at = now
    await session.flush()


async def outbox_counts(session: AsyncSession) -> dict[str, int]:
    statement = select(Outbox.status, sa.func.count()).group_by(Outbox.status)
    return {str(status): int(count) for status, count in (await session.exec(statement)).all()}


async def outbox_rows(session: AsyncSession, *, ids: Sequence[int | None]) -> Sequence[Outbox]:
    """Load many outbox rows at once (they stay in the session for ``get_outbox``)."""
    wanted = [row_id for row_id in ids if row_id is not None]
    if not wanted:
        return []
    return (await session.exec(select(Outbox).where(col(Outbox.id).in_(wanted)))).all()


async def get_outbox(session: AsyncSession, *, outbox_id: int | None) -> Outbox | None:
    return await session.get(Outbox, outbox_id) if outbox_id is not None else None

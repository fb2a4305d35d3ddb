"""Outreach (issue 12): subscribers, broadcasts and their outbox rows, post drafts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import OutboxPurpose, OutboxStatus
from bot.domain.outreach import OPEN_DRAFT_STATES, BroadcastState
from storage.models import Broadcast, Outbox, PostDraft, Subscriber

# Rows per INSERT statement when a broadcast is queued (SQLite allows 32766 parameters).
_INSERT_CHUNK = 500


async def find_subscriber(session: AsyncSession, *, telegram_id: int) -> Subscriber | None:
    statement = select(Subscriber).where(Subscriber.telegram_id == telegram_id)
    return (await session.exec(statement)).first()


async def add_subscriber(session: AsyncSession, subscriber: Subscriber) -> Subscriber:
    session.add(subscriber)
    await session.flush()
    return subscriber


async def active_subscriber_ids(session: AsyncSession) -> list[int]:
    """Telegram ids of subscribers who neither left nor blocked the bot."""
    statement = (
        select(Subscriber.telegram_id)
        .where(col(Subscriber.unsubscribed_at).is_(None), col(Subscriber.blocked_at).is_(None))
        .order_by(col(Subscriber.id))
    )
    return [int(value) for value in (await session.exec(statement)).all()]


async def add_broadcast(session: AsyncSession, broadcast: Broadcast) -> Broadcast:
    session.add(broadcast)
    await session.flush()
    return broadcast


async def enqueue_broadcast_rows(
    session: AsyncSession,
    *,
    broadcast_id: int,
    chat_ids: Sequence[int],
    params: dict[str, object],
    now: datetime,
) -> int:
    """One ``sendMessage`` row per subscriber, inserted in a few statements."""
    rows = [
        {
            "method": "sendMessage",
            "chat_id": chat_id,
            "payload": json.dumps({**params, "chat_id": chat_id}, ensure_ascii=False),
            "status": OutboxStatus.PENDING.value,
            "purpose": OutboxPurpose.BROADCAST.value,
            "broadcast_id": broadcast_id,
            "attempts": 0,
            "created_at": now,
            "due_at": now,
        }
        for chat_id in chat_ids
    ]
    for start in range(0, len(rows), _INSERT_CHUNK):
        await session.exec(sa.insert(Outbox).values(rows[start : start + _INSERT_CHUNK]))
    return len(rows)


async def running_broadcasts(session: AsyncSession) -> Sequence[Broadcast]:
    statement = select(Broadcast).where(Broadcast.state == BroadcastState.RUNNING)
    return (await session.exec(statement.order_by(col(Broadcast.id)))).all()


async def get_broadcast(session: AsyncSession, *, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def broadcast_status_counts(session: AsyncSession, *, broadcast_id: int) -> dict[str, int]:
    statement = (
        select(Outbox.status, sa.func.count())
        .where(Outbox.broadcast_id == broadcast_id)
        .group_by(Outbox.status)
    )
    return {str(status): int(count) for status, count in (await session.exec(statement)).all()}


async def failed_broadcast_rows(
    session: AsyncSession, *, broadcast_id: int
) -> Sequence[tuple[int, str | None]]:
    """(chat id, error) of the broadcast's rows Telegram refused."""
    statement = select(Outbox.chat_id, Outbox.last_error).where(
        Outbox.broadcast_id == broadcast_id, Outbox.status == OutboxStatus.FAILED
    )
    return [(int(chat), error) for chat, error in (await session.exec(statement)).all()]


async def mark_subscribers_blocked(
    session: AsyncSession, *, telegram_ids: Sequence[int], now: datetime
) -> int:
    if not telegram_ids:
        return 0
    result = await session.exec(
        sa.update(Subscriber)
        .where(col(Subscriber.telegram_id).in_(list(telegram_ids)))
        .where(col(Subscriber.blocked_at).is_(None))
        .values(blocked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def open_draft(session: AsyncSession, *, author_id: int) -> PostDraft | None:
    """The author's draft still being written or waiting for approval, if any."""
    statement = (
        select(PostDraft)
        .where(
            PostDraft.author_id == author_id,
            col(PostDraft.state).in_([state.value for state in OPEN_DRAFT_STATES]),
        )
        .order_by(col(PostDraft.id).desc())
    )
    return (await session.exec(statement)).first()


async def get_draft(session: AsyncSession, *, draft_id: int) -> PostDraft | None:
    return await session.get(PostDraft, draft_id)


async def add_draft(session: AsyncSession, draft: PostDraft) -> PostDraft:
    session.add(draft)
    await session.flush()
    return draft

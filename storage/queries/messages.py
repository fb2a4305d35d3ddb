"""The conversation record: messages in and out, and their edit versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import (
    Direction,
)
from storage.models import (
    Message,
    MessageVersion,
)


async def record_message(session: AsyncSession, **fields: Any) -> Message:
    message = Message(**fields)
    session.add(message)
    await session.flush()
    return message


async def find_message(
    session: AsyncSession,
    *,
    chat_id: int,
    telegram_message_id: int,
    direction: Direction,
    agency_id: int | None = None,
) -> Message | None:
    """With ``agency_id``: only that agency's record. A private chat has the same id with
    every agency's bot, and each bot numbers its messages on its own, so ids collide."""
    statement = select(Message).where(
        Message.chat_id == chat_id,
        Message.telegram_message_id == telegram_message_id,
        Message.direction == direction,
    )
    if agency_id is not None:
        statement = statement.where(Message.agency_id == agency_id)
    statement = statement.order_by(col(Message.id).desc()).limit(1)
    return (await session.exec(statement)).first()


async def add_message_version(
    session: AsyncSession,
    *,
    message: Message,
    text: str | None,
    edited_at: datetime,
    update_id: int | None,
) -> MessageVersion:
    assert message.id is not None
    current = await session.exec(
        select(sa.func.max(MessageVersion.version)).where(MessageVersion.message_id == message.id)
    )
    version = (current.one() or 0) + 1
    row = MessageVersion(
        message_id=message.id, version=version, text=text, edited_at=edited_at, update_id=update_id
    )
    session.add(row)
    await session.flush()
    return row


async def ticket_messages(
    session: AsyncSession, *, ticket_id: int, direction: Direction, user_id: int | None = None
) -> Sequence[Message]:
    statement = select(Message).where(
        Message.ticket_id == ticket_id, Message.direction == direction
    )
    if user_id is not None:
        statement = statement.where(Message.user_id == user_id)
    return (await session.exec(statement.order_by(col(Message.id)))).all()

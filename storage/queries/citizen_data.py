"""What the service holds about one citizen, and its pseudonymisation (UU 27/2022).

Pseudonymising keeps every row the report counts (tickets, their times, kinds and
messages) and replaces what identifies the person: the Telegram id (also the private
chat id), the name, the username, files, and personal data inside the texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import OutboxStatus, Role, TicketState
from bot.domain.outbox import OutboxPayload
from storage.models import InboxUpdate, Message, MessageVersion, Outbox, Ticket, User

# Pseudonyms live far below any id Telegram hands out (users are positive, groups and
# channels start at -100…): a pseudonymised row can never be mistaken for a real chat.
PSEUDONYM_BASE = -(10**15)

TextMask = Callable[[str], str]


def pseudonym_for(user_id: int) -> int:
    return PSEUDONYM_BASE - user_id


async def citizen_tickets(session: AsyncSession, *, user_id: int) -> Sequence[Ticket]:
    statement = select(Ticket).where(Ticket.citizen_id == user_id).order_by(col(Ticket.id))
    return (await session.exec(statement)).all()


async def citizen_messages(
    session: AsyncSession, *, user_id: int, chat_id: int
) -> Sequence[Message]:
    """Messages the citizen sent, and those the service sent to their private chat."""
    statement = (
        select(Message)
        .where(sa.or_(col(Message.user_id) == user_id, col(Message.chat_id) == chat_id))
        .order_by(col(Message.id))
    )
    return (await session.exec(statement)).all()


async def open_citizen_ticket_ids(session: AsyncSession, *, user_id: int) -> list[int]:
    statement = (
        select(Ticket.id)
        .where(Ticket.citizen_id == user_id, Ticket.state == TicketState.OPEN)
        .order_by(col(Ticket.id))
    )
    return [int(ticket_id) for ticket_id in (await session.exec(statement)).all() if ticket_id]


async def citizens_inactive_since(
    session: AsyncSession, *, before: datetime, limit: int = 500
) -> Sequence[User]:
    """Citizens not yet pseudonymised whose last message is older than ``before``."""
    last_message = (
        select(sa.func.max(Message.created_at))
        .where(col(Message.user_id) == col(User.id))
        .correlate(User)
        .scalar_subquery()
    )
    statement = (
        select(User)
        .where(
            User.role == Role.CITIZEN,
            col(User.erased_at).is_(None),
            sa.func.coalesce(last_message, User.created_at) < before,
        )
        .order_by(col(User.id))
        .limit(limit)
    )
    return (await session.exec(statement)).all()


async def pseudonymise_citizen(
    session: AsyncSession, *, user: User, mask: TextMask, now: datetime
) -> int:
    """Replace what identifies ``user`` in every table; returns the pseudonym.

    Rows still waiting in the outbox keep the real chat: they are on their way to the
    citizen (the confirmation of this very request among them).
    """
    assert user.id is not None
    real_chat = user.telegram_id
    pseudonym = pseudonym_for(user.id)
    ticket_ids = select(Ticket.id).where(Ticket.citizen_id == user.id)
    # Their own messages, what was sent to them, and the cards that quoted them.
    messages = (
        await session.exec(
            select(Message).where(
                sa.or_(
                    col(Message.user_id) == user.id,
                    col(Message.chat_id) == real_chat,
                    col(Message.ticket_id).in_(ticket_ids),
                )
            )
        )
    ).all()
    for message in messages:
        message.text = mask(message.text) if message.text else message.text
        message.file_id = None
        if message.chat_id == real_chat:
            message.chat_id = pseudonym
    message_ids = [m.id for m in messages if m.id is not None]
    if message_ids:
        versions = (
            await session.exec(
                select(MessageVersion).where(col(MessageVersion.message_id).in_(message_ids))
            )
        ).all()
        for version in versions:
            version.text = mask(version.text) if version.text else version.text
    await session.exec(
        sa.update(Ticket)
        .where(col(Ticket.citizen_id) == user.id, col(Ticket.chat_id) == real_chat)
        .values(chat_id=pseudonym)
        .execution_options(synchronize_session=False)
    )
    delivered = (
        await session.exec(
            select(Outbox).where(
                sa.or_(col(Outbox.chat_id) == real_chat, col(Outbox.ticket_id).in_(ticket_ids)),
                col(Outbox.status).in_(
                    [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SKIPPED]
                ),
            )
        )
    ).all()
    for row in delivered:
        to_citizen = row.chat_id == real_chat
        if to_citizen:
            row.chat_id = pseudonym
            row.attachment = None
        row.payload = _masked_payload(row.payload, mask, row.chat_id)
    # Raw updates that were already handled still carry the person's profile.
    await session.exec(
        sa.delete(InboxUpdate)
        .where(
            col(InboxUpdate.processed_at).is_not(None),
            sa.or_(
                col(InboxUpdate.payload).contains(f'"id":{real_chat},'),
                col(InboxUpdate.payload).contains(f'"id": {real_chat},'),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    user.telegram_id = pseudonym
    user.first_name = ""
    user.username = None
    user.erased_at = now
    await session.flush()
    return pseudonym


def _masked_payload(payload: str, mask: TextMask, chat_id: int) -> str:
    stored = OutboxPayload.from_json(payload)
    params = dict(stored.params)
    for key in ("text", "caption"):
        if isinstance(params.get(key), str):
            params[key] = mask(params[key])
    if "chat_id" in params:
        params["chat_id"] = chat_id
    record = mask(stored.record_text) if stored.record_text else stored.record_text
    return OutboxPayload(params=params, record_text=record).to_json()


async def set_ticket_flag(
    session: AsyncSession, *, ticket_id: int, confidential: bool | None, anonymous: bool | None
) -> Ticket | None:
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    if confidential is not None:
        ticket.confidential = confidential
    if anonymous is not None:
        ticket.anonymous = anonymous
    await session.flush()
    return ticket

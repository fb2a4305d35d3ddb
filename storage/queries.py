"""Keyword-only query functions shared by the services, the transport and the CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Agency,
    Direction,
    InboxUpdate,
    KbVariant,
    Message,
    MessageRender,
    MessageVersion,
    Outbox,
    OutboxStatus,
    Role,
    Ticket,
    TicketEvent,
    TicketState,
    User,
)

# ----------------------------------------------------------------------------- agencies, users


async def ensure_agency(session: AsyncSession, *, code: str, name: str) -> Agency:
    agency = (await session.exec(select(Agency).where(Agency.code == code))).first()
    if agency is None:
        agency = Agency(code=code, name=name)
        session.add(agency)
        await session.flush()
    elif agency.name != name:
        agency.name = name
    return agency


async def upsert_user(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str | None,
) -> User:
    user = (await session.exec(select(User).where(User.telegram_id == telegram_id))).first()
    if user is None:
        user = User(telegram_id=telegram_id, first_name=first_name, username=username)
        session.add(user)
        await session.flush()
    elif user.first_name != first_name or user.username != username:
        user.first_name = first_name
        user.username = username
    return user


async def set_role(session: AsyncSession, *, telegram_id: int, role: Role, now: datetime) -> User:
    user = (await session.exec(select(User).where(User.telegram_id == telegram_id))).first()
    if user is None:
        user = User(telegram_id=telegram_id, role=role, role_changed_at=now)
        session.add(user)
    elif user.role != role:
        user.role = role
        user.role_changed_at = now
    await session.flush()
    return user


async def get_user(session: AsyncSession, *, user_id: int) -> User | None:
    return await session.get(User, user_id)


# ----------------------------------------------------------------------------- inbox


async def first_names(session: AsyncSession, *, user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.exec(
        select(User.id, User.first_name).where(col(User.id).in_(list(user_ids)))
    )
    return {int(user_id or 0): name for user_id, name in rows.all()}


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
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    inbox = InboxUpdate.__table__  # type: ignore[attr-defined]
    statement: Any
    if dialect == "postgresql":
        statement = postgresql.insert(inbox).values(rows).on_conflict_do_nothing()
    else:
        statement = sqlite.insert(inbox).values(rows).on_conflict_do_nothing()
    await session.exec(statement)


async def pending_inbox(session: AsyncSession, *, limit: int) -> Sequence[InboxUpdate]:
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.processed_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(limit)
    )
    return (await session.exec(statement)).all()


# ----------------------------------------------------------------------------- outbox


async def enqueue(
    session: AsyncSession,
    *,
    method: str,
    chat_id: int,
    params: dict[str, Any],
    now: datetime,
    purpose: str | None = None,
    ticket_id: int | None = None,
    dedupe_key: str | None = None,
    target_outbox_id: int | None = None,
    due_at: datetime | None = None,
) -> Outbox:
    """Add an outgoing call. A pending row with the same dedupe_key is replaced in place."""
    payload = json.dumps(params, ensure_ascii=False)
    if dedupe_key is not None:
        statement = select(Outbox).where(
            Outbox.dedupe_key == dedupe_key, Outbox.status == OutboxStatus.PENDING
        )
        existing = (await session.exec(statement)).first()
        if existing is not None:
            existing.payload = payload
            existing.target_outbox_id = target_outbox_id
            await session.flush()
            return existing
    row = Outbox(
        method=method,
        chat_id=chat_id,
        payload=payload,
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
    session: AsyncSession, *, chat_id: int, purpose: str, since: datetime
) -> int:
    statement = select(sa.func.count()).where(
        Outbox.chat_id == chat_id, Outbox.purpose == purpose, Outbox.created_at >= since
    )
    return int((await session.exec(statement)).one())


async def latest_outbox(
    session: AsyncSession, *, chat_id: int, purpose: str, since: datetime
) -> Outbox | None:
    statement = (
        select(Outbox)
        .where(Outbox.chat_id == chat_id, Outbox.purpose == purpose, Outbox.created_at >= since)
        .order_by(col(Outbox.id).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def latest_ticket_outbox(
    session: AsyncSession, *, ticket_id: int, purpose: str
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
    statement = (
        select(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.due_at <= now)
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    if lock:
        statement = statement.with_for_update(skip_locked=True)
    return (await session.exec(statement)).all()


async def first_undelivered_ids(
    session: AsyncSession, *, chat_ids: Sequence[int], unordered_methods: frozenset[str]
) -> dict[int, int]:
    """The oldest undelivered row of each chat: only it may be sent, to keep chat order."""
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


# ----------------------------------------------------------------------------- messages


async def record_message(session: AsyncSession, **fields: Any) -> Message:
    message = Message(**fields)
    session.add(message)
    await session.flush()
    return message


async def outbox_rows(session: AsyncSession, *, ids: Sequence[int | None]) -> Sequence[Outbox]:
    """Load many outbox rows at once (they stay in the session for ``session.get``)."""
    wanted = [row_id for row_id in ids if row_id is not None]
    if not wanted:
        return []
    return (await session.exec(select(Outbox).where(col(Outbox.id).in_(wanted)))).all()


async def find_message(
    session: AsyncSession, *, chat_id: int, telegram_message_id: int, direction: Direction
) -> Message | None:
    statement = (
        select(Message)
        .where(
            Message.chat_id == chat_id,
            Message.telegram_message_id == telegram_message_id,
            Message.direction == direction,
        )
        .order_by(col(Message.id).desc())
        .limit(1)
    )
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


# ----------------------------------------------------------------------------- tickets


async def open_ticket_for(
    session: AsyncSession, *, citizen_id: int, chat_id: int, channel_post_id: int | None
) -> Ticket | None:
    statement = select(Ticket).where(
        Ticket.citizen_id == citizen_id,
        Ticket.chat_id == chat_id,
        Ticket.state == TicketState.OPEN,
    )
    if channel_post_id is not None:
        statement = statement.where(Ticket.channel_post_id == channel_post_id)
    statement = statement.order_by(col(Ticket.id).desc()).limit(1)
    return (await session.exec(statement)).first()


async def close_ticket_if_open(
    session: AsyncSession, *, ticket_id: int, values: dict[str, Any]
) -> bool:
    """Conditional close: of two concurrent approvals exactly one wins."""
    statement = (
        sa.update(Ticket)
        .where(col(Ticket.id) == ticket_id, col(Ticket.state) == TicketState.OPEN)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return bool(result.rowcount)


async def open_tickets(
    session: AsyncSession, *, agency_id: int, after_id: int | None = None, limit: int = 1
) -> Sequence[Ticket]:
    statement = select(Ticket).where(
        Ticket.agency_id == agency_id, Ticket.state == TicketState.OPEN
    )
    if after_id is not None:
        statement = statement.where(col(Ticket.id) > after_id)
    statement = statement.order_by(col(Ticket.id)).limit(limit)
    return (await session.exec(statement)).all()


async def count_open_tickets(
    session: AsyncSession, *, agency_id: int, deferred_only: bool = False
) -> int:
    statement = select(sa.func.count()).where(
        Ticket.agency_id == agency_id, Ticket.state == TicketState.OPEN
    )
    if deferred_only:
        statement = statement.where(col(Ticket.card_deferred).is_(True))
    return int((await session.exec(statement)).one())


async def oldest_open_ticket_id(
    session: AsyncSession, *, agency_id: int, deferred_only: bool = False
) -> int | None:
    statement = select(sa.func.min(Ticket.id)).where(
        Ticket.agency_id == agency_id, Ticket.state == TicketState.OPEN
    )
    if deferred_only:
        statement = statement.where(col(Ticket.card_deferred).is_(True))
    value = (await session.exec(statement)).one()
    return int(value) if value is not None else None


async def add_ticket_event(
    session: AsyncSession,
    *,
    ticket_id: int,
    action: str,
    at: datetime,
    actor_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            actor_id=actor_id,
            action=action,
            at=at,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )
    await session.flush()


# ----------------------------------------------------------------------------- learned variants


async def kb_variants(
    session: AsyncSession, *, entry_id: str | None = None, include_removed: bool = False
) -> Sequence[KbVariant]:
    """Learned question variants, oldest first; of one entry when ``entry_id`` is given."""
    statement = select(KbVariant).order_by(col(KbVariant.id))
    if entry_id is not None:
        statement = statement.where(KbVariant.entry_id == entry_id)
    if not include_removed:
        statement = statement.where(col(KbVariant.removed_at).is_(None))
    return (await session.exec(statement)).all()


async def variant_for_ticket(session: AsyncSession, *, ticket_id: int) -> KbVariant | None:
    return (await session.exec(select(KbVariant).where(KbVariant.ticket_id == ticket_id))).first()


async def add_kb_variant(
    session: AsyncSession,
    *,
    entry_id: str,
    text: str,
    ticket_id: int | None,
    actor_id: int | None,
    now: datetime,
) -> KbVariant:
    variant = KbVariant(
        entry_id=entry_id, text=text, ticket_id=ticket_id, created_by_id=actor_id, created_at=now
    )
    session.add(variant)
    await session.flush()
    return variant


async def remove_kb_variants(
    session: AsyncSession,
    *,
    variant_ids: Sequence[int],
    actor_id: int | None,
    now: datetime,
) -> int:
    """Mark variants removed (kept on record); returns how many were still active."""
    if not variant_ids:
        return 0
    result = await session.exec(
        sa.update(KbVariant)
        .where(col(KbVariant.id).in_(list(variant_ids)), col(KbVariant.removed_at).is_(None))
        .values(removed_at=now, removed_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)

"""Tickets, their events, and the report notes officials add."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import (
    CloseReason,
    Direction,
    TicketAction,
    TicketKind,
    TicketState,
)
from storage.models import (
    Message,
    ReportNote,
    Ticket,
    TicketEvent,
)


async def add_ticket(session: AsyncSession, ticket: Ticket) -> Ticket:
    """Insert a new ticket; its id is set on return."""
    session.add(ticket)
    await session.flush()
    return ticket


async def get_ticket(session: AsyncSession, *, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


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


async def count_open_tickets(session: AsyncSession, *, agency_id: int) -> int:
    statement = select(sa.func.count()).where(
        Ticket.agency_id == agency_id, Ticket.state == TicketState.OPEN
    )
    return int((await session.exec(statement)).one())


async def deferred_queue_state(session: AsyncSession, *, agency_id: int) -> tuple[int, int | None]:
    """Open tickets whose card waits in the queue summary: how many, and the oldest's id."""
    statement = select(sa.func.count(), sa.func.min(Ticket.id)).where(
        Ticket.agency_id == agency_id,
        Ticket.state == TicketState.OPEN,
        col(Ticket.card_deferred).is_(True),
    )
    count, oldest = (await session.exec(statement)).one()
    return int(count), int(oldest) if oldest is not None else None


async def add_ticket_event(
    session: AsyncSession,
    *,
    ticket_id: int,
    action: TicketAction,
    at: datetime,
    actor_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> TicketEvent:
    event = TicketEvent(
        ticket_id=ticket_id,
        actor_id=actor_id,
        action=action,
        at=at,
        detail=json.dumps(detail, ensure_ascii=False) if detail else None,
    )
    session.add(event)
    await session.flush()
    return event


async def get_ticket_event(session: AsyncSession, *, event_id: int) -> TicketEvent | None:
    return await session.get(TicketEvent, event_id)


async def ticket_events(
    session: AsyncSession, *, ticket_id: int, action: TicketAction
) -> list[TicketEvent]:
    """The ticket's events of one kind, oldest first."""
    statement = (
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.action == action)
        .order_by(col(TicketEvent.id))
    )
    return list((await session.exec(statement)).all())


async def add_report_note(session: AsyncSession, note: ReportNote) -> None:
    """A /kendala or /rekomendasi note for the Pasal 15 report."""
    session.add(note)


# ----------------------------------------------------------------------------- FAQ gaps

# Grouping is quadratic in the worst case; the most recent questions are what matters.
MAX_GAP_QUESTIONS = 2000
NOISE = (CloseReason.SPAM, CloseReason.DUPLICATE)
TICKET_TABLE: sa.Table = Ticket.__table__  # type: ignore[attr-defined]


def gap_conditions(ticket: sa.Table) -> list[sa.ColumnElement[bool]]:
    """A FAQ gap: a question (not a comment, spam or duplicate) with no confident suggestion.

    Shared by /faq celah and the report, so both count the same tickets.
    """
    return [
        ticket.c.suggestion_confident == sa.false(),
        ticket.c.kind != TicketKind.KOMENTAR.value,
        sa.or_(
            ticket.c.close_reason.is_(None),
            ticket.c.close_reason.not_in([reason.value for reason in NOISE]),
        ),
    ]


async def unanswered_questions(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> list[tuple[int, str]]:
    """(ticket id, first citizen text) of tickets the knowledge base could not answer."""
    first_message = (
        select(Message.ticket_id, sa.func.min(Message.id).label("first_id"))
        .where(Message.direction == Direction.IN, col(Message.ticket_id).is_not(None))
        .group_by(col(Message.ticket_id))
        .subquery()
    )
    statement = (
        select(Ticket.id, Message.text)
        .join(first_message, first_message.c.ticket_id == Ticket.id)
        .join(Message, col(Message.id) == first_message.c.first_id)
        .where(
            Ticket.agency_id == agency_id,
            Ticket.created_at >= start,
            Ticket.created_at < end,
            col(Message.text).is_not(None),
            *gap_conditions(TICKET_TABLE),
        )
        .order_by(col(Ticket.id).desc())
        .limit(MAX_GAP_QUESTIONS)
    )
    rows = (await session.exec(statement)).all()
    return [(int(ticket_id), str(text)) for ticket_id, text in rows if ticket_id and text]


# ----------------------------------------------------------------------------- /kinerja


async def ticket_counts_by_kind_and_state(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> list[tuple[str, str, int]]:
    """(kind, state, tickets) of the tickets opened in [start, end)."""
    counts = await session.exec(
        select(Ticket.kind, Ticket.state, sa.func.count())
        .where(
            col(Ticket.agency_id) == agency_id,
            col(Ticket.created_at) >= start,
            col(Ticket.created_at) < end,
        )
        .group_by(Ticket.kind, Ticket.state)
    )
    return [(str(kind), str(state), int(count)) for kind, state, count in counts.all()]


async def answered_response_times(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> list[tuple[int | None, int, str]]:
    """(answered by, working seconds to the first answer, kind) of the tickets opened in
    [start, end) and answered, sorted by that time (the database sorts, not Python)."""
    rows = await session.exec(
        select(Ticket.answered_by_id, Ticket.response_working_seconds, Ticket.kind)
        .where(
            col(Ticket.agency_id) == agency_id,
            col(Ticket.created_at) >= start,
            col(Ticket.created_at) < end,
            col(Ticket.response_working_seconds).is_not(None),
        )
        .order_by(col(Ticket.response_working_seconds))
    )
    return [
        (admin, int(seconds), str(kind))
        for admin, seconds, kind in rows.all()
        if seconds is not None
    ]


async def open_ticket_ages(
    session: AsyncSession, *, agency_id: int
) -> list[tuple[int, str, datetime]]:
    """(id, kind, opened at) of the agency's open tickets, oldest first."""
    rows = await session.exec(
        select(Ticket.id, Ticket.kind, Ticket.created_at)
        .where(Ticket.agency_id == agency_id, Ticket.state == TicketState.OPEN)
        .order_by(col(Ticket.created_at), col(Ticket.id))
    )
    return [(int(ticket_id or 0), str(kind), created) for ticket_id, kind, created in rows.all()]

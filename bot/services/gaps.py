"""FAQ gaps: questions that got no confident suggestion, grouped by similarity."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import CloseReason, Direction, TicketKind
from bot.knowledge.gaps import GapGroup, group_unanswered
from storage.models import Message, Ticket

# Grouping is quadratic in the worst case; the most recent questions are what matters.
MAX_QUESTIONS = 2000
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
        .limit(MAX_QUESTIONS)
    )
    rows = (await session.exec(statement)).all()
    return [(int(ticket_id), str(text)) for ticket_id, text in rows if ticket_id and text]


async def faq_gap_groups(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> list[GapGroup]:
    questions = await unanswered_questions(session, agency_id=agency_id, start=start, end=end)
    groups = group_unanswered(questions)
    return sorted(groups, key=lambda group: (-group.count, group.representative))

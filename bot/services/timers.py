"""Timers are rows with a due time; the scheduler only sweeps for due rows."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.service_levels import ServiceLevelPolicy
from bot.services.working_time import WorkingCalendar
from storage.models import Ticket, Timer

REMINDER = "reminder"  # warn admins that the first-response target is near
ESCALATION = "escalation"  # tell officials the first-response target was missed
FOLLOWUP = "followup"  # one honest "masih kami proses" message to the citizen
TICKET_TIMER_KINDS = (REMINDER, ESCALATION, FOLLOWUP)


async def schedule_ticket_timers(
    session: AsyncSession,
    *,
    ticket: Ticket,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> None:
    """Timers for a newly opened ticket, counted in working time from its opening."""
    assert ticket.id is not None
    due = policy.first_response_due(calendar, ticket.created_at, ticket.kind)
    reminder = policy.reminder_due(calendar, ticket.created_at, ticket.kind)
    # One statement for the three rows: this runs for every new ticket.
    await session.exec(
        sa.insert(Timer).values(
            [
                {"ticket_id": ticket.id, "kind": REMINDER, "due_at": reminder},
                {"ticket_id": ticket.id, "kind": ESCALATION, "due_at": due},
                {"ticket_id": ticket.id, "kind": FOLLOWUP, "due_at": due},
            ]
        )
    )


async def cancel_ticket_timers(session: AsyncSession, *, ticket_id: int, now: datetime) -> None:
    """A handled ticket needs no reminders; cancelled rows stay for the record."""
    await session.exec(
        sa.update(Timer)
        .where(
            col(Timer.ticket_id) == ticket_id,
            col(Timer.fired_at).is_(None),
            col(Timer.cancelled_at).is_(None),
        )
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )


async def reschedule_ticket_timers(
    session: AsyncSession,
    *,
    ticket: Ticket,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> None:
    """The kind changed, so its target may have: move the timers that have not fired."""
    assert ticket.id is not None
    due = {
        REMINDER: policy.reminder_due(calendar, ticket.created_at, ticket.kind),
        ESCALATION: policy.first_response_due(calendar, ticket.created_at, ticket.kind),
        FOLLOWUP: policy.first_response_due(calendar, ticket.created_at, ticket.kind),
    }
    for kind, due_at in due.items():
        await session.exec(
            sa.update(Timer)
            .where(
                col(Timer.ticket_id) == ticket.id,
                col(Timer.kind) == kind,
                col(Timer.fired_at).is_(None),
                col(Timer.cancelled_at).is_(None),
            )
            .values(due_at=due_at)
            .execution_options(synchronize_session=False)
        )

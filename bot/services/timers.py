"""Timers are rows with a due time; the scheduler only sweeps for due rows.

The due moments come from ``ServiceLevelPolicy``; ``storage.queries.timers`` keeps them.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from storage import queries
from storage.models import Ticket

REMINDER = "reminder"  # warn admins that the first-response target is near
ESCALATION = "escalation"  # tell officials the first-response target was missed
FOLLOWUP = "followup"  # one honest "masih kami proses" message to the citizen
TICKET_TIMER_KINDS = (REMINDER, ESCALATION, FOLLOWUP)


def _due(
    ticket: Ticket, calendar: WorkingCalendar, policy: ServiceLevelPolicy
) -> dict[str, datetime]:
    first_response = policy.first_response_due(calendar, ticket.created_at, ticket.kind)
    return {
        REMINDER: policy.reminder_due(calendar, ticket.created_at, ticket.kind),
        ESCALATION: first_response,
        FOLLOWUP: first_response,
    }


async def schedule_ticket_timers(
    session: AsyncSession,
    *,
    ticket: Ticket,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> None:
    """Timers for a newly opened ticket, counted in working time from its opening."""
    assert ticket.id is not None
    await queries.add_timers(session, ticket_id=ticket.id, due=_due(ticket, calendar, policy))


async def cancel_ticket_timers(session: AsyncSession, *, ticket_id: int, now: datetime) -> None:
    """A handled ticket needs no reminders; cancelled rows stay for the record."""
    await queries.cancel_timers(session, ticket_id=ticket_id, now=now)


async def reschedule_ticket_timers(
    session: AsyncSession,
    *,
    ticket: Ticket,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> None:
    """The kind changed, so its target may have: move the timers that have not fired."""
    assert ticket.id is not None
    await queries.move_timers(session, ticket_id=ticket.id, due=_due(ticket, calendar, policy))

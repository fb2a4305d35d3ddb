"""The audit trail of admin and official actions (Issue 13 item 2).

Services call ``AuditTrail.record`` inside the same session as the action, so the row
commits or rolls back with it. Handlers never call it. Other services (appointments,
broadcasts) take an ``AuditTrail`` in their constructor and call ``record`` the same way.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.domain.audit import AuditAction
from storage import queries
from storage.models import AuditLog, User


class AuditTrail:
    def __init__(self, *, clock: Clock, agency_id: int) -> None:
        self.clock = clock
        self.agency_id = agency_id

    async def record(
        self,
        session: AsyncSession,
        *,
        actor: User,
        action: AuditAction,
        ticket_id: int | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditLog:
        """Append one row naming who (telegram id and role at the time) did what."""
        return await queries.add_audit_row(
            session,
            agency_id=self.agency_id,
            actor_telegram_id=actor.telegram_id,
            actor_role=str(actor.role),
            action=action,
            at=self.clock.now(),
            ticket_id=ticket_id,
            target=target,
            detail=detail,
        )

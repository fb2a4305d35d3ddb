"""The audit trail: one insert query and one read; no update or delete exists on purpose."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog


async def add_audit_row(
    session: AsyncSession,
    *,
    agency_id: int,
    actor_telegram_id: int,
    actor_role: str,
    action: str,
    at: datetime,
    ticket_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row."""
    row = AuditLog(
        agency_id=agency_id,
        actor_telegram_id=actor_telegram_id,
        actor_role=actor_role,
        action=action,
        ticket_id=ticket_id,
        target=target,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        at=at,
    )
    session.add(row)
    await session.flush()
    return row


async def audit_rows(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> Sequence[AuditLog]:
    """The agency's audit rows with ``start <= at < end``, oldest first."""
    result = await session.exec(
        select(AuditLog)
        .where(
            col(AuditLog.agency_id) == agency_id,
            col(AuditLog.at) >= start,
            col(AuditLog.at) < end,
        )
        .order_by(col(AuditLog.at), col(AuditLog.id))
    )
    return result.all()

"""The audit log is append-only in the database itself: UPDATE and DELETE are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from bot.domain.audit import AuditAction
from storage import queries
from storage.db import SessionMaker
from storage.models import AuditLog

AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def _agency(session_maker: SessionMaker) -> int:
    async with session_maker() as session:
        agency = await queries.ensure_agency(session, code="uji", name="Dinas Uji")
        await session.commit()
        assert agency.id is not None
        return agency.id


async def _write(session_maker: SessionMaker, agency_id: int, at: datetime) -> int:
    async with session_maker() as session:
        row = await queries.add_audit_row(
            session,
            agency_id=agency_id,
            actor_telegram_id=42,
            actor_role="admin",
            action=AuditAction.ANSWER,
            at=at,
            ticket_id=7,
            detail={"source": "manual"},
        )
        await session.commit()
        assert row.id is not None
        return row.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'ignore'",
        "DELETE FROM audit_log",
    ],
)
async def test_update_and_delete_are_rejected(session_maker: SessionMaker, statement: str) -> None:
    agency_id = await _agency(session_maker)
    await _write(session_maker, agency_id, AT)
    async with session_maker() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.exec(sa.text(statement))  # type: ignore[call-overload]
        await session.rollback()
    async with session_maker() as session:
        rows = await queries.audit_rows(
            session, agency_id=agency_id, start=AT, end=AT + timedelta(days=1)
        )
    assert [(row.action, row.ticket_id) for row in rows] == [("answer", 7)]


async def test_audit_rows_reads_the_period_oldest_first(session_maker: SessionMaker) -> None:
    agency_id = await _agency(session_maker)
    later = await _write(session_maker, agency_id, AT + timedelta(hours=2))
    earlier = await _write(session_maker, agency_id, AT)
    await _write(session_maker, agency_id, AT + timedelta(days=1))  # outside the period
    async with session_maker() as session:
        rows = await queries.audit_rows(
            session, agency_id=agency_id, start=AT, end=AT + timedelta(days=1)
        )
    assert [row.id for row in rows] == [earlier, later]
    assert all(isinstance(row, AuditLog) for row in rows)

"""One role resolution per agency: appointments decide, User.role only for the never-appointed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.enums import Role
from storage import queries
from storage.db import SessionMaker

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


async def test_an_admin_of_one_agency_is_a_citizen_of_another(
    session_maker: SessionMaker,
) -> None:
    async with session_maker() as session:
        bone = await queries.ensure_agency(session, code="bone", name="Diskominfo")
        dinkes = await queries.ensure_agency(session, code="dinkes", name="Dinas Kesehatan")
        assert bone.id is not None
        assert dinkes.id is not None
        user = await queries.upsert_user(session, telegram_id=5101, first_name="A", username=None)
        legacy = await queries.set_role(session, telegram_id=5102, role=Role.ADMIN, now=NOW)
        await queries.appoint_officer(
            session,
            agency_id=bone.id,
            telegram_id=5101,
            role=Role.ADMIN,
            decree_number="SK-1",
            decree_date=date(2026, 1, 31),
            appointed_by_id=None,
            now=NOW,
        )
        assert await queries.resolve_role(session, agency_id=bone.id, user=user) == Role.ADMIN
        assert await queries.resolve_role(session, agency_id=dinkes.id, user=user) == Role.CITIZEN
        # Never appointed anywhere: the stored User.role (CLI set-role) still counts.
        assert await queries.resolve_role(session, agency_id=bone.id, user=legacy) == Role.ADMIN
        assert await queries.resolve_role(session, agency_id=bone.id, user=None) == Role.CITIZEN

        later = NOW + timedelta(hours=1)
        removed = await queries.remove_officer(
            session, agency_id=bone.id, telegram_id=5101, removed_by_id=None, now=later
        )
        assert removed is not None
        assert await queries.resolve_role(session, agency_id=bone.id, user=user) == Role.CITIZEN
        # A report of a period that ended while the appointment was in force lists it.
        during = await queries.officers_at(
            session, agency_id=bone.id, at=NOW + timedelta(minutes=30)
        )
        assert [(row.decree_number, name) for row, name in during] == [("SK-1", "A")]
        assert await queries.officers_at(session, agency_id=bone.id, at=later) == []
        assert await queries.officers_at(session, agency_id=dinkes.id, at=NOW) == []
        assert await queries.has_appointment_history(session, telegram_id=5101)


async def test_who_gets_escalations_is_resolved_per_agency(session_maker: SessionMaker) -> None:
    async with session_maker() as session:
        bone = await queries.ensure_agency(session, code="bone", name="Diskominfo")
        dinkes = await queries.ensure_agency(session, code="dinkes", name="Dinas Kesehatan")
        assert bone.id is not None
        assert dinkes.id is not None
        await queries.set_role(session, telegram_id=6001, role=Role.OFFICIAL, now=NOW)
        await queries.set_role(session, telegram_id=6002, role=Role.OFFICIAL, now=NOW)
        await queries.set_role(session, telegram_id=6003, role=Role.OFFICIAL, now=NOW)
        await queries.ensure_bootstrap_appointment(
            session, agency_id=bone.id, telegram_id=6001, role=Role.OFFICIAL, now=NOW
        )
        await queries.ensure_bootstrap_appointment(
            session, agency_id=dinkes.id, telegram_id=6002, role=Role.OFFICIAL, now=NOW
        )
        # 6003 was never appointed: the single-agency fallback counts it in both.
        assert await queries.telegram_ids_with_role_in(
            session, agency_id=bone.id, role=Role.OFFICIAL
        ) == [6001, 6003]
        assert await queries.telegram_ids_with_role_in(
            session, agency_id=dinkes.id, role=Role.OFFICIAL
        ) == [6002, 6003]
        assert (
            await queries.telegram_ids_with_role_in(session, agency_id=bone.id, role=Role.ADMIN)
            == []
        )

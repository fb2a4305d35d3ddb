"""Officers by decree: appointments per agency and the one role resolution."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import Role
from storage.models import OfficerAppointment, User


async def active_appointment(
    session: AsyncSession, *, agency_id: int, telegram_id: int
) -> OfficerAppointment | None:
    return (
        await session.exec(
            select(OfficerAppointment)
            .where(
                OfficerAppointment.agency_id == agency_id,
                OfficerAppointment.telegram_id == telegram_id,
                col(OfficerAppointment.removed_at).is_(None),
            )
            .order_by(col(OfficerAppointment.id).desc())
        )
    ).first()


async def active_appointments(
    session: AsyncSession, *, agency_id: int
) -> list[OfficerAppointment]:
    """The agency's current officers, officials first, then by appointment."""
    rows = await session.exec(
        select(OfficerAppointment)
        .where(
            OfficerAppointment.agency_id == agency_id,
            col(OfficerAppointment.removed_at).is_(None),
        )
        .order_by(col(OfficerAppointment.role).desc(), col(OfficerAppointment.id))
    )
    return list(rows.all())


async def appoint_officer(
    session: AsyncSession,
    *,
    agency_id: int,
    telegram_id: int,
    role: Role,
    decree_number: str,
    decree_date: date | None,
    appointed_by_id: int | None,
    now: datetime,
) -> OfficerAppointment:
    """A new appointment; a current one in the same agency is closed first (history kept)."""
    current = await active_appointment(session, agency_id=agency_id, telegram_id=telegram_id)
    if current is not None:
        current.removed_at = now
        current.removed_by_id = appointed_by_id
    appointment = OfficerAppointment(
        agency_id=agency_id,
        telegram_id=telegram_id,
        role=role,
        decree_number=decree_number,
        decree_date=decree_date,
        appointed_by_id=appointed_by_id,
        appointed_at=now,
    )
    session.add(appointment)
    await session.flush()
    return appointment


async def remove_officer(
    session: AsyncSession,
    *,
    agency_id: int,
    telegram_id: int,
    removed_by_id: int | None,
    now: datetime,
) -> OfficerAppointment | None:
    """Close the current appointment (the row stays); None when there is none."""
    current = await active_appointment(session, agency_id=agency_id, telegram_id=telegram_id)
    if current is None:
        return None
    current.removed_at = now
    current.removed_by_id = removed_by_id
    await session.flush()
    return current


async def has_appointment_history(
    session: AsyncSession, *, telegram_id: int, agency_id: int | None = None
) -> bool:
    """Whether the user was ever appointed (in the agency, or in any agency when None)."""
    query = select(OfficerAppointment.id).where(OfficerAppointment.telegram_id == telegram_id)
    if agency_id is not None:
        query = query.where(OfficerAppointment.agency_id == agency_id)
    return (await session.exec(query.limit(1))).first() is not None


async def ensure_bootstrap_appointment(
    session: AsyncSession, *, agency_id: int, telegram_id: int, role: Role, now: datetime
) -> None:
    """ADMIN_IDS/OFFICIAL_IDS as an appointment without decree, unless the agency already
    has a history for the user: an officer removed by /petugas stays removed on restart."""
    current = await active_appointment(session, agency_id=agency_id, telegram_id=telegram_id)
    if current is not None:
        if not current.decree_number and current.role != role:
            current.role = role  # the settings changed between restarts
        return
    if await has_appointment_history(session, telegram_id=telegram_id, agency_id=agency_id):
        return
    session.add(
        OfficerAppointment(
            agency_id=agency_id, telegram_id=telegram_id, role=role, appointed_at=now
        )
    )
    await session.flush()


async def resolve_role(session: AsyncSession, *, agency_id: int, user: User | None) -> Role:
    """The user's role in this agency, read from the database on every update.

    The current appointment in the agency decides. ``User.role`` (the CLI ``set-role`` and
    deployments from before appointments) counts only for a user never appointed anywhere,
    so an officer of one agency is a citizen of every other.
    """
    if user is None:
        return Role.CITIZEN
    current = await active_appointment(session, agency_id=agency_id, telegram_id=user.telegram_id)
    if current is not None:
        return Role(current.role)
    if await has_appointment_history(session, telegram_id=user.telegram_id):
        return Role.CITIZEN
    return Role(user.role)


async def officers_at(
    session: AsyncSession, *, agency_id: int, at: datetime
) -> list[tuple[OfficerAppointment, str]]:
    """Appointments in force at ``at`` with the officer's first name (for report section a)."""
    rows = await session.exec(
        select(OfficerAppointment, User.first_name)
        .join(User, col(User.telegram_id) == col(OfficerAppointment.telegram_id), isouter=True)
        .where(
            OfficerAppointment.agency_id == agency_id,
            col(OfficerAppointment.appointed_at) <= at,
            (col(OfficerAppointment.removed_at).is_(None))
            | (col(OfficerAppointment.removed_at) > at),
        )
        .order_by(col(OfficerAppointment.role).desc(), col(OfficerAppointment.id))
    )
    return [(appointment, name or "") for appointment, name in rows.all()]


async def telegram_ids_with_role_in(
    session: AsyncSession, *, agency_id: int, role: Role
) -> list[int]:
    """Who holds ``role`` in the agency, by the same rule as ``resolve_role``."""
    appointed = await session.exec(
        select(OfficerAppointment.telegram_id).where(
            OfficerAppointment.agency_id == agency_id,
            OfficerAppointment.role == role,
            col(OfficerAppointment.removed_at).is_(None),
        )
    )
    ever_appointed = select(OfficerAppointment.telegram_id).where(
        col(OfficerAppointment.telegram_id) == col(User.telegram_id)
    )
    legacy = await session.exec(
        select(User.telegram_id).where(User.role == role, ~ever_appointed.exists())
    )
    return sorted({int(t) for t in appointed.all()} | {int(t) for t in legacy.all()})

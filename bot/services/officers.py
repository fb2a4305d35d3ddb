"""Officers by decree (Perbup Bone 22/2019 Pasal 8 huruf c, Pasal 9 ayat 1): /petugas."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.domain.audit import AuditAction
from bot.domain.decrees import DecreeInputError, parse_appointment, parse_telegram_id
from bot.domain.enums import Role
from bot.domain.labels import format_day
from bot.services.audit import AuditTrail
from storage import queries
from storage.models import OfficerAppointment, User


class Outcome(StrEnum):
    APPOINTED = "appointed"
    REMOVED = "removed"


@dataclass(frozen=True)
class Officers:
    """Appoints and removes admins of one agency; the caller is an official (checked
    by the handler from the role the middleware resolved)."""

    clock: Clock
    agency_id: int
    audit: AuditTrail | None = None

    async def _record(
        self,
        session: AsyncSession,
        official: User,
        appointment: OfficerAppointment,
        outcome: Outcome,
    ) -> None:
        """Appointments and removals join the audit trail (the table keeps its own history)."""
        if self.audit is None:
            return
        await self.audit.record(
            session,
            actor=official,
            action=AuditAction.APPOINTMENT,
            target=str(appointment.telegram_id),
            detail={
                "outcome": outcome.value,
                "role": str(appointment.role),
                "decree": appointment.decree_number,
            },
        )

    async def handle(self, session: AsyncSession, *, official: User, args: str) -> str:
        """The reply to ``/petugas [tambah|hapus ...]`` (HTML)."""
        try:
            return await self._run(session, official, args.split())
        except DecreeInputError as exc:
            prefix = ""
            if exc.field == "id":
                prefix = texts.PETUGAS_BAD_ID.format(given=texts.esc(exc.given))
            elif exc.field == "date":
                prefix = texts.PETUGAS_BAD_DATE.format(given=texts.esc(exc.given))
            return prefix + texts.PETUGAS_SYNTAX

    async def _run(self, session: AsyncSession, official: User, words: list[str]) -> str:
        if not words:
            return await self.listing(session)
        action, rest = words[0].lower(), words[1:]
        if action == "tambah":
            return await self._appoint(session, official, rest)
        if action == "hapus" and len(rest) == 1:
            return await self._remove(session, official, parse_telegram_id(rest[0]))
        raise DecreeInputError("syntax")

    async def listing(self, session: AsyncSession) -> str:
        rows = await queries.officers_at(session, agency_id=self.agency_id, at=self.clock.now())
        if not rows:
            return f"{texts.PETUGAS_LIST_HEADING}\n{texts.PETUGAS_LIST_EMPTY}"
        lines = [
            texts.PETUGAS_LIST_ROW.format(
                n=n,
                name=texts.esc(name) or texts.PETUGAS_UNKNOWN_NAME,
                telegram_id=row.telegram_id,
                role=texts.PETUGAS_ROLE_LABELS.get(row.role, row.role),
                decree=decree_label(row),
            )
            for n, (row, name) in enumerate(rows, start=1)
        ]
        return "\n".join([texts.PETUGAS_LIST_HEADING, *lines])

    async def _name(self, session: AsyncSession, telegram_id: int) -> str:
        names = await queries.first_names_by_telegram_id(session, telegram_ids=[telegram_id])
        return texts.esc(names.get(telegram_id, "")) or texts.PETUGAS_UNKNOWN_NAME

    async def _appoint(self, session: AsyncSession, official: User, args: list[str]) -> str:
        request = parse_appointment(args)
        if request.telegram_id == official.telegram_id:
            return texts.PETUGAS_NOT_SELF
        current = await queries.active_appointment(
            session, agency_id=self.agency_id, telegram_id=request.telegram_id
        )
        if current is not None and current.role == Role.OFFICIAL:
            return texts.PETUGAS_IS_OFFICIAL.format(telegram_id=request.telegram_id)
        appointment = await queries.appoint_officer(
            session,
            agency_id=self.agency_id,
            telegram_id=request.telegram_id,
            role=Role.ADMIN,
            decree_number=request.decree_number,
            decree_date=request.decree_date,
            appointed_by_id=official.id,
            now=self.clock.now(),
        )
        await self._record(session, official, appointment, Outcome.APPOINTED)
        return texts.PETUGAS_APPOINTED.format(
            name=await self._name(session, request.telegram_id),
            telegram_id=request.telegram_id,
            number=texts.esc(request.decree_number),
            date=format_day(request.decree_date),
        )

    async def _remove(self, session: AsyncSession, official: User, telegram_id: int) -> str:
        if telegram_id == official.telegram_id:
            return texts.PETUGAS_NOT_SELF
        current = await queries.active_appointment(
            session, agency_id=self.agency_id, telegram_id=telegram_id
        )
        if current is None or current.role != Role.ADMIN:
            if current is not None:
                return texts.PETUGAS_IS_OFFICIAL.format(telegram_id=telegram_id)
            return texts.PETUGAS_NOT_OFFICER.format(telegram_id=telegram_id)
        removed = await queries.remove_officer(
            session,
            agency_id=self.agency_id,
            telegram_id=telegram_id,
            removed_by_id=official.id,
            now=self.clock.now(),
        )
        assert removed is not None
        await self._record(session, official, removed, Outcome.REMOVED)
        return texts.PETUGAS_REMOVED.format(
            name=await self._name(session, telegram_id), telegram_id=telegram_id
        )


def decree_label(row: OfficerAppointment) -> str:
    if not row.decree_number:
        return texts.PETUGAS_NO_DECREE
    day = format_day(row.decree_date) if row.decree_date else "-"
    return texts.PETUGAS_DECREE.format(number=texts.esc(row.decree_number), date=day)

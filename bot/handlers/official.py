"""The Pasal 15 report: /laporan for officials, and notes (/kendala, /rekomendasi)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.domain.enums import Role
from bot.domain.periods import PeriodError
from bot.handlers.admin import reply_notice, staff_or_refuse
from bot.services.reporting import build_report, period_from_command, queue_report
from bot.services.tickets import HelpDesk
from storage.models import ReportNote, User

router = Router(name=__name__)

NOTE_COMMANDS = ("kendala", "rekomendasi")
NOTE_MAX_LENGTH = 2000


@router.message(Command(*NOTE_COMMANDS))
async def record_report_note(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    desk: HelpDesk,
) -> None:
    """/kendala <teks> or /rekomendasi <teks>: a note for the Pasal 15 report."""
    refusal = texts.NOT_FOR_ROLE.format(who=texts.WHO_STAFF)
    staff = await staff_or_refuse(session, desk, message, user, role, refusal)
    if staff is None:
        return
    kind = command.command.lower()
    body = (command.args or "").strip()
    if not body:
        await reply_notice(session, desk, message, texts.NOTE_EMPTY.format(command=kind))
        return
    session.add(
        ReportNote(
            agency_id=desk.agency_id,
            kind=kind,
            text=body[:NOTE_MAX_LENGTH],
            author_id=staff.id,
            created_at=desk.clock.now(),
        )
    )
    await reply_notice(
        session, desk, message, texts.NOTE_SAVED.format(kind=texts.NOTE_KIND_LABELS[kind])
    )


@router.message(Command("laporan"))
async def send_report(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    desk: HelpDesk,
) -> None:
    """/laporan [periode] from an official in a private chat."""
    if user is None or role != Role.OFFICIAL:
        await reply_notice(
            session, desk, message, texts.NOT_FOR_ROLE.format(who=texts.WHO_OFFICIALS)
        )
        return
    if message.chat.type != "private":
        await reply_notice(session, desk, message, texts.LAPORAN_PRIVATE_ONLY)
        return
    argument = (command.args or "").strip() or None
    try:
        period = period_from_command(argument, desk)
    except PeriodError:
        await reply_notice(
            session, desk, message, texts.LAPORAN_BAD_PERIOD.format(given=texts.esc(argument))
        )
        return
    report = await build_report(session, desk=desk, period=period)
    await queue_report(session, desk=desk, chat_id=message.chat.id, period=period, report=report)

"""The Pasal 15 report: /laporan for officials, and notes (/kendala, /rekomendasi)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import Role
from bot.domain.periods import Period, PeriodError
from bot.handlers.admin import reply_notice, staff_or_refuse
from bot.reports.delivery import build_report, period_from_command, queue_evaluation, queue_report
from bot.services.audit import AuditTrail
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester
from storage import queries
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
    notifier: Notifier,
    clock: Clock,
    agency_id: int,
) -> None:
    """/kendala <teks> or /rekomendasi <teks>: a note for the Pasal 15 report."""
    refusal = texts.NOT_FOR_ROLE.format(who=texts.WHO_STAFF)
    staff = await staff_or_refuse(session, notifier, message, user, role, refusal)
    if staff is None:
        return
    kind = command.command.lower()
    body = (command.args or "").strip()
    if not body:
        await reply_notice(session, notifier, message, texts.NOTE_EMPTY.format(command=kind))
        return
    await queries.add_report_note(
        session,
        ReportNote(
            agency_id=agency_id,
            kind=kind,
            text=body[:NOTE_MAX_LENGTH],
            author_id=staff.id,
            created_at=clock.now(),
        ),
    )
    await reply_notice(
        session, notifier, message, texts.NOTE_SAVED.format(kind=texts.NOTE_KIND_LABELS[kind])
    )


async def official_period_or_refuse(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    clock: Clock,
    settings: Settings,
    bad_period: str,
) -> Period | None:
    """The asked period when an official asks in a private chat; otherwise reply and None."""
    if user is None or role != Role.OFFICIAL:
        await reply_notice(
            session, notifier, message, texts.NOT_FOR_ROLE.format(who=texts.WHO_OFFICIALS)
        )
        return None
    if message.chat.type != "private":
        await reply_notice(session, notifier, message, texts.LAPORAN_PRIVATE_ONLY)
        return None
    argument = (command.args or "").strip() or None
    try:
        return period_from_command(argument, clock=clock, tz=settings.tz)
    except PeriodError:
        await reply_notice(
            session, notifier, message, bad_period.format(given=texts.esc(argument))
        )
        return None


@router.message(Command("laporan"))
async def send_report(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    clock: Clock,
    settings: Settings,
    knowledge: Suggester,
    agency_id: int,
    audit: AuditTrail,
) -> None:
    """/laporan [periode] from an official in a private chat."""
    period = await official_period_or_refuse(
        message, command, session, user, role, notifier, clock, settings, texts.LAPORAN_BAD_PERIOD
    )
    if period is None:
        return
    assert user is not None  # the helper refused anyone else
    # Recorded first, so the annex of this very report shows who asked for it.
    await audit.report_requested(session, actor=user, period=period)
    report = await build_report(
        session,
        settings=settings,
        knowledge=knowledge,
        agency_id=agency_id,
        clock=clock,
        period=period,
    )
    annex = await audit.export(session, period=period, tz=settings.tz)
    await queue_report(
        session,
        notifier=notifier,
        chat_id=message.chat.id,
        period=period,
        report=report,
        audit_csv=annex.csv if annex.rows else None,
    )


@router.message(Command("evaluasi"))
async def send_evaluation(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    clock: Clock,
    settings: Settings,
    agency_id: int,
) -> None:
    """/evaluasi [periode] from an official in a private chat."""
    period = await official_period_or_refuse(
        message, command, session, user, role, notifier, clock, settings, texts.EVALUASI_BAD_PERIOD
    )
    if period is None:
        return
    await queue_evaluation(
        session,
        settings=settings,
        notifier=notifier,
        chat_id=message.chat.id,
        agency_id=agency_id,
        period=period,
        now=clock.now(),
    )

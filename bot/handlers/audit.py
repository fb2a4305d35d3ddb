"""Officials read the audit trail of admin and official actions: /audit [periode]."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import OutboxPurpose, Role
from bot.domain.periods import PeriodError
from bot.handlers.admin import reply_notice
from bot.reports.delivery import period_from_command
from bot.services.audit import AuditTrail, current_month
from bot.services.notifier import Notifier
from storage.models import User

router = Router(name=__name__)


@router.message(Command("audit"))
async def send_audit(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    clock: Clock,
    settings: Settings,
    audit: AuditTrail,
) -> None:
    """/audit [periode] from an official in a private chat."""
    if user is None or role != Role.OFFICIAL:
        await reply_notice(
            session, notifier, message, texts.NOT_FOR_ROLE.format(who=texts.WHO_OFFICIALS)
        )
        return
    if message.chat.type != "private":
        await reply_notice(session, notifier, message, texts.AUDIT_PRIVATE_ONLY)
        return
    argument = (command.args or "").strip() or None
    try:
        period = (
            period_from_command(argument, clock=clock, tz=settings.tz)
            if argument
            else current_month(clock.now().astimezone(settings.tz).date())
        )
    except PeriodError:
        await reply_notice(
            session, notifier, message, texts.AUDIT_BAD_PERIOD.format(given=texts.esc(argument))
        )
        return
    export = await audit.export(session, period=period, tz=settings.tz)
    await notifier.send_text(
        session,
        chat_id=message.chat.id,
        text=export.summary,
        link_preview=None,
        purpose=OutboxPurpose.REPORT,
    )
    if export.rows:
        await notifier.send_document(
            session,
            chat_id=message.chat.id,
            filename=f"jejak-audit-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv",
            content=export.csv,
            caption=texts.AUDIT_CAPTION_CSV.format(period=period.label),
            purpose=OutboxPurpose.REPORT,
        )

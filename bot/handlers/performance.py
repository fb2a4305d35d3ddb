"""/kinerja: responsiveness figures for staff (Perbup Bone 22/2019 Pasal 3 huruf d).

Officials see everything, including each admin's figures. Admins see their own figures
and the team totals, but not other admins by name: the command is for keeping oneself
on time, not for ranking colleagues. Citizens are refused.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain import periods
from bot.domain.enums import Role
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.handlers.admin import is_staff, reply_notice
from bot.services import performance
from bot.services.notifier import Notifier
from storage.models import User

router = Router(name=__name__)


def in_private_or_admin_chat(message: Message, settings: Settings) -> bool:
    # Elsewhere (the discussion group) the command is not ours to answer.
    return message.chat.type == "private" or message.chat.id == settings.admin_chat_id


@router.message(Command("kinerja"), in_private_or_admin_chat)
async def show_performance(
    message: Message,
    *,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    clock: Clock,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    agency_id: int,
    settings: Settings,
) -> None:
    """/kinerja [periode] in a private chat or the admin group."""
    if user is None or user.id is None or not is_staff(role):
        await reply_notice(
            session, notifier, message, texts.NOT_FOR_ROLE.format(who=texts.WHO_STAFF)
        )
        return
    now = clock.now()
    try:
        period = periods.parse_performance_period(
            command.args, today=now.astimezone(settings.tz).date()
        )
    except periods.PeriodParseError:
        await reply_notice(session, notifier, message, texts.PERF_PERIOD_HELP)
        return
    start, end = period.utc_range(settings.tz)
    own_admin_id = None if role == Role.OFFICIAL else user.id
    figures = await performance.performance_figures(
        session,
        agency_id=agency_id,
        start=start,
        end=end,
        target_seconds=policy.first_response_target(),
        targets_by_kind=policy.first_response_seconds_by_kind,
        now=now,
        admin_id=own_admin_id,
        calendar=calendar,
    )
    text = performance.render_performance(
        figures, period=period, tz=settings.tz, own_admin_id=own_admin_id
    )
    await reply_notice(session, notifier, message, text)

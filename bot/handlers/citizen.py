"""Citizens in a private chat with the bot: /start and every message they send."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandStart
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import Settings
from bot.domain.enums import OutboxPurpose, Role
from bot.domain.labels import format_duration_id
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.handlers.extract import incoming_from
from bot.services.intake import Intake
from bot.services.notifier import Notifier
from bot.services.ratings import Ratings
from bot.services.tickets import IncomingMessage
from storage.models import User

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")


@router.message(CommandStart())
async def greet_citizen(
    message: Message,
    session: AsyncSession,
    role: Role,
    intake: Intake,
    notifier: Notifier,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    settings: Settings,
) -> None:
    """/start in a private chat."""
    name = message.from_user.first_name if message.from_user else "Bapak/Ibu"
    await intake.record_inbound(
        session, incoming=incoming_from(message), user=None, update_id=None
    )
    text = texts.start_greeting(
        name=name,
        hours=texts.working_hours_summary(calendar.hours),
        first_response=format_duration_id(policy.first_response_target()),
        retention_days=settings.data_retention_days,
    )
    if role in {Role.ADMIN, Role.OFFICIAL}:
        text += "\n\n" + texts.staff_help(official=role == Role.OFFICIAL)
    await notifier.send_text(
        session,
        chat_id=message.chat.id,
        text=text,
        link_preview=None,
        purpose=OutboxPurpose.GREETING,
    )


@router.message()
async def receive_citizen_message(
    message: Message,
    session: AsyncSession,
    user: User | None,
    intake: Intake,
    ratings: Ratings,
    update_id: int,
) -> None:
    """Any other message in a private chat: record it and open or join a ticket."""
    if user is None:
        return
    await receive_or_take_comment(
        session,
        incoming=incoming_from(message),
        user=user,
        intake=intake,
        ratings=ratings,
        update_id=update_id,
    )


async def receive_or_take_comment(
    session: AsyncSession,
    *,
    incoming: IncomingMessage,
    user: User,
    intake: Intake,
    ratings: Ratings,
    update_id: int,
) -> None:
    """The awaited comment on a rated answer, or else an ordinary message for a ticket."""
    rated_ticket = await ratings.take_comment(session, citizen=user, incoming=incoming)
    if rated_ticket is not None:
        await intake.record_inbound(
            session, incoming=incoming, user=user, update_id=update_id, ticket_id=rated_ticket
        )
        return
    await intake.receive_citizen_message(
        session, incoming=incoming, citizen=user, update_id=update_id
    )

"""Citizens' data rights (/datasaya, /hapusdata) and the rahasia/anonim marks on tickets."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.cards import markup_to_dict
from bot.domain.enums import OutboxPurpose, Role, TicketAction
from bot.handlers.admin import answer_callback, reply_notice, staff_or_refuse
from bot.keyboards import EraseCallback, erase_confirm_keyboard
from bot.services.card_board import CardBoard
from bot.services.data_rights import DataRights, ErasureRefused
from bot.services.notifier import Notifier
from storage import queries
from storage.models import User

router = Router(name=__name__)

MAX_TICKET_DIGITS = 9


@router.message(Command("datasaya"), F.chat.type == "private")
async def send_my_data(
    message: Message,
    session: AsyncSession,
    user: User | None,
    data_rights: DataRights,
    notifier: Notifier,
) -> None:
    """/datasaya in a private chat."""
    if user is None or user.erased_at is not None:
        await reply_notice(session, notifier, message, texts.ERASE_ALREADY)
        return
    await data_rights.send_export(session, user=user, chat_id=message.chat.id)


@router.message(Command("hapusdata"), F.chat.type == "private")
async def ask_to_erase(
    message: Message, session: AsyncSession, user: User | None, notifier: Notifier
) -> None:
    """/hapusdata in a private chat: ask for confirmation first."""
    if user is None or user.erased_at is not None:
        await reply_notice(session, notifier, message, texts.ERASE_ALREADY)
        return
    await notifier.send_text(
        session,
        chat_id=message.chat.id,
        text=texts.ERASE_CONFIRM,
        markup=markup_to_dict(erase_confirm_keyboard()),
        purpose=OutboxPurpose.PRIVACY,
    )


@router.callback_query(EraseCallback.filter())
async def answer_erase_question(
    query: CallbackQuery,
    callback_data: EraseCallback,
    session: AsyncSession,
    user: User | None,
    data_rights: DataRights,
    notifier: Notifier,
) -> None:
    """A button under the /hapusdata confirmation."""
    chat_id = query.from_user.id
    if user is None or user.erased_at is not None:
        reply = texts.ERASE_ALREADY
    elif not callback_data.confirm:
        reply = texts.ERASE_CANCELLED
    else:
        try:
            await data_rights.erase(session, user=user)
        except ErasureRefused as refusal:
            reply = texts.erase_refused(ticket_ids=refusal.ticket_ids)
        else:
            reply = texts.ERASE_DONE
    await answer_callback(session, notifier, query, "", alert=False)
    await notifier.send_text(session, chat_id=chat_id, text=reply, purpose=OutboxPurpose.PRIVACY)


@router.message(Command("rahasia", "anonim"))
async def toggle_ticket_mark(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    data_rights: DataRights,
    board: CardBoard,
    notifier: Notifier,
) -> None:
    """/rahasia <nomor tiket> or /anonim <nomor tiket> from an admin or official."""
    staff = await staff_or_refuse(session, notifier, message, user, role)
    if staff is None:
        return
    number = (command.args or "").strip().lstrip("#")
    if not number.isdigit() or len(number) > MAX_TICKET_DIGITS:
        await reply_notice(session, notifier, message, texts.FLAG_USAGE)
        return
    ticket_id = int(number)
    ticket = await queries.get_ticket(session, ticket_id=ticket_id)
    if ticket is None or ticket.agency_id != board.agency_id:
        await reply_notice(
            session, notifier, message, texts.FLAG_UNKNOWN_TICKET.format(ticket_id=ticket_id)
        )
        return
    confidential = command.command == "rahasia"
    now_on = not (ticket.confidential if confidential else ticket.anonymous)
    await data_rights.set_flags(
        session,
        ticket_id=ticket_id,
        confidential=now_on if confidential else None,
        anonymous=None if confidential else now_on,
    )
    await queries.add_ticket_event(
        session,
        ticket_id=ticket_id,
        action=TicketAction.FLAGS_SET,
        at=data_rights.clock.now(),
        actor_id=staff.id,
        detail={command.command: now_on},
    )
    await board.refresh_cards(session, ticket=ticket)
    label = "rahasia" if confidential else "anonim"
    await reply_notice(
        session, notifier, message, texts.flag_done(ticket_id=ticket_id, label=label, on=now_on)
    )

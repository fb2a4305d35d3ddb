"""Admins: card buttons, replies to cards, and /antrian in a private chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import keyboards, texts
from bot.cards import markup_to_dict
from bot.config import Settings
from bot.domain.enums import OutboxPurpose, Role
from bot.handlers.extract import incoming_from
from bot.keyboards import CardAction, TicketCallback
from bot.services.admin_actions import AdminActions, AnswerHeld
from bot.services.card_board import CardBoard
from bot.services.intake import Intake
from bot.services.notifier import Notifier
from bot.services.tickets import ActionRefused, CardRef
from storage.models import User

router = Router(name=__name__)

STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICIAL})
MAX_AGENCY_NAME = 200


def is_staff(role: Role) -> bool:
    return role in STAFF_ROLES


async def answer_callback(
    session: AsyncSession, notifier: Notifier, query: CallbackQuery, text: str, *, alert: bool
) -> None:
    """Callback answers go through the outbox too, after the commit they report on."""
    await notifier.answer_callback(
        session, user_id=query.from_user.id, query_id=query.id, text=text, alert=alert
    )


async def reply_notice(
    session: AsyncSession, notifier: Notifier, message: Message, text: str
) -> None:
    await notifier.send_text(
        session,
        chat_id=message.chat.id,
        text=text,
        reply_to=message.message_id,
        link_preview=None,
        purpose=OutboxPurpose.NOTICE,
    )


async def staff_or_refuse(
    session: AsyncSession,
    notifier: Notifier,
    message: Message,
    user: User | None,
    role: Role,
    refusal: str = texts.NOT_FOR_CITIZENS,
) -> User | None:
    """The user when their stored role is admin or official; otherwise reply and None."""
    if user is not None and is_staff(role):
        return user
    await reply_notice(session, notifier, message, refusal)
    return None


def origin_of(query: CallbackQuery) -> CardRef | None:
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        return None
    return CardRef(chat_id=message.chat.id, message_id=message.message_id)


def in_queue(query: CallbackQuery) -> bool:
    message = query.message
    return message is not None and message.chat.type == "private"


@router.callback_query(TicketCallback.filter())
async def press_card_button(
    query: CallbackQuery,
    callback_data: TicketCallback,
    session: AsyncSession,
    user: User | None,
    role: Role,
    actions: AdminActions,
    board: CardBoard,
    notifier: Notifier,
) -> None:
    """Any button on a ticket card."""
    if user is None or not is_staff(role):
        await answer_callback(session, notifier, query, texts.ALERT_NOT_ALLOWED, alert=True)
        return
    origin = origin_of(query)
    try:
        reply, alert = await run_card_action(
            session, actions, board, query, callback_data, user, origin
        )
    except ActionRefused as refusal:
        reply, alert = str(refusal), True
    await answer_callback(session, notifier, query, reply, alert=alert)


async def run_card_action(  # noqa: PLR0911, PLR0912 (one branch per button)
    session: AsyncSession,
    actions: AdminActions,
    board: CardBoard,
    query: CallbackQuery,
    data: TicketCallback,
    user: User,
    origin: CardRef | None,
) -> tuple[str, bool]:
    ticket_id = data.ticket
    match data.action:
        case CardAction.SEND:
            await actions.approve_suggestion(
                session,
                actor=user,
                ticket_id=ticket_id,
                origin=origin,
                notice_chat_id=origin.chat_id if origin else query.from_user.id,
            )
            return texts.ALERT_SENT, False
        case CardAction.ETHICS_SEND:
            await actions.confirm_held_answer(
                session, actor=user, ticket_id=ticket_id, held_id=data.arg, notice=origin
            )
            return texts.ALERT_ETHICS_SENT, False
        case CardAction.ETHICS_CANCEL:
            await actions.cancel_held_answer(
                session, actor=user, ticket_id=ticket_id, held_id=data.arg, notice=origin
            )
            return texts.ALERT_ETHICS_CANCELLED, False
        case CardAction.ETHICS_EDIT:
            chat_id = origin.chat_id if origin else query.from_user.id
            await actions.edit_held_answer(
                session,
                actor=user,
                ticket_id=ticket_id,
                held_id=data.arg,
                notice=origin,
                chat_id=chat_id,
            )
            return texts.ALERT_EDIT_PROMPTED, False
        case CardAction.NEXT:
            await actions.cycle_suggestion(session, actor=user, ticket_id=ticket_id, origin=origin)
            return "", False
        case CardAction.EDIT:
            chat_id = origin.chat_id if origin else query.from_user.id
            await actions.prompt_edit(session, actor=user, ticket_id=ticket_id, chat_id=chat_id)
            return texts.ALERT_EDIT_PROMPTED, False
        case CardAction.IGNORE:
            await actions.ensure_open(session, ticket_id=ticket_id)
            markup = markup_to_dict(keyboards.ignore_reason_keyboard(ticket_id))
            assert markup is not None
            await board.restore_card(session, ticket_id=ticket_id, origin=origin, markup=markup)
            return "", False
        case CardAction.KIND:
            markup = markup_to_dict(keyboards.kind_keyboard(ticket_id))
            assert markup is not None
            await board.restore_card(session, ticket_id=ticket_id, origin=origin, markup=markup)
            return "", False
        case CardAction.REASON:
            if not 0 <= data.arg < len(keyboards.IGNORE_REASONS):
                raise ActionRefused(texts.ALERT_STALE)
            reason = keyboards.IGNORE_REASONS[data.arg]
            await actions.ignore_ticket(
                session, actor=user, ticket_id=ticket_id, reason=reason, origin=origin
            )
            return texts.ALERT_IGNORED, False
        case CardAction.SET_KIND:
            if not 0 <= data.arg < len(keyboards.KINDS):
                raise ActionRefused(texts.ALERT_STALE)
            await actions.set_kind(
                session,
                actor=user,
                ticket_id=ticket_id,
                kind=keyboards.KINDS[data.arg],
                origin=origin,
            )
            return texts.ALERT_KIND_SET, False
        case CardAction.BACK:
            await board.redraw_card(
                session, ticket_id=ticket_id, origin=origin, in_queue=in_queue(query)
            )
            return "", False
        case CardAction.QUEUE_NEXT:
            chat_id = origin.chat_id if origin else query.from_user.id
            shown = await board.show_queue_card(
                session, chat_id=chat_id, after_id=ticket_id, origin=origin
            )
            return ("" if shown else texts.ALERT_QUEUE_EMPTY), False
        case CardAction.ATTACHMENTS:
            await actions.send_attachments(session, actor=user, ticket_id=ticket_id)
            return texts.ALERT_ATTACHMENTS_SENT, True
        case CardAction.PRIVATE_COPY:
            private = await actions.toggle_private_copy(
                session, actor=user, ticket_id=ticket_id, origin=origin
            )
            return (
                texts.ALERT_PRIVATE_COPY_ON if private else texts.ALERT_PRIVATE_COPY_OFF
            ), False
        case CardAction.SAVE_FAQ:
            entry_id = await actions.save_answer_to_faq(session, actor=user, ticket_id=ticket_id)
            return texts.faq_saved(entry_id=entry_id), True
    raise ActionRefused(texts.ALERT_STALE)


@router.message(F.reply_to_message, F.reply_to_message.from_user.is_bot)
async def reply_to_card(
    message: Message,
    session: AsyncSession,
    user: User | None,
    role: Role,
    actions: AdminActions,
    intake: Intake,
    notifier: Notifier,
    settings: Settings,
    update_id: int,
) -> None:
    """A reply to a ticket card or to an `Ubah` prompt: send the text as the answer."""
    assert message.reply_to_message is not None
    found = await actions.ticket_for_reply(
        session,
        chat_id=message.chat.id,
        replied_message_id=message.reply_to_message.message_id,
    )
    in_admin_chat = message.chat.id == settings.admin_chat_id
    if found is None:
        if in_admin_chat and user is not None and is_staff(role):
            await reply_notice(session, notifier, message, texts.REPLY_NOT_A_TICKET)
        elif message.chat.type == "private" and user is not None:
            # A citizen replying to the bot's acknowledgement is still writing to us.
            await intake.receive_citizen_message(
                session,
                incoming=incoming_from(message),
                citizen=user,
                update_id=update_id,
            )
        return
    staff = await staff_or_refuse(session, notifier, message, user, role, texts.ALERT_NOT_ALLOWED)
    if staff is None:
        return
    ticket, edited = found
    if not message.text:
        await reply_notice(session, notifier, message, texts.REPLY_EMPTY)
        return
    await intake.record_inbound(
        session,
        incoming=incoming_from(message),
        user=staff,
        update_id=update_id,
        ticket_id=ticket.id,
    )
    assert ticket.id is not None
    try:
        await actions.answer_with_text(
            session,
            actor=staff,
            ticket_id=ticket.id,
            text=message.text,
            edited=edited,
            origin=None,
            notice_chat_id=message.chat.id,
            notice_reply_to=message.message_id,
        )
    except AnswerHeld:
        # The ethics notice with its buttons already replies to the admin's message.
        return
    except ActionRefused as refusal:
        await reply_notice(session, notifier, message, str(refusal))
        return
    await reply_notice(session, notifier, message, texts.REPLY_SENT.format(ticket_id=ticket.id))


@router.message(Command("antrian"), F.chat.type == "private")
async def show_queue(
    message: Message,
    session: AsyncSession,
    user: User | None,
    role: Role,
    board: CardBoard,
    notifier: Notifier,
) -> None:
    """/antrian in a private chat."""
    if await staff_or_refuse(session, notifier, message, user, role) is None:
        return
    await board.show_queue_card(session, chat_id=message.chat.id, after_id=None, origin=None)


@router.message(CommandStart(deep_link=True), F.chat.type == "private")
async def start_with_link(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    board: CardBoard,
    notifier: Notifier,
) -> None:
    """/start antrian (deep link from the queue summary card)."""
    if command.args == "antrian" and user is not None and is_staff(role):
        await board.show_queue_card(session, chat_id=message.chat.id, after_id=None, origin=None)
        return
    await reply_notice(session, notifier, message, texts.STICKER_ONLY)


@router.message(Command("teruskan"))
async def forward_ticket(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    actions: AdminActions,
    notifier: Notifier,
) -> None:
    """/teruskan <nomor tiket> <Perangkat Daerah>."""
    staff = await staff_or_refuse(session, notifier, message, user, role)
    if staff is None:
        return
    parts = (command.args or "").split(maxsplit=1)
    number = parts[0].lstrip("#") if parts else ""
    if len(parts) < 2 or not number.isdigit() or len(number) > 9 or not parts[1].strip():
        await reply_notice(session, notifier, message, texts.TERUSKAN_USAGE)
        return
    agency = parts[1].strip()[:MAX_AGENCY_NAME]
    try:
        await actions.forward_ticket(
            session, actor=staff, ticket_id=int(number), agency_name=agency
        )
    except ActionRefused as refusal:
        await reply_notice(session, notifier, message, str(refusal))
        return
    reply = texts.TERUSKAN_DONE.format(ticket_id=int(number), agency=texts.esc(agency))
    await reply_notice(session, notifier, message, reply)

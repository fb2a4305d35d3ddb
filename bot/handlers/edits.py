"""Edited messages: each edit adds a version; the original is never overwritten."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Router
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.domain.enums import Direction, TicketState
from bot.handlers.extract import text_of
from bot.services.card_board import CardBoard
from storage import queries

router = Router(name=__name__)


@router.edited_message()
async def record_edit(
    edited_message: Message,
    session: AsyncSession,
    board: CardBoard,
    clock: Clock,
    update_id: int,
    agency_id: int,
) -> None:
    """A user edited a message we recorded."""
    original = await queries.find_message(
        session,
        chat_id=edited_message.chat.id,
        telegram_message_id=edited_message.message_id,
        direction=Direction.IN,
        agency_id=agency_id,
    )
    if original is None:
        return
    await queries.add_message_version(
        session,
        message=original,
        text=text_of(edited_message),
        edited_at=(
            datetime.fromtimestamp(edited_message.edit_date, UTC)
            if edited_message.edit_date
            else clock.now()
        ),
        update_id=update_id,
    )
    if original.ticket_id is None:
        return
    ticket = await queries.get_ticket(session, ticket_id=original.ticket_id)
    if ticket is not None and ticket.state == TicketState.OPEN:
        await board.refresh_cards(session, ticket=ticket)

"""Citizen asks, admin answers: the core loop through the real dispatcher and sender."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlmodel import select

from bot.domain.enums import TicketState
from storage.models import Message, Ticket
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    bot_message,
    callback_update,
    group_chat,
    message,
    message_update,
    tg_user,
)

CITIZEN = tg_user(7001, "Andi", "andi_bone")
ADMIN = tg_user(ADMIN_ID, "Petugas Sari")


def sends(calls: list[object], chat_id: int) -> list[SendMessage]:
    return [c for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def test_question_gets_ack_and_card(harness: DeskHarness) -> None:
    await harness.feed(
        message_update(
            message(user=CITIZEN, text="mau panggil ambulans utk ortu yg sakit gmn caranya?")
        )
    )
    calls = await harness.drain()
    ack = sends(calls, CITIZEN.id)
    assert len(ack) == 1
    assert "#1" in ack[0].text
    card = sends(calls, ADMIN_GROUP_ID)
    assert len(card) == 1
    assert "Tiket #1" in card[0].text
    assert "mau panggil ambulans utk ortu yg sakit gmn caranya?" in card[0].text


async def test_kirim_sends_suggestion_once(harness: DeskHarness) -> None:
    await harness.feed(
        message_update(
            message(user=CITIZEN, text="mau panggil ambulans utk ortu yg sakit gmn caranya?")
        )
    )
    calls = await harness.drain()
    card = sends(calls, ADMIN_GROUP_ID)[0]
    assert card.reply_markup is not None
    buttons = [b for row in card.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    send_button = next(b for b in buttons if "Kirim" in b.text)
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        card_id = ticket.card_message_id
    assert card_id is not None
    card_message = bot_message(chat=group_chat(), message_id=card_id)
    assert send_button.callback_data is not None
    await harness.feed(
        callback_update(user=ADMIN, data=send_button.callback_data, message=card_message)
    )
    await harness.feed(
        callback_update(user=ADMIN, data=send_button.callback_data, message=card_message)
    )
    calls = await harness.drain()
    answers = sends(calls, CITIZEN.id)
    assert len(answers) == 1
    assert "Jawaban untuk tiket #1" in answers[0].text
    edits = [c for c in calls if isinstance(c, EditMessageText)]
    assert edits
    assert "Dijawab oleh" in str(edits[-1].text)
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert len(alerts) == 2
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        assert ticket.state == TicketState.ANSWERED
        assert ticket.response_seconds is not None
        out = (await session.exec(select(Message).where(Message.purpose == "answer"))).all()
        assert len(out) == 1

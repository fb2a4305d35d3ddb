"""The Pasal 12 ethics check in the answer path (Issue 13 item 4): a clean answer goes
straight out, a risky one is held until the admin confirms, edits or cancels it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlmodel import col, select

from bot.domain.audit import AuditAction
from bot.domain.enums import OutboxPurpose, TicketAction, TicketState
from bot.keyboards import CardAction, TicketCallback
from storage.models import AuditLog, Outbox, Ticket, TicketEvent
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    bot_message,
    callback_update,
    group_chat,
    message,
    message_update,
    private_chat,
)
from tests.handlers.test_admin_actions import (
    ADMIN,
    CITIZEN,
    OTHER,
    card_message,
    open_ticket,
    press,
    sent_to,
)

OTHER_NIK = "7308123456789012"
OWN_NIK = "7308987654321098"
HELD_ANSWER = f"Data atas nama Budi dengan NIK {OTHER_NIK} sudah kami teruskan ke Dinas."


async def reply_to_card(harness: DeskHarness, ticket: Ticket, text: str) -> list[Any]:
    reply = message(
        user=ADMIN, chat=group_chat(), text=text, reply_to_message=card_message(ticket)
    )
    await harness.feed(message_update(reply))
    return await harness.drain()


async def held_notice(harness: DeskHarness, ticket: Ticket) -> tuple[SendMessage, Any]:
    """The ethics notice in the admin group and the message object a press comes from."""
    async with harness.session_maker() as session:
        rows = (
            await session.exec(
                select(Outbox)
                .where(Outbox.ticket_id == ticket.id, Outbox.purpose == OutboxPurpose.NOTICE)
                .where(Outbox.method == "sendMessage")
                .order_by(col(Outbox.id))
            )
        ).all()
    assert rows, "no ethics notice was queued"
    row = rows[-1]
    assert row.result_message_id is not None
    payload = json.loads(row.payload)
    notice = SendMessage(
        chat_id=row.chat_id, text=payload["text"], reply_markup=payload.get("reply_markup")
    )
    origin = bot_message(chat=group_chat(), message_id=row.result_message_id)
    return notice, origin


def button_data(notice: SendMessage, label: str) -> str:
    assert notice.reply_markup is not None
    buttons = [b for row in notice.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    data = next(b.callback_data for b in buttons if label in b.text)
    assert data is not None
    assert len(data.encode()) <= 64
    return data


async def ethics_outcomes(harness: DeskHarness, ticket: Ticket) -> list[str]:
    async with harness.session_maker() as session:
        rows = (
            await session.exec(
                select(AuditLog)
                .where(AuditLog.ticket_id == ticket.id)
                .where(AuditLog.action == AuditAction.ETHICS_CHECK)
                .order_by(col(AuditLog.id))
            )
        ).all()
    return [json.loads(row.detail or "{}")["outcome"] for row in rows]


async def ticket_state(harness: DeskHarness, ticket: Ticket) -> TicketState:
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        return TicketState(stored.state)


async def test_clean_answer_goes_straight_out(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    calls = await reply_to_card(harness, ticket, "Silakan hubungi IGD RSUD Tenriawaru.")
    assert len(sent_to(calls, CITIZEN.id)) == 1
    assert await ticket_state(harness, ticket) == TicketState.ANSWERED
    assert await ethics_outcomes(harness, ticket) == ["lolos"]


async def test_citizen_own_nik_quoted_back_is_not_held(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness, f"Saya mau cek KTP, NIK saya {OWN_NIK}, sudah jadi?")
    calls = await reply_to_card(harness, ticket, f"KTP untuk NIK {OWN_NIK} sudah dapat diambil.")
    assert len(sent_to(calls, CITIZEN.id)) == 1
    assert await ethics_outcomes(harness, ticket) == ["lolos"]


async def test_other_persons_nik_is_held_without_echoing_it(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    calls = await reply_to_card(harness, ticket, HELD_ANSWER)
    assert not sent_to(calls, CITIZEN.id)
    notices = sent_to(calls, ADMIN_GROUP_ID)
    assert len(notices) == 1
    assert f"#{ticket.id}" in notices[0].text
    assert "NIK" in notices[0].text
    # The notice names the type of data, never the number itself.
    assert OTHER_NIK not in notices[0].text
    assert not re.search(r"\d{8,}", notices[0].text)
    notice, _ = await held_notice(harness, ticket)
    for label in ("Kirim tetap", "Ubah", "Batal"):
        button_data(notice, label)
    assert await ticket_state(harness, ticket) == TicketState.OPEN
    assert await ethics_outcomes(harness, ticket) == ["ditahan"]
    async with harness.session_maker() as session:
        held = (
            await session.exec(
                select(TicketEvent).where(TicketEvent.action == TicketAction.ETHICS_HELD)
            )
        ).one()
        detail = json.loads(held.detail or "{}")
        assert detail["answer"] == HELD_ANSWER
        assert detail["issues"] == ["personal_data"]
        assert detail["kinds"] == ["nik"]


async def test_kirim_tetap_sends_once_even_after_a_restart(
    harness: DeskHarness, harness_factory: Callable[..., Any]
) -> None:
    ticket = await open_ticket(harness)
    await reply_to_card(harness, ticket, HELD_ANSWER)
    notice, origin = await held_notice(harness, ticket)
    data = button_data(notice, "Kirim tetap")
    # A fresh process (new services, same database) still knows the held answer.
    restarted: DeskHarness = await harness_factory()
    for _ in range(2):
        await restarted.feed(callback_update(user=ADMIN, data=data, message=origin))
    calls = await restarted.drain()
    answers = sent_to(calls, CITIZEN.id)
    assert len(answers) == 1
    assert OTHER_NIK in answers[0].text
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert [a.show_alert for a in alerts] == [False, True]
    notice_edits = [
        c for c in calls if isinstance(c, EditMessageText) and c.message_id == origin.message_id
    ]
    assert len(notice_edits) == 1
    assert notice_edits[0].reply_markup is None
    assert await ticket_state(restarted, ticket) == TicketState.ANSWERED
    assert await ethics_outcomes(restarted, ticket) == ["ditahan", "kirim_tetap"]
    async with restarted.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.answer_source == "manual"


async def test_batal_sends_nothing_and_the_hold_is_spent(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await reply_to_card(harness, ticket, HELD_ANSWER)
    notice, origin = await held_notice(harness, ticket)
    await harness.feed(
        callback_update(user=ADMIN, data=button_data(notice, "Batal"), message=origin)
    )
    await harness.feed(
        callback_update(user=ADMIN, data=button_data(notice, "Kirim tetap"), message=origin)
    )
    calls = await harness.drain()
    assert not sent_to(calls, CITIZEN.id)
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert [a.show_alert for a in alerts] == [False, True]
    assert await ticket_state(harness, ticket) == TicketState.OPEN
    assert await ethics_outcomes(harness, ticket) == ["ditahan", "dibatalkan"]
    async with harness.session_maker() as session:
        held = (
            await session.exec(
                select(TicketEvent).where(TicketEvent.action == TicketAction.ETHICS_HELD)
            )
        ).one()
    # Once decided, the held text with the other person's NIK is not kept.
    assert OTHER_NIK not in (held.detail or "")
    # The ticket is still open for a proper answer.
    calls = await reply_to_card(
        harness, ticket, "Mohon maaf, data tersebut tidak dapat kami bagikan."
    )
    assert len(sent_to(calls, CITIZEN.id)) == 1
    assert await ethics_outcomes(harness, ticket) == ["ditahan", "dibatalkan", "lolos"]


async def test_forged_press_by_a_citizen_is_refused(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await reply_to_card(harness, ticket, HELD_ANSWER)
    notice, origin = await held_notice(harness, ticket)
    for user in (CITIZEN, OTHER):
        await harness.feed(
            callback_update(user=user, data=button_data(notice, "Kirim tetap"), message=origin)
        )
    # A made-up event id (another ticket's or none at all) is stale, not sent.
    assert ticket.id is not None
    forged = TicketCallback(action=CardAction.ETHICS_SEND, ticket=ticket.id, arg=999_999).pack()
    await harness.feed(callback_update(user=ADMIN, data=forged, message=origin))
    calls = await harness.drain()
    assert not sent_to(calls, CITIZEN.id)
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert len(alerts) == 3
    assert all(a.show_alert for a in alerts)
    assert await ticket_state(harness, ticket) == TicketState.OPEN
    assert await ethics_outcomes(harness, ticket) == ["ditahan"]


async def test_ubah_reuses_the_edit_prompt_and_checks_again(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await reply_to_card(harness, ticket, HELD_ANSWER)
    notice, origin = await held_notice(harness, ticket)
    await harness.feed(
        callback_update(user=ADMIN, data=button_data(notice, "Ubah"), message=origin)
    )
    calls = await harness.drain()
    assert not sent_to(calls, CITIZEN.id)
    async with harness.session_maker() as session:
        prompt = (
            await session.exec(
                select(Outbox).where(
                    Outbox.ticket_id == ticket.id, Outbox.purpose == OutboxPurpose.EDIT_PROMPT
                )
            )
        ).one()
    assert prompt.result_message_id is not None
    assert "Budi" in json.loads(prompt.payload)["text"]
    prompt_message = bot_message(chat=group_chat(), message_id=prompt.result_message_id)
    reply = message(
        user=ADMIN,
        chat=group_chat(),
        text="Data orang lain tidak dapat kami sampaikan.",
        reply_to_message=prompt_message,
    )
    await harness.feed(message_update(reply))
    calls = await harness.drain()
    assert len(sent_to(calls, CITIZEN.id)) == 1
    assert await ethics_outcomes(harness, ticket) == ["ditahan", "diubah", "lolos"]
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.answer_source == "edited"


async def test_card_suggestion_with_a_confidential_word_is_held(
    harness: DeskHarness, harness_factory: Callable[..., Any]
) -> None:
    ticket = await open_ticket(harness)
    suggestion = harness.services.board.selected_suggestion(ticket)
    assert suggestion is not None
    word = max(re.findall(r"[A-Za-z]{5,}", suggestion.answer), key=len)
    strict: DeskHarness = await harness_factory(ethics_confidential_words=[word])
    await strict.feed(press(ticket, CardAction.SEND))
    calls = await strict.drain()
    assert not sent_to(calls, CITIZEN.id)
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert len(alerts) == 1
    assert alerts[0].show_alert
    notices = sent_to(calls, ADMIN_GROUP_ID)
    assert len(notices) == 1
    assert "rahasia" in notices[0].text
    notice, origin = await held_notice(strict, ticket)
    await strict.feed(
        callback_update(user=ADMIN, data=button_data(notice, "Kirim tetap"), message=origin)
    )
    calls = await strict.drain()
    answers = sent_to(calls, CITIZEN.id)
    assert len(answers) == 1
    assert word in answers[0].text
    async with strict.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.answer_source == "suggestion"
        rows = (
            await session.exec(
                select(AuditLog)
                .where(AuditLog.ticket_id == ticket.id)
                .where(AuditLog.action == AuditAction.ETHICS_CHECK)
                .order_by(col(AuditLog.id))
            )
        ).all()
    details = [json.loads(row.detail or "{}") for row in rows]
    assert [d["outcome"] for d in details] == ["ditahan", "kirim_tetap"]
    assert all(d["issues"] == ["confidential"] for d in details)


async def test_antrian_answer_is_held_in_the_private_chat(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await harness.feed(
        message_update(message(user=ADMIN, chat=private_chat(ADMIN_ID), text="/antrian"))
    )
    await harness.drain()
    async with harness.session_maker() as session:
        queue_card = (
            await session.exec(select(Outbox).where(Outbox.purpose == OutboxPurpose.QUEUE_CARD))
        ).one()
    assert queue_card.result_message_id is not None
    card = bot_message(chat=private_chat(ADMIN_ID), message_id=queue_card.result_message_id)
    reply = message(
        user=ADMIN, chat=private_chat(ADMIN_ID), text=HELD_ANSWER, reply_to_message=card
    )
    await harness.feed(message_update(reply))
    calls = await harness.drain()
    assert not sent_to(calls, CITIZEN.id)
    notices = sent_to(calls, ADMIN_ID)
    assert len(notices) == 1
    assert "belum dikirim" in notices[0].text
    assert OTHER_NIK not in notices[0].text
    assert await ticket_state(harness, ticket) == TicketState.OPEN
    assert await ethics_outcomes(harness, ticket) == ["ditahan"]

"""`Simpan ke FAQ` and /faq: the knowledge base grows from the work, with an audit trail."""

from __future__ import annotations

from typing import Any

from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlmodel import select

from bot.keyboards import CardAction
from bot.knowledge.loader import parse_text
from bot.services.faq import export_overlay_yaml
from storage.models import KbChange, KbEntry, Ticket
from tests.conftest import DeskHarness
from tests.factories import ADMIN_ID, group_chat, message, message_update, private_chat, tg_user
from tests.handlers.test_admin_actions import ADMIN, card_message, open_ticket, press

QUESTION = "apakah kantor samsat watampone buka hari sabtu untuk bayar pajak motor?"
ANSWER = "Samsat Watampone melayani pembayaran pajak kendaraan pada hari Sabtu pukul 08.00-12.00."


def texts_to(calls: list[Any], chat_id: int) -> list[str]:
    return [str(c.text) for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def test_save_reply_to_faq_then_suggest_and_retire(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness, QUESTION)
    reply = message(
        user=ADMIN, chat=group_chat(), text=ANSWER, reply_to_message=card_message(ticket)
    )
    await harness.feed(message_update(reply))
    await harness.drain()
    await harness.feed(press(ticket, CardAction.SAVE_FAQ))
    calls = await harness.drain()
    alert = [c for c in calls if isinstance(c, AnswerCallbackQuery)][-1]
    assert "faq-tiket-1" in str(alert.text)
    async with harness.session_maker() as session:
        entry = (await session.exec(select(KbEntry))).one()
        change = (await session.exec(select(KbChange))).one()
    assert entry.answer == ANSWER
    assert change.action == "create"

    citizen = tg_user(7050, "Citra")
    await harness.feed(
        message_update(message(user=citizen, text="samsat watampone buka hari sabtu gak?"))
    )
    await harness.drain()
    async with harness.session_maker() as session:
        second = (await session.exec(select(Ticket).where(Ticket.id == 2))).one()
    assert second.suggestion_confident
    assert "faq-tiket-1" in second.suggestions

    admin_chat = private_chat(ADMIN_ID)
    await harness.feed(message_update(message(user=ADMIN, chat=admin_chat, text="/faq")))
    await harness.feed(
        message_update(message(user=ADMIN, chat=admin_chat, text="/faq hapus faq-tiket-1"))
    )
    calls = await harness.drain()
    replies = texts_to(calls, ADMIN_ID)
    assert "faq-tiket-1" in replies[0]
    assert "dinonaktifkan" in replies[1]
    assert harness.services.suggester.lookup("faq-tiket-1") is None
    async with harness.session_maker() as session:
        actions = (await session.exec(select(KbChange.action))).all()
    assert list(actions) == ["create", "retire"]


async def test_citizen_cannot_use_faq(harness: DeskHarness) -> None:
    citizen = tg_user(7051, "Dewi")
    await harness.feed(message_update(message(user=citizen, text="/faq")))
    calls = await harness.drain()
    assert "hanya untuk petugas" in texts_to(calls, citizen.id)[0]


async def test_saved_entries_export_to_yaml(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness, QUESTION)
    reply = message(
        user=ADMIN, chat=group_chat(), text=ANSWER, reply_to_message=card_message(ticket)
    )
    await harness.feed(message_update(reply))
    await harness.feed(press(ticket, CardAction.SAVE_FAQ))
    await harness.drain()
    text, count = await export_overlay_yaml(harness.settings.database_url)
    loaded = parse_text(text, "export.yaml")
    assert count == 1
    assert [entry.id for entry, _line in loaded[0]] == ["faq-tiket-1"]
    assert loaded[0][0][0].answer.strip() == ANSWER


async def test_gaps_group_similar_unanswered_questions(harness: DeskHarness) -> None:
    for index, text in enumerate(
        [
            "harga tiket konser dangdut di lapangan merdeka berapa?",
            "konser dangdut lapangan merdeka tiketnya berapa ya?",
            "berapa harga tiket masuk taman bunga?",
        ]
    ):
        citizen = tg_user(7400 + index, f"Warga {index}")
        await harness.feed(message_update(message(user=citizen, text=text)))
    await harness.feed(
        message_update(message(user=ADMIN, chat=private_chat(ADMIN_ID), text="/faq celah"))
    )
    calls = await harness.drain()
    reply = texts_to(calls, ADMIN_ID)[-1]
    assert "2×" in reply
    assert "dangdut" in reply
    assert "1×" in reply
    assert "taman bunga" in reply

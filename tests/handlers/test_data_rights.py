"""Citizens' data rights through the dispatcher: /start notice, /datasaya, /hapusdata, marks."""

from __future__ import annotations

import json

from aiogram.methods import SendDocument, SendMessage
from sqlmodel import select

from bot.keyboards import CardAction, EraseCallback, TicketCallback
from bot.scheduler import enforce_data_retention
from bot.services.notifier import Notifier
from storage.models import Message, Ticket, User
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    callback_update,
    message,
    message_update,
    private_chat,
    tg_user,
)

CITIZEN = tg_user(7101, "Rahmat", "rahmat_bone")
ADMIN = tg_user(ADMIN_ID, "Petugas Sari")
QUESTION = "Syarat bikin KTP apa saja? nomor saya 081234567890"


def texts_to(calls: list[object], chat_id: int) -> list[str]:
    return [c.text for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def ask(harness: DeskHarness, text: str = QUESTION) -> Ticket:
    await harness.feed(message_update(message(user=CITIZEN, text=text)))
    await harness.drain()
    async with harness.session_maker() as session:
        return (await session.exec(select(Ticket))).one()


async def close_by_ignoring(harness: DeskHarness, ticket: Ticket) -> None:
    assert ticket.id is not None
    for action, arg in ((CardAction.IGNORE, 0), (CardAction.REASON, 0)):
        data = TicketCallback(action=action, ticket=ticket.id, arg=arg).pack()
        await harness.feed(callback_update(user=ADMIN, data=data))
    await harness.drain()


async def test_start_shows_the_privacy_notice_and_rights(harness: DeskHarness) -> None:
    await harness.feed(message_update(message(user=CITIZEN, text="/start")))
    greeting = texts_to(await harness.drain(), CITIZEN.id)[-1]
    assert "/datasaya" in greeting
    assert "/hapusdata" in greeting
    assert "730 hari" in greeting
    assert "Pelindungan Data Pribadi" in greeting


async def test_datasaya_sends_summary_and_full_record(harness: DeskHarness) -> None:
    await ask(harness)
    await harness.feed(message_update(message(user=CITIZEN, text="/datasaya")))
    calls = await harness.drain()
    summary = texts_to(calls, CITIZEN.id)[-1]
    assert "Tiket: 1" in summary
    documents = [c for c in calls if isinstance(c, SendDocument)]
    assert len(documents) == 1
    record = json.loads(getattr(documents[0].document, "data", b""))
    assert record["profil"]["id_telegram"] == CITIZEN.id
    assert record["profil"]["username"] == "rahmat_bone"
    assert [t["nomor"] for t in record["tiket"]] == [1]
    assert any(m["teks"] == QUESTION for m in record["pesan"])
    assert any(m["arah"] == "dari layanan" for m in record["pesan"])


async def test_hapusdata_is_refused_while_a_ticket_is_open(harness: DeskHarness) -> None:
    await ask(harness)
    await harness.feed(message_update(message(user=CITIZEN, text="/hapusdata")))
    confirm = texts_to(await harness.drain(), CITIZEN.id)[-1]
    assert "Hapus data Anda?" in confirm
    yes = EraseCallback(confirm=True).pack()
    await harness.feed(callback_update(user=CITIZEN, data=yes))
    assert "#1" in texts_to(await harness.drain(), CITIZEN.id)[-1]
    async with harness.session_maker() as session:
        user = (await session.exec(select(User).where(User.telegram_id == CITIZEN.id))).one()
        assert user.erased_at is None


async def test_hapusdata_pseudonymises_after_confirmation(harness: DeskHarness) -> None:
    ticket = await ask(harness)
    await close_by_ignoring(harness, ticket)
    await harness.feed(callback_update(user=CITIZEN, data=EraseCallback(confirm=False).pack()))
    assert "dibatalkan" in texts_to(await harness.drain(), CITIZEN.id)[-1]
    await harness.feed(callback_update(user=CITIZEN, data=EraseCallback(confirm=True).pack()))
    done = texts_to(await harness.drain(), CITIZEN.id)[-1]
    assert "sudah dihapus" in done
    async with harness.session_maker() as session:
        assert not (await session.exec(select(User).where(User.telegram_id == CITIZEN.id))).all()
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.chat_id != CITIZEN.id
        messages = (
            await session.exec(select(Message).where(Message.ticket_id == ticket.id))
        ).all()
        assert messages
        assert all("081234567890" not in (m.text or "") for m in messages)
    # Writing again starts afresh, as a new person.
    await harness.feed(message_update(message(user=CITIZEN, text="Halo, saya mau tanya lagi")))
    assert "#2" in texts_to(await harness.drain(), CITIZEN.id)[-1]


async def test_retention_job_pseudonymises_silent_citizens_only(harness: DeskHarness) -> None:
    ticket = await ask(harness)
    await close_by_ignoring(harness, ticket)
    other = tg_user(7102, "Sitti")
    harness.clock.advance(days=700)
    await harness.feed(message_update(message(user=other, text="Jam buka kantor camat?")))
    await harness.drain()
    harness.clock.advance(days=40)
    done = await enforce_data_retention(
        session_maker=harness.session_maker,
        settings=harness.settings,
        clock=harness.clock,
        notifier=Notifier(clock=harness.clock),
    )
    assert done == 1
    async with harness.session_maker() as session:
        erased = (await session.exec(select(User).where(User.erased_at.is_not(None)))).all()  # type: ignore[union-attr]
    assert [u.id for u in erased] == [ticket.citizen_id]


async def test_rahasia_and_anonim_marks_show_on_the_card(harness: DeskHarness) -> None:
    await ask(harness)
    admin_chat = private_chat(ADMIN_ID)
    await harness.feed(message_update(message(user=ADMIN, chat=admin_chat, text="/anonim 1")))
    calls = await harness.drain()
    assert "ditandai" in texts_to(calls, ADMIN_ID)[-1]
    edits = [c for c in calls if getattr(c, "chat_id", None) == ADMIN_GROUP_ID]
    assert edits
    card = str(getattr(edits[-1], "text", ""))
    assert "Warga (anonim)" in card
    assert "Rahmat" not in card
    assert "rahmat_bone" not in card
    await harness.feed(message_update(message(user=ADMIN, chat=admin_chat, text="/rahasia #1")))
    await harness.feed(message_update(message(user=ADMIN, chat=admin_chat, text="/rahasia x")))
    calls = await harness.drain()
    replies = texts_to(calls, ADMIN_ID)
    assert "rahasia" in replies[0]
    assert "Format" in replies[1]
    async with harness.session_maker() as session:
        stored = (await session.exec(select(Ticket))).one()
    assert stored.confidential
    assert stored.anonymous


async def test_citizen_cannot_mark_tickets(harness: DeskHarness) -> None:
    await ask(harness)
    await harness.feed(message_update(message(user=CITIZEN, text="/rahasia 1")))
    await harness.drain()
    async with harness.session_maker() as session:
        stored = (await session.exec(select(Ticket))).one()
    assert not stored.confidential

"""The real application, over HTTP, against the fake Telegram Bot API."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import col, func, select

from bot import texts
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.domain.enums import TicketState
from storage.models import InboxUpdate, Outbox, Ticket
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID, OFFICIAL_ID

CITIZEN = make_user(7001, "Andi", "andi_bone")
ADMIN = make_user(ADMIN_ID, "Petugas Sari")
STRANGER = make_user(7999, "Orang Lain")
QUESTION = "mau panggil ambulans utk ortu yg sakit gmn caranya?"


async def ask_and_get_card(fake: FakeTelegram, text: str = QUESTION) -> Any:
    sent = fake.user_sends_text(CITIZEN, CITIZEN.id, text)
    ack = await fake.wait_for_message(
        CITIZEN.id, "#", after_message_id=sent["message"]["message_id"]
    )
    card = await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #")
    return ack, card


def button(card: Any, label: str) -> str:
    for item in card["buttons"]:
        if label in item["text"]:
            return str(item["callback_data"])
    raise AssertionError(f"no {label!r} button on the card: {card['buttons']}")


async def test_ask_ack_card_kirim_citizen_receives(fake: FakeTelegram, start_bot: Any) -> None:
    await start_bot()
    ack, card = await ask_and_get_card(fake)
    assert "#1" in str(ack["plain_text"])
    assert QUESTION in str(card["plain_text"])
    fake.user_presses(ADMIN, ADMIN_GROUP_ID, card["message_id"], button(card, "Kirim"))
    answer = await fake.wait_for_message(CITIZEN.id, "Jawaban untuk tiket #1")
    assert "ambulans" in str(answer["plain_text"]).lower()
    await fake.wait_for(
        lambda: (
            "Dijawab oleh" in str(fake.message(ADMIN_GROUP_ID, card["message_id"])["plain_text"])
        )
    )
    assert fake.flood_errors == 0


async def test_reply_to_card_and_html_verbatim(fake: FakeTelegram, start_bot: Any) -> None:
    await start_bot()
    tricky = 'Apa <b>itu</b> & bagaimana _*[]` "PPID"?'
    _ack, card = await ask_and_get_card(fake, tricky)
    assert tricky in str(card["plain_text"])
    reply = "Jawaban <i>resmi</i> & lengkap _*[]"
    fake.user_sends_text(ADMIN, ADMIN_GROUP_ID, reply, reply_to_message_id=card["message_id"])
    answer = await fake.wait_for_message(CITIZEN.id, "Jawaban untuk tiket #1")
    assert reply in str(answer["plain_text"])


async def test_non_admin_is_refused_with_alert(fake: FakeTelegram, start_bot: Any) -> None:
    bot = await start_bot()
    _ack, card = await ask_and_get_card(fake)
    fake.user_presses(STRANGER, ADMIN_GROUP_ID, card["message_id"], button(card, "Kirim"))
    await fake.wait_for(lambda: fake.callback_answers)
    assert fake.callback_answers[0]["show_alert"]
    await asyncio.sleep(0.3)
    assert not [m for m in fake.sent_messages(CITIZEN.id) if "Jawaban" in str(m["plain_text"])]
    async with bot.app.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        assert ticket.state == TicketState.OPEN


async def test_double_kirim_sends_one_answer(fake: FakeTelegram, start_bot: Any) -> None:
    await start_bot()
    _ack, card = await ask_and_get_card(fake)
    data = button(card, "Kirim")
    other_admin = make_user(ADMIN_ID, "Petugas Sari")
    fake.user_presses(ADMIN, ADMIN_GROUP_ID, card["message_id"], data)
    fake.user_presses(other_admin, ADMIN_GROUP_ID, card["message_id"], data)
    await fake.wait_for(lambda: len(fake.callback_answers) >= 2)
    await fake.wait_for_message(CITIZEN.id, "Jawaban untuk tiket #1")
    await asyncio.sleep(0.5)
    answers = [
        m for m in fake.sent_messages(CITIZEN.id) if "Jawaban untuk" in str(m["plain_text"])
    ]
    assert len(answers) == 1


async def test_faults_are_retried_never_dropped(fake: FakeTelegram, start_bot: Any) -> None:
    fake.fail_next("sendMessage", status=502, times=2)
    fake.drop_next("sendMessage", times=1)
    fake.fail_next("sendMessage", status=429, retry_after=1, times=1)
    fake.fail_next("getUpdates", status=500, times=1)
    await start_bot()
    ack, card = await ask_and_get_card(fake)
    assert "#1" in str(ack["plain_text"])
    assert "Tiket #1" in str(card["plain_text"])
    await asyncio.sleep(0.3)
    assert len([m for m in fake.sent_messages(CITIZEN.id) if "#1" in str(m["plain_text"])]) == 1
    assert len(fake.sent_messages(ADMIN_GROUP_ID)) == 1


async def test_restart_loses_nothing_and_repeats_nothing(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot = await start_bot()
    await ask_and_get_card(fake)
    await bot.stop()
    # Messages arrive while the bot is down.
    for index in range(3):
        fake.user_sends_text(
            make_user(7100 + index, f"Warga {index}"), 7100 + index, f"halo {index}"
        )
    bot = await start_bot()
    for index in range(3):
        await fake.wait_for_message(7100 + index, "#")
    await asyncio.sleep(0.5)
    acks = [m for m in fake.sent_messages(CITIZEN.id) if "#1" in str(m["plain_text"])]
    assert len(acks) == 1
    async with bot.app.session_maker() as session:
        assert (await session.exec(select(func.count()).select_from(Ticket))).one() == 4


async def test_odd_input_never_stops_the_bot_or_makes_bad_requests(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot = await start_bot()
    first = fake.user_sends_text(CITIZEN, CITIZEN.id, "jalan <rusak> & berlubang")
    fake.user_sends(CITIZEN, CITIZEN.id, sticker=True)
    fake.user_sends(CITIZEN, CITIZEN.id, photo=True, caption="foto <lokasi> & sekitarnya")
    fake.user_sends(CITIZEN, CITIZEN.id, voice=True)
    fake.user_sends(CITIZEN, CITIZEN.id, location=True)
    fake.user_sends(CITIZEN, CITIZEN.id, contact=True)
    fake.user_sends(CITIZEN, CITIZEN.id, document=True)
    fake.user_edits_text(CITIZEN, CITIZEN.id, first["message"]["message_id"], "teks diedit")
    fake.raw_update({"unknown_kind": {"x": 1}})
    fake.create_group(-100777, "Grup Asing")
    fake.user_sends_text(STRANGER, -100777, "halo grup asing")
    fake.channel_posts(-1001000000003, "Pengumuman resmi")
    fake.raw_update(
        {
            "callback_query": {
                "id": "forged-1",
                "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Petugas"},
                "chat_instance": "x",
                "data": "t:s:1:0" + "9" * 57,
            }
        }
    )
    card = await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #1")
    assert "jalan <rusak> & berlubang" in str(card["plain_text"])
    fake.user_sends_text(CITIZEN, CITIZEN.id, "masih ada pertanyaan lagi")
    await fake.wait_for_message(CITIZEN.id, "Pesan tambahan")
    await asyncio.sleep(0.5)
    async with bot.app.session_maker() as session:
        failed = (
            await session.exec(
                select(func.count()).select_from(Outbox).where(Outbox.status == "failed")
            )
        ).one()
        unprocessed = (
            await session.exec(
                select(func.count())
                .select_from(InboxUpdate)
                .where(col(InboxUpdate.processed_at).is_(None))
            )
        ).one()
    assert failed == 0
    assert unprocessed == 0
    assert not bot.task.done()
    # Telegram refused nothing: no request the bot made was answered 400.
    assert fake.bad_requests() == [], fake.bad_requests()


async def test_command_menus_and_start(fake: FakeTelegram, start_bot: Any) -> None:
    await start_bot()
    await fake.wait_for(lambda: len(fake.commands) >= 3)
    menus = {key: [c["command"] for c in value] for key, value in fake.commands.items()}
    # Citizens see only their own commands; staff and officials see more.
    assert any(commands == list(texts.COMMANDS_CITIZEN) for commands in menus.values())
    assert any("laporan" in commands and "audit" in commands for commands in menus.values())
    assert any("antrian" in commands and "laporan" not in commands for commands in menus.values())
    fake.user_sends_text(CITIZEN, CITIZEN.id, "/start")
    greeting = await fake.wait_for_message(CITIZEN.id, "Selamat datang")
    text = str(greeting["plain_text"])
    assert "Jam layanan" in text
    assert "Privasi" in text
    assert "Perintah petugas" not in text
    fake.user_sends_text(ADMIN, ADMIN_ID, "/start")
    staff = await fake.wait_for_message(ADMIN_ID, "Selamat datang")
    assert "Perintah petugas" in str(staff["plain_text"])


async def test_laporan_arrives_as_docx_and_pdf(fake: FakeTelegram, start_bot: Any) -> None:
    await start_bot()
    await ask_and_get_card(fake)
    official = make_user(OFFICIAL_ID, "Kabid IKP")
    fake.user_sends_text(official, official.id, "/laporan 2026")
    await fake.wait_for(
        lambda: len([m for m in fake.sent_messages(official.id) if m["document"]]) == 3,
        timeout=30,
    )
    documents = [m["document"] for m in fake.sent_messages(official.id) if m["document"]]
    names = sorted(str(d["file_name"]) for d in documents if d)
    assert names[0] == "lampiran-jejak-audit-20260101-20261231.csv"  # the audit annex
    assert names[1].endswith(".docx")
    assert names[2].endswith(".pdf")
    reports = [d for d in documents if d and str(d["file_name"]).startswith("laporan-")]
    assert len(reports) == 2
    assert all(d["data"] and d["data"][:2] in (b"PK", b"%P") for d in reports)
    summary = [m for m in fake.sent_messages(official.id) if not m["document"]]
    assert summary
    assert "Tahun 2026" in str(summary[0]["plain_text"])


async def test_attachments_are_copied_to_the_admin_on_demand(
    fake: FakeTelegram, start_bot: Any
) -> None:
    await start_bot()
    fake.user_sends_text(ADMIN, ADMIN_ID, "/start")  # a bot may only write to users who began
    await fake.wait_for_message(ADMIN_ID, "Selamat datang")
    fake.user_sends(CITIZEN, CITIZEN.id, photo=True, caption="jalan berlubang di Palakka")
    card = await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #1")
    assert "📷 Foto" in str(card["plain_text"])
    fake.user_presses(ADMIN, ADMIN_GROUP_ID, card["message_id"], button(card, "Lihat lampiran"))
    await fake.wait_for_request("copyMessage")
    copy = fake.calls("copyMessage")[0]
    assert str(copy["chat_id"]) == str(ADMIN_ID)
    assert str(copy["from_chat_id"]) == str(CITIZEN.id)
    await fake.wait_for_message(ADMIN_ID, "Lampiran tiket #1")

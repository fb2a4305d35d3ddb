"""Admin actions from the group and from /antrian, authorization, and odd input."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import (
    Contact,
    Document,
    Location,
    MessageOriginChannel,
    PhotoSize,
    Sticker,
    Voice,
)
from sqlmodel import func, select

from bot.domain.enums import TicketKind, TicketState
from bot.keyboards import CardAction, TicketCallback
from storage.models import ChannelPost, Message, MessageVersion, Outbox, Ticket, TicketEvent, Timer
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    CHANNEL_ID,
    DISCUSSION_GROUP_ID,
    bot_message,
    callback_update,
    group_chat,
    message,
    message_update,
    private_chat,
    tg_user,
)

CITIZEN = tg_user(7001, "Andi")
OTHER = tg_user(7002, "Budi")
ADMIN = tg_user(ADMIN_ID, "Petugas Sari")
AMBULANCE = "mau panggil ambulans utk ortu yg sakit gmn caranya?"


def sent_to(calls: list[Any], chat_id: int) -> list[SendMessage]:
    return [c for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def open_ticket(harness: DeskHarness, text: str = AMBULANCE) -> Ticket:
    await harness.feed(message_update(message(user=CITIZEN, text=text)))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket).order_by(Ticket.id.desc()))).first()  # type: ignore[union-attr]
        assert ticket is not None
        return ticket


def card_message(ticket: Ticket) -> Any:
    assert ticket.card_message_id is not None
    return bot_message(chat=group_chat(), message_id=ticket.card_message_id)


def press(ticket: Ticket, action: CardAction, user: Any = ADMIN, arg: int = 0) -> Any:
    assert ticket.id is not None
    data = TicketCallback(action=action, ticket=ticket.id, arg=arg).pack()
    return callback_update(user=user, data=data, message=card_message(ticket))


async def test_reply_to_card_sends_admin_text(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    reply = message(
        user=ADMIN,
        chat=group_chat(),
        text="Silakan hubungi IGD RSUD <b>Tenriawaru</b> & puskesmas _*[]",
        reply_to_message=card_message(ticket),
    )
    await harness.feed(message_update(reply))
    calls = await harness.drain()
    answer = sent_to(calls, CITIZEN.id)
    assert len(answer) == 1
    assert "&lt;b&gt;Tenriawaru&lt;/b&gt; &amp; puskesmas _*[]" in answer[0].text
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.state == TicketState.ANSWERED
        assert stored.answer_source == "manual"


async def test_non_admin_is_refused(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await harness.feed(press(ticket, CardAction.SEND, user=OTHER))
    calls = await harness.drain()
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert alerts
    assert alerts[0].show_alert
    assert not sent_to(calls, CITIZEN.id)
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.state == TicketState.OPEN


async def test_forged_and_stale_callbacks_change_nothing(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    for data in ("t:zz:1:0", "t:s:notanumber:0", "x" * 64, "t:s:999999:0", ""):
        await harness.feed(callback_update(user=ADMIN, data=data, message=card_message(ticket)))
    calls = await harness.drain()
    alerts = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert len(alerts) == 5
    assert all(alert.show_alert for alert in alerts)
    assert not sent_to(calls, CITIZEN.id)


async def test_ignore_with_reason_and_set_kind(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await harness.feed(press(ticket, CardAction.KIND))
    await harness.feed(press(ticket, CardAction.SET_KIND, arg=1))
    await harness.feed(press(ticket, CardAction.IGNORE))
    calls = await harness.drain()
    assert any(isinstance(c, EditMessageReplyMarkup) for c in calls)
    await harness.feed(press(ticket, CardAction.REASON, arg=0))
    calls = await harness.drain()
    edits = [c for c in calls if isinstance(c, EditMessageText)]
    assert edits
    assert "Diabaikan" in str(edits[-1].text)
    assert "Spam" in str(edits[-1].text)
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.kind == TicketKind.PENGADUAN
        assert stored.state == TicketState.IGNORED
        assert stored.close_reason == "spam"
        actions = (await session.exec(select(TicketEvent.action))).all()
        assert {"opened", "kind_set", "ignored"} <= set(actions)


async def test_edit_prompt_reply_sends_edited_text(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    await harness.feed(press(ticket, CardAction.EDIT))
    calls = await harness.drain()
    prompt = sent_to(calls, ADMIN_GROUP_ID)[-1]
    assert "ubah" in prompt.text.lower()
    async with harness.session_maker() as session:
        prompt_row = (
            await session.exec(select(Outbox).where(Outbox.purpose == "edit_prompt"))
        ).one()
    assert prompt_row.result_message_id is not None
    reply = message(
        user=ADMIN,
        chat=group_chat(),
        text="Jawaban yang sudah diubah.",
        reply_to_message=bot_message(chat=group_chat(), message_id=prompt_row.result_message_id),
    )
    await harness.feed(message_update(reply))
    calls = await harness.drain()
    answer = sent_to(calls, CITIZEN.id)
    assert len(answer) == 1
    assert "Jawaban yang sudah diubah." in answer[0].text
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.answer_source == "edited"


async def test_queue_in_private_chat(harness: DeskHarness) -> None:
    await open_ticket(harness)
    await harness.feed(
        message_update(message(user=ADMIN, chat=private_chat(ADMIN_ID), text="/antrian"))
    )
    calls = await harness.drain()
    cards = sent_to(calls, ADMIN_ID)
    assert len(cards) == 1
    assert "Tiket #1" in cards[0].text
    await harness.feed(
        message_update(message(user=CITIZEN, chat=private_chat(CITIZEN.id), text="/antrian"))
    )
    calls = await harness.drain()
    assert "hanya untuk petugas" in sent_to(calls, CITIZEN.id)[0].text


async def test_long_text_card_fits_and_record_keeps_all(harness: DeskHarness) -> None:
    text = ("<b>&" * 1023) + "xxxx"
    assert len(text) == 4096
    ticket = await open_ticket(harness, text=text)
    async with harness.session_maker() as session:
        card = (await session.exec(select(Outbox).where(Outbox.purpose == "card"))).one()
        stored = (
            await session.exec(select(Message).where(Message.ticket_id == ticket.id))
        ).first()
    assert stored is not None
    assert stored.text == text
    assert card.status == "sent"
    card_text = json.loads(card.payload)["text"]
    assert len(card_text.encode("utf-16-le")) // 2 <= 4096


async def test_odd_inputs_never_break(harness: DeskHarness) -> None:
    photo = [PhotoSize(file_id="p1", file_unique_id="u1", width=10, height=10)]
    odd = [
        message(
            user=OTHER,
            text=None,
            sticker=Sticker(
                file_id="s",
                file_unique_id="su",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
                emoji="🙂",
            ),
        ),
        message(user=CITIZEN, text=None, photo=photo, caption="jalan rusak"),
        message(
            user=CITIZEN, text=None, voice=Voice(file_id="v", file_unique_id="vu", duration=3)
        ),
        message(user=CITIZEN, text=None, location=Location(latitude=-4.5, longitude=120.3)),
        message(user=CITIZEN, text=None, contact=Contact(phone_number="0812", first_name="A")),
        message(user=CITIZEN, text=None, document=Document(file_id="d", file_unique_id="du")),
        message(user=CITIZEN, chat=group_chat(-100999, "Grup lain"), text="halo semua"),
    ]
    for item in odd:
        await harness.feed(message_update(item))
    await harness.feed(
        message_update(
            message(user=CITIZEN, text="diedit", message_id=odd[1].message_id), edited=True
        )
    )
    channel_post = message(user=CITIZEN, chat=group_chat(CHANNEL_ID, "Kanal"), text="Pengumuman")
    await harness.feed(
        message_update(channel_post).model_copy(
            update={"message": None, "channel_post": channel_post}
        )
    )
    calls = await harness.drain()
    async with harness.session_maker() as session:
        tickets = (await session.exec(select(Ticket))).all()
        versions = (await session.exec(select(func.count()).select_from(MessageVersion))).one()
    assert len(tickets) == 1  # the citizen's media joined one ticket; the sticker opened none
    assert versions == 1
    assert sent_to(calls, OTHER.id)  # the sticker sender was asked to write a question
    assert not sent_to(calls, -100999)


async def test_comment_opens_komentar_ticket(harness: DeskHarness) -> None:
    channel = group_chat(CHANNEL_ID, "Info Bone")
    forward = message(
        user=ADMIN,
        chat=group_chat(DISCUSSION_GROUP_ID, "Diskusi"),
        text="Pengumuman jadwal posyandu",
        is_automatic_forward=True,
        forward_origin=MessageOriginChannel(
            date=message(user=ADMIN).date, chat=channel, message_id=77
        ),
    )
    await harness.feed(message_update(forward))
    comment = message(
        user=CITIZEN,
        chat=group_chat(DISCUSSION_GROUP_ID, "Diskusi"),
        text="kapan posyandu di desa kami?",
        reply_to_message=forward,
    )
    await harness.feed(message_update(comment))
    calls = await harness.drain()
    async with harness.session_maker() as session:
        post = (await session.exec(select(ChannelPost))).one()
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.kind == TicketKind.KOMENTAR
    assert ticket.channel_post_id == post.id
    assert sent_to(calls, DISCUSSION_GROUP_ID)
    assert sent_to(calls, ADMIN_GROUP_ID)


async def test_burst_of_200_questions_does_not_flood_the_group(harness: DeskHarness) -> None:
    for index in range(200):
        citizen = tg_user(10_000 + index, f"Warga {index}")
        await harness.feed(message_update(message(user=citizen, text=f"pertanyaan nomor {index}")))
    async with harness.session_maker() as session:
        group_rows = (
            await session.exec(select(Outbox).where(Outbox.chat_id == ADMIN_GROUP_ID))
        ).all()
        tickets = (await session.exec(select(func.count()).select_from(Ticket))).one()
        deferred = (
            await session.exec(
                select(func.count()).select_from(Ticket).where(Ticket.card_deferred == True)  # noqa: E712
            )
        ).one()
    assert tickets == 200
    # Cards plus one summary message; summary edits are coalesced into one pending row.
    assert len(group_rows) <= 20
    assert deferred == 200 - harness.settings.card_burst_limit
    summaries = [r for r in group_rows if r.purpose == "queue_summary"]
    assert len(summaries) == 1


async def test_forward_to_another_agency(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    admin_chat = private_chat(ADMIN_ID)
    await harness.feed(
        message_update(message(user=ADMIN, chat=admin_chat, text="/teruskan 1 Dinas <Kesehatan>"))
    )
    await harness.feed(message_update(message(user=ADMIN, chat=admin_chat, text="/teruskan x")))
    calls = await harness.drain()
    to_citizen = sent_to(calls, CITIZEN.id)
    assert "Dinas &lt;Kesehatan&gt;" in to_citizen[-1].text
    replies = [c.text for c in sent_to(calls, ADMIN_ID)]
    assert "diteruskan" in replies[0]
    assert "/teruskan" in replies[1]
    edits = [c for c in calls if isinstance(c, EditMessageText)]
    assert "Diteruskan ke Dinas &lt;Kesehatan&gt;" in str(edits[-1].text)
    async with harness.session_maker() as session:
        stored = await session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.forwarded_to == "Dinas <Kesehatan>"
        assert stored.state == TicketState.ANSWERED
        assert stored.answer_source == "forwarded"


async def test_kind_change_moves_pending_timers(harness_factory: Any) -> None:
    harness = await harness_factory(first_response_minutes_by_kind="pengaduan=30")
    ticket = await open_ticket(harness)
    async with harness.session_maker() as session:
        before = {t.kind: t.due_at for t in (await session.exec(select(Timer))).all()}
    await harness.feed(press(ticket, CardAction.SET_KIND, arg=1))  # pengaduan
    await harness.drain()
    async with harness.session_maker() as session:
        after = {t.kind: t.due_at for t in (await session.exec(select(Timer))).all()}
    assert after["escalation"] == before["escalation"] - timedelta(minutes=30)
    assert after["reminder"] < before["reminder"]

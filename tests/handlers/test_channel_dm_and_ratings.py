"""Issue 12: channel direct messages, answers under comments, citizens' ratings."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.methods import SendMessage
from aiogram.types import Chat, DirectMessagesTopic, MessageOriginChannel
from sqlmodel import select

from bot.keyboards import RateAction, RatingCallback
from bot.reports import compile_report, parse_period
from bot.reports.evaluation import evaluate_report
from storage.models import AnswerRating, Ticket, User
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_ID,
    CHANNEL_ID,
    DISCUSSION_GROUP_ID,
    OFFICIAL_ID,
    callback_update,
    group_chat,
    message,
    message_update,
    tg_user,
)

CITIZEN = tg_user(7301, "Rina")
DM_CHAT_ID = -1001000000009


def sends(calls: list[Any], chat_id: int) -> list[SendMessage]:
    return [c for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def answer(harness: DeskHarness, ticket_id: int, text: str) -> list[Any]:
    async with harness.session_maker() as session:
        admin = (await session.exec(select(User).where(User.telegram_id == ADMIN_ID))).one()
        await harness.services.actions.answer_with_text(
            session, actor=admin, ticket_id=ticket_id, text=text, edited=False, origin=None
        )
        await session.commit()
    return await harness.drain()


async def test_direct_message_to_channel_becomes_ticket_answered_in_its_topic(
    harness: DeskHarness,
) -> None:
    dm_chat = Chat(id=DM_CHAT_ID, type="supergroup", title="Info Bone", is_direct_messages=True)
    await harness.feed(
        message_update(
            message(
                user=CITIZEN,
                chat=dm_chat,
                text="jam buka kantor camat berapa",
                direct_messages_topic=DirectMessagesTopic(topic_id=555, user=CITIZEN),
            )
        )
    )
    calls = await harness.drain()
    ack = sends(calls, DM_CHAT_ID)
    assert len(ack) == 1
    assert ack[0].direct_messages_topic_id == 555
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.direct_messages_topic_id == 555
    assert ticket.id is not None
    calls = await answer(harness, ticket.id, "Pukul 08.00 sampai 16.00 WITA.")
    sent = sends(calls, DM_CHAT_ID)
    assert len(sent) == 1
    assert sent[0].direct_messages_topic_id == 555
    assert "08.00" in sent[0].text


async def test_automatic_forward_of_channel_post_never_opens_a_ticket(
    harness: DeskHarness,
) -> None:
    forward = message(
        user=CITIZEN,
        chat=group_chat(DISCUSSION_GROUP_ID, "Diskusi"),
        text="Pengumuman: pelayanan KTP keliling besok, ada pertanyaan?",
        is_automatic_forward=True,
        forward_origin=MessageOriginChannel(
            date=message(user=CITIZEN).date, chat=group_chat(CHANNEL_ID, "Kanal"), message_id=91
        ),
    )
    await harness.feed(message_update(forward))
    calls = await harness.drain()
    async with harness.session_maker() as session:
        assert (await session.exec(select(Ticket))).all() == []
    assert sends(calls, DISCUSSION_GROUP_ID) == []


async def test_rating_replaces_and_next_message_is_comment_then_question(
    harness: DeskHarness,
) -> None:
    await harness.feed(message_update(message(user=CITIZEN, text="syarat bikin akta lahir")))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.id is not None
    calls = await answer(harness, ticket.id, "Bawa surat keterangan lahir dan KK.")
    sent = sends(calls, CITIZEN.id)
    assert sent[-1].reply_markup is not None
    up = RatingCallback(action=RateAction.UP, ticket=ticket.id).pack()
    down = RatingCallback(action=RateAction.DOWN, ticket=ticket.id).pack()
    assert len(down.encode()) <= 64
    await harness.feed(callback_update(user=CITIZEN, data=up))
    await harness.feed(callback_update(user=CITIZEN, data=down))
    await harness.drain()
    await harness.feed(message_update(message(user=CITIZEN, text="kurang jelas tempatnya")))
    await harness.feed(message_update(message(user=CITIZEN, text="kalau KTP hilang bagaimana?")))
    await harness.drain()
    async with harness.session_maker() as session:
        ratings = (await session.exec(select(AnswerRating))).all()
        tickets = (await session.exec(select(Ticket).order_by(Ticket.id))).all()  # type: ignore[arg-type]
    assert len(ratings) == 1
    assert ratings[0].positive is False
    assert ratings[0].comment == "kurang jelas tempatnya"
    # The question after the comment is a new ticket, not swallowed as a comment.
    assert len(tickets) == 2


async def test_stranger_cannot_rate_someone_elses_answer(harness: DeskHarness) -> None:
    await harness.feed(message_update(message(user=CITIZEN, text="syarat bikin akta lahir")))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.id is not None
    await answer(harness, ticket.id, "Bawa surat keterangan lahir dan KK.")
    data = RatingCallback(action=RateAction.UP, ticket=ticket.id).pack()
    await harness.feed(callback_update(user=tg_user(7302, "Lain"), data=data))
    await harness.drain()
    async with harness.session_maker() as session:
        assert (await session.exec(select(AnswerRating))).all() == []


async def test_comment_answer_replies_in_thread_and_privately_when_chosen(
    harness: DeskHarness,
) -> None:
    channel = group_chat(CHANNEL_ID, "Info Bone")
    discussion = group_chat(DISCUSSION_GROUP_ID, "Diskusi")
    forward = message(
        user=tg_user(777000, "Telegram"),
        chat=discussion,
        text="Jadwal posyandu",
        is_automatic_forward=True,
        forward_origin=MessageOriginChannel(
            date=message(user=CITIZEN).date, chat=channel, message_id=78
        ),
    )
    await harness.feed(message_update(forward))
    comment = message(
        user=CITIZEN, chat=discussion, text="kapan posyandu di desa kami", reply_to_message=forward
    )
    await harness.feed(message_update(comment))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        admin = (await session.exec(select(User).where(User.telegram_id == ADMIN_ID))).one()
        assert ticket.id is not None
        chosen = await harness.services.actions.toggle_private_copy(
            session, actor=admin, ticket_id=ticket.id, origin=None
        )
        await session.commit()
    assert chosen is True
    calls = await answer(harness, ticket.id, "Setiap tanggal 10 di balai desa.")
    in_thread = sends(calls, DISCUSSION_GROUP_ID)
    assert len(in_thread) == 1
    assert in_thread[0].reply_parameters is not None
    assert in_thread[0].reply_parameters.message_id == comment.message_id
    assert in_thread[0].reply_markup is None
    private = sends(calls, CITIZEN.id)
    assert len(private) == 1
    assert "tanggal 10" in private[0].text
    assert private[0].reply_markup is not None


async def test_ratings_reach_kinerja_and_the_report(harness: DeskHarness) -> None:
    await harness.feed(message_update(message(user=CITIZEN, text="syarat bikin akta lahir")))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.id is not None
    await answer(harness, ticket.id, "Bawa surat keterangan lahir dan KK.")
    down = RatingCallback(action=RateAction.DOWN, ticket=ticket.id).pack()
    await harness.feed(callback_update(user=CITIZEN, data=down))
    await harness.drain()
    await harness.feed(message_update(message(user=CITIZEN, text="kurang jelas tempatnya")))
    official = tg_user(OFFICIAL_ID, "Kabid IKP")
    await harness.feed(message_update(message(user=official, text="/kinerja")))
    calls = await harness.drain()
    kinerja = [c.text for c in sends(calls, OFFICIAL_ID)][-1]
    assert "👍 0 · 👎 1 (dengan komentar: 1)" in kinerja
    async with harness.session_maker() as session:
        data = await compile_report(
            session,
            settings=harness.settings,
            period=parse_period("2026", date(2026, 12, 31)),
            agency_id=harness.services.agency_id,
            now=harness.clock.now(),
        )
    assert (data.comments.ratings_up, data.comments.ratings_down) == (0, 1)
    assert data.comments.ratings_with_comment == 1
    evaluation = evaluate_report(data)
    assert evaluation.satisfaction == 0.0

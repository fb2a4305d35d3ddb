"""Issue 12: /langganan, /berhenti, /siaran with its progress card, and /posting drafts."""

from __future__ import annotations

from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Chat, Update
from sqlmodel import col, select

from bot.domain.enums import OutboxStatus, Role
from bot.domain.outreach import CATEGORY_HASHTAGS, DraftState, PostCategory
from bot.keyboards import PostAction, PostCallback
from storage import queries
from storage.models import Broadcast, ChannelPost, Outbox, PostDraft, Subscriber, Ticket
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_ID,
    CHANNEL_ID,
    OFFICIAL_ID,
    bot_message,
    callback_update,
    message,
    message_update,
    tg_user,
)

ADMIN = tg_user(ADMIN_ID, "Petugas Sari")
OFFICIAL = tg_user(OFFICIAL_ID, "Kadis Andi")
CITIZENS = [tg_user(7100 + n, f"Warga {n}") for n in range(5)]


def sent_to(calls: list[Any], chat_id: int) -> list[SendMessage]:
    return [c for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


def alerts(calls: list[Any]) -> list[str]:
    return [str(c.text) for c in calls if isinstance(c, AnswerCallbackQuery)]


async def command(harness: DeskHarness, user: Any, text: str) -> list[Any]:
    await harness.feed(message_update(message(user=user, text=text)))
    return await harness.drain()


async def subscribers(harness: DeskHarness) -> dict[int, Subscriber]:
    async with harness.session_maker() as session:
        rows = (await session.exec(select(Subscriber))).all()
        return {row.telegram_id: row for row in rows}


async def test_langganan_and_berhenti_keep_the_subscription_on_record(
    harness: DeskHarness,
) -> None:
    citizen = CITIZENS[0]
    first = await command(harness, citizen, "/langganan")
    assert "sudah berlangganan" in str(sent_to(first, citizen.id)[0].text)
    again = await command(harness, citizen, "/langganan")
    assert "sudah terdaftar" in str(sent_to(again, citizen.id)[0].text)
    stop = await command(harness, citizen, "/berhenti")
    assert "dihentikan" in str(sent_to(stop, citizen.id)[0].text)
    rows = await subscribers(harness)
    assert rows[citizen.id].unsubscribed_at is not None
    # A subscription command is not a question: no ticket, no acknowledgement.
    async with harness.session_maker() as session:
        assert (await session.exec(select(Ticket))).all() == []
    twice = await command(harness, citizen, "/berhenti")
    assert "belum berlangganan" in str(sent_to(twice, citizen.id)[0].text)


async def test_citizen_may_not_broadcast(harness: DeskHarness) -> None:
    calls = await command(harness, CITIZENS[0], "/siaran halo semua")
    assert "hanya untuk petugas" in str(sent_to(calls, CITIZENS[0].id)[0].text)
    async with harness.session_maker() as session:
        assert (await session.exec(select(Broadcast))).all() == []


async def test_broadcast_reaches_active_subscribers_and_marks_403_blocked(
    harness: DeskHarness,
) -> None:
    for citizen in CITIZENS:
        await command(harness, citizen, "/langganan")
    await command(harness, CITIZENS[4], "/berhenti")
    blocked = CITIZENS[1]
    # The progress card leaves first (an ordinary row), then the broadcast rows in
    # subscription order; one citizen blocked the bot meanwhile.
    harness.bot.session.add_result(
        {"message_id": 900, "date": 0, "chat": {"id": ADMIN_ID, "type": "private"}}
    )
    for citizen in CITIZENS[:4]:
        if citizen == blocked:
            harness.bot.session.add_error(403, "Forbidden: bot was blocked by the user")
        else:
            harness.bot.session.add_result(
                {"message_id": 1000, "date": 0, "chat": {"id": citizen.id, "type": "private"}}
            )
    await harness.feed(
        message_update(message(user=ADMIN, text="/siaran Vaksinasi <gratis> besok"))
    )
    calls = await harness.drain()
    assert next(c.chat_id for c in calls if isinstance(c, SendMessage)) == ADMIN_ID
    texts_sent = {c.chat_id: str(c.text) for c in calls if isinstance(c, SendMessage)}
    assert CITIZENS[4].id not in texts_sent  # unsubscribed
    assert "Vaksinasi &lt;gratis&gt; besok" in texts_sent[CITIZENS[0].id]
    async with harness.session_maker() as session:
        broadcast = (await session.exec(select(Broadcast))).one()
        assert await harness.services.broadcasts.refresh(session, broadcast)
        await session.commit()
    edits = [c for c in await harness.drain() if isinstance(c, EditMessageText)]
    assert len(edits) == 1
    assert edits[0].message_id == 900
    assert "Terkirim: 3" in str(edits[0].text)
    assert "Memblokir bot: 1" in str(edits[0].text)
    assert "Siaran selesai" in str(edits[0].text)
    rows = await subscribers(harness)
    assert rows[blocked.id].blocked_at is not None
    assert rows[CITIZENS[0].id].blocked_at is None
    # Nothing changed: no second edit (Telegram would refuse an identical one anyway).
    async with harness.session_maker() as session:
        broadcast = (await session.exec(select(Broadcast))).one()
        assert broadcast.state == "done"
        assert not await harness.services.broadcasts.refresh(session, broadcast)
        # The next broadcast skips the citizen who blocked the bot.
        assert blocked.id not in await queries.active_subscriber_ids(session)


async def test_progress_edits_are_throttled(harness: DeskHarness) -> None:
    for citizen in CITIZENS[:3]:
        await command(harness, citizen, "/langganan")
    # Not drained: the rows stay pending, and the test moves them on by hand.
    await harness.feed(message_update(message(user=ADMIN, text="/siaran Info jalan ditutup")))
    broadcasts = harness.services.broadcasts
    async with harness.session_maker() as session:
        broadcast = (await session.exec(select(Broadcast))).one()
        rows = (
            await session.exec(select(Outbox).where(Outbox.broadcast_id == broadcast.id))
        ).all()
        # Pretend one row went out, then another a moment later.
        rows[0].status = OutboxStatus.SENT
        await session.flush()
        assert await broadcasts.refresh(session, broadcast)
        rows[1].status = OutboxStatus.SENT
        await session.flush()
        assert not await broadcasts.refresh(session, broadcast)  # within the interval
        harness.clock.advance(seconds=harness.settings.broadcast_progress_seconds)
        assert await broadcasts.refresh(session, broadcast)
        assert broadcast.sent == 2
        assert broadcast.state == "running"


def press(user: Any, action: PostAction, draft: int, category: str = "") -> Any:
    data = PostCallback(action=action, draft=draft, category=category).pack()
    return callback_update(user=user, data=data)


async def draft_of(harness: DeskHarness) -> PostDraft:
    async with harness.session_maker() as session:
        return (await session.exec(select(PostDraft).order_by(col(PostDraft.id).desc()))).first()  # type: ignore[return-value]


async def test_posting_without_approval_publishes_with_the_hashtag(harness: DeskHarness) -> None:
    calls = await command(harness, ADMIN, "/posting")
    keyboard = sent_to(calls, ADMIN_ID)[0].reply_markup
    labels = [row[0].text for row in keyboard.inline_keyboard[:3]]  # type: ignore[union-attr]
    assert labels[1] == "Isu aktual yang terjadi di Kabupaten Bone"
    draft = await draft_of(harness)
    assert draft.id is not None
    await harness.feed(press(ADMIN, PostAction.CATEGORY, draft.id, PostCategory.ISU.value))
    await harness.drain()
    # Forwarded content works like written content; the draft survives in the database.
    forwarded = message(user=ADMIN, text=None, caption="Banjir di Kec. Ajangale & sekitarnya")
    await harness.feed(message_update(forwarded))
    preview = sent_to(await harness.drain(), ADMIN_ID)[0]
    assert "#IsuAktualBone" in str(preview.text)
    assert "&amp;" in str(preview.text)
    assert (await draft_of(harness)).state == DraftState.PREVIEW
    await harness.feed(press(ADMIN, PostAction.PUBLISH, draft.id))
    calls = await harness.drain()
    post = sent_to(calls, CHANNEL_ID)
    assert len(post) == 1
    assert str(post[0].text).endswith(CATEGORY_HASHTAGS[PostCategory.ISU])
    async with harness.session_maker() as session:
        recorded = (await session.exec(select(ChannelPost))).one()
        assert recorded.category == PostCategory.ISU
    # A second press of an old button does nothing.
    await harness.feed(press(ADMIN, PostAction.PUBLISH, draft.id))
    again = await harness.drain()
    assert sent_to(again, CHANNEL_ID) == []
    assert "tidak aktif" in alerts(again)[0]


async def test_posting_with_approval_needs_an_official(harness_factory: Any) -> None:
    harness: DeskHarness = await harness_factory(post_approval_required=True)
    await command(harness, ADMIN, "/posting")
    draft = await draft_of(harness)
    assert draft.id is not None
    await harness.feed(press(ADMIN, PostAction.CATEGORY, draft.id, PostCategory.KEBIJAKAN.value))
    await harness.drain()
    await command(harness, ADMIN, "Pemutihan pajak kendaraan sampai 31 Desember")
    # The admin may not skip the approval by pressing a forged publish button.
    await harness.feed(press(ADMIN, PostAction.PUBLISH, draft.id))
    refused = await harness.drain()
    assert sent_to(refused, CHANNEL_ID) == []
    assert "hanya petugas" in alerts(refused)[0]
    await harness.feed(press(ADMIN, PostAction.SUBMIT, draft.id))
    calls = await harness.drain()
    request = sent_to(calls, OFFICIAL_ID)[0]
    assert "#KebijakanPemerintah" in str(request.text)
    # The author cannot approve their own post; the official can.
    await harness.feed(press(ADMIN, PostAction.APPROVE, draft.id))
    assert sent_to(await harness.drain(), CHANNEL_ID) == []
    await harness.feed(press(OFFICIAL, PostAction.APPROVE, draft.id))
    published = await harness.drain()
    assert len(sent_to(published, CHANNEL_ID)) == 1
    assert "diterbitkan" in str(sent_to(published, ADMIN_ID)[0].text)
    final = await draft_of(harness)
    assert final.state == DraftState.PUBLISHED
    async with harness.session_maker() as session:
        official = await queries.get_user(session, user_id=final.approver_id or 0)
        assert official is not None
        assert official.role == Role.OFFICIAL


async def test_official_rejects_a_post(harness_factory: Any) -> None:
    harness: DeskHarness = await harness_factory(post_approval_required=True)
    await command(harness, ADMIN, "/posting")
    draft = await draft_of(harness)
    assert draft.id is not None
    await harness.feed(press(ADMIN, PostAction.CATEGORY, draft.id, PostCategory.KEGIATAN.value))
    await command(harness, ADMIN, "Rapat koordinasi OPD")
    await harness.feed(press(ADMIN, PostAction.SUBMIT, draft.id))
    await harness.drain()
    await harness.feed(press(OFFICIAL, PostAction.REJECT, draft.id))
    calls = await harness.drain()
    assert sent_to(calls, CHANNEL_ID) == []
    assert "ditolak" in str(sent_to(calls, ADMIN_ID)[0].text)
    assert (await draft_of(harness)).state == DraftState.REJECTED


async def test_channel_posts_are_categorised_by_hashtag(harness: DeskHarness) -> None:
    post = bot_message(
        chat=Chat(id=CHANNEL_ID, type="channel", title="Kanal"),
        message_id=77,
        text="Bupati meresmikan pasar #kegiatanperangkatdaerah",
    )
    await harness.feed(Update(update_id=987654, channel_post=post))
    async with harness.session_maker() as session:
        recorded = (await session.exec(select(ChannelPost))).one()
        assert recorded.category == PostCategory.KEGIATAN

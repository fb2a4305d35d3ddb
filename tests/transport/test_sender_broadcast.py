"""Broadcast rows never starve acknowledgements, and stay within their share of the limit."""

from __future__ import annotations

import asyncio

from aiogram.methods import SendMessage

from bot.domain.enums import OutboxPurpose
from bot.domain.outbox import OutboxPayload
from bot.services.delivery import DeliveryRecorder
from bot.transport.sender import BULK_AT_GATE, OutboxSender, RateLimiter
from storage import queries
from storage.db import SessionMaker
from storage.models import Agency
from tests.fakes.clock import FakeClock
from tests.mocked_bot import MockedBot

BROADCAST_CHATS = list(range(10_001, 10_061))


async def _setup(session_maker: SessionMaker, clock: FakeClock) -> None:
    async with session_maker() as session:
        session.add(Agency(code="a", name="A"))
        await session.flush()
        await queries.enqueue_broadcast_rows(
            session,
            broadcast_id=1,
            chat_ids=BROADCAST_CHATS,
            params={"text": "siaran"},
            now=clock.now(),
        )
        await session.commit()


async def _ack(session_maker: SessionMaker, clock: FakeClock, chat_id: int) -> int:
    async with session_maker() as session:
        row = await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=chat_id,
            payload=OutboxPayload({"chat_id": chat_id, "text": "ack"}),
            now=clock.now(),
            purpose=OutboxPurpose.ACK,
        )
        await session.commit()
        assert row.id is not None
        return row.id


def _sender(session_maker: SessionMaker, clock: FakeClock, bot: MockedBot) -> OutboxSender:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    return OutboxSender(
        bot=bot,
        session_maker=session_maker,
        clock=clock,
        limiter=RateLimiter(),
        on_delivered=DeliveryRecorder(default_agency_id=1),
        monotonic=lambda: clock.now().timestamp(),
        sleep=sleep,
    )


async def test_claim_puts_acknowledgements_before_earlier_broadcast_rows(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    await _setup(session_maker, clock)
    # The second ack goes to a subscriber whose broadcast row was queued before it.
    first = await _ack(session_maker, clock, 555)
    second = await _ack(session_maker, clock, BROADCAST_CHATS[-1])
    async with session_maker() as session:
        due = await queries.due_outbox(session, now=clock.now(), limit=5, lock=False)
    assert [row.id for row in due[:2]] == [first, second]
    assert all(row.purpose == OutboxPurpose.BROADCAST for row in due[2:])
    bot = MockedBot()
    sender = _sender(session_maker, clock, bot)
    await sender.run_once()
    sent = [r.chat_id for r in bot.session.requests if isinstance(r, SendMessage)]
    # Both acknowledgements left first; the broadcast row for the same chat did not
    # hold its acknowledgement back, and at most BULK_AT_GATE broadcast rows were claimed.
    assert sent[:2] == [555, BROADCAST_CHATS[-1]]
    assert 0 < len(sent) - 2 <= BULK_AT_GATE


async def test_broadcast_share_leaves_room_for_other_rows() -> None:
    limiter = RateLimiter()
    now = 1000.0
    for n in range(limiter.per_bulk):
        now += limiter.min_spacing
        limiter.record(20_000 + n, now)
        limiter.record_bulk(now)
    now += limiter.min_spacing
    # The broadcast share of this window is used up; an acknowledgement may still leave.
    assert limiter.bulk_wait(now) > 0
    assert limiter.wait_time(555, now) == 0
    assert limiter.per_bulk < limiter.per_bot

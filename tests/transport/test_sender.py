"""The outbox sender: Telegram's limits, retry_after, order within a chat, faults."""

from __future__ import annotations

from sqlmodel import select

from bot.transport.sender import OutboxSender, RateLimiter
from storage import queries
from storage.db import SessionMaker
from storage.models import Agency, Outbox, OutboxStatus
from tests.fakes.clock import FakeClock
from tests.mocked_bot import MockedBot


def test_rate_limiter_windows() -> None:
    limiter = RateLimiter()
    for index in range(20):
        assert limiter.wait_time(-100, 0.0 + index * 0.01) == 0
        limiter.record(-100, 0.0 + index * 0.01)
    assert limiter.wait_time(-100, 1.0) > 58  # 20 per minute in a group
    limiter.record(5, 0.0)
    assert 0.9 < limiter.wait_time(5, 0.05) <= 1.0  # 1 per second in a private chat
    assert limiter.wait_time(5, 0.05, limited=False) == 0  # callback answers are not messages


async def _sender(session_maker: SessionMaker, clock: FakeClock, bot: MockedBot) -> OutboxSender:
    async with session_maker() as session:
        session.add(Agency(code="a", name="A"))
        await session.commit()
    return OutboxSender(
        bot=bot,
        session_maker=session_maker,
        clock=clock,
        limiter=RateLimiter(per_bot=1000, per_group_minute=1000, private_interval=0),
        default_agency_id=1,
        monotonic=lambda: clock.now().timestamp(),
    )


async def _enqueue(session_maker: SessionMaker, clock: FakeClock, chat_id: int, text: str) -> None:
    async with session_maker() as session:
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=chat_id,
            params={"chat_id": chat_id, "text": text},
            now=clock.now(),
            purpose="notice",
        )
        await session.commit()


async def test_retry_after_is_honoured_and_order_kept(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    await _enqueue(session_maker, clock, 7, "pertama")
    await _enqueue(session_maker, clock, 7, "kedua")
    bot.session.add_error(429, "Too Many Requests: retry after 5", retry_after=5)
    await sender.drain_once()
    await sender.drain_once()
    assert [getattr(r, "text", None) for r in bot.session.requests] == ["pertama"]
    clock.advance(seconds=6)
    for _ in range(3):
        await sender.drain_once()
    texts = [getattr(r, "text", None) for r in bot.session.requests]
    assert texts == ["pertama", "pertama", "kedua"]


async def test_server_errors_are_retried_and_bad_requests_recorded(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    await _enqueue(session_maker, clock, 8, "halo")
    await _enqueue(session_maker, clock, 9, "ditolak")
    bot.session.add_error(502, "Bad Gateway")
    bot.session.add_error(400, "Bad Request: chat not found")
    await sender.drain_once()
    clock.advance(seconds=2)
    await sender.drain_once()
    async with session_maker() as session:
        rows = {row.chat_id: row for row in (await session.exec(select(Outbox))).all()}
    assert rows[8].status == OutboxStatus.SENT and rows[8].attempts == 2
    assert rows[9].status == OutboxStatus.FAILED and "chat not found" in str(rows[9].last_error)

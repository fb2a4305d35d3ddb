"""The outbox sender: pacing, 429 pauses, per-row isolation, stuck rows, identical edits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from aiogram.exceptions import ClientDecodeError, TelegramEntityTooLarge
from aiogram.methods import SendMessage, TelegramMethod
from hypothesis import given, strategies as st
from sqlmodel import select

from bot.domain.enums import OutboxPurpose, OutboxStatus
from bot.domain.outbox import OutboxPayload
from bot.services.delivery import DeliveryRecorder
from bot.transport.sender import MAX_UNEXPECTED_ATTEMPTS, OutboxSender, RateLimiter
from storage import queries
from storage.db import SessionMaker
from storage.models import Agency, Outbox
from tests.conftest import unlimited_limiter
from tests.fakes.clock import FakeClock
from tests.mocked_bot import MockedBot, MockedSession

# ----------------------------------------------------------------------------- the limiter


def _max_in_window(times: Sequence[float], seconds: float) -> int:
    ordered = sorted(times)
    best = 0
    start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= seconds:
            start += 1
        best = max(best, end - start + 1)
    return best


def _simulate(
    limiter: RateLimiter,
    chats: Sequence[int],
    *,
    jitter: Sequence[float],
    oversleep: Sequence[float],
) -> dict[int, list[float]]:
    """A greedy sender: each message leaves as soon as the limiter allows (after a late
    wake-up of ``oversleep``) and arrives ``jitter`` later. Returns arrivals per chat."""
    now = 0.0
    arrivals: dict[int, list[float]] = {}
    for index, chat in enumerate(chats):
        while (wait := limiter.wait_time(chat, now)) > 0:
            now += wait + oversleep[index % len(oversleep)]
        limiter.record(chat, now)
        arrivals.setdefault(chat, []).append(now + jitter[index % len(jitter)])
    return arrivals


@given(
    chats=st.lists(
        st.one_of(st.integers(1, 40), st.sampled_from([-100, -200])), min_size=1, max_size=400
    ),
    jitter=st.lists(st.floats(0.0, 0.03), min_size=1, max_size=50),
    oversleep=st.lists(st.floats(0.0, 0.2), min_size=1, max_size=50),
)
def test_no_window_at_arrival_exceeds_telegrams_limits(
    chats: list[int], jitter: list[float], oversleep: list[float]
) -> None:
    arrivals = _simulate(RateLimiter(), chats, jitter=jitter, oversleep=oversleep)
    everything = [moment for times in arrivals.values() for moment in times]
    assert _max_in_window(everything, 1.0) <= 30
    for chat, times in arrivals.items():
        if chat > 0:
            assert _max_in_window(times, 1.0) <= 1
        else:
            assert _max_in_window(times, 60.0) <= 20


def test_the_headroom_is_what_keeps_the_limit() -> None:
    # The same sender with one-second windows and no spacing: 30 go at once, 30 more one
    # second later, and jitter of 30 ms puts 31 or more into one second at the server.
    naive = RateLimiter(bot_window=1.0, min_spacing=0.0)
    arrivals = _simulate(naive, list(range(1, 200)), jitter=[0.03, 0.0], oversleep=[0.0])
    everything = [moment for times in arrivals.values() for moment in times]
    assert _max_in_window(everything, 1.0) > 30


def test_a_burst_to_many_chats_goes_at_close_to_30_per_second() -> None:
    arrivals = _simulate(
        RateLimiter(), list(range(1, 1001)), jitter=[0.0], oversleep=[0.0, 0.002, 0.004]
    )
    times = sorted(moment for chat in arrivals.values() for moment in chat)
    assert (len(times) - 1) / (times[-1] - times[0]) >= 28.5


def test_private_and_group_windows_and_pause() -> None:
    limiter = RateLimiter()
    for index in range(20):
        now = index * 0.05
        assert limiter.chat_wait(-100, now) == 0
        limiter.record(-100, now)
    assert limiter.chat_wait(-100, 1.0) == pytest.approx(60.0)  # 20 in any 61 s per group
    limiter.record(5, 2.0)
    assert limiter.wait_time(5, 2.5) == pytest.approx(0.6)  # one per 1.1 s per private chat
    assert limiter.wait_time(6, 2.001) == pytest.approx(0.019)  # 20 ms between any two sends
    assert limiter.wait_time(5, 2.5, limited=False) == 0  # callback answers are not messages
    limiter.pause(10.0)
    assert limiter.wait_time(6, 4.0) == pytest.approx(6.0)
    assert limiter.wait_time(6, 4.0, limited=False) == pytest.approx(6.0)


# ----------------------------------------------------------------------------- the sender


class TimedSession(MockedSession):
    """Records the fake time of each request."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.times: list[float] = []

    async def make_request(
        self, bot: Any, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.times.append(self.clock.now().timestamp())
        return await super().make_request(bot, method, timeout)


async def _sender(
    session_maker: SessionMaker,
    clock: FakeClock,
    bot: MockedBot,
    limiter: RateLimiter | None = None,
) -> OutboxSender:
    async with session_maker() as session:
        session.add(Agency(code="a", name="A"))
        await session.commit()

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)  # let the requests in flight get their answers

    return OutboxSender(
        bot=bot,
        session_maker=session_maker,
        clock=clock,
        limiter=limiter or unlimited_limiter(),
        on_delivered=DeliveryRecorder(default_agency_id=1),
        monotonic=lambda: clock.now().timestamp(),
        sleep=sleep,
    )


async def _enqueue(
    session_maker: SessionMaker,
    clock: FakeClock,
    chat_id: int,
    text: str,
    *,
    method: str = "sendMessage",
    purpose: OutboxPurpose = OutboxPurpose.NOTICE,
    extra: dict[str, Any] | None = None,
) -> int:
    async with session_maker() as session:
        row = await queries.enqueue(
            session,
            method=method,
            chat_id=chat_id,
            payload=OutboxPayload({"chat_id": chat_id, "text": text, **(extra or {})}),
            now=clock.now(),
            purpose=purpose,
        )
        await session.commit()
        assert row.id is not None
        return row.id


async def _rows(session_maker: SessionMaker) -> dict[int, Outbox]:
    async with session_maker() as session:
        return {row.id or 0: row for row in (await session.exec(select(Outbox))).all()}


def _texts(bot: MockedBot) -> list[str | None]:
    return [getattr(request, "text", None) for request in bot.session.requests]


async def test_retry_after_is_honoured_and_order_kept(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    await _enqueue(session_maker, clock, 7, "pertama")
    await _enqueue(session_maker, clock, 7, "kedua")
    bot.session.add_error(429, "Too Many Requests: retry after 5", retry_after=5)
    await sender.run_once()
    await sender.run_once()
    assert _texts(bot) == ["pertama"]
    clock.advance(seconds=6)
    for _ in range(3):
        await sender.run_once()
    assert _texts(bot) == ["pertama", "pertama", "kedua"]


async def test_a_429_pauses_every_chat(session_maker: SessionMaker, clock: FakeClock) -> None:
    bot = MockedBot()
    bot.session = TimedSession(clock)
    spaced = RateLimiter(per_bot=10_000, private_window=0.0, group_window=0.0, min_spacing=0.02)
    sender = await _sender(session_maker, clock, bot, spaced)
    for chat in (1, 2, 3):
        await _enqueue(session_maker, clock, chat, f"untuk {chat}")
    bot.session.add_error(429, "Too Many Requests: retry after 4", retry_after=4)
    await sender.run_once()
    # The first answer was 429: the other chats waited the whole retry_after too.
    first, second, third = bot.session.times
    assert second - first >= 4.0
    assert third >= second
    assert _texts(bot) == ["untuk 1", "untuk 2", "untuk 3"]


async def test_each_send_is_stamped_as_it_leaves_even_when_the_loop_is_busy(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    # Work elsewhere in the process (the update worker, a report) holds the event loop for
    # 40 ms at a time. A stamp taken before the sending task gets to run would be earlier
    # than the request by that much, and late requests are what pack more than 30 sends
    # into one second at Telegram's end.
    bot = MockedBot()
    bot.session = TimedSession(clock)
    limiter = RateLimiter()
    stamps: list[float] = []
    record = limiter.record

    def stamp(chat_id: int, now: float, *, limited: bool = True) -> None:
        stamps.append(now)
        record(chat_id, now, limited=limited)

    limiter.record = stamp  # type: ignore[method-assign]
    sender = await _sender(session_maker, clock, bot, limiter)
    for chat in range(1, 41):
        await _enqueue(session_maker, clock, chat, f"untuk {chat}")
    busy = True

    async def hold_the_loop() -> None:
        while busy:
            clock.advance(seconds=0.04)
            await asyncio.sleep(0)

    hog = asyncio.create_task(hold_the_loop())
    try:
        for _ in range(5):
            await sender.run_once()
    finally:
        busy = False
        await hog
    assert len(bot.session.times) == 40
    assert (
        max(sent - stamped for sent, stamped in zip(bot.session.times, stamps, strict=True))
        < 0.001
    )


async def test_one_rows_exception_never_strands_the_batch(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    ids = [await _enqueue(session_maker, clock, chat, f"pesan {chat}") for chat in (1, 2, 3, 4)]
    html = "<html><head><title>502 Bad Gateway</title></head></html>"
    bot.session.add_exception(ClientDecodeError("Failed to decode object", ValueError(), html))
    bot.session.add_exception(RuntimeError("something nobody foresaw"))
    bot.session.add_exception(TelegramEntityTooLarge(SendMessage(chat_id=3, text="x"), "big"))
    await sender.run_once()
    rows = await _rows(session_maker)
    assert rows[ids[0]].status == OutboxStatus.PENDING  # the HTML page: transient
    assert "ClientDecodeError" in str(rows[ids[0]].last_error)
    assert "<html>" not in str(rows[ids[0]].last_error)
    assert rows[ids[1]].status == OutboxStatus.PENDING  # unforeseen: retried with backoff
    assert rows[ids[2]].status == OutboxStatus.FAILED  # permanent, with its reason
    assert rows[ids[2]].last_error == "big"
    assert rows[ids[3]].status == OutboxStatus.SENT  # the rest of the batch is stored
    assert all(row.status != OutboxStatus.SENDING for row in rows.values())
    clock.advance(seconds=1)
    await sender.run_once()
    rows = await _rows(session_maker)
    assert rows[ids[0]].status == rows[ids[1]].status == OutboxStatus.SENT


async def test_an_error_nobody_foresaw_fails_the_row_after_a_few_tries(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    row_id = await _enqueue(session_maker, clock, 9, "halo")
    for _ in range(MAX_UNEXPECTED_ATTEMPTS):
        bot.session.add_exception(TypeError("unexpected type"))
    for _ in range(MAX_UNEXPECTED_ATTEMPTS):
        await sender.run_once()
        clock.advance(seconds=120)
    row = (await _rows(session_maker))[row_id]
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == MAX_UNEXPECTED_ATTEMPTS
    assert "TypeError: unexpected type" in str(row.last_error)


async def test_server_errors_are_retried_and_bad_requests_recorded(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    await _enqueue(session_maker, clock, 8, "halo")
    await _enqueue(session_maker, clock, 9, "ditolak")
    bot.session.add_error(502, "Bad Gateway")
    bot.session.add_error(400, "Bad Request: chat not found")
    await sender.run_once()
    clock.advance(seconds=2)
    await sender.run_once()
    rows = {row.chat_id: row for row in (await _rows(session_maker)).values()}
    assert rows[8].status == OutboxStatus.SENT
    assert rows[8].attempts == 2
    assert rows[9].status == OutboxStatus.FAILED
    assert "chat not found" in str(rows[9].last_error)


@pytest.mark.parametrize(
    "purpose",
    [OutboxPurpose.ACK, OutboxPurpose.ANSWER, OutboxPurpose.CARD, OutboxPurpose.NOTICE],
)
async def test_the_running_process_resends_rows_stuck_in_sending(
    session_maker: SessionMaker, clock: FakeClock, purpose: OutboxPurpose
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    stuck = await _enqueue(session_maker, clock, 11, "terputus", purpose=purpose)
    recent = await _enqueue(session_maker, clock, 12, "masih dikirim", purpose=purpose)
    async with session_maker() as session:
        for row_id, age in ((stuck, sender.stuck_after + 1), (recent, 5)):
            row = await session.get(Outbox, row_id)
            assert row is not None
            row.status = OutboxStatus.SENDING
            row.due_at = clock.now() - timedelta(seconds=age)
        await session.commit()
    await sender.run_once()  # not a start: the periodic sweep of the running sender
    rows = await _rows(session_maker)
    assert rows[stuck].status == OutboxStatus.SENT  # at least once, whatever the purpose
    assert rows[recent].status == OutboxStatus.SENDING
    assert _texts(bot) == ["terputus"]


async def test_an_edit_identical_to_the_card_is_not_sent(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    bot = MockedBot()
    sender = await _sender(session_maker, clock, bot)
    keyboard = {"inline_keyboard": [[{"text": "Kirim", "callback_data": "k:1"}]]}
    await _enqueue(
        session_maker,
        clock,
        -100,
        "<b>Tiket #1</b>",
        purpose=OutboxPurpose.CARD,
        extra={"parse_mode": "HTML", "reply_markup": keyboard},
    )
    await sender.run_once()
    # The mocked session numbers messages from 501.
    edit = {"parse_mode": "HTML", "message_id": 501, "reply_markup": keyboard}
    same = await _enqueue(
        session_maker, clock, -100, "<b>Tiket #1</b>", method="editMessageText", extra=edit
    )
    await sender.run_once()
    changed = await _enqueue(
        session_maker,
        clock,
        -100,
        "<b>Tiket #1</b> dijawab",
        method="editMessageText",
        extra={**edit, "reply_markup": None},
    )
    await sender.run_once()
    markup_only = await _enqueue(
        session_maker,
        clock,
        -100,
        "",
        method="editMessageReplyMarkup",
        extra={"message_id": 501},
    )
    await sender.run_once()
    rows = await _rows(session_maker)
    assert rows[same].status == OutboxStatus.SKIPPED
    assert rows[changed].status == OutboxStatus.SENT
    # The card has no keyboard any more: removing it again would change nothing.
    assert rows[markup_only].status == OutboxStatus.SKIPPED
    assert [type(r).__name__ for r in bot.session.requests] == ["SendMessage", "EditMessageText"]
    payload = json.loads(rows[changed].payload)
    assert payload["text"] == "<b>Tiket #1</b> dijawab"

"""Prometheus metrics: tickets in and answered, Bot API outcomes, gauges; no token or PII."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiohttp import web
from sqlmodel import select

from bot import metrics
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.metrics import REGISTRY, build_metrics_app, install_request_metrics
from storage.db import SessionMaker
from storage.models import Ticket
from tests.conftest import DeskHarness
from tests.factories import message, message_update, tg_user
from tests.fakes.clock import FakeClock

TOKEN = "123456:METRICS-TOKEN-abcdefghijklmnopqrstuvwxyz"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(rate_limits=False) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    result = Bot(token=TOKEN, session=session)
    install_request_metrics(result)
    install_request_metrics(result)  # idempotent: still counted once
    yield result
    await session.close()


async def test_bot_api_outcomes_are_counted(fake: FakeTelegram, bot: Bot) -> None:
    user = make_user(7301, "Siti Aminah")
    fake.open_private(user)
    ok = sample("bot_telegram_requests_total", method="sendMessage", outcome="ok")
    bad = sample("bot_telegram_requests_total", method="sendMessage", outcome="bad_request")
    limited = sample("bot_telegram_429_total")
    errors = sample("bot_send_errors_total", kind="rate_limited")
    await bot.send_message(user.id, "halo")
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(user.id, "<b>tidak ditutup", parse_mode="HTML")
    fake.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(user.id, "lagi")
    assert sample("bot_telegram_requests_total", method="sendMessage", outcome="ok") == ok + 1
    assert (
        sample("bot_telegram_requests_total", method="sendMessage", outcome="bad_request")
        == bad + 1
    )
    assert sample("bot_telegram_429_total") == limited + 1
    assert sample("bot_send_errors_total", kind="rate_limited") == errors + 1


async def test_tickets_opened_and_answered_count_on_commit(
    harness: DeskHarness, session_maker: SessionMaker, clock: FakeClock
) -> None:
    metrics.install_ticket_metrics()
    opened = sample("bot_tickets_opened_total", kind="pertanyaan")
    answered = sample("bot_tickets_answered_total", kind="pertanyaan")
    in_30 = sample("bot_response_working_minutes_bucket", kind="pertanyaan", le="30.0")
    citizen = tg_user(7302, "Budi")
    await harness.feed(message_update(message(user=citizen, text="kapan kantor buka?")))
    assert sample("bot_tickets_opened_total", kind="pertanyaan") == opened + 1
    async with session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        ticket.response_working_seconds = 25 * 60
        await session.rollback()  # not committed: not counted
    assert sample("bot_tickets_answered_total", kind="pertanyaan") == answered
    async with session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
        ticket.response_working_seconds = 25 * 60
        session.add(ticket)
        await session.commit()
    assert sample("bot_tickets_answered_total", kind="pertanyaan") == answered + 1
    assert sample("bot_response_working_minutes_bucket", kind="pertanyaan", le="30.0") == in_30 + 1


async def test_metrics_endpoint_has_no_token_or_personal_data(
    fake: FakeTelegram, bot: Bot, harness: DeskHarness, session_maker: SessionMaker, clock: Any
) -> None:
    metrics.install_ticket_metrics()
    citizen = tg_user(7303, "Rahmawati Daeng")
    await harness.feed(
        message_update(message(user=citizen, text="NIK saya 7308123456789012, hp 081234567890"))
    )
    await harness.drain()
    user = make_user(7303, "Rahmawati Daeng")
    fake.open_private(user)
    await bot.send_message(user.id, "jawaban")
    runner = web.AppRunner(build_metrics_app(session_maker, clock))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert response.status == 200
                text = await response.text()
            async with client.get(f"http://127.0.0.1:{port}/health") as response:
                assert response.status == 200
    finally:
        await runner.cleanup()
    assert 'bot_outbox_depth{status="sent"}' in text
    assert "bot_inbox_backlog" in text
    assert "bot_database_up 1.0" in text
    for secret in (TOKEN, TOKEN.split(":")[1], "7303", "Rahmawati", "7308123456789012", "0812"):
        assert secret not in text

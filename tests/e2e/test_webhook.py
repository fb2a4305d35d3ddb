"""Webhook mode: the real application serves Telegram's webhook; the fake Bot API posts."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest
from sqlmodel import col, func, select

from bot.devtools.telegram_api import FakeTelegram, make_user
from storage.models import InboxUpdate
from tests.factories import ADMIN_GROUP_ID

pytestmark = pytest.mark.e2e

CITIZEN = make_user(7101, "Andi Webhook")
SECRET = "s3cret-Token_for-webhook"
PUBLIC_URL = "https://bot.bone.test/tg/hook"


async def start_webhook_bot(start_bot: Any) -> tuple[Any, str]:
    bot = await start_bot(
        webhook_mode=True,
        webhook_url=PUBLIC_URL,
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
        webhook_port=0,
    )
    for _ in range(200):
        intake = bot.app.intake
        if intake is not None and getattr(intake, "port", None):
            return bot, f"http://127.0.0.1:{intake.port}/tg/hook"
        await asyncio.sleep(0.05)
    raise AssertionError("the webhook server did not start")


async def inbox_count(bot: Any) -> int:
    async with bot.app.session_maker() as session:
        return int((await session.exec(select(func.count()).select_from(InboxUpdate))).one())


async def test_webhook_registered_and_citizen_acknowledged(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot, local = await start_webhook_bot(start_bot)
    await fake.wait_for(lambda: fake.webhook_url == PUBLIC_URL)
    set_webhook = fake.calls("setWebhook")[-1]
    assert set_webhook["secret_token"] == SECRET
    assert not fake.calls("getUpdates")
    fake.start_webhook_delivery([local])
    fake.user_sends_text(CITIZEN, CITIZEN.id, "kapan kantor dukcapil buka?")
    ack = await fake.wait_for_message(CITIZEN.id, "#1")
    assert "nomor tiket" in str(ack["plain_text"])
    await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #")
    assert [d["status"] for d in fake.webhook_deliveries] == [200]
    async with bot.app.session_maker() as session:
        processed = (
            await session.exec(
                select(InboxUpdate).where(col(InboxUpdate.processed_at).is_not(None))
            )
        ).all()
    assert len(processed) == 1


async def test_requests_without_the_secret_are_refused_and_logged(
    fake: FakeTelegram, start_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    bot, local = await start_webhook_bot(start_bot)
    update = {
        "update_id": 900,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": CITIZEN.id, "type": "private", "first_name": "Andi"},
            "from": {"id": CITIZEN.id, "is_bot": False, "first_name": "Andi"},
            "text": "palsu",
        },
    }
    caplog.set_level(logging.WARNING, logger="bot.transport.webhook")
    async with aiohttp.ClientSession() as client:
        async with client.post(local, json=update) as missing:
            assert missing.status == 401
        headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret"}
        async with client.post(local, json=update, headers=headers) as wrong:
            assert wrong.status == 401
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with client.post(local, json={"no": "update"}, headers=headers) as bad:
            assert bad.status == 400
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2
    assert all(SECRET not in text and "wrong-secret" not in text for text in refusals)
    assert await inbox_count(bot) == 0


async def test_update_is_in_the_inbox_when_200_is_answered(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot, local = await start_webhook_bot(start_bot)
    # The update worker is stopped, so only the webhook handler can have written the row.
    bot.app._stoppers[1]()
    update = fake.user_sends_text(CITIZEN, CITIZEN.id, "halo")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with (
        aiohttp.ClientSession() as client,
        client.post(local, json=update, headers=headers) as response,
    ):
        assert response.status == 200
        stored = await inbox_count(bot)
    assert stored == 1


async def test_inbox_unwritable_means_503_and_telegram_retries(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot, local = await start_webhook_bot(start_bot)
    async with bot.app.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE inbox_update RENAME TO inbox_away")
    fake.start_webhook_delivery([local])
    fake.user_sends_text(CITIZEN, CITIZEN.id, "pertanyaan saat disk bermasalah")
    await fake.wait_for(lambda: len(fake.webhook_deliveries) >= 2)
    assert {d["status"] for d in fake.webhook_deliveries} == {503}
    async with bot.app.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE inbox_away RENAME TO inbox_update")
    await fake.wait_for_message(CITIZEN.id, "#1")
    assert fake.webhook_deliveries[-1]["status"] == 200


async def test_wrong_secret_from_telegram_side_is_retried_until_accepted(
    fake: FakeTelegram, start_bot: Any
) -> None:
    """A misconfigured proxy (wrong header) loses nothing: Telegram keeps the update."""
    _bot, local = await start_webhook_bot(start_bot)
    fake.start_webhook_delivery([local], secret="not-the-secret")
    fake.user_sends_text(CITIZEN, CITIZEN.id, "pertanyaan tertahan")
    await fake.wait_for(lambda: len(fake.webhook_deliveries) >= 2)
    assert {d["status"] for d in fake.webhook_deliveries} == {401}
    await fake.stop_webhook_delivery()
    fake.start_webhook_delivery([local])
    await fake.wait_for_message(CITIZEN.id, "#1")


async def test_health_on_the_webhook_port(fake: FakeTelegram, start_bot: Any) -> None:
    _bot, local = await start_webhook_bot(start_bot)
    health_url = local.replace("/tg/hook", "/health")
    async with aiohttp.ClientSession() as client, client.get(health_url) as response:
        assert response.status == 200
        body = await response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert body["inbox_backlog"] == 0

"""End-to-end fixtures: the real application over HTTP against the fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Application, build_application
from bot.devtools.telegram_api import FakeTelegram
from bot.services.knowledge import KnowledgeService
from storage.migrate import upgrade_database_async
from tests.conftest import make_settings
from tests.factories import ADMIN_GROUP_ID, CHANNEL_ID, DISCUSSION_GROUP_ID

TOKEN = "123456:E2E-TOKEN-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(wait_timeout=20.0) as server:
        server.create_group(ADMIN_GROUP_ID, "Admin Layanan Info Bone")
        server.create_channel(CHANNEL_ID, "Info Pemkab Bone")
        server.create_group(DISCUSSION_GROUP_ID, "Diskusi Info Bone")
        server.link_discussion(CHANNEL_ID, DISCUSSION_GROUP_ID)
        yield server


class RunningBot:
    def __init__(self, app: Application, task: asyncio.Task[None]) -> None:
        self.app = app
        self.task = task

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task
        await self.app.close()


@pytest.fixture
async def start_bot(
    fake: FakeTelegram, tmp_path: Path, knowledge: KnowledgeService
) -> AsyncIterator[Any]:
    running: list[RunningBot] = []
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    await upgrade_database_async(database_url)

    async def start(**overrides: Any) -> RunningBot:
        settings = make_settings(
            database_url, telegram_api_base=fake.base_url, bot_token=TOKEN, **overrides
        )
        app = await build_application(settings, suggester=knowledge)
        task = asyncio.create_task(app.run())
        bot = RunningBot(app, task)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        await bot.stop()

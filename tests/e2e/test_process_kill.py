"""`kill -9` of the real bot process, then a restart: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.devtools.telegram_api import FakeTelegram, make_user
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E-TOKEN-abcdefghijklmnopqrstuvwxyz"

pytestmark = pytest.mark.e2e


async def start_process(fake: FakeTelegram, database: Path) -> asyncio.subprocess.Process:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "ADMIN_", "OFFICIAL_"))
    }
    env.update(
        {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "ADMIN_CHAT_ID": str(ADMIN_GROUP_ID),
            "ADMIN_IDS": str(ADMIN_ID),
            "LOG_LEVEL": "WARNING",
        }
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def acks_for(fake: FakeTelegram, user_id: int) -> list[str]:
    texts = [str(m["plain_text"]) for m in fake.sent_messages(user_id)]
    return [text for text in texts if "nomor tiket" in text]


def sending_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(
            connection.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").fetchone()[
                0
            ]
        )


async def test_kill_9_while_an_acknowledgement_is_in_flight(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "inflight.db"
    citizen = make_user(8100, "Warga Terputus")
    # Telegram holds the acknowledgement unanswered and never carries it out.
    fake.hang_next("sendMessage")
    process = await start_process(fake, database)
    try:
        fake.user_sends_text(citizen, citizen.id, "kapan kantor buka?")
        await fake.wait_for_request("sendMessage", timeout=30)
        await fake.wait_for(lambda: sending_rows(database) > 0, timeout=10)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        assert acks_for(fake, citizen.id) == []
        process = await start_process(fake, database)
        # The outcome was unknown: it is sent again, so the citizen is acknowledged.
        await fake.wait_for(lambda: acks_for(fake, citizen.id), timeout=30)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=20)
    assert len(acks_for(fake, citizen.id)) == 1


async def test_kill_9_and_restart(fake: FakeTelegram, tmp_path: Path) -> None:
    database = tmp_path / "kill.db"
    citizens = [make_user(8000 + index, f"Warga {index}") for index in range(12)]
    process = await start_process(fake, database)
    try:
        for citizen in citizens[:4]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens[:4]), timeout=30)
        # A burst, killed while it is being processed.
        for citizen in citizens[4:8]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await asyncio.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        in_flight_at_kill = sending_rows(database)
        # Messages sent while the bot is dead.
        for citizen in citizens[8:]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        process = await start_process(fake, database)
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens), timeout=30)
        await asyncio.sleep(1.0)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=20)
    # At least once: only a send in flight at the kill may arrive twice.
    duplicates = sum(len(acks_for(fake, citizen.id)) - 1 for citizen in citizens)
    assert all(acks_for(fake, citizen.id) for citizen in citizens), fake.dump()
    assert duplicates <= in_flight_at_kill, fake.dump()
    with sqlite3.connect(database) as connection:
        tickets = connection.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
        unprocessed = connection.execute(
            "SELECT COUNT(*) FROM inbox_update WHERE processed_at IS NULL"
        ).fetchone()[0]
        inbound = connection.execute(
            "SELECT COUNT(*) FROM message WHERE direction = 'in'"
        ).fetchone()[0]
    assert tickets == len(citizens)
    assert unprocessed == 0
    assert inbound == len(citizens)

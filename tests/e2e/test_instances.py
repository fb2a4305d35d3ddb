"""Two real bot processes behind one webhook address, sharing PostgreSQL.

Together they lose no update and send no answer twice; one of them, the holder of the
``sender`` lease, sends, so Telegram's limits hold for the bot as a whole. When that
process is killed, the other takes the lease over and nothing is lost.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from bot.devtools.telegram_api import FakeTelegram, make_user
from storage.db import normalize_database_url
from storage.migrate import upgrade_database_async
from tests.conftest import POSTGRES_URL
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E-TOKEN-abcdefghijklmnopqrstuvwxyz"
SECRET = "two-instances-secret"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(POSTGRES_URL is None, reason="needs TEST_POSTGRES_URL"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def scalar(url: str, sql: str) -> object:
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.connect() as connection:
            return (await connection.execute(sa.text(sql))).scalar()
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres_url() -> str:
    assert POSTGRES_URL is not None
    engine = create_async_engine(normalize_database_url(POSTGRES_URL))
    async with engine.begin() as connection:
        await connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        await connection.execute(sa.text("CREATE SCHEMA public"))
    await engine.dispose()
    await upgrade_database_async(POSTGRES_URL)
    return POSTGRES_URL


async def start_instance(
    fake: FakeTelegram, database_url: str, port: int, log_dir: Path
) -> asyncio.subprocess.Process:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("BOT_", "TELEGRAM_", "DATABASE_", "ADMIN_", "OFFICIAL_", "WEBHOOK_", "METRICS_")
        )
    }
    env.update(
        {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": database_url,
            "ADMIN_CHAT_ID": str(ADMIN_GROUP_ID),
            "ADMIN_IDS": str(ADMIN_ID),
            "LOG_LEVEL": "WARNING",
            "WEBHOOK_URL": "https://bot.bone.test/tg/hook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
    )
    log = log_dir / f"instance-{port}.log"
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


async def wait_listening(port: int, log_dir: Path, timeout: float = 90.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        writer.close()
        await writer.wait_closed()
        return
    log = log_dir / f"instance-{port}.log"
    raise AssertionError(f"nothing listens on {port}: {log.read_text(errors='replace')}")


def acks_for(fake: FakeTelegram, user_id: int) -> list[str]:
    texts = [str(m["plain_text"]) for m in fake.sent_messages(user_id)]
    return [text for text in texts if "nomor tiket" in text]


async def stop_all(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        if process.returncode is None:
            await asyncio.wait_for(process.wait(), timeout=30)


async def start_pair(
    fake: FakeTelegram, url: str, log_dir: Path
) -> tuple[list[asyncio.subprocess.Process], list[int]]:
    ports = [free_port(), free_port()]
    processes = [await start_instance(fake, url, port, log_dir) for port in ports]
    for port in ports:
        await wait_listening(port, log_dir)
    fake.start_webhook_delivery([f"http://127.0.0.1:{port}/tg/hook" for port in ports])
    return processes, ports


async def test_two_instances_lose_nothing_and_answer_once(
    fake: FakeTelegram, postgres_url: str, tmp_path: Path
) -> None:
    citizens = [make_user(8200 + index, f"Warga {index}") for index in range(40)]
    processes, _ports = await start_pair(fake, postgres_url, tmp_path)
    try:
        for citizen in citizens:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens), timeout=90)
        await asyncio.sleep(2.0)  # a second answer, if any, would arrive by now
        holder = str(await scalar(postgres_url, "SELECT holder FROM lease WHERE name='sender'"))
    finally:
        await stop_all(processes)
    assert [len(acks_for(fake, c.id)) for c in citizens] == [1] * len(citizens), fake.dump()
    # Both instances received updates from the address they share.
    assert {d["target"] for d in fake.webhook_deliveries if d["status"] == 200} == {0, 1}
    assert int(holder.split(":")[1]) in {p.pid for p in processes}
    assert fake.flood_breaches == []
    assert fake.flood_violations == []
    assert [e for e in fake.error_answers if e["status"] == 400] == []
    assert await scalar(postgres_url, "SELECT COUNT(*) FROM ticket") == len(citizens)
    assert (
        await scalar(postgres_url, "SELECT COUNT(*) FROM inbox_update WHERE processed_at IS NULL")
        == 0
    )
    assert await scalar(
        postgres_url, "SELECT COUNT(*) FROM message WHERE direction = 'in'"
    ) == len(citizens)


async def test_killing_the_sending_instance_hands_over(
    fake: FakeTelegram, postgres_url: str, tmp_path: Path
) -> None:
    citizens = [make_user(8300 + index, f"Warga {index}") for index in range(20)]
    processes, _ports = await start_pair(fake, postgres_url, tmp_path)
    try:
        for citizen in citizens[:10]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens[:10]), timeout=60)
        holder = str(await scalar(postgres_url, "SELECT holder FROM lease WHERE name='sender'"))
        sender_pid = int(holder.split(":")[1])
        victim = next(p for p in processes if p.pid == sender_pid)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        in_flight = int(
            str(await scalar(postgres_url, "SELECT COUNT(*) FROM outbox WHERE status='sending'"))
        )
        for citizen in citizens[10:]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        # The survivor takes the lease after its TTL (15 s) and sends what waits.
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens), timeout=90)
        await asyncio.sleep(2.0)
        new_holder = str(
            await scalar(postgres_url, "SELECT holder FROM lease WHERE name='sender'")
        )
    finally:
        await stop_all(processes)
    assert int(new_holder.split(":")[1]) != sender_pid
    duplicates = sum(len(acks_for(fake, c.id)) - 1 for c in citizens)
    assert duplicates <= in_flight, fake.dump()
    assert await scalar(postgres_url, "SELECT COUNT(*) FROM ticket") == len(citizens)
    assert (
        await scalar(postgres_url, "SELECT COUNT(*) FROM inbox_update WHERE processed_at IS NULL")
        == 0
    )

"""PostgreSQL stopped and started under load: the bot process reconnects, nothing is lost.

A private PostgreSQL instance (initdb in a temporary folder, its own port) serves a real
``python -m bot run`` process; citizens keep writing while the server is stopped, then it is
started again. Every citizen is acknowledged, once, and every update is processed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from bot.devtools.telegram_api import FakeTelegram, make_user
from storage.migrate import upgrade_database_async
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E-TOKEN-abcdefghijklmnopqrstuvwxyz"
PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_BINS, reason="needs PostgreSQL server binaries"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    def __init__(self, folder: Path, port: int) -> None:
        self.bin = PG_BINS[-1]
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres"
        # initdb and the server refuse to run as root.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.prefix:
            shutil.chown(self.folder, user="postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        log = str(self.folder / "server.log")
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    folder = Path("/tmp") / f"bone-pg-{os.getpid()}-{free_port()}"
    server = PrivatePostgres(folder, free_port())
    server.init()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def scalar(url: str, sql: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(sa.text(sql))).scalar_one())
    finally:
        await engine.dispose()


def acks_for(fake: FakeTelegram, user_id: int) -> list[str]:
    texts = [str(m["plain_text"]) for m in fake.sent_messages(user_id)]
    return [text for text in texts if "nomor tiket" in text]


async def test_postgres_restart_under_load(
    fake: FakeTelegram, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    await upgrade_database_async(private_postgres.url)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "ADMIN_", "WEBHOOK_"))
    }
    env.update(
        {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": private_postgres.url,
            "ADMIN_CHAT_ID": str(ADMIN_GROUP_ID),
            "ADMIN_IDS": str(ADMIN_ID),
            "LOG_LEVEL": "WARNING",
        }
    )
    log = tmp_path / "bot.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    citizens = [make_user(8400 + index, f"Warga {index}") for index in range(24)]
    try:
        for citizen in citizens[:8]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens[:8]), timeout=90)
        # Under load: a burst is on its way when the database goes away.
        for citizen in citizens[8:16]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await asyncio.sleep(0.2)
        await asyncio.to_thread(private_postgres.stop)
        for citizen in citizens[16:]:
            fake.user_sends_text(citizen, citizen.id, f"pertanyaan dari {citizen.id}")
        await asyncio.sleep(3.0)
        assert process.returncode is None, log.read_text()
        await asyncio.to_thread(private_postgres.start)
        await fake.wait_for(lambda: all(acks_for(fake, c.id) for c in citizens), timeout=120)
        await asyncio.sleep(2.0)
        assert process.returncode is None, log.read_text()
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
    url = private_postgres.url
    assert await scalar(url, "SELECT COUNT(*) FROM ticket") == len(citizens)
    assert await scalar(url, "SELECT COUNT(*) FROM inbox_update WHERE processed_at IS NULL") == 0
    assert await scalar(url, "SELECT COUNT(*) FROM inbox_update WHERE last_error IS NOT NULL") == 0
    # A send whose answer was lost with the connection may go twice (at least once).
    in_doubt = await scalar(url, "SELECT COUNT(*) FROM outbox WHERE attempts > 1")
    duplicates = sum(len(acks_for(fake, c.id)) - 1 for c in citizens)
    assert duplicates <= in_doubt, fake.dump()

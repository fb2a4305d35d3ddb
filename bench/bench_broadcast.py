"""Benchmark dissemination: one /siaran to 10,000 subscribers while citizens keep asking.

Run: ``.venv/bin/python bench/bench_broadcast.py`` (about seven minutes; ``--subscribers``
for a shorter run). The real application (long polling, dispatcher, outbox sender, the
broadcast progress watcher) runs against the fake Bot API over HTTP on loopback, the fake
in a process of its own (as in bench_delivery.py), where Telegram's limits are measured at
arrival. 1 % of the subscribers blocked the bot (403). During the broadcast a new citizen
question arrives every second.

Printed: broadcast messages per second (first to last arrival; goal >= 27), 429s the bot
provoked (goal 0), time from each new question to its acknowledgement (goal: within
seconds), the subscribers marked blocked, and the progress card's edits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from bot.app import Application, build_application
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.services.knowledge import KnowledgeService
from bot.services.outreach import watch_broadcasts
from storage.migrate import upgrade_database_async
from storage.models import Broadcast, Subscriber
from tests.conftest import TEST_KB, make_settings
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
FIRST_SUBSCRIBER = 700_000
FIRST_ASKER = 900_000
ACK_MARKER = "nomor tiket"
BROADCAST_MARKER = "Informasi Pemerintah Kabupaten Bone"
BLOCKED_SHARE = 100  # one subscriber in a hundred blocked the bot


@dataclass
class FakeStatus:
    delivered: int = 0
    first_at: float | None = None
    last_at: float | None = None
    ack_latencies: list[float] = field(default_factory=list)
    asked: int = 0
    progress_edits: int = 0
    flood_kinds: dict[str, int] = field(default_factory=dict)
    forbidden: int = 0


class _Watcher:
    """Stamps broadcast messages and acknowledgements as the fake stores them."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.seen = 0
        self.status = FakeStatus()
        self.asked_at: dict[int, float] = {}
        self.acked: set[int] = set()

    async def run(self) -> None:
        while True:
            self.scan()
            await asyncio.sleep(0.01)

    def scan(self) -> None:
        sent = self.fake._bot_sent_order  # a benchmark's view of the fake
        now = time.monotonic()
        for stored in sent[self.seen :]:
            text = stored.plain_text or ""
            if BROADCAST_MARKER in text and stored.chat_id >= FIRST_SUBSCRIBER:
                self.status.delivered += 1
                self.status.first_at = self.status.first_at or now
                self.status.last_at = now
            elif (
                ACK_MARKER in text
                and stored.chat_id in self.asked_at
                and stored.chat_id not in self.acked
            ):
                self.acked.add(stored.chat_id)
                self.status.ack_latencies.append(now - self.asked_at[stored.chat_id])
        self.seen = len(sent)


def _fake_process(conn: Connection, subscribers: int) -> None:
    asyncio.run(_serve_fake(conn, subscribers))


async def _serve_fake(conn: Connection, subscribers: int) -> None:
    loop = asyncio.get_running_loop()
    async with FakeTelegram(wait_timeout=120.0) as fake:
        fake.create_group(ADMIN_GROUP_ID, "Admin Layanan Info Bone")
        for index in range(subscribers):
            user = make_user(FIRST_SUBSCRIBER + index, f"Pelanggan {index}")
            fake.open_private(user)
            if index % BLOCKED_SHARE == 0:
                fake.block_bot(user.id)
        watcher = _Watcher(fake)
        watch = asyncio.create_task(watcher.run())
        conn.send(fake.base_url)
        while True:
            command: tuple[Any, ...] = await loop.run_in_executor(None, conn.recv)
            if command[0] == "siaran":
                admin = make_user(ADMIN_ID, "Petugas")
                fake.user_sends_text(admin, ADMIN_ID, "/siaran Jadwal vaksinasi gratis besok")
                conn.send(None)
            elif command[0] == "ask":
                user = make_user(FIRST_ASKER + watcher.status.asked, "Warga")
                watcher.asked_at[user.id] = time.monotonic()
                watcher.status.asked += 1
                fake.user_sends_text(user, user.id, "bagaimana cara mengurus KTP?")
                conn.send(None)
            elif command[0] == "status":
                watcher.scan()
                status = watcher.status
                status.flood_kinds = dict(Counter(e["kind"] for e in fake.flood_events))
                status.forbidden = sum(1 for e in fake.error_answers if e["status"] == 403)
                status.progress_edits = sum(
                    1 for call in fake.calls("editMessageText") if call.get("chat_id") == ADMIN_ID
                )
                conn.send(status)
            else:
                break
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
    conn.send(None)


async def _ask(conn: Connection, *command: Any) -> Any:
    loop = asyncio.get_running_loop()
    conn.send(command)
    return await loop.run_in_executor(None, conn.recv)


async def _add_subscribers(app: Application, count: int) -> None:
    async with app.session_maker() as session:
        for index in range(count):
            session.add(Subscriber(telegram_id=FIRST_SUBSCRIBER + index))
        await session.commit()


async def _finished(app: Application) -> tuple[bool, int]:
    async with app.session_maker() as session:
        broadcast = (await session.exec(select(Broadcast))).first()
        blocked = (
            await session.exec(select(Subscriber).where(Subscriber.blocked_at.is_not(None)))  # type: ignore[union-attr]
        ).all()
        return broadcast is not None and broadcast.state == "done", len(blocked)


async def run(subscribers: int, knowledge: KnowledgeService) -> str:
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_fake_process, args=(theirs, subscribers), daemon=True)
    process.start()
    try:
        base_url = await asyncio.get_running_loop().run_in_executor(None, ours.recv)
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await upgrade_database_async(database_url)
            settings = make_settings(database_url, telegram_api_base=base_url, bot_token=TOKEN)
            app = await build_application(settings, suggester=knowledge)
            await _add_subscribers(app, subscribers)
            broadcasts = app.services.broadcasts
            app.background.append(lambda runtime: watch_broadcasts(runtime, broadcasts, every=1.0))
            task = asyncio.create_task(app.run())
            started = time.monotonic()
            await _ask(ours, "siaran")
            done, blocked = False, 0
            while not done:
                await asyncio.sleep(1.0)
                await _ask(ours, "ask")
                done, blocked = await _finished(app)
            elapsed = time.monotonic() - started
            await asyncio.sleep(5.0)  # the last acknowledgements and the final card edit
            status: FakeStatus = await _ask(ours, "status")
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.close()
        await _ask(ours, "stop")
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    assert status.first_at is not None
    assert status.last_at is not None
    rate = (status.delivered - 1) / max(status.last_at - status.first_at, 1e-9)
    provoked = {kind: n for kind, n in status.flood_kinds.items() if kind != "injected"}
    latencies = sorted(status.ack_latencies) or [float("nan")]
    return (
        f"{subscribers} subscribers: delivered {status.delivered}, 403 {status.forbidden} "
        f"(marked blocked {blocked}), broadcast done in {elapsed:.1f} s\n"
        f"broadcast rate {rate:.1f}/s (goal >= 27)  429s provoked {sum(provoked.values())} "
        f"{provoked or ''}(goal 0)\n"
        f"new questions during the broadcast: {status.asked}, acknowledged "
        f"{len(status.ack_latencies)}; time to acknowledgement median "
        f"{statistics.median(latencies):.2f} s, max {latencies[-1]:.2f} s\n"
        f"progress card edits (admin's private chat): {status.progress_edits}"
    )


async def main_async(subscribers: int) -> None:
    knowledge = KnowledgeService([TEST_KB], threshold=0.5)
    print(await run(subscribers, knowledge))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main_async(args.subscribers))


if __name__ == "__main__":
    main()

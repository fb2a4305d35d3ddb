"""Benchmark delivery: 1,000 citizens ask once at the same moment.

Run: ``.venv/bin/python bench/bench_delivery.py`` (about two minutes). The real application
(long polling, dispatcher, outbox sender) runs against the fake Bot API over HTTP on loopback.
The fake runs in a process of its own, as Telegram runs on machines of its own: its work
does not slow the bot down, and it stamps each request when it really arrives. Telegram's
limits are measured there (at arrival, rolling windows).

Printed per scenario: time from the first question to the last acknowledgement, the
acknowledgement rate against Telegram's 30 messages a second (goal >= 28.5/s, from the
first acknowledgement's arrival to the last one's), and the 429s the bot provoked (goal 0;
injected faults are counted apart), by kind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.services.knowledge import KnowledgeService
from storage.migrate import upgrade_database_async
from tests.conftest import TEST_KB, make_settings
from tests.factories import ADMIN_GROUP_ID

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
FIRST_CITIZEN = 500_000
ACK_MARKER = "nomor tiket"


@dataclass(frozen=True)
class FakeStatus:
    acknowledged: int
    first_ack_at: float | None
    last_ack_at: float | None
    questions_at: float | None
    flood_kinds: dict[str, int]
    error_statuses: dict[int, int]


class _AckWatcher:
    """Stamps each acknowledgement when the fake stores it (polled every 10 ms)."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.seen = 0
        self.acked: set[int] = set()
        self.first: float | None = None
        self.last: float | None = None

    async def run(self) -> None:
        while True:
            self.scan()
            await asyncio.sleep(0.01)

    def scan(self) -> None:
        # Only the messages stored since the last scan: the fake's own inspection helpers
        # copy every message, which would hold its event loop and bunch up arrivals.
        sent = self.fake._bot_sent_order  # a benchmark's view of the fake
        now = time.monotonic()
        for stored in sent[self.seen :]:
            chat_id = stored.chat_id
            is_ack = chat_id > 0 and ACK_MARKER in (stored.plain_text or "")
            if is_ack and chat_id not in self.acked:
                self.acked.add(chat_id)
                self.first = self.first if self.first is not None else now
                self.last = now
        self.seen = len(sent)


def _fake_process(conn: Connection, with_faults: bool) -> None:
    """The Bot API's side: serve, inject the faults, answer the bench's commands."""
    asyncio.run(_serve_fake(conn, with_faults))


async def _serve_fake(conn: Connection, with_faults: bool) -> None:
    loop = asyncio.get_running_loop()
    async with FakeTelegram(wait_timeout=120.0) as fake:
        fake.create_group(ADMIN_GROUP_ID, "Admin Layanan Info Bone")
        if with_faults:
            for retry_after in (1, 1, 2):
                fake.fail_next("sendMessage", status=429, retry_after=retry_after)
            fake.fail_next_non_json("sendMessage", "html", status=502, times=2)
        watcher = _AckWatcher(fake)
        watch = asyncio.create_task(watcher.run())
        questions_at: float | None = None
        conn.send(fake.base_url)
        while True:
            command: tuple[Any, ...] = await loop.run_in_executor(None, conn.recv)
            if command[0] == "ask":
                _, citizens = command
                questions_at = time.monotonic()
                for index in range(citizens):
                    user = make_user(FIRST_CITIZEN + index, f"Warga {index}")
                    fake.user_sends_text(
                        user, user.id, f"bagaimana cara mengurus KTP? ({user.id})"
                    )
                conn.send(None)
            elif command[0] == "status":
                watcher.scan()
                conn.send(
                    FakeStatus(
                        acknowledged=len(watcher.acked),
                        first_ack_at=watcher.first,
                        last_ack_at=watcher.last,
                        questions_at=questions_at,
                        flood_kinds=dict(Counter(e["kind"] for e in fake.flood_events)),
                        error_statuses=dict(Counter(e["status"] for e in fake.error_answers)),
                    )
                )
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


async def run_scenario(citizens: int, *, with_faults: bool, knowledge: KnowledgeService) -> str:
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_fake_process, args=(theirs, with_faults), daemon=True)
    process.start()
    try:
        base_url = await asyncio.get_running_loop().run_in_executor(None, ours.recv)
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await upgrade_database_async(database_url)
            settings = make_settings(database_url, telegram_api_base=base_url, bot_token=TOKEN)
            app = await build_application(settings, suggester=knowledge)
            task = asyncio.create_task(app.run())
            await _ask(ours, "ask", citizens)
            status: FakeStatus = await _ask(ours, "status")
            while status.acknowledged < citizens:
                await asyncio.sleep(0.25)
                status = await _ask(ours, "status")
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.close()
        await _ask(ours, "stop")
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    assert status.first_ack_at is not None
    assert status.last_ack_at is not None
    assert status.questions_at is not None
    elapsed = status.last_ack_at - status.questions_at
    # The rate counts from the first acknowledgement: before it the bot is starting.
    rate = (citizens - 1) / max(status.last_ack_at - status.first_ack_at, 1e-9)
    provoked = {kind: n for kind, n in status.flood_kinds.items() if kind != "injected"}
    injected = status.flood_kinds.get("injected", 0)
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(provoked.items())) or "none"
    label = "3 injected 429s + 2 HTML 502s" if with_faults else "no faults"
    return (
        f"{label:32} last ack {elapsed:6.1f} s  rate {rate:5.1f}/s  "
        f"429s provoked {sum(provoked.values())} ({kinds}; injected {injected})  "
        f"non-200 answers {status.error_statuses or 'none'}"
    )


async def main_async(citizens: int) -> None:
    knowledge = KnowledgeService([TEST_KB], threshold=0.5)
    print(f"{citizens} citizens asking at the same moment (goal: >= 28.5 acks/s, 0 429s)")
    for with_faults in (False, True):
        print(await run_scenario(citizens, with_faults=with_faults, knowledge=knowledge))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citizens", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main_async(args.citizens))


if __name__ == "__main__":
    main()

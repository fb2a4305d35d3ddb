"""Benchmark delivery: 1,000 citizens ask once at the same moment.

Run: ``.venv/bin/python bench/bench_delivery.py`` (about two minutes). The real application
(long polling, dispatcher, outbox sender) runs against the fake Bot API over HTTP on loopback,
with Telegram's limits measured where Telegram measures them (at arrival, rolling windows).
Printed per scenario: time from the first question to the last acknowledgement, the
acknowledgement rate against Telegram's 30 messages a second (goal >= 28.5/s), and the 429s
the bot provoked (goal 0; injected faults are counted apart).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.services.knowledge import KnowledgeService
from storage.migrate import upgrade_database_async
from tests.conftest import TEST_KB, make_settings
from tests.factories import ADMIN_GROUP_ID

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
FIRST_CITIZEN = 500_000


def acknowledged(fake: FakeTelegram, user_id: int) -> bool:
    return any("nomor tiket" in str(m["plain_text"]) for m in fake.sent_messages(user_id))


async def run_scenario(citizens: int, *, with_faults: bool, knowledge: KnowledgeService) -> str:
    async with FakeTelegram(wait_timeout=120.0) as fake:
        fake.create_group(ADMIN_GROUP_ID, "Admin Layanan Info Bone")
        if with_faults:
            for retry_after in (1, 1, 2):
                fake.fail_next("sendMessage", status=429, retry_after=retry_after)
            fake.fail_next_non_json("sendMessage", "html", status=502, times=2)
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await upgrade_database_async(database_url)
            settings = make_settings(
                database_url, telegram_api_base=fake.base_url, bot_token=TOKEN
            )
            app = await build_application(settings, suggester=knowledge)
            task = asyncio.create_task(app.run())
            users = [make_user(FIRST_CITIZEN + i, f"Warga {i}") for i in range(citizens)]
            started = time.perf_counter()
            for user in users:
                fake.user_sends_text(user, user.id, f"bagaimana cara mengurus KTP? ({user.id})")
            waiting = {user.id for user in users}
            first_ack: float | None = None
            while waiting:
                await asyncio.sleep(0.05)
                waiting = {uid for uid in waiting if not acknowledged(fake, uid)}
                if first_ack is None and len(waiting) < citizens:
                    first_ack = time.perf_counter()
            elapsed = time.perf_counter() - started
            assert first_ack is not None
            # The rate counts from the first acknowledgement: before it the bot is starting.
            sending = time.perf_counter() - first_ack
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.close()
        provoked = [e for e in fake.flood_events if e["kind"] != "injected"]
        injected = len(fake.flood_events) - len(provoked)
    label = "3 injected 429s + 2 HTML 502s" if with_faults else "no faults"
    return (
        f"{label:32} last ack {elapsed:6.1f} s  rate {citizens / sending:5.1f}/s  "
        f"429s provoked {len(provoked)} (injected {injected})"
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
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    asyncio.run(main_async(args.citizens))


if __name__ == "__main__":
    main()

"""Throughput of real bot processes: updates persisted and processed per second, and memory.

Each run starts ``python -m bot run --webhook`` (one or two processes) against the fake
Bot API, then plays Telegram: it posts N updates (distinct citizens asking a question) to
the webhook ports, ``--concurrency`` at a time, round-robin over the processes.

- persisted/s: N divided by the time until every POST was answered 200 (the update is
  committed to the inbox before that answer);
- processed/s: N divided by the time from the first POST until every inbox row is
  processed (ticket opened, record written, acknowledgement and card queued in the
  outbox). Sending is not part of it: Telegram caps it at 30 messages a second;
- memory: resident set size (VmRSS) of each process when idle after start-up, and the
  largest seen during the burst.

SQLite runs one process only (one writer, one machine: the embedded default);
PostgreSQL runs one and two. Usage::

    .venv/bin/python bench/bench_throughput.py --updates 300 \
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.devtools.telegram_api import FakeTelegram  # noqa: E402
from storage.db import normalize_database_url  # noqa: E402
from storage.migrate import upgrade_database_async  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
SECRET = "bench-secret"
ADMIN_GROUP_ID = -1001000000001
QUESTIONS = (
    "kapan kantor dukcapil buka?",
    "bagaimana cara mengurus KTP yang hilang?",
    "jalan di depan pasar rusak parah, mohon diperbaiki",
    "syarat membuat akta kelahiran apa saja?",
)


@dataclass
class Result:
    backend: str
    instances: int
    updates: int
    persisted_per_second: float
    processed_per_second: float
    idle_rss_mb: list[float]
    busy_rss_mb: list[float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def update(update_id: int) -> dict[str, Any]:
    user_id = 1_000_000 + update_id
    sender = {"id": user_id, "is_bot": False, "first_name": f"Warga {update_id}"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": sender["first_name"]},
            "from": sender,
            "text": QUESTIONS[update_id % len(QUESTIONS)],
        },
    }


async def reset_postgres(url: str) -> None:
    engine = create_async_engine(normalize_database_url(url))
    async with engine.begin() as connection:
        await connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        await connection.execute(sa.text("CREATE SCHEMA public"))
    await engine.dispose()


async def unprocessed(url: str) -> int:
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                sa.text("SELECT COUNT(*) FROM inbox_update WHERE processed_at IS NULL")
            )
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def start(fake: FakeTelegram, url: str, port: int) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": url,
            "ADMIN_CHAT_ID": str(ADMIN_GROUP_ID),
            "LOG_LEVEL": "ERROR",
            "WEBHOOK_URL": "https://bench.bone.test/hook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def wait_health(client: aiohttp.ClientSession, port: int) -> None:
    for _ in range(600):
        try:
            async with client.get(f"http://127.0.0.1:{port}/health") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"instance on port {port} did not start")


async def run(backend: str, url: str, instances: int, count: int, concurrency: int) -> Result:
    if backend == "postgresql":
        await reset_postgres(url)
    await upgrade_database_async(url)
    async with FakeTelegram(rate_limits=False) as fake, aiohttp.ClientSession() as client:
        fake.create_group(ADMIN_GROUP_ID, "Admin Layanan Info Bone")
        ports = [free_port() for _ in range(instances)]
        processes = [await start(fake, url, port) for port in ports]
        try:
            for port in ports:
                await wait_health(client, port)
            await asyncio.sleep(5.0)  # start-up work (index, scheduler) settles
            idle = [rss_mb(p.pid) for p in processes]
            busy = list(idle)
            queue: asyncio.Queue[int] = asyncio.Queue()
            for update_id in range(1, count + 1):
                queue.put_nowait(update_id)
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

            async def post_all(worker: int) -> None:
                while not queue.empty():
                    update_id = queue.get_nowait()
                    target = ports[(update_id + worker) % len(ports)]
                    address = f"http://127.0.0.1:{target}/hook"
                    while True:
                        async with client.post(
                            address, json=update(update_id), headers=headers
                        ) as response:
                            if response.status == 200:
                                break
                        await asyncio.sleep(0.05)  # as Telegram: try again later

            started = time.perf_counter()
            posters = [asyncio.create_task(post_all(w)) for w in range(concurrency)]
            while not all(task.done() for task in posters):
                busy = [max(b, rss_mb(p.pid)) for b, p in zip(busy, processes, strict=True)]
                await asyncio.sleep(0.1)
            await asyncio.gather(*posters)
            persisted = time.perf_counter() - started
            while await unprocessed(url) > 0:
                busy = [max(b, rss_mb(p.pid)) for b, p in zip(busy, processes, strict=True)]
                await asyncio.sleep(0.1)
            processed = time.perf_counter() - started
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                await process.wait()
    return Result(
        backend=backend,
        instances=instances,
        updates=count,
        persisted_per_second=count / persisted,
        processed_per_second=count / processed,
        idle_rss_mb=idle,
        busy_rss_mb=busy,
    )


def show(result: Result) -> None:
    idle = " + ".join(f"{value:.0f}" for value in result.idle_rss_mb)
    busy = " + ".join(f"{value:.0f}" for value in result.busy_rss_mb)
    print(
        f"| {result.backend} | {result.instances} | {result.updates} "
        f"| {result.persisted_per_second:.0f} | {result.processed_per_second:.1f} "
        f"| {idle} | {busy} |",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL"),
        help="a database the benchmark may wipe (its public schema is dropped)",
    )
    args = parser.parse_args()
    print(
        "| database | instances | updates | persisted/s | processed/s "
        "| RSS idle (MB) | RSS busy (MB) |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        show(await run("sqlite", sqlite_url, 1, args.updates, args.concurrency))
    if args.postgres_url:
        for instances in (1, 2):
            show(
                await run(
                    "postgresql", args.postgres_url, instances, args.updates, args.concurrency
                )
            )
    else:
        print("(PostgreSQL skipped: pass --postgres-url or set BENCH_POSTGRES_URL)")


if __name__ == "__main__":
    asyncio.run(main())

"""Issue 12 over HTTP: a broadcast resumes after a restart, and 403s are marked blocked."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import select

from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.services.outreach import watch_broadcasts
from storage.models import Broadcast, Subscriber
from tests.factories import ADMIN_ID

MARKER = "Informasi Pemerintah Kabupaten Bone"
SUBSCRIBERS = [make_user(810_000 + n, f"Pelanggan {n}") for n in range(12)]
BLOCKER = SUBSCRIBERS[3]


def broadcast_counts(fake: FakeTelegram) -> dict[int, int]:
    counts: dict[int, int] = {}
    for view in fake.sent_messages():
        if MARKER in (view["plain_text"] or ""):
            counts[view["chat_id"]] = counts.get(view["chat_id"], 0) + 1
    return counts


async def start_with_watcher(start_bot: Any) -> Any:
    running = await start_bot(broadcast_progress_seconds=0.2)
    broadcasts = running.app.services.broadcasts
    # bot/__main__.py adds this job; an e2e app is built without it.
    running.app.background.append(lambda app: watch_broadcasts(app, broadcasts, every=0.2))
    return running


async def test_broadcast_resumes_after_restart_and_marks_blocked(
    fake: FakeTelegram, start_bot: Any
) -> None:
    first = await start_bot()
    for user in SUBSCRIBERS:
        fake.user_sends_text(user, user.id, "/langganan")
    for user in SUBSCRIBERS:
        await fake.wait_for_message(user.id, "berlangganan")
    await first.stop()
    fake.block_bot(BLOCKER.id)
    # Slow sends, so the bot stops in the middle of the broadcast.
    fake.delay_next("sendMessage", seconds=0.3, times=6)
    second = await start_with_watcher(start_bot)
    admin = make_user(ADMIN_ID, "Petugas")
    fake.user_sends_text(admin, ADMIN_ID, "/siaran Pemadaman listrik besok pukul 09.00")
    await fake.wait_for(lambda: len(broadcast_counts(fake)) >= 2, description="broadcast began")
    await second.stop()
    delivered_before = broadcast_counts(fake)
    assert len(delivered_before) < len(SUBSCRIBERS) - 1
    async with second.app.session_maker() as session:
        assert (await session.exec(select(Broadcast))).one().state == "running"

    third = await start_with_watcher(start_bot)
    wanted = {user.id for user in SUBSCRIBERS} - {BLOCKER.id}
    await fake.wait_for(
        lambda: set(broadcast_counts(fake)) >= wanted, description="every subscriber reached"
    )
    # Each subscriber got the broadcast once: the rows queued before the restart were
    # sent by the new process, not queued again.
    assert all(count == 1 for count in broadcast_counts(fake).values())
    assert BLOCKER.id not in broadcast_counts(fake)

    async def finished() -> bool:
        async with third.app.session_maker() as session:
            broadcast = (await session.exec(select(Broadcast))).one()
            return bool(broadcast.state == "done")

    for _ in range(100):
        if await finished():
            break
        await asyncio.sleep(0.1)
    async with third.app.session_maker() as session:
        broadcast = (await session.exec(select(Broadcast))).one()
        assert broadcast.state == "done"
        assert broadcast.sent == len(wanted)
        assert broadcast.blocked == 1
        blocker = (
            await session.exec(select(Subscriber).where(Subscriber.telegram_id == BLOCKER.id))
        ).one()
        assert blocker.blocked_at is not None
    # The progress card in the admin's chat was edited in place to its final figures.
    card = [v for v in fake.sent_messages(ADMIN_ID) if "Siaran #" in (v["plain_text"] or "")]
    assert len(card) == 1
    message_id = card[0]["message_id"]
    await fake.wait_for(
        lambda: "Siaran selesai" in (fake.message(ADMIN_ID, message_id)["plain_text"] or ""),
        description="the card's final edit",
    )
    final = fake.message(ADMIN_ID, message_id)["plain_text"] or ""
    assert "Terkirim: 11" in final
    assert "Memblokir bot: 1" in final

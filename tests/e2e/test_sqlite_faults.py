"""SQLite on a full or read-only disk: a clear error, nothing lost, nothing corrupted.

SQLite reports a full disk as SQLITE_FULL and a read-only file as SQLITE_READONLY. Both are
produced here for the bot's own connections (``max_page_count`` at the current size, and
``query_only``), which is what a full partition or a read-only remount looks like to it.
While the fault lasts, the poller cannot store updates, so it does not confirm their
offset: Telegram keeps them. Once the disk is writable again they are handled.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, func, select

from bot.devtools.telegram_api import FakeTelegram, make_user
from storage.models import InboxUpdate, Ticket

pytestmark = pytest.mark.e2e

FAULTS = {
    "full": ("max_page_count", "database or disk is full"),
    "read-only": ("query_only", "readonly database"),
}


def acks_for(fake: FakeTelegram, user_id: int) -> list[str]:
    texts = [str(m["plain_text"]) for m in fake.sent_messages(user_id)]
    return [text for text in texts if "nomor tiket" in text]


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_full_or_read_only_disk(
    fake: FakeTelegram,
    start_bot: Any,
    fault: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    bot = await start_bot()
    first, second = make_user(8601, "Warga Satu"), make_user(8602, "Warga Dua")
    fake.user_sends_text(first, first.id, "kapan kantor buka?")
    await fake.wait_for(lambda: acks_for(fake, first.id), timeout=30)
    await asyncio.sleep(1.5)  # the card and its edits are sent too: the outbox is idle

    pragma, error = FAULTS[fault]
    engine = bot.app.engine
    path = str(bot.app.settings.database_url).split(":///", 1)[1]
    with sqlite3.connect(path) as probe:
        pages = int(probe.execute("PRAGMA page_count").fetchone()[0])
    statement = (
        f"PRAGMA max_page_count = {pages}"
        if pragma == "max_page_count"
        else "PRAGMA query_only = ON"
    )

    def break_disk(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(statement)
        cursor.close()

    listener: Callable[[Any, Any], None] = break_disk
    event.listen(engine.sync_engine, "connect", listener)
    await engine.dispose()  # every connection from now on sees the fault
    # A long question needs new pages: on a full disk it cannot be written.
    fake.user_sends_text(second, second.id, "mohon info " + "jalan rusak di Palakka " * 170)
    await fake.wait_for(lambda: any(error in r.getMessage() for r in caplog.records), timeout=30)
    await asyncio.sleep(1.0)
    assert acks_for(fake, second.id) == []
    assert not bot.task.done()
    assert fake.pending_updates(), "the update must still be waiting at Telegram"
    messages = [r.getMessage() for r in caplog.records if error in r.getMessage()]
    assert any("could not store 1 updates" in text for text in messages), messages

    event.remove(engine.sync_engine, "connect", listener)
    await engine.dispose()  # space is back
    await fake.wait_for(lambda: acks_for(fake, second.id), timeout=60)
    await asyncio.sleep(1.0)
    assert len(acks_for(fake, first.id)) == 1
    assert len(acks_for(fake, second.id)) == 1
    async with bot.app.session_maker() as session:
        tickets = (await session.exec(select(func.count()).select_from(Ticket))).one()
        failed = (
            await session.exec(
                select(func.count())
                .select_from(InboxUpdate)
                .where(col(InboxUpdate.last_error).is_not(None))
            )
        ).one()
    assert tickets == 2
    assert failed == 0
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

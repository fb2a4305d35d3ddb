"""Delivery under Telegram's real behaviour: the real app over HTTP against the strict fake.

Each test is one finding of issue 8: non-JSON answers stranded rows, a burst breached
the 30-per-second limit at the server and kept sending into a scope under retry_after,
and an edit that changes nothing was sent and refused with 400.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import col, func, select

from bot.devtools.telegram_api import FakeTelegram, FakeUser, make_user
from bot.domain.enums import OutboxStatus
from storage.models import InboxUpdate, Outbox
from tests.factories import ADMIN_GROUP_ID

pytestmark = pytest.mark.e2e


def citizens(count: int, first_id: int = 9000) -> list[FakeUser]:
    return [make_user(first_id + index, f"Warga {index}") for index in range(count)]


def acks_for(fake: FakeTelegram, user_id: int) -> list[str]:
    texts = [str(m["plain_text"]) for m in fake.sent_messages(user_id)]
    return [text for text in texts if "nomor tiket" in text]


def acknowledged_chats(fake: FakeTelegram) -> set[int]:
    return {m["chat_id"] for m in fake.sent_messages() if "nomor tiket" in str(m["plain_text"])}


async def everyone_asks(fake: FakeTelegram, users: list[FakeUser], timeout: float) -> None:
    for user in users:
        fake.user_sends_text(user, user.id, f"bagaimana cara mengurus KTP? ({user.id})")
    # One pass over the fake's messages, every 200 ms: the fake shares the event loop,
    # and a check that held it longer would bunch up the arrivals it measures.
    wanted = {user.id for user in users}
    await fake.wait_for(
        lambda: wanted <= acknowledged_chats(fake),
        timeout=timeout,
        interval=0.2,
        description="an acknowledgement for every citizen",
    )


async def settled(bot: Any, fake: FakeTelegram) -> dict[str, int]:
    """Wait until every update is processed and no outbox row is pending or sending."""

    async def counts() -> dict[str, int]:
        async with bot.app.session_maker() as session:
            statement = select(Outbox.status, func.count()).group_by(col(Outbox.status))
            by_status = {str(s): int(n) for s, n in (await session.exec(statement)).all()}
            unprocessed = (
                await session.exec(
                    select(func.count())
                    .select_from(InboxUpdate)
                    .where(col(InboxUpdate.processed_at).is_(None))
                )
            ).one()
        by_status["unprocessed"] = int(unprocessed)
        return by_status

    latest: dict[str, int] = {}

    async def check() -> bool:
        latest.clear()
        latest.update(await counts())
        return not (
            latest.get("unprocessed")
            or latest.get(OutboxStatus.PENDING)
            or latest.get(OutboxStatus.SENDING)
        )

    # 75 s: the admin group takes 20 messages a minute, so after a burst the last summary
    # edit may wait for the group's 61-second window to open.
    for _ in range(750):
        if await check():
            return latest
        await asyncio.sleep(0.1)
    raise AssertionError(f"outbox never settled: {latest}\n{fake.dump()}")


async def test_non_json_answers_strand_no_row(fake: FakeTelegram, start_bot: Any) -> None:
    fake.fail_next_non_json("sendMessage", "html", status=502, times=2)
    fake.fail_next_non_json("sendMessage", "empty", status=503)
    fake.fail_next_non_json("sendMessage", "html", status=504)
    bot = await start_bot()
    users = citizens(10)
    await everyone_asks(fake, users, timeout=30)
    counts = await settled(bot, fake)
    assert counts.get(OutboxStatus.FAILED, 0) == 0
    assert all(len(acks_for(fake, user.id)) == 1 for user in users)
    assert not bot.task.done()


async def test_polling_survives_an_html_error_page(fake: FakeTelegram, start_bot: Any) -> None:
    fake.fail_next_non_json("getUpdates", "html", status=502)
    fake.fail_next_non_json("getUpdates", "empty", status=504)
    bot = await start_bot()
    await everyone_asks(fake, citizens(2), timeout=30)
    assert not bot.task.done()


async def test_a_truncated_answer_is_sent_again_at_least_once(
    fake: FakeTelegram, start_bot: Any
) -> None:
    fake.fail_next_non_json("sendMessage", "truncated")
    bot = await start_bot()
    users = citizens(3)
    await everyone_asks(fake, users, timeout=30)
    await settled(bot, fake)
    # The first acknowledgement reached Telegram but its answer was cut off: its outcome
    # is unknown, so it is sent again. A duplicate is better than a lost acknowledgement.
    assert sorted(len(acks_for(fake, user.id)) for user in users) == [1, 1, 2]


async def test_a_burst_of_200_stays_within_the_limits_at_the_server(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot = await start_bot()
    users = citizens(200)
    await everyone_asks(fake, users, timeout=90)
    await settled(bot, fake)
    assert fake.flood_breaches == [], fake.flood_breaches[:5]
    assert fake.flood_violations == [], fake.flood_violations[:5]
    assert all(len(acks_for(fake, user.id)) == 1 for user in users)


async def test_a_429_pauses_every_send_for_retry_after(fake: FakeTelegram, start_bot: Any) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=2)
    bot = await start_bot()
    users = citizens(20)
    await everyone_asks(fake, users, timeout=60)
    await settled(bot, fake)
    # The injected 429 blocks the whole bot at the fake, as Telegram may: nothing may
    # arrive before retry_after has passed.
    assert [event["kind"] for event in fake.flood_events] == ["injected"]
    assert fake.flood_violations == []


async def test_an_edit_that_changes_nothing_is_not_sent(
    fake: FakeTelegram, start_bot: Any
) -> None:
    bot = await start_bot()
    citizen = make_user(9500, "Warga Edit")
    sent = fake.user_sends_text(citizen, citizen.id, "jalan rusak di Watampone")
    await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #1")
    await settled(bot, fake)
    # The card shows the words as first written, so this edit leaves it as it is.
    fake.user_edits_text(citizen, citizen.id, sent["message"]["message_id"], "jalan rusak")
    await fake.wait_for(lambda: not fake.pending_updates(), description="edit delivered")
    await settled(bot, fake)
    assert fake.bad_requests() == []
    assert fake.calls("editMessageText") == []

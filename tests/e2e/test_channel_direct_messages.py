"""Channel direct messages over HTTP: the fake refuses a send without the citizen's topic."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.devtools.telegram_api import FakeTelegram, make_user
from tests.e2e.conftest import TOKEN
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID

CITIZEN = make_user(7401, "Nurul")
ADMIN = make_user(ADMIN_ID, "Petugas Sari")
DM_CHAT = -1002000000001
QUESTION = "mau panggil ambulans utk ortu yg sakit gmn caranya?"


def button(card: Any, label: str) -> str:
    for item in card["buttons"]:
        if label in item["text"]:
            return str(item["callback_data"])
    raise AssertionError(f"no {label!r} button on the card: {card['buttons']}")


async def test_fake_refuses_a_send_without_the_topic(fake: FakeTelegram) -> None:
    fake.create_channel_direct_messages(DM_CHAT, "Info Bone")
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{fake.base_url}/bot{TOKEN}/sendMessage", json={"chat_id": DM_CHAT, "text": "halo"}
        ) as response,
    ):
        status, body = response.status, await response.json()
    assert status == 400
    assert "direct messages topic" in str(body["description"])


async def test_question_to_the_channel_is_acknowledged_and_answered_in_its_topic(
    fake: FakeTelegram, start_bot: Any
) -> None:
    fake.create_channel_direct_messages(DM_CHAT, "Info Bone")
    await start_bot()
    fake.user_writes_to_channel(CITIZEN, DM_CHAT, QUESTION)
    ack = await fake.wait_for_message(DM_CHAT, "#1")
    topic = ack["message"]["direct_messages_topic"]["topic_id"]
    card = await fake.wait_for_message(ADMIN_GROUP_ID, "Tiket #1")
    fake.user_presses(ADMIN, ADMIN_GROUP_ID, card["message_id"], button(card, "Kirim"))
    answer = await fake.wait_for_message(DM_CHAT, "Jawaban untuk tiket #1")
    assert answer["message"]["direct_messages_topic"]["topic_id"] == topic
    assert fake.bad_requests() == [], fake.bad_requests()

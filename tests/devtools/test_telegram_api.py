"""Tests of the fake Telegram Bot API, driven by aiogram's real Bot over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router, html
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandStart
from aiogram.methods import GetUpdates
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)

from bot.devtools.telegram_api import FakeTelegram, make_user, parse_html, utf16_len

TOKEN = "123456789:AAHfakeTokenForTests_-x"
GROUP_ID = -1001234567890
CHANNEL_ID = -1009876543210

ANDI = make_user(5001, "Andi", "andi_bone")
BUDI = make_user(5002, "Budi")


class ManualClock:
    """The fake's clock, moved by hand; `tick` is added on every reading."""

    def __init__(self, start: float = 1000.0, tick: float = 0.0) -> None:
        self.now = start
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    # Functional tests are not about flood control: every reading of the fake's clock is
    # two seconds later, so no rolling window ever fills. The flood tests use their own.
    async with FakeTelegram(clock=ManualClock(tick=2.0)) as server:
        yield server


def _make_bot(fake: FakeTelegram, token: str = TOKEN, timeout: float = 10.0) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url), timeout=timeout)
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    instance = _make_bot(fake)
    yield instance
    await instance.session.close()


def _keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


# ------------------------------------------------------------------------------ basics


async def test_get_me_returns_fixed_identity(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 1000000001
    assert me.is_bot
    assert me.username == "bone_info_bot"
    assert me.first_name == "Layanan Info Bone"
    assert fake.tokens == [TOKEN]
    assert fake.requests[0].method == "getMe"


async def test_bad_token_and_unknown_method(fake: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}/botnot-a-token/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{fake.base_url}/bot{TOKEN}/noSuchMethod") as resp:
            assert resp.status == 404
            assert (await resp.json())["description"] == "Not Found"
        # Method names are case-insensitive and urlencoded bodies work too.
        async with http.post(f"{fake.base_url}/bot{TOKEN}/GETME", data={"unused": "1"}) as resp:
            assert (await resp.json())["result"]["username"] == "bone_info_bot"


# ------------------------------------------------------------------------------ getUpdates


async def test_get_updates_offset_confirms_and_drops(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.user_sends_text(ANDI, ANDI.id, "halo")
    second = fake.user_sends_text(ANDI, ANDI.id, "/start")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    assert updates[0].message is not None
    assert updates[0].message.text == "halo"
    assert updates[0].message.chat.type == "private"
    assert updates[1].message is not None
    assert updates[1].message.entities is not None
    assert updates[1].message.entities[0].type == "bot_command"

    # Without offset nothing is confirmed: the same updates come again.
    assert len(await bot.get_updates()) == 2
    # offset = last + 1 confirms both; they are gone for good.
    assert await bot.get_updates(offset=second["update_id"] + 1) == []
    assert await bot.get_updates() == []
    assert fake.pending_updates() == []


async def test_get_updates_limit_and_partial_confirmation(fake: FakeTelegram, bot: Bot) -> None:
    ids = [fake.user_sends_text(ANDI, ANDI.id, f"pesan {n}")["update_id"] for n in range(5)]
    batch = await bot.get_updates(limit=2)
    assert [u.update_id for u in batch] == ids[:2]
    batch = await bot.get_updates(offset=ids[1] + 1, limit=2)
    assert [u.update_id for u in batch] == ids[2:4]
    batch = await bot.get_updates(offset=ids[3] + 1)
    assert [u.update_id for u in batch] == ids[4:]


async def test_long_poll_returns_when_update_arrives(fake: FakeTelegram, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    fake.user_sends_text(ANDI, ANDI.id, "ada orang?")
    updates = await asyncio.wait_for(poll, 2)
    assert len(updates) == 1
    assert loop.time() - started < 2


async def test_long_poll_times_out_empty(fake: FakeTelegram, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == []
    assert loop.time() - started >= 0.9


async def test_concurrent_get_updates_conflict(fake: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=2))
    await asyncio.sleep(0.1)
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await bot.get_updates(timeout=0)
    fake.user_sends_text(ANDI, ANDI.id, "x")
    assert len(await poll) == 1


async def test_allowed_updates_filter(fake: FakeTelegram, bot: Bot) -> None:
    fake.raw_update({"chat_member": {"garbage": True}})
    msg = fake.user_sends_text(ANDI, ANDI.id, "halo")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.update_id for u in updates] == [msg["update_id"]]


# ------------------------------------------------------------------------------ sendMessage


async def test_send_message_html_plain_text_and_entities(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    sent = await bot.send_message(
        ANDI.id, "<b>Jam layanan</b> &amp; info: 08.00&#8211;16.00 &lt;WITA&gt; 🙂 <i>ok</i>"
    )
    assert sent.text == "Jam layanan & info: 08.00–16.00 <WITA> 🙂 ok"
    view = fake.sent_messages(ANDI.id)[0]
    assert view["plain_text"] == sent.text
    assert view["text"] is not None
    assert view["text"].startswith("<b>")
    types = [(e["type"], e["offset"], e["length"]) for e in view["entities"]]
    # The emoji counts as two UTF-16 units, which shifts the italic entity.
    assert types == [("bold", 0, 11), ("italic", 42, 2)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<b>tidak ditutup", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<foo>x</foo>", 'Unsupported start tag "foo"'),
        ("a < b", 'Unsupported start tag ""'),
        ("<b>x</i>", "Unmatched end tag"),
        ("Tom & Jerry", "Unescaped '&'"),
        ("x</b>", "Unexpected end tag"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_send_message_rejects_malformed_html(
    fake: FakeTelegram, bot: Bot, text: str, fragment: str
) -> None:
    fake.open_private(ANDI)
    with pytest.raises(TelegramBadRequest, match="can't parse entities") as info:
        await bot.send_message(ANDI.id, text)
    assert fragment in info.value.message
    assert fake.sent_messages() == []


def test_parse_html_supported_tags() -> None:
    plain, entities = parse_html(
        '<a href="https://bone.go.id/?a=1&amp;b=2">situs</a> <code>x</code> '
        '<pre><code class="language-python">y</code></pre> <tg-spoiler>z</tg-spoiler> '
        "<blockquote expandable>q</blockquote> <s>d</s> <u>u</u>"
    )
    assert plain == "situs x y z q d u"
    kinds = {e["type"] for e in entities}
    assert {"text_link", "code", "pre", "spoiler", "expandable_blockquote"} <= kinds
    link = next(e for e in entities if e["type"] == "text_link")
    assert link["url"] == "https://bone.go.id/?a=1&b=2"
    assert parse_html("  \n<b>x</b>\n")[0] == "x"
    assert utf16_len("🙂") == 2


async def test_send_message_length_counted_in_utf16(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    await bot.send_message(ANDI.id, "a" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ANDI.id, "a" * 4097)
    # 2049 emoji = 4098 UTF-16 code units although len() is only 2049.
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ANDI.id, "🙂" * 2049)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ANDI.id, "<b> </b>")


async def test_send_message_errors(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "halo")
    fake.open_private(ANDI)
    fake.block_bot(ANDI.id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ANDI.id, "halo")


async def test_callback_data_limit_is_64_bytes(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    await bot.send_message(ANDI.id, "ok", reply_markup=_keyboard(("a", "x" * 64)))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANDI.id, "no", reply_markup=_keyboard(("a", "x" * 65)))
    # 22 × 'é' is only 22 characters but 44 bytes; 33 of them are 66 bytes.
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANDI.id, "no", reply_markup=_keyboard(("a", "é" * 33)))


async def test_invalid_keyboard_json_rejected(fake: FakeTelegram) -> None:
    fake.open_private(ANDI)
    async with aiohttp.ClientSession() as http:
        for markup in ("{not json", '{"inline_keyboard": [{"text": "x"}]}', "[]"):
            async with http.post(
                f"{fake.base_url}/bot{TOKEN}/sendMessage",
                data={"chat_id": str(ANDI.id), "text": "x", "reply_markup": markup},
            ) as resp:
                body = await resp.json()
                assert resp.status == 400, body
                assert body["description"].startswith("Bad Request: ")


async def test_reply_parameters(fake: FakeTelegram, bot: Bot) -> None:
    update = fake.user_sends_text(ANDI, ANDI.id, "pertanyaan")
    asked = update["message"]["message_id"]
    sent = await bot.send_message(
        ANDI.id, "jawaban", reply_parameters=ReplyParameters(message_id=asked)
    )
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "pertanyaan"
    assert fake.sent_messages(ANDI.id)[0]["reply_to_message_id"] == asked
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(ANDI.id, "x", reply_parameters=ReplyParameters(message_id=999))
    fallback = await bot.send_message(
        ANDI.id,
        "x",
        reply_parameters=ReplyParameters(message_id=999, allow_sending_without_reply=True),
    )
    assert fallback.reply_to_message is None


# ------------------------------------------------------------------------------ faults


async def test_injected_429_gives_retry_after_and_blocks_every_scope() -> None:
    clock = ManualClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.open_private(ANDI)
        fake.open_private(BUDI)
        bot = _make_bot(fake)
        try:
            fake.fail_next("sendMessage", status=429, retry_after=7)
            with pytest.raises(TelegramRetryAfter) as info:
                await bot.send_message(ANDI.id, "halo")
            assert info.value.retry_after == 7
            clock.now += 3
            # Telegram does not say what a 429 applies to: other chats are blocked too.
            with pytest.raises(TelegramRetryAfter) as blocked:
                await bot.send_message(BUDI.id, "halo")
            assert blocked.value.retry_after == 4
            assert len(fake.flood_violations) == 1
            clock.now += 4
            await bot.send_message(BUDI.id, "halo lagi")
            await bot.send_message(ANDI.id, "halo lagi")
        finally:
            await bot.session.close()
        assert [e["kind"] for e in fake.flood_events] == ["injected", "blocked"]


async def test_injected_5xx_gives_server_error(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("getMe", status=502, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.get_me()
    assert (await bot.get_me()).username == "bone_info_bot"


async def test_hang_holds_the_call_until_the_client_gives_up(fake: FakeTelegram) -> None:
    fake.open_private(ANDI)
    fake.hang_next("sendMessage")
    impatient = _make_bot(fake, timeout=0.5)
    try:
        with pytest.raises(TelegramNetworkError):
            await impatient.send_message(ANDI.id, "tidak pernah sampai")
    finally:
        await impatient.session.close()
    await asyncio.sleep(0.2)
    assert fake.sent_messages(ANDI.id) == []


async def test_dropped_connection_gives_network_error(fake: FakeTelegram, bot: Bot) -> None:
    fake.drop_next("getMe")
    with pytest.raises(TelegramNetworkError):
        await bot.get_me()
    assert (await bot.get_me()).is_bot


async def test_delay_triggers_client_timeout(fake: FakeTelegram) -> None:
    fake.delay_next("getMe", 2.0)
    impatient = _make_bot(fake, timeout=0.5)
    try:
        with pytest.raises(TelegramNetworkError, match="timeout"):
            await impatient.get_me()
    finally:
        await impatient.session.close()


async def test_flood_control_private_chat_one_per_rolling_second() -> None:
    clock = ManualClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.open_private(ANDI)
        fake.open_private(BUDI)
        bot = _make_bot(fake)
        try:
            await bot.send_message(ANDI.id, "pesan 1")
            clock.now += 0.9
            with pytest.raises(TelegramRetryAfter) as info:
                await bot.send_message(ANDI.id, "terlalu cepat")
            assert info.value.retry_after == 1
            assert fake.flood_breaches[0]["chat_id"] == ANDI.id
            await bot.send_message(BUDI.id, "chat lain tidak terhalang")
            # Still inside the blocked second: a violation, even though the window is free.
            clock.now += 0.5
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(ANDI.id, "masih diblokir")
            clock.now += 0.6
            await bot.send_message(ANDI.id, "pesan 2")
        finally:
            await bot.session.close()
        assert len(fake.flood_breaches) == 1
        assert len(fake.flood_violations) == 1


async def test_global_limit_is_a_rolling_window_at_arrival_and_blocks_everything() -> None:
    clock = ManualClock()
    async with FakeTelegram(clock=clock) as fake:
        users = [make_user(5100 + index, f"Warga {index}") for index in range(40)]
        for user in users:
            fake.open_private(user)
        fake.create_group(GROUP_ID, "Forum Warga Bone")
        bot = _make_bot(fake)
        try:
            # 30 sends arrive within 0.6 s; the 31st arrives 0.95 s after the first, so one
            # rolling second of arrivals would hold 31 (a fixed per-second bucket would not).
            for user in users[:30]:
                await bot.send_message(user.id, "x")
                clock.now += 0.02
            clock.now += 0.35
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(users[30].id, "x")
            assert fake.flood_breaches[-1]["kind"] == "global"
            # After a global breach, everything is refused for retry_after, groups included.
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(GROUP_ID, "x")
            assert len(fake.flood_violations) == 1
            clock.now += 1.0
            await bot.send_message(GROUP_ID, "x")
        finally:
            await bot.session.close()


async def test_edits_count_against_the_limits() -> None:
    clock = ManualClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.open_private(ANDI)
        bot = _make_bot(fake)
        try:
            sent = await bot.send_message(ANDI.id, "versi 1")
            with pytest.raises(TelegramRetryAfter):
                await bot.edit_message_text("versi 2", chat_id=ANDI.id, message_id=sent.message_id)
        finally:
            await bot.session.close()


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_nginx_html_error_pages_and_empty_bodies(
    fake: FakeTelegram, bot: Bot, status: int
) -> None:
    fake.open_private(ANDI)
    fake.fail_next_non_json("sendMessage", "html", status=status)
    fake.fail_next_non_json("sendMessage", "empty", status=status)
    async with aiohttp.ClientSession() as client:
        url = f"{fake.base_url}/bot{TOKEN}/sendMessage"
        async with client.post(url, data={"chat_id": ANDI.id, "text": "x"}) as response:
            assert response.status == status
            assert response.content_type == "text/html"
            assert f"<h1>{status} " in await response.text()
    with pytest.raises(ClientDecodeError):
        await bot.send_message(ANDI.id, "x")
    assert [a["status"] for a in fake.error_answers] == [status, status]
    assert fake.sent_messages(ANDI.id) == []


async def test_truncated_json_answer_after_the_message_was_sent(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.open_private(ANDI)
    fake.fail_next_non_json("sendMessage", "truncated")
    with pytest.raises(ClientDecodeError):
        await bot.send_message(ANDI.id, "sampai, tetapi jawabannya terpotong")
    assert fake.last_sent(ANDI.id)["plain_text"] == "sampai, tetapi jawabannya terpotong"


async def test_flood_control_group_per_minute() -> None:
    now = [1000.0]
    async with FakeTelegram(group_per_minute=3, clock=lambda: now[0]) as fake:
        fake.create_group(GROUP_ID, "Forum Warga Bone")
        bot = _make_bot(fake)
        try:
            for _ in range(3):
                await bot.send_message(GROUP_ID, "x")
                now[0] += 1
            with pytest.raises(TelegramRetryAfter) as info:
                await bot.send_message(GROUP_ID, "x")
            assert info.value.retry_after == 57
            now[0] += 57
            await bot.send_message(GROUP_ID, "x")
        finally:
            await bot.session.close()


async def test_rate_limits_can_be_disabled() -> None:
    async with FakeTelegram(rate_limits=False) as fake:
        fake.open_private(ANDI)
        bot = _make_bot(fake)
        try:
            for _ in range(10):
                await bot.send_message(ANDI.id, "x")
        finally:
            await bot.session.close()
        assert fake.flood_errors == 0


# ------------------------------------------------------------------------------ documents


async def test_send_document_multipart_is_stored(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    payload = b"PK\x03\x04 laporan bulanan"
    sent = await bot.send_document(
        ANDI.id,
        BufferedInputFile(payload, filename="laporan-2025-01.docx"),
        caption="Laporan <b>Januari</b>",
    )
    assert sent.document is not None
    assert sent.document.file_name == "laporan-2025-01.docx"
    assert sent.caption == "Laporan Januari"
    view = fake.sent_messages(ANDI.id)[0]
    assert view["kind"] == "document"
    assert view["document"] is not None
    assert view["document"]["data"] == payload
    assert view["document"]["file_name"] == "laporan-2025-01.docx"
    assert view["plain_text"] == "Laporan Januari"
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_document(ANDI.id, BufferedInputFile(b"x", "a.txt"), caption="c" * 1025)
    # Re-sending by file_id reuses the stored bytes.
    await bot.send_document(ANDI.id, sent.document.file_id)
    assert fake.sent_messages(ANDI.id)[-1]["document"] == view["document"]


# ------------------------------------------------------------------------------ edits & buttons


async def test_edit_message_text_not_modified(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    kb = _keyboard(("Ya", "yes"))
    sent = await bot.send_message(ANDI.id, "<b>Status</b>: baru", reply_markup=kb)
    edited = await bot.edit_message_text(
        text="<b>Status</b>: diproses",
        chat_id=ANDI.id,
        message_id=sent.message_id,
        reply_markup=kb,
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Status: diproses"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="<b>Status</b>: diproses",
            chat_id=ANDI.id,
            message_id=sent.message_id,
            reply_markup=kb,
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=ANDI.id, message_id=sent.message_id, reply_markup=kb
        )
    assert len(fake.bad_requests()) == 2
    # Omitting reply_markup removes the keyboard, so this is a modification.
    await bot.edit_message_text(
        text="<b>Status</b>: diproses", chat_id=ANDI.id, message_id=sent.message_id
    )
    view = fake.message(ANDI.id, sent.message_id)
    assert view["buttons"] == []
    assert [e["plain_text"] for e in view["edits"]] == ["Status: baru", "Status: diproses"]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=ANDI.id, message_id=999)


async def test_callback_flow(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    sent = await bot.send_message(
        ANDI.id,
        "Apakah jawaban membantu?",
        reply_markup=_keyboard(("Ya", "fb:1"), ("Tidak", "fb:0")),
    )
    update = fake.user_presses(ANDI, ANDI.id, sent.message_id, "fb:1")
    [received] = await bot.get_updates()
    query = received.callback_query
    assert query is not None
    assert query.id == update["callback_query"]["id"]
    assert query.data == "fb:1"
    assert query.from_user.id == ANDI.id
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="Terima kasih!")
    assert fake.callback_answers[0]["text"] == "Terima kasih!"
    assert fake.callback_answers[0]["data"] == "fb:1"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("123")
    with pytest.raises(ValueError, match="no button"):
        fake.user_presses(ANDI, ANDI.id, sent.message_id, "nope")
    assert "pressed [Ya]" in fake.transcript()


# ------------------------------------------------------------------------------ groups & channels


async def test_group_and_channel_discussion(fake: FakeTelegram, bot: Bot) -> None:
    fake.create_group(GROUP_ID, "Diskusi Info Bone")
    fake.create_channel(CHANNEL_ID, "Info Bone", username="infobone")
    fake.link_discussion(CHANNEL_ID, GROUP_ID)
    post = fake.channel_posts(CHANNEL_ID, "Pengumuman: pelayanan KTP libur")
    forward = fake.discussion_message(CHANNEL_ID, post["channel_post"]["message_id"])
    assert forward["is_automatic_forward"] is True
    comment = fake.user_sends_text(
        BUDI, GROUP_ID, "Kapan buka lagi?", reply_to_message_id=forward["message_id"]
    )
    updates = await bot.get_updates()
    assert [u.event_type for u in updates] == ["channel_post", "message", "message"]
    auto = updates[1].message
    assert auto is not None
    assert auto.is_automatic_forward
    assert auto.sender_chat is not None
    assert auto.sender_chat.id == CHANNEL_ID
    assert auto.forward_origin is not None
    assert auto.forward_origin.type == "channel"
    reply = updates[2].message
    assert reply is not None
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == forward["message_id"]
    assert reply.message_id == comment["message"]["message_id"]

    await bot.send_message(GROUP_ID, "Buka Senin.", reply_to_message_id=reply.message_id)
    chat = await bot.get_chat(CHANNEL_ID)
    assert chat.linked_chat_id == GROUP_ID
    assert (await bot.get_chat("@infobone")).id == CHANNEL_ID
    fake.set_member_count(GROUP_ID, 1234)
    assert await bot.get_chat_member_count(GROUP_ID) == 1234
    text = fake.transcript()
    assert "[Diskusi Info Bone] Budi #2 (reply to #1): Kapan buka lagi?" in text
    assert "[Diskusi Info Bone] BOT #3 (reply to #2): Buka Senin." in text


async def test_user_media_and_edits(fake: FakeTelegram, bot: Bot) -> None:
    fake.user_sends(ANDI, ANDI.id, photo=True, caption="foto jalan rusak")
    fake.user_sends(ANDI, ANDI.id, document={"file_name": "ktp.pdf"})
    fake.user_sends(ANDI, ANDI.id, location=True)
    fake.user_sends(ANDI, ANDI.id, voice=True)
    fake.user_sends(ANDI, ANDI.id, sticker=True)
    fake.user_sends(ANDI, ANDI.id, contact=True)
    original = fake.user_sends_text(ANDI, ANDI.id, "salah ketik")
    fake.user_edits_text(ANDI, ANDI.id, original["message"]["message_id"], "benar")
    updates = await bot.get_updates()
    messages = [u.message for u in updates[:7]]
    assert all(m is not None for m in messages)
    assert messages[0] is not None
    assert messages[0].photo is not None
    assert len(messages[0].photo) == 3
    assert messages[0].caption == "foto jalan rusak"
    assert messages[1] is not None
    assert messages[1].document is not None
    assert messages[1].document.file_name == "ktp.pdf"
    assert messages[2] is not None
    assert messages[2].location is not None
    assert messages[3] is not None
    assert messages[3].voice is not None
    assert messages[4] is not None
    assert messages[4].sticker is not None
    assert messages[5] is not None
    assert messages[5].contact is not None
    edited = updates[7].edited_message
    assert edited is not None
    assert edited.text == "benar"
    assert edited.edit_date is not None


async def test_raw_garbage_update_is_delivered(fake: FakeTelegram) -> None:
    fake.raw_update({"update_id": 77, "unknown_kind": {"x": 1}})
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{fake.base_url}/bot{TOKEN}/getUpdates") as resp,
    ):
        body = await resp.json()
    assert body == {"ok": True, "result": [{"update_id": 77, "unknown_kind": {"x": 1}}]}


# ------------------------------------------------------------------------------ misc methods


async def test_misc_methods(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.send_chat_action(ANDI.id, "typing")
    assert fake.chat_actions == [(ANDI.id, "typing")]
    sent = await bot.send_message(ANDI.id, "akan dihapus")
    assert await bot.delete_message(ANDI.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ANDI.id, sent.message_id)
    await bot.set_my_commands([BotCommand(command="start", description="Mulai")])
    commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start"]
    copied = await bot.copy_message(
        ANDI.id, ANDI.id, fake.user_sends_text(ANDI, ANDI.id, "c")["message"]["message_id"]
    )
    assert fake.message(ANDI.id, copied.message_id)["plain_text"] == "c"
    member = await bot.get_chat_member(ANDI.id, ANDI.id)
    assert member.status == "member"


async def test_wait_for_message_and_timeout_dump(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    asked = fake.user_sends_text(ANDI, ANDI.id, "jam buka?")["message"]["message_id"]

    async def reply_later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(ANDI.id, "Buka pukul 08.00 WITA")

    task = asyncio.create_task(reply_later())
    view = await fake.wait_for_message(ANDI.id, "08.00", after_message_id=asked)
    await task
    assert view["plain_text"] == "Buka pukul 08.00 WITA"
    with pytest.raises(AssertionError, match="transcript") as info:
        await fake.wait_for_message(ANDI.id, "tidak ada", timeout=0.2)
    assert "jam buka?" in str(info.value)


async def test_requests_are_recorded(fake: FakeTelegram, bot: Bot) -> None:
    fake.open_private(ANDI)
    await bot.send_message(
        ANDI.id, "x", reply_markup=_keyboard(("A", "a")), disable_notification=True
    )
    method, params = fake.requests[-1]
    assert method == "sendMessage"
    assert params["chat_id"] == str(ANDI.id)
    assert params["parse_mode"] == "HTML"
    assert json.loads(params["reply_markup"])["inline_keyboard"][0][0]["callback_data"] == "a"
    assert fake.calls("sendmessage") == [params]


async def test_aiogram_raw_get_updates_call(fake: FakeTelegram, bot: Bot) -> None:
    # The exact call aiogram's Dispatcher makes while polling.
    fake.user_sends_text(ANDI, ANDI.id, "halo")
    updates = await bot(GetUpdates(offset=None, timeout=1, allowed_updates=[]))
    assert len(updates) == 1


async def test_restarted_poller_is_not_blocked_by_abandoned_long_poll(fake: FakeTelegram) -> None:
    first = _make_bot(fake)
    poll = asyncio.create_task(first.get_updates(timeout=30))
    await asyncio.sleep(0.1)
    poll.cancel()
    await first.session.close()  # the client disconnects mid long-poll
    second = _make_bot(fake)
    try:
        await fake.wait_for(lambda: not fake.polling_active, timeout=2)
        assert await second.get_updates(timeout=0) == []
    finally:
        await second.session.close()


async def test_real_dispatcher_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            f"Halo <b>{html.quote(message.from_user.first_name if message.from_user else '')}"
            "</b>! Ketik pertanyaan Anda.",
            reply_markup=_keyboard(("Jam layanan", "faq:hours")),
        )

    @router.callback_query(F.data == "faq:hours")
    async def hours(query: CallbackQuery) -> None:
        await query.answer("Senin–Jumat 08.00–16.00 WITA")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, polling_timeout=1, close_bot_session=False
        )
    )
    try:
        fake.user_sends_text(make_user(6001, "Siti & <Co>"), 6001, "/start")
        greeting = await fake.wait_for_message(6001, "Ketik pertanyaan")
        assert greeting["plain_text"] == "Halo Siti & <Co>! Ketik pertanyaan Anda."
        fake.user_presses(
            make_user(6001, "Siti & <Co>"), 6001, greeting["message_id"], "faq:hours"
        )
        answer = await fake.wait_for(lambda: fake.callback_answers)
        assert answer[0]["text"] == "Senin–Jumat 08.00–16.00 WITA"
        assert fake.flood_errors == 0
    finally:
        await dispatcher.stop_polling()
        await polling
    assert "BOT answered button press toast: Senin–Jumat" in fake.transcript()

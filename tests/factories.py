"""Builders for Telegram updates (as aiogram objects) used by the handler tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram.types import CallbackQuery, Chat, Message, Update, User

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)

ADMIN_GROUP_ID = -1001000000001
DISCUSSION_GROUP_ID = -1001000000002
CHANNEL_ID = -1001000000003
ADMIN_ID = 5001
OFFICIAL_ID = 6001
BOT_ID = 42


def tg_user(user_id: int, first_name: str = "Warga", username: str | None = None) -> User:
    return User(id=user_id, is_bot=False, first_name=first_name, username=username)


def private_chat(user_id: int) -> Chat:
    return Chat(id=user_id, type="private")


def group_chat(chat_id: int = ADMIN_GROUP_ID, title: str = "Admin Layanan") -> Chat:
    return Chat(id=chat_id, type="supergroup", title=title)


def message(
    *,
    user: User,
    chat: Chat | None = None,
    text: str | None = "Halo",
    when: datetime | None = None,
    message_id: int | None = None,
    **fields: Any,
) -> Message:
    return Message(
        message_id=message_id or next(_message_ids),
        date=when or datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
        chat=chat or private_chat(user.id),
        from_user=user,
        text=text,
        **fields,
    )


def bot_message(*, chat: Chat, message_id: int, text: str = "kartu") -> Message:
    return Message(
        message_id=message_id,
        date=datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
        chat=chat,
        from_user=User(id=BOT_ID, is_bot=True, first_name="Bot"),
        text=text,
    )


def message_update(msg: Message, *, edited: bool = False) -> Update:
    if edited:
        return Update(update_id=next(_update_ids), edited_message=msg)
    return Update(update_id=next(_update_ids), message=msg)


def callback_update(
    *, user: User, data: str, message: Message | None = None, query_id: str | None = None
) -> Update:
    query = CallbackQuery(
        id=query_id or f"cb{next(_update_ids)}",
        from_user=user,
        chat_instance="ci",
        data=data,
        message=message,
    )
    return Update(update_id=next(_update_ids), callback_query=query)

"""One DB session per update: idempotency, the sender's user and role, one commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TgUser
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from storage import queries
from storage.db import SessionMaker
from storage.models import InboxUpdate, Role

# Telegram's stand-in sender for anonymous group admins and channel posts.
ANONYMOUS_SENDERS = frozenset({1087968824, 136817688, 777000})


class DbSessionMiddleware(BaseMiddleware):
    def __init__(
        self, *, session_maker: SessionMaker, clock: Clock, outbox_wake: asyncio.Event
    ) -> None:
        self.session_maker = session_maker
        self.clock = clock
        self.outbox_wake = outbox_wake

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        async with self.session_maker() as session:
            inbox = await _claim_inbox_row(session, event.update_id)
            if inbox is _TAKEN:
                return None  # another process is handling it right now (PostgreSQL)
            assert not isinstance(inbox, _Taken)
            if inbox is not None and inbox.processed_at is not None:
                return None  # handled before a restart; doing it again would send twice
            if inbox is None:
                inbox = InboxUpdate(
                    update_id=event.update_id,
                    payload=event.model_dump_json(exclude_none=True, exclude_unset=True),
                    received_at=self.clock.now(),
                )
                session.add(inbox)
            tg_user: TgUser | None = data.get("event_from_user")
            user = None
            if tg_user is not None and tg_user.id not in ANONYMOUS_SENDERS and not tg_user.is_bot:
                user = await queries.upsert_user(
                    session,
                    telegram_id=tg_user.id,
                    first_name=tg_user.first_name,
                    username=tg_user.username,
                )
            data["session"] = session
            data["user"] = user
            data["role"] = user.role if user is not None else Role.CITIZEN
            data["update_id"] = event.update_id
            result = await handler(event, data)
            inbox.processed_at = self.clock.now()
            await session.commit()
        self.outbox_wake.set()
        return result


class _Taken:
    """Marker: the inbox row is locked by another process's transaction."""


_TAKEN = _Taken()


async def _claim_inbox_row(session: AsyncSession, update_id: int) -> InboxUpdate | _Taken | None:
    """The update's inbox row; on PostgreSQL locked for this transaction (issue 11).

    Several processes share the inbox; ``FOR UPDATE SKIP LOCKED`` lets exactly one of them
    handle an update, the others skip it while it is being handled.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return await session.get(InboxUpdate, update_id)
    statement = (
        select(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id)
        .with_for_update(skip_locked=True)
    )
    row = (await session.exec(statement)).first()
    if row is not None:
        return row
    exists = await session.exec(
        select(InboxUpdate.update_id).where(col(InboxUpdate.update_id) == update_id)
    )
    return _TAKEN if exists.first() is not None else None

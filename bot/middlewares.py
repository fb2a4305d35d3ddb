"""One DB session per update: idempotency, the sender's user and role, one commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User as TgUser

from bot.clock import Clock
from bot.domain.enums import Role
from storage import queries
from storage.db import SessionMaker
from storage.models import InboxUpdate

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
            inbox = await queries.claim_inbox_update(session, update_id=event.update_id)
            if isinstance(inbox, queries.InboxRowTaken):
                return None  # another process is handling it right now (PostgreSQL)
            if inbox is not None and inbox.processed_at is not None:
                return None  # handled before a restart; doing it again would send twice
            if inbox is None:
                inbox = await queries.add_inbox_update(
                    session,
                    InboxUpdate(
                        update_id=event.update_id,
                        payload=event.model_dump_json(exclude_none=True, exclude_unset=True),
                        received_at=self.clock.now(),
                    ),
                )
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
            agency_id = data.get("agency_id")
            # Read on every update, so an appointment or a removal counts from the next one.
            data["role"] = (
                await queries.resolve_role(session, agency_id=agency_id, user=user)
                if isinstance(agency_id, int)
                else (user.role if user is not None else Role.CITIZEN)
            )
            data["update_id"] = event.update_id
            result = await handler(event, data)
            inbox.processed_at = self.clock.now()
            await session.commit()
        self.outbox_wake.set()
        return result

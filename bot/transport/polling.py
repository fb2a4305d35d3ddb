"""Durable long polling: an update is stored before its offset is confirmed.

Telegram forgets an update once a later getUpdates call passes an offset beyond it. We
pass that offset only after the batch is committed to the inbox, so a crash at any moment
means "received again" (ignored by the unique update_id), never "lost".
"""

from __future__ import annotations

import asyncio
import json
import logging

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.clock import Clock
from bot.logging_setup import mask_for_log
from bot.transport.sanitize import strip_nul
from storage import queries
from storage.db import SessionMaker
from storage.models import InboxUpdate

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "my_chat_member",
]
POLL_TIMEOUT_SECONDS = 25
MAX_ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 30.0


class InboxPoller:
    """Fetches updates into the inbox table."""

    def __init__(
        self,
        *,
        bot: Bot,
        session_maker: SessionMaker,
        clock: Clock,
        wake_worker: asyncio.Event,
        poll_timeout: int = POLL_TIMEOUT_SECONDS,
    ) -> None:
        self.bot = bot
        self.session_maker = session_maker
        self.clock = clock
        self.wake_worker = wake_worker
        self.poll_timeout = poll_timeout
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True

    async def run_forever(self) -> None:
        offset: int | None = None
        failures = 0
        while not self._stopping:
            try:
                updates = await self.bot(
                    GetUpdates(
                        offset=offset,
                        timeout=self.poll_timeout,
                        allowed_updates=ALLOWED_UPDATES,
                    ),
                    request_timeout=self.poll_timeout + 10,
                )
            except TelegramUnauthorizedError:
                logger.error("the Bot API refused the token (401); polling stops")
                raise
            except TelegramRetryAfter as exc:
                logger.warning("getUpdates got 429; retrying in %ss", exc.retry_after)
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramAPIError, ClientDecodeError) as exc:
                # 5xx, 409, timeouts, dropped connections and answers that are not JSON
                # (an nginx error page): nothing was confirmed, so polling again is safe.
                failures += 1
                delay = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(failures, 6))
                reason = exc.message if isinstance(exc, ClientDecodeError) else str(exc)
                logger.warning(
                    "getUpdates failed (%s: %s); retrying in %.1fs",
                    type(exc).__name__,
                    mask_for_log(reason)[:200],
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
            if not updates:
                continue
            rows = [
                (
                    update.update_id,
                    update.model_dump_json(exclude_none=True, exclude_unset=True),
                )
                for update in updates
            ]
            try:
                async with self.session_maker() as session:
                    await queries.store_raw_updates(session, updates=rows, now=self.clock.now())
                    await session.commit()
            except Exception as exc:
                # The database is away (restart, full disk): the offset stays where it was,
                # so Telegram hands the same updates over again once we retry.
                failures += 1
                delay = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(failures, 6))
                logger.warning(
                    "could not store %d updates (%s); polling them again in %.1fs",
                    len(rows),
                    mask_for_log(f"{type(exc).__name__}: {exc}".splitlines()[0])[:200],
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            # Only now is it safe to let Telegram forget these updates.
            offset = max(update_id for update_id, _ in rows) + 1
            self.wake_worker.set()


class InboxWorker:
    """Feeds stored updates through the dispatcher, in update_id order."""

    def __init__(
        self,
        *,
        bot: Bot,
        dispatcher: Dispatcher,
        session_maker: SessionMaker,
        clock: Clock,
        wake: asyncio.Event,
    ) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self.session_maker = session_maker
        self.clock = clock
        self.wake = wake
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True
        self.wake.set()

    async def run_forever(self) -> None:
        outage = 0
        while not self._stopping:
            # Clear before reading the inbox: a wake-up that arrives meanwhile is kept.
            self.wake.clear()
            try:
                processed = await self.process_pending()
            except Exception as exc:
                # The database is unreachable: wait and try again; no attempt was counted.
                outage += 1
                delay = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(outage, 6))
                logger.warning(
                    "inbox unavailable (%s); retrying in %.1fs",
                    mask_for_log(f"{type(exc).__name__}: {exc}".splitlines()[0])[:200],
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            outage = 0
            if processed:
                continue
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=2.0)
            except TimeoutError:
                continue

    async def process_pending(self, limit: int = 50) -> int:
        async with self.session_maker() as session:
            # Read-only: the lock is released at once, only rows locked elsewhere are left out.
            skip_locked = session.bind is not None and session.bind.dialect.name == "postgresql"
            rows = list(await queries.pending_inbox(session, limit=limit, skip_locked=skip_locked))
        for row in rows:
            if self._stopping:
                break
            await self._process(row)
        return len(rows)

    async def _process(self, row: InboxUpdate) -> None:
        try:
            raw = strip_nul(json.loads(row.payload))  # issue 11: PostgreSQL refuses NUL
            update = Update.model_validate(raw, context={"bot": self.bot})
            # The middleware marks the row processed in the handler's own transaction.
            await self.dispatcher.feed_update(self.bot, update)
        except Exception as exc:
            if not await self._database_answers():
                raise  # an outage, not this update's fault: the run loop waits and retries
            await self._record_failure(row, exc)

    async def _database_answers(self) -> bool:
        try:
            async with self.session_maker() as session:
                await queries.ping(session)
        except Exception:
            return False
        return True

    async def _record_failure(self, row: InboxUpdate, exc: Exception) -> None:
        async with self.session_maker() as session:
            stored = await queries.get_inbox_update(session, update_id=row.update_id)
            if stored is None or stored.processed_at is not None:
                return
            stored.attempts += 1
            stored.last_error = mask_for_log(f"{type(exc).__name__}: {exc}")[:1000]
            if stored.attempts >= MAX_ATTEMPTS:
                # Kept in the inbox with its error for an engineer; stops blocking the rest.
                stored.processed_at = self.clock.now()
                logger.error(
                    "update %s failed %d times and is set aside: %s",
                    row.update_id,
                    stored.attempts,
                    stored.last_error,
                )
            else:
                logger.warning(
                    "update %s failed (attempt %d): %s",
                    row.update_id,
                    stored.attempts,
                    stored.last_error,
                )
            await session.commit()

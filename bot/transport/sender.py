"""Drains the outbox under Telegram's limits: 30/s per bot, 1/s per private chat,
20/min per group; honours retry_after on 429 and retries transport faults with capped
backoff. Rows of one chat are delivered in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import BufferedInputFile
from aiogram.types import Message as TgMessage
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.logging_setup import mask_for_log
from storage import queries
from storage.db import SessionMaker
from storage.models import Direction, Outbox, OutboxStatus, Ticket

logger = logging.getLogger(__name__)

METHODS: dict[str, type[TelegramMethod[Any]]] = {
    "sendMessage": SendMessage,
    "editMessageText": EditMessageText,
    "editMessageReplyMarkup": EditMessageReplyMarkup,
    "answerCallbackQuery": AnswerCallbackQuery,
    "sendDocument": SendDocument,
    "copyMessage": CopyMessage,
}
# Calls that do not post a message and so do not count against chat limits.
UNLIMITED_METHODS = frozenset({"answerCallbackQuery"})
MAX_BACKOFF_SECONDS = 60.0
BATCH_SIZE = 200
# Nothing left to do: the edit is already there, or the button press expired.
HARMLESS_ERRORS = ("message is not modified", "query is too old")
RESEND_AFTER_CRASH = frozenset({"answer", "card", "edit_prompt", "queue_card", "report"})
INTERRUPTED_AFTER_SECONDS = 120


@dataclass
class RateLimiter:
    """Sliding windows per bot and per chat; the caller asks before each send."""

    per_bot: int = 30
    per_group_minute: int = 20
    private_interval: float = 1.0
    _bot_sends: deque[float] = field(default_factory=deque)
    _chat_sends: dict[int, deque[float]] = field(default_factory=dict)
    _blocked_until: dict[int, float] = field(default_factory=dict)

    def wait_time(self, chat_id: int, now: float, *, limited: bool = True) -> float:
        """Seconds until a message to ``chat_id`` may be sent (0 means now)."""
        waits = [self._blocked_until.get(chat_id, 0.0) - now]
        self._trim(self._bot_sends, now - 1.0)
        if len(self._bot_sends) >= self.per_bot:
            waits.append(self._bot_sends[0] + 1.0 - now)
        if limited:
            sends = self._chat_sends.get(chat_id)
            if sends:
                if chat_id < 0:
                    self._trim(sends, now - 60.0)
                    if len(sends) >= self.per_group_minute:
                        waits.append(sends[0] + 60.0 - now)
                else:
                    waits.append(sends[-1] + self.private_interval - now)
        return max(0.0, *waits)

    def record(self, chat_id: int, now: float, *, limited: bool = True) -> None:
        self._bot_sends.append(now)
        if limited:
            sends = self._chat_sends.setdefault(chat_id, deque())
            sends.append(now)
            if chat_id > 0:
                self._trim(sends, now - self.private_interval)

    def block(self, chat_id: int, until: float) -> None:
        self._blocked_until[chat_id] = max(self._blocked_until.get(chat_id, 0.0), until)

    @staticmethod
    def _trim(window: deque[float], older_than: float) -> None:
        while window and window[0] <= older_than:
            window.popleft()


@dataclass(frozen=True)
class SendOutcome:
    sent: bool
    retry_at: datetime | None = None
    error: str | None = None
    message_id: int | None = None


class OutboxSender:
    def __init__(
        self,
        *,
        bot: Bot,
        session_maker: SessionMaker,
        clock: Clock,
        limiter: RateLimiter | None = None,
        wake: asyncio.Event | None = None,
        monotonic: Callable[[], float] | None = None,
        default_agency_id: int,
        lock_rows: bool = False,
    ) -> None:
        self.bot = bot
        self.session_maker = session_maker
        self.clock = clock
        self.limiter = limiter or RateLimiter()
        self.wake = wake or asyncio.Event()
        self.monotonic = monotonic or time.monotonic
        self.lock_rows = lock_rows
        self.default_agency_id = default_agency_id
        self._stopping = False

    async def run_forever(self) -> None:
        await self.settle_interrupted()
        while not self._stopping:
            # Clear before draining: a wake-up that arrives mid-drain must not be lost.
            self.wake.clear()
            try:
                delay = await self.drain_once()
            except Exception:
                logger.exception("outbox drain failed; retrying shortly")
                delay = 1.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=delay)

    def stop(self) -> None:
        self._stopping = True
        self.wake.set()

    async def settle_interrupted(self) -> None:
        # With several processes (PostgreSQL) another one may be sending right now, so
        # only rows claimed long ago count as interrupted; SQLite has one process.
        grace = timedelta(seconds=0 if not self.lock_rows else INTERRUPTED_AFTER_SECONDS)
        async with self.session_maker() as session:
            requeued, abandoned = await queries.settle_interrupted_outbox(
                session,
                claimed_before=self.clock.now() - grace + timedelta(microseconds=1),
                resend_purposes=RESEND_AFTER_CRASH,
            )
            await session.commit()
        if requeued or abandoned:
            logger.warning(
                "outbox rows interrupted by a crash: %d re-queued, %d not repeated",
                requeued,
                abandoned,
            )

    async def drain_once(self) -> float:
        """Send what is due and allowed now; returns how long to sleep before the next try."""
        now = self.clock.now()
        async with self.session_maker() as session:
            rows = await queries.due_outbox(
                session, now=now, limit=BATCH_SIZE, lock=self.lock_rows
            )
            batch = await self._pick_batch(session, rows)
            for row in batch:
                row.status = OutboxStatus.SENDING
                row.due_at = now  # the claim time, so a crash can be told from a slow send
            await session.commit()
        if not batch:
            return await self._next_delay()
        results = await asyncio.gather(*(self._send_row(row) for row in batch))
        async with self.session_maker() as session:
            for row, outcome in zip(batch, results, strict=True):
                await self._store_outcome(session, row, outcome)
            await session.commit()
        return 0.0

    async def _pick_batch(self, session: AsyncSession, rows: Sequence[Outbox]) -> list[Outbox]:
        """At most one row per chat (ordering), the oldest one, and only if limits allow."""
        mono = self.monotonic()
        seen: set[int] = set()
        batch: list[Outbox] = []
        first_ids = await queries.first_undelivered_ids(
            session,
            chat_ids=list({row.chat_id for row in rows}),
            unordered_methods=UNLIMITED_METHODS,
        )
        for row in rows:
            limited = row.method not in UNLIMITED_METHODS
            if limited:
                # Keep each chat in order: only its oldest undelivered row may go.
                if row.chat_id in seen or first_ids.get(row.chat_id) != row.id:
                    continue
                seen.add(row.chat_id)
            if row.target_outbox_id is not None and not await self._resolve_target(session, row):
                continue
            if self.limiter.wait_time(row.chat_id, mono, limited=limited) > 0:
                continue
            self.limiter.record(row.chat_id, mono, limited=limited)
            batch.append(row)
        return batch

    async def _resolve_target(self, session: AsyncSession, row: Outbox) -> bool:
        """Fill in the message_id of an edit whose target was itself queued."""
        target = await session.get(Outbox, row.target_outbox_id)
        if target is None or target.status == OutboxStatus.FAILED:
            row.status = OutboxStatus.FAILED
            row.last_error = "target message was never sent"
            return False
        if target.result_message_id is None:
            return False
        params = json.loads(row.payload)
        params["message_id"] = target.result_message_id
        row.payload = json.dumps(params, ensure_ascii=False)
        row.target_outbox_id = None
        return True

    async def _next_delay(self) -> float:
        async with self.session_maker() as session:
            statement = (
                select(Outbox.due_at)
                .where(Outbox.status == OutboxStatus.PENDING)
                .order_by(col(Outbox.due_at))
                .limit(1)
            )
            due = (await session.exec(statement)).first()
        if due is None:
            return 5.0
        # Rate-limited rows are due already; poll soon so the window can open.
        return min(5.0, max(0.05, (due - self.clock.now()).total_seconds()))

    async def _send_row(self, row: Outbox) -> SendOutcome:  # noqa: PLR0911
        method_class = METHODS.get(row.method)
        if method_class is None:
            return SendOutcome(sent=False, error=f"unsupported method {row.method}")
        try:
            params = json.loads(row.payload)
            attachment = params.pop("_attachment", None)
            # Keys starting with "_" are for our record, not for Telegram.
            params = {key: value for key, value in params.items() if not key.startswith("_")}
            if attachment is not None:
                params["document"] = BufferedInputFile(
                    bytes.fromhex(attachment["hex"]), filename=attachment["filename"]
                )
            method = method_class.model_validate(params)
        except (ValueError, ValidationError) as exc:
            return SendOutcome(sent=False, error=f"invalid payload: {exc}")
        try:
            result = await self.bot(method)
        except TelegramRetryAfter as exc:
            until = self.monotonic() + exc.retry_after
            self.limiter.block(row.chat_id, until)
            logger.warning("429 for chat %s: retry after %ss", row.chat_id, exc.retry_after)
            return SendOutcome(
                sent=False, retry_at=self.clock.now() + timedelta(seconds=exc.retry_after)
            )
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
            backoff = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** min(row.attempts, 8))
            logger.warning(
                "transient error on %s (attempt %d): %s", row.method, row.attempts + 1, exc
            )
            return SendOutcome(
                sent=False,
                retry_at=self.clock.now() + timedelta(seconds=backoff),
                error=type(exc).__name__,
            )
        except TelegramUnauthorizedError:
            logger.error("the Bot API refused the token (401); stopping the sender")
            self.stop()
            return SendOutcome(
                sent=False, retry_at=self.clock.now() + timedelta(seconds=60), error="401"
            )
        except TelegramBadRequest as exc:
            if any(marker in exc.message for marker in HARMLESS_ERRORS):
                return SendOutcome(sent=True)
            return self._rejected(row, exc)
        except (TelegramForbiddenError, TelegramNotFound, TelegramAPIError) as exc:
            return self._rejected(row, exc)
        message_id = result.message_id if isinstance(result, TgMessage) else None
        return SendOutcome(sent=True, message_id=message_id)

    @staticmethod
    def _rejected(row: Outbox, exc: TelegramAPIError) -> SendOutcome:
        logger.error(
            "Bot API rejected outbox row %s (%s to %s): %s",
            row.id,
            row.method,
            row.chat_id,
            mask_for_log(exc.message),
        )
        return SendOutcome(sent=False, error=exc.message[:500])

    async def _store_outcome(
        self, session: AsyncSession, row: Outbox, outcome: SendOutcome
    ) -> None:
        stored = await session.get(Outbox, row.id)
        if stored is None:
            return
        stored.attempts += 1
        now = self.clock.now()
        if outcome.sent:
            stored.status = OutboxStatus.SENT
            stored.sent_at = now
            stored.result_message_id = outcome.message_id
            stored.payload = row.payload
            stored.target_outbox_id = None
            await self._record_sent(session, stored, now)
            return
        if outcome.retry_at is not None:
            stored.status = OutboxStatus.PENDING
            stored.due_at = outcome.retry_at
            stored.payload = row.payload
            stored.target_outbox_id = row.target_outbox_id
            stored.last_error = outcome.error
            return
        stored.status = OutboxStatus.FAILED
        stored.last_error = outcome.error

    async def _record_sent(self, session: AsyncSession, row: Outbox, now: datetime) -> None:
        """Outgoing messages join the conversation record once Telegram accepted them."""
        if row.method not in {"sendMessage", "sendDocument"}:
            return
        params = json.loads(row.payload)
        ticket = await session.get(Ticket, row.ticket_id) if row.ticket_id else None
        if row.purpose == "card" and ticket is not None and ticket.card_outbox_id == row.id:
            ticket.card_message_id = row.result_message_id
        await queries.record_message(
            session,
            agency_id=ticket.agency_id if ticket else self.default_agency_id,
            direction=Direction.OUT,
            chat_id=row.chat_id,
            telegram_message_id=row.result_message_id,
            ticket_id=row.ticket_id,
            outbox_id=row.id,
            content_type="document" if row.method == "sendDocument" else "text",
            text=params.get("_record_text") or params.get("text") or params.get("caption"),
            purpose=row.purpose,
            created_at=row.created_at,
            sent_at=now,
        )

"""Drains the outbox under Telegram's limits, one row at a time, and never strands a row.

- Pacing: every request is stamped when it leaves, and a rolling-window limiter keeps
  30 sends per bot in any 1.03 s, one per private chat in any 1.1 s and 20 per group in
  any 61 s, with at least 20 ms between two sends. The extra length of each window is
  headroom for network jitter: Telegram counts at arrival, and an arrival window of one
  second can only hold what left within one second plus the jitter.
- A 429 pauses every send for ``retry_after``: Telegram does not say whether it applies
  to one chat or to the whole bot.
- Each row is sent and recorded on its own: an exception while sending one row (a
  non-JSON answer, an unexpected type, anything) affects that row only. Transient
  errors are retried with capped backoff, permanent ones mark the row failed with the
  reason, and the outcome is committed as soon as Telegram answers.
- At least once: a row found 'sending' longer than ``stuck_after`` (a crash, a lost
  process) is sent again, by the running process, whatever its purpose.
- An edit identical to what the message already shows is not sent (Telegram would answer
  400 "message is not modified"): the last accepted content of every card and prompt is
  kept in ``message_render``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramMigrateToChat,
    TelegramNetworkError,
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
from aiogram.types import BufferedInputFile, Message as TgMessage
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.domain.enums import OutboxPurpose, OutboxStatus
from bot.logging_setup import mask_for_log
from storage import queries
from storage.db import SessionMaker
from storage.models import Outbox

logger = logging.getLogger(__name__)

METHODS: dict[str, type[TelegramMethod[Any]]] = {
    "sendMessage": SendMessage,
    "editMessageText": EditMessageText,
    "editMessageReplyMarkup": EditMessageReplyMarkup,
    "answerCallbackQuery": AnswerCallbackQuery,
    "sendDocument": SendDocument,
    "copyMessage": CopyMessage,
}
# Calls that do not post a message and so do not count against chat or bot windows.
UNLIMITED_METHODS = frozenset({"answerCallbackQuery"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})
# Sent messages that may be edited later; their content is kept to skip identical edits.
EDITABLE_PURPOSES = frozenset(
    {"card", "queue_card", "queue", "queue_summary", "edit_prompt", "broadcast_progress"}
)
MAX_BACKOFF_SECONDS = 60.0
# Called in the transaction that marks a row sent (the record, the card's message id).
DeliveredHook = Callable[[AsyncSession, Outbox, datetime], Awaitable[None]]
BATCH_SIZE = 200
# Broadcast rows waiting at the gate at most: a new acknowledgement queues behind these.
BULK_AT_GATE = 8
# An error we did not foresee is retried a few times, then the row is failed with it.
MAX_UNEXPECTED_ATTEMPTS = 5
# Nothing left to do: the edit is already there, or the button press expired.
HARMLESS_ERRORS = ("message is not modified", "query is too old")
# One request may take this long; a row 'sending' for much longer was interrupted.
REQUEST_TIMEOUT_SECONDS = 60
STUCK_AFTER_SECONDS = 2 * REQUEST_TIMEOUT_SECONDS
REQUEUE_EVERY_SECONDS = 10.0
# While rows wait at the gate, new ones are claimed at most this often.
CLAIM_EVERY_SECONDS = 0.2


BULK_PURPOSES = frozenset({OutboxPurpose.BROADCAST.value})


def is_bulk(row: Outbox) -> bool:
    """A broadcast row: sent after every other due row, within its share of the limit."""
    return row.purpose in BULK_PURPOSES


def backoff_seconds(attempts: int) -> float:
    """Capped exponential backoff: 0.5 s, 1 s, 2 s, ... up to a minute."""
    return min(MAX_BACKOFF_SECONDS, 0.5 * 2.0 ** min(attempts, 8))


@dataclass
class RollingWindow:
    """At most ``limit`` departures in any ``seconds``-long window."""

    limit: int
    seconds: float
    departures: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.departures and now - self.departures[0] >= self.seconds:
            self.departures.popleft()
        if len(self.departures) < self.limit:
            return 0.0
        return self.departures[0] + self.seconds - now

    def record(self, now: float) -> None:
        self.departures.append(now)


@dataclass
class RateLimiter:
    """Departure-time limits per bot and per chat, with headroom for jitter at arrival.

    Telegram allows about 30 messages a second per bot, one a second per private chat
    and 20 a minute per group, counted when requests arrive. If every window here is
    longer than Telegram's by the largest variation in network delay, no window at the
    server can hold more than the limit: what arrives within one second left within one
    second plus that variation. ``min_spacing`` spreads catch-up bursts, so the answer
    to a 429 comes back before many more requests have left.
    """

    per_bot: int = 30
    bot_window: float = 1.03
    private_window: float = 1.1
    per_group: int = 20
    group_window: float = 61.0
    min_spacing: float = 0.02
    # Broadcast rows (issue 12) get this share of the bot window; the rest stays free for
    # acknowledgements, answers and cards arriving meanwhile.
    per_bulk: int = 28
    _bot: RollingWindow = field(init=False)
    _bulk: RollingWindow = field(init=False)
    _chats: dict[int, RollingWindow] = field(default_factory=dict, init=False)
    _last_departure: float = field(default=float("-inf"), init=False)
    _paused_until: float = field(default=float("-inf"), init=False)

    def __post_init__(self) -> None:
        self._bot = RollingWindow(self.per_bot, self.bot_window)
        self._bulk = RollingWindow(min(self.per_bulk, self.per_bot), self.bot_window)

    def _chat(self, chat_id: int) -> RollingWindow:
        window = self._chats.get(chat_id)
        if window is None:
            # Private chats have positive ids; groups, supergroups and channels negative.
            if chat_id > 0:
                window = RollingWindow(1, self.private_window)
            else:
                window = RollingWindow(self.per_group, self.group_window)
            self._chats[chat_id] = window
        return window

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until the chat's own window lets a message through."""
        return max(0.0, self._chat(chat_id).wait(now))

    def wait_time(self, chat_id: int, now: float, *, limited: bool = True) -> float:
        """Seconds until a request to ``chat_id`` may leave (0 means now)."""
        waits = [self._paused_until - now]
        if limited:
            waits.append(self._bot.wait(now))
            waits.append(self._last_departure + self.min_spacing - now)
            waits.append(self._chat(chat_id).wait(now))
        return max(0.0, *waits)

    def record(self, chat_id: int, now: float, *, limited: bool = True) -> None:
        """Stamp a request at the moment it leaves."""
        if not limited:
            return
        self._bot.record(now)
        self._chat(chat_id).record(now)
        self._last_departure = now

    def bulk_wait(self, now: float) -> float:
        """Seconds until a broadcast row fits in the broadcast share of the bot window."""
        return max(0.0, self._bulk.wait(now))

    def record_bulk(self, now: float) -> None:
        """Stamp a broadcast row as it leaves (after ``record``)."""
        self._bulk.record(now)

    def pause(self, until: float) -> None:
        """After a 429 nothing leaves until ``until``: its scope is unknown."""
        self._paused_until = max(self._paused_until, until)

    def forget_idle_chats(self, now: float) -> None:
        """Drop windows that are empty, so memory does not grow with every chat ever seen."""
        idle = [chat for chat, window in self._chats.items() if window.wait(now) == 0]
        for chat_id in idle:
            if not self._chats[chat_id].departures:
                del self._chats[chat_id]


@dataclass(frozen=True)
class SendOutcome:
    sent: bool
    retry_at: datetime | None = None
    error: str | None = None
    message_id: int | None = None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _inline_markup(params: dict[str, Any]) -> str | None:
    # Only an inline keyboard is part of the message; force_reply and others are not.
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return _canonical(markup["inline_keyboard"])
    return None


def rendered_text(params: dict[str, Any]) -> str:
    """The content of a text message as Telegram compares it for "not modified"."""
    return _canonical({"text": params.get("text"), "parse_mode": params.get("parse_mode")})


class OutboxSender:
    """The one sender of a process: ``start``/``stop`` around ``run_forever``, or ``run_once``.

    A lease (one sender among several processes) can gate it by calling ``start`` when
    it is won and ``stop`` when it is lost.
    """

    def __init__(
        self,
        *,
        bot: Bot,
        session_maker: SessionMaker,
        clock: Clock,
        limiter: RateLimiter | None = None,
        wake: asyncio.Event | None = None,
        monotonic: Callable[[], float] | None = None,
        sleep: Callable[[float], Any] | None = None,
        on_delivered: DeliveredHook,
        lock_rows: bool = False,
        stuck_after: float = STUCK_AFTER_SECONDS,
        requeue_every: float = REQUEUE_EVERY_SECONDS,
    ) -> None:
        self.bot = bot
        self.session_maker = session_maker
        self.clock = clock
        self.limiter = limiter or RateLimiter()
        self.wake = wake or asyncio.Event()
        self.monotonic = monotonic or time.monotonic
        self._sleep = sleep or asyncio.sleep
        self.lock_rows = lock_rows
        self.on_delivered = on_delivered
        self.stuck_after = stuck_after
        self.requeue_every = requeue_every
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._next_requeue = float("-inf")
        # Seconds until the first chat window that held back a due row opens again.
        self._chat_window_wait: float | None = None
        # Outcomes waiting for the next commit, and the task that commits them.
        self._outcomes: list[tuple[Outbox, SendOutcome, asyncio.Future[None]]] = []
        self._recorder: asyncio.Task[None] | None = None
        # Claimed rows leave one by one through this gate, where the limiter stamps them.
        self._gate = asyncio.Lock()
        self._at_gate = 0
        self._bulk_at_gate = 0
        # Chats with a broadcast row in flight: their next row waits for its outcome.
        self._bulk_chats: set[int] = set()
        self._last_claim = float("-inf")

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Begin draining in the background."""
        if self._task is not None and not self._task.done():
            return
        self._stopping = False
        self._task = asyncio.create_task(self.run_forever())

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop claiming rows; sends in flight finish and are recorded first."""
        self.request_stop()
        if self._task is None:
            return
        done, _pending = await asyncio.wait({self._task}, timeout=grace_seconds)
        if not done:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    def request_stop(self) -> None:
        self._stopping = True
        self.wake.set()

    async def run_forever(self) -> None:
        await self.settle_interrupted()
        try:
            while not self._stopping:
                # Clear before draining: a wake-up that arrives mid-drain must not be lost.
                self.wake.clear()
                try:
                    delay = await self._drain(wait_for_outcomes=False)
                except Exception:
                    logger.exception("outbox drain failed; retrying shortly")
                    delay = 1.0
                if delay > 0 and not self._stopping:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), timeout=delay)
        finally:
            await self._wait_in_flight()

    async def run_once(self) -> float:
        """Send what is due now (paced), wait for every outcome to be stored.

        Returns how long to sleep before the next try.
        """
        return await self._drain(wait_for_outcomes=True)

    async def settle_interrupted(self) -> None:
        """At start: rows another run of the program left 'sending' are sent again.

        With SQLite there is one process, so every such row was interrupted. With
        PostgreSQL another process may be sending right now: only rows claimed longer
        ago than ``stuck_after`` count.
        """
        grace = 0.0 if not self.lock_rows else self.stuck_after
        await self._requeue_stuck(claimed_before=self.clock.now() - timedelta(seconds=grace))

    # ------------------------------------------------------------------ draining

    async def _drain(self, *, wait_for_outcomes: bool) -> float:
        if self.monotonic() >= self._next_requeue:
            self._next_requeue = self.monotonic() + self.requeue_every
            await self._requeue_stuck(
                claimed_before=self.clock.now() - timedelta(seconds=self.stuck_after)
            )
        if not wait_for_outcomes and self._at_gate > 0:
            # Rows still wait at the gate: claim again in batches, not once per send (a
            # row passing the gate wakes us). A claim costs two queries and a commit.
            if self._at_gate >= self.limiter.per_bot // 3:
                return 1.0
            since_claim = self.monotonic() - self._last_claim
            if since_claim < CLAIM_EVERY_SECONDS:
                return CLAIM_EVERY_SECONDS - since_claim
        self._last_claim = self.monotonic()
        room = self.limiter.per_bot - self._at_gate
        rows = await self._claim(limit=room)
        if not rows:
            if wait_for_outcomes:
                await self._wait_in_flight()
            return await self._next_delay()
        await self._dispatch(rows)
        if wait_for_outcomes:
            await self._wait_in_flight()
        return 0.0

    async def _requeue_stuck(self, *, claimed_before: datetime) -> None:
        async with self.session_maker() as session:
            requeued = await queries.requeue_stuck_outbox(
                session,
                claimed_before=claimed_before,
                now=self.clock.now(),
                exclude_ids=list(self._in_flight),
            )
            await session.commit()
        if requeued:
            logger.warning(
                "%d outbox rows had an unknown outcome (interrupted while sending); "
                "they are sent again",
                requeued,
            )

    async def _claim(self, *, limit: int) -> list[Outbox]:
        """Mark 'sending' the due rows whose chat may receive now: one per chat, in order."""
        now = self.clock.now()
        mono = self.monotonic()
        claimed: list[Outbox] = []
        async with self.session_maker() as session:
            rows = await queries.due_outbox(
                session, now=now, limit=BATCH_SIZE, lock=self.lock_rows
            )
            first_ids = await queries.first_undelivered_ids(
                session,
                chat_ids=list({row.chat_id for row in rows}),
                unordered_methods=UNLIMITED_METHODS,
                unordered_purposes=BULK_PURPOSES,
            )
            seen: set[int] = set()
            self._chat_window_wait = None
            bulk_room = BULK_AT_GATE - self._bulk_at_gate
            for row in rows:
                if len(claimed) >= limit:
                    break
                if is_bulk(row):
                    if bulk_room <= 0:
                        break  # rows are sorted bulk last: nothing else follows
                    bulk_room -= 1
                limited = row.method not in UNLIMITED_METHODS
                if limited:
                    # Keep each chat in order: only its oldest undelivered row may go.
                    if row.chat_id in seen or not self._next_in_chat(row, first_ids):
                        continue
                    seen.add(row.chat_id)
                    chat_wait = self.limiter.chat_wait(row.chat_id, mono)
                    if chat_wait > 0:
                        current = self._chat_window_wait or chat_wait
                        self._chat_window_wait = min(current, chat_wait)
                        continue
                try:
                    ready = await self._prepare(session, row, now)
                except Exception as exc:
                    # A row that cannot even be prepared must not hold up the others.
                    logger.exception("outbox row %s could not be prepared", row.id)
                    row.status = OutboxStatus.FAILED
                    row.last_error = f"could not prepare: {type(exc).__name__}"[:500]
                    continue
                if not ready:
                    continue
                row.status = OutboxStatus.SENDING
                row.due_at = now  # the claim time, so a stuck row can be told from a slow one
                claimed.append(row)
            await session.commit()
        self.limiter.forget_idle_chats(mono)
        return claimed

    def _next_in_chat(self, row: Outbox, first_ids: dict[int, int]) -> bool:
        """May ``row`` go now without overtaking, or crowding, another row of its chat?

        An ordinary row must be its chat's oldest undelivered ordinary row, and no
        broadcast row to that chat may be on its way. A broadcast row goes only to a chat
        with nothing else undelivered: the citizen's own conversation comes first.
        """
        if is_bulk(row):
            return row.chat_id not in first_ids
        return first_ids.get(row.chat_id) == row.id and row.chat_id not in self._bulk_chats

    async def _prepare(self, session: AsyncSession, row: Outbox, now: datetime) -> bool:
        """Resolve an edit's target and drop an edit that would change nothing."""
        if row.target_outbox_id is not None and not await self._resolve_target(session, row):
            return False
        if row.method not in EDIT_METHODS:
            return True
        params = json.loads(row.payload)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            return True
        shown = await queries.message_render(session, chat_id=row.chat_id, message_id=message_id)
        if shown is None:
            return True
        content = rendered_text(params) if row.method == "editMessageText" else shown.content
        if content == shown.content and _inline_markup(params) == shown.markup:
            row.status = OutboxStatus.SKIPPED
            row.sent_at = now
            row.last_error = "not sent: identical to what the message shows"
            return False
        return True

    async def _resolve_target(self, session: AsyncSession, row: Outbox) -> bool:
        """Fill in the message_id of an edit whose target was itself queued."""
        target = await queries.get_outbox(session, outbox_id=row.target_outbox_id)
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

    async def _dispatch(self, rows: Sequence[Outbox]) -> None:
        """Start one task per claimed row; each waits its turn at the gate, in claim order."""
        for row in rows:
            assert row.id is not None
            self._at_gate += 1
            if is_bulk(row):
                self._bulk_at_gate += 1
                self._bulk_chats.add(row.chat_id)
            self._in_flight[row.id] = asyncio.create_task(self._deliver(row))

    async def _pass_gate(self, row: Outbox) -> bool:
        """Wait until the limiter lets ``row`` leave, and stamp it as it leaves.

        The stamp is taken here, in the task that sends, with nothing between it and the
        request being written to the socket: a task that waited to be scheduled after the
        stamp would reach Telegram later than the limiter thinks, and a late arrival is
        what packs 31 sends into one second at the server. The lock is fair (FIFO), so
        rows leave in the order they were claimed. False if the sender stops meanwhile.
        """
        limited = row.method not in UNLIMITED_METHODS
        bulk = is_bulk(row)
        try:
            async with self._gate:
                while not self._stopping:
                    wait = self.limiter.wait_time(row.chat_id, self.monotonic(), limited=limited)
                    if bulk:
                        wait = max(wait, self.limiter.bulk_wait(self.monotonic()))
                    if wait <= 0:
                        break
                    # In short steps, so a stop request is noticed during a long 429 pause.
                    await self._sleep(min(wait, 0.5))
                if self._stopping:
                    return False
                departure = self.monotonic()
                self.limiter.record(row.chat_id, departure, limited=limited)
                if bulk:
                    self.limiter.record_bulk(departure)
                return True
        finally:
            self._at_gate -= 1
            if bulk:
                self._bulk_at_gate -= 1
            # Room at the gate: the drain loop may claim the next rows.
            self.wake.set()

    async def _release(self, rows: Sequence[Outbox]) -> None:
        async with self.session_maker() as session:
            await queries.release_outbox_claims(
                session, ids=[row.id for row in rows if row.id is not None]
            )
            await session.commit()

    async def _deliver(self, row: Outbox) -> None:
        assert row.id is not None
        try:
            if not await self._pass_gate(row):
                await self._release([row])
                return
            outcome = await self._send_row(row)
            await self._record_outcome(row, outcome)
        except Exception:
            # The row stays 'sending' and is sent again after stuck_after: at least once.
            logger.exception("outcome of outbox row %s could not be stored", row.id)
        finally:
            self._in_flight.pop(row.id, None)
            if is_bulk(row):
                self._bulk_chats.discard(row.chat_id)
            # The chat's next row may go now: it waited for this one to keep the order.
            self.wake.set()

    async def _record_outcome(self, row: Outbox, outcome: SendOutcome) -> None:
        """Store the outcome as soon as possible; returns once it is committed.

        Outcomes that arrive while a commit is running are stored together in the next
        one: a transaction per answer would make the database, not Telegram, the limit.
        """
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outcomes.append((row, outcome, done))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._store_outcomes())
        await done

    async def _store_outcomes(self) -> None:
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            try:
                async with self.session_maker() as session:
                    # One read for the whole batch; the loop below finds the rows loaded
                    # (held here: the session keeps only weak references to them).
                    loaded = await queries.outbox_rows(
                        session, ids=[row.id for row, _, _ in batch]
                    )
                    for row, outcome, _done in batch:
                        await self._store_outcome(session, row, outcome)
                    await session.commit()
                    del loaded
            except Exception as exc:
                if len(batch) == 1:
                    batch[0][2].set_exception(exc)
                    continue
                # One row's trouble must not cost the others their record: each alone.
                for row, outcome, done in batch:
                    try:
                        async with self.session_maker() as session:
                            await self._store_outcome(session, row, outcome)
                            await session.commit()
                    except Exception as exc:
                        done.set_exception(exc)
                    else:
                        done.set_result(None)
                continue
            for _row, _outcome, done in batch:
                done.set_result(None)

    async def _wait_in_flight(self) -> None:
        while self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def _next_delay(self) -> float:
        async with self.session_maker() as session:
            due = await queries.next_pending_due(session)
        if due is None:
            return 5.0
        until_due = (due - self.clock.now()).total_seconds()
        if until_due <= 0 and self._chat_window_wait is not None:
            # Due rows wait for a chat window (or for their chat's earlier row, which
            # wakes the loop when it is recorded).
            until_due = self._chat_window_wait
        return min(5.0, max(0.05, until_due))

    # ------------------------------------------------------------------ one request

    def _method(self, row: Outbox) -> TelegramMethod[Any]:
        method_class = METHODS.get(row.method)
        if method_class is None:
            raise ValueError(f"unsupported method {row.method}")
        params = json.loads(row.payload)
        # Keys starting with "_" are for our record, not for Telegram.
        params = {key: value for key, value in params.items() if not key.startswith("_")}
        if row.attachment is not None:
            params["document"] = BufferedInputFile(
                row.attachment, filename=row.attachment_name or "document"
            )
        return method_class.model_validate(params)

    async def _send_row(self, row: Outbox) -> SendOutcome:  # noqa: PLR0911
        """One request; every exception becomes this row's outcome, never the batch's."""
        try:
            method = self._method(row)
        except Exception as exc:
            return SendOutcome(sent=False, error=f"invalid payload: {exc}"[:500])
        try:
            result = await self.bot(method, request_timeout=REQUEST_TIMEOUT_SECONDS)
        except TelegramRetryAfter as exc:
            # Telegram does not say what the 429 applies to: pause everything.
            self.limiter.pause(self.monotonic() + exc.retry_after)
            logger.warning(
                "429 (%s to %s): every send waits %ss", row.method, row.chat_id, exc.retry_after
            )
            return SendOutcome(
                sent=False,
                retry_at=self.clock.now() + timedelta(seconds=exc.retry_after),
                error="429",
            )
        except (TelegramEntityTooLarge, TelegramMigrateToChat) as exc:
            # Permanent although aiogram files the first under network errors.
            return self._rejected(row, exc)
        except (TelegramServerError, TelegramNetworkError, ClientDecodeError, TimeoutError) as exc:
            # 5xx, timeouts, dropped connections and answers that are not Telegram's JSON
            # (nginx HTML pages, empty or truncated bodies) are the front end's trouble.
            return self._transient(row, self._describe(exc))
        except TelegramUnauthorizedError:
            logger.error("the Bot API refused the token (401); stopping the sender")
            self.request_stop()
            return SendOutcome(
                sent=False, retry_at=self.clock.now() + timedelta(seconds=60), error="401"
            )
        except TelegramBadRequest as exc:
            if any(marker in exc.message for marker in HARMLESS_ERRORS):
                return SendOutcome(sent=True)
            return self._rejected(row, exc)
        except TelegramAPIError as exc:
            # 403 blocked or kicked, 404, 409 and anything else Telegram refuses for good.
            return self._rejected(row, exc)
        except Exception as exc:
            description = f"unexpected {type(exc).__name__}: {exc}"
            if row.attempts + 1 >= MAX_UNEXPECTED_ATTEMPTS:
                logger.exception("outbox row %s failed for good", row.id)
                return SendOutcome(sent=False, error=mask_for_log(description)[:500])
            return self._transient(row, description)
        message_id = result.message_id if isinstance(result, TgMessage) else None
        return SendOutcome(sent=True, message_id=message_id)

    @staticmethod
    def _describe(exc: BaseException) -> str:
        if isinstance(exc, ClientDecodeError):
            # Its text carries the whole HTML page; the type and the cause are enough.
            return f"ClientDecodeError: {exc.message} ({type(exc.original).__name__})"
        return f"{type(exc).__name__}: {exc}"

    def _transient(self, row: Outbox, description: str) -> SendOutcome:
        backoff = backoff_seconds(row.attempts)
        logger.warning(
            "transient error on %s (attempt %d), retrying in %.1fs: %s",
            row.method,
            row.attempts + 1,
            backoff,
            mask_for_log(description)[:300],
        )
        return SendOutcome(
            sent=False,
            retry_at=self.clock.now() + timedelta(seconds=backoff),
            error=mask_for_log(description)[:500],
        )

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

    # ------------------------------------------------------------------ outcomes

    async def _store_outcome(
        self, session: AsyncSession, row: Outbox, outcome: SendOutcome
    ) -> None:
        stored = await queries.get_outbox(session, outbox_id=row.id)
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
            stored.last_error = None
            await self._remember_render(session, stored, now)
            await self.on_delivered(session, stored, now)
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

    async def _remember_render(self, session: AsyncSession, row: Outbox, now: datetime) -> None:
        """Keep what a card or prompt shows now, to recognise an edit that changes nothing."""
        params = json.loads(row.payload)
        if row.method == "sendMessage":
            if row.result_message_id is None or (
                row.purpose not in EDITABLE_PURPOSES and _inline_markup(params) is None
            ):
                return
            message_id = row.result_message_id
            content = rendered_text(params)
        elif row.method in EDIT_METHODS and isinstance(params.get("message_id"), int):
            message_id = params["message_id"]
            if row.method == "editMessageText":
                content = rendered_text(params)
            else:
                shown = await queries.message_render(
                    session, chat_id=row.chat_id, message_id=message_id
                )
                if shown is None:
                    return
                content = shown.content
        else:
            return
        await queries.save_message_render(
            session,
            chat_id=row.chat_id,
            message_id=message_id,
            content=content,
            markup=_inline_markup(params),
            now=now,
        )

"""Dissemination to subscribers (Pasal 8 huruf i): /langganan, /berhenti and broadcasts.

A broadcast is a ``broadcast`` row plus one outbox row per active subscriber, written in
the transaction of the admin's command: after a restart the sender simply goes on with
the rows still pending, and the progress is counted again from the outbox. The sender
sends broadcast rows after every other row and within their share of the bot limit
(``bot/transport/sender.py``). The progress card is edited in place, at most once per
``BROADCAST_PROGRESS_SECONDS`` and only when a count changed; subscribers whose row
Telegram refused with 403 are marked blocked and skipped by later broadcasts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.domain.audit import AuditAction
from bot.domain.enums import OutboxPurpose, OutboxStatus
from bot.domain.outreach import BroadcastProgress, BroadcastState, is_blocked_error
from bot.services.audit import AuditTrail
from bot.services.notifier import Notifier
from bot.services.runtime import Runtime
from storage import queries
from storage.models import Broadcast, Subscriber, User

logger = logging.getLogger(__name__)


class Subscriptions:
    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def subscribe(self, session: AsyncSession, *, telegram_id: int) -> bool:
        """True if this (re)subscribes; False if already subscribed."""
        now = self.clock.now()
        row = await queries.find_subscriber(session, telegram_id=telegram_id)
        if row is None:
            await queries.add_subscriber(
                session, Subscriber(telegram_id=telegram_id, subscribed_at=now)
            )
            return True
        if row.unsubscribed_at is None and row.blocked_at is None:
            return False
        # Writing /langganan again also shows the bot is no longer blocked.
        row.subscribed_at = now
        row.unsubscribed_at = None
        row.blocked_at = None
        return True

    async def unsubscribe(self, session: AsyncSession, *, telegram_id: int) -> bool:
        """True if a subscription ended; False if there was none."""
        row = await queries.find_subscriber(session, telegram_id=telegram_id)
        if row is None or row.unsubscribed_at is not None:
            return False
        row.unsubscribed_at = self.clock.now()
        return True


class Broadcasts:
    def __init__(
        self,
        *,
        clock: Clock,
        notifier: Notifier,
        agency_id: int,
        progress_seconds: float,
        audit: AuditTrail | None = None,
    ) -> None:
        self.clock = clock
        self.notifier = notifier
        self.agency_id = agency_id
        self.audit = audit or AuditTrail(clock=clock, agency_id=agency_id)
        self.progress_interval = timedelta(seconds=progress_seconds)

    async def start(
        self,
        session: AsyncSession,
        *,
        author_id: int | None,
        progress_chat_id: int,
        body_html: str,
        post_id: int | None = None,
        actor: User | None = None,
    ) -> Broadcast | None:
        """Queue a broadcast of ``body_html`` (already escaped); None without subscribers.

        With ``actor`` (the admin of /siaran) the broadcast leaves an audit row.
        """
        now = self.clock.now()
        chat_ids = await queries.active_subscriber_ids(session)
        if not chat_ids:
            return None
        broadcast = await queries.add_broadcast(
            session,
            Broadcast(
                agency_id=self.agency_id,
                author_id=author_id,
                text=body_html,
                post_id=post_id,
                total=len(chat_ids),
                progress_chat_id=progress_chat_id,
                started_at=now,
            ),
        )
        assert broadcast.id is not None
        card = await self.notifier.send_text(
            session,
            chat_id=progress_chat_id,
            text=self._progress_text(broadcast, BroadcastProgress(len(chat_ids), 0, 0, 0)),
            purpose=OutboxPurpose.BROADCAST_PROGRESS,
        )
        broadcast.progress_outbox_id = card.id
        await queries.enqueue_broadcast_rows(
            session,
            broadcast_id=broadcast.id,
            chat_ids=chat_ids,
            params={
                "text": texts.broadcast_message(body_html=body_html),
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            },
            now=now,
        )
        if actor is not None:
            await self.audit.record(
                session,
                actor=actor,
                action=AuditAction.BROADCAST,
                target=f"broadcast:{broadcast.id}",
                detail={"recipients": len(chat_ids), "post_id": post_id},
            )
        return broadcast

    async def refresh(self, session: AsyncSession, broadcast: Broadcast) -> bool:
        """Count the broadcast's rows, mark 403s blocked, edit the card when due.

        Returns True if the card was queued for an edit.
        """
        assert broadcast.id is not None
        now = self.clock.now()
        progress = await self._count(session, broadcast.id, now)
        changed = (progress.sent, progress.blocked, progress.failed) != (
            broadcast.sent,
            broadcast.blocked,
            broadcast.failed,
        )
        if progress.done:
            broadcast.state = BroadcastState.DONE
            broadcast.finished_at = broadcast.finished_at or now
        if not changed or not self._edit_due(broadcast, now, final=progress.done):
            return False
        broadcast.sent, broadcast.blocked, broadcast.failed = (
            progress.sent,
            progress.blocked,
            progress.failed,
        )
        broadcast.progress_at = now
        await self._edit_card(session, broadcast, progress)
        return True

    async def refresh_running(self, session: AsyncSession) -> int:
        """Refresh every running broadcast; returns how many cards were queued for an edit."""
        edits = 0
        for broadcast in await queries.running_broadcasts(session):
            edits += await self.refresh(session, broadcast)
        return edits

    async def _count(
        self, session: AsyncSession, broadcast_id: int, now: datetime
    ) -> BroadcastProgress:
        counts = await queries.broadcast_status_counts(session, broadcast_id=broadcast_id)
        failed_rows = await queries.failed_broadcast_rows(session, broadcast_id=broadcast_id)
        blocked_ids = [chat for chat, error in failed_rows if is_blocked_error(error)]
        await queries.mark_subscribers_blocked(session, telegram_ids=blocked_ids, now=now)
        total = sum(counts.values())
        return BroadcastProgress(
            total=total,
            sent=counts.get(OutboxStatus.SENT, 0),
            blocked=len(blocked_ids),
            failed=len(failed_rows) - len(blocked_ids),
        )

    def _edit_due(self, broadcast: Broadcast, now: datetime, *, final: bool) -> bool:
        # Edits are throttled; the last one (everything finished) always goes.
        if final or broadcast.progress_at is None:
            return True
        return now - broadcast.progress_at >= self.progress_interval

    async def _edit_card(
        self, session: AsyncSession, broadcast: Broadcast, progress: BroadcastProgress
    ) -> None:
        card = await queries.get_outbox(session, outbox_id=broadcast.progress_outbox_id)
        message_id = card.result_message_id if card is not None else None
        await self.notifier.edit_text(
            session,
            chat_id=broadcast.progress_chat_id,
            message_id=message_id,
            text=self._progress_text(broadcast, progress),
            purpose=OutboxPurpose.BROADCAST_PROGRESS,
            # One pending edit per card: a newer count replaces an edit not yet sent.
            dedupe_key=f"broadcast-progress:{broadcast.id}",
            target_outbox_id=broadcast.progress_outbox_id if message_id is None else None,
        )

    @staticmethod
    def _progress_text(broadcast: Broadcast, progress: BroadcastProgress) -> str:
        assert broadcast.id is not None
        status = texts.BROADCAST_DONE if progress.done else texts.BROADCAST_RUNNING
        figures = texts.broadcast_progress(
            broadcast_id=broadcast.id,
            total=progress.total,
            sent=progress.sent,
            blocked=progress.blocked,
            failed=progress.failed,
            percent=progress.percent,
        )
        return f"{figures}\n\n{status}"


async def watch_broadcasts(app: Runtime, broadcasts: Broadcasts, *, every: float) -> None:
    """Background job: refresh the running broadcasts' progress until cancelled."""
    while True:
        try:
            async with app.session_maker() as session:
                edits = await broadcasts.refresh_running(session)
                await session.commit()
            if edits:
                app.outbox_wake.set()
        except Exception:
            logger.exception("broadcast progress could not be refreshed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.sleep(every)

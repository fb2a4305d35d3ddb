"""One elected sender among several processes, so Telegram's 30/s limit holds for the bot.

Every process polls or serves the webhook and processes updates; outbox rows are claimed
with ``FOR UPDATE SKIP LOCKED``, so no row is sent by two processes. The rate limit,
though, is per bot: two senders pacing themselves at 30/s would together send 60/s. So
on PostgreSQL the sender runs only in the process holding the ``sender`` lease row (the
same renewable lease the scheduler uses). A process that loses it stops sending before
its lease expires on its own clock; another takes over within ``SENDER_LEASE_TTL``.

With SQLite there is one process and no lease: the sender just runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.clock import Clock
from bot.scheduler import LeaderLease
from bot.transport.sender import OutboxSender
from storage.db import SessionMaker

logger = logging.getLogger(__name__)

SENDER_LEASE = "sender"
SENDER_LEASE_TTL = 15
SENDER_LEASE_RENEW = 5.0


class SenderLease:
    """Starts the sender while this process holds the lease and stops it when it does not."""

    def __init__(
        self,
        sender: OutboxSender,
        *,
        session_maker: SessionMaker,
        clock: Clock,
        ttl_seconds: int = SENDER_LEASE_TTL,
        renew_seconds: float = SENDER_LEASE_RENEW,
    ) -> None:
        self.sender = sender
        self.lease = LeaderLease(
            session_maker=session_maker, clock=clock, name=SENDER_LEASE, ttl_seconds=ttl_seconds
        )
        self.renew_seconds = renew_seconds
        self.sending = False
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run_forever(self) -> None:
        try:
            while not self._stop.is_set():
                await self._step()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self.renew_seconds)
        finally:
            if self.sending:
                await self.sender.stop()
                self.sending = False
            with contextlib.suppress(Exception):
                await self.lease.release()

    async def _step(self) -> None:
        try:
            leader = await self.lease.renew()
        except Exception:
            # A database hiccup: our lease lapses on its own at the TTL.
            logger.exception("could not renew the sender lease")
            leader = self.lease.is_leader
        if leader and not self.sending:
            logger.info("this process now sends the outbox (%s)", self.lease.holder)
            await self.sender.start()
            self.sending = True
        elif not leader and self.sending:
            logger.warning("sender lease lost; this process stops sending")
            await self.sender.stop()
            self.sending = False

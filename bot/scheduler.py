"""Scheduled work in the bot's process: timer sweeps, digests and channel snapshots.

The due times live in the database (``Timer``, ``JobRun``), not in the scheduler, so a
restart misses nothing and no message goes out twice:

* A timer fires through a conditional UPDATE (``WHERE fired_at IS NULL``), in the same
  transaction as the outbox rows it causes; of two sweepers exactly one wins.
* A once-per-period job inserts ``JobRun(job, period_key)`` in the transaction that
  enqueues its message; the unique constraint refuses a second run.

Several bot processes may share one PostgreSQL database. A ``Lease`` row elects one of
them to run the jobs (the others stay idle and take over once the lease expires). The
lease only saves work: correctness never depends on it, because of the two rules above.

APScheduler only decides *when* to look. When a process becomes leader (start-up or
failover) it sweeps at once, and a digest or summary missed meanwhile is sent late the same
morning (``SchedulerJobs.catch_up``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock, FixedClock
from bot.config import Settings
from bot.domain import periods
from bot.domain.enums import OutboxPurpose, Role, TicketAction, TicketKind, TicketState
from bot.domain.labels import format_duration_id, format_local_datetime
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.services import performance, timers
from bot.services.data_rights import DataRights
from bot.services.notifier import Notifier
from bot.services.runtime import Runtime
from storage import queries
from storage.db import SessionMaker
from storage.models import Ticket, Timer

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TTL_SECONDS = 60
LEASE_RENEW_SECONDS = 20
SWEEP_INTERVAL_SECONDS = 30
SWEEP_BATCH = 200

DIGEST_AT = time(7, 30)
WEEKLY_AT = time(8, 0)
SNAPSHOT_AT = time(23, 50)
# A digest missed at 07:30 (no leader then) is still worth sending until noon.
DIGEST_CATCH_UP_UNTIL = time(12, 0)
# How far back to look for the previous working day before giving up on long closures.
MAX_LOOKBACK_DAYS = 31

JOB_SWEEP = "sweep_due_timers"
JOB_DIGEST = "morning_digest"
JOB_WEEKLY = "weekly_summary"
JOB_SNAPSHOT = "snapshot_channel_members"
JOB_RETENTION = "data_retention"
# At night, when nobody waits on the database.
RETENTION_AT = time(2, 30)

TIMER_EVENT_ACTIONS = {
    timers.REMINDER: TicketAction.REMINDER_SENT,
    timers.ESCALATION: TicketAction.ESCALATED,
    timers.FOLLOWUP: TicketAction.FOLLOWUP_SENT,
}


# ----------------------------------------------------------------------------- leader lease


def lease_holder_id() -> str:
    """``hostname:pid:random``: unique per process, readable in the database."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class LeaderLease:
    """A renewable lease row; the holder whose lease is unexpired is the leader."""

    def __init__(
        self,
        *,
        session_maker: SessionMaker,
        clock: Clock,
        holder: str | None = None,
        name: str = LEASE_NAME,
        ttl_seconds: int = LEASE_TTL_SECONDS,
    ) -> None:
        self.session_maker = session_maker
        self.clock = clock
        self.holder = holder or lease_holder_id()
        self.name = name
        self.ttl = timedelta(seconds=ttl_seconds)
        self._expires_at: datetime | None = None

    @property
    def is_leader(self) -> bool:
        """True while our last successful renewal has not expired (checked on our clock)."""
        return self._expires_at is not None and self.clock.now() < self._expires_at

    async def renew(self) -> bool:
        """Take or extend the lease if it is ours or expired; returns ``is_leader``."""
        now = self.clock.now()
        expires_at = now + self.ttl
        async with self.session_maker() as session:
            won = await queries.take_lease(
                session, name=self.name, holder=self.holder, now=now, expires_at=expires_at
            )
            await session.commit()
        self._expires_at = expires_at if won else None
        return won

    async def release(self) -> None:
        """Expire our lease now, so another process need not wait for the TTL."""
        async with self.session_maker() as session:
            await queries.expire_lease(
                session, name=self.name, holder=self.holder, now=self.clock.now()
            )
            await session.commit()
        self._expires_at = None


# ----------------------------------------------------------------------------- timers


async def sweep_due_timers(
    *,
    session_maker: SessionMaker,
    settings: Settings,
    clock: Clock,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    limit: int = SWEEP_BATCH,
) -> int:
    """Fire every due ticket timer once; returns how many fired (cancelled ones excluded)."""
    now = clock.now()
    async with session_maker() as session:
        due = await queries.due_timer_ids(
            session, now=now, kinds=timers.TICKET_TIMER_KINDS, limit=limit
        )
    fired = 0
    for timer_id in due:
        # One transaction per timer: a failing one does not hold back the others.
        try:
            if await _fire_timer(
                session_maker,
                timer_id=timer_id,
                settings=settings,
                now=now,
                calendar=calendar,
                policy=policy,
            ):
                fired += 1
        except Exception:
            logger.exception("timer %s could not be fired; the next sweep retries it", timer_id)
    return fired


async def _fire_timer(
    session_maker: SessionMaker,
    *,
    timer_id: int,
    settings: Settings,
    now: datetime,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> bool:
    async with session_maker() as session:
        timer = await queries.get_timer(session, timer_id=timer_id)
        ticket = (
            await queries.get_ticket(session, ticket_id=timer.ticket_id)
            if timer and timer.ticket_id
            else None
        )
        if timer is None or ticket is None:
            return False
        still_open = ticket.state == TicketState.OPEN
        # A ticket closed without its timers cancelled (older code, a race) needs none.
        claimed = await queries.close_timer(session, timer_id=timer_id, now=now, fired=still_open)
        if not claimed:
            await session.rollback()
            return False  # another sweeper fired it, or it was cancelled meanwhile
        if not still_open:
            await session.commit()
            return False
        recipients = await _enqueue_timer_messages(
            session,
            timer=timer,
            ticket=ticket,
            settings=settings,
            now=now,
            calendar=calendar,
            policy=policy,
        )
        assert ticket.id is not None
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TIMER_EVENT_ACTIONS[timer.kind],
            at=now,
            detail={"due_at": timer.due_at.isoformat(), "recipients": recipients},
        )
        await session.commit()
    return True


async def _enqueue_timer_messages(
    session: AsyncSession,
    *,
    timer: Timer,
    ticket: Ticket,
    settings: Settings,
    now: datetime,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
) -> int:
    """Outbox rows for one fired timer; returns the number of recipients."""
    assert ticket.id is not None
    tz = settings.tz
    kind_value = str(ticket.kind)  # loaded rows carry the plain string
    kind = texts.esc(texts.KIND_LABELS.get(kind_value, kind_value))
    ticket_kind = TicketKind(kind_value)
    due = policy.first_response_due(calendar, ticket.created_at, ticket_kind)
    if timer.kind == timers.REMINDER:
        # A late sweep (the bot was down) must not claim the deadline is still ahead.
        template = texts.TIMER_REMINDER_LATE if now >= due else texts.TIMER_REMINDER
        text = template.format(
            ticket_id=ticket.id, kind=kind, due=texts.esc(format_local_datetime(due, tz))
        )
        if settings.admin_chat_id is not None:
            reply_to = (
                ticket.card_message_id if ticket.card_chat_id == settings.admin_chat_id else None
            )
            await _send(
                session,
                settings.admin_chat_id,
                text,
                now=now,
                purpose=OutboxPurpose.REMINDER,
                ticket_id=ticket.id,
                reply_to=reply_to,
            )
            return 1
        chats = await _private_chats(session, Role.ADMIN, ticket.agency_id)
        for chat_id in chats:
            await _send(
                session,
                chat_id,
                text,
                now=now,
                purpose=OutboxPurpose.REMINDER,
                ticket_id=ticket.id,
            )
        return len(chats)
    if timer.kind == timers.ESCALATION:
        text = texts.TIMER_ESCALATION.format(
            ticket_id=ticket.id,
            kind=kind,
            target=texts.esc(format_duration_id(policy.first_response_target(ticket_kind))),
            opened=texts.esc(format_local_datetime(ticket.created_at, tz)),
            waited=texts.esc(
                format_duration_id(calendar.working_seconds_between(ticket.created_at, now))
            ),
        )
        chats = await _private_chats(session, Role.OFFICIAL, ticket.agency_id)
        if not chats:
            logger.warning("ticket #%s missed its target but no official is registered", ticket.id)
        for chat_id in chats:
            await _send(
                session,
                chat_id,
                text,
                now=now,
                purpose=OutboxPurpose.ESCALATION,
                ticket_id=ticket.id,
            )
        return len(chats)
    text = texts.TIMER_FOLLOWUP.format(ticket_id=ticket.id)
    await _send(
        session,
        ticket.chat_id,
        text,
        now=now,
        purpose=OutboxPurpose.FOLLOWUP,
        ticket_id=ticket.id,
        reply_to=ticket.last_citizen_message_id,
    )
    return 1


async def _private_chats(session: AsyncSession, role: Role, agency_id: int) -> list[int]:
    # Per agency: an official of one agency gets no escalation or summary of another.
    return await queries.telegram_ids_with_role_in(session, agency_id=agency_id, role=role)


async def _send(
    session: AsyncSession,
    chat_id: int,
    text: str,
    *,
    now: datetime,
    purpose: OutboxPurpose,
    ticket_id: int | None = None,
    reply_to: int | None = None,
) -> None:
    await Notifier(clock=FixedClock(now)).send_text(
        session,
        chat_id=chat_id,
        text=text,
        reply_to=reply_to,
        purpose=purpose,
        ticket_id=ticket_id,
    )


# ----------------------------------------------------------------------------- once per period


async def _claim_period(
    session: AsyncSession, *, job: str, period_key: str, now: datetime
) -> bool:
    """False when the job already ran for this period (see ``queries.claim_job_run``)."""
    return await queries.claim_job_run(session, job=job, period_key=period_key, now=now)


def previous_working_day(calendar: WorkingCalendar, today: date) -> date:
    """The last working day before ``today`` (yesterday if none in a month)."""
    for back in range(1, MAX_LOOKBACK_DAYS + 1):
        day = today - timedelta(days=back)
        if calendar.is_working_day(day):
            return day
    return today - timedelta(days=1)


async def send_morning_digest(
    *,
    session_maker: SessionMaker,
    settings: Settings,
    clock: Clock,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    agency_id: int,
) -> bool:
    """Working-day digest to the admin group; True when it was enqueued by this call.

    "Yesterday" is every day since the previous working day, so Monday's digest also
    covers the weekend.
    """
    now = clock.now()
    tz = settings.tz
    today = now.astimezone(tz).date()
    if not calendar.is_working_day(today):
        return False
    since_day = previous_working_day(calendar, today)
    yesterday = today - timedelta(days=1)
    async with session_maker() as session:
        if not await _claim_period(session, job=JOB_DIGEST, period_key=today.isoformat(), now=now):
            return False
        since = await _figures_between(
            session,
            agency_id=agency_id,
            first_day=since_day,
            stop_day=today,
            settings=settings,
            policy=policy,
            calendar=calendar,
            now=now,
        )
        text = performance.render_morning_digest(
            today=today,
            backlog=since.backlog,
            since=since,
            since_label=periods.days_label(since_day, yesterday),
            tz=tz,
        )
        chats = (
            [settings.admin_chat_id]
            if settings.admin_chat_id is not None
            else await _private_chats(session, Role.ADMIN, agency_id)
        )
        for chat_id in chats:
            await _send(session, chat_id, text, now=now, purpose=OutboxPurpose.DIGEST)
        await session.commit()
    return True


async def _figures_between(
    session: AsyncSession,
    *,
    agency_id: int,
    first_day: date,
    stop_day: date,
    settings: Settings,
    policy: ServiceLevelPolicy,
    calendar: WorkingCalendar,
    now: datetime,
) -> performance.PerformanceFigures:
    """Figures for tickets opened from ``first_day`` up to (not including) ``stop_day``."""
    return await performance.performance_figures(
        session,
        agency_id=agency_id,
        start=periods.local_day_start(first_day, settings.tz),
        end=periods.local_day_start(stop_day, settings.tz),
        target_seconds=policy.first_response_seconds,
        targets_by_kind=policy.first_response_seconds_by_kind,
        now=now,
        calendar=calendar,
    )


def iso_week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


async def send_weekly_summary(
    *,
    session_maker: SessionMaker,
    settings: Settings,
    clock: Clock,
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    agency_id: int,
) -> bool:
    """Last week's (Monday–Sunday) figures to each official; True when enqueued now."""
    now = clock.now()
    tz = settings.tz
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    last_monday = monday - timedelta(days=7)
    async with session_maker() as session:
        key = iso_week_key(last_monday)
        if not await _claim_period(session, job=JOB_WEEKLY, period_key=key, now=now):
            return False
        figures = await _figures_between(
            session,
            agency_id=agency_id,
            first_day=last_monday,
            stop_day=monday,
            settings=settings,
            policy=policy,
            calendar=calendar,
            now=now,
        )
        text = performance.render_weekly_summary(
            figures,
            period_text=periods.days_label(last_monday, monday - timedelta(days=1)),
        )
        for chat_id in await _private_chats(session, Role.OFFICIAL, agency_id):
            await _send(session, chat_id, text, now=now, purpose=OutboxPurpose.WEEKLY_SUMMARY)
        await session.commit()
    return True


async def snapshot_channel_members(
    *,
    session_maker: SessionMaker,
    settings: Settings,
    clock: Clock,
    agency_id: int,
    bot: Bot,
) -> bool:
    """Record today's channel member count (for the yearly report); True when stored."""
    channel_id = settings.channel_id
    if channel_id is None:
        return False
    now = clock.now()
    today = now.astimezone(settings.tz).date()
    key = f"{channel_id}:{today.isoformat()}"
    async with session_maker() as session:
        if await queries.job_ran(session, job=JOB_SNAPSHOT, period_key=key):
            return False
    try:
        # A read, not a message: it does not go through the outbox.
        count = await bot.get_chat_member_count(chat_id=channel_id)
    except TelegramAPIError as exc:
        logger.warning("could not read the member count of channel %s: %s", channel_id, exc)
        return False
    async with session_maker() as session:
        if not await _claim_period(session, job=JOB_SNAPSHOT, period_key=key, now=now):
            return False
        await queries.save_member_count(
            session, agency_id=agency_id, channel_id=channel_id, day=today, count=count, now=now
        )
        await session.commit()
    return True


async def enforce_data_retention(
    *, session_maker: SessionMaker, settings: Settings, clock: Clock, notifier: Notifier
) -> int:
    """Pseudonymise citizens silent for longer than DATA_RETENTION_DAYS; returns how many."""
    rights = DataRights(settings=settings, clock=clock, notifier=notifier)
    async with session_maker() as session:
        done = await rights.enforce_retention(session)
        await session.commit()
    if done:
        logger.info("retention: %d citizens pseudonymised", done)
    return done


# ----------------------------------------------------------------------------- the scheduler

Job = Callable[[], Awaitable[Any]]


class SchedulerJobs:
    """The jobs bound to one application, each run only while this process leads."""

    def __init__(self, app: Runtime, lease: LeaderLease) -> None:
        self.app = app
        self.lease = lease
        self._common: dict[str, Any] = {
            "session_maker": app.session_maker,
            "settings": app.settings,
            "clock": app.clock,
        }
        self._service: dict[str, Any] = {
            **self._common,
            "calendar": app.calendar,
            "policy": app.policy,
        }
        self.agency_id = app.agency_id

    async def sweep(self) -> None:
        await self._guarded(JOB_SWEEP, lambda: sweep_due_timers(**self._service))

    async def digest(self) -> None:
        await self._guarded(
            JOB_DIGEST, lambda: send_morning_digest(**self._service, agency_id=self.agency_id)
        )

    async def weekly(self) -> None:
        await self._guarded(
            JOB_WEEKLY, lambda: send_weekly_summary(**self._service, agency_id=self.agency_id)
        )

    async def snapshot(self) -> None:
        await self._guarded(
            JOB_SNAPSHOT,
            lambda: snapshot_channel_members(
                **self._common, agency_id=self.agency_id, bot=self.app.bot
            ),
        )

    async def retention(self) -> None:
        await self._guarded(
            JOB_RETENTION,
            lambda: enforce_data_retention(**self._common, notifier=self.app.notifier),
        )

    async def catch_up(self) -> None:
        """Work missed while no process led (start-up, failover) is done now."""
        await self.sweep()
        local = self.app.clock.now().astimezone(self.app.settings.tz)
        if DIGEST_AT <= local.time() < DIGEST_CATCH_UP_UNTIL:
            await self.digest()
        if local.weekday() == 0 and local.time() >= WEEKLY_AT:
            await self.weekly()

    async def _guarded(self, name: str, job: Job) -> None:
        if not self.lease.is_leader:
            return
        try:
            await job()
        except Exception:
            # One failed run must not stop the schedule; the next run tries again.
            logger.exception("scheduled job %s failed", name)
        self.app.outbox_wake.set()


def build_scheduler(app: Runtime, jobs: SchedulerJobs) -> AsyncIOScheduler:
    """The APScheduler with fixed job ids; the due times themselves are in the database."""
    tz = app.settings.tz
    scheduler = AsyncIOScheduler(timezone=tz)
    common: dict[str, Any] = {
        "replace_existing": True,
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": 600,
    }
    scheduler.add_job(
        jobs.sweep,
        IntervalTrigger(seconds=SWEEP_INTERVAL_SECONDS, timezone=tz),
        id=JOB_SWEEP,
        **common,
    )
    scheduler.add_job(
        jobs.digest,
        CronTrigger(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, timezone=tz),
        id=JOB_DIGEST,
        **common,
    )
    scheduler.add_job(
        jobs.weekly,
        CronTrigger(day_of_week="mon", hour=WEEKLY_AT.hour, minute=WEEKLY_AT.minute, timezone=tz),
        id=JOB_WEEKLY,
        **common,
    )
    scheduler.add_job(
        jobs.retention,
        CronTrigger(hour=RETENTION_AT.hour, minute=RETENTION_AT.minute, timezone=tz),
        id=JOB_RETENTION,
        **common,
    )
    if app.settings.channel_id is not None:
        scheduler.add_job(
            jobs.snapshot,
            CronTrigger(hour=SNAPSHOT_AT.hour, minute=SNAPSHOT_AT.minute, timezone=tz),
            id=JOB_SNAPSHOT,
            **common,
        )
    return scheduler


async def run_scheduler(app: Runtime, *, renew_seconds: float = LEASE_RENEW_SECONDS) -> None:
    """Run the scheduled jobs beside polling until cancelled (an ``app.background`` entry)."""
    lease = LeaderLease(session_maker=app.session_maker, clock=app.clock)
    jobs = SchedulerJobs(app, lease)
    scheduler = build_scheduler(app, jobs)
    logger.info("scheduler starting as %s", lease.holder)
    try:
        while True:
            was_leader = lease.is_leader
            try:
                leader = await lease.renew()
            except Exception:
                # A database hiccup: keep trying; is_leader lapses on its own at the TTL.
                logger.exception("could not renew the scheduler lease")
                leader = lease.is_leader
            if leader and not was_leader:
                logger.info("this process now runs the scheduled jobs")
                await jobs.catch_up()
            # Started after the first renewal, so the first runs already know the leader.
            if not scheduler.running:
                scheduler.start()
            await asyncio.sleep(renew_seconds)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        with contextlib.suppress(Exception):
            await lease.release()

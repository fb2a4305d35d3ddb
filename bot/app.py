"""Factories for the bot, the dispatcher and the running application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import DeleteWebhook, GetMe
from aiogram.types import BotCommand, BotCommandScopeChat
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain.enums import Role
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.handlers import build_routers
from bot.leases import SenderLease
from bot.middlewares import DbSessionMiddleware
from bot.services.admin_actions import AdminActions
from bot.services.audit import AuditTrail
from bot.services.card_board import CardBoard
from bot.services.data_rights import DataRights
from bot.services.delivery import DeliveryRecorder
from bot.services.ethics import EthicsChecker
from bot.services.faq import refresh_overlay
from bot.services.intake import Intake
from bot.services.notifier import Notifier
from bot.services.officers import Officers
from bot.services.outreach import Broadcasts, Subscriptions
from bot.services.posts import PostDesk
from bot.services.ratings import Ratings
from bot.services.suggestions import Suggester
from bot.transport.polling import InboxPoller, InboxWorker
from bot.transport.sender import OutboxSender
from bot.transport.webhook import WebhookIntake
from storage import queries
from storage.db import SessionMaker, create_engine, create_session_maker, is_sqlite

logger = logging.getLogger(__name__)


def create_bot(settings: Settings, *, token: str | None = None) -> Bot:
    """A Bot that calls ``{TELEGRAM_API_BASE}/bot{token}/{method}``."""
    secret = token or (settings.bot_token.get_secret_value() if settings.bot_token else "")
    api = TelegramAPIServer.from_base(settings.telegram_api_base)
    return Bot(token=secret, session=AiohttpSession(api=api))


async def prepare_database(settings: Settings, session_maker: SessionMaker, clock: Clock) -> int:
    """Ensure the default agency and the bootstrap roles; returns the agency id."""
    async with session_maker() as session:
        agency = await queries.ensure_agency(
            session, code=settings.agency_code, name=settings.agency_name
        )
        assert agency.id is not None
        for telegram_id in settings.admin_ids:
            if telegram_id not in settings.official_ids:
                await queries.set_role(
                    session, telegram_id=telegram_id, role=Role.ADMIN, now=clock.now()
                )
                await queries.ensure_bootstrap_appointment(
                    session,
                    agency_id=agency.id,
                    telegram_id=telegram_id,
                    role=Role.ADMIN,
                    now=clock.now(),
                )
        for telegram_id in settings.official_ids:
            await queries.set_role(
                session, telegram_id=telegram_id, role=Role.OFFICIAL, now=clock.now()
            )
            await queries.ensure_bootstrap_appointment(
                session,
                agency_id=agency.id,
                telegram_id=telegram_id,
                role=Role.OFFICIAL,
                now=clock.now(),
            )
        await session.commit()
        assert agency.id is not None
        return agency.id


@dataclass(frozen=True)
class Services:
    """The long-lived services of one bot process, built once (the composition root).

    Handlers never see this object: the dispatcher hands each handler the services it
    names as parameters (``intake``, ``board``, ``actions``, ``notifier``, ...).
    """

    settings: Settings
    clock: Clock
    agency_id: int
    suggester: Suggester
    calendar: WorkingCalendar
    policy: ServiceLevelPolicy
    notifier: Notifier
    board: CardBoard
    intake: Intake
    actions: AdminActions
    # --- issue 12: outreach
    subscriptions: Subscriptions
    broadcasts: Broadcasts
    posts: PostDesk
    data_rights: DataRights
    ratings: Ratings
    officers: Officers
    # --- issue 13 item 2
    audit: AuditTrail
    # --- issue 13: the Pasal 12 ethics check of answers
    ethics: EthicsChecker

    def dependencies(self) -> dict[str, Any]:
        """What the dispatcher injects into handlers, by parameter name."""
        return {
            "agency_id": self.agency_id,
            "knowledge": self.suggester,
            "calendar": self.calendar,
            "policy": self.policy,
            "notifier": self.notifier,
            "board": self.board,
            "intake": self.intake,
            "actions": self.actions,
            "subscriptions": self.subscriptions,
            "broadcasts": self.broadcasts,
            "posts": self.posts,
            "data_rights": self.data_rights,
            "ratings": self.ratings,
            "officers": self.officers,
            "audit": self.audit,
            "ethics": self.ethics,
        }


def create_services(
    settings: Settings, *, clock: Clock, suggester: Suggester, agency_id: int
) -> Services:
    calendar = WorkingCalendar.from_settings(settings)
    policy = ServiceLevelPolicy.from_settings(settings)
    notifier = Notifier(clock=clock)
    audit = AuditTrail(clock=clock, agency_id=agency_id)
    ethics = EthicsChecker(confidential_words=settings.ethics_confidential_words, audit=audit)
    board = CardBoard(
        settings=settings,
        clock=clock,
        suggester=suggester,
        notifier=notifier,
        agency_id=agency_id,
    )
    return Services(
        settings=settings,
        clock=clock,
        agency_id=agency_id,
        suggester=suggester,
        calendar=calendar,
        policy=policy,
        notifier=notifier,
        board=board,
        intake=Intake(
            settings=settings,
            clock=clock,
            suggester=suggester,
            calendar=calendar,
            policy=policy,
            notifier=notifier,
            board=board,
            agency_id=agency_id,
        ),
        actions=AdminActions(
            clock=clock,
            suggester=suggester,
            calendar=calendar,
            policy=policy,
            notifier=notifier,
            board=board,
            agency_id=agency_id,
            audit=audit,
            ethics=ethics,
        ),
        subscriptions=Subscriptions(clock=clock),
        broadcasts=Broadcasts(
            clock=clock,
            notifier=notifier,
            agency_id=agency_id,
            progress_seconds=settings.broadcast_progress_seconds,
            audit=audit,
        ),
        posts=PostDesk(
            settings=settings, clock=clock, notifier=notifier, agency_id=agency_id, audit=audit
        ),
        data_rights=DataRights(settings=settings, clock=clock, notifier=notifier, board=board),
        ratings=Ratings(clock=clock, suggester=suggester, notifier=notifier, board=board),
        officers=Officers(clock=clock, agency_id=agency_id, audit=audit),
        audit=audit,
        ethics=ethics,
    )


def create_dispatcher(
    settings: Settings,
    *,
    session_maker: SessionMaker,
    clock: Clock,
    services: Services,
    outbox_wake: asyncio.Event,
    **extra: Any,
) -> Dispatcher:
    """The dispatcher with its long-lived dependencies, middleware and routers."""
    dispatcher = Dispatcher(
        settings=settings,
        session_maker=session_maker,
        clock=clock,
        **services.dependencies(),
        **extra,
    )
    dispatcher.update.middleware(
        DbSessionMiddleware(session_maker=session_maker, clock=clock, outbox_wake=outbox_wake)
    )
    dispatcher.include_routers(*build_routers())
    return dispatcher


def _commands(items: dict[str, str]) -> list[BotCommand]:
    return [BotCommand(command=name, description=text) for name, text in items.items()]


async def publish_command_menus(bot: Bot, settings: Settings) -> None:
    """The "/" menu on phones: citizens see /start; staff see their commands in private."""
    try:
        await bot.set_my_commands(_commands(texts.COMMANDS_CITIZEN))
        staff = {**texts.COMMANDS_CITIZEN, **texts.COMMANDS_STAFF}
        for user_id in settings.admin_ids:
            if user_id not in settings.official_ids:
                await bot.set_my_commands(
                    _commands(staff), scope=BotCommandScopeChat(chat_id=user_id)
                )
        for user_id in settings.official_ids:
            await bot.set_my_commands(
                _commands({**staff, **texts.COMMANDS_OFFICIAL}),
                scope=BotCommandScopeChat(chat_id=user_id),
            )
    except TelegramAPIError as exc:
        # A menu is a convenience: a user who never opened the bot makes this fail.
        logger.warning("could not publish the command menus: %s", exc)


@dataclass
class Application:
    """Everything one bot process runs: polling, the update worker and the sender."""

    settings: Settings
    bot: Bot
    engine: AsyncEngine
    session_maker: SessionMaker
    clock: Clock
    services: Services
    dispatcher: Dispatcher
    outbox_wake: asyncio.Event
    inbox_wake: asyncio.Event
    background: list[Callable[[Application], Coroutine[Any, Any, None]]] = field(
        default_factory=list
    )
    intake: InboxPoller | WebhookIntake | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    # What background jobs use (``bot.services.runtime.Runtime``).
    @property
    def agency_id(self) -> int:
        return self.services.agency_id

    @property
    def suggester(self) -> Suggester:
        return self.services.suggester

    @property
    def notifier(self) -> Notifier:
        return self.services.notifier

    @property
    def calendar(self) -> WorkingCalendar:
        return self.services.calendar

    @property
    def policy(self) -> ServiceLevelPolicy:
        return self.services.policy

    async def run(self) -> None:
        """Run until stopped or until one part fails for good."""
        me = await self.bot(GetMe())
        logger.info("connected as @%s", me.username)
        # --- issue 11: webhook intake instead of long polling, when asked for.
        intake: InboxPoller | WebhookIntake
        if self.settings.webhook_mode:
            intake = WebhookIntake(
                settings=self.settings,
                bot=self.bot,
                dispatcher=self.dispatcher,
                session_maker=self.session_maker,
                clock=self.clock,
                wake_worker=self.inbox_wake,
            )
        else:
            await self.bot(DeleteWebhook(drop_pending_updates=False))
            intake = InboxPoller(
                bot=self.bot,
                session_maker=self.session_maker,
                clock=self.clock,
                wake_worker=self.inbox_wake,
            )
        self.intake = intake
        await publish_command_menus(self.bot, self.settings)
        worker = InboxWorker(
            bot=self.bot,
            dispatcher=self.dispatcher,
            session_maker=self.session_maker,
            clock=self.clock,
            wake=self.inbox_wake,
        )
        lock_rows = not is_sqlite(self.settings.database_url)
        sender = OutboxSender(
            bot=self.bot,
            session_maker=self.session_maker,
            clock=self.clock,
            wake=self.outbox_wake,
            on_delivered=DeliveryRecorder(default_agency_id=self.services.agency_id),
            lock_rows=lock_rows,
        )
        # --- issue 11: several processes on PostgreSQL elect one sender (bot/leases.py).
        stop_intake = intake.stop if isinstance(intake, InboxPoller) else (lambda: None)
        self._stoppers = [stop_intake, worker.stop, sender.request_stop]
        if lock_rows:
            lease = SenderLease(sender, session_maker=self.session_maker, clock=self.clock)
            self._stoppers.append(lease.stop)
            sending = lease.run_forever()
        else:
            sending = sender.run_forever()
        runners: list[Coroutine[Any, Any, None]] = [
            intake.run_forever(),
            worker.run_forever(),
            sending,
        ]
        runners.extend(job(self) for job in self.background)
        self._tasks = [asyncio.create_task(runner) for runner in runners]
        try:
            done, _pending = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            await self.stop()

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop gracefully: a send in flight finishes and is recorded before we exit."""
        for stop in self._stoppers:
            stop()
        if self._tasks:
            # The poller may sit in a long poll; cancelling it is safe because offsets are
            # confirmed only after the inbox commit. The worker and sender get to finish.
            self._tasks[0].cancel()
            _done, pending = await asyncio.wait(self._tasks, timeout=grace_seconds)
            for task in pending:
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    async def close(self) -> None:
        await self.stop()
        await self.bot.session.close()
        await self.engine.dispose()


async def build_application(
    settings: Settings,
    *,
    suggester: Suggester,
    clock: Clock | None = None,
    token: str | None = None,
) -> Application:
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    session_maker = create_session_maker(engine)
    agency_id = await prepare_database(settings, session_maker, clock)
    async with session_maker() as session:
        await refresh_overlay(session, suggester)
    services = create_services(settings, clock=clock, suggester=suggester, agency_id=agency_id)
    outbox_wake = asyncio.Event()
    dispatcher = create_dispatcher(
        settings,
        session_maker=session_maker,
        clock=clock,
        services=services,
        outbox_wake=outbox_wake,
    )
    return Application(
        settings=settings,
        bot=create_bot(settings, token=token),
        engine=engine,
        session_maker=session_maker,
        clock=clock,
        services=services,
        dispatcher=dispatcher,
        outbox_wake=outbox_wake,
        inbox_wake=asyncio.Event(),
    )

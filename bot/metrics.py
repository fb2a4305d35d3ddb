"""Prometheus metrics on ``METRICS_PORT``: ``GET /metrics`` (and ``GET /health``).

- ``bot_tickets_opened_total{kind}`` and ``bot_tickets_answered_total{kind}``, counted when
  the transaction that opened or answered the ticket commits (SQLAlchemy events, so no
  handler needs to know about metrics);
- ``bot_response_working_minutes{kind}``: histogram of first-response times in working
  minutes, the unit of the service targets;
- ``bot_telegram_requests_total{method,outcome}``, ``bot_send_errors_total{kind}`` and
  ``bot_telegram_429_total``, from a middleware on the bot's HTTP session;
- ``bot_outbox_depth{status}``, ``bot_inbox_backlog``, ``bot_last_successful_send_timestamp``
  and ``bot_database_up``, read from the shared database at each scrape.

Labels are bounded sets (Bot API method names, ticket kinds, outcome kinds, outbox
statuses): never a chat id, a name, a text or the token. Counters are per process; sum
them over instances. Gauges read the shared database, so every instance reports the same.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import event
from sqlalchemy.orm import Mapper, Session, attributes, object_session

from bot.clock import Clock
from bot.domain.enums import OutboxStatus
from bot.health import STATUS_DOWN, health_report
from storage import queries
from storage.db import SessionMaker
from storage.models import Ticket

if TYPE_CHECKING:  # the application imports the metrics lazily
    from bot.app import Application

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
TICKETS_OPENED = Counter("bot_tickets_opened", "Tickets opened", ["kind"], registry=REGISTRY)
TICKETS_ANSWERED = Counter(
    "bot_tickets_answered", "Tickets given their first answer", ["kind"], registry=REGISTRY
)
RESPONSE_MINUTES = Histogram(
    "bot_response_working_minutes",
    "First-response time in working minutes",
    ["kind"],
    buckets=(5, 15, 30, 60, 120, 240, 480, 960, 2400, 4800),
    registry=REGISTRY,
)
REQUESTS = Counter(
    "bot_telegram_requests",
    "Bot API requests by method and outcome",
    ["method", "outcome"],
    registry=REGISTRY,
)
REQUEST_SECONDS = Histogram(
    "bot_telegram_request_seconds",
    "Bot API request duration (getUpdates excluded)",
    ["method"],
    registry=REGISTRY,
)
SEND_ERRORS = Counter(
    "bot_send_errors", "Failed Bot API sends by kind", ["kind"], registry=REGISTRY
)
RATE_LIMITED = Counter("bot_telegram_429", "429 answers from the Bot API", registry=REGISTRY)
OUTBOX_DEPTH = Gauge(
    "bot_outbox_depth", "Outbox rows by status (shared database)", ["status"], registry=REGISTRY
)
INBOX_BACKLOG = Gauge(
    "bot_inbox_backlog", "Stored updates not processed yet (shared database)", registry=REGISTRY
)
LAST_SEND = Gauge(
    "bot_last_successful_send_timestamp",
    "Unix time of the last message Telegram accepted",
    registry=REGISTRY,
)
DATABASE_UP = Gauge("bot_database_up", "1 when the database answered", registry=REGISTRY)

# Exception type -> outcome label; the first match wins (subclasses before bases).
_OUTCOMES: tuple[tuple[type[BaseException], str], ...] = (
    (TelegramRetryAfter, "rate_limited"),
    (TelegramBadRequest, "bad_request"),
    (TelegramForbiddenError, "forbidden"),
    (TelegramUnauthorizedError, "unauthorized"),
    (TelegramNotFound, "not_found"),
    (TelegramServerError, "server_error"),
    (ClientDecodeError, "not_json"),
    (TelegramNetworkError, "network"),
    (TimeoutError, "timeout"),
)


def outcome_of(exc: BaseException) -> str:
    for kind, label in _OUTCOMES:
        if isinstance(exc, kind):
            return label
    return "other"


class RequestMetrics(BaseRequestMiddleware):
    """Counts every Bot API call and its outcome; never looks at the URL (it has the token)."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        name = method.__api_method__
        started = time.monotonic()
        try:
            result = await make_request(bot, method)
        except BaseException as exc:
            outcome = outcome_of(exc)
            REQUESTS.labels(name, outcome).inc()
            if name != "getUpdates":
                if outcome == "rate_limited":
                    RATE_LIMITED.inc()
                SEND_ERRORS.labels(outcome).inc()
            raise
        REQUESTS.labels(name, "ok").inc()
        if name != "getUpdates":
            REQUEST_SECONDS.labels(name).observe(time.monotonic() - started)
        return result


def install_request_metrics(bot: Bot) -> None:
    if not any(isinstance(m, RequestMetrics) for m in bot.session.middleware):
        bot.session.middleware(RequestMetrics())


# ----------------------------------------------------------------------------- tickets

_PENDING_KEY = "bot_metrics_pending"
_installed = False


def _pending(target: Any) -> list[Callable[[], None]] | None:
    session = object_session(target)
    if session is None:
        return None
    pending: list[Callable[[], None]] = session.info.setdefault(_PENDING_KEY, [])
    return pending


def _kind(ticket: Ticket) -> str:
    return str(getattr(ticket.kind, "value", ticket.kind))


def _after_insert(_mapper: Mapper[Any], _connection: Any, target: Ticket) -> None:
    pending = _pending(target)
    if pending is not None:
        kind = _kind(target)
        pending.append(lambda: TICKETS_OPENED.labels(kind).inc())
        _first_answer(target, pending, inserted=True)


def _after_update(_mapper: Mapper[Any], _connection: Any, target: Ticket) -> None:
    pending = _pending(target)
    if pending is not None:
        _first_answer(target, pending, inserted=False)


def _first_answer(target: Ticket, pending: list[Callable[[], None]], *, inserted: bool) -> None:
    seconds = target.response_working_seconds
    if seconds is None:
        return
    if not inserted:
        history = attributes.get_history(target, "response_working_seconds")
        if not history.added or any(value is not None for value in history.deleted):
            return
    kind = _kind(target)

    def apply() -> None:
        TICKETS_ANSWERED.labels(kind).inc()
        RESPONSE_MINUTES.labels(kind).observe(seconds / 60)

    pending.append(apply)


def _after_commit(session: Session) -> None:
    for apply in session.info.pop(_PENDING_KEY, []):
        apply()


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def install_ticket_metrics() -> None:
    """Count tickets opened and answered once their transaction commits (idempotent)."""
    global _installed  # noqa: PLW0603 (one set of listeners per process)
    if _installed:
        return
    event.listen(Ticket, "after_insert", _after_insert)
    event.listen(Ticket, "after_update", _after_update)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


# ----------------------------------------------------------------------------- server


async def refresh_gauges(session_maker: SessionMaker, clock: Clock) -> None:
    """Gauges from the shared database, read when Prometheus scrapes."""
    report = await health_report(session_maker, clock)
    DATABASE_UP.set(0 if report.status == STATUS_DOWN else 1)
    if report.status == STATUS_DOWN:
        return
    async with session_maker() as session:
        counts = await queries.outbox_counts(session)
    for status in OutboxStatus:
        OUTBOX_DEPTH.labels(status.value).set(counts.get(status.value, 0))
    INBOX_BACKLOG.set(report.inbox_backlog)
    if report.last_successful_send is not None:
        LAST_SEND.set(datetime.fromisoformat(report.last_successful_send).timestamp())


def build_metrics_app(session_maker: SessionMaker, clock: Clock) -> web.Application:
    async def metrics(_request: web.Request) -> web.Response:
        await refresh_gauges(session_maker, clock)
        body = generate_latest(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def health(_request: web.Request) -> web.Response:
        report = await health_report(session_maker, clock)
        return web.json_response(report.to_dict(), status=report.http_status)

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/health", health)
    return app


async def serve_metrics(app: Application) -> None:
    """Background job of the bot process (``METRICS_PORT`` set)."""
    install_request_metrics(app.bot)
    install_ticket_metrics()
    runner = web.AppRunner(build_metrics_app(app.session_maker, app.clock), access_log=None)
    await runner.setup()
    port = app.settings.metrics_port
    site = web.TCPSite(runner, app.settings.webhook_host, port)
    await site.start()
    logger.info("metrics on port %s (/metrics, /health)", port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()

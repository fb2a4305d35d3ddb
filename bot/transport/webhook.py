"""Webhook intake: Telegram posts each update; it is in the inbox before we answer 200.

``python -m bot run --webhook`` replaces long polling with this server (aiogram's aiohttp
integration). The guarantees are those of polling: Telegram keeps re-sending an update
until it gets a 2xx, and we answer 2xx only after the update is committed to the inbox,
so a crash at any moment means "sent again" (ignored by the unique update_id), never
"lost". The update worker then processes the inbox exactly as it does after polling.

- ``X-Telegram-Bot-Api-Secret-Token`` must equal ``WEBHOOK_SECRET``: any other request is
  refused with 401 and logged (address and path only; never the header's value).
- A body that is not an update gets 400; an inbox that cannot be written gets 503, so
  Telegram tries again later.
- At start the webhook is registered with ``setWebhook`` (url, secret, allowed updates);
  several instances behind one address register the same values, which is harmless.
- ``GET /health`` answers the deployment's health (bot/health.py) on the same port.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.methods import SetWebhook
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.config import Settings
from bot.health import health_report
from bot.transport.polling import ALLOWED_UPDATES
from storage import queries
from storage.db import SessionMaker

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/webhook"


class WebhookConfigError(ValueError):
    """Webhook mode was asked for without the settings it needs."""


def webhook_path(url: str) -> str:
    """The path Telegram posts to is the one we serve (a reverse proxy keeps it)."""
    path = urlsplit(url).path
    return path if path and path != "/" else DEFAULT_PATH


def check_webhook_settings(settings: Settings) -> None:
    missing = [
        name
        for name, value in (
            ("WEBHOOK_URL", settings.webhook_url),
            ("WEBHOOK_SECRET", settings.webhook_secret),
        )
        if not value
    ]
    if missing:
        raise WebhookConfigError(f"webhook mode needs {' and '.join(missing)}")


class InboxRequestHandler(SimpleRequestHandler):
    """aiogram's handler, but an update goes to the inbox instead of the dispatcher."""

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        bot: Bot,
        secret_token: str,
        session_maker: SessionMaker,
        clock: Clock,
        wake_worker: asyncio.Event,
    ) -> None:
        super().__init__(
            dispatcher=dispatcher, bot=bot, handle_in_background=False, secret_token=secret_token
        )
        self.session_maker = session_maker
        self.clock = clock
        self.wake_worker = wake_worker
        self.refused = 0
        self.stored = 0

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), self.bot):
            self.refused += 1
            logger.warning(
                "webhook request refused: %s secret token from %s to %s",
                "wrong" if SECRET_HEADER in request.headers else "no",
                request.remote,
                request.path,
            )
            return web.Response(text="Unauthorized", status=401)
        return await self._handle_request(self.bot, request)

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:  # noqa: ARG002
        try:
            body = await request.json()
            update = Update.model_validate(body)
        except (ValueError, ValidationError) as exc:
            logger.warning("webhook body is not an update (%s)", type(exc).__name__)
            return web.Response(text="Bad Request", status=400)
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        try:
            async with self.session_maker() as session:
                await queries.store_raw_updates(
                    session, updates=[(update.update_id, payload)], now=self.clock.now()
                )
                await session.commit()
        except (SQLAlchemyError, OSError) as exc:
            # Not stored, so not acknowledged: Telegram sends it again later.
            logger.error("update %s not stored (%s); answering 503", update.update_id, exc)
            return web.Response(text="Service Unavailable", status=503)
        self.stored += 1
        self.wake_worker.set()
        return web.json_response({})

    async def close(self) -> None:
        """The application closes the bot's session itself."""


class WebhookIntake:
    """The aiohttp server of one process; ``run_forever`` is the intake task."""

    def __init__(
        self,
        *,
        settings: Settings,
        bot: Bot,
        dispatcher: Dispatcher,
        session_maker: SessionMaker,
        clock: Clock,
        wake_worker: asyncio.Event,
    ) -> None:
        check_webhook_settings(settings)
        assert settings.webhook_secret is not None
        self.settings = settings
        self.bot = bot
        self.session_maker = session_maker
        self.clock = clock
        self.path = webhook_path(settings.webhook_url)
        self.handler = InboxRequestHandler(
            dispatcher=dispatcher,
            bot=bot,
            secret_token=settings.webhook_secret.get_secret_value(),
            session_maker=session_maker,
            clock=clock,
            wake_worker=wake_worker,
        )
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def build_app(self) -> web.Application:
        app = web.Application()
        self.handler.register(app, path=self.path)
        app.router.add_get("/health", self._health)
        return app

    async def _health(self, _request: web.Request) -> web.Response:
        report = await health_report(self.session_maker, self.clock)
        return web.json_response(report.to_dict(), status=report.http_status)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.webhook_host, self.settings.webhook_port)
        await site.start()
        sockets: list[Any] = getattr(site._server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self.settings.webhook_port
        logger.info("webhook server on %s:%s%s", self.settings.webhook_host, self.port, self.path)

    async def register(self) -> None:
        """setWebhook with our address and secret (updates queued meanwhile are kept)."""
        assert self.settings.webhook_secret is not None
        await self.bot(
            SetWebhook(
                url=self.settings.webhook_url,
                secret_token=self.settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
        )
        logger.info("webhook registered at %s", urlsplit(self.settings.webhook_url).netloc)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def run_forever(self) -> None:
        # Listening before registering: Telegram may post as soon as setWebhook returns.
        await self.start()
        try:
            await self.register()
            await asyncio.Event().wait()
        finally:
            await self.stop()

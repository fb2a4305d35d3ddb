"""What a background job of a running bot process may use (``bot.app.Application`` has it).

Jobs (the scheduler, the knowledge-file watcher, the heartbeat) receive this instead of
the application, so nothing below ``bot.app`` needs to import it.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from aiogram import Bot

from bot.clock import Clock
from bot.config import Settings
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester
from storage.db import SessionMaker


class Runtime(Protocol):
    @property
    def settings(self) -> Settings: ...
    @property
    def bot(self) -> Bot: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def session_maker(self) -> SessionMaker: ...
    @property
    def outbox_wake(self) -> asyncio.Event: ...
    @property
    def agency_id(self) -> int: ...
    @property
    def suggester(self) -> Suggester: ...
    @property
    def notifier(self) -> Notifier: ...
    @property
    def calendar(self) -> WorkingCalendar: ...
    @property
    def policy(self) -> ServiceLevelPolicy: ...

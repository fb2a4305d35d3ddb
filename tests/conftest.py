"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from bot.app import Services, create_dispatcher, create_services, prepare_database
from bot.config import Settings
from bot.services.delivery import DeliveryRecorder
from bot.services.knowledge import KnowledgeService
from bot.transport.sender import OutboxSender, RateLimiter
from storage import queries
from storage.db import SessionMaker, create_engine, create_session_maker
from tests.factories import ADMIN_GROUP_ID, ADMIN_ID, CHANNEL_ID, DISCUSSION_GROUP_ID, OFFICIAL_ID
from tests.fakes.clock import FakeClock
from tests.mocked_bot import MockedBot

# CI machines are shared: a slow example is not a failure (speed is measured in bench/).
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")

TEST_KB = Path(__file__).parent / "data" / "faq-dev-kb.yaml"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgres"] if POSTGRES_URL else [])]


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "bot_token": "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz",
        "admin_chat_id": ADMIN_GROUP_ID,
        "admin_ids": [ADMIN_ID],
        "official_ids": [OFFICIAL_ID],
        "channel_id": CHANNEL_ID,
        "discussion_chat_id": DISCUSSION_GROUP_ID,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        assert POSTGRES_URL is not None
        return POSTGRES_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


async def fresh_engine(url: str) -> AsyncEngine:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.run_sync(SQLModel.metadata.create_all)
    return engine


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = await fresh_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_maker(engine: AsyncEngine) -> SessionMaker:
    return create_session_maker(engine)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


_KNOWLEDGE: dict[str, KnowledgeService] = {}


@pytest.fixture
def knowledge() -> KnowledgeService:
    # Building the index takes a moment; the bundled files are the same for every test.
    if "bundled" not in _KNOWLEDGE:
        _KNOWLEDGE["bundled"] = KnowledgeService([TEST_KB], threshold=0.5)
    service = _KNOWLEDGE["bundled"]
    service.set_overlay([])  # entries saved by an earlier test must not leak into this one
    return service


def unlimited_limiter() -> RateLimiter:
    """Handler tests are about behaviour, not pacing (tests/transport covers that)."""
    return RateLimiter(per_bot=10_000, private_window=0.0, group_window=0.0, min_spacing=0.0)


class DeskHarness:
    """The real dispatcher and sender over a recording bot session."""

    def __init__(
        self,
        *,
        settings: Settings,
        session_maker: SessionMaker,
        clock: FakeClock,
        services: Services,
    ) -> None:
        self.settings = settings
        self.session_maker = session_maker
        self.clock = clock
        self.services = services
        self.bot = MockedBot()
        self.outbox_wake = asyncio.Event()
        self.dispatcher = create_dispatcher(
            settings,
            session_maker=session_maker,
            clock=clock,
            services=services,
            outbox_wake=self.outbox_wake,
        )
        self.sender = OutboxSender(
            bot=self.bot,
            session_maker=session_maker,
            clock=clock,
            limiter=unlimited_limiter(),
            on_delivered=DeliveryRecorder(default_agency_id=services.agency_id),
        )

    async def feed(self, update: Any) -> None:
        await self.dispatcher.feed_update(self.bot, update)

    async def drain(self) -> list[Any]:
        """Send everything queued; returns the Bot API calls made."""
        before = len(self.bot.session.requests)
        for _ in range(50):
            await self.sender.run_once()
            async with self.session_maker() as session:
                counts = await queries.outbox_counts(session)
            if counts.get("pending", 0) == 0:
                break
        return self.bot.session.requests[before:]


@pytest.fixture
async def harness_factory(
    session_maker: SessionMaker, database_url: str, clock: FakeClock, knowledge: KnowledgeService
) -> Callable[..., Any]:
    async def build(**overrides: Any) -> DeskHarness:
        settings = make_settings(database_url, **overrides)
        agency_id = await prepare_database(settings, session_maker, clock)
        services = create_services(settings, clock=clock, suggester=knowledge, agency_id=agency_id)
        return DeskHarness(
            settings=settings, session_maker=session_maker, clock=clock, services=services
        )

    return build


@pytest.fixture
async def harness(harness_factory: Callable[..., Any]) -> DeskHarness:
    result: DeskHarness = await harness_factory()
    return result

"""Programmatic Alembic: used by `python -m bot migrate`, `run`, the demo and the tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.db import is_sqlite, normalize_database_url

_HERE = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    config.set_main_option("sqlalchemy.url", normalize_database_url(database_url))
    config.attributes["configure_logging"] = False
    return config


def _ensure_sqlite_folder(database_url: str) -> None:
    if not is_sqlite(database_url):
        return
    path = normalize_database_url(database_url).split(":///", 1)[1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``. Call from synchronous code only."""
    _ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade_database(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


async def upgrade_database_async(database_url: str, revision: str = "head") -> None:
    # env.py drives its own event loop, so run it in a worker thread.
    await asyncio.to_thread(upgrade_database, database_url, revision)

"""Alembic: every revision walks up, down and up again, and head matches the models."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage.db import create_engine
from storage.migrate import alembic_config, downgrade_database, upgrade_database

ROOT = Path(__file__).resolve().parents[2]


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _reset(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    await engine.dispose()


async def _diff(url: str) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, SQLModel.metadata))

    engine = create_engine(url)
    async with engine.connect() as connection:
        diff = await connection.run_sync(compare)
    await engine.dispose()
    return diff


async def test_stairway_up_down_up(database_url: str) -> None:
    await _reset(database_url)
    revisions = _revisions(database_url)
    assert revisions, "no migrations found"
    for index, revision in enumerate(revisions):
        await asyncio.to_thread(upgrade_database, database_url, revision)
        previous = revisions[index - 1] if index else "base"
        await asyncio.to_thread(downgrade_database, database_url, previous)
        await asyncio.to_thread(upgrade_database, database_url, revision)
    assert await _diff(database_url) == []
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "base")


async def test_0005_moves_queued_documents_out_of_the_json(database_url: str) -> None:
    await _reset(database_url)
    await asyncio.to_thread(upgrade_database, database_url, "0004")
    payload = json.dumps(
        {"chat_id": 7, "caption": "Laporan", "_attachment": {"filename": "l.pdf", "hex": "25ff00"}}
    )
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            sa.text(
                "INSERT INTO outbox (method, chat_id, payload, status, attempts, created_at,"
                " due_at) VALUES ('sendDocument', 7, :payload, 'pending', 0, :now, :now)"
            ),
            {"payload": payload, "now": datetime(2026, 12, 3, tzinfo=UTC)},
        )
    await asyncio.to_thread(upgrade_database, database_url, "0005")
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                sa.text("SELECT payload, attachment, attachment_name FROM outbox")
            )
        ).one()
    assert json.loads(row[0]) == {"chat_id": 7, "caption": "Laporan"}
    assert bytes(row[1]) == b"\x25\xff\x00"
    assert row[2] == "l.pdf"
    await asyncio.to_thread(downgrade_database, database_url, "0004")
    async with engine.connect() as connection:
        restored = (await connection.execute(sa.text("SELECT payload FROM outbox"))).scalar_one()
    await engine.dispose()
    assert json.loads(restored) == json.loads(payload)
    await _reset(database_url)


async def test_instances_starting_together_migrate_one_at_a_time(database_url: str) -> None:
    """Two processes of a fresh deployment run `migrate` at once; both succeed."""
    await _reset(database_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env["DATABASE_URL"] = database_url
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "migrate",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [await process.communicate() for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert await _diff(database_url) == []

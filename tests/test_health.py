"""Health report: database, leases, inbox and outbox backlog, last send; and the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.domain.enums import OutboxStatus
from bot.health import STATUS_DEGRADED, STATUS_DOWN, STATUS_OK, health_report
from storage.db import SessionMaker, create_engine, create_session_maker
from storage.migrate import upgrade_database
from storage.models import InboxUpdate, Lease, Outbox
from tests.fakes.clock import FakeClock

ROOT = Path(__file__).resolve().parents[1]


async def test_empty_database_is_ok(session_maker: SessionMaker, clock: FakeClock) -> None:
    report = await health_report(session_maker, clock)
    assert report.status == STATUS_OK
    assert report.database == "ok"
    assert report.inbox_backlog == 0
    assert report.outbox_backlog == 0
    assert report.last_successful_send is None
    assert report.exit_code == 0
    assert report.http_status == 200


async def test_backlogs_leases_and_last_send(
    session_maker: SessionMaker, clock: FakeClock
) -> None:
    now = clock.now()
    async with session_maker() as session:
        session.add(InboxUpdate(update_id=1, payload="{}", received_at=now - timedelta(minutes=9)))
        session.add(InboxUpdate(update_id=2, payload="{}", received_at=now, processed_at=now))
        session.add(Outbox(method="sendMessage", chat_id=1, payload="{}", due_at=now))
        session.add(
            Outbox(
                method="sendMessage",
                chat_id=2,
                payload="{}",
                status=OutboxStatus.SENT,
                sent_at=now - timedelta(seconds=30),
            )
        )
        session.add(
            Outbox(method="sendMessage", chat_id=3, payload="{}", status=OutboxStatus.FAILED)
        )
        session.add(
            Lease(name="sender", holder="host:1:abc", expires_at=now + timedelta(seconds=9))
        )
        session.add(Lease(name="scheduler", holder="host:2:def", expires_at=now - timedelta(1)))
        await session.commit()
    report = await health_report(session_maker, clock)
    assert report.inbox_backlog == 1
    assert report.inbox_oldest_seconds == 540.0
    assert report.outbox_backlog == 1
    assert report.outbox_failed == 1
    assert report.last_successful_send == (now - timedelta(seconds=30)).isoformat()
    assert report.leases["sender"].held
    assert report.leases["sender"].holder == "host:1:abc"
    assert not report.leases["scheduler"].held
    # An update waiting nine minutes is a problem someone must look at.
    assert report.status == STATUS_DEGRADED
    assert report.exit_code == 1
    assert report.problems == ["updates wait unprocessed for more than 5 minutes"]


async def test_unreachable_database_is_down(clock: FakeClock) -> None:
    engine = create_engine("postgresql+asyncpg://bot:hunter2@127.0.0.1:1/none")
    try:
        report = await health_report(create_session_maker(engine), clock)
    finally:
        await engine.dispose()
    assert report.status == STATUS_DOWN
    assert report.http_status == 503
    assert report.exit_code == 2
    assert "hunter2" not in json.dumps(report.to_dict())


def test_health_command_prints_json(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'health.db'}"
    upgrade_database(url)
    env = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in {name.upper() for name in Settings.model_fields}
    }
    env["DATABASE_URL"] = url
    result = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["outbox_backlog"] == 0

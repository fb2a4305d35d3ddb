"""Health of a deployment, read from the database every process shares.

``python -m bot health`` prints it and exits 0 (ok), 1 (degraded) or 2 (down); the
webhook server and the metrics server answer ``GET /health`` with the same JSON (HTTP 503
when the database cannot be reached). Nothing in it names a citizen or carries the token.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.logging_setup import mask_for_log
from storage import queries
from storage.db import SessionMaker

logger = logging.getLogger(__name__)

# An update not processed after this long, or a due message not sent, means trouble.
INBOX_STALE = timedelta(minutes=5)
OUTBOX_STALE = timedelta(minutes=10)
LEASES = ("scheduler", "sender")

STATUS_OK = "ok"
STATUS_DEGRADED = "degraded"
STATUS_DOWN = "down"
EXIT_CODES = {STATUS_OK: 0, STATUS_DEGRADED: 1, STATUS_DOWN: 2}


@dataclass
class LeaseState:
    holder: str | None
    expires_at: str | None
    held: bool


@dataclass
class HealthReport:
    status: str
    database: str
    checked_at: str
    leases: dict[str, LeaseState] = field(default_factory=dict)
    inbox_backlog: int = 0
    inbox_oldest_seconds: float | None = None
    outbox_backlog: int = 0
    outbox_overdue_seconds: float | None = None
    outbox_failed: int = 0
    last_successful_send: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def http_status(self) -> int:
        return 503 if self.status == STATUS_DOWN else 200


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def health_report(session_maker: SessionMaker, clock: Clock) -> HealthReport:
    now = clock.now()
    report = HealthReport(status=STATUS_OK, database="ok", checked_at=now.isoformat())
    try:
        async with session_maker() as session:
            backlogs = await queries.health_backlogs(session, lease_names=LEASES)
    except (SQLAlchemyError, OSError) as exc:
        # The message names the driver's error (host, port), never the password.
        reason = mask_for_log(f"{type(exc).__name__}: {exc}".splitlines()[0])[:300]
        logger.warning("health: database unreachable: %s", reason)
        report.status = STATUS_DOWN
        report.database = reason
        report.problems.append("database unreachable")
        return report

    leases, inbox_count, inbox_oldest = (
        backlogs.leases,
        backlogs.inbox_count,
        backlogs.inbox_oldest,
    )
    outbox_count, outbox_oldest_due = backlogs.outbox_count, backlogs.outbox_oldest_due
    failed, last_sent = backlogs.outbox_failed, backlogs.last_sent
    for lease in leases:
        expires = _as_utc(lease.expires_at)
        report.leases[lease.name] = LeaseState(
            holder=lease.holder, expires_at=_iso(expires), held=expires > now
        )
    report.inbox_backlog = int(inbox_count)
    if inbox_oldest is not None:
        report.inbox_oldest_seconds = round((now - _as_utc(inbox_oldest)).total_seconds(), 1)
        if now - _as_utc(inbox_oldest) > INBOX_STALE:
            report.problems.append("updates wait unprocessed for more than 5 minutes")
    report.outbox_backlog = int(outbox_count)
    if outbox_oldest_due is not None:
        overdue = now - _as_utc(outbox_oldest_due)
        report.outbox_overdue_seconds = round(max(0.0, overdue.total_seconds()), 1)
        if overdue > OUTBOX_STALE:
            report.problems.append("due messages unsent for more than 10 minutes")
    report.outbox_failed = int(failed)
    report.last_successful_send = _iso(_as_utc(last_sent) if last_sent is not None else None)
    if report.problems:
        report.status = STATUS_DEGRADED
    return report


def _as_utc(value: datetime) -> datetime:
    # The UTCDateTime type stores UTC; be safe with a naive value all the same.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

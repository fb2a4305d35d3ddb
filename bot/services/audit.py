"""The audit trail of admin and official actions (Issue 13 item 2).

Services call ``AuditTrail.record`` inside the same session as the action, so the row
commits or rolls back with it. Handlers never call it. Other services (appointments,
broadcasts) take an ``AuditTrail`` in their constructor and call ``record`` the same way.

Officials read the trail with ``/audit [periode]`` (``export``: a short summary and the full
list as CSV), and ``/laporan`` sends the same CSV beside the report as its annex. Actor names
may show (they are civil servants); free text is masked so no citizen data leaves.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.domain.audit import AuditAction
from bot.domain.periods import Period, parse_period
from bot.privacy import mask_personal_data
from storage import queries
from storage.models import AuditLog, User


class AuditTrail:
    def __init__(self, *, clock: Clock, agency_id: int) -> None:
        self.clock = clock
        self.agency_id = agency_id

    async def record(
        self,
        session: AsyncSession,
        *,
        actor: User,
        action: AuditAction,
        ticket_id: int | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditLog:
        """Append one row naming who (telegram id and role at the time) did what."""
        return await queries.add_audit_row(
            session,
            agency_id=self.agency_id,
            actor_telegram_id=actor.telegram_id,
            actor_role=str(actor.role),
            action=action,
            at=self.clock.now(),
            ticket_id=ticket_id,
            target=target,
            detail=detail,
        )

    async def report_requested(
        self, session: AsyncSession, *, actor: User, period: Period
    ) -> AuditLog:
        """/laporan: who asked for the report of which period."""
        return await self.record(
            session,
            actor=actor,
            action=AuditAction.REPORT_REQUEST,
            target=period.label,
            detail={"start": period.start.isoformat(), "end": period.end.isoformat()},
        )

    async def export(self, session: AsyncSession, *, period: Period, tz: ZoneInfo) -> AuditExport:
        """The agency's rows of ``period`` as a summary message and a CSV file."""
        start, end = period.utc_range(tz)
        rows = await queries.audit_rows(session, agency_id=self.agency_id, start=start, end=end)
        names = await queries.names_by_telegram_id(
            session, telegram_ids=sorted({row.actor_telegram_id for row in rows})
        )
        return AuditExport(
            rows=len(rows),
            summary=audit_summary(rows, names=names, period=period),
            csv=audit_csv(rows, names=names, tz=tz),
        )


# Room for the header, both titles and the footer within Telegram's 4096 characters.
SUMMARY_ACTORS_SHOWN = 40
ACTOR_NAME_CHARS = 60


@dataclass(frozen=True)
class AuditExport:
    rows: int
    summary: str
    csv: bytes


def current_month(today: date) -> Period:
    """/audit without a period: the calendar month of ``today``."""
    return parse_period(f"{today:%Y-%m}", today)


def _actor_name(telegram_id: int, names: dict[int, str]) -> str:
    return names.get(telegram_id) or texts.AUDIT_UNKNOWN_ACTOR.format(telegram_id=telegram_id)


def audit_summary(rows: Sequence[AuditLog], *, names: dict[int, str], period: Period) -> str:
    """Counts per action and per actor; under Telegram's 4096 characters for any trail."""
    if not rows:
        return texts.AUDIT_EMPTY.format(period=texts.esc(period.label))
    by_action = Counter(row.action for row in rows)
    by_actor = Counter(row.actor_telegram_id for row in rows)
    lines = [
        texts.AUDIT_SUMMARY_HEADER.format(period=texts.esc(period.label), total=len(rows)),
        "",
        texts.AUDIT_SUMMARY_BY_ACTION,
    ]
    lines += [
        texts.AUDIT_SUMMARY_LINE.format(
            label=texts.esc(texts.AUDIT_ACTION_LABELS.get(action, action)), count=count
        )
        for action, count in by_action.most_common()
    ]
    lines += ["", texts.AUDIT_SUMMARY_BY_ACTOR]
    for telegram_id, count in by_actor.most_common(SUMMARY_ACTORS_SHOWN):
        name = _actor_name(telegram_id, names)[:ACTOR_NAME_CHARS]
        lines.append(texts.AUDIT_SUMMARY_LINE.format(label=texts.esc(name), count=count))
    if len(by_actor) > SUMMARY_ACTORS_SHOWN:
        lines.append(
            texts.AUDIT_SUMMARY_MORE_ACTORS.format(count=len(by_actor) - SUMMARY_ACTORS_SHOWN)
        )
    lines += ["", texts.AUDIT_SUMMARY_FOOTER]
    return "\n".join(lines)


def _masked(value: str | None) -> str:
    return mask_personal_data(value) if value else ""


def _masked_detail(detail: str | None) -> str:
    """Each free-text value of the JSON detail masked; keys and numbers kept."""
    if not detail:
        return ""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return _masked(detail)
    if not isinstance(parsed, dict):
        return _masked(detail)
    return json.dumps(
        {
            key: _masked(value) if isinstance(value, str) else value
            for key, value in parsed.items()
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def audit_csv(rows: Sequence[AuditLog], *, names: dict[int, str], tz: ZoneInfo) -> bytes:
    """Every row, oldest first, local time; UTF-8 with BOM so spreadsheets read it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(texts.AUDIT_CSV_HEADER)
    for row in rows:
        writer.writerow(
            (
                row.at.astimezone(tz).isoformat(timespec="seconds"),
                row.action,
                row.actor_telegram_id,
                _actor_name(row.actor_telegram_id, names),
                row.actor_role,
                row.ticket_id if row.ticket_id is not None else "",
                _masked(row.target),
                _masked_detail(row.detail),
            )
        )
    return buffer.getvalue().encode("utf-8-sig")

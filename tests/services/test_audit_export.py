"""The /audit export: free text masked in the CSV, the summary within Telegram's limit."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.domain.audit import AuditAction
from bot.domain.periods import Period
from bot.services.audit import SUMMARY_ACTORS_SHOWN, audit_csv, audit_summary, current_month
from storage.models import AuditLog

WITA = ZoneInfo("Asia/Makassar")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "November 2026")


def row(
    actor: int,
    action: str = AuditAction.ANSWER,
    *,
    target: str | None = None,
    detail: str | None = None,
    ticket_id: int | None = None,
) -> AuditLog:
    return AuditLog(
        agency_id=1,
        actor_telegram_id=actor,
        actor_role="admin",
        action=action,
        ticket_id=ticket_id,
        target=target,
        detail=detail,
        at=datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
    )


def test_free_text_in_target_and_detail_is_masked() -> None:
    rows = [
        row(
            5001,
            target="budi@example.com",
            detail=json.dumps({"note": "NIK 7308012345678901 HP 081234567890", "count": 3}),
            ticket_id=7,
        )
    ]
    data = audit_csv(rows, names={5001: "Petugas Sari"}, tz=WITA).decode("utf-8-sig")
    [parsed] = list(csv.DictReader(io.StringIO(data)))
    assert "budi@example.com" not in data
    assert "7308012345678901" not in data
    assert "081234567890" not in data
    assert json.loads(parsed["rincian"])["count"] == 3
    assert parsed["tiket"] == "7"
    assert parsed["pelaku"] == "Petugas Sari"
    assert parsed["waktu"] == "2026-11-30T09:00:00+08:00"


def test_summary_of_many_actors_stays_under_the_message_limit() -> None:
    actors = range(10_000, 10_000 + SUMMARY_ACTORS_SHOWN + 25)
    rows = [row(actor, action) for actor in actors for action in AuditAction]
    names = dict.fromkeys(actors, "Nama Yang Sangat Panjang Sekali " * 5)
    summary = audit_summary(rows, names=names, period=NOVEMBER)
    assert len(summary) < 4096
    assert f"Jumlah tindakan tercatat: {len(rows)}" in summary
    assert "dan 25 pelaku lain" in summary


def test_unknown_actor_is_named_by_telegram_id_and_names_are_escaped() -> None:
    rows = [row(1), row(2), row(2)]
    summary = audit_summary(rows, names={2: "Andi <Kabid>"}, period=NOVEMBER)
    assert "Andi &lt;Kabid&gt;: 2" in summary
    assert "Pengguna 1: 1" in summary


def test_no_period_means_the_current_month() -> None:
    period = current_month(date(2026, 2, 10))
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 28))

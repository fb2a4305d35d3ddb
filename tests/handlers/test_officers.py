"""/petugas through the real dispatcher: officials appoint and remove admins by decree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from aiogram.methods import SendMessage
from aiogram.types import MessageEntity
from sqlmodel import col, select

from bot import texts
from bot.domain.enums import Role
from storage.models import AuditLog, OfficerAppointment
from tests.conftest import DeskHarness
from tests.factories import ADMIN_ID, OFFICIAL_ID, message, message_update, tg_user

OFFICIAL = tg_user(OFFICIAL_ID, "Kadis")
ADMIN = tg_user(ADMIN_ID, "Sari")
NEW_ADMIN = tg_user(5101, "Andi <Humas>")


def command(user: Any, text: str) -> Any:
    name = text.split(maxsplit=1)[0]
    entity = MessageEntity(type="bot_command", offset=0, length=len(name))
    return message_update(message(user=user, text=text, entities=[entity]))


async def ask(harness: DeskHarness, user: Any, text: str) -> str:
    await harness.feed(command(user, text))
    calls = await harness.drain()
    sent = [c.text for c in calls if isinstance(c, SendMessage) and c.chat_id == user.id]
    assert len(sent) == 1, sent
    return str(sent[0])


async def history(harness: DeskHarness, telegram_id: int) -> list[OfficerAppointment]:
    async with harness.session_maker() as session:
        rows = await session.exec(
            select(OfficerAppointment)
            .where(OfficerAppointment.telegram_id == telegram_id)
            .order_by(col(OfficerAppointment.id))
        )
        return list(rows.all())


async def test_list_shows_bootstrap_officers(harness: DeskHarness) -> None:
    text = await ask(harness, OFFICIAL, "/petugas")
    assert texts.PETUGAS_LIST_HEADING in text
    # Both come from ADMIN_IDS / OFFICIAL_IDS, without a decree yet; officials first.
    assert f"1. Kadis (ID {OFFICIAL_ID}) — pejabat; {texts.PETUGAS_NO_DECREE}" in text
    assert (
        f"2. {texts.PETUGAS_UNKNOWN_NAME} (ID {ADMIN_ID}) — admin; {texts.PETUGAS_NO_DECREE}"
        in text
    )


@pytest.mark.parametrize("written", ["2026-01-31", "31-01-2026", "31/01/2026"])
async def test_appoint_takes_effect_at_once_and_is_listed(
    harness: DeskHarness, written: str
) -> None:
    # Before: the new officer is a citizen, /antrian is refused.
    assert await ask(harness, NEW_ADMIN, "/antrian") == texts.NOT_FOR_CITIZENS
    reply = await ask(harness, OFFICIAL, f"/petugas tambah 5101 800/12/BKPSDM/2026 {written}")
    assert "Andi &lt;Humas&gt; (ID 5101) kini menjadi admin" in reply
    assert "SK 800/12/BKPSDM/2026 tanggal 31 Januari 2026" in reply
    # The very next update sees the new role.
    assert await ask(harness, NEW_ADMIN, "/antrian") != texts.NOT_FOR_CITIZENS
    listing = await ask(harness, OFFICIAL, "/petugas")
    assert (
        "Andi &lt;Humas&gt; (ID 5101) — admin; SK 800/12/BKPSDM/2026 tanggal 31 Januari 2026"
        in listing
    )
    [row] = await history(harness, 5101)
    assert row.role == Role.ADMIN
    assert row.decree_date == date(2026, 1, 31)
    assert row.appointed_by_id is not None
    assert row.removed_at is None


async def test_remove_takes_effect_at_once_and_keeps_history(harness: DeskHarness) -> None:
    await ask(harness, OFFICIAL, "/petugas tambah 5101 SK-1/2026 2026-01-31")
    await ask(harness, NEW_ADMIN, "/start")
    reply = await ask(harness, OFFICIAL, "/petugas hapus 5101")
    assert reply.startswith("Andi &lt;Humas&gt; (ID 5101) diberhentikan sebagai admin")
    assert await ask(harness, NEW_ADMIN, "/antrian") == texts.NOT_FOR_CITIZENS
    assert "5101" not in await ask(harness, OFFICIAL, "/petugas")
    # Re-appointed under a new decree: two rows, the first closed, none deleted.
    await ask(harness, OFFICIAL, "/petugas tambah 5101 SK-2/2026 01/03/2026")
    first, second = await history(harness, 5101)
    assert first.removed_at is not None
    assert first.removed_by_id is not None
    assert second.decree_number == "SK-2/2026"
    assert second.removed_at is None


async def test_removing_a_bootstrap_admin_survives_a_restart(
    harness: DeskHarness, harness_factory: Any
) -> None:
    await ask(harness, OFFICIAL, f"/petugas hapus {ADMIN_ID}")
    restarted = await harness_factory()  # prepare_database runs again with ADMIN_IDS
    assert await ask(restarted, ADMIN, "/antrian") == texts.NOT_FOR_CITIZENS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/petugas tambah", ""),
        ("/petugas tambah 5101 SK-1", ""),
        ("/petugas tambah abc SK-1 2026-01-31", "ID <code>abc</code> tidak valid"),
        ("/petugas tambah 5101 SK-1 31.01.2026", "Tanggal SK <code>31.01.2026</code>"),
        ("/petugas tambah 5101 SK-1 31-02-2026", "Tanggal SK <code>31-02-2026</code>"),
        ("/petugas hapus", ""),
        ("/petugas hapus <b>", "ID <code>&lt;b&gt;</code> tidak valid"),
        ("/petugas ganti 5101", ""),
    ],
)
async def test_bad_input_gets_the_syntax(harness: DeskHarness, text: str, expected: str) -> None:
    reply = await ask(harness, OFFICIAL, text)
    assert reply.startswith(expected)
    assert reply.endswith(texts.PETUGAS_SYNTAX)
    assert await history(harness, 5101) == []


async def test_official_cannot_change_themself_or_other_officials(harness: DeskHarness) -> None:
    assert await ask(harness, OFFICIAL, f"/petugas hapus {OFFICIAL_ID}") == texts.PETUGAS_NOT_SELF
    await ask(harness, OFFICIAL, "/petugas tambah 6002 X 2026-01-31")
    assert await ask(harness, OFFICIAL, "/petugas hapus 9999") == (
        texts.PETUGAS_NOT_OFFICER.format(telegram_id=9999)
    )


@pytest.mark.parametrize("user", [ADMIN, NEW_ADMIN], ids=["admin", "citizen"])
async def test_only_officials(harness: DeskHarness, user: Any) -> None:
    reply = await ask(harness, user, "/petugas tambah 5101 SK-1 2026-01-31")
    assert reply == texts.NOT_FOR_ROLE.format(who=texts.WHO_OFFICIALS)
    assert await history(harness, 5101) == []


async def test_appointments_and_removals_join_the_audit_trail(harness: DeskHarness) -> None:
    await ask(harness, OFFICIAL, "/petugas tambah 5101 SK-1/2026 2026-01-31")
    await ask(harness, OFFICIAL, "/petugas hapus 5101")
    async with harness.session_maker() as session:
        rows = (await session.exec(select(AuditLog).order_by(col(AuditLog.id)))).all()
    appointments = [r for r in rows if r.action == "appointment"]
    assert [r.target for r in appointments] == ["5101", "5101"]
    assert ['"appointed"' in (r.detail or "") for r in appointments] == [True, False]
    assert all(r.actor_telegram_id == OFFICIAL_ID for r in appointments)

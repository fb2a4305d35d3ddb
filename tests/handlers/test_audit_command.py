"""/audit for officials, the audit annex of /laporan, and the actions recorded since item 2
(FAQ changes, report requests, broadcasts, channel posts)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from aiogram.methods import SendDocument, SendMessage
from sqlmodel import col, select

from bot.domain.audit import AuditAction
from bot.domain.enums import Role
from bot.domain.outreach import PostCategory
from bot.keyboards import CardAction, PostAction
from storage.models import AuditLog
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_ID,
    OFFICIAL_ID,
    group_chat,
    message,
    message_update,
    private_chat,
    tg_user,
)
from tests.handlers.test_admin_actions import ADMIN, card_message, open_ticket, press
from tests.handlers.test_faq_variants import AMBULANCE_ENTRY, UNUSUAL, ask
from tests.handlers.test_outreach import draft_of, press as press_post

OFFICIAL = tg_user(OFFICIAL_ID, "Kabid IKP", username="kabid_ikp")
CITIZEN_TEXT = "Saya Budi, HP 081234567890, ibu saya sakit"


def texts_to(calls: list[Any], chat_id: int) -> list[str]:
    return [str(c.text) for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


def documents(calls: list[Any]) -> list[SendDocument]:
    return [c for c in calls if isinstance(c, SendDocument)]


def csv_rows(document: SendDocument) -> list[dict[str, str]]:
    data = getattr(document.document, "data", b"")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def say(harness: DeskHarness, user: Any, text: str) -> list[Any]:
    await harness.feed(message_update(message(user=user, chat=private_chat(user.id), text=text)))
    return await harness.drain()


async def audit_log(harness: DeskHarness) -> list[AuditLog]:
    async with harness.session_maker() as session:
        return list((await session.exec(select(AuditLog).order_by(col(AuditLog.id)))).all())


async def kind_change_and_ignore(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness, CITIZEN_TEXT)
    await harness.feed(press(ticket, CardAction.SET_KIND, arg=1))
    await harness.feed(press(ticket, CardAction.IGNORE))
    await harness.feed(press(ticket, CardAction.REASON, arg=0))
    await harness.drain()


async def test_official_gets_summary_and_csv_of_this_month(harness: DeskHarness) -> None:
    await kind_change_and_ignore(harness)
    calls = await say(harness, OFFICIAL, "/audit")
    summary = texts_to(calls, OFFICIAL_ID)[0]
    assert "November 2026" in summary
    assert "Jumlah tindakan tercatat: 2" in summary
    assert "Mengubah jenis tiket: 1" in summary
    assert "Mengabaikan tiket: 1" in summary
    assert "Petugas Sari: 2" in summary
    assert len(summary) < 4096
    [document] = documents(calls)
    assert document.chat_id == OFFICIAL_ID
    assert getattr(document.document, "filename", "") == "jejak-audit-20261101-20261130.csv"
    rows = csv_rows(document)
    assert [row["tindakan"] for row in rows] == [AuditAction.KIND_CHANGE, AuditAction.IGNORE]
    assert {row["pelaku"] for row in rows} == {"Petugas Sari"}
    assert {row["peran"] for row in rows} == {Role.ADMIN}
    assert {row["pelaku_telegram_id"] for row in rows} == {str(ADMIN_ID)}
    assert rows[0]["waktu"].endswith("+08:00")  # shown in WITA
    text = getattr(document.document, "data", b"").decode("utf-8-sig")
    assert "081234567890" not in text
    assert "Budi" not in text


async def test_a_period_outside_the_actions_has_no_csv(harness: DeskHarness) -> None:
    await kind_change_and_ignore(harness)
    calls = await say(harness, OFFICIAL, "/audit 2026-10")
    assert "belum ada tindakan" in texts_to(calls, OFFICIAL_ID)[0]
    assert documents(calls) == []
    year = await say(harness, OFFICIAL, "/audit 2026")
    assert "Jumlah tindakan tercatat: 2" in texts_to(year, OFFICIAL_ID)[0]
    assert len(documents(year)) == 1


async def test_admins_and_citizens_are_refused(harness: DeskHarness) -> None:
    await kind_change_and_ignore(harness)
    citizen = tg_user(7301, "Warga")
    refused = await say(harness, citizen, "/audit")
    refused += await say(harness, ADMIN, "/audit")
    assert "hanya untuk pejabat" in texts_to(refused, citizen.id)[0]
    assert "hanya untuk pejabat" in texts_to(refused, ADMIN_ID)[0]
    assert documents(refused) == []
    await harness.feed(message_update(message(user=OFFICIAL, chat=group_chat(), text="/audit")))
    in_group = await harness.drain()
    assert documents(in_group) == []


async def test_bad_period_gets_the_example(harness: DeskHarness) -> None:
    calls = await say(harness, OFFICIAL, "/audit kemarin<b>")
    reply = texts_to(calls, OFFICIAL_ID)[0]
    assert "tidak dikenali" in reply
    assert "kemarin&lt;b&gt;" in reply
    assert "/audit 2026-Q3" in reply
    assert documents(calls) == []


async def test_laporan_is_recorded_and_sends_the_audit_annex(harness: DeskHarness) -> None:
    await kind_change_and_ignore(harness)
    calls = await say(harness, OFFICIAL, "/laporan 2026-11")
    annex = [
        d
        for d in documents(calls)
        if getattr(d.document, "filename", "") == "lampiran-jejak-audit-20261101-20261130.csv"
    ]
    assert len(annex) == 1
    assert "Lampiran: Jejak Audit" in str(annex[0].caption)
    rows = csv_rows(annex[0])
    assert [row["tindakan"] for row in rows] == [
        AuditAction.KIND_CHANGE,
        AuditAction.IGNORE,
        AuditAction.REPORT_REQUEST,
    ]
    assert rows[-1]["pelaku"] == "Kabid IKP (@kabid_ikp)"
    assert rows[-1]["peran"] == Role.OFFICIAL
    request = (await audit_log(harness))[-1]
    assert request.action == AuditAction.REPORT_REQUEST
    assert request.actor_telegram_id == OFFICIAL_ID
    assert json.loads(request.detail or "{}") == {"start": "2026-11-01", "end": "2026-11-30"}


async def test_faq_edit_retire_and_variant_removal_are_audited(harness: DeskHarness) -> None:
    ticket = await open_ticket(harness)
    reply = message(
        user=ADMIN,
        chat=group_chat(),
        text="Hubungi 119 untuk ambulans.",
        reply_to_message=card_message(ticket),
    )
    await harness.feed(message_update(reply))
    await harness.drain()
    await harness.feed(press(ticket, CardAction.SAVE_FAQ))
    await harness.drain()
    entry = f"faq-tiket-{ticket.id}"
    await say(harness, ADMIN, f"/faq ubah {entry} Hubungi 119 atau puskesmas terdekat.")
    await say(harness, ADMIN, "/faq ubah tidak-ada jawaban")  # refused: no row
    await say(harness, ADMIN, f"/faq hapus {entry}")

    learned = await ask(harness, 7141, UNUSUAL)
    await harness.feed(press(learned, CardAction.SEND))
    await harness.drain()
    await say(harness, ADMIN, f"/faq varian hapus {AMBULANCE_ENTRY} 1")

    faq_rows = [row for row in await audit_log(harness) if row.action == AuditAction.FAQ_CHANGE]
    changes = [(row.target, json.loads(row.detail or "{}")["change"]) for row in faq_rows]
    assert changes == [
        (entry, "created"),  # `Simpan ke FAQ`, recorded by the admin actions
        (entry, "edited"),
        (entry, "retired"),
        (AMBULANCE_ENTRY, "variant_removed"),
    ]
    assert {row.actor_telegram_id for row in faq_rows} == {ADMIN_ID}
    assert "variant_id" in json.loads(faq_rows[-1].detail or "{}")


async def test_broadcast_is_audited(harness: DeskHarness) -> None:
    citizens = [tg_user(7400 + n, f"Warga {n}") for n in range(2)]
    for citizen in citizens:
        await say(harness, citizen, "/langganan")
    await say(harness, ADMIN, "/siaran Vaksinasi gratis besok")
    [row] = [row for row in await audit_log(harness) if row.action == AuditAction.BROADCAST]
    assert row.actor_telegram_id == ADMIN_ID
    assert row.target is not None
    assert row.target.startswith("broadcast:")
    assert json.loads(row.detail or "{}")["recipients"] == 2


async def test_broadcast_without_subscribers_is_not_audited(harness: DeskHarness) -> None:
    await say(harness, ADMIN, "/siaran Vaksinasi gratis besok")
    assert [row for row in await audit_log(harness) if row.action == AuditAction.BROADCAST] == []


async def test_post_publish_and_reject_are_audited(harness_factory: Any) -> None:
    harness: DeskHarness = await harness_factory(post_approval_required=True)
    outcomes = []
    for category, verdict in (
        (PostCategory.KEGIATAN, PostAction.REJECT),
        (PostCategory.ISU, PostAction.APPROVE),
    ):
        await say(harness, ADMIN, "/posting")
        draft = await draft_of(harness)
        assert draft.id is not None
        await harness.feed(press_post(ADMIN, PostAction.CATEGORY, draft.id, category.value))
        await say(harness, ADMIN, "Rapat koordinasi OPD")
        await harness.feed(press_post(ADMIN, PostAction.SUBMIT, draft.id))
        await harness.drain()
        await harness.feed(press_post(OFFICIAL, verdict, draft.id))
        await harness.drain()
        outcomes.append((f"post:{draft.id}", category.value))
    rows = [row for row in await audit_log(harness) if row.action == AuditAction.POST_PUBLISH]
    assert [(row.target, json.loads(row.detail or "{}")) for row in rows] == [
        (outcomes[0][0], {"outcome": "rejected", "category": outcomes[0][1]}),
        (outcomes[1][0], {"outcome": "published", "category": outcomes[1][1]}),
    ]
    assert {(row.actor_telegram_id, row.actor_role) for row in rows} == {
        (OFFICIAL_ID, Role.OFFICIAL)
    }

"""/laporan: officials get a summary, a DOCX and a PDF; others are refused."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendDocument, SendMessage

from tests.conftest import DeskHarness
from tests.factories import ADMIN_ID, OFFICIAL_ID, message, message_update, private_chat, tg_user
from tests.handlers.test_admin_actions import open_ticket

OFFICIAL = tg_user(OFFICIAL_ID, "Kabid IKP")
ADMIN = tg_user(ADMIN_ID, "Petugas Sari")


def texts_to(calls: list[Any], chat_id: int) -> list[str]:
    return [str(c.text) for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def test_official_gets_summary_docx_and_pdf(harness: DeskHarness) -> None:
    await open_ticket(harness)
    chat = private_chat(OFFICIAL_ID)
    await harness.feed(message_update(message(user=OFFICIAL, chat=chat, text="/laporan 2026")))
    calls = await harness.drain()
    assert texts_to(calls, OFFICIAL_ID)
    documents = [c for c in calls if isinstance(c, SendDocument)]
    names = sorted(str(getattr(d.document, "filename", "")) for d in documents)
    assert names == [
        "lampiran-jejak-audit-20260101-20261231.csv",
        "laporan-pasal15-20260101-20261231.docx",
        "laporan-pasal15-20260101-20261231.pdf",
    ]
    for document in documents:
        if str(getattr(document.document, "filename", "")).startswith("laporan-"):
            assert len(getattr(document.document, "data", b"")) > 1000


async def test_bad_period_gets_an_example(harness: DeskHarness) -> None:
    chat = private_chat(OFFICIAL_ID)
    await harness.feed(message_update(message(user=OFFICIAL, chat=chat, text="/laporan kemarin")))
    calls = await harness.drain()
    reply = texts_to(calls, OFFICIAL_ID)[0]
    assert "tidak dikenali" in reply
    assert "/laporan 2026-Q3" in reply


async def test_citizens_and_admins_are_refused(harness: DeskHarness) -> None:
    citizen = tg_user(7301, "Warga")
    await harness.feed(message_update(message(user=citizen, text="/laporan")))
    await harness.feed(
        message_update(message(user=ADMIN, chat=private_chat(ADMIN_ID), text="/laporan"))
    )
    calls = await harness.drain()
    assert "hanya untuk pejabat" in texts_to(calls, citizen.id)[0]
    assert "hanya untuk pejabat" in texts_to(calls, ADMIN_ID)[0]
    assert not [c for c in calls if isinstance(c, SendDocument)]


async def test_official_gets_the_evaluation_of_every_agency(harness: DeskHarness) -> None:
    await open_ticket(harness)
    chat = private_chat(OFFICIAL_ID)
    await harness.feed(message_update(message(user=OFFICIAL, chat=chat, text="/evaluasi 2026")))
    calls = await harness.drain()
    summary = texts_to(calls, OFFICIAL_ID)[-1]
    assert "Evaluasi layanan informasi media sosial (Pasal 16)" in summary
    assert "1 Perangkat Daerah dibandingkan" in summary
    documents = [c for c in calls if isinstance(c, SendDocument)]
    names = sorted(str(getattr(d.document, "filename", "")) for d in documents)
    assert names == [
        "evaluasi-pasal16-20260101-20261231.docx",
        "evaluasi-pasal16-20260101-20261231.pdf",
    ]
    await harness.feed(message_update(message(user=OFFICIAL, chat=chat, text="/evaluasi kapan")))
    assert "tidak dikenali" in texts_to(await harness.drain(), OFFICIAL_ID)[-1]


async def test_admin_cannot_ask_for_the_evaluation(harness: DeskHarness) -> None:
    chat = private_chat(ADMIN_ID)
    await harness.feed(message_update(message(user=ADMIN, chat=chat, text="/evaluasi 2026")))
    calls = await harness.drain()
    assert not [c for c in calls if isinstance(c, SendDocument)]

"""Admin card actions leave append-only audit rows (Issue 13 item 2)."""

from __future__ import annotations

import json

from sqlmodel import col, select

from bot.domain.audit import AuditAction
from bot.domain.enums import Role
from bot.keyboards import CardAction
from storage.models import AuditLog
from tests.conftest import DeskHarness
from tests.factories import ADMIN_ID, group_chat, message, message_update
from tests.handlers.test_admin_actions import ADMIN, card_message, open_ticket, press


async def test_kind_change_ignore_and_answer_are_audited(harness: DeskHarness) -> None:
    first = await open_ticket(harness)
    await harness.feed(press(first, CardAction.SET_KIND, arg=1))
    await harness.feed(press(first, CardAction.IGNORE))
    await harness.feed(press(first, CardAction.REASON, arg=0))
    second = await open_ticket(harness)
    reply = message(
        user=ADMIN,
        chat=group_chat(),
        text="Silakan ke IGD.",
        reply_to_message=card_message(second),
    )
    await harness.feed(message_update(reply))
    await harness.drain()
    async with harness.session_maker() as session:
        rows = (await session.exec(select(AuditLog).order_by(col(AuditLog.id)))).all()
    assert [(row.action, row.ticket_id) for row in rows] == [
        (AuditAction.KIND_CHANGE, first.id),
        (AuditAction.IGNORE, first.id),
        # The Pasal 12 check of the answer comes before the answer itself.
        (AuditAction.ETHICS_CHECK, second.id),
        (AuditAction.ANSWER, second.id),
    ]
    assert {row.actor_telegram_id for row in rows} == {ADMIN_ID}
    assert {row.actor_role for row in rows} == {Role.ADMIN}
    assert {row.agency_id for row in rows} == {harness.services.agency_id}
    assert json.loads(rows[0].detail or "{}") == {"from": "pertanyaan", "to": "pengaduan"}
    assert json.loads(rows[1].detail or "{}") == {"reason": "spam"}
    assert json.loads(rows[2].detail or "{}")["outcome"] == "lolos"
    assert json.loads(rows[3].detail or "{}")["source"] == "manual"

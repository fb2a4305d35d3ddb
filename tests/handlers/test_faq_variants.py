"""Every approval teaches: the citizen's wording becomes a question variant of the entry sent."""

from __future__ import annotations

import json
from typing import Any

from aiogram.methods import SendMessage
from sqlmodel import select

from bot.keyboards import CardAction
from storage.models import KbVariant, Ticket, User
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_ID,
    group_chat,
    message,
    message_update,
    private_chat,
    tg_user,
)
from tests.handlers.test_admin_actions import ADMIN, card_message, press

# Nobody asks for an ambulance like this in the knowledge base: "sick car, emergency, number?"
UNUSUAL = "mobil sakit darurat nomor brp"
AMBULANCE_ENTRY = "ambulans-gawat-darurat"
# Two entries are close here (recording a marriage or a divorce), so `Saran lain` has a second.
TWO_WAYS = "min kalo mau nikah beda agama nyatat dmn ya"


async def ask(harness: DeskHarness, telegram_id: int, text: str) -> Ticket:
    citizen = tg_user(telegram_id, f"Warga {telegram_id}")
    await harness.feed(message_update(message(user=citizen, text=text)))
    await harness.drain()
    statement = (
        select(Ticket)
        .join(User, User.id == Ticket.citizen_id)  # type: ignore[arg-type]
        .where(User.telegram_id == telegram_id)
    )
    async with harness.session_maker() as session:
        return (await session.exec(statement)).one()


def ranked(ticket: Ticket) -> list[tuple[str, float]]:
    return [(item["id"], float(item["score"])) for item in json.loads(ticket.suggestions)]


async def variants(harness: DeskHarness) -> list[KbVariant]:
    async with harness.session_maker() as session:
        return list((await session.exec(select(KbVariant).order_by(KbVariant.id))).all())  # type: ignore[arg-type]


async def faq_command(harness: DeskHarness, text: str, user: Any = ADMIN) -> str:
    await harness.feed(message_update(message(user=user, chat=private_chat(user.id), text=text)))
    calls = await harness.drain()
    replies = [c for c in calls if isinstance(c, SendMessage) and c.chat_id == user.id]
    return str(replies[-1].text)


async def test_approval_teaches_and_the_next_citizen_gets_more_confidence(
    harness: DeskHarness,
) -> None:
    first = await ask(harness, 7101, UNUSUAL)
    first_id, first_score = ranked(first)[0]
    assert first.suggestion_confident
    assert first_id == AMBULANCE_ENTRY
    assert first_score < 0.95  # the unusual wording is a weak match before anyone taught it

    await harness.feed(press(first, CardAction.SEND))
    await harness.drain()
    learned = await variants(harness)
    assert [(v.entry_id, v.text, v.ticket_id) for v in learned] == [
        (AMBULANCE_ENTRY, UNUSUAL, first.id)
    ]
    async with harness.session_maker() as session:
        admin = (await session.exec(select(User).where(User.telegram_id == ADMIN_ID))).one()
    assert learned[0].created_by_id == admin.id
    assert learned[0].created_at == harness.clock.now()

    second = await ask(harness, 7102, UNUSUAL)
    second_id, second_score = ranked(second)[0]
    assert second_id == AMBULANCE_ENTRY
    assert second_score > first_score


async def test_saran_lain_teaches_the_entry_that_was_sent(harness: DeskHarness) -> None:
    ticket = await ask(harness, 7111, TWO_WAYS)
    ids = [entry_id for entry_id, _score in ranked(ticket)]
    assert ticket.suggestion_confident
    assert len(ids) >= 2
    await harness.feed(press(ticket, CardAction.NEXT))
    await harness.feed(press(ticket, CardAction.SEND))
    await harness.drain()
    async with harness.session_maker() as session:
        answered = await session.get(Ticket, ticket.id)
    assert answered is not None
    assert answered.answer_kb_id == ids[1]
    assert [v.entry_id for v in await variants(harness)] == [ids[1]]
    again = await ask(harness, 7112, TWO_WAYS)
    assert ranked(again)[0][0] == ids[1]


async def test_a_second_approval_or_a_repeated_update_does_not_duplicate(
    harness: DeskHarness,
) -> None:
    first = await ask(harness, 7121, UNUSUAL)
    approval = press(first, CardAction.SEND)
    await harness.feed(approval)
    await harness.feed(approval)  # the same update delivered again
    await harness.feed(press(first, CardAction.SEND))  # a second tap on an answered ticket
    await harness.drain()
    # The same wording (differently spaced and cased) approved on another ticket is known.
    second = await ask(harness, 7122, "Mobil  SAKIT darurat nomor brp")
    await harness.feed(press(second, CardAction.SEND))
    await harness.drain()
    assert len(await variants(harness)) == 1
    assert harness.services.suggester.entries  # the index still serves


async def test_wording_is_masked_before_it_is_stored(harness: DeskHarness) -> None:
    text = (
        "mau panggil ambulans utk ortu yg sakit gmn caranya? "
        "hp sy 081234567890 nik 7308123456780001"
    )
    ticket = await ask(harness, 7131, text)
    assert ranked(ticket)[0][0] == AMBULANCE_ENTRY
    assert ticket.suggestion_confident
    await harness.feed(press(ticket, CardAction.SEND))
    await harness.drain()
    (learned,) = await variants(harness)
    assert "081234567890" not in learned.text
    assert "7308123456780001" not in learned.text
    assert "[nomor telepon disamarkan]" in learned.text
    assert "[NIK disamarkan]" in learned.text
    entry = next(e for e in harness.services.suggester.entries if e.id == AMBULANCE_ENTRY)
    assert learned.text in entry.questions
    assert text not in entry.questions


async def test_variants_are_listed_and_removed_in_faq(harness: DeskHarness) -> None:
    first = await ask(harness, 7141, UNUSUAL)
    first_score = ranked(first)[0][1]
    await harness.feed(press(first, CardAction.SEND))
    await harness.drain()

    shown = await faq_command(harness, f"/faq lihat {AMBULANCE_ENTRY}")
    assert "Variasi pertanyaan dari warga" in shown
    assert f"1. {UNUSUAL}" in shown
    assert f"tiket #{first.id}" in shown
    assert "Petugas Sari" in shown
    overview = await faq_command(harness, "/faq varian")
    assert AMBULANCE_ENTRY in overview
    assert "1 variasi" in overview
    listing = await faq_command(harness, f"/faq varian {AMBULANCE_ENTRY}")
    assert f"1. {UNUSUAL}" in listing

    missing = await faq_command(harness, f"/faq varian hapus {AMBULANCE_ENTRY} 2")
    assert "tidak ada" in missing
    removed = await faq_command(harness, f"/faq varian hapus {AMBULANCE_ENTRY} 1")
    assert "dihapus" in removed
    assert UNUSUAL in removed
    (row,) = await variants(harness)
    assert row.removed_at is not None
    assert row.removed_by_id is not None
    entry = next(e for e in harness.services.suggester.entries if e.id == AMBULANCE_ENTRY)
    assert UNUSUAL not in entry.questions
    assert "belum punya variasi" in await faq_command(harness, f"/faq varian {AMBULANCE_ENTRY}")

    # Removed by an admin, the wording is not learned again from the next approval.
    later = await ask(harness, 7142, UNUSUAL)
    assert ranked(later)[0][1] == first_score
    await harness.feed(press(later, CardAction.SEND))
    await harness.drain()
    assert len(await variants(harness)) == 1


async def test_citizen_cannot_remove_variants(harness: DeskHarness) -> None:
    first = await ask(harness, 7151, UNUSUAL)
    await harness.feed(press(first, CardAction.SEND))
    await harness.drain()
    citizen = tg_user(7152, "Dewi")
    reply = await faq_command(harness, f"/faq varian hapus {AMBULANCE_ENTRY} 1", user=citizen)
    assert "hanya untuk petugas" in reply
    assert (await variants(harness))[0].removed_at is None


async def test_retired_entry_keeps_no_learned_effect(harness: DeskHarness) -> None:
    question = "apakah kantor samsat watampone buka hari sabtu untuk bayar pajak motor?"
    answer = "Samsat Watampone melayani pembayaran pajak kendaraan pada hari Sabtu pukul 08.00."
    ticket = await ask(harness, 7161, question)
    reply = message(
        user=ADMIN, chat=group_chat(), text=answer, reply_to_message=card_message(ticket)
    )
    await harness.feed(message_update(reply))
    await harness.feed(press(ticket, CardAction.SAVE_FAQ))
    await harness.drain()
    wording = "samsat watampone sabtu buka ga"
    second = await ask(harness, 7162, wording)
    assert ranked(second)[0][0] == "faq-tiket-1"
    assert second.suggestion_confident
    await harness.feed(press(second, CardAction.SEND))
    await harness.drain()
    assert [v.entry_id for v in await variants(harness)] == ["faq-tiket-1"]

    await faq_command(harness, "/faq hapus faq-tiket-1")
    (row,) = await variants(harness)
    assert row.removed_at is not None
    assert harness.services.suggester.lookup("faq-tiket-1") is None
    assert all(wording not in e.questions for e in harness.services.suggester.entries)
    third = await ask(harness, 7163, wording)
    assert "faq-tiket-1" not in [entry_id for entry_id, _ in ranked(third)]


async def test_a_later_choice_for_the_same_wording_supersedes_the_earlier(
    harness: DeskHarness,
) -> None:
    first = await ask(harness, 7171, TWO_WAYS)
    ids = [entry_id for entry_id, _score in ranked(first)]
    await harness.feed(press(first, CardAction.SEND))
    await harness.drain()
    second = await ask(harness, 7172, TWO_WAYS)
    assert ranked(second)[0][0] == ids[0]
    assert len(ranked(second)) >= 2
    assert ranked(second)[1][0] != ids[0]
    corrected = ranked(second)[1][0]
    await harness.feed(press(second, CardAction.NEXT))
    await harness.feed(press(second, CardAction.SEND))
    await harness.drain()
    learned = await variants(harness)
    assert [(v.entry_id, v.removed_at is None) for v in learned] == [
        (ids[0], False),
        (corrected, True),
    ]
    third = await ask(harness, 7173, TWO_WAYS)
    assert ranked(third)[0][0] == corrected

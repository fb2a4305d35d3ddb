"""/kinerja through the real dispatcher: officials see all, admins themselves, citizens no."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage
from aiogram.types import MessageEntity
from sqlmodel import col, select

from bot import texts
from bot.domain.enums import Role
from bot.keyboards import CardAction, TicketCallback
from storage import queries
from storage.models import Ticket
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    OFFICIAL_ID,
    bot_message,
    callback_update,
    group_chat,
    message,
    message_update,
    tg_user,
)

QUESTION = "mau panggil ambulans utk ortu yg sakit gmn caranya?"
ADMIN = tg_user(ADMIN_ID, "Sari <Humas>")
SECOND_ADMIN = tg_user(5002, "Budi")
OFFICIAL = tg_user(OFFICIAL_ID, "Kadis")


def command(user: Any, text: str, *, chat: Any = None) -> Any:
    name = text.split(maxsplit=1)[0]
    entity = MessageEntity(type="bot_command", offset=0, length=len(name))
    return message_update(message(user=user, text=text, chat=chat, entities=[entity]))


def replies(calls: list[Any], chat_id: int) -> list[str]:
    return [c.text for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


async def answer_after(harness: DeskHarness, citizen_id: int, admin: Any, minutes: int) -> None:
    """A citizen asks; ``minutes`` later (working time) the admin presses `Kirim`."""
    await harness.feed(message_update(message(user=tg_user(citizen_id, "Warga"), text=QUESTION)))
    await harness.drain()
    async with harness.session_maker() as session:
        ticket = (
            await session.exec(select(Ticket).order_by(col(Ticket.id).desc()).limit(1))
        ).one()
    assert ticket.id is not None
    assert ticket.card_message_id is not None
    harness.clock.advance(minutes=minutes)
    data = TicketCallback(action=CardAction.SEND, ticket=ticket.id).pack()
    card = bot_message(chat=group_chat(), message_id=ticket.card_message_id)
    await harness.feed(callback_update(user=admin, data=data, message=card))
    await harness.drain()


async def build_month(harness: DeskHarness) -> None:
    async with harness.session_maker() as session:
        await queries.set_role(
            session, telegram_id=SECOND_ADMIN.id, role=Role.ADMIN, now=harness.clock.now()
        )
        await session.commit()
    await answer_after(harness, 7001, ADMIN, 10)  # within the 1-hour target
    await answer_after(harness, 7002, ADMIN, 90)  # missed it
    await answer_after(harness, 7003, SECOND_ADMIN, 30)
    # One still open.
    await harness.feed(message_update(message(user=tg_user(7004, "Warga"), text="Halo?")))
    await harness.drain()


async def test_official_sees_every_figure(harness: DeskHarness) -> None:
    await build_month(harness)
    await harness.feed(command(OFFICIAL, "/kinerja"))
    text = replies(await harness.drain(), OFFICIAL_ID)[0]
    assert "Kinerja layanan: November 2026" in text
    assert "Tiket masuk: <b>4</b> (dijawab 3, ditutup tanpa jawaban 0, masih terbuka 1)" in text
    # 10, 30 and 90 working minutes: median 30, p90 90.
    assert "median 30 menit, persentil ke-90 1 jam 30 menit" in text
    assert "Dijawab dalam target 1 jam: 2 dari 3 (66,7%)" in text
    assert "Per petugas" in text
    assert "Sari &lt;Humas&gt;: dijawab 2, median 50 menit, dalam target 50%" in text
    assert "Budi: dijawab 1, median 30 menit, dalam target 100%" in text
    assert "Pertanyaan: masuk 4, dijawab 3, terbuka 1" in text
    assert "Tiket terbuka tertua" in text
    assert (
        "#4 Pertanyaan, dibuka Senin, 30 November 2026 pukul 11.10 WITA; "
        "menunggu kurang dari 1 menit dalam jam kerja" in text
    )
    assert len(text) <= 4096


async def test_admin_sees_own_figures_and_team_totals(harness: DeskHarness) -> None:
    await build_month(harness)
    await harness.feed(command(SECOND_ADMIN, "/kinerja bulan"))
    text = replies(await harness.drain(), SECOND_ADMIN.id)[0]
    assert texts.PERF_OWN_HEADING in text
    assert "Dijawab 1; median 30 menit; dalam target 1 dari 1 (100%)" in text
    assert texts.PERF_TEAM_HEADING in text
    assert "2 dari 3" in text
    # Colleagues are not named to an admin.
    assert "Per petugas" not in text
    assert "Sari" not in text


async def test_kinerja_in_the_admin_group(harness: DeskHarness) -> None:
    await build_month(harness)
    await harness.feed(command(ADMIN, "/kinerja hari", chat=group_chat()))
    text = replies(await harness.drain(), ADMIN_GROUP_ID)[0]
    assert "hari ini, Senin, 30 November 2026" in text
    assert "Dijawab 2; median 50 menit" in text


async def test_citizen_is_refused(harness: DeskHarness) -> None:
    citizen = tg_user(7009, "Warga")
    await harness.feed(command(citizen, "/kinerja"))
    calls = await harness.drain()
    assert replies(calls, citizen.id) == [texts.NOT_FOR_ROLE.format(who=texts.WHO_STAFF)]
    async with harness.session_maker() as session:
        assert (await session.exec(select(Ticket))).all() == []


async def test_bad_period_gets_help_with_an_example(harness: DeskHarness) -> None:
    await harness.feed(command(OFFICIAL, "/kinerja kemarin"))
    text = replies(await harness.drain(), OFFICIAL_ID)[0]
    assert text == texts.PERF_PERIOD_HELP
    assert "/kinerja 2026-11" in text


async def test_week_and_year_periods(harness: DeskHarness) -> None:
    await build_month(harness)
    await harness.feed(command(OFFICIAL, "/kinerja minggu"))
    await harness.feed(command(OFFICIAL, "/kinerja 2026"))
    await harness.feed(command(OFFICIAL, "/kinerja 2025-01"))
    week, year, empty = replies(await harness.drain(), OFFICIAL_ID)
    assert "minggu 30 November 2026 – 6 Desember 2026" in week
    assert "Tiket masuk: <b>4</b>" in week
    assert "tahun 2026" in year
    assert "Januari 2025" in empty
    assert "Tiket masuk: <b>0</b>" in empty
    assert "median belum ada" in empty

"""Issue 13 item 5: actions x roles x agencies on one database with two dispatchers.

Agency A's citizen opens a ticket through A's bot. Every staff action on that ticket is then
tried by a citizen, an admin and an official, each of agency A (through A's bot) and of
agency B (through B's bot, in B's admin group). Only A's own staff may act; nobody else
changes the ticket, reaches its citizen, or sees its text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import MessageEntity
from sqlmodel import select

from bot import texts
from bot.app import create_dispatcher
from bot.keyboards import CardAction, TicketCallback
from storage.models import OfficerAppointment, Ticket
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

B_GROUP_ID = -1002000000001
B_ADMIN_ID = 5201
B_OFFICIAL_ID = 6201
CITIZEN_ID = 7001
OUTSIDER_ID = 7100
QUESTION = "mau panggil ambulans utk ortu yg sakit gmn caranya?"

OFFICIAL_ONLY = {"/laporan", "/petugas"}


@dataclass(frozen=True)
class Cell:
    role: str
    agency: str  # "own": agency A, where the ticket is; "other": agency B


@dataclass
class World:
    a: DeskHarness
    b: DeskHarness
    ticket_id: int
    card_message_id: int


async def feed(harness: DeskHarness, update: Any) -> None:
    """Feed through this agency's dispatcher. The routers are module-level singletons that
    belong to the last dispatcher built, so the acting agency's dispatcher is rebuilt first
    (same settings, services and agency_id; only the router tree moves)."""
    harness.dispatcher = create_dispatcher(
        harness.settings,
        session_maker=harness.session_maker,
        clock=harness.clock,
        services=harness.services,
        outbox_wake=harness.outbox_wake,
    )
    await harness.feed(update)


def command(user: Any, text: str, *, chat: Any = None) -> Any:
    name = text.split(maxsplit=1)[0]
    entity = MessageEntity(type="bot_command", offset=0, length=len(name))
    return message_update(message(user=user, text=text, chat=chat, entities=[entity]))


def card_button(action: CardAction, arg: int = 0) -> Callable[[World, Any, int], Any]:
    def build(world: World, user: Any, group_id: int) -> Any:
        data = TicketCallback(action=action, ticket=world.ticket_id, arg=arg).pack()
        card = bot_message(chat=group_chat(group_id), message_id=world.card_message_id)
        return callback_update(user=user, data=data, message=card)

    return build


def reply_to_card(world: World, user: Any, group_id: int) -> Any:
    card = bot_message(chat=group_chat(group_id), message_id=world.card_message_id)
    return message_update(
        message(
            user=user,
            chat=group_chat(group_id),
            text="Silakan datang ke Disdukcapil.",
            reply_to_message=card,
        )
    )


def private_command(text: str) -> Callable[[World, Any, int], Any]:
    def build(world: World, user: Any, group_id: int) -> Any:
        return command(user, text.format(ticket=world.ticket_id))

    return build


ACTIONS: dict[str, Callable[[World, Any, int], Any]] = {
    **{f"button-{a.name.lower()}": card_button(a) for a in CardAction},
    "button-reason-spam": card_button(CardAction.REASON, 0),
    "button-set-kind": card_button(CardAction.SET_KIND, 1),
    "reply-to-card": reply_to_card,
    "/antrian": private_command("/antrian"),
    "/kinerja": private_command("/kinerja"),
    "/laporan": private_command("/laporan 2026-11"),
    "/faq": private_command("/faq"),
    "/teruskan": private_command("/teruskan {ticket} Dinas Sosial"),
    "/petugas": private_command("/petugas tambah 5999 800/1/2026 2026-01-31"),
}

ACTORS = {
    Cell("citizen", "own"): OUTSIDER_ID,
    Cell("admin", "own"): ADMIN_ID,
    Cell("official", "own"): OFFICIAL_ID,
    Cell("citizen", "other"): OUTSIDER_ID,
    Cell("admin", "other"): B_ADMIN_ID,
    Cell("official", "other"): B_OFFICIAL_ID,
}


@pytest.fixture
async def world(harness_factory: Callable[..., Any]) -> World:
    a = await harness_factory()
    b = await harness_factory(
        agency_code="dinkes",
        agency_name="Dinas Kesehatan Kabupaten Bone",
        admin_chat_id=B_GROUP_ID,
        admin_ids=[B_ADMIN_ID],
        official_ids=[B_OFFICIAL_ID],
    )
    assert a.services.agency_id != b.services.agency_id
    await feed(a, message_update(message(user=tg_user(CITIZEN_ID, "Warga"), text=QUESTION)))
    await a.drain()
    async with a.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.id is not None
    assert ticket.card_message_id is not None
    return World(a, b, ticket.id, ticket.card_message_id)


async def snapshot(world: World) -> tuple[dict[str, Any], int]:
    async with world.a.session_maker() as session:
        ticket = await session.get(Ticket, world.ticket_id)
        assert ticket is not None
        appointments = await session.exec(
            select(OfficerAppointment.id).where(
                OfficerAppointment.agency_id == world.a.services.agency_id
            )
        )
        return ticket.model_dump(), len(list(appointments.all()))


def texts_of(calls: list[Any]) -> list[str]:
    shown: list[str] = []
    for call in calls:
        if isinstance(call, SendMessage | EditMessageText):
            shown.append(str(call.text))
        elif isinstance(call, AnswerCallbackQuery) and call.text:
            shown.append(call.text)
    return shown


ETHICS_BUTTONS = frozenset(
    f"button-{a.name.lower()}"
    for a in (CardAction.ETHICS_SEND, CardAction.ETHICS_EDIT, CardAction.ETHICS_CANCEL)
)


def allowed(action: str, cell: Cell) -> bool:
    if cell.agency != "own" or cell.role == "citizen":
        return False
    return action not in OFFICIAL_ONLY or cell.role == "official"


@pytest.mark.parametrize("cell", list(ACTORS), ids=lambda c: f"{c.role}-{c.agency}")
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_only_own_staff_see_or_act(world: World, action: str, cell: Cell) -> None:
    harness = world.a if cell.agency == "own" else world.b
    group_id = ADMIN_GROUP_ID if cell.agency == "own" else B_GROUP_ID
    before = await snapshot(world)
    await feed(harness, ACTIONS[action](world, tg_user(ACTORS[cell], "Petugas"), group_id))
    calls = await harness.drain()
    shown = texts_of(calls)
    to_citizen = [c for c in calls if getattr(c, "chat_id", None) == CITIZEN_ID]
    if allowed(action, cell):
        # The ethics notice's buttons name a held answer; with none held, "stale" is the
        # right answer even for the agency's own staff (the role refusal still is not).
        refusals = (
            ("Maaf, perintah ini hanya",)
            if action in ETHICS_BUTTONS
            else ("Maaf, perintah ini hanya", texts.ALERT_STALE)
        )
        assert not any(t.startswith(refusals) for t in shown), shown
        return
    assert await snapshot(world) == before
    assert to_citizen == []
    for text in shown:
        assert QUESTION not in text
        assert f"#{world.ticket_id} " not in text

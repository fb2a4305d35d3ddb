"""Pseudonymising a citizen keeps the report's figures true; rahasia texts are never quoted."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.clock import FixedClock
from bot.reports import ReportData, compile_report, parse_period
from bot.services.data_rights import DataRights
from bot.services.notifier import Notifier
from storage.db import create_session_maker
from storage.models import Message, Ticket, User
from tests.reports.conftest import (
    CITIZEN_NAME,
    CITIZEN_TG_ID,
    CITIZEN_USERNAME,
    NOW,
    TITLES,
    TOPICS,
    make_settings,
)


async def _compile(engine: AsyncEngine) -> ReportData:
    async with create_session_maker(engine)() as session:
        return await compile_report(
            session,
            settings=make_settings(),
            period=parse_period("2026", date(2027, 1, 5)),
            agency_id=1,
            topics=TOPICS,
            titles=TITLES,
            now=NOW,
        )


def _rights() -> DataRights:
    clock = FixedClock(NOW)
    return DataRights(settings=make_settings(), clock=clock, notifier=Notifier(clock=clock))


async def test_pseudonymising_keeps_every_report_figure(record: AsyncEngine) -> None:
    before = await _compile(record)
    async with create_session_maker(record)() as session:
        user = (await session.exec(select(User).where(User.telegram_id == CITIZEN_TG_ID))).one()
        pseudonym = await _rights().pseudonymise(session, user=user)
        await session.commit()
    after = await _compile(record)
    assert after == before
    async with create_session_maker(record)() as session:
        stored = (await session.exec(select(User).where(User.id == 1))).one()
        assert stored.telegram_id == pseudonym < 0
        assert stored.first_name == ""
        assert stored.username is None
        assert stored.erased_at is not None
        texts = [m.text or "" for m in (await session.exec(select(Message))).all()]
        chats = {t.chat_id for t in (await session.exec(select(Ticket))).all()}
    assert not any(CITIZEN_NAME.split()[0] in text for text in texts)
    assert not any(CITIZEN_USERNAME in text for text in texts)
    assert CITIZEN_TG_ID not in chats


async def test_rahasia_texts_are_not_quoted_but_still_counted(record: AsyncEngine) -> None:
    before = await _compile(record)
    async with create_session_maker(record)() as session:
        tickets = (await session.exec(select(Ticket).where(Ticket.agency_id == 1))).all()
        for ticket in tickets:
            ticket.confidential = True
        await session.commit()
    after = await _compile(record)
    assert after.content.tickets == before.content.tickets
    assert after.comments.comment_tickets == before.comments.comment_tickets
    assert sum(t.comments for t in after.comments.by_tone) == sum(
        t.comments for t in before.comments.by_tone
    )
    assert after.content.gap_topics == []
    assert before.content.gap_topics or before.comments.by_tone
    assert all(t.example == "(isi komentar dirahasiakan)" for t in after.comments.by_tone)

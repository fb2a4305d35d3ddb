"""Scheduled jobs against the real dispatcher, sender and database with a FakeClock."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
import sqlalchemy as sa
from aiogram.methods import GetChatMemberCount, SendMessage
from sqlmodel import col, select

from bot import scheduler
from bot.app import Application
from bot.keyboards import CardAction, TicketCallback
from bot.services import timers
from storage.db import SessionMaker, create_engine, create_session_maker
from storage.models import ChannelMemberSnapshot, JobRun, Lease, Outbox, Ticket, TicketEvent, Timer
from tests.conftest import DeskHarness
from tests.factories import (
    ADMIN_GROUP_ID,
    ADMIN_ID,
    CHANNEL_ID,
    OFFICIAL_ID,
    bot_message,
    callback_update,
    group_chat,
    message,
    message_update,
    tg_user,
)
from tests.fakes.clock import FakeClock

CITIZEN = tg_user(7001, "Andi", "andi_bone")
ADMIN = tg_user(ADMIN_ID, "Petugas Sari")
OFFICIAL = tg_user(OFFICIAL_ID, "Kadis")
CONFIDENT_QUESTION = "mau panggil ambulans utk ortu yg sakit gmn caranya?"
# FakeClock starts on Monday 30 November 2026, 09:00 WITA; the target is 60 working
# minutes, the reminder fires at 75 % of it.
OPENED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def sends(calls: list[Any], chat_id: int | None = None) -> list[SendMessage]:
    return [
        c
        for c in calls
        if isinstance(c, SendMessage) and (chat_id is None or c.chat_id == chat_id)
    ]


def send_data(ticket_id: int | None) -> str:
    assert ticket_id is not None
    return TicketCallback(action=CardAction.SEND, ticket=ticket_id).pack()


async def sweep(harness: DeskHarness, session_maker: SessionMaker | None = None) -> int:
    return await scheduler.sweep_due_timers(
        session_maker=session_maker or harness.session_maker,
        settings=harness.settings,
        clock=harness.clock,
        calendar=harness.services.calendar,
        policy=harness.services.policy,
    )


async def open_ticket(harness: DeskHarness, text: str = "Kapan pelayanan KTP buka?") -> None:
    await harness.feed(message_update(message(user=CITIZEN, text=text, message_id=3001)))
    await harness.drain()


async def test_reminder_fires_once_at_its_due_time(harness: DeskHarness) -> None:
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(minutes=44))
    assert await sweep(harness) == 0
    assert sends(await harness.drain()) == []

    harness.clock.set(OPENED + timedelta(minutes=45))
    assert await sweep(harness) == 1
    calls = await harness.drain()
    assert len(sends(calls)) == 1
    reminder = sends(calls, ADMIN_GROUP_ID)[0]
    assert "⏰ Tiket <b>#1</b>" in reminder.text
    assert "mendekati batas waktu" in reminder.text
    assert "pukul 10.00 WITA" in reminder.text
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    # The reminder answers the card, so admins see which ticket it is about.
    assert reminder.reply_parameters is not None
    assert reminder.reply_parameters.message_id == ticket.card_message_id

    assert await sweep(harness) == 0
    assert sends(await harness.drain()) == []


async def test_escalation_and_follow_up_fire_once_at_the_target(harness: DeskHarness) -> None:
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(minutes=45))
    await sweep(harness)
    await harness.drain()

    harness.clock.set(OPENED + timedelta(minutes=59))
    assert await sweep(harness) == 0
    harness.clock.set(OPENED + timedelta(minutes=60))
    assert await sweep(harness) == 2
    calls = await harness.drain()
    escalation = sends(calls, OFFICIAL_ID)
    assert len(escalation) == 1
    assert "belum mendapat tanggapan pertama" in escalation[0].text
    assert "melewati target 1 jam (dihitung dalam jam kerja)" in escalation[0].text
    assert "sudah menunggu 1 jam" in escalation[0].text
    follow_up = sends(calls, CITIZEN.id)
    assert len(follow_up) == 1
    assert "Tiket <b>#1</b> Anda masih kami proses" in follow_up[0].text
    assert follow_up[0].reply_parameters is not None
    assert follow_up[0].reply_parameters.message_id == 3001
    assert follow_up[0].reply_parameters.allow_sending_without_reply is True
    assert sends(calls, ADMIN_GROUP_ID) == []

    harness.clock.set(OPENED + timedelta(hours=5))
    assert await sweep(harness) == 0
    assert sends(await harness.drain()) == []
    async with harness.session_maker() as session:
        actions = (await session.exec(select(TicketEvent.action))).all()
    assert sorted(a for a in actions if a in scheduler.TIMER_EVENT_ACTIONS.values()) == [
        "escalated",
        "followup_sent",
        "reminder_sent",
    ]


async def test_late_sweep_says_the_deadline_has_passed(harness: DeskHarness) -> None:
    """After downtime all three fire together, and the reminder does not claim 'near'."""
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(hours=3))
    assert await sweep(harness) == 3
    calls = await harness.drain()
    reminder = sends(calls, ADMIN_GROUP_ID)
    assert len(reminder) == 1
    assert "sudah melewati batas waktu" in reminder[0].text


async def test_answered_ticket_has_its_timers_cancelled(harness: DeskHarness) -> None:
    await open_ticket(harness, CONFIDENT_QUESTION)
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.card_message_id is not None
    harness.clock.advance(minutes=10)
    card = bot_message(chat=group_chat(), message_id=ticket.card_message_id)
    await harness.feed(callback_update(user=ADMIN, data=send_data(ticket.id), message=card))
    await harness.drain()
    async with harness.session_maker() as session:
        rows = (await session.exec(select(Timer))).all()
    assert {r.kind for r in rows} == set(timers.TICKET_TIMER_KINDS)
    assert all(r.cancelled_at is not None and r.fired_at is None for r in rows)

    harness.clock.advance(hours=4)
    assert await sweep(harness) == 0
    assert sends(await harness.drain()) == []


async def test_ticket_closed_without_cancelling_gets_its_timers_cancelled(
    harness: DeskHarness,
) -> None:
    await open_ticket(harness)
    async with harness.session_maker() as session:
        await session.exec(sa.update(Ticket).values(state="ignored"))
        await session.commit()
    harness.clock.set(OPENED + timedelta(hours=3))
    assert await sweep(harness) == 0
    assert sends(await harness.drain()) == []
    async with harness.session_maker() as session:
        rows = (await session.exec(select(Timer))).all()
    assert all(r.cancelled_at is not None and r.fired_at is None for r in rows)


async def test_restart_with_a_pending_reminder_fires_it_once(
    harness: DeskHarness, database_url: str
) -> None:
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(minutes=50))
    # A new process: its own engine and session maker on the same database.
    engine = create_engine(database_url)
    try:
        restarted = create_session_maker(engine)
        restarted_harness = DeskHarness(
            settings=harness.settings,
            session_maker=restarted,
            clock=harness.clock,
            services=harness.services,
        )
        assert await sweep(restarted_harness) == 1
        # The old process (still around, e.g. during a rolling restart) finds nothing.
        assert await sweep(harness) == 0
        assert len(sends(await restarted_harness.drain(), ADMIN_GROUP_ID)) == 1
        assert sends(await harness.drain()) == []
    finally:
        await engine.dispose()


async def test_concurrent_sweeps_fire_each_timer_once(harness: DeskHarness) -> None:
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(hours=2))
    results = await asyncio.gather(sweep(harness), sweep(harness), sweep(harness))
    assert sum(results) == 3
    calls = await harness.drain()
    assert len(sends(calls, ADMIN_GROUP_ID)) == 1
    assert len(sends(calls, OFFICIAL_ID)) == 1
    assert len(sends(calls, CITIZEN.id)) == 1


async def test_reminder_goes_to_each_admin_without_an_admin_group(
    harness_factory: Any,
) -> None:
    harness: DeskHarness = await harness_factory(admin_chat_id=None)
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(minutes=46))
    assert await sweep(harness) == 1
    reminders = sends(await harness.drain())
    assert [r.chat_id for r in reminders] == [ADMIN_ID]


# ----------------------------------------------------------------------------- the lease


async def test_only_one_of_two_processes_leads_until_its_lease_expires(
    session_maker: SessionMaker,
) -> None:
    clock = FakeClock()
    first = scheduler.LeaderLease(session_maker=session_maker, clock=clock, holder="a:1:x")
    second = scheduler.LeaderLease(session_maker=session_maker, clock=clock, holder="b:2:y")
    assert await first.renew() is True
    assert await second.renew() is False
    assert first.is_leader
    assert not second.is_leader

    clock.advance(seconds=20)
    assert await first.renew() is True
    assert await second.renew() is False

    # The first process dies: after the TTL the second takes over.
    clock.advance(seconds=scheduler.LEASE_TTL_SECONDS - 1)
    assert await second.renew() is False
    clock.advance(seconds=2)
    assert not first.is_leader
    assert await second.renew() is True
    assert await first.renew() is False
    async with session_maker() as session:
        lease = (await session.exec(select(Lease))).one()
    assert lease.holder == "b:2:y"

    # A clean shutdown hands over at once.
    await second.release()
    assert not second.is_leader
    assert await first.renew() is True


async def test_racing_first_leases_elect_exactly_one(session_maker: SessionMaker) -> None:
    clock = FakeClock()
    leases = [
        scheduler.LeaderLease(session_maker=session_maker, clock=clock, holder=f"p:{n}")
        for n in range(4)
    ]
    results = await asyncio.gather(*(lease.renew() for lease in leases))
    assert sum(results) == 1


# ----------------------------------------------------------------------------- periodic jobs


async def digest(harness: DeskHarness) -> bool:
    return await scheduler.send_morning_digest(
        session_maker=harness.session_maker,
        settings=harness.settings,
        clock=harness.clock,
        calendar=harness.services.calendar,
        policy=harness.services.policy,
        agency_id=harness.services.agency_id,
    )


async def test_morning_digest_is_sent_once_per_day(harness: DeskHarness) -> None:
    # Friday 27 Nov 09:00 WITA: one ticket that is still open on Monday.
    harness.clock.set(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    await open_ticket(harness)
    # Monday 30 Nov 07:30 WITA.
    harness.clock.set(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert await digest(harness) is True
    assert await digest(harness) is False
    calls = await harness.drain()
    assert len(sends(calls)) == 1
    text = sends(calls, ADMIN_GROUP_ID)[0].text
    assert "Ringkasan pagi, Senin, 30 November 2026" in text
    assert "Tiket terbuka: <b>1</b>; melewati target tanggapan pertama: <b>1</b>" in text
    # Monday's digest covers Friday to Sunday.
    assert "27 November 2026 – 29 November 2026" in text
    assert "masuk 1, dijawab 0" in text
    async with harness.session_maker() as session:
        runs = (await session.exec(select(JobRun))).all()
    assert [(r.job, r.period_key) for r in runs] == [("morning_digest", "2026-11-30")]


async def test_no_digest_on_a_day_off(harness: DeskHarness) -> None:
    harness.clock.set(datetime(2026, 11, 28, 23, 30, tzinfo=UTC))  # Sunday 29 Nov
    assert await digest(harness) is False
    harness.clock.set(datetime(2026, 12, 24, 23, 30, tzinfo=UTC))  # Christmas Day
    assert await digest(harness) is False
    assert sends(await harness.drain()) == []


async def test_digest_from_two_processes_is_sent_once(
    harness: DeskHarness, database_url: str
) -> None:
    engine = create_engine(database_url)
    try:
        other = DeskHarness(
            settings=harness.settings,
            session_maker=create_session_maker(engine),
            clock=harness.clock,
            services=harness.services,
        )
        results = await asyncio.gather(digest(harness), digest(other))
    finally:
        await engine.dispose()
    assert sorted(results) == [False, True]
    assert len(sends(await harness.drain())) == 1


async def test_weekly_summary_goes_to_officials_once(harness: DeskHarness) -> None:
    await open_ticket(harness, CONFIDENT_QUESTION)
    async with harness.session_maker() as session:
        ticket = (await session.exec(select(Ticket))).one()
    assert ticket.card_message_id is not None
    harness.clock.advance(minutes=20)
    card = bot_message(chat=group_chat(), message_id=ticket.card_message_id)
    await harness.feed(callback_update(user=ADMIN, data=send_data(ticket.id), message=card))
    await harness.drain()

    harness.clock.set(datetime(2026, 12, 7, 0, 0, tzinfo=UTC))  # Monday 7 Dec 08:00 WITA
    kwargs: dict[str, Any] = {
        "session_maker": harness.session_maker,
        "settings": harness.settings,
        "clock": harness.clock,
        "calendar": harness.services.calendar,
        "policy": harness.services.policy,
        "agency_id": harness.services.agency_id,
    }
    assert await scheduler.send_weekly_summary(**kwargs) is True
    assert await scheduler.send_weekly_summary(**kwargs) is False
    calls = await harness.drain()
    assert len(sends(calls)) == 1
    text = sends(calls, OFFICIAL_ID)[0].text
    assert "Ringkasan mingguan, 30 November 2026 – 6 Desember 2026" in text
    assert "Tiket masuk: <b>1</b> (dijawab 1" in text
    assert "median 20 menit" in text
    assert "1 dari 1 (100%)" in text
    async with harness.session_maker() as session:
        keys = (await session.exec(select(JobRun.period_key))).all()
    assert keys == ["2026-W49"]


async def test_channel_snapshot_is_upserted_once_per_day(harness: DeskHarness) -> None:
    kwargs: dict[str, Any] = {
        "session_maker": harness.session_maker,
        "settings": harness.settings,
        "clock": harness.clock,
        "agency_id": harness.services.agency_id,
        "bot": harness.bot,
    }
    harness.clock.set(datetime(2026, 11, 30, 15, 50, tzinfo=UTC))  # 23:50 WITA
    harness.bot.session.add_result(1234)
    assert await scheduler.snapshot_channel_members(**kwargs) is True
    assert await scheduler.snapshot_channel_members(**kwargs) is False
    reads = harness.bot.session.sent("getChatMemberCount")
    assert len(reads) == 1
    assert isinstance(reads[0], GetChatMemberCount)
    assert reads[0].chat_id == CHANNEL_ID

    # The same day again (its JobRun lost, e.g. a manual re-run): the row is updated.
    async with harness.session_maker() as session:
        await session.exec(sa.delete(JobRun))
        await session.commit()
    harness.bot.session.add_result(1240)
    assert await scheduler.snapshot_channel_members(**kwargs) is True
    harness.clock.advance(days=1)
    harness.bot.session.add_result(1300)
    assert await scheduler.snapshot_channel_members(**kwargs) is True
    async with harness.session_maker() as session:
        rows = (
            await session.exec(
                select(ChannelMemberSnapshot).order_by(col(ChannelMemberSnapshot.day))
            )
        ).all()
    assert [(r.day, r.member_count, r.channel_id) for r in rows] == [
        (date(2026, 11, 30), 1240, CHANNEL_ID),
        (date(2026, 12, 1), 1300, CHANNEL_ID),
    ]


async def test_channel_snapshot_survives_an_api_error(
    harness: DeskHarness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.bot.session.add_error(400, "Bad Request: chat not found")
    stored = await scheduler.snapshot_channel_members(
        session_maker=harness.session_maker,
        settings=harness.settings,
        clock=harness.clock,
        agency_id=harness.services.agency_id,
        bot=harness.bot,
    )
    assert stored is False
    assert "chat not found" in caplog.text
    async with harness.session_maker() as session:
        assert (await session.exec(select(ChannelMemberSnapshot))).all() == []
        assert (await session.exec(select(JobRun))).all() == []


# ----------------------------------------------------------------------------- run_scheduler


async def test_run_scheduler_sweeps_on_start_and_releases_its_lease(
    harness: DeskHarness,
) -> None:
    await open_ticket(harness)
    harness.clock.set(OPENED + timedelta(hours=2))  # Monday 11:00 WITA
    app = SimpleNamespace(
        settings=harness.settings,
        session_maker=harness.session_maker,
        clock=harness.clock,
        agency_id=harness.services.agency_id,
        calendar=harness.services.calendar,
        policy=harness.services.policy,
        suggester=harness.services.suggester,
        notifier=harness.services.notifier,
        bot=harness.bot,
        outbox_wake=asyncio.Event(),
    )
    task = asyncio.create_task(scheduler.run_scheduler(cast(Application, app), renew_seconds=0.05))
    try:
        await asyncio.wait_for(app.outbox_wake.wait(), timeout=10)
        # The catch-up jobs run one after another; wait for the last of them.
        for _ in range(200):
            async with harness.session_maker() as session:
                purposes = set(
                    (
                        await session.exec(
                            select(Outbox.purpose).where(
                                col(Outbox.purpose).in_(["digest", "weekly_summary"])
                            )
                        )
                    ).all()
                )
            if purposes == {"digest", "weekly_summary"}:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    calls = await harness.drain()
    # The escalation, and last week's summary missed at 08:00 (no process was running).
    official = [m.text for m in sends(calls, OFFICIAL_ID)]
    assert len(official) == 2
    assert any("belum mendapat tanggapan pertama" in text for text in official)
    assert any("Ringkasan mingguan" in text for text in official)
    assert len(sends(calls, CITIZEN.id)) == 1
    # The reminder and the digest missed at 07:30.
    group = sends(calls, ADMIN_GROUP_ID)
    assert len(group) == 2
    assert any("Ringkasan pagi" in m.text for m in group)
    async with harness.session_maker() as session:
        lease = (await session.exec(select(Lease))).one()
    assert lease.expires_at <= harness.clock.now()


def test_scheduler_jobs_have_fixed_ids(harness: DeskHarness) -> None:
    app = SimpleNamespace(
        settings=harness.settings,
        session_maker=harness.session_maker,
        clock=harness.clock,
        agency_id=harness.services.agency_id,
        calendar=harness.services.calendar,
        policy=harness.services.policy,
        suggester=harness.services.suggester,
        notifier=harness.services.notifier,
        bot=harness.bot,
        outbox_wake=asyncio.Event(),
    )
    built = scheduler.build_scheduler(
        cast(Application, app),
        scheduler.SchedulerJobs(
            cast(Application, app),
            scheduler.LeaderLease(session_maker=harness.session_maker, clock=harness.clock),
        ),
    )
    assert sorted(job.id for job in built.get_jobs()) == sorted(
        [
            scheduler.JOB_SWEEP,
            scheduler.JOB_DIGEST,
            scheduler.JOB_WEEKLY,
            scheduler.JOB_SNAPSHOT,
            scheduler.JOB_RETENTION,
        ]
    )

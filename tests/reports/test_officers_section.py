"""Section a lists the officers in force at the period's end, with their decrees."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.domain.enums import Role
from bot.reports import ReportData, compile_report, parse_period, render_report
from storage.db import create_session_maker
from storage.models import OfficerAppointment
from tests.reports.conftest import NOW, TITLES, TOPICS, make_settings


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 1, 0, tzinfo=UTC)


async def _compile(engine: AsyncEngine, period: str) -> ReportData:
    async with create_session_maker(engine)() as session:
        session.add_all(
            [
                # Agency 1: an official from the settings, an admin by decree, one removed.
                OfficerAppointment(
                    agency_id=1, telegram_id=444, role=Role.OFFICIAL, appointed_at=_at(2025, 1, 2)
                ),
                OfficerAppointment(
                    agency_id=1,
                    telegram_id=222,
                    role=Role.ADMIN,
                    decree_number="800/12/BKPSDM/2026",
                    decree_date=date(2026, 1, 31),
                    appointed_at=_at(2026, 2, 1),
                ),
                OfficerAppointment(
                    agency_id=1,
                    telegram_id=333,
                    role=Role.ADMIN,
                    decree_number="800/3/BKPSDM/2025",
                    decree_date=date(2025, 3, 1),
                    appointed_at=_at(2025, 3, 2),
                    removed_at=_at(2026, 5, 1),
                ),
                # Another agency's admin is not this agency's officer.
                OfficerAppointment(
                    agency_id=2,
                    telegram_id=222,
                    role=Role.ADMIN,
                    decree_number="LAIN/1",
                    decree_date=date(2026, 1, 1),
                    appointed_at=_at(2026, 1, 2),
                ),
            ]
        )
        await session.commit()
        return await compile_report(
            session,
            settings=make_settings(),
            period=parse_period(period, date(2027, 1, 5)),
            agency_id=1,
            topics=TOPICS,
            titles=TITLES,
            now=NOW,
        )


async def test_officers_in_force_at_the_end_of_the_year(record: AsyncEngine) -> None:
    data = await _compile(record, "2026")
    officers = [(o.name, o.role, o.decree_number, o.decree_date) for o in data.policy.officers]
    assert officers == [
        ("Admin", "official", "", None),
        ("Budi", "admin", "800/12/BKPSDM/2026", date(2026, 1, 31)),
    ]
    markdown = render_report(data, "md").decode("utf-8")
    assert texts.REPORT_CAPTION_OFFICERS in markdown
    assert "800/12/BKPSDM/2026" in markdown
    assert "31 Januari 2026" in markdown
    assert texts.PETUGAS_NO_DECREE in markdown
    assert "LAIN/1" not in markdown
    assert "800/3/BKPSDM/2025" not in markdown


async def test_an_officer_removed_later_is_listed_for_an_earlier_period(
    record: AsyncEngine,
) -> None:
    data = await _compile(record, "2026-03")
    assert [o.decree_number for o in data.policy.officers] == [
        "",
        "800/12/BKPSDM/2026",
        "800/3/BKPSDM/2025",
    ]

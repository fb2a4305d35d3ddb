"""Responsiveness figures against a hand-built record, period parsing and rendering."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from bot import texts
from bot.domain import labels, periods
from bot.domain.enums import Role, TicketKind, TicketState
from bot.domain.periods import PeriodKind, PeriodParseError, parse_performance_period
from bot.domain.statistics import median_of, percentile_of
from bot.domain.working_time import WorkingCalendar, parse_working_hours
from bot.services import performance
from storage import queries
from storage.db import SessionMaker
from storage.models import Ticket

WITA = ZoneInfo("Asia/Makassar")
TARGET = 3600
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 Nov 00:00 WITA
DEC_START = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 Dec 00:00 WITA
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 30 Nov 10:00 WITA


def calendar() -> WorkingCalendar:
    return WorkingCalendar(
        parse_working_hours("mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30,13:30-16:30"), WITA
    )


async def build_record(session_maker: SessionMaker) -> dict[str, int]:
    """Two admins, six answers, one ignored, two open (one from October)."""
    async with session_maker() as session:
        agency = await queries.ensure_agency(session, code="t", name="T")
        citizen = await queries.upsert_user(
            session, telegram_id=7001, first_name="Warga", username=None
        )
        sari = await queries.set_role(session, telegram_id=5001, role=Role.ADMIN, now=NOW)
        sari.first_name = "Sari <admin>"
        budi = await queries.set_role(session, telegram_id=5002, role=Role.ADMIN, now=NOW)
        budi.first_name = "Budi"
        await session.flush()
        assert agency.id
        assert citizen.id
        assert sari.id
        assert budi.id
        day = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)

        def ticket(
            kind: TicketKind,
            state: TicketState,
            *,
            at: datetime = day,
            admin: int | None = None,
            seconds: int | None = None,
        ) -> Ticket:
            return Ticket(
                agency_id=agency.id or 0,
                citizen_id=citizen.id or 0,
                chat_id=7001,
                kind=kind,
                state=state,
                created_at=at,
                answered_by_id=admin,
                response_working_seconds=seconds,
            )

        answered = TicketState.ANSWERED
        session.add_all(
            [
                ticket(TicketKind.PERTANYAAN, answered, admin=sari.id, seconds=600),
                ticket(TicketKind.PERTANYAAN, answered, admin=sari.id, seconds=1200),
                ticket(TicketKind.PENGADUAN, answered, admin=sari.id, seconds=3000),
                ticket(TicketKind.PENGADUAN, answered, admin=sari.id, seconds=4000),
                ticket(TicketKind.PERTANYAAN, answered, admin=budi.id, seconds=300),
                ticket(TicketKind.ASPIRASI, answered, admin=budi.id, seconds=7200),
                ticket(TicketKind.PERTANYAAN, TicketState.IGNORED),
                # Open since Monday 30 Nov 08:00 WITA: 2 working hours by 10:00.
                ticket(TicketKind.PENGADUAN, TicketState.OPEN, at=NOW - timedelta(hours=2)),
                # Outside the period: an October open ticket and a December answer.
                ticket(
                    TicketKind.PERTANYAAN, TicketState.OPEN, at=datetime(2026, 10, 5, tzinfo=UTC)
                ),
                ticket(
                    TicketKind.PERTANYAAN,
                    answered,
                    at=DEC_START + timedelta(hours=1),
                    admin=sari.id,
                    seconds=10,
                ),
            ]
        )
        await session.commit()
        return {"agency": agency.id, "sari": sari.id, "budi": budi.id}


async def test_figures_for_a_hand_built_month(session_maker: SessionMaker) -> None:
    ids = await build_record(session_maker)
    async with session_maker() as session:
        figures = await performance.performance_figures(
            session,
            agency_id=ids["agency"],
            start=NOV_START,
            end=DEC_START,
            target_seconds=TARGET,
            now=NOW,
            calendar=calendar(),
        )
    assert (figures.received, figures.answered, figures.ignored, figures.open) == (8, 6, 1, 1)
    # Sorted: 300 600 1200 3000 4000 7200 -> median (1200+3000)/2, p90 rank ceil(5.4) = 6.
    assert figures.response.median_seconds == 2100
    assert figures.response.p90_seconds == 7200
    assert figures.response.within_target == 4
    assert figures.response.share_within_target == pytest.approx(4 / 6)
    by_admin = {a.name: a.response for a in figures.per_admin}
    assert by_admin["Sari <admin>"].answered == 4
    assert by_admin["Sari <admin>"].median_seconds == 2100
    assert by_admin["Sari <admin>"].within_target == 3
    assert by_admin["Budi"].median_seconds == 3750
    assert by_admin["Budi"].p90_seconds == 7200
    assert figures.per_admin[0].name == "Sari <admin>"  # most answers first
    by_kind = {k.kind: k for k in figures.per_kind}
    assert (by_kind[TicketKind.PERTANYAAN].received, by_kind[TicketKind.PERTANYAAN].answered) == (
        4,
        3,
    )
    assert by_kind[TicketKind.PENGADUAN].open == 1
    assert by_kind[TicketKind.ASPIRASI].received == 1
    # The backlog is the agency's whole current backlog: both open tickets.
    assert figures.backlog.open == 2
    assert figures.backlog.breached == 2
    assert figures.backlog.oldest[0].opened_at == datetime(2026, 10, 5, tzinfo=UTC)
    assert figures.backlog.oldest[1].working_age_seconds == 2 * 3600


async def test_admin_scope_keeps_team_totals_and_only_that_admin(
    session_maker: SessionMaker,
) -> None:
    ids = await build_record(session_maker)
    async with session_maker() as session:
        figures = await performance.performance_figures(
            session,
            agency_id=ids["agency"],
            start=NOV_START,
            end=DEC_START,
            target_seconds=TARGET,
            now=NOW,
            admin_id=ids["budi"],
        )
    assert figures.received == 8
    assert figures.response.answered == 6
    assert [a.name for a in figures.per_admin] == ["Budi"]
    assert figures.backlog.breached is None  # no calendar given


async def test_admin_without_answers_gets_an_empty_row(session_maker: SessionMaker) -> None:
    ids = await build_record(session_maker)
    async with session_maker() as session:
        figures = await performance.performance_figures(
            session,
            agency_id=ids["agency"],
            start=DEC_START + timedelta(days=40),
            end=DEC_START + timedelta(days=41),
            target_seconds=TARGET,
            now=NOW,
            admin_id=ids["budi"],
        )
    assert figures.received == 0
    assert figures.response.median_seconds is None
    assert figures.per_admin[0].response.answered == 0
    text = performance.render_performance(
        figures,
        period=parse_performance_period("hari", today=date(2027, 1, 10)),
        tz=WITA,
        own_admin_id=ids["budi"],
    )
    assert texts.PERF_OWN_HEADING in text
    assert "belum ada" in text


def test_median_and_percentile_by_hand() -> None:
    assert median_of([]) is None
    assert median_of([5]) == 5
    assert median_of([1, 2, 3]) == 2
    assert median_of([1, 2, 3, 10]) == 2  # (2 + 3) // 2
    assert percentile_of([], 0.9) is None
    assert percentile_of(list(range(1, 11)), 0.9) == 9
    assert percentile_of(list(range(1, 12)), 0.9) == 10
    assert percentile_of([7], 0.9) == 7


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1))
def test_percentiles_are_values_within_range(values: list[int]) -> None:
    ordered = sorted(values)
    p90 = percentile_of(ordered, 0.9)
    median = median_of(ordered)
    assert p90 in ordered
    assert median is not None
    assert p90 is not None
    assert ordered[0] <= median <= p90 <= ordered[-1]
    assert sum(1 for v in ordered if v <= p90) >= 0.9 * len(ordered)


def test_period_parsing() -> None:
    today = date(2026, 11, 18)  # a Wednesday
    month = parse_performance_period(None, today=today)
    assert (month.kind, month.first_day, month.last_day) == (
        PeriodKind.MONTH,
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert parse_performance_period("bulan", today=today) == month
    week = parse_performance_period("minggu", today=today)
    assert (week.first_day, week.last_day) == (date(2026, 11, 16), date(2026, 11, 22))
    day = parse_performance_period(" Hari ", today=today)
    assert (day.first_day, day.last_day) == (today, today)
    december = parse_performance_period("2026-12", today=today)
    assert (december.first_day, december.last_day) == (date(2026, 12, 1), date(2026, 12, 31))
    year = parse_performance_period("2025", today=today)
    assert (year.kind, year.first_day, year.last_day) == (
        PeriodKind.YEAR,
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    start, end = month.utc_range(WITA)
    assert (start, end) == (NOV_START, DEC_START)
    assert periods.period_label(month) == "November 2026"
    assert periods.period_label(year) == "tahun 2025"


@pytest.mark.parametrize("bad", ["2026-13", "kemarin", "1999", "2026-11-01", "26"])
def test_bad_periods_are_refused(bad: str) -> None:
    with pytest.raises(PeriodParseError):
        parse_performance_period(bad, today=date(2026, 11, 18))


def test_share_format_uses_decimal_comma() -> None:
    assert labels.format_share(None) == "–"
    assert labels.format_share(0.5) == "50%"
    assert labels.format_share(5 / 6) == "83,3%"
    assert labels.format_share(0.9996) == "100%"


async def test_render_escapes_names_and_fits_one_message(session_maker: SessionMaker) -> None:
    ids = await build_record(session_maker)
    async with session_maker() as session:
        figures = await performance.performance_figures(
            session,
            agency_id=ids["agency"],
            start=NOV_START,
            end=DEC_START,
            target_seconds=TARGET,
            now=NOW,
            calendar=calendar(),
        )
    period = parse_performance_period("2026-11", today=date(2026, 11, 30))
    text = performance.render_performance(figures, period=period, tz=WITA)
    assert "Sari &lt;admin&gt;" in text
    assert "<admin>" not in text
    assert "4 dari 6 (66,7%)" in text
    own = performance.render_performance(figures, period=period, tz=WITA, own_admin_id=ids["sari"])
    assert "Budi" not in own
    assert "3 dari 4 (75%)" in own
    many = performance.fit_message(["x" * 100] * 100 + ["note"])
    assert len(many) <= 4096
    assert many.endswith("note")


async def test_per_kind_targets_count_within_target_by_kind(
    session_maker: SessionMaker,
) -> None:
    ids = await build_record(session_maker)
    async with session_maker() as session:
        figures = await performance.performance_figures(
            session,
            agency_id=ids["agency"],
            start=NOV_START,
            end=DEC_START,
            target_seconds=TARGET,
            now=NOW,
            calendar=calendar(),
            # Complaints must be answered within 40 working minutes.
            targets_by_kind={TicketKind.PENGADUAN: 2400},
        )
    # 300, 600 and 1200 (questions) are within 1 hour; the 3000 s complaint is now late.
    assert figures.response.within_target == 3
    assert figures.backlog.breached == 2  # the October question and the open complaint

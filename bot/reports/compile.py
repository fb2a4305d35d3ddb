"""Compile the Pasal 15 ayat (3) figures for one agency and period from the record.

The figures of each section (huruf a–h) are compiled in ``bot/reports/sections``; this
module reads what several sections share, runs them in order and adds the summary and
the monthly series.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import Settings
from bot.domain.enums import Direction, TicketKind
from bot.domain.labels import format_day
from bot.domain.periods import Period, local_day_start
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.statistics import median_from_middle, median_ranks, nearest_rank
from bot.domain.working_time import WorkingCalendar
from bot.privacy import KnownNames
from bot.reports.data import ReportData, Series, Signer, Summary
from bot.reports.sections import a, b, c, d, e, f, g, h
from bot.reports.sections.context import Context, share
from storage.queries import report as q
from storage.queries.tickets import NOISE

logger = logging.getLogger(__name__)

NO_MAPPING: Mapping[str, tuple[str, ...]] = MappingProxyType({})
NO_TITLES: Mapping[str, str] = MappingProxyType({})
P90 = 0.9
# Tickets closed this way are noise, not unanswered questions.
NOT_QUESTIONS = tuple(reason.value for reason in NOISE)


def effective_period(period: Period, today: date) -> tuple[Period, bool]:
    """The period as far as it has happened, and whether it had ended. A period that
    runs past today is cut at today and labelled "s.d." that day."""
    if period.end < today:
        return period, True
    if period.end == today or period.start > today:
        return period, False
    label = texts.REPORT_PERIOD_TO_DATE.format(label=period.label, day=format_day(today))
    return Period(period.start, today, label), False


async def compile_report(
    session: AsyncSession,
    *,
    settings: Settings,
    period: Period,
    agency_id: int,
    topics: Mapping[str, tuple[str, ...]] = NO_MAPPING,
    titles: Mapping[str, str] = NO_TITLES,
    now: datetime,
) -> ReportData:
    """Every figure of the report. ``topics`` maps KB entry id to its tags, ``titles``
    KB entry id to its first question (both from the knowledge base, for display)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    period, complete = effective_period(period, now.astimezone(settings.tz).date())
    conn = await session.connection()
    span = period.utc_range(settings.tz)
    month_spans = _month_spans(period, settings)
    calendar = WorkingCalendar.from_settings(settings)
    policy = ServiceLevelPolicy.from_settings(settings)
    target_seconds = policy.first_response_target()

    messages_in_by_month = await q.count_messages_by_month(
        conn, agency_id=agency_id, direction=Direction.IN, months=month_spans
    )
    outgoing = await q.count_outgoing_by_purpose(conn, agency_id=agency_id, span=span)
    kinds = await q.ticket_figures_by_kind(
        conn,
        agency_id=agency_id,
        span=span,
        target_seconds=target_seconds,
        targets_by_kind={
            kind.value: seconds for kind, seconds in policy.first_response_seconds_by_kind.items()
        },
        overdue_before={
            kind.value: policy.overdue_cutoff(calendar, kind, now) for kind in TicketKind
        },
        not_questions=NOT_QUESTIONS,
    )
    by_month = await q.count_tickets_by_month(conn, agency_id=agency_id, months=month_spans)
    ctx = Context(
        session=session,
        conn=conn,
        settings=settings,
        period=period,
        span=span,
        month_spans=month_spans,
        calendar=calendar,
        policy=policy,
        agency_id=agency_id,
        now=now,
        kinds=kinds,
        entries=await q.count_tickets_by_entry(conn, agency_id=agency_id, span=span),
        topics=topics,
        titles=titles,
        names=KnownNames.from_people(await q.known_people(conn)),
        messages_in=sum(messages_in_by_month),
    )

    measured = sum(k.measured for k in kinds)
    within = sum(k.within_target for k in kinds)
    ranks = [
        (span, rank, measured) for rank in (*median_ranks(measured), nearest_rank(P90, measured))
    ]
    for month, (_tickets, month_measured) in zip(month_spans, by_month, strict=True):
        ranks += [(month, rank, month_measured) for rank in median_ranks(month_measured)]
    seconds_at = await q.response_seconds_at_ranks(
        conn, agency_id=agency_id, ranks=ranks, whole_period=3
    )
    audience = await b.compile_section(ctx)
    sharing = await e.compile_section(ctx, outgoing=outgoing, platforms=audience.platforms)
    summary = Summary(
        tickets_in=sum(k.tickets for k in kinds),
        answered=sum(k.answered for k in kinds),
        ignored=sum(k.ignored for k in kinds),
        open=sum(k.open for k in kinds),
        messages_in=ctx.messages_in,
        messages_to_public=sharing.public_messages,
        median_first_response_minutes=_minutes(median_from_middle(*seconds_at[0:2])),
        p90_first_response_minutes=_minutes(seconds_at[2]),
        target_minutes=policy.first_response_minutes,
        within_target=within,
        within_target_share=share(within, measured),
    )
    content = await c.compile_section(ctx)
    forwarding = await f.compile_section(ctx)
    constraints = await g.compile_section(ctx, forwarded_tickets=forwarding.tickets_forwarded)
    monthly = seconds_at[3:]
    return ReportData(
        agency_id=agency_id,
        agency_name=await _agency_name(conn, agency_id, settings),
        period=period,
        period_complete=complete,
        generated_at=now.astimezone(UTC),
        timezone=settings.timezone,
        summary=summary,
        policy=await a.compile_section(ctx),
        audience=audience,
        content=content,
        comments=await d.compile_section(ctx, platforms=audience.platforms),
        sharing=sharing,
        forwarding=forwarding,
        constraints=constraints,
        recommendations=await h.compile_section(
            ctx,
            content=content,
            constraints=constraints,
            audience=audience,
            forwarding=forwarding,
        ),
        series=Series(
            months=[_month_key(start, settings) for start, _ in month_spans],
            messages_in=messages_in_by_month,
            tickets=[month_tickets for month_tickets, _ in by_month],
            median_response_minutes=[
                _minutes(median_from_middle(monthly[2 * i], monthly[2 * i + 1]))
                for i in range(len(month_spans))
            ],
            target_minutes=policy.first_response_minutes,
        ),
        signer=Signer(
            name=settings.report_signer_name,
            nip=settings.report_signer_nip,
            rank=settings.report_signer_rank,
            position=settings.report_signer_position
            or texts.REPORT_SIGN_POSITION.format(settings.agency_name),
            place=settings.report_place,
        ),
        logo_path=settings.report_logo_path,
        notes_on_method=list(texts.REPORT_METHOD_NOTES),
    )


async def _agency_name(conn: AsyncConnection, agency_id: int, settings: Settings) -> str:
    return await q.agency_name(conn, agency_id=agency_id) or settings.agency_name


def _minutes(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _month_spans(period: Period, settings: Settings) -> list[q.Range]:
    spans = []
    for year, month in period.months():
        first = max(period.start, date(year, month, 1))
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        stop = min(period.end + timedelta(days=1), following)
        spans.append((local_day_start(first, settings.tz), local_day_start(stop, settings.tz)))
    return spans


def _month_key(utc_start: datetime, settings: Settings) -> str:
    return utc_start.astimezone(settings.tz).strftime("%Y-%m")

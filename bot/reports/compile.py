"""Compile the Pasal 15 ayat (3) figures for one agency and period from the record."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import Settings
from bot.privacy import mask_personal_data
from bot.reports import queries as q
from bot.reports.data import (
    AudienceSection,
    ChannelMembers,
    CommentSection,
    ConstraintSection,
    ContentSection,
    EntryCount,
    ForwardingSection,
    KeyCount,
    MonthValue,
    Note,
    PlatformFigure,
    PolicySection,
    PostComments,
    RecommendationSection,
    ReportData,
    Series,
    SharingSection,
    Summary,
)
from bot.reports.formatting import fmt_int, fmt_share
from bot.reports.period import Period, local_day_start
from bot.services.gaps import NOISE, gap_conditions, group_gap_texts
from bot.services.service_levels import ServiceLevelPolicy, parse_resolution_days
from bot.services.uptime import downtime_between
from bot.services.working_time import WorkingCalendar
from storage.models import Agency, Direction, TicketKind

logger = logging.getLogger(__name__)

NO_MAPPING: Mapping[str, tuple[str, ...]] = MappingProxyType({})
NO_TITLES: Mapping[str, str] = MappingProxyType({})
TOP_ENTRIES = 10
TOP_POSTS = 5
SAMPLE_COUNT = 5
# How many recent unanswered questions are grouped into topics for section c.
GAP_TEXTS_GROUPED = 300
SAMPLE_CHARS = 200
SNIPPET_CHARS = 80
# Below this share of answers within target a kind gets a recommendation.
TARGET_SHARE_GOAL = 0.8
# From this share of tickets arriving after hours, suggest covering those hours.
AFTER_HOURS_ALERT = 0.2
# Tickets closed this way are noise, not unanswered questions.
NOT_QUESTIONS = tuple(reason.value for reason in NOISE)


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
    conn = await session.connection()
    tz = settings.tz
    span = period.utc_range(tz)
    month_spans = _month_spans(period, settings)
    calendar = WorkingCalendar.from_settings(settings)
    target_seconds = settings.first_response_minutes * 60

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
            kind.value: seconds
            for kind, seconds in ServiceLevelPolicy.from_settings(
                settings
            ).first_response_seconds_by_kind.items()
        },
        overdue_before=_overdue_cutoffs(settings, calendar, now),
        not_questions=NOT_QUESTIONS,
    )
    by_month = await q.count_tickets_by_month(conn, agency_id=agency_id, months=month_spans)
    windows = _working_windows(calendar, period)
    in_hours = await q.count_tickets_in_windows(conn, agency_id=agency_id, windows=windows)

    tickets = sum(k.tickets for k in kinds)
    measured = sum(k.measured for k in kinds)
    within = sum(k.within_target for k in kinds)
    # Nearest-rank percentiles: the value at rank ceil(p * n) of the n measured responses.
    ranks = [(span, _rank(0.5, measured), measured), (span, _rank(0.9, measured), measured)]
    ranks += [
        (month, _rank(0.5, month_measured), month_measured)
        for month, (_tickets, month_measured) in zip(month_spans, by_month, strict=True)
    ]
    seconds_at = await q.response_seconds_at_ranks(conn, agency_id=agency_id, ranks=ranks)
    summary = Summary(
        tickets_in=tickets,
        answered=sum(k.answered for k in kinds),
        ignored=sum(k.ignored for k in kinds),
        open=sum(k.open for k in kinds),
        messages_in=sum(messages_in_by_month),
        messages_out=sum(outgoing.values()),
        median_first_response_minutes=_minutes(seconds_at[0], measured),
        p90_first_response_minutes=_minutes(seconds_at[1], measured),
        target_minutes=settings.first_response_minutes,
        within_target=within,
        within_target_share=_share(within, measured),
    )

    entries = await q.count_tickets_by_entry(conn, agency_id=agency_id, span=span)
    content = await _content(
        conn,
        kinds=kinds,
        entries=entries,
        agency_id=agency_id,
        span=span,
        topics=topics,
        titles=titles,
        messages_in=sum(messages_in_by_month),
    )
    comments = await _comments(
        conn, kinds=kinds, entries=entries, agency_id=agency_id, span=span, topics=topics
    )
    audience = await _audience(
        conn,
        agency_id=agency_id,
        period=period,
        span=span,
        month_spans=month_spans,
        settings=settings,
    )
    telegram_shares = _telegram_shares(audience.platforms)
    sharing = SharingSection(
        answers_sent=outgoing.get("answer", 0),
        posts_published=await q.count_posts(conn, agency_id=agency_id, span=span),
        outgoing_total=sum(outgoing.values()),
        outgoing_by_purpose=_labelled(
            {purpose or "lainnya": n for purpose, n in outgoing.items()},
            texts.REPORT_PURPOSE_LABELS,
        ),
        telegram_shares=telegram_shares,
        platforms=audience.platforms,
    )
    destinations = await q.count_forwarded_tickets(conn, agency_id=agency_id, span=span)
    forwarding = ForwardingSection(
        tickets_forwarded=sum(destinations.values()),
        by_destination=[
            KeyCount(dest, dest, n)
            for dest, n in sorted(destinations.items(), key=lambda item: (-item[1], item[0]))
        ],
        citizen_forwarded_messages=await q.count_citizen_forwarded_messages(
            conn, agency_id=agency_id, span=span
        ),
    )
    after_hours = max(tickets - in_hours, 0)
    ignored_reasons: dict[str, int] = defaultdict(int)
    for figures in kinds:
        for reason, n in figures.ignored_by_reason.items():
            ignored_reasons[reason or "lainnya"] += n
    downtime = await downtime_between(
        session, start=span[0], end=span[1], now=now, calendar=calendar
    )
    constraints = ConstraintSection(
        target_minutes=settings.first_response_minutes,
        answered_measured=measured,
        within_target=within,
        missed_target=measured - within,
        missed_by_kind=_by_kind(kinds, lambda k: k.measured - k.within_target),
        after_hours_tickets=after_hours,
        after_hours_share=_share(after_hours, tickets),
        open_tickets=summary.open,
        overdue_open_tickets=sum(k.overdue for k in kinds),
        ignored_by_reason=_labelled(ignored_reasons, texts.REPORT_CLOSE_REASON_LABELS),
        downtime_recorded=downtime.recorded,
        downtime_outages=downtime.outages,
        downtime_working_minutes=downtime.working_minutes,
        notes=await _notes(conn, agency_id, span, "kendala", settings),
    )
    recommendations = RecommendationSection(
        derived=derive_recommendations(
            content=content,
            constraints=constraints,
            kinds=kinds,
            audience=audience,
            forwarding=forwarding,
        ),
        notes=await _notes(conn, agency_id, span, "rekomendasi", settings),
    )
    series = Series(
        months=[_month_key(start, settings) for start, _ in month_spans],
        messages_in=messages_in_by_month,
        tickets=[month_tickets for month_tickets, _ in by_month],
        median_response_minutes=[
            _minutes(value, month_measured)
            for value, (_t, month_measured) in zip(seconds_at[2:], by_month, strict=True)
        ],
        target_minutes=settings.first_response_minutes,
    )
    return ReportData(
        agency_id=agency_id,
        agency_name=await _agency_name(conn, agency_id, settings),
        period=period,
        generated_at=now.astimezone(UTC),
        timezone=settings.timezone,
        summary=summary,
        policy=PolicySection(
            agency_name=settings.agency_name,
            policy_text=settings.policy_text,
            sop_reference=settings.sop_reference,
            official_accounts=list(settings.official_accounts),
            channel_id=settings.channel_id,
            first_response_minutes=settings.first_response_minutes,
            working_hours=texts.working_hours_summary(calendar.hours),
            resolution_days=settings.resolution_days,
        ),
        audience=audience,
        content=content,
        comments=comments,
        sharing=sharing,
        forwarding=forwarding,
        constraints=constraints,
        recommendations=recommendations,
        series=series,
        notes_on_method=list(texts.REPORT_METHOD_NOTES),
    )


# --------------------------------------------------------------------------- sections


async def _content(
    conn: AsyncConnection,
    *,
    kinds: Sequence[q.KindFigures],
    entries: Sequence[tuple[bool, str | None, int]],
    agency_id: int,
    span: q.Range,
    topics: Mapping[str, tuple[str, ...]],
    titles: Mapping[str, str],
    messages_in: int,
) -> ContentSection:
    questions = {entry: n for komentar, entry, n in entries if not komentar and entry}
    gap_texts = await q.first_texts_of_tickets(
        conn,
        agency_id=agency_id,
        span=span,
        where=gap_conditions(q.TICKET),
        limit=GAP_TEXTS_GROUPED,
    )
    # Similar unanswered questions are one missing topic: show topics, biggest first.
    gap_groups = group_gap_texts(gap_texts)[:SAMPLE_COUNT]
    non_comment = sum(k.tickets for k in kinds if k.kind != TicketKind.KOMENTAR.value)
    top = sorted(questions.items(), key=lambda item: (-item[1], item[0]))[:TOP_ENTRIES]
    return ContentSection(
        messages_in=messages_in,
        tickets=sum(k.tickets for k in kinds),
        by_kind=_by_kind(kinds, lambda k: k.tickets),
        by_topic=_topic_counts(questions, topics),
        top_entries=[EntryCount(entry, titles.get(entry, ""), n) for entry, n in top],
        unmapped_tickets=max(non_comment - sum(questions.values()), 0),
        faq_gaps=sum(k.faq_gaps for k in kinds if k.kind != TicketKind.KOMENTAR.value),
        faq_gap_samples=[
            f"{group.count}× {_sample(group.representative)}" for group in gap_groups
        ],
    )


async def _comments(
    conn: AsyncConnection,
    *,
    kinds: Sequence[q.KindFigures],
    entries: Sequence[tuple[bool, str | None, int]],
    agency_id: int,
    span: q.Range,
    topics: Mapping[str, tuple[str, ...]],
) -> CommentSection:
    posts, top_posts = await q.comments_by_post(
        conn, agency_id=agency_id, span=span, limit=TOP_POSTS
    )
    comment_entries = {entry: n for komentar, entry, n in entries if komentar and entry}
    # The latest comment on each of the most commented posts shows what people reacted to.
    ticket_ids = await q.latest_comment_per_post(
        conn, agency_id=agency_id, span=span, post_ids=[post[0] for post in top_posts]
    )
    by_ticket = await q.first_texts(conn, ticket_ids=ticket_ids)
    samples = [by_ticket[tid] for tid in ticket_ids if tid in by_ticket]
    if len(samples) < SAMPLE_COUNT:
        latest = await q.first_texts_of_tickets(
            conn,
            agency_id=agency_id,
            span=span,
            where=[q.TICKET.c.kind == TicketKind.KOMENTAR.value],
            limit=SAMPLE_COUNT,
        )
        samples += [text for text in latest if text not in samples]
    return CommentSection(
        comment_tickets=sum(k.tickets for k in kinds if k.kind == TicketKind.KOMENTAR.value),
        posts_with_comments=posts,
        by_post=[
            PostComments(pid, posted, _snippet(text), n) for pid, posted, text, n in top_posts
        ],
        by_topic=_topic_counts(comment_entries, topics),
        samples=[_sample(text) for text in samples[:SAMPLE_COUNT]],
    )


async def _audience(
    conn: AsyncConnection,
    *,
    agency_id: int,
    period: Period,
    span: q.Range,
    month_spans: Sequence[q.Range],
    settings: Settings,
) -> AudienceSection:
    served, new = await q.count_citizens(conn, agency_id=agency_id, span=span)
    snapshots = await q.member_snapshots(
        conn, agency_id=agency_id, first_day=period.start, last_day=period.end
    )
    last_of_month: dict[str, int] = {}
    for day, count in snapshots:
        last_of_month[day.strftime("%Y-%m")] = count
    channel = ChannelMembers(
        recorded_days=len(snapshots),
        first_day=snapshots[0][0] if snapshots else None,
        first=snapshots[0][1] if snapshots else None,
        last_day=snapshots[-1][0] if snapshots else None,
        last=snapshots[-1][1] if snapshots else None,
        minimum=min((c for _, c in snapshots), default=None),
        maximum=max((c for _, c in snapshots), default=None),
        by_month=[
            MonthValue(key, last_of_month.get(key))
            for key in (_month_key(start, settings) for start, _ in month_spans)
        ],
    )
    months = [_month_key(start, settings) for start, _ in month_spans]
    metrics = await q.platform_metrics(
        conn, agency_id=agency_id, first_month=months[0], last_month=months[-1]
    )
    return AudienceSection(
        citizens_served=served,
        citizens_new=new,
        citizens_returning=served - new,
        channel=channel,
        platforms=_platform_figures(metrics),
    )


def _platform_figures(
    rows: Iterable[tuple[str, str, int | None, int | None, int | None, int | None]],
) -> list[PlatformFigure]:
    grouped: dict[str, list[tuple[str, int | None, int | None, int | None, int | None]]] = (
        defaultdict(list)
    )
    for platform, month, followers, posts, comments, shares in rows:
        grouped[platform].append((month, followers, posts, comments, shares))
    figures = []
    for platform, months in sorted(grouped.items()):
        known_followers = [(m, f) for m, f, *_ in months if f is not None]
        figures.append(
            PlatformFigure(
                platform=platform,
                last_month=known_followers[-1][0] if known_followers else None,
                followers=known_followers[-1][1] if known_followers else None,
                posts=_sum_known(row[2] for row in months),
                comments=_sum_known(row[3] for row in months),
                shares=_sum_known(row[4] for row in months),
                months_recorded=len(months),
            )
        )
    return figures


def _telegram_shares(platforms: Sequence[PlatformFigure]) -> int | None:
    for figure in platforms:
        if figure.platform.strip().lower() == "telegram":
            return figure.shares
    return None


async def _notes(
    conn: AsyncConnection, agency_id: int, span: q.Range, kind: str, settings: Settings
) -> list[Note]:
    rows = await q.report_notes(conn, agency_id=agency_id, span=span, kind=kind)
    return [Note(at.astimezone(settings.tz).date(), mask_personal_data(text)) for at, text in rows]


async def _agency_name(conn: AsyncConnection, agency_id: int, settings: Settings) -> str:
    table = q.table_of(Agency)
    name = (
        await conn.execute(sa.select(table.c.name).where(table.c.id == agency_id))
    ).scalar_one_or_none()
    return str(name) if name else settings.agency_name


# --------------------------------------------------------------------------- recommendations


def derive_recommendations(
    *,
    content: ContentSection,
    constraints: ConstraintSection,
    kinds: Sequence[q.KindFigures],
    audience: AudienceSection,
    forwarding: ForwardingSection,
) -> list[str]:
    """Suggestions that follow from the figures; each names the figure behind it."""
    result: list[str] = []
    if content.faq_gaps:
        result.append(texts.REPORT_REC_FAQ_GAPS.format(n=fmt_int(content.faq_gaps)))
    for figures in _in_kind_order(kinds):
        share = _share(figures.within_target, figures.measured)
        if share is not None and share < TARGET_SHARE_GOAL:
            result.append(
                texts.REPORT_REC_SLOW_KIND.format(
                    kind=texts.REPORT_KIND_LABELS.get(figures.kind, figures.kind),
                    share=fmt_share(share),
                    minutes=constraints.target_minutes,
                )
            )
    if (
        constraints.after_hours_share is not None
        and constraints.after_hours_share >= AFTER_HOURS_ALERT
    ):
        result.append(
            texts.REPORT_REC_AFTER_HOURS.format(share=fmt_share(constraints.after_hours_share))
        )
    if constraints.overdue_open_tickets:
        result.append(texts.REPORT_REC_OVERDUE.format(n=fmt_int(constraints.overdue_open_tickets)))
    if forwarding.by_destination:
        top = forwarding.by_destination[0]
        result.append(texts.REPORT_REC_FORWARDED.format(dest=top.label, n=fmt_int(top.count)))
    if audience.channel.recorded_days == 0:
        result.append(texts.REPORT_REC_NO_SNAPSHOTS)
    if not audience.platforms:
        result.append(texts.REPORT_REC_NO_PLATFORMS)
    if not result:
        result.append(texts.REPORT_REC_KEEP_GOING)
    return result


# --------------------------------------------------------------------------- helpers


def _rank(fraction: float, count: int) -> int:
    return max(math.ceil(fraction * count), 1)


def _minutes(seconds: int | None, count: int) -> float | None:
    if seconds is None or count == 0:
        return None
    return round(seconds / 60, 1)


def _in_kind_order(kinds: Sequence[q.KindFigures]) -> list[q.KindFigures]:
    known = [kind.value for kind in TicketKind]
    return sorted(
        kinds, key=lambda k: (known.index(k.kind) if k.kind in known else len(known), k.kind)
    )


def _by_kind(
    kinds: Sequence[q.KindFigures], value: Callable[[q.KindFigures], int]
) -> list[KeyCount]:
    """Every known kind (zeros included, in a fixed order), then any unknown kind."""
    counts = {k.kind: value(k) for k in kinds}
    known = [kind.value for kind in TicketKind]
    ordered = known + sorted(set(counts) - set(known))
    return [
        KeyCount(kind, texts.REPORT_KIND_LABELS.get(kind, kind), counts.get(kind, 0))
        for kind in ordered
    ]


def _labelled(counts: Mapping[str, int], labels: Mapping[str, str]) -> list[KeyCount]:
    return [
        KeyCount(key, labels.get(key, key), n)
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _topic_counts(
    entry_counts: Mapping[str, int], topics: Mapping[str, tuple[str, ...]]
) -> list[KeyCount]:
    """Tickets per KB tag; an entry with several tags counts under each of them."""
    counts: dict[str, int] = defaultdict(int)
    for entry, n in entry_counts.items():
        for tag in topics.get(entry) or (texts.REPORT_NO_TAG,):
            counts[tag] += n
    return [
        KeyCount(tag, tag, n)
        for tag, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _sample(text: str) -> str:
    masked = " ".join(mask_personal_data(text).split())
    return masked if len(masked) <= SAMPLE_CHARS else masked[: SAMPLE_CHARS - 1] + "…"


def _snippet(text: str | None) -> str:
    if not text:
        return texts.REPORT_POST_WITHOUT_TEXT
    flat = " ".join(mask_personal_data(text).split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


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


def _working_windows(calendar: WorkingCalendar, period: Period) -> list[q.Range]:
    """UTC spans of every working period in the report period (holidays excluded)."""
    hours = calendar.hours
    windows = []
    day = period.start
    while day <= period.end:
        if calendar.is_working_day(day):
            for start, end in hours.get(day.weekday(), ()):
                windows.append(
                    (
                        datetime.combine(day, start, tzinfo=calendar.tz).astimezone(UTC),
                        datetime.combine(day, end, tzinfo=calendar.tz).astimezone(UTC),
                    )
                )
        day += timedelta(days=1)
    return windows


def _overdue_cutoffs(
    settings: Settings, calendar: WorkingCalendar, now: datetime
) -> dict[str, datetime]:
    """Per kind, the UTC moment before which an open ticket is past its resolution days
    (counted in working days: due at the end of the n-th working day after creation)."""
    today = now.astimezone(settings.tz).date()
    cutoffs = {}
    for kind, days in parse_resolution_days(settings.resolution_days).items():
        created = today - timedelta(days=1)
        while calendar.working_day_after(created, days) >= today:
            created -= timedelta(days=1)
        cutoffs[kind.value] = local_day_start(created + timedelta(days=1), settings.tz)
    return cutoffs

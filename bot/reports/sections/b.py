"""Huruf b: jumlah khalayak (citizens served, channel members, other platforms)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot import texts
from bot.domain.labels import fmt_int, fmt_share
from bot.reports.blocks import (
    Block,
    Heading,
    Paragraph,
    Table,
    fmt_day,
    fmt_month,
    pairs,
    platform_table,
)
from bot.reports.data import (
    AudienceSection,
    ChannelMembers,
    MonthValue,
    PlatformFigure,
    ReportData,
)
from bot.reports.sections.context import Context, share
from storage.queries import report as q


async def compile_section(ctx: Context) -> AudienceSection:
    conn, agency_id = ctx.conn, ctx.agency_id
    served, new = await q.count_citizens(conn, agency_id=agency_id, span=ctx.span)
    snapshots = await q.member_snapshots(
        conn, agency_id=agency_id, first_day=ctx.period.start, last_day=ctx.period.end
    )
    last_of_month: dict[str, int] = {}
    for day, count in snapshots:
        last_of_month[day.strftime("%Y-%m")] = count
    months = month_keys(ctx)
    channel = ChannelMembers(
        recorded_days=len(snapshots),
        first_day=snapshots[0][0] if snapshots else None,
        first=snapshots[0][1] if snapshots else None,
        last_day=snapshots[-1][0] if snapshots else None,
        last=snapshots[-1][1] if snapshots else None,
        minimum=min((c for _, c in snapshots), default=None),
        maximum=max((c for _, c in snapshots), default=None),
        by_month=[MonthValue(key, last_of_month.get(key)) for key in months],
    )
    metrics = await q.platform_metrics(
        conn, agency_id=agency_id, first_month=months[0], last_month=months[-1]
    )
    return AudienceSection(
        citizens_served=served,
        citizens_new=new,
        citizens_returning=served - new,
        channel=channel,
        platforms=platform_figures(metrics),
    )


def month_keys(ctx: Context) -> list[str]:
    tz = ctx.settings.tz
    return [start.astimezone(tz).strftime("%Y-%m") for start, _ in ctx.month_spans]


def platform_figures(rows: Iterable[q.MetricTuple]) -> list[PlatformFigure]:
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
                first_month=months[0][0] if months else None,
                last_month=months[-1][0] if months else None,
                followers=known_followers[-1][1] if known_followers else None,
                posts=_sum_known(row[2] for row in months),
                comments=_sum_known(row[3] for row in months),
                shares=_sum_known(row[4] for row in months),
                months_recorded=len(months),
            )
        )
    return figures


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def blocks(data: ReportData) -> list[Block]:
    a = data.audience
    ch = a.channel
    narrative = texts.REPORT_NARRATIVE_B.format(
        served=fmt_int(a.citizens_served),
        new=fmt_int(a.citizens_new),
        new_share=fmt_share(share(a.citizens_new, a.citizens_served)),
        returning=fmt_int(a.citizens_returning),
    )
    if ch.recorded_days and ch.first is not None and ch.last is not None:
        narrative += " " + texts.REPORT_NARRATIVE_B_MEMBERS.format(
            first=fmt_int(ch.first),
            first_day=fmt_day(ch.first_day),
            last=fmt_int(ch.last),
            last_day=fmt_day(ch.last_day),
            change=_change(ch.first, ch.last),
        )
    else:
        narrative += " " + texts.REPORT_TEXT_NO_SNAPSHOTS
    with_followers = [p for p in a.platforms if p.followers is not None]
    if with_followers:
        narrative += " " + texts.REPORT_NARRATIVE_B_PLATFORMS.format(
            n=fmt_int(len(with_followers))
        )
    result: list[Block] = [
        Heading(texts.REPORT_SECTION_HEADINGS[1]),
        Paragraph(texts.REPORT_TEXT_INTRO_B),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_AUDIENCE,
            [
                (texts.REPORT_LABEL_SERVED, fmt_int(a.citizens_served)),
                (texts.REPORT_LABEL_NEW, fmt_int(a.citizens_new)),
                (texts.REPORT_LABEL_RETURNING, fmt_int(a.citizens_returning)),
                (texts.REPORT_LABEL_MEMBERS_DAYS, fmt_int(ch.recorded_days)),
                (
                    texts.REPORT_LABEL_MEMBERS_FIRST.format(fmt_day(ch.first_day)),
                    fmt_int(ch.first),
                ),
                (texts.REPORT_LABEL_MEMBERS_LAST.format(fmt_day(ch.last_day)), fmt_int(ch.last)),
                (texts.REPORT_LABEL_MEMBERS_MIN, fmt_int(ch.minimum)),
                (texts.REPORT_LABEL_MEMBERS_MAX, fmt_int(ch.maximum)),
            ],
        ),
    ]
    if ch.recorded_days:
        result.append(
            Table(
                (texts.REPORT_COL_MONTH, texts.REPORT_COL_MEMBERS),
                tuple(
                    (fmt_month(m.month), fmt_int(None if m.value is None else int(m.value)))
                    for m in ch.by_month
                ),
                texts.REPORT_CAPTION_MEMBERS_BY_MONTH,
            )
        )
    result.append(platform_table(texts.REPORT_CAPTION_FOLLOWERS, a.platforms, figure="followers"))
    return result


def _change(first: int, last: int) -> str:
    if first == 0:
        return texts.REPORT_CHANGE_FROM_ZERO
    ratio = (last - first) / first
    if ratio == 0:
        return texts.REPORT_CHANGE_NONE
    word = texts.REPORT_CHANGE_UP if ratio > 0 else texts.REPORT_CHANGE_DOWN
    return word.format(share=fmt_share(abs(ratio)))

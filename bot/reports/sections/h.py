"""Huruf h: rekomendasi dan rencana tindak lanjut, as plans: what, who, by when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot import texts
from bot.domain.labels import fmt_int, fmt_share, format_day
from bot.reports.blocks import Block, Heading, Paragraph, Table
from bot.reports.data import (
    AudienceSection,
    ConstraintSection,
    ContentSection,
    ForwardingSection,
    Plan,
    RecommendationSection,
    ReportData,
)
from bot.reports.sections.context import Context, in_kind_order, share
from storage.queries import report as q

# Below this share of answers within target a kind gets a plan.
TARGET_SHARE_GOAL = 0.8
# From this share of tickets arriving after hours (breaks not included), plan for them.
AFTER_HOURS_ALERT = 0.2
# Overdue tickets are cleared within this many days of the report.
OVERDUE_DAYS = 14


async def compile_section(
    ctx: Context,
    *,
    content: ContentSection,
    constraints: ConstraintSection,
    audience: AudienceSection,
    forwarding: ForwardingSection,
) -> RecommendationSection:
    today = ctx.now.astimezone(ctx.settings.tz).date()
    plans = derive_plans(
        today=today,
        content=content,
        constraints=constraints,
        kinds=ctx.kinds,
        audience=audience,
        forwarding=forwarding,
    )
    rows = await q.report_notes(
        ctx.conn, agency_id=ctx.agency_id, span=ctx.span, kind="rekomendasi"
    )
    for at, text in rows:
        plans.append(
            Plan(
                action=ctx.mask(text),
                owner=texts.REPORT_OWNER_NOTE,
                due=texts.REPORT_DUE_NOTE,
                basis=texts.REPORT_BASIS_NOTE.format(
                    day=format_day(at.astimezone(ctx.settings.tz).date())
                ),
            )
        )
    return RecommendationSection(plans=plans)


def next_quarter_end(today: date) -> date:
    """The last day of the quarter after the one ``today`` is in."""
    quarter = (today.month - 1) // 3 + 1
    year, next_quarter = (today.year + 1, 1) if quarter == 4 else (today.year, quarter + 1)
    last_month = next_quarter * 3
    following = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return following - timedelta(days=1)


def derive_plans(
    *,
    today: date,
    content: ContentSection,
    constraints: ConstraintSection,
    kinds: Sequence[q.KindFigures],
    audience: AudienceSection,
    forwarding: ForwardingSection,
) -> list[Plan]:
    """Plans that follow from the figures; each names the figure behind it."""
    quarter = texts.REPORT_DUE_BY.format(day=format_day(next_quarter_end(today)))
    plans: list[Plan] = []
    if constraints.overdue_open_tickets:
        plans.append(
            Plan(
                texts.REPORT_PLAN_OVERDUE,
                texts.REPORT_OWNER_ADMINS,
                texts.REPORT_DUE_BY.format(day=format_day(today + timedelta(days=OVERDUE_DAYS))),
                texts.REPORT_BASIS_OVERDUE.format(n=fmt_int(constraints.overdue_open_tickets)),
            )
        )
    if content.faq_gaps:
        plans.append(
            Plan(
                texts.REPORT_PLAN_FAQ_GAPS,
                texts.REPORT_OWNER_KB,
                quarter,
                texts.REPORT_BASIS_FAQ_GAPS.format(n=fmt_int(content.faq_gaps)),
            )
        )
    for figures in in_kind_order(kinds):
        within = share(figures.within_target, figures.measured)
        if within is not None and within < TARGET_SHARE_GOAL:
            label = texts.REPORT_KIND_LABELS.get(figures.kind, figures.kind)
            plans.append(
                Plan(
                    texts.REPORT_PLAN_SLOW_KIND.format(kind=label.lower()),
                    texts.REPORT_OWNER_HEAD,
                    quarter,
                    texts.REPORT_BASIS_SLOW_KIND.format(
                        share=fmt_share(within), minutes=fmt_int(constraints.target_minutes)
                    ),
                )
            )
    if (
        constraints.after_hours_share is not None
        and constraints.after_hours_share >= AFTER_HOURS_ALERT
    ):
        plans.append(
            Plan(
                texts.REPORT_PLAN_AFTER_HOURS,
                texts.REPORT_OWNER_HEAD,
                quarter,
                texts.REPORT_BASIS_AFTER_HOURS.format(
                    share=fmt_share(constraints.after_hours_share)
                ),
            )
        )
    if forwarding.by_destination:
        top = forwarding.by_destination[0]
        plans.append(
            Plan(
                texts.REPORT_PLAN_FORWARDED.format(dest=top.label),
                texts.REPORT_OWNER_HEAD,
                quarter,
                texts.REPORT_BASIS_FORWARDED.format(n=fmt_int(top.count)),
            )
        )
    if audience.channel.recorded_days == 0:
        plans.append(
            Plan(
                texts.REPORT_PLAN_NO_SNAPSHOTS,
                texts.REPORT_OWNER_ADMINS,
                quarter,
                texts.REPORT_BASIS_NO_SNAPSHOTS,
            )
        )
    if not audience.platforms:
        plans.append(
            Plan(
                texts.REPORT_PLAN_NO_PLATFORMS,
                texts.REPORT_OWNER_ADMINS,
                quarter,
                texts.REPORT_BASIS_NO_PLATFORMS,
            )
        )
    if not constraints.downtime_recorded:
        plans.append(
            Plan(
                texts.REPORT_PLAN_NO_DOWNTIME,
                texts.REPORT_OWNER_TECH,
                quarter,
                texts.REPORT_BASIS_NO_DOWNTIME,
            )
        )
    if not plans:
        plans.append(
            Plan(texts.REPORT_PLAN_KEEP_GOING, texts.REPORT_OWNER_HEAD, quarter, texts.REPORT_NONE)
        )
    return plans


def blocks(data: ReportData) -> list[Block]:
    plans = data.recommendations.plans
    return [
        Heading(texts.REPORT_SECTION_HEADINGS[7]),
        Paragraph(texts.REPORT_NARRATIVE_H.format(n=fmt_int(len(plans)))),
        Table(
            (
                texts.REPORT_COL_NUMBER,
                texts.REPORT_COL_PLAN,
                texts.REPORT_COL_OWNER,
                texts.REPORT_COL_DUE,
                texts.REPORT_COL_BASIS,
            ),
            tuple(
                (str(index), p.action, p.owner, p.due, p.basis)
                for index, p in enumerate(plans, start=1)
            ),
            texts.REPORT_CAPTION_PLANS,
            texts.REPORT_SOURCE_PLANS,
            weights=(0.08, 0.34, 0.18, 0.15, 0.25),
        ),
    ]

"""Huruf a: gambaran umum kebijakan pelayanan informasi melalui media sosial."""

from __future__ import annotations

from bot import texts
from bot.domain.labels import fmt_int, fmt_resolution_days
from bot.reports.blocks import Block, Heading, Paragraph, Table, fmt_day, pairs
from bot.reports.data import Officer, PolicySection, ReportData
from bot.reports.sections.context import Context
from storage import queries


async def compile_section(ctx: Context) -> PolicySection:
    settings = ctx.settings
    # Officers in force at the end of the period (or now, for a period still running).
    at = min(ctx.span[1], ctx.now)
    officers = [
        Officer(
            name=name,
            role=str(row.role),
            decree_number=row.decree_number,
            decree_date=row.decree_date,
        )
        for row, name in await queries.officers_at(ctx.session, agency_id=ctx.agency_id, at=at)
    ]
    return PolicySection(
        agency_name=settings.agency_name,
        policy_text=settings.policy_text,
        sop_reference=settings.sop_reference,
        sop_decree_number=settings.sop_decree_number,
        official_accounts=list(settings.official_accounts),
        channel_id=settings.channel_id,
        first_response_minutes=ctx.policy.first_response_minutes,
        working_hours=texts.working_hours_summary(ctx.calendar.hours),
        resolution_days=settings.resolution_days,
        officers=officers,
    )


def blocks(data: ReportData) -> list[Block]:
    p = data.policy
    accounts = ", ".join(p.official_accounts)
    sop = p.sop_reference
    if p.sop_decree_number:
        sop = texts.REPORT_SOP_WITH_DECREE.format(sop=sop, decree=p.sop_decree_number)
    narrative = texts.REPORT_NARRATIVE_A.format(
        agency=data.agency_name,
        accounts=texts.REPORT_ACCOUNTS_LISTED.format(n=fmt_int(len(p.official_accounts)))
        if p.official_accounts
        else texts.REPORT_ACCOUNTS_UNLISTED,
        hours=p.working_hours,
        target=fmt_int(p.first_response_minutes),
    )
    return [
        Heading(texts.REPORT_SECTION_HEADINGS[0]),
        Paragraph(p.policy_text),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_POLICY,
            [
                (texts.REPORT_LABEL_SOP, sop),
                (texts.REPORT_LABEL_ACCOUNTS, accounts or texts.REPORT_NOT_SET),
                (
                    texts.REPORT_LABEL_CHANNEL,
                    str(p.channel_id) if p.channel_id else texts.REPORT_NOT_SET,
                ),
                (texts.REPORT_LABEL_WORKING_HOURS, p.working_hours),
                (texts.REPORT_LABEL_TARGET, fmt_int(p.first_response_minutes)),
                (texts.REPORT_LABEL_RESOLUTION, fmt_resolution_days(p.resolution_days)),
            ],
            source=texts.REPORT_SOURCE_SETTINGS,
        ),
        officers_block(p.officers),
    ]


def officers_block(officers: list[Officer]) -> Block:
    """Pasal 9 ayat 1: who manages the accounts, under which decree."""
    if not officers:
        return Paragraph(texts.REPORT_OFFICERS_NONE)
    return Table(
        headers=texts.REPORT_OFFICER_HEADERS,
        rows=tuple(
            (
                str(n),
                officer.name or "-",
                texts.PETUGAS_ROLE_LABELS.get(officer.role, officer.role),
                officer.decree_number or texts.PETUGAS_NO_DECREE,
                fmt_day(officer.decree_date) if officer.decree_number else "-",
            )
            for n, officer in enumerate(officers, start=1)
        ),
        caption=texts.REPORT_CAPTION_OFFICERS,
        source=texts.REPORT_SOURCE_APPOINTMENTS,
    )

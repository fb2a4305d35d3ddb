"""Huruf g: kendala internal dan eksternal dalam pelayanan informasi.

Internal: what the office itself controls (answers past the target, overdue tickets,
outages of its own bot, constraints its admins noted as internal). External: what comes
from outside (when citizens write, questions outside the agency's authority, spam,
platform limits, constraints noted as external).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from bot import texts
from bot.domain.labels import fmt_int, fmt_share
from bot.domain.periods import Period
from bot.domain.working_time import WorkingCalendar
from bot.reports.blocks import Block, Heading, Image, Paragraph, Table, counts, notes_table
from bot.reports.charts import Chart
from bot.reports.data import ConstraintSection, KeyCount, Note, ReportData
from bot.reports.sections.context import Context, by_kind, share
from bot.services.uptime import downtime_between
from storage.queries import report as q

_EXTERNAL_PREFIX = re.compile(r"^\s*\[?(eksternal|external|luar)\]?\s*[:\-]\s*", re.IGNORECASE)
_INTERNAL_PREFIX = re.compile(r"^\s*\[?(internal|dalam)\]?\s*[:\-]\s*", re.IGNORECASE)
# Without a prefix, a note about these is about something outside the office.
_EXTERNAL_WORDS = re.compile(
    r"\b(listrik|padam|pln|jaringan|internet|sinyal|provider|telegram|whatsapp|server|"
    r"bot api|hoaks|hoax|cuaca|banjir|bencana|warga|masyarakat|perangkat daerah lain|"
    r"opd lain|platform)\b",
    re.IGNORECASE,
)


def is_external_note(text: str) -> bool:
    if _EXTERNAL_PREFIX.match(text):
        return True
    if _INTERNAL_PREFIX.match(text):
        return False
    return bool(_EXTERNAL_WORDS.search(text))


def _without_prefix(text: str) -> str:
    return _INTERNAL_PREFIX.sub("", _EXTERNAL_PREFIX.sub("", text, count=1), count=1)


async def compile_section(ctx: Context, *, forwarded_tickets: int) -> ConstraintSection:
    kinds = ctx.kinds
    tickets = sum(k.tickets for k in kinds)
    measured = sum(k.measured for k in kinds)
    within = sum(k.within_target for k in kinds)
    windows, breaks = working_windows(ctx.calendar, ctx.period)
    in_hours = await q.count_tickets_in_windows(ctx.conn, agency_id=ctx.agency_id, windows=windows)
    in_breaks = await q.count_tickets_in_windows(ctx.conn, agency_id=ctx.agency_id, windows=breaks)
    after_hours = max(tickets - in_hours - in_breaks, 0)
    ignored: dict[str, int] = {}
    for figures in kinds:
        for reason, n in figures.ignored_by_reason.items():
            key = reason or "lainnya"
            ignored[key] = ignored.get(key, 0) + n
    downtime = await downtime_between(
        ctx.session, start=ctx.span[0], end=ctx.span[1], now=ctx.now, calendar=ctx.calendar
    )
    rows = await q.report_notes(ctx.conn, agency_id=ctx.agency_id, span=ctx.span, kind="kendala")
    notes = [
        (is_external_note(text), Note(at.astimezone(ctx.settings.tz).date(), ctx.mask(text)))
        for at, text in rows
    ]
    return ConstraintSection(
        target_minutes=ctx.policy.first_response_minutes,
        answered_measured=measured,
        within_target=within,
        missed_target=measured - within,
        missed_by_kind=by_kind(kinds, lambda k: k.measured - k.within_target),
        tickets=tickets,
        break_tickets=in_breaks,
        break_share=share(in_breaks, tickets),
        after_hours_tickets=after_hours,
        after_hours_share=share(after_hours, tickets),
        open_tickets=sum(k.open for k in kinds),
        overdue_open_tickets=sum(k.overdue for k in kinds),
        ignored_by_reason=_labelled(ignored),
        downtime_recorded=downtime.recorded,
        downtime_outages=downtime.outages,
        downtime_working_minutes=downtime.working_minutes,
        forwarded_tickets=forwarded_tickets,
        internal_notes=[
            Note(n.day, _without_prefix(n.text)) for external, n in notes if not external
        ],
        external_notes=[Note(n.day, _without_prefix(n.text)) for external, n in notes if external],
    )


def _labelled(counted: Mapping[str, int]) -> list[KeyCount]:
    return [
        KeyCount(key, texts.REPORT_CLOSE_REASON_LABELS.get(key, key), n)
        for key, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def working_windows(
    calendar: WorkingCalendar, period: Period
) -> tuple[list[q.Range], list[q.Range]]:
    """UTC spans of every working period of the report period, and of the breaks between
    them on the same day (holidays have neither)."""
    hours = calendar.hours
    windows: list[q.Range] = []
    breaks: list[q.Range] = []
    day = period.start
    while day <= period.end:
        if calendar.is_working_day(day):
            spans = [
                (
                    datetime.combine(day, start, tzinfo=calendar.tz).astimezone(UTC),
                    datetime.combine(day, end, tzinfo=calendar.tz).astimezone(UTC),
                )
                for start, end in sorted(hours.get(day.weekday(), ()))
            ]
            windows += spans
            breaks += [
                (earlier[1], later[0])
                for earlier, later in itertools.pairwise(spans)
                if later[0] > earlier[1]
            ]
        day += timedelta(days=1)
    return windows, breaks


def _share_of(n: int, whole: int) -> str:
    return texts.REPORT_COUNT_SHARE.format(n=fmt_int(n), share=fmt_share(share(n, whole)))


def _downtime(g: ConstraintSection) -> str:
    if not g.downtime_recorded:
        return texts.REPORT_DOWNTIME_NOT_RECORDED
    return texts.REPORT_DOWNTIME_VALUE.format(
        outages=fmt_int(g.downtime_outages), minutes=fmt_int(g.downtime_working_minutes)
    )


def _reason(g: ConstraintSection, *keys: str) -> int:
    return sum(c.count for c in g.ignored_by_reason if c.key in keys)


def blocks(data: ReportData, charts: Mapping[str, Chart]) -> list[Block]:
    g = data.constraints
    narrative_internal = texts.REPORT_NARRATIVE_G_INTERNAL.format(
        missed=fmt_int(g.missed_target),
        measured=fmt_int(g.answered_measured),
        missed_share=fmt_share(share(g.missed_target, g.answered_measured)),
        target=fmt_int(g.target_minutes),
        overdue=fmt_int(g.overdue_open_tickets),
    )
    narrative_internal += " " + (
        texts.REPORT_NARRATIVE_G_DOWNTIME.format(value=_downtime(g))
        + " "
        + texts.REPORT_TEXT_DOWNTIME_RECORDED
        if g.downtime_recorded
        else texts.REPORT_NARRATIVE_G_NO_DOWNTIME
    )
    narrative_external = texts.REPORT_NARRATIVE_G_EXTERNAL.format(
        after=_share_of(g.after_hours_tickets, g.tickets),
        breaks=_share_of(g.break_tickets, g.tickets),
        outside=fmt_int(g.forwarded_tickets + _reason(g, "bukan_wewenang")),
        spam=fmt_int(_reason(g, "spam", "duplikat")),
    )
    internal: Sequence[tuple[str, str]] = [
        (
            texts.REPORT_LABEL_MISSED,
            _share_of(g.missed_target, g.answered_measured),
        ),
        (texts.REPORT_LABEL_OPEN, fmt_int(g.open_tickets)),
        (texts.REPORT_LABEL_OVERDUE, fmt_int(g.overdue_open_tickets)),
        (texts.REPORT_LABEL_DOWNTIME, _downtime(g)),
        (texts.REPORT_LABEL_NOTES_INTERNAL, fmt_int(len(g.internal_notes))),
    ]
    external: Sequence[tuple[str, str]] = [
        (texts.REPORT_LABEL_AFTER_HOURS, _share_of(g.after_hours_tickets, g.tickets)),
        (texts.REPORT_LABEL_BREAKS, _share_of(g.break_tickets, g.tickets)),
        (texts.REPORT_LABEL_FORWARDED_OUTSIDE, fmt_int(g.forwarded_tickets)),
        (texts.REPORT_LABEL_NOT_AUTHORITY, fmt_int(_reason(g, "bukan_wewenang"))),
        (texts.REPORT_LABEL_SPAM, fmt_int(_reason(g, "spam", "duplikat"))),
        (texts.REPORT_LABEL_NOTES_EXTERNAL, fmt_int(len(g.external_notes))),
    ]
    return [
        Heading(texts.REPORT_SECTION_HEADINGS[6]),
        Heading(texts.REPORT_G_INTERNAL_HEADING, level=2),
        Paragraph(narrative_internal),
        Table(
            (texts.REPORT_COL_CONSTRAINT, texts.REPORT_COL_VALUE),
            tuple(internal),
            texts.REPORT_CAPTION_INTERNAL,
        ),
        counts(
            texts.REPORT_CAPTION_MISSED_BY_KIND,
            texts.REPORT_COL_KIND,
            g.missed_by_kind,
            total_label=texts.REPORT_TOTAL_MISSED,
        ),
        Image(charts["response"], texts.REPORT_CHART_RESPONSE),
        notes_table(texts.REPORT_CAPTION_NOTES_INTERNAL, g.internal_notes),
        Heading(texts.REPORT_G_EXTERNAL_HEADING, level=2),
        Paragraph(narrative_external),
        Table(
            (texts.REPORT_COL_CONSTRAINT, texts.REPORT_COL_VALUE),
            tuple(external),
            texts.REPORT_CAPTION_EXTERNAL,
        ),
        counts(
            texts.REPORT_CAPTION_IGNORED,
            texts.REPORT_COL_REASON,
            g.ignored_by_reason,
            total_label=texts.REPORT_LABEL_IGNORED,
        ),
        notes_table(texts.REPORT_CAPTION_NOTES_EXTERNAL, g.external_notes),
    ]

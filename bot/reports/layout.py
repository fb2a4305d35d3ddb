"""The whole report as blocks: Pendahuluan, Ringkasan, huruf a–h, monthly recap, method
notes and Penutup. The cover and the signature are drawn per format (page layout)."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from bot.domain.labels import fmt_int, fmt_minutes, fmt_share, format_day
from bot.reports.blocks import (
    Block,
    Bullets,
    Closing,
    Heading,
    Paragraph,
    Table,
    compiled_on,
    fmt_month,
    number_blocks,
    pairs,
)
from bot.reports.charts import Chart
from bot.reports.data import ReportData
from bot.reports.sections import a, b, c, d, e, f, g, h
from bot.reports.sections.context import share

# Dinas Kominfo is itself the Dinas of Pasal 15 ayat (2): its report goes to the Bupati.
_KOMINFO_MARKERS = ("komunikasi", "informatika")


def is_dinas_kominfo(agency_name: str) -> bool:
    lowered = agency_name.lower()
    return all(marker in lowered for marker in _KOMINFO_MARKERS)


def addressee(data: ReportData) -> str:
    if is_dinas_kominfo(data.agency_name):
        return texts.REPORT_ADDRESSEE_DIRECT
    return texts.REPORT_ADDRESSEE


def period_line(data: ReportData) -> str:
    return texts.REPORT_PERIOD_LINE.format(data.period.label)


def within_target(n: int, share_value: float | None) -> str:
    """One label, one unit: tickets answered within target and their share."""
    return texts.REPORT_COUNT_SHARE.format(n=fmt_int(n), share=fmt_share(share_value))


def report_blocks(data: ReportData, charts: Sequence[Chart]) -> list[Block]:
    chart = {ch.key: ch for ch in charts}
    blocks: list[Block] = [*_introduction(data), *_summary(data)]
    blocks += a.blocks(data)
    blocks += b.blocks(data)
    blocks += c.blocks(data, chart)
    blocks += d.blocks(data)
    blocks += e.blocks(data)
    blocks += f.blocks(data)
    blocks += g.blocks(data, chart)
    blocks += h.blocks(data)
    blocks += _monthly(data)
    blocks += [
        Heading(texts.REPORT_METHOD_HEADING),
        Bullets(tuple(data.notes_on_method)),
        Closing(texts.REPORT_CLOSING_HEADING, _closing(data)),
    ]
    return number_blocks(blocks)


def _introduction(data: ReportData) -> list[Block]:
    start, end = format_day(data.period.start), format_day(data.period.end)
    scope = texts.REPORT_INTRO_SCOPE.format(
        agency=data.agency_name, start=start, end=end, compiled=compiled_on(data)
    )
    if not data.period_complete:
        scope += " " + texts.REPORT_INTRO_NOT_ENDED
    return [
        Heading(texts.REPORT_INTRO_HEADING),
        Heading(texts.REPORT_INTRO_BACKGROUND_HEADING, level=2),
        Paragraph(texts.REPORT_INTRO_BACKGROUND),
        Heading(texts.REPORT_INTRO_PURPOSE_HEADING, level=2),
        Paragraph(texts.REPORT_INTRO_PURPOSE),
        Heading(texts.REPORT_INTRO_SCOPE_HEADING, level=2),
        Paragraph(scope),
        Paragraph(texts.REPORT_INTRO_SOURCES),
    ]


def _summary(data: ReportData) -> list[Block]:
    s = data.summary
    narrative = texts.REPORT_NARRATIVE_SUMMARY.format(
        tickets=fmt_int(s.tickets_in),
        answered=fmt_int(s.answered),
        answered_share=fmt_share(share(s.answered, s.tickets_in)),
        open=fmt_int(s.open),
        median=fmt_minutes(s.median_first_response_minutes),
        within=fmt_share(s.within_target_share),
        target=fmt_int(s.target_minutes),
    )
    return [
        Heading(texts.REPORT_SUMMARY_HEADING),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_SUMMARY,
            [
                (texts.REPORT_LABEL_TICKETS_IN, fmt_int(s.tickets_in)),
                (texts.REPORT_LABEL_ANSWERED, fmt_int(s.answered)),
                (texts.REPORT_LABEL_IGNORED, fmt_int(s.ignored)),
                (texts.REPORT_LABEL_OPEN, fmt_int(s.open)),
                (texts.REPORT_LABEL_MEDIAN, fmt_minutes(s.median_first_response_minutes)),
                (texts.REPORT_LABEL_P90, fmt_minutes(s.p90_first_response_minutes)),
                (texts.REPORT_LABEL_TARGET, fmt_int(s.target_minutes)),
                (
                    texts.REPORT_LABEL_WITHIN_TARGET,
                    within_target(s.within_target, s.within_target_share),
                ),
                (texts.REPORT_LABEL_MESSAGES_IN, fmt_int(s.messages_in)),
                (texts.REPORT_LABEL_MESSAGES_TO_PUBLIC, fmt_int(s.messages_to_public)),
            ],
        ),
    ]


def _monthly(data: ReportData) -> list[Block]:
    series = data.series
    return [
        Heading(texts.REPORT_MONTHLY_HEADING),
        Table(
            (
                texts.REPORT_COL_MONTH,
                texts.REPORT_COL_MESSAGES_IN,
                texts.REPORT_COL_TICKETS,
                texts.REPORT_COL_MEDIAN,
            ),
            tuple(
                (fmt_month(month), fmt_int(messages), fmt_int(tickets), fmt_minutes(median))
                for month, messages, tickets, median in zip(
                    series.months,
                    series.messages_in,
                    series.tickets,
                    series.median_response_minutes,
                    strict=True,
                )
            ),
            texts.REPORT_CAPTION_MONTHLY,
        ),
    ]


def _closing(data: ReportData) -> tuple[str, ...]:
    s = data.summary
    plans = len(data.recommendations.plans)
    return (
        texts.REPORT_CLOSING_TEXT.format(
            period=data.period.label,
            tickets=fmt_int(s.tickets_in),
            within=fmt_share(s.within_target_share),
            plans=fmt_int(plans),
        ),
        texts.REPORT_CLOSING_EVALUATION,
    )


def signature_lines(data: ReportData) -> tuple[list[str], list[str]]:
    """(lines above the space for the signature, lines below it)."""
    signer = data.signer
    above = [
        texts.REPORT_SIGN_PLACE_DATE.format(place=signer.place, day=compiled_on(data)),
        signer.position,
    ]
    below = [signer.name or texts.REPORT_SIGN_NAME_LINE]
    if signer.rank:
        below.append(texts.REPORT_SIGN_RANK_LINE.format(rank=signer.rank))
    below.append(
        texts.REPORT_SIGN_NIP_LINE.format(nip=signer.nip) if signer.nip else texts.REPORT_SIGN_NIP
    )
    return above, below

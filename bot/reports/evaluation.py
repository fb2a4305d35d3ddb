"""The Dinas evaluation of several agencies (Perbup Bone 22/2019 Pasal 16).

Every figure comes from each agency's own report (``compile_report``), so the evaluation
and the reports an agency sends say the same: tickets, the working-time median first
response (``bot.domain.statistics`` via the report), the share answered within target,
and which Pasal 15 ayat 3 items a-h have data. Satisfaction is shown as "belum ada data"
until a ratings source is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import Settings
from bot.domain.labels import fmt_int, fmt_minutes, fmt_share
from bot.domain.periods import Period
from bot.reports.blocks import Block, Closing, Heading, Paragraph, Table, number_blocks
from bot.reports.compile import compile_report
from bot.reports.data import ReportData
from bot.reports.render_docx import render_docx
from bot.reports.render_pdf import render_pdf

ITEMS = ("a", "b", "c", "d", "e", "f", "g", "h")

# Per Pasal 15 ayat 3 item: does the agency's report hold data for it?
_ITEM_HAS_DATA: Mapping[str, Callable[[ReportData], bool]] = {
    "a": lambda d: bool(
        d.policy.policy_text or d.policy.sop_reference or d.policy.official_accounts
    ),
    "b": lambda d: bool(
        d.audience.citizens_served or d.audience.channel.recorded_days or d.audience.platforms
    ),
    "c": lambda d: bool(d.content.tickets or d.content.messages_in),
    "d": lambda d: bool(d.comments.comment_tickets or d.comments.imported_comments),
    "e": lambda d: bool(d.sharing.public_messages or d.sharing.posts_published),
    "f": lambda d: bool(d.forwarding.tickets_forwarded or d.forwarding.citizen_forwarded_messages),
    "g": lambda d: bool(
        d.constraints.internal_notes
        or d.constraints.external_notes
        or d.constraints.downtime_recorded
        or d.constraints.answered_measured
    ),
    "h": lambda d: bool(d.recommendations.plans),
}


@dataclass(frozen=True, slots=True)
class AgencyEvaluation:
    agency_id: int
    agency_name: str
    tickets: int
    answered: int
    median_response_minutes: float | None
    within_target: int
    within_target_share: float | None
    # Share of citizens' ratings that found the answer helpful (👍); None: no ratings.
    satisfaction: float | None
    items_with_data: tuple[str, ...]  # Pasal 15 ayat 3 letters that have data

    @property
    def complete(self) -> bool:
        return len(self.items_with_data) == len(ITEMS)


@dataclass(frozen=True, slots=True)
class Evaluation:
    evaluator: ReportData  # the Dinas's own report: its cover, period and signer
    agencies: tuple[AgencyEvaluation, ...]


def evaluate_report(data: ReportData, *, satisfaction: float | None = None) -> AgencyEvaluation:
    """One agency's row, read from its compiled report."""
    summary = data.summary
    return AgencyEvaluation(
        agency_id=data.agency_id,
        agency_name=data.agency_name,
        tickets=summary.tickets_in,
        answered=summary.answered,
        median_response_minutes=summary.median_first_response_minutes,
        within_target=summary.within_target,
        within_target_share=summary.within_target_share,
        satisfaction=satisfaction if satisfaction is not None else _helpful_share(data),
        items_with_data=tuple(item for item in ITEMS if _ITEM_HAS_DATA[item](data)),
    )


async def compile_evaluation(
    session: AsyncSession,
    *,
    settings_by_agency: Mapping[int, Settings],
    evaluator_id: int,
    period: Period,
    now: datetime,
    satisfaction: Mapping[int, float] | None = None,
) -> Evaluation:
    """Compile every agency's report with its own settings (targets, working hours) and
    compare them; ``evaluator_id`` (the Dinas) must be among the agencies."""
    if evaluator_id not in settings_by_agency:
        raise ValueError(f"the evaluating agency {evaluator_id} is not among the agencies")
    ratings = satisfaction or {}
    reports = {
        agency_id: await compile_report(
            session, settings=settings, period=period, agency_id=agency_id, now=now
        )
        for agency_id, settings in settings_by_agency.items()
    }
    rows = tuple(
        evaluate_report(report, satisfaction=ratings.get(agency_id))
        for agency_id, report in reports.items()
    )
    return Evaluation(evaluator=reports[evaluator_id], agencies=rows)


def _helpful_share(data: ReportData) -> float | None:
    rated = data.comments.ratings_up + data.comments.ratings_down
    return data.comments.ratings_up / rated if rated else None


def _satisfaction(value: float | None) -> str:
    if value is None:
        return texts.EVALUATION_NO_DATA
    return fmt_share(value)


def evaluation_blocks(evaluation: Evaluation) -> list[Block]:
    rows = evaluation.agencies
    service = Table(
        headers=(
            texts.EVALUATION_COL_AGENCY,
            texts.EVALUATION_COL_TICKETS,
            texts.EVALUATION_COL_ANSWERED,
            texts.EVALUATION_COL_MEDIAN,
            texts.EVALUATION_COL_WITHIN,
            texts.EVALUATION_COL_SATISFACTION,
        ),
        rows=tuple(
            (
                row.agency_name,
                fmt_int(row.tickets),
                fmt_int(row.answered),
                fmt_minutes(row.median_response_minutes),
                fmt_share(row.within_target_share),
                _satisfaction(row.satisfaction),
            )
            for row in rows
        ),
        caption=texts.EVALUATION_SERVICE_CAPTION,
    )
    completeness = Table(
        headers=(
            texts.EVALUATION_COL_AGENCY,
            *(item.upper() for item in ITEMS),
            texts.EVALUATION_COL_COMPLETE,
        ),
        rows=tuple(
            (
                row.agency_name,
                *(
                    texts.EVALUATION_HAS_DATA
                    if item in row.items_with_data
                    else texts.EVALUATION_MISSING
                    for item in ITEMS
                ),
                texts.EVALUATION_COMPLETE_COUNT.format(
                    done=len(row.items_with_data), total=len(ITEMS)
                ),
            )
            for row in rows
        ),
        caption=texts.EVALUATION_COMPLETENESS_CAPTION,
        weights=(0.36, *(0.06 for _ in ITEMS), 0.16),
    )
    period = evaluation.evaluator.period.label
    return number_blocks(
        [
            Heading(texts.EVALUATION_INTRO_HEADING),
            Paragraph(texts.EVALUATION_INTRO.format(count=len(rows), period=period)),
            Heading(texts.EVALUATION_SERVICE_HEADING),
            service,
            Heading(texts.EVALUATION_COMPLETENESS_HEADING),
            Paragraph(texts.EVALUATION_COMPLETENESS_NOTE),
            completeness,
            Closing(texts.EVALUATION_CLOSING_HEADING, (texts.EVALUATION_CLOSING,)),
        ]
    )


def render_evaluation(evaluation: Evaluation, fmt: str) -> bytes:
    """DOCX or PDF with the report's cover, styles and signature block."""
    blocks: Sequence[Block] = evaluation_blocks(evaluation)
    if fmt == "docx":
        return render_docx(evaluation.evaluator, [], blocks=blocks, title=texts.EVALUATION_TITLE)
    if fmt == "pdf":
        return render_pdf(evaluation.evaluator, [], blocks=blocks, title=texts.EVALUATION_TITLE)
    raise ValueError(f"unknown evaluation format {fmt!r}; expected docx or pdf")

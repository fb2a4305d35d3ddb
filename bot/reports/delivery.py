"""/laporan: compile the Pasal 15 report from the record and queue it as documents."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import OutboxPurpose
from bot.domain.periods import Period, parse_period
from bot.knowledge.models import KbEntry
from bot.reports.charts import build_charts
from bot.reports.compile import compile_report
from bot.reports.evaluation import compile_evaluation, render_evaluation
from bot.reports.render import ReportFormat, render_report
from bot.reports.summary import summary_message
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester
from storage.queries import report as q

DOCUMENT_FORMATS: tuple[ReportFormat, ...] = ("docx", "pdf")


@dataclass(frozen=True)
class RenderedReport:
    summary: str
    documents: tuple[tuple[str, bytes], ...]


def knowledge_labels(
    entries: Sequence[KbEntry],
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Topics (entry id -> tags) and titles (entry id -> first question) for section c."""
    topics = {entry.id: entry.tags for entry in entries}
    titles = {entry.id: entry.questions[0] for entry in entries if entry.questions}
    return topics, titles


def period_from_command(argument: str | None, *, clock: Clock, tz: ZoneInfo) -> Period:
    """Raises PeriodError for input that is not a period."""
    return parse_period(argument, clock.now().astimezone(tz).date())


async def build_report(
    session: AsyncSession,
    *,
    settings: Settings,
    knowledge: Suggester,
    agency_id: int,
    clock: Clock,
    period: Period,
) -> RenderedReport:
    topics, titles = knowledge_labels(knowledge.entries)
    data = await compile_report(
        session,
        settings=settings,
        period=period,
        agency_id=agency_id,
        topics=topics,
        titles=titles,
        now=clock.now(),
    )

    def render_documents() -> tuple[tuple[str, bytes], ...]:
        charts = build_charts(data)
        return tuple((fmt, render_report(data, fmt, charts=charts)) for fmt in DOCUMENT_FORMATS)

    # Charts and PDF layout take a second or two of CPU: keep the event loop free.
    documents = await asyncio.to_thread(render_documents)
    return RenderedReport(summary=summary_message(data), documents=documents)


async def queue_report(
    session: AsyncSession,
    *,
    notifier: Notifier,
    chat_id: int,
    period: Period,
    report: RenderedReport,
    audit_csv: bytes | None = None,
) -> None:
    """The summary, the DOCX and PDF, and the audit trail of the period as a CSV annex."""
    await notifier.send_text(
        session,
        chat_id=chat_id,
        text=report.summary,
        link_preview=None,
        purpose=OutboxPurpose.REPORT,
    )
    slug = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    captions = {"docx": texts.LAPORAN_CAPTION_DOCX, "pdf": texts.LAPORAN_CAPTION_PDF}
    for fmt, content in report.documents:
        await notifier.send_document(
            session,
            chat_id=chat_id,
            filename=f"laporan-pasal15-{slug}.{fmt}",
            content=content,
            caption=captions[fmt].format(period=period.label),
            purpose=OutboxPurpose.REPORT,
        )
    if audit_csv is not None:
        await notifier.send_document(
            session,
            chat_id=chat_id,
            filename=f"lampiran-jejak-audit-{slug}.csv",
            content=audit_csv,
            caption=texts.LAPORAN_CAPTION_AUDIT.format(period=period.label),
            purpose=OutboxPurpose.REPORT,
        )


async def queue_evaluation(
    session: AsyncSession,
    *,
    settings: Settings,
    notifier: Notifier,
    chat_id: int,
    agency_id: int,
    period: Period,
    now: datetime,
) -> None:
    """/evaluasi: every agency of this deployment compared (Pasal 16), DOCX and PDF.

    The asking agency is the evaluator; each agency is compiled under its own code with
    this deployment's targets and working hours, as ``python -m bot evaluasi`` does.
    """
    conn = await session.connection()
    per_agency = {
        other_id: settings
        if other_id == agency_id
        else settings.model_copy(update={"agency_code": code})
        for other_id, code in await q.agency_codes(conn)
    }
    evaluation = await compile_evaluation(
        session, settings_by_agency=per_agency, evaluator_id=agency_id, period=period, now=now
    )

    def render_documents() -> tuple[tuple[str, bytes], ...]:
        return tuple((fmt, render_evaluation(evaluation, fmt)) for fmt in DOCUMENT_FORMATS)

    documents = await asyncio.to_thread(render_documents)
    await notifier.send_text(
        session,
        chat_id=chat_id,
        text=texts.evaluation_summary(
            period=period.label,
            agencies=len(evaluation.agencies),
            complete=sum(1 for row in evaluation.agencies if row.complete),
        ),
        purpose=OutboxPurpose.REPORT,
    )
    slug = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    for fmt, content in documents:
        await notifier.send_document(
            session,
            chat_id=chat_id,
            filename=f"evaluasi-pasal16-{slug}.{fmt}",
            content=content,
            caption=texts.EVALUASI_CAPTION.format(period=period.label, fmt=fmt.upper()),
            purpose=OutboxPurpose.REPORT,
        )

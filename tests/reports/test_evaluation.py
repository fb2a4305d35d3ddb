"""The Dinas evaluation (Pasal 16) against the hand-built record in conftest.py: agency 1
has the report's known figures, agency 2 one ticket answered in a minute."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.reports import parse_period
from bot.reports.blocks import Table
from bot.reports.evaluation import (
    ITEMS,
    Evaluation,
    compile_evaluation,
    evaluation_blocks,
    render_evaluation,
)
from storage.db import create_session_maker
from tests.reports.conftest import NOW, make_settings


async def _evaluate(engine: AsyncEngine, period: str = "2026", **kwargs: object) -> Evaluation:
    settings = {
        1: make_settings(),
        2: make_settings(agency_code="lain", agency_name="Dinas Lain", channel_id=None),
    }
    async with create_session_maker(engine)() as session:
        return await compile_evaluation(
            session,
            settings_by_agency=settings,
            evaluator_id=1,
            period=parse_period(period, date(2027, 1, 5)),
            now=NOW,
            **kwargs,  # type: ignore[arg-type]
        )


async def test_figures_per_agency(record: AsyncEngine) -> None:
    evaluation = await _evaluate(record)
    uji, lain = evaluation.agencies
    assert (uji.agency_id, uji.tickets, uji.answered) == (1, 8, 5)
    # Responses 600, 1200, 1800, 3600, 5400 working seconds: median 30 minutes.
    assert uji.median_response_minutes == 30.0
    assert uji.within_target == 4
    assert uji.within_target_share == pytest.approx(0.8)
    assert (lain.agency_id, lain.tickets, lain.answered) == (2, 1, 1)
    assert lain.median_response_minutes == 1.0
    assert lain.within_target_share == pytest.approx(1.0)
    assert uji.satisfaction is None
    assert lain.satisfaction is None
    assert evaluation.evaluator.agency_id == 1


async def test_completeness_items(record: AsyncEngine) -> None:
    uji, lain = (await _evaluate(record)).agencies
    assert uji.items_with_data == ITEMS
    assert uji.complete
    # Agency 2 has one ticket and nothing else: no channel, comments, sharing, forwards.
    assert "d" not in lain.items_with_data
    assert "f" not in lain.items_with_data
    assert {"c", "h"} <= set(lain.items_with_data)
    assert not lain.complete


async def test_period_limits_the_figures(record: AsyncEngine) -> None:
    uji, lain = (await _evaluate(record, "2026-04")).agencies
    assert uji.tickets == 3
    assert lain.tickets == 0
    assert lain.median_response_minutes is None


async def test_evaluator_must_be_an_agency(record: AsyncEngine) -> None:
    async with create_session_maker(record)() as session:
        with pytest.raises(ValueError, match="evaluating agency"):
            await compile_evaluation(
                session,
                settings_by_agency={2: make_settings()},
                evaluator_id=1,
                period=parse_period("2026", date(2027, 1, 5)),
                now=NOW,
            )


async def test_tables_show_the_figures_and_no_data(record: AsyncEngine) -> None:
    evaluation = await _evaluate(record, satisfaction={2: 0.8})
    tables = [b for b in evaluation_blocks(evaluation) if isinstance(b, Table)]
    service, completeness = tables
    assert service.rows[0][1:] == ("8", "5", "30,0", "80,0%", texts.EVALUATION_NO_DATA)
    assert service.rows[1][1:] == ("1", "1", "1,0", "100,0%", "80,0%")
    assert completeness.rows[0][-1] == "8 dari 8"
    assert service.title.startswith("Tabel 1.")
    assert completeness.title.startswith("Tabel 2.")


async def test_docx_and_pdf(record: AsyncEngine) -> None:
    evaluation = await _evaluate(record)
    docx = Document(io.BytesIO(render_evaluation(evaluation, "docx")))
    body = "\n".join(p.text for p in docx.paragraphs)
    assert texts.EVALUATION_TITLE in body
    assert texts.EVALUATION_CLOSING_HEADING in body
    cells = {cell.text for table in docx.tables for row in table.rows for cell in row.cells}
    assert {"Dinas Lain", "30,0", texts.EVALUATION_NO_DATA} <= cells
    pdf = PdfReader(io.BytesIO(render_evaluation(evaluation, "pdf")))
    # Narrow cells wrap their text: compare with the line breaks folded away.
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Dinas Lain" in text
    assert "belum ada data" in text
    with pytest.raises(ValueError, match="unknown evaluation format"):
        render_evaluation(evaluation, "md")

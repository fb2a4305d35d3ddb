"""DOCX rendering (python-docx): cover, items A-H with tables and charts, signature."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from bot import texts
from bot.reports.charts import Chart
from bot.reports.data import ReportData
from bot.reports.layout import (
    Block,
    Bullets,
    Heading,
    Image,
    Paragraph,
    Table,
    compiled_on,
    report_blocks,
)

CHART_WIDTH_CM = 15.0


def render_docx(data: ReportData, charts: Sequence[Chart]) -> bytes:
    document: Any = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    _cover(document, data)
    for block in report_blocks(data, charts):
        _block(document, block)
    _signature(document, data)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _centered(document: Any, text: str, *, size: int, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _cover(document: Any, data: ReportData) -> None:
    for _ in range(4):
        document.add_paragraph()
    _centered(document, texts.REPORT_GOVERNMENT, size=14, bold=True)
    _centered(document, data.agency_name.upper(), size=14, bold=True)
    document.add_paragraph()
    _centered(document, texts.REPORT_TITLE, size=18, bold=True)
    _centered(document, texts.REPORT_PERIOD_LINE.format(data.period.label), size=13)
    document.add_paragraph()
    _centered(document, texts.REPORT_LEGAL_BASIS, size=11)
    _centered(document, texts.REPORT_ADDRESSEE, size=11)
    document.add_paragraph()
    _centered(document, texts.REPORT_COMPILED_LINE.format(compiled_on(data)), size=11)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _block(document: Any, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        document.add_paragraph(block.text)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Image):
        document.add_picture(io.BytesIO(block.chart.png), width=Cm(CHART_WIDTH_CM))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document: Any, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph()


def _signature(document: Any, data: ReportData) -> None:
    document.add_paragraph()
    lines = [
        texts.REPORT_SIGN_PLACE_DATE.format(compiled_on(data)),
        texts.REPORT_SIGN_POSITION.format(data.agency_name),
        "",
        "",
        "",
        texts.REPORT_SIGN_NAME_LINE,
        texts.REPORT_SIGN_NIP,
    ]
    for line in lines:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.left_indent = Cm(9)
        paragraph.paragraph_format.space_after = Pt(0)

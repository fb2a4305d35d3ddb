"""DOCX rendering (python-docx): letterhead and cover, Title/Heading/Caption styles,
numbered tables and figures, page numbers, id-ID language, signature with the closing."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bot import texts
from bot.reports.blocks import (
    Block,
    Bullets,
    Closing,
    Heading,
    Image,
    Paragraph,
    Table,
    column_weights,
    compiled_on,
    figure_columns,
    is_figure,
)
from bot.reports.charts import Chart
from bot.reports.data import ReportData
from bot.reports.layout import addressee, period_line, report_blocks, signature_lines

logger = logging.getLogger(__name__)

CHART_WIDTH_CM = 15.0
CONTENT_WIDTH_CM = 16.0
LOGO_HEIGHT_CM = 2.6
LANGUAGE = "id-ID"
TABLE_TEXT = "Table Text"
HEADING_COLOR = RGBColor(0x1F, 0x3A, 0x5F)


def render_docx(
    data: ReportData,
    charts: Sequence[Chart],
    *,
    blocks: Sequence[Block] | None = None,
    title: str = texts.REPORT_TITLE,
) -> bytes:
    """The report; ``blocks`` and ``title`` let another document (the Dinas evaluation)
    reuse the cover, styles and signature block of ``data``'s agency."""
    document: Any = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    _styles(document)
    _properties(document, data)
    # The cover has no page number; every other page says "Halaman N dari M".
    section.different_first_page_header_footer = True
    _page_numbers(section.footer.paragraphs[0])

    _cover(document, data, title)
    for block in report_blocks(data, charts) if blocks is None else blocks:
        _block(document, block, data)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _styles(document: Any) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    # Word checks spelling in the language of each run: Indonesian, not en-US.
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(run_defaults)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        _set_language(styles[name].element.get_or_add_rPr())
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = HEADING_COLOR
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_before = Pt(1)
    table_text.paragraph_format.space_after = Pt(1)
    caption = styles["Caption"]
    caption.font.name = "Arial"
    caption.font.size = Pt(10)
    caption.font.italic = False
    caption.font.bold = True
    caption.font.color.rgb = RGBColor(0, 0, 0)


def _set_language(run_properties: Any) -> None:
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _properties(document: Any, data: ReportData) -> None:
    properties = document.core_properties
    properties.title = f"{texts.REPORT_TITLE} - {data.period.label}"
    properties.subject = texts.REPORT_DOC_SUBJECT
    properties.author = data.agency_name
    properties.last_modified_by = data.agency_name
    properties.keywords = texts.REPORT_DOC_KEYWORDS
    properties.language = LANGUAGE
    properties.category = texts.REPORT_DOC_SUBJECT
    properties.created = data.generated_at.replace(tzinfo=None)
    properties.modified = data.generated_at.replace(tzinfo=None)
    properties.revision = 1


def _field(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _page_numbers(paragraph: Any) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(texts.REPORT_PAGE_WORD)
    _field(paragraph, "PAGE")
    paragraph.add_run(texts.REPORT_PAGE_OF_WORD)
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _logo(path: str) -> Path | None:
    if not path:
        return None
    logo = Path(path)
    if not logo.is_file():
        logger.warning("report logo %s not found; the cover has no logo", path)
        return None
    return logo


def _centered(document: Any, text: str, *, size: int, bold: bool = False) -> Any:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return paragraph


def _cover(document: Any, data: ReportData, title_text: str) -> None:
    logo = _logo(data.logo_path)
    if logo is not None:
        document.add_picture(str(logo), height=Cm(LOGO_HEIGHT_CM))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        for _ in range(3):
            document.add_paragraph()
    _centered(document, texts.REPORT_GOVERNMENT, size=14, bold=True)
    _centered(document, data.agency_name.upper(), size=14, bold=True)
    for _ in range(3):
        document.add_paragraph()
    title = document.add_paragraph(title_text, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centered(document, period_line(data), size=13, bold=True)
    for _ in range(3):
        document.add_paragraph()
    _centered(document, texts.REPORT_LEGAL_BASIS, size=11)
    _centered(document, addressee(data), size=11)
    document.add_paragraph()
    _centered(document, texts.REPORT_COMPILED_LINE.format(compiled_on(data)), size=11)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _block(document: Any, block: Block, data: ReportData) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Image):
        document.add_picture(io.BytesIO(block.chart.png), width=Cm(CHART_WIDTH_CM))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        caption = document.add_paragraph(block.title, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        _source(document, block.source, centered=True)
    elif isinstance(block, Closing):
        _closing(document, block, data)


def _source(document: Any, text: str, *, centered: bool = False) -> None:
    paragraph = document.add_paragraph()
    if centered:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(8)


def _table(document: Any, block: Table) -> None:
    caption = document.add_paragraph(block.title, style="Caption")
    caption.paragraph_format.keep_with_next = True
    figures = figure_columns(block)
    widths = [Cm(CONTENT_WIDTH_CM * weight) for weight in column_weights(block)]
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _repeat_header(header)
    for cell, text, numeric, width in zip(
        header.cells, block.headers, figures, widths, strict=True
    ):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.style = TABLE_TEXT
        paragraph.add_run(text).bold = True
        _shade(cell)
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in block.rows:
        added = table.add_row()
        _keep_row_whole(added)
        for cell, value, width in zip(added.cells, row, widths, strict=True):
            # Word reads each cell's own width; LibreOffice the column grid set above.
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = TABLE_TEXT
            paragraph.add_run(value)
            if is_figure(value):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _source(document, block.source)


def _repeat_header(row: Any) -> None:
    """The header row repeats on every page a long table runs onto."""
    _row_flag(row, "w:tblHeader")
    _keep_row_whole(row)


def _keep_row_whole(row: Any) -> None:
    """A row moves to the next page whole instead of breaking in the middle of a cell."""
    _row_flag(row, "w:cantSplit")


def _row_flag(row: Any, tag: str) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _shade(cell: Any) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "E0EAF4")
    cell._tc.get_or_add_tcPr().append(shading)


def _closing(document: Any, block: Closing, data: ReportData) -> None:
    """Penutup and the signature block, kept together on one page."""
    document.add_heading(block.heading, level=1)
    for text in block.paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.keep_with_next = True
    above, below = signature_lines(data)
    lines = [*above, "", "", "", *below]
    for index, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.left_indent = Cm(8.5)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        if line and line == below[0]:
            paragraph.runs[0].bold = True
            paragraph.runs[0].underline = True

"""PDF rendering (reportlab platypus) with the same blocks and charts as the DOCX:
numbered captions, figures right-aligned, long tables split with a repeated header, and
"Halaman N dari M" on every page after the cover."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Image as PdfImage,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph as PdfParagraph,
    SimpleDocTemplate,
    Spacer,
    Table as PdfTable,
    TableStyle as PdfTableStyle,
)

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
from bot.reports.charts import HEIGHT_IN, WIDTH_IN, Chart
from bot.reports.data import ReportData
from bot.reports.layout import addressee, period_line, report_blocks, signature_lines

logger = logging.getLogger(__name__)

# DejaVu where the system has it, else Vera (shipped inside reportlab): both embed, so
# the PDF shows the same on every reader; Helvetica is the last resort.
_FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)
_FONT_LOCK = threading.Lock()
_fonts: tuple[str, str] | None = None
CONTENT_WIDTH = A4[0] - 5 * cm
# Tables up to this many rows stay whole on one page with their caption; longer ones
# split across pages (header repeated) instead of leaving most of a page blank.
KEEP_WHOLE_ROWS = 8
KEEP_WHOLE_CHARS = 500
LOGO_HEIGHT = 2.6 * cm
HEADING_ROOM = 6 * cm


def _register_fonts() -> tuple[str, str]:
    global _fonts  # noqa: PLW0603  (registered once per process)
    with _FONT_LOCK:
        if _fonts is None:
            _fonts = ("Helvetica", "Helvetica-Bold")
            for regular, bold in _FONT_CANDIDATES:
                if regular.exists() and bold.exists():
                    pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
                    pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
                    _fonts = ("ReportSans", "ReportSans-Bold")
                    break
        return _fonts


def _numbered_canvas(font: str) -> type[Canvas]:
    """A canvas that knows the page count: pages are kept until the end, then each gets
    "Halaman N dari M" (the cover, page 1, gets none)."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(font, 8)
                    self.drawCentredString(
                        A4[0] / 2,
                        1.2 * cm,
                        texts.REPORT_PAGE_OF.format(page=self._pageNumber, pages=total),
                    )
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(
    data: ReportData,
    charts: Sequence[Chart],
    *,
    compress: bool = True,
    blocks: Sequence[Block] | None = None,
    title: str = texts.REPORT_TITLE,
) -> bytes:
    """The report; ``blocks`` and ``title`` as in ``render_docx``."""
    regular, bold = _register_fonts()
    styles = _styles(regular, bold)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.2 * cm,
        title=f"{title} - {data.period.label}",
        author=data.agency_name,
        subject=texts.REPORT_DOC_SUBJECT,
        keywords=texts.REPORT_DOC_KEYWORDS,
        lang="id-ID",
        pageCompression=1 if compress else 0,
    )
    story: list[Any] = _cover(data, styles, title)
    for block in report_blocks(data, charts) if blocks is None else blocks:
        story.extend(_block(block, styles, data))
    document.build(story, canvasmaker=_numbered_canvas(regular))
    return buffer.getvalue()


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body",
        parent=base["BodyText"],
        fontName=regular,
        fontSize=10,
        leading=13.5,
        spaceAfter=5,
        alignment=TA_JUSTIFY,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, alignment=0, spaceAfter=0)
    return {
        "body": body,
        "cell": cell,
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=bold),
        "cell_bold_right": ParagraphStyle(
            "cell_bold_right", parent=cell, fontName=bold, alignment=TA_RIGHT
        ),
        "caption": ParagraphStyle(
            "caption", parent=body, fontName=bold, fontSize=9.5, spaceBefore=4, spaceAfter=3
        ),
        "figure_caption": ParagraphStyle(
            "figure_caption", parent=body, fontName=bold, fontSize=9.5, alignment=TA_CENTER
        ),
        "source": ParagraphStyle(
            "source", parent=body, fontSize=7.5, leading=9, textColor=colors.grey, spaceAfter=8
        ),
        "source_center": ParagraphStyle(
            "source_center",
            parent=body,
            fontSize=7.5,
            leading=9,
            textColor=colors.grey,
            alignment=TA_CENTER,
            spaceAfter=8,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=13,
            leading=16,
            spaceBefore=12,
            textColor=colors.Color(0.12, 0.23, 0.37),
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading3"],
            fontName=bold,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            keepWithNext=1,
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=18, leading=24, alignment=TA_CENTER
        ),
        "cover": ParagraphStyle(
            "cover", parent=body, fontName=bold, fontSize=13, leading=18, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, fontSize=11),
        "sign": ParagraphStyle(
            "sign", parent=body, leftIndent=8.5 * cm, spaceAfter=0, alignment=0
        ),
        "sign_name": ParagraphStyle(
            "sign_name", parent=body, fontName=bold, leftIndent=8.5 * cm, spaceAfter=0
        ),
    }


def _p(text: str, style: ParagraphStyle) -> PdfParagraph:
    return PdfParagraph(escape(text), style)


def _logo(path: str) -> PdfImage | None:
    if not path:
        return None
    logo = Path(path)
    if not logo.is_file():
        logger.warning("report logo %s not found; the cover has no logo", path)
        return None
    image = PdfImage(str(logo))
    ratio = image.imageWidth / image.imageHeight if image.imageHeight else 1
    return PdfImage(str(logo), width=LOGO_HEIGHT * ratio, height=LOGO_HEIGHT)


def _cover(data: ReportData, styles: dict[str, ParagraphStyle], title: str) -> list[Any]:
    logo = _logo(data.logo_path)
    top: list[Any] = (
        [Spacer(1, 2 * cm), logo, Spacer(1, 0.6 * cm)] if logo else [Spacer(1, 4 * cm)]
    )
    return [
        *top,
        _p(texts.REPORT_GOVERNMENT, styles["cover"]),
        _p(data.agency_name.upper(), styles["cover"]),
        Spacer(1, 2.5 * cm),
        _p(title, styles["title"]),
        Spacer(1, 0.4 * cm),
        _p(period_line(data), styles["cover"]),
        Spacer(1, 3 * cm),
        _p(texts.REPORT_LEGAL_BASIS, styles["center"]),
        Spacer(1, 0.4 * cm),
        _p(addressee(data), styles["center"]),
        Spacer(1, 2 * cm),
        _p(texts.REPORT_COMPILED_LINE.format(compiled_on(data)), styles["center"]),
        PageBreak(),
    ]


def _block(block: Block, styles: dict[str, ParagraphStyle], data: ReportData) -> list[Any]:
    if isinstance(block, Heading):
        # A heading needs room for a few lines after it; else it starts the next page.
        room = HEADING_ROOM if block.level == 1 else HEADING_ROOM / 2
        return [CondPageBreak(room), _p(block.text, styles["h1" if block.level == 1 else "h2"])]
    if isinstance(block, Paragraph):
        return [_p(block.text, styles["body"])]
    if isinstance(block, Bullets):
        items = [ListItem(_p(item, styles["body"]), leftIndent=12) for item in block.items]
        return [ListFlowable(items, bulletType="bullet", start="•", leftIndent=12)]
    if isinstance(block, Table):
        return _table_flowables(block, styles)
    if isinstance(block, Image):
        return [_figure(block, styles)]
    return [KeepTogether(_closing(block, styles, data))]


def _table_flowables(block: Table, styles: dict[str, ParagraphStyle]) -> list[Any]:
    caption = _p(block.title, styles["caption"])
    table = _table(block, styles)
    source = _p(block.source, styles["source"])
    chars = sum(len(cell) for row in block.rows for cell in row)
    if len(block.rows) <= KEEP_WHOLE_ROWS and chars <= KEEP_WHOLE_CHARS:
        return [KeepTogether([caption, table, source])]
    # Start a long table on this page when a few rows still fit; it splits from there.
    return [CondPageBreak(5 * cm), caption, table, source]


def _figure(block: Image, styles: dict[str, ParagraphStyle]) -> KeepTogether:
    width = CONTENT_WIDTH * 0.9
    image = PdfImage(io.BytesIO(block.chart.png), width=width, height=width * HEIGHT_IN / WIDTH_IN)
    return KeepTogether(
        [
            image,
            _p(block.title, styles["figure_caption"]),
            _p(block.source, styles["source_center"]),
        ]
    )


def _table(block: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    figures = figure_columns(block)
    rows = [
        [
            _p(h, styles["cell_bold_right" if numeric else "cell_bold"])
            for h, numeric in zip(block.headers, figures, strict=True)
        ]
    ]
    rows += [
        [_p(value, styles["cell_right" if is_figure(value) else "cell"]) for value in row]
        for row in block.rows
    ]
    widths = [CONTENT_WIDTH * weight for weight in column_weights(block)]
    table = PdfTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        PdfTableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.92, 0.96)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _closing(block: Closing, styles: dict[str, ParagraphStyle], data: ReportData) -> list[Any]:
    """Penutup and the signature block: one unit, so the signature never stands alone."""
    above, below = signature_lines(data)
    return [
        _p(block.heading, styles["h1"]),
        *[_p(text, styles["body"]) for text in block.paragraphs],
        Spacer(1, 0.8 * cm),
        *[_p(line, styles["sign"]) for line in above],
        Spacer(1, 2 * cm),
        _p(below[0], styles["sign_name"]),
        *[_p(line, styles["sign"]) for line in below[1:]],
    ]

"""PDF rendering (reportlab platypus) with the same blocks and charts as the DOCX."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image as PdfImage,
)
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import (
    Paragraph as PdfParagraph,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus import (
    TableStyle as PdfTableStyle,
)

from bot import texts
from bot.reports.charts import HEIGHT_IN, WIDTH_IN, Chart
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


def render_pdf(data: ReportData, charts: Sequence[Chart], *, compress: bool = True) -> bytes:
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
        title=f"{texts.REPORT_TITLE} - {data.period.label}",
        author=data.agency_name,
        pageCompression=1 if compress else 0,
    )
    story: list[Any] = _cover(data, styles)
    for block in report_blocks(data, charts):
        story.extend(_block(block, styles))
    story.extend(_signature(data, styles))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"{data.period.label} - {doc.page}")
        canvas.restoreState()

    document.build(story, onLaterPages=footer)
    return buffer.getvalue()


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName=regular, fontSize=10, leading=13, spaceAfter=4
    )
    return {
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=9),
        "h1": ParagraphStyle(
            "h1",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=13,
            leading=16,
            spaceBefore=10,
            keepWithNext=1,
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=18, leading=24, alignment=TA_CENTER
        ),
        "cover": ParagraphStyle(
            "cover", parent=body, fontName=bold, fontSize=13, leading=18, alignment=TA_CENTER
        ),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, fontSize=11),
        "sign": ParagraphStyle("sign", parent=body, leftIndent=9 * cm, spaceAfter=0),
    }


def _p(text: str, style: ParagraphStyle) -> PdfParagraph:
    return PdfParagraph(escape(text), style)


def _cover(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    return [
        Spacer(1, 4 * cm),
        _p(texts.REPORT_GOVERNMENT, styles["cover"]),
        _p(data.agency_name.upper(), styles["cover"]),
        Spacer(1, 1.5 * cm),
        _p(texts.REPORT_TITLE, styles["title"]),
        Spacer(1, 0.4 * cm),
        _p(texts.REPORT_PERIOD_LINE.format(data.period.label), styles["cover"]),
        Spacer(1, 2 * cm),
        _p(texts.REPORT_LEGAL_BASIS, styles["center"]),
        Spacer(1, 0.4 * cm),
        _p(texts.REPORT_ADDRESSEE, styles["center"]),
        Spacer(1, 2 * cm),
        _p(texts.REPORT_COMPILED_LINE.format(compiled_on(data)), styles["center"]),
        PageBreak(),
    ]


def _block(block: Block, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if isinstance(block, Heading):
        return [_p(block.text, styles["h1"])]
    if isinstance(block, Paragraph):
        # A lead-in ("...:") stays on the page of the table or list it introduces.
        style = styles["lead"] if block.text.endswith(":") else styles["body"]
        return [_p(block.text, style)]
    if isinstance(block, Bullets):
        items = [ListItem(_p(item, styles["body"]), leftIndent=12) for item in block.items]
        return [ListFlowable(items, bulletType="bullet", start="•", leftIndent=12)]
    if isinstance(block, Table):
        return [_table(block, styles), Spacer(1, 0.3 * cm)]
    if isinstance(block, Image):
        width = CONTENT_WIDTH * 0.9
        image = PdfImage(
            io.BytesIO(block.chart.png), width=width, height=width * HEIGHT_IN / WIDTH_IN
        )
        return [image, Spacer(1, 0.3 * cm)]
    return []


def _table(block: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    columns = len(block.headers)
    # Label-value tables give the label more room; count tables keep numbers narrow.
    if columns == 2:
        widths = [CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38]
    else:
        first = CONTENT_WIDTH * 0.5
        widths = [first] + [(CONTENT_WIDTH - first) / (columns - 1)] * (columns - 1)
    rows = [[_p(h, styles["cell_bold"]) for h in block.headers]]
    rows += [[_p(value, styles["cell"]) for value in row] for row in block.rows]
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


def _signature(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    lines = [
        _p(texts.REPORT_SIGN_PLACE_DATE.format(compiled_on(data)), styles["sign"]),
        _p(texts.REPORT_SIGN_POSITION.format(data.agency_name), styles["sign"]),
        Spacer(1, 2 * cm),
        _p(texts.REPORT_SIGN_NAME_LINE, styles["sign"]),
        _p(texts.REPORT_SIGN_NIP, styles["sign"]),
    ]
    return [Spacer(1, 1 * cm), KeepTogether(lines)]

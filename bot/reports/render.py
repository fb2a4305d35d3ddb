"""``render_report``: one ReportData to DOCX, PDF, Markdown or JSON bytes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from bot import texts
from bot.reports.blocks import Bullets, Closing, Heading, Image, Paragraph, Table, compiled_on
from bot.reports.charts import Chart, build_charts, charts_without_images
from bot.reports.data import ReportData
from bot.reports.layout import addressee, period_line, report_blocks, signature_lines
from bot.reports.render_docx import render_docx
from bot.reports.render_pdf import render_pdf

ReportFormat = Literal["docx", "pdf", "md", "json"]
FORMATS: tuple[ReportFormat, ...] = ("docx", "pdf", "md", "json")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def render_report(
    data: ReportData, fmt: ReportFormat, *, charts: Sequence[Chart] | None = None
) -> bytes:
    """Render the report. Pass ``charts`` (from ``build_charts``) to reuse them when
    rendering several formats of the same report."""
    if fmt == "json":
        return render_json(data)
    if fmt == "md":
        return render_markdown(data)
    chart_list = list(charts) if charts is not None else build_charts(data)
    if fmt == "docx":
        return render_docx(data, chart_list)
    if fmt == "pdf":
        return render_pdf(data, chart_list)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_json(data: ReportData) -> bytes:
    return json.dumps(data.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def render_markdown(data: ReportData) -> bytes:
    """Markdown without images (charts are in DOCX/PDF; every figure is in the tables)."""
    lines = [
        f"# {texts.REPORT_TITLE}",
        "",
        f"**{data.agency_name}**",
        "",
        period_line(data),
        "",
        texts.REPORT_LEGAL_BASIS,
        "",
        addressee(data),
        "",
        texts.REPORT_COMPILED_LINE.format(compiled_on(data)),
        "",
    ]
    for block in report_blocks(data, charts_without_images()):
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {block.text}", ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            lines += [f"**{block.title}**", ""]
            lines.append("| " + " | ".join(_cell(h) for h in block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in block.rows]
            lines += ["", f"*{block.source}*", ""]
        elif isinstance(block, Image):
            lines += [texts.REPORT_MD_FIGURE.format(title=block.title), ""]
        elif isinstance(block, Closing):
            lines += [f"## {block.heading}", ""]
            for paragraph in block.paragraphs:
                lines += [paragraph, ""]
    above, below = signature_lines(data)
    lines += ["", *[f"{line}  " for line in above], "", "", *[f"{line}  " for line in below]]
    return "\n".join(lines).encode("utf-8")


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")

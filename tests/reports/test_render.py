"""Every format renders, carries every heading A-H and every figure, and no identity."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.reports import (
    ReportData,
    ReportFormat,
    build_charts,
    compile_report,
    parse_period,
    render_report,
)
from bot.reports.charts import bar_chart
from bot.reports.data import SCHEMA_VERSION
from bot.reports.summary import summary_message
from storage.db import create_session_maker
from tests.reports.conftest import (
    CITIZEN_NAME,
    CITIZEN_TG_ID,
    CITIZEN_USERNAME,
    NOW,
    TITLES,
    TOPICS,
    make_settings,
)


async def _data(engine: AsyncEngine) -> ReportData:
    async with create_session_maker(engine)() as session:
        return await compile_report(
            session,
            settings=make_settings(),
            period=parse_period("2026", date(2027, 1, 5)),
            agency_id=1,
            topics=TOPICS,
            titles=TITLES,
            now=NOW,
        )


@pytest.fixture
async def data(record: AsyncEngine) -> ReportData:
    return await _data(record)


@pytest.fixture
async def record_data_settings(record: AsyncEngine, tmp_path: Path) -> ReportData:
    logo = tmp_path / "logo.png"
    logo.write_bytes(build_charts_png())
    settings = make_settings(
        report_signer_name="Dr. Andi Baso, S.Kom., M.Si.",
        report_signer_nip="19750101 200001 1 001",
        report_signer_rank="Pembina (IV/a)",
        sop_decree_number="Keputusan Kepala Dinas Nomor 7 Tahun 2024",
        report_logo_path=str(logo),
    )
    async with create_session_maker(record)() as session:
        return await compile_report(
            session,
            settings=settings,
            period=parse_period("2026", date(2027, 1, 5)),
            agency_id=1,
            now=NOW,
        )


def build_charts_png() -> bytes:
    """A small PNG to stand in for an agency logo."""
    return bar_chart(["a"], [1])


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Line breaks inside long headings become spaces for the comparison.
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_docx_has_cover_headings_tables_charts_signature(data: ReportData) -> None:
    content = render_report(data, "docx")
    text = _docx_text(content)
    for heading in texts.REPORT_SECTION_HEADINGS:
        assert heading in text
    assert texts.REPORT_TITLE in text
    assert "Tahun 2026" in text
    assert "Pasal 15" in text
    assert "Bupati Bone melalui Dinas" in text
    assert texts.REPORT_INTRO_HEADING in text
    assert texts.REPORT_CLOSING_HEADING in text
    assert "Watampone, 5 Januari 2027" in text
    assert texts.REPORT_SIGN_NIP in text
    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 4  # the four charts
    assert len(document.tables) > 10


def test_pdf_has_every_heading(data: ReportData) -> None:
    content = render_report(data, "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for heading in texts.REPORT_SECTION_HEADINGS:
        assert _flat(heading) in text
    assert texts.REPORT_TITLE in text
    assert "Watampone, 5 Januari 2027" in text


def test_markdown_has_every_heading(data: ReportData) -> None:
    text = render_report(data, "md").decode("utf-8")
    for heading in texts.REPORT_SECTION_HEADINGS:
        assert f"## {heading}" in text
    assert "| Pertanyaan | 4 |" in text


def test_json_holds_every_figure(data: ReportData) -> None:
    loaded = json.loads(render_report(data, "json"))
    assert loaded["schema_version"] == SCHEMA_VERSION
    assert loaded["period"] == {"start": "2026-01-01", "end": "2026-12-31", "label": "Tahun 2026"}
    assert loaded == json.loads(json.dumps(data.to_dict()))
    assert loaded["summary"]["median_first_response_minutes"] == 30.0
    assert loaded["audience"]["citizens_served"] == 2
    assert loaded["content"]["faq_gaps"] == 2
    assert loaded["comments"]["by_post"][0]["comments"] == 2
    assert loaded["sharing"]["telegram_shares"] == 7
    assert loaded["forwarding"]["citizen_forwarded_messages"] == 1
    assert loaded["constraints"]["after_hours_tickets"] == 4
    assert loaded["recommendations"]["plans"][-1]["action"] == "Tambah admin piket"
    assert len(loaded["series"]["months"]) == 12


def test_no_identity_in_any_output(data: ReportData) -> None:
    charts = build_charts(data)
    outputs = {
        "docx": _docx_text(render_report(data, "docx", charts=charts)),
        "pdf": _pdf_text(render_report(data, "pdf", charts=charts)),
        "md": render_report(data, "md").decode("utf-8"),
        "json": render_report(data, "json").decode("utf-8"),
        "summary": summary_message(data),
    }
    for fmt, text in outputs.items():
        for secret in (
            CITIZEN_NAME,
            CITIZEN_USERNAME,
            str(CITIZEN_TG_ID),
            "7308123456789012",
            "zul@example.com",
            "0812-3456-7890",
            "081298765432",
        ):
            assert secret not in text, (fmt, secret)


async def test_zero_data_renders_every_format(engine: AsyncEngine) -> None:
    data = await _data(engine)
    charts = build_charts(data)
    assert all(chart.png.startswith(b"\x89PNG") for chart in charts)
    for fmt in ("docx", "pdf", "md", "json"):
        assert render_report(data, fmt, charts=charts)
    assert texts.REPORT_TEXT_TELEGRAM_SHARES_NONE in render_report(data, "md").decode()


def test_summary_message(data: ReportData) -> None:
    text = summary_message(data)
    assert "Tiket masuk: 8" in text
    assert "30,0 menit" in text
    assert "90,0 menit" in text
    assert "80,0%" in text


def test_unknown_format(data: ReportData) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(data, "xlsx")  # type: ignore[arg-type]


def _numbered(text: str, word: str) -> list[int]:
    return [int(n) for n in re.findall(rf"{word} (\d+)\. ", text)]


def test_docx_is_an_indonesian_document(data: ReportData) -> None:
    document = Document(io.BytesIO(render_report(data, "docx")))
    properties = document.core_properties
    assert properties.author == "Dinas Uji Kabupaten Bone"
    assert properties.language == "id-ID"
    assert "Tahun 2026" in properties.title
    styles = document.styles.element.xml
    assert 'w:lang w:val="id-ID"' in styles
    assert "en-US" not in styles
    used = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "Caption"} <= used
    captions = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"
    ]
    tables = [c for c in captions if c.startswith("Tabel ")]
    figures = [c for c in captions if c.startswith("Gambar ")]
    assert _numbered("\n".join(tables) + "\n", "Tabel") == list(range(1, len(tables) + 1))
    assert len(figures) == 4
    assert figures[0].startswith("Gambar 1. ")
    assert len(document.tables) == len(tables)
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    assert "Halaman" in footer
    for table in document.tables:
        header = table.rows[0]._tr.xml
        assert "w:tblHeader" in header
    summary = document.tables[0]
    value = summary.rows[1].cells[1].paragraphs[0]
    assert value.text == "8"
    assert value.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The signature follows Penutup and is kept with it.
    texts_in_order = [p.text for p in document.paragraphs]
    closing = texts_in_order.index(texts.REPORT_CLOSING_HEADING)
    assert texts.REPORT_SIGN_NIP in texts_in_order[closing:]
    assert all(p.paragraph_format.keep_with_next for p in document.paragraphs[closing + 1 : -1])


def test_pdf_pages_numbered_and_signature_with_closing(data: ReportData) -> None:
    reader = PdfReader(io.BytesIO(render_report(data, "pdf")))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    total = len(pages)
    assert "Halaman" not in pages[0]  # the cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"Halaman {number} dari {total}" in text
    last = pages[-1]
    assert texts.REPORT_CLOSING_HEADING in last
    assert texts.REPORT_SIGN_NIP in last
    joined = " ".join(pages)
    assert _numbered(joined, "Tabel")[:3] == [1, 2, 3]
    assert "Gambar 4." in joined
    assert texts.REPORT_SOURCE_RECORD in joined


def test_signer_and_logo_from_settings(record_data_settings: ReportData, tmp_path: Path) -> None:
    data = record_data_settings
    formats: tuple[ReportFormat, ...] = ("md", "docx", "pdf")
    for fmt in formats:
        content = render_report(data, fmt)
        text = (
            content.decode()
            if fmt == "md"
            else _docx_text(content)
            if fmt == "docx"
            else _pdf_text(content)
        )
        assert "Dr. Andi Baso, S.Kom., M.Si." in text, fmt
        assert "NIP. 19750101 200001 1 001" in text, fmt
        assert "Pembina (IV/a)" in text, fmt
        assert "Keputusan Kepala Dinas Nomor 7 Tahun 2024" in text, fmt
    document = Document(io.BytesIO(render_report(data, "docx")))
    assert len(document.inline_shapes) == 5  # the logo and the four charts


def test_markdown_numbers_tables_with_sources(data: ReportData) -> None:
    text = render_report(data, "md").decode("utf-8")
    assert "**Tabel 1. " in text
    assert texts.REPORT_SOURCE_RECORD in text
    assert "Gambar 1. " in text

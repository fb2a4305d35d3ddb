from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.enums import Direction, TicketKind, TicketState
from bot.privacy import KnownNames, mask_personal_data
from bot.reports import build_charts, compile_report, parse_period, render_report
from storage.db import create_session_maker
from storage.models import Message, ReportNote, Ticket
from tests.reports.conftest import (
    CITIZEN_NAME,
    CITIZEN_USERNAME,
    NOW,
    TITLES,
    TOPICS,
    make_settings,
    wita,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK 7308123456789012 ya", "NIK [NIK disamarkan] ya"),
        ("NIK 7308 1234 5678 9012", "NIK [NIK disamarkan]"),
        ("hp 081234567890", "hp [nomor telepon disamarkan]"),
        ("hp 0812-3456-7890.", "hp [nomor telepon disamarkan]."),
        ("wa +62 812 3456 7890", "wa [nomor telepon disamarkan]"),
        ("wa 6281234567890", "wa [nomor telepon disamarkan]"),
        ("kantor (0481) 21234", "kantor [nomor telepon disamarkan]"),
        ("mail a.b+c@desa.go.id!", "mail [email disamarkan]!"),
        ("tanya @budi_santoso dong", "tanya [akun disamarkan] dong"),
        ("id 5123456789", "id [nomor disamarkan]"),
        ("ada 3 orang, RT 04 RW 02, tahun 2026", "ada 3 orang, RT 04 RW 02, tahun 2026"),
        ("Rp 1.500.000 per bulan", "Rp 1.500.000 per bulan"),
    ],
)
def test_masks(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK 730812 345678 9012", "NIK [NIK disamarkan]"),
        ("NIK 7308.1234.5678.9012.", "NIK [NIK disamarkan]."),
        ("KK 7308-1234-5678-0001", "KK [NIK disamarkan]"),
        ("NPWP 12.345.678.9-012.345", "NPWP [NPWP disamarkan]"),
        ("hp 08 12 34 56 78 90", "hp [nomor telepon disamarkan]"),
        ("cek t.me/zul_unik ya", "cek [akun disamarkan] ya"),
        ("akun saya budi_santoso99", "akun saya [akun disamarkan]"),
        (
            "Ini Andi, nomor saya 081234567890",
            "Ini [nama disamarkan], nomor saya [nomor telepon disamarkan]",
        ),
        ("nama saya Andi Baso dari Tanete", "nama saya [nama disamarkan] dari Tanete"),
        ("hari ini Senin, kantor buka?", "hari ini Senin, kantor buka?"),
        ("Rp 1.500.000.000 untuk desa", "Rp 1.500.000.000 untuk desa"),
        ("jam 07.30-16.00 tanggal 2026-01-05", "jam 07.30-16.00 tanggal 2026-01-05"),
    ],
)
def test_masks_grouped_numbers_links_and_introductions(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


def test_masks_known_names_and_usernames_anywhere() -> None:
    names = KnownNames.from_people(
        [("Zulkarnain Tanpanamasiapa", "zul_unik_4242"), ("Indah", None)]
    )
    text = "Tolong sampaikan ke Zulkarnain, akun zul_unik_4242. Pemandangan indah. Salam Indah"
    assert mask_personal_data(text, names) == (
        "Tolong sampaikan ke [nama disamarkan], akun [akun disamarkan]. Pemandangan indah. "
        "Salam [nama disamarkan]"
    )
    assert mask_personal_data(
        "Tambah admin piket", KnownNames.from_people([("Admin 1", None)])
    ) == ("Tambah admin piket")


@pytest.fixture
async def self_named_record(record: AsyncEngine) -> AsyncEngine:
    """The citizen writes their own name, username, phone and a 6-6-4 NIK into a question,
    a comment, an admin's notes and the "forwarded to" field."""
    own = (
        f"Ini {CITIZEN_NAME.split()[0]}, akun {CITIZEN_USERNAME}, hp 0812 3456 7890, "
        "NIK 730812 345678 9012. Kapan bantuan lansia cair?"
    )
    async with create_session_maker(record)() as session:
        session.add_all(
            [
                Ticket(
                    id=11,
                    agency_id=1,
                    citizen_id=1,
                    chat_id=1,
                    kind=TicketKind.PERTANYAAN,
                    state=TicketState.OPEN,
                    created_at=wita(2026, 7, 6, 9),
                    last_citizen_message_at=wita(2026, 7, 6, 9),
                    suggestions="[]",
                    suggestion_confident=False,
                    forwarded_to=f"Dinas Sosial (u.p. {CITIZEN_NAME}, 081234567890)",
                ),
                Ticket(
                    id=12,
                    agency_id=1,
                    citizen_id=1,
                    chat_id=1,
                    kind=TicketKind.KOMENTAR,
                    state=TicketState.OPEN,
                    channel_post_id=1,
                    created_at=wita(2026, 7, 7, 9),
                    last_citizen_message_at=wita(2026, 7, 7, 9),
                    suggestions="[]",
                    suggestion_confident=False,
                ),
            ]
        )
        await session.flush()
        session.add_all(
            [
                Message(
                    agency_id=1,
                    direction=Direction.IN,
                    chat_id=1,
                    user_id=1,
                    ticket_id=11,
                    text=own,
                    created_at=wita(2026, 7, 6, 9),
                ),
                Message(
                    agency_id=1,
                    direction=Direction.IN,
                    chat_id=1,
                    user_id=1,
                    ticket_id=12,
                    text=f"Terima kasih, saya {CITIZEN_NAME} dari Tanete. t.me/{CITIZEN_USERNAME}",
                    created_at=wita(2026, 7, 7, 9),
                ),
                ReportNote(
                    agency_id=1,
                    kind="kendala",
                    text=f"Warga {CITIZEN_NAME} ({CITIZEN_USERNAME}) menelepon 08 12 34 56 78 90",
                    created_at=wita(2026, 7, 8, 10),
                ),
                ReportNote(
                    agency_id=1,
                    kind="rekomendasi",
                    text=f"Hubungi kembali {CITIZEN_NAME.split()[1]}, NIK 730812.345678.9012",
                    created_at=wita(2026, 7, 8, 11),
                ),
            ]
        )
        await session.commit()
    return record


async def test_no_citizen_identity_in_any_format(self_named_record: AsyncEngine) -> None:
    async with create_session_maker(self_named_record)() as session:
        data = await compile_report(
            session,
            settings=make_settings(),
            period=parse_period("2026", date(2027, 1, 5)),
            agency_id=1,
            topics=TOPICS,
            titles=TITLES,
            now=NOW,
        )
    charts = build_charts(data)
    docx = Document(io.BytesIO(render_report(data, "docx", charts=charts)))
    docx_text = "\n".join(
        [p.text for p in docx.paragraphs]
        + [c.text for t in docx.tables for r in t.rows for c in r.cells]
    )
    pdf = PdfReader(io.BytesIO(render_report(data, "pdf", charts=charts)))
    outputs = {
        "docx": docx_text,
        "pdf": " ".join(page.extract_text() or "" for page in pdf.pages),
        "md": render_report(data, "md").decode("utf-8"),
        "json": render_report(data, "json").decode("utf-8"),
    }
    first, last = CITIZEN_NAME.split()
    secrets = (first, last, CITIZEN_USERNAME, "3456 7890", "730812", "345678", "81234567890")
    for fmt, text in outputs.items():
        flat = " ".join(text.split())
        for secret in secrets:
            assert secret not in flat, (fmt, secret)
        # What the citizen asked, and that something was masked, is still readable.
        assert "Kapan bantuan lansia cair?" in flat, (
            fmt,
            flat[flat.find("Contoh pertanyaan") :][:900],
        )
        assert "[nama disamarkan]" in flat, fmt
        assert "[NIK disamarkan]" in flat, fmt
        assert "Dinas Sosial" in flat, fmt

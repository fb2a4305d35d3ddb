"""Fresh database per test: SQLite in tmp_path, or PostgreSQL (own schema) when
TEST_POSTGRES_URL is set. A small hand-built record with known answers."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel

from bot.config import Settings
from bot.domain.enums import CloseReason, Direction, Role, TicketKind, TicketState
from storage.db import create_engine, create_session_maker, normalize_database_url
from storage.models import (
    Agency,
    ChannelMemberSnapshot,
    ChannelPost,
    Message,
    PlatformMetric,
    ReportNote,
    Ticket,
    User,
)

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
CITIZEN_NAME = "Zulkarnain Tanpanamasiapa"
CITIZEN_USERNAME = "zul_unik_4242"
CITIZEN_TG_ID = 987654321
TOPICS = {"faq-ktp": ("kependudukan",), "faq-akta": ("kependudukan", "akta")}
TITLES = {"faq-ktp": "Bagaimana cara mengurus KTP elektronik?"}


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "first_response_minutes": 60,
        "agency_code": "uji",
        "agency_name": "Dinas Uji Kabupaten Bone",
        "official_accounts": "@bone_uji,facebook.com/boneuji",
        "channel_id": -100123,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    pg_url = os.environ.get("TEST_POSTGRES_URL")
    if pg_url:
        schema = f"reports_{uuid.uuid4().hex[:12]}"
        admin = create_engine(pg_url)
        async with admin.begin() as conn:
            await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        db = create_async_engine(
            normalize_database_url(pg_url),
            connect_args={"server_settings": {"search_path": schema}},
        )
    else:
        db = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'report.db'}")
    async with db.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    try:
        yield db
    finally:
        await db.dispose()
        if pg_url:
            async with admin.begin() as conn:
                await conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()


def _ticket(
    tid: int,
    citizen: int,
    kind: str,
    created: datetime,
    *,
    state: str = "answered",
    seconds: int | None = None,
    kb: str | None = None,
    confident: bool = True,
    suggestion: str = "faq-ktp",
    reason: str | None = None,
    post: int | None = None,
    forwarded: str | None = None,
    agency: int = 1,
) -> Ticket:
    if state == "answered" and reason is None:
        reason = "dijawab"
    return Ticket(
        id=tid,
        agency_id=agency,
        citizen_id=citizen,
        chat_id=citizen,
        kind=TicketKind(kind),
        state=TicketState(state),
        channel_post_id=post,
        created_at=created,
        last_citizen_message_at=created,
        response_working_seconds=seconds,
        response_seconds=seconds,
        close_reason=CloseReason(reason) if reason else None,
        answer_kb_id=kb,
        answer_source="suggestion" if kb else ("manual" if state == "answered" else None),
        suggestions=json.dumps([{"id": suggestion, "score": 0.9 if confident else 0.2}]),
        suggestion_confident=confident,
        forwarded_to=forwarded,
    )


def _msg(
    ticket: int | None,
    direction: str,
    at: datetime,
    *,
    text: str | None = None,
    user: int | None = None,
    purpose: str | None = None,
    forwarded: bool = False,
    agency: int = 1,
) -> Message:
    return Message(
        agency_id=agency,
        direction=Direction(direction),
        chat_id=user or 1,
        user_id=user if direction == "in" else None,
        ticket_id=ticket,
        text=text,
        purpose=purpose,
        is_forwarded=forwarded,
        created_at=at,
    )


@pytest.fixture
async def record(engine: AsyncEngine) -> AsyncEngine:
    """The known record (see the expected figures in test_compile.py)."""
    rows: list[SQLModel] = [
        Agency(id=1, code="uji", name="Dinas Uji Kabupaten Bone"),
        Agency(id=2, code="lain", name="Dinas Lain"),
        User(
            id=1,
            telegram_id=CITIZEN_TG_ID,
            first_name=CITIZEN_NAME,
            username=CITIZEN_USERNAME,
            created_at=datetime(2025, 6, 1, tzinfo=UTC),
        ),
        User(id=2, telegram_id=222, first_name="Budi", created_at=wita(2026, 3, 1, 8)),
        User(id=3, telegram_id=333, first_name="Citra", created_at=wita(2026, 4, 1, 8)),
        User(id=4, telegram_id=444, first_name="Admin", role=Role.ADMIN),
        ChannelPost(
            id=1,
            agency_id=1,
            channel_id=-100123,
            channel_message_id=1,
            text="Pendaftaran KTP keliling dibuka di Kecamatan Tanete Riattang",
            posted_at=wita(2026, 4, 1, 9),
            category="kegiatan",
        ),
        ChannelPost(
            id=2,
            agency_id=1,
            channel_id=-100123,
            channel_message_id=2,
            text="Info vaksin",
            posted_at=wita(2026, 6, 1, 9),
        ),
        ChannelPost(
            id=3,
            agency_id=1,
            channel_id=-100123,
            channel_message_id=3,
            text="Lama",
            posted_at=wita(2025, 12, 1, 9),
        ),
    ]
    tickets = [
        _ticket(1, 1, "pertanyaan", wita(2026, 3, 2, 9), seconds=600, kb="faq-ktp"),
        _ticket(2, 2, "pertanyaan", wita(2026, 3, 3, 20), seconds=5400, suggestion="faq-akta"),
        _ticket(
            3,
            2,
            "pengaduan",
            wita(2026, 4, 6, 10),
            seconds=1800,
            confident=False,
            forwarded="Dinas Kesehatan",
        ),
        _ticket(4, 1, "komentar", wita(2026, 4, 7, 11), seconds=1200, kb="faq-ktp", post=1),
        _ticket(5, 1, "komentar", wita(2026, 4, 8, 21), state="open", confident=False, post=1),
        _ticket(
            6,
            2,
            "aspirasi",
            wita(2026, 5, 4, 9, 30),
            state="ignored",
            confident=False,
            reason="spam",
        ),
        _ticket(7, 1, "pertanyaan", wita(2026, 12, 20, 10), state="open", confident=False),
        _ticket(8, 1, "pertanyaan", wita(2026, 1, 1, 0, 30), seconds=3600, kb="faq-ktp"),
        # Outside the period (a minute before 2026 in WITA) and of another agency.
        _ticket(9, 3, "pertanyaan", wita(2025, 12, 31, 23, 59), seconds=60, kb="faq-ktp"),
        _ticket(10, 3, "pertanyaan", wita(2026, 5, 5, 9), seconds=60, kb="faq-ktp", agency=2),
    ]
    messages = [
        _msg(1, "in", wita(2026, 3, 2, 9), text="Bagaimana cara urus KTP?", user=1),
        _msg(1, "in", wita(2026, 3, 2, 9, 5), text="Untuk anak saya", user=1),
        _msg(2, "in", wita(2026, 3, 3, 20), text="Syarat akta kelahiran?", user=2),
        _msg(
            3,
            "in",
            wita(2026, 4, 6, 10),
            text="Puskesmas tutup, telp 0812-3456-7890",
            user=2,
            forwarded=True,
        ),
        _msg(4, "in", wita(2026, 4, 7, 11), text="Mantap infonya", user=1),
        _msg(
            5,
            "in",
            wita(2026, 4, 8, 21),
            text=f"Info bagus @{CITIZEN_USERNAME}, balas ke zul@example.com",
            user=1,
        ),
        _msg(6, "in", wita(2026, 5, 4, 9, 30), text="promo pinjol", user=2),
        _msg(
            7, "in", wita(2026, 12, 20, 10), text="NIK saya 7308123456789012 belum aktif", user=1
        ),
        _msg(8, "in", wita(2026, 1, 1, 0, 30), text="Selamat tahun baru, tanya KTP", user=1),
        _msg(9, "in", wita(2025, 12, 31, 23, 59), text="lama", user=3),
        _msg(10, "in", wita(2026, 5, 5, 9), text="lain", user=3, agency=2),
        _msg(1, "out", wita(2026, 3, 2, 9, 1), purpose="ack"),
        _msg(2, "out", wita(2026, 3, 3, 20, 1), purpose="ack"),
        _msg(1, "out", wita(2026, 3, 2, 9, 10), purpose="answer", text="Jawaban"),
        _msg(2, "out", wita(2026, 3, 4, 9), purpose="answer", text="Jawaban"),
        _msg(3, "out", wita(2026, 4, 6, 10, 30), purpose="answer", text="Jawaban"),
        _msg(4, "out", wita(2026, 4, 7, 11, 20), purpose="answer", text="Jawaban"),
        _msg(8, "out", wita(2026, 1, 2, 8, 30), purpose="answer", text="Jawaban"),
        _msg(None, "out", wita(2026, 6, 1, 7), purpose="digest"),
        _msg(None, "out", wita(2026, 6, 2, 7), purpose=None),
        _msg(9, "out", wita(2025, 12, 31, 23, 59), purpose="answer"),
    ]
    extras: list[SQLModel] = [
        ChannelMemberSnapshot(
            agency_id=1, channel_id=-100123, day=date(2025, 12, 31), member_count=95
        ),
        ChannelMemberSnapshot(
            agency_id=1, channel_id=-100123, day=date(2026, 1, 1), member_count=100
        ),
        ChannelMemberSnapshot(
            agency_id=1, channel_id=-100123, day=date(2026, 1, 31), member_count=110
        ),
        ChannelMemberSnapshot(
            agency_id=1, channel_id=-100123, day=date(2026, 2, 15), member_count=90
        ),
        ChannelMemberSnapshot(
            agency_id=1, channel_id=-100123, day=date(2026, 12, 31), member_count=150
        ),
        PlatformMetric(
            agency_id=1,
            platform="instagram",
            month="2026-01",
            followers=1000,
            posts=10,
            comments=5,
            shares=3,
        ),
        PlatformMetric(
            agency_id=1,
            platform="instagram",
            month="2026-02",
            followers=1100,
            posts=None,
            comments=None,
            shares=4,
        ),
        PlatformMetric(agency_id=1, platform="telegram", month="2026-03", shares=7),
        PlatformMetric(agency_id=1, platform="facebook", month="2025-12", followers=5),
        ReportNote(
            agency_id=1,
            kind="kendala",
            text="Listrik padam, hubungi 081298765432",
            created_at=wita(2026, 5, 1, 10),
        ),
        ReportNote(
            agency_id=1,
            kind="rekomendasi",
            text="Tambah admin piket",
            created_at=wita(2026, 6, 1, 10),
        ),
        ReportNote(
            agency_id=1, kind="kendala", text="Catatan lama", created_at=wita(2025, 11, 1, 10)
        ),
    ]
    async with create_session_maker(engine)() as session:
        session.add_all(rows)
        await session.flush()
        session.add_all(tickets)
        await session.flush()
        session.add_all([*messages, *extras])
        await session.commit()
    return engine

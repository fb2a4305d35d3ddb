"""Synthetic year of help-desk records, for demos, report previews and the benchmark.

Rows are generated as plain dicts and written with Core ``insert`` executemany in large
batches: building ORM objects one by one would take minutes for a million messages.
Every figure the report shows has something behind it: working-hour peaks, after-hours
tickets, FAQ gaps, comments on channel posts, forwards to other Perangkat Daerah, daily
member counts, imported platform metrics and admin notes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from bot.config import SettingsError, load_settings
from bot.domain.enums import OutboxPurpose
from bot.knowledge.loader import load_files
from bot.knowledge.store import bundled_kb_paths
from storage.db import create_engine
from storage.migrate import upgrade_database
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

logger = logging.getLogger(__name__)

BATCH = 20_000
WITA = ZoneInfo("Asia/Makassar")


@lru_cache(maxsize=1)
def seed_entry_ids() -> tuple[str, ...]:
    """Curated entries of the bundled knowledge base, so topics and titles look real."""
    entries = load_files(bundled_kb_paths()).entries
    return tuple(entry.id for entry in entries if not entry.is_passage)


OPD = [
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Sosial",
    "Badan Pendapatan Daerah",
]
KINDS = (
    ("pertanyaan", 0.50),
    ("pengaduan", 0.15),
    ("aspirasi", 0.08),
    ("permintaan_informasi", 0.12),
    ("komentar", 0.15),
)
QUESTIONS = [
    "Bagaimana cara mengurus KTP elektronik yang hilang?",
    "Jam pelayanan Disdukcapil hari Sabtu buka atau tidak?",
    "Syarat pembuatan akta kelahiran apa saja?",
    "Jalan di desa kami rusak parah, mohon diperbaiki. Hubungi saya di 0812-3456-7890",
    "Kapan pendaftaran sekolah dibuka tahun ini?",
    "Bagaimana cara membayar PBB secara online?",
    "NIK saya 7308123456789012 tidak terdaftar di BPJS, mohon dibantu",
    "Lampu jalan di Jl. Ahmad Yani mati sudah seminggu",
    "Info lowongan kerja pemerintah daerah?",
    "Mohon informasi jadwal vaksinasi di puskesmas terdekat",
    "Email saya warga.bone@example.com belum dapat balasan pengaduan",
    "Apakah ada bantuan sosial untuk lansia tahun ini?",
]
COMMENTS = [
    "Terima kasih infonya, sangat membantu.",
    "Semoga cepat terlaksana di kecamatan kami juga.",
    "Mohon disebarkan juga ke desa-desa.",
    "Kapan jadwal lengkapnya diumumkan? WA saya +62 813 1111 2222",
    "Mantap, lanjutkan!",
    "Informasinya kurang jelas, lokasinya di mana?",
]
PURPOSES_EXTRA = (OutboxPurpose.FOLLOWUP, OutboxPurpose.REMINDER, OutboxPurpose.DIGEST)


@dataclass(frozen=True, slots=True)
class SeedStats:
    agency_id: int
    users: int
    tickets: int
    messages: int
    posts: int
    seconds: float


def _table(model: type[SQLModel]) -> sa.Table:
    return cast(sa.Table, sa.inspect(model).local_table)


async def seed_year(
    engine: AsyncEngine,
    *,
    year: int,
    messages: int,
    tickets: int,
    posts: int,
    agency_code: str = "diskominfo-bone",
    agency_name: str = "Dinas Komunikasi, Informatika dan Persandian Kabupaten Bone",
    create_tables: bool = False,
    seed: int = 2019,
) -> SeedStats:
    """Insert a synthetic year; ``messages`` is at least 2 per ticket (question + ack)."""
    if tickets < 1 or posts < 1 or messages < 2 * tickets:
        raise ValueError("need at least 1 ticket, 1 post and 2 messages per ticket")
    started = time.perf_counter()
    rng = random.Random(seed)
    if create_tables:
        async with engine.begin() as conn:
            await conn.run_sync(SQLModel.metadata.create_all)
    async with engine.begin() as conn:
        agency_id = await _agency(conn, agency_code, agency_name)
        citizen_ids, admin_ids = await _users(conn, rng, year, max(tickets // 4, 1))
        post_rows = await _posts(conn, rng, agency_id, year, posts)
        ticket_rows = _ticket_rows(
            rng,
            agency_id=agency_id,
            year=year,
            count=tickets,
            citizen_ids=citizen_ids,
            admin_ids=admin_ids,
            posts=post_rows,
        )
        first_ticket_id = await _next_id(conn, _table(Ticket))
        await _insert(conn, _table(Ticket), ticket_rows)
        sent = await _messages(
            conn,
            rng,
            agency_id=agency_id,
            tickets=ticket_rows,
            first_ticket_id=first_ticket_id,
            total=messages,
        )
        await _extras(conn, rng, agency_id, year)
    stats = SeedStats(
        agency_id=agency_id,
        users=len(citizen_ids) + len(admin_ids),
        tickets=tickets,
        messages=sent,
        posts=posts,
        seconds=time.perf_counter() - started,
    )
    logger.info("seeded %s", stats)
    return stats


async def _agency(conn: AsyncConnection, code: str, name: str) -> int:
    table = _table(Agency)
    existing = (
        await conn.execute(sa.select(table.c.id).where(table.c.code == code))
    ).scalar_one_or_none()
    if existing is not None:
        return int(existing)
    await conn.execute(sa.insert(table).values(code=code, name=name, created_at=datetime.now(UTC)))
    created = await conn.execute(sa.select(table.c.id).where(table.c.code == code))
    return int(created.scalar_one())


async def _next_id(conn: AsyncConnection, table: sa.Table) -> int:
    current = (await conn.execute(sa.select(sa.func.max(table.c.id)))).scalar_one_or_none()
    return int(current or 0) + 1


async def _insert(conn: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.execute(sa.insert(table), list(rows[start : start + BATCH]))


async def _users(
    conn: AsyncConnection, rng: random.Random, year: int, citizens: int
) -> tuple[list[int], list[int]]:
    table = _table(User)
    first_id = await _next_id(conn, table)
    base_tg = 5_000_000_000 + first_id * 10
    year_start = datetime(year, 1, 1, tzinfo=WITA)
    rows = []
    for n in range(citizens + 5):
        admin = n < 5
        # About a third of the citizens were already known before the year started.
        known_before = rng.random() < 0.3
        offset = -rng.uniform(1, 700) if known_before else rng.uniform(0, 364)
        rows.append(
            {
                "telegram_id": base_tg + n,
                "first_name": f"Admin {n}" if admin else f"Warga {n}",
                "username": None,
                "role": "admin" if admin else "citizen",
                "created_at": year_start + timedelta(days=offset),
            }
        )
    await _insert(conn, table, rows)
    ids = list(range(first_id, first_id + len(rows)))
    return ids[5:], ids[:5]


def _random_moment(rng: random.Random, year: int) -> datetime:
    """A local moment weighted like real traffic: weekdays, office hours, evening tail."""
    while True:
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if day.weekday() >= 5 and rng.random() < 0.6:
            continue
        hour = rng.choices(
            range(24),
            weights=[
                1,
                1,
                1,
                1,
                1,
                2,
                4,
                8,
                12,
                14,
                14,
                12,
                8,
                10,
                12,
                10,
                8,
                7,
                6,
                7,
                7,
                5,
                3,
                2,
            ],
        )[0]
        moment = datetime(year, day.month, day.day, hour, tzinfo=WITA)
        return moment + timedelta(seconds=rng.randrange(3600))


async def _posts(
    conn: AsyncConnection, rng: random.Random, agency_id: int, year: int, count: int
) -> list[tuple[int, datetime]]:
    table = _table(ChannelPost)
    first_id = await _next_id(conn, table)
    channel_id = -1_001_234_567_890
    max_msg = (
        await conn.execute(
            sa.select(sa.func.max(table.c.channel_message_id)).where(
                table.c.channel_id == channel_id
            )
        )
    ).scalar_one_or_none()
    rows: list[dict[str, Any]] = []
    moments: list[datetime] = []
    for n in range(count):
        posted = _random_moment(rng, year)
        moments.append(posted)
        rows.append(
            {
                "agency_id": agency_id,
                "channel_id": channel_id,
                "channel_message_id": int(max_msg or 0) + n + 1,
                "discussion_message_id": None,
                "text": f"Pengumuman {n + 1}: {rng.choice(QUESTIONS[:3])} Simak informasinya.",
                "posted_at": posted,
            }
        )
    await _insert(conn, table, rows)
    return [(first_id + n, posted_at) for n, posted_at in enumerate(moments)]


def _ticket_rows(
    rng: random.Random,
    *,
    agency_id: int,
    year: int,
    count: int,
    citizen_ids: Sequence[int],
    admin_ids: Sequence[int],
    posts: Sequence[tuple[int, datetime]],
) -> list[dict[str, Any]]:
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    year_end = datetime(year + 1, 1, 1, tzinfo=WITA)
    entry_ids = seed_entry_ids()
    zipf = [1 / (rank + 1) for rank in range(len(entry_ids))]
    rows = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        post_id = None
        if kind == "komentar":
            post_id, posted = rng.choice(posts)
            created = min(posted + timedelta(minutes=rng.expovariate(1 / 180)), year_end)
            created -= timedelta(seconds=1) if created >= year_end else timedelta(0)
        else:
            created = _random_moment(rng, year)
        created = created.astimezone(UTC)
        confident = rng.random() < 0.7
        entry = rng.choices(entry_ids, zipf)[0]
        suggestions = json.dumps([{"id": entry, "score": round(rng.uniform(0.3, 0.95), 2)}])
        roll = rng.random()
        row: dict[str, Any] = {
            "agency_id": agency_id,
            "citizen_id": rng.choice(citizen_ids),
            "chat_id": 1,
            "kind": kind,
            "state": "open",
            "channel_post_id": post_id,
            "created_at": created,
            "last_citizen_message_at": created,
            "first_response_at": None,
            "response_seconds": None,
            "response_working_seconds": None,
            "answered_by_id": None,
            "closed_at": None,
            "close_reason": None,
            "answer_source": None,
            "answer_kb_id": None,
            "suggestions": suggestions,
            "suggestion_confident": confident,
            "forwarded_to": rng.choice(OPD) if rng.random() < 0.03 else None,
        }
        if roll < 0.85:
            working = int(rng.lognormvariate(7.3, 0.9))  # median about 25 minutes
            wall = working + (rng.choice((0, 0, 0, 15 * 3600, 63 * 3600)))
            source = rng.choice(("suggestion", "edited", "manual")) if confident else "manual"
            row.update(
                state="answered",
                first_response_at=created + timedelta(seconds=wall),
                response_seconds=wall,
                response_working_seconds=working,
                answered_by_id=rng.choice(admin_ids),
                closed_at=created + timedelta(seconds=wall),
                close_reason="dijawab",
                answer_source=source,
                answer_kb_id=entry if source != "manual" else None,
            )
        elif roll < 0.92:
            row.update(
                state="ignored",
                closed_at=created + timedelta(hours=2),
                close_reason=rng.choice(("spam", "duplikat", "bukan_wewenang")),
            )
        rows.append(row)
    # The live service inserts tickets as they arrive: ids follow created_at.
    rows.sort(key=lambda r: r["created_at"])
    return rows


async def _messages(
    conn: AsyncConnection,
    rng: random.Random,
    *,
    agency_id: int,
    tickets: Sequence[dict[str, Any]],
    first_ticket_id: int,
    total: int,
) -> int:
    """Question + ack per ticket, card + answer when answered, then extra follow-ups."""
    table = _table(Message)
    sent = 0

    def make(
        ticket: dict[str, Any],
        ticket_id: int,
        at: datetime,
        direction: str,
        *,
        text: str | None = None,
        purpose: str | None = None,
    ) -> dict[str, Any]:
        return _message(
            rng,
            agency_id=agency_id,
            direction=direction,
            ticket=ticket,
            ticket_id=ticket_id,
            at=at,
            text=text,
            purpose=purpose,
        )

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal sent
        for index, ticket in enumerate(tickets):
            ticket_id = first_ticket_id + index
            created = ticket["created_at"]
            pool = COMMENTS if ticket["kind"] == "komentar" else QUESTIONS
            yield make(ticket, ticket_id, created, "in", text=rng.choice(pool))
            yield make(ticket, ticket_id, created, "out", purpose=OutboxPurpose.ACK)
            sent += 2
            # Keep room for the question and ack of every ticket still to come.
            still_needed = 2 * (len(tickets) - index - 1)
            if ticket["first_response_at"] is not None and sent + 2 + still_needed <= total:
                yield make(ticket, ticket_id, created, "out", purpose=OutboxPurpose.CARD)
                answer_at = ticket["first_response_at"]
                yield make(ticket, ticket_id, answer_at, "out", purpose=OutboxPurpose.ANSWER)
                sent += 2
        while sent < total:
            index = rng.randrange(len(tickets))
            ticket = tickets[index]
            later = ticket["created_at"] + timedelta(minutes=rng.uniform(1, 600))
            if rng.random() < 0.6:
                yield make(ticket, first_ticket_id + index, later, "in", text="Ada info lanjut?")
            else:
                purpose = rng.choice(PURPOSES_EXTRA)
                yield make(ticket, first_ticket_id + index, later, "out", purpose=purpose)
            sent += 1

    # Like the live service, messages are stored in arrival order (ids follow created_at),
    # which is what makes reads in created_at order cheap.
    ordered = sorted(rows(), key=lambda r: r["created_at"])
    await _insert(conn, table, ordered)
    return sent


def _message(
    rng: random.Random,
    *,
    agency_id: int,
    direction: str,
    ticket: dict[str, Any],
    ticket_id: int,
    at: datetime,
    text: str | None,
    purpose: str | None,
) -> dict[str, Any]:
    citizen = direction == "in"
    return {
        "agency_id": agency_id,
        "direction": direction,
        "chat_id": ticket["chat_id"],
        "telegram_message_id": None,
        "user_id": ticket["citizen_id"] if citizen else None,
        "ticket_id": ticket_id,
        "update_id": None,
        "outbox_id": None,
        "content_type": "photo" if citizen and rng.random() < 0.05 else "text",
        "text": text,
        "file_id": None,
        "is_forwarded": citizen and rng.random() < 0.02,
        "purpose": purpose,
        "created_at": at,
        "sent_at": None if citizen else at,
    }


async def _extras(conn: AsyncConnection, rng: random.Random, agency_id: int, year: int) -> None:
    snapshots = []
    members = 4_000
    day = date(year, 1, 1)
    while day.year == year:
        members += rng.randint(-3, 12)
        snapshots.append(
            {
                "agency_id": agency_id,
                "channel_id": -1_001_234_567_890,
                "day": day,
                "member_count": members,
                "taken_at": datetime(day.year, day.month, day.day, 23, tzinfo=WITA),
            }
        )
        day += timedelta(days=1)
    snapshot_table = _table(ChannelMemberSnapshot)
    await conn.execute(
        sa.delete(snapshot_table).where(
            snapshot_table.c.agency_id == agency_id,
            snapshot_table.c.day >= date(year, 1, 1),
            snapshot_table.c.day <= date(year, 12, 31),
        )
    )
    await _insert(conn, snapshot_table, snapshots)
    metric_table = _table(PlatformMetric)
    await conn.execute(
        sa.delete(metric_table).where(
            metric_table.c.agency_id == agency_id, metric_table.c.month.like(f"{year}-%")
        )
    )
    metrics = []
    for platform, start in (("facebook", 12_000), ("instagram", 8_000), ("youtube", 1_500)):
        followers = start
        for month in range(1, 13):
            followers += rng.randint(50, 400)
            metrics.append(
                {
                    "agency_id": agency_id,
                    "platform": platform,
                    "month": f"{year}-{month:02d}",
                    "followers": followers,
                    "posts": rng.randint(10, 60),
                    "comments": rng.randint(50, 900),
                    "shares": rng.randint(20, 700) if platform != "youtube" else None,
                    "imported_at": datetime.now(UTC),
                }
            )
    await _insert(conn, metric_table, metrics)
    notes = [
        ("kendala", 3, "Jaringan internet kantor terputus dua hari saat pemadaman listrik."),
        ("kendala", 7, "Admin cuti bersamaan; antrian tiket menumpuk selama seminggu."),
        ("rekomendasi", 9, "Tambah satu admin cadangan untuk jadwal piket akhir pekan."),
        ("rekomendasi", 11, "Susun FAQ layanan kependudukan bersama Disdukcapil."),
    ]
    await _insert(
        conn,
        _table(ReportNote),
        [
            {
                "agency_id": agency_id,
                "kind": kind,
                "text": text,
                "author_id": None,
                "created_at": datetime(year, month, 15, 10, tzinfo=WITA),
            }
            for kind, month, text in notes
        ],
    )


# --------------------------------------------------------------------------- CLI


def add_dev_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``dev seed --year 2026 [--messages N --tickets N --posts N] [--database-url URL]``."""
    dev = subparsers.add_parser("dev", help="developer tools")
    dev_sub = dev.add_subparsers(dest="dev_command", metavar="COMMAND")
    dev.set_defaults(func=lambda _args: _usage(dev))
    seed_parser = dev_sub.add_parser("seed", help="insert a synthetic year of records")
    seed_parser.add_argument("--year", type=int, required=True)
    seed_parser.add_argument("--messages", type=int, default=50_000)
    seed_parser.add_argument("--tickets", type=int, default=10_000)
    seed_parser.add_argument("--posts", type=int, default=300)
    seed_parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    seed_parser.add_argument(
        "--create-tables",
        action="store_true",
        help="create missing tables first (for scratch databases; normally run migrations)",
    )
    seed_parser.set_defaults(func=run_seed)


def _usage(parser: argparse.ArgumentParser) -> int:
    sys.stderr.write(parser.format_usage())
    return 2


def run_seed(args: argparse.Namespace) -> int:
    if not 2000 <= args.year <= 2100:
        sys.stderr.write(f"error: --year {args.year} is not between 2000 and 2100\n")
        return 2
    if args.tickets < 1 or args.posts < 1 or args.messages < 2 * args.tickets:
        sys.stderr.write(
            "error: need --tickets >= 1, --posts >= 1 and --messages >= 2 x --tickets "
            f"(got messages={args.messages}, tickets={args.tickets}, posts={args.posts})\n"
        )
        return 2
    url = args.database_url
    agency_code = "diskominfo-bone"
    agency_name = "Dinas Komunikasi, Informatika dan Persandian Kabupaten Bone"
    if url is None:
        try:
            settings = load_settings()
        except SettingsError as exc:
            sys.stderr.write(f"error: settings: {exc}\n")
            return 2
        url, agency_code, agency_name = (
            settings.database_url,
            settings.agency_code,
            settings.agency_name,
        )

    if not args.create_tables:
        upgrade_database(url)

    async def run() -> SeedStats:
        engine = create_engine(url)
        try:
            return await seed_year(
                engine,
                year=args.year,
                messages=args.messages,
                tickets=args.tickets,
                posts=args.posts,
                agency_code=agency_code,
                agency_name=agency_name,
                create_tables=args.create_tables,
            )
        finally:
            await engine.dispose()

    try:
        stats = asyncio.run(run())
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        sys.stderr.write(
            f"error: could not seed the database: {exc.__class__.__name__}: {first_line}\n"
        )
        return 1
    sys.stdout.write(
        f"seeded {stats.tickets} tickets, {stats.messages} messages, {stats.posts} posts, "
        f"{stats.users} users for agency {stats.agency_id} in {stats.seconds:.1f} s\n"
    )
    return 0

"""`make demo`: the real bot against a local Bot API simulator, playing a short day.

No network and no token: the simulator (bot/devtools/telegram_api.py) speaks Telegram's
JSON on 127.0.0.1. The demo's clock starts on a working Monday morning in WITA and moves
forward between scenes, so response times and service levels read like a real day.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.config import Settings
from bot.devtools.telegram_api import FakeTelegram, make_user
from bot.services.knowledge import KnowledgeService, knowledge_paths
from bot.services.outreach import watch_broadcasts
from storage.migrate import upgrade_database_async

logger = logging.getLogger(__name__)

ADMIN_GROUP = -1001700000001
CHANNEL = -1001700000002
DISCUSSION = -1001700000003
CHANNEL_DMS = -1001700000004
ADMIN_ID = 5101
OFFICIAL_ID = 6101
DEMO_TOKEN = "100000:DEMO-TOKEN-not-a-real-token-000000"


class DemoClock:
    """Starts on Monday 30 November 2026, 08:55 WITA; scenes move it forward."""

    def __init__(self) -> None:
        self.current = datetime(2026, 11, 30, 0, 55, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, minutes: float) -> None:
        self.current += timedelta(minutes=minutes)


def _simulator() -> FakeTelegram:
    return FakeTelegram(rate_limits=True)


async def run_demo(speed: float = 1.0) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    fake = _simulator()
    pause = max(0.0, speed) * 0.4
    with tempfile.TemporaryDirectory(prefix="bone-demo-") as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        await upgrade_database_async(database_url)
        async with fake:
            fake.create_group(ADMIN_GROUP, "Admin Layanan Info Bone")
            fake.create_channel(CHANNEL, "Info Pemkab Bone")
            fake.create_group(DISCUSSION, "Diskusi Info Bone")
            fake.link_discussion(CHANNEL, DISCUSSION)
            fake.create_channel_direct_messages(CHANNEL_DMS, "Info Pemkab Bone (pesan langsung)")
            settings = Settings(
                _env_file=None,
                bot_token=DEMO_TOKEN,  # type: ignore[arg-type]
                telegram_api_base=fake.base_url,
                database_url=database_url,
                admin_chat_id=ADMIN_GROUP,
                admin_ids=[ADMIN_ID],
                official_ids=[OFFICIAL_ID],
                channel_id=CHANNEL,
                discussion_chat_id=DISCUSSION,
            )
            clock = DemoClock()
            knowledge = KnowledgeService(
                knowledge_paths([]), threshold=settings.suggestion_threshold
            )
            app = await build_application(settings, suggester=knowledge, clock=clock)
            broadcasts = app.services.broadcasts
            app.background.append(lambda runtime: watch_broadcasts(runtime, broadcasts, every=0.5))
            task = asyncio.create_task(app.run())
            try:
                await _play_day(fake, clock, pause)
                await _play_outreach(fake, clock, pause)
                await _play_feedback_and_rights(fake, clock, pause)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                await app.close()
            sys.stdout.write(_render(fake.transcript()))
    return 0


async def _play_day(fake: Any, clock: DemoClock, pause: float) -> None:

    citizen_a = make_user(7101, "Andi")
    citizen_b = make_user(7102, "Besse")
    admin = make_user(ADMIN_ID, "Petugas Sari")
    official = make_user(OFFICIAL_ID, "Kabid IKP")

    sent = fake.user_sends_text(citizen_a, citizen_a.id, "/start")
    await fake.wait_for_message(citizen_a.id, "Selamat datang")
    clock.advance(5)
    sent = fake.user_sends_text(
        citizen_a,
        citizen_a.id,
        "Assalamualaikum min, gmn cara minta informasi publik ke pemda? brp hari dijawab?",
    )
    await fake.wait_for_message(
        citizen_a.id, "nomor tiket", after_message_id=sent["message"]["message_id"]
    )
    card_a = await fake.wait_for_message(ADMIN_GROUP, "Tiket #1")
    await asyncio.sleep(pause)

    clock.advance(3)
    sent = fake.user_sends_text(
        citizen_b,
        citizen_b.id,
        "Tabe' pak, jalan di depan pasar Palakka rusak parah, kapan diperbaiki?",
    )
    await fake.wait_for_message(
        citizen_b.id, "nomor tiket", after_message_id=sent["message"]["message_id"]
    )
    card_b = await fake.wait_for_message(ADMIN_GROUP, "Tiket #2")
    await asyncio.sleep(pause)

    clock.advance(12)
    send = next(b for b in card_a["buttons"] if "Kirim" in b["text"])
    fake.user_presses(admin, ADMIN_GROUP, card_a["message_id"], send["callback_data"])
    await fake.wait_for_message(citizen_a.id, "Jawaban untuk tiket #1")
    await asyncio.sleep(pause)

    clock.advance(20)
    fake.user_sends_text(
        admin,
        ADMIN_GROUP,
        "Terima kasih laporannya. Perbaikan jalan di depan Pasar Palakka sudah masuk "
        "jadwal Dinas PUPR minggu depan. Kami akan kabari perkembangannya.",
        reply_to_message_id=card_b["message_id"],
    )
    await fake.wait_for_message(citizen_b.id, "Jawaban untuk tiket #2")
    await asyncio.sleep(pause)

    clock.advance(30)
    fake.user_sends_text(official, official.id, "/antrian")
    await fake.wait_for_message(official.id, "Antrian")
    fake.user_sends_text(official, official.id, "/kinerja")
    await fake.wait_for_message(official.id, "inerja", timeout=10)
    await asyncio.sleep(pause)


async def _play_outreach(fake: Any, clock: DemoClock, pause: float) -> None:
    """Issue 12: a post tagged by Pasal 10, and a broadcast to subscribers."""
    citizen_a = make_user(7101, "Andi")
    citizen_b = make_user(7102, "Besse")
    admin = make_user(ADMIN_ID, "Petugas Sari")
    for citizen in (citizen_a, citizen_b):
        fake.user_sends_text(citizen, citizen.id, "/langganan")
        await fake.wait_for_message(citizen.id, "berlangganan")
    await asyncio.sleep(pause)

    clock.advance(10)
    fake.user_sends_text(admin, admin.id, "/posting")
    choose = await fake.wait_for_message(admin.id, "Pilih kategori")
    category = next(b for b in choose["buttons"] if "Isu aktual" in b["text"])
    fake.user_presses(admin, admin.id, choose["message_id"], category["callback_data"])
    await fake.wait_for_message(admin.id, "tulis isi postingan")
    fake.user_sends_text(
        admin, admin.id, "Jembatan Sungai Walanae di Kecamatan Cina dapat dilalui kembali."
    )
    preview = await fake.wait_for_message(admin.id, "Pratinjau")
    publish = next(b for b in preview["buttons"] if "Terbitkan" in b["text"])
    fake.user_presses(admin, admin.id, preview["message_id"], publish["callback_data"])
    await fake.wait_for_message(CHANNEL, "#IsuAktualBone")
    await asyncio.sleep(pause)

    clock.advance(5)
    fake.user_sends_text(
        admin, admin.id, "/siaran Jembatan Sungai Walanae sudah dapat dilalui kembali."
    )
    for citizen in (citizen_a, citizen_b):
        await fake.wait_for_message(citizen.id, "Informasi Pemerintah Kabupaten Bone")
    await fake.wait_for(
        lambda: any(
            "Siaran selesai" in (view["plain_text"] or "")
            for view in (
                fake.message(admin.id, m["message_id"]) for m in fake.sent_messages(admin.id)
            )
        ),
        description="the broadcast's progress card",
    )
    await asyncio.sleep(pause)


async def _play_feedback_and_rights(fake: Any, clock: DemoClock, pause: float) -> None:
    """Issues 12 and 13: a rating, a question to the channel itself, data rights, /evaluasi."""
    citizen_a = make_user(7101, "Andi")
    citizen_c = make_user(7103, "Cakra")
    admin = make_user(ADMIN_ID, "Petugas Sari")
    official = make_user(OFFICIAL_ID, "Kabid IKP")
    answer = await fake.wait_for_message(citizen_a.id, "Jawaban untuk tiket #1")
    helpful = next(b for b in answer["buttons"] if "👍" in b["text"])
    fake.user_presses(citizen_a, citizen_a.id, answer["message_id"], helpful["callback_data"])
    await asyncio.sleep(pause)

    clock.advance(5)
    fake.user_writes_to_channel(
        citizen_c, CHANNEL_DMS, "Permisi min, pendaftaran beasiswa daerah dibuka kapan?"
    )
    await fake.wait_for_message(CHANNEL_DMS, "nomor tiket")
    card = await fake.wait_for_message(ADMIN_GROUP, "beasiswa")
    ticket = str(card["plain_text"]).split("Tiket #", 1)[1].split()[0]
    fake.user_sends_text(
        admin,
        ADMIN_GROUP,
        "Pendaftaran beasiswa daerah dibuka pada bulan Juni; pengumumannya di kanal ini.",
        reply_to_message_id=card["message_id"],
    )
    await fake.wait_for_message(CHANNEL_DMS, f"Jawaban untuk tiket #{ticket}")
    fake.user_sends_text(admin, admin.id, f"/rahasia {ticket}")
    await fake.wait_for_message(admin.id, "rahasia")
    await asyncio.sleep(pause)

    fake.user_sends_text(citizen_a, citizen_a.id, "/datasaya")
    await fake.wait_for_message(citizen_a.id, "Data Anda pada layanan ini")
    fake.user_sends_text(official, official.id, "/evaluasi 2026")
    await fake.wait_for_message(official.id, "Pasal 16", timeout=30)
    await asyncio.sleep(pause)


def _render(transcript: str) -> str:
    rule = "=" * 72
    return (
        f"{rule}\nDemo: satu hari layanan informasi (simulasi Bot API lokal, tanpa token)\n"
        f"{rule}\n{transcript}\n{rule}\n"
    )

"""Citizens' rights over their data (UU 27/2022): see it, have it pseudonymised, retention.

``/datasaya`` gives the citizen everything the service holds about them, as a short
message and as a JSON file they can keep. ``/hapusdata`` and the retention job both
pseudonymise through ``pseudonymise``: the report's counts and times stay true, the
person is no longer identifiable.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import Direction, OutboxPurpose
from bot.privacy import KnownNames, mask_personal_data
from bot.services.card_board import CardBoard
from bot.services.notifier import Notifier
from storage import queries
from storage.models import User

logger = logging.getLogger(__name__)

EXPORT_FILENAME = "data-saya.json"


class ErasureRefused(Exception):
    """The citizen still has open tickets: an answer on its way needs the real chat."""

    def __init__(self, ticket_ids: list[int]) -> None:
        super().__init__(f"open tickets {ticket_ids}")
        self.ticket_ids = ticket_ids


@dataclass(frozen=True)
class CitizenExport:
    summary: str
    document: bytes


class DataRights:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        notifier: Notifier,
        board: CardBoard | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.notifier = notifier
        # Without a board (the retention job) old cards are left as they are in the group.
        self.board = board

    async def export_for(self, session: AsyncSession, *, user: User) -> CitizenExport:
        """What the service holds about ``user``: a summary and the full record as JSON."""
        assert user.id is not None
        tickets = await queries.citizen_tickets(session, user_id=user.id)
        messages = await queries.citizen_messages(
            session, user_id=user.id, chat_id=user.telegram_id
        )
        tz = self.settings.tz
        record: dict[str, Any] = {
            "layanan": texts.SERVICE_NAME_PLAIN,
            "dibuat": self.clock.now().astimezone(tz).isoformat(timespec="seconds"),
            "profil": {
                "id_telegram": user.telegram_id,
                "nama": user.first_name,
                "username": user.username,
                "pertama_tercatat": user.created_at.astimezone(tz).isoformat(timespec="seconds"),
            },
            "tiket": [
                {
                    "nomor": ticket.id,
                    "dibuat": ticket.created_at.astimezone(tz).isoformat(timespec="seconds"),
                    "jenis": texts.KIND_LABELS[ticket.kind],
                    "status": texts.STATE_LABELS[ticket.state],
                    "dijawab": ticket.first_response_at.astimezone(tz).isoformat(
                        timespec="seconds"
                    )
                    if ticket.first_response_at
                    else None,
                }
                for ticket in tickets
            ],
            "pesan": [
                {
                    "waktu": message.created_at.astimezone(tz).isoformat(timespec="seconds"),
                    "arah": "dari Anda" if message.direction == Direction.IN else "dari layanan",
                    "tiket": message.ticket_id,
                    "jenis_isi": message.content_type,
                    "teks": message.text,
                }
                for message in messages
            ],
            "penyimpanan_hari": self.settings.data_retention_days,
        }
        document = json.dumps(record, ensure_ascii=False, indent=2).encode()
        summary = texts.my_data_summary(
            name=user.first_name,
            username=user.username,
            tickets=len(tickets),
            messages=len(messages),
            retention_days=self.settings.data_retention_days,
        )
        return CitizenExport(summary=summary, document=document)

    async def send_export(self, session: AsyncSession, *, user: User, chat_id: int) -> None:
        export = await self.export_for(session, user=user)
        await self.notifier.send_text(
            session, chat_id=chat_id, text=export.summary, purpose=OutboxPurpose.PRIVACY
        )
        await self.notifier.send_document(
            session,
            chat_id=chat_id,
            filename=EXPORT_FILENAME,
            content=export.document,
            caption=texts.MY_DATA_FILE_CAPTION,
            purpose=OutboxPurpose.PRIVACY,
        )

    async def erase(self, session: AsyncSession, *, user: User) -> int:
        """Pseudonymise ``user`` now (``/hapusdata``); refused while a ticket is open."""
        assert user.id is not None
        open_ids = await queries.open_citizen_ticket_ids(session, user_id=user.id)
        if open_ids:
            raise ErasureRefused(open_ids)
        pseudonym = await self.pseudonymise(session, user=user)
        if self.board is not None:
            # The group cards quoted the person: redraw them without the name.
            for ticket in await queries.citizen_tickets(session, user_id=user.id):
                await self.board.refresh_cards(session, ticket=ticket)
        return pseudonym

    async def pseudonymise(self, session: AsyncSession, *, user: User) -> int:
        names = KnownNames.from_people([(user.first_name, user.username)])
        pseudonym = await queries.pseudonymise_citizen(
            session,
            user=user,
            mask=lambda text: mask_personal_data(text, names),
            now=self.clock.now(),
        )
        logger.info("citizen user_id=%s pseudonymised", user.id)
        return pseudonym

    async def enforce_retention(self, session: AsyncSession) -> int:
        """Pseudonymise citizens silent for longer than the retention period; returns how many.

        A citizen with an open ticket is left for the next run: the answer still has to
        reach them.
        """
        before = self.clock.now() - timedelta(days=self.settings.data_retention_days)
        done = 0
        for user in await queries.citizens_inactive_since(session, before=before):
            assert user.id is not None
            if await queries.open_citizen_ticket_ids(session, user_id=user.id):
                continue
            await self.pseudonymise(session, user=user)
            done += 1
        return done

    async def set_flags(
        self,
        session: AsyncSession,
        *,
        ticket_id: int,
        confidential: bool | None = None,
        anonymous: bool | None = None,
    ) -> bool:
        ticket = await queries.set_ticket_flag(
            session, ticket_id=ticket_id, confidential=confidential, anonymous=anonymous
        )
        return ticket is not None

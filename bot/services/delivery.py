"""What happens once Telegram accepted an outgoing message (the sender's "delivered" hook).

The sender knows nothing of tickets: it calls ``record_delivery`` in the transaction that
marks the row sent. Messages join the conversation record, and a ticket's group card
remembers its Telegram message id so later edits can find it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import Direction, OutboxPurpose
from bot.domain.outbox import OutboxPayload
from storage import queries
from storage.models import Outbox

RECORDED_METHODS = frozenset({"sendMessage", "sendDocument"})


class DeliveryRecorder:
    def __init__(self, *, default_agency_id: int) -> None:
        self.default_agency_id = default_agency_id

    async def __call__(self, session: AsyncSession, row: Outbox, now: datetime) -> None:
        """Outgoing messages join the conversation record once Telegram accepted them."""
        if row.method not in RECORDED_METHODS:
            return
        ticket = (
            await queries.get_ticket(session, ticket_id=row.ticket_id) if row.ticket_id else None
        )
        if (
            row.purpose == OutboxPurpose.CARD
            and ticket is not None
            and ticket.card_outbox_id == row.id
        ):
            ticket.card_message_id = row.result_message_id
        await queries.record_message(
            session,
            agency_id=ticket.agency_id if ticket else self.default_agency_id,
            direction=Direction.OUT,
            chat_id=row.chat_id,
            telegram_message_id=row.result_message_id,
            ticket_id=row.ticket_id,
            outbox_id=row.id,
            content_type="document" if row.method == "sendDocument" else "text",
            text=OutboxPayload.from_json(row.payload).shown_text,
            purpose=row.purpose,
            created_at=row.created_at,
            sent_at=now,
        )

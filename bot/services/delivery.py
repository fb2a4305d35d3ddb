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
from bot.domain.outreach import category_from_text
from storage import queries
from storage.models import ChannelPost, Outbox

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
        if row.purpose == OutboxPurpose.POST and row.result_message_id is not None:
            await self._record_post(session, row, now)
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

    async def _record_post(self, session: AsyncSession, row: Outbox, now: datetime) -> None:
        """A /posting post reached the channel: it joins the posts like one made there.

        Telegram sends no channel_post update for the bot's own posts, so it is recorded
        here, with its Pasal 10 category read from the hashtag the post carries.
        """
        assert row.result_message_id is not None
        text = OutboxPayload.from_json(row.payload).shown_text
        existing = await queries.find_post(
            session, channel_id=row.chat_id, channel_message_id=row.result_message_id
        )
        if existing is not None:
            return
        await queries.add_post(
            session,
            ChannelPost(
                agency_id=self.default_agency_id,
                channel_id=row.chat_id,
                channel_message_id=row.result_message_id,
                text=text,
                posted_at=now,
                category=category_from_text(text),
            ),
        )

"""Citizens' messages in: record each one, open a ticket or join the open one, acknowledge.

The acknowledgement promises an answer time from ``ServiceLevelPolicy`` (working time);
the new ticket's card goes to the card board.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import Direction, OutboxPurpose, TicketAction, TicketKind
from bot.domain.labels import format_local_datetime
from bot.domain.service_levels import ServiceLevelPolicy, describe_expected_answer
from bot.domain.working_time import WorkingCalendar
from bot.services import timers
from bot.services.card_board import CardBoard
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester, joined_text
from bot.services.tickets import IncomingMessage
from storage import queries
from storage.models import ChannelPost, Message, Ticket, User

TOP_SUGGESTIONS = 3
# Content types that open a ticket. A sticker alone is chit-chat: recorded, not a ticket.
TICKET_CONTENT = frozenset(
    {
        "text",
        "photo",
        "document",
        "voice",
        "audio",
        "video",
        "video_note",
        "animation",
        "location",
        "venue",
        "contact",
        "poll",
    }
)


class Intake:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        suggester: Suggester,
        calendar: WorkingCalendar,
        policy: ServiceLevelPolicy,
        notifier: Notifier,
        board: CardBoard,
        agency_id: int,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.suggester = suggester
        self.calendar = calendar
        self.policy = policy
        self.notifier = notifier
        self.board = board
        self.agency_id = agency_id

    async def record_inbound(
        self,
        session: AsyncSession,
        *,
        incoming: IncomingMessage,
        user: User | None,
        update_id: int | None,
        ticket_id: int | None = None,
    ) -> Message:
        return await queries.record_message(
            session,
            agency_id=self.agency_id,
            direction=Direction.IN,
            chat_id=incoming.chat_id,
            telegram_message_id=incoming.message_id,
            user_id=user.id if user else None,
            ticket_id=ticket_id,
            update_id=update_id,
            content_type=incoming.content_type,
            text=incoming.text,
            file_id=incoming.file_id,
            is_forwarded=incoming.is_forwarded,
            created_at=self.clock.now(),
            sent_at=incoming.sent_at,
        )

    async def receive_citizen_message(
        self,
        session: AsyncSession,
        *,
        incoming: IncomingMessage,
        citizen: User,
        update_id: int | None,
        channel_post: ChannelPost | None = None,
    ) -> Ticket | None:
        """Record a citizen's message and open or join a ticket; returns the ticket."""
        assert citizen.id is not None
        # The message is recorded once its ticket is known, so it is written with the
        # ticket's id (no second statement to link them).
        ticket = await queries.open_ticket_for(
            session,
            citizen_id=citizen.id,
            chat_id=incoming.chat_id,
            channel_post_id=channel_post.id if channel_post else None,
        )
        if ticket is not None:
            await self._join_ticket(
                session, ticket=ticket, citizen=citizen, incoming=incoming, update_id=update_id
            )
            return ticket
        if incoming.content_type not in TICKET_CONTENT:
            await self.record_inbound(
                session, incoming=incoming, user=citizen, update_id=update_id
            )
            await self.notifier.send_text(
                session,
                chat_id=incoming.chat_id,
                text=texts.STICKER_ONLY,
                reply_to=incoming.message_id,
                purpose=OutboxPurpose.HINT,
                direct_messages_topic_id=incoming.direct_messages_topic_id,
            )
            return None
        return await self._open_ticket(
            session, citizen=citizen, incoming=incoming, update_id=update_id, post=channel_post
        )

    async def _open_ticket(
        self,
        session: AsyncSession,
        *,
        citizen: User,
        incoming: IncomingMessage,
        update_id: int | None,
        post: ChannelPost | None,
    ) -> Ticket:
        assert citizen.id is not None
        now = self.clock.now()
        result = self.suggester.suggest_answers(incoming.text or "", top=TOP_SUGGESTIONS)
        # Decided before the insert, so the ticket is written once with it.
        card_deferred = await self.board.card_must_wait(session)
        ticket = await queries.add_ticket(
            session,
            Ticket(
                agency_id=self.agency_id,
                citizen_id=citizen.id,
                chat_id=incoming.chat_id,
                kind=TicketKind.KOMENTAR if post else TicketKind.PERTANYAAN,
                channel_post_id=post.id if post else None,
                created_at=now,
                last_citizen_message_at=now,
                last_citizen_message_id=incoming.message_id,
                suggestions=result.to_json(),
                suggestion_confident=result.confident,
                card_deferred=card_deferred,
                direct_messages_topic_id=incoming.direct_messages_topic_id,
            ),
        )
        assert ticket.id is not None
        await self.record_inbound(
            session, incoming=incoming, user=citizen, update_id=update_id, ticket_id=ticket.id
        )
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.OPENED,
            at=now,
            actor_id=citizen.id,
            detail={"confident": result.confident},
        )
        await timers.schedule_ticket_timers(
            session, ticket=ticket, calendar=self.calendar, policy=self.policy
        )
        ack = (
            texts.ack_comment(ticket_id=ticket.id)
            if post
            else texts.ack_new_ticket(
                ticket_id=ticket.id, expectation=self.expectation(now, ticket.kind)
            )
        )
        await self.notifier.send_text(
            session,
            chat_id=incoming.chat_id,
            text=ack,
            reply_to=incoming.message_id,
            purpose=OutboxPurpose.ACK,
            ticket_id=ticket.id,
            direct_messages_topic_id=incoming.direct_messages_topic_id,
        )
        await self.board.post_card(session, ticket=ticket)
        return ticket

    async def _join_ticket(
        self,
        session: AsyncSession,
        *,
        ticket: Ticket,
        citizen: User,
        incoming: IncomingMessage,
        update_id: int | None,
    ) -> None:
        assert ticket.id is not None
        now = self.clock.now()
        await self.record_inbound(
            session, incoming=incoming, user=citizen, update_id=update_id, ticket_id=ticket.id
        )
        ticket.last_citizen_message_at = now
        ticket.last_citizen_message_id = incoming.message_id
        if not ticket.suggestion_confident and incoming.text:
            # More words may make the question clear enough to suggest an answer now.
            inbound = await queries.ticket_messages(
                session,
                ticket_id=ticket.id,
                direction=Direction.IN,
                user_id=ticket.citizen_id,
            )
            result = self.suggester.suggest_answers(
                joined_text([m.text for m in inbound]), top=TOP_SUGGESTIONS
            )
            ticket.suggestions = result.to_json()
            ticket.suggestion_confident = result.confident
            ticket.suggestion_index = 0
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.JOINED,
            at=now,
            actor_id=ticket.citizen_id,
        )
        await self.notifier.send_text(
            session,
            chat_id=incoming.chat_id,
            text=texts.ack_joined_ticket(ticket_id=ticket.id),
            reply_to=incoming.message_id,
            purpose=OutboxPurpose.ACK,
            ticket_id=ticket.id,
            dedupe_key=f"ack-join:{ticket.id}",
            direct_messages_topic_id=incoming.direct_messages_topic_id,
        )
        await self.board.refresh_cards(session, ticket=ticket)

    def expectation(self, now: datetime, kind: TicketKind | None = None) -> str:
        """When the citizen can expect an answer, as the acknowledgement says it."""
        expected = describe_expected_answer(self.calendar, self.policy, now, kind)
        due = format_local_datetime(expected.first_response_due_local, self.settings.tz)
        if expected.office_open or expected.next_opening_local is None:
            return texts.expectation_open(due=due)
        opens = format_local_datetime(expected.next_opening_local, self.settings.tz)
        return texts.expectation_closed(opens=opens, due=due)

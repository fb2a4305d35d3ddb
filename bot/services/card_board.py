"""The admin group's card board: one card per ticket, the queue summary, the /antrian card.

A card shows the citizen's words, the ticket's state and the suggestion on offer; every
change to a ticket redraws each card that shows it. When new cards come faster than the
group may receive them (``CARD_BURST_LIMIT`` a minute), tickets are marked deferred and
one queue summary card counts them instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.cards import CardContext, render_card
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import OWN_WORDS, Direction, OutboxPurpose, TicketState
from bot.domain.labels import format_duration_id
from bot.domain.outbox import OutboxPayload
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester, Suggestion, stored_suggestions
from bot.services.tickets import ActionRefused, CardRef
from storage import queries
from storage.models import Ticket

BURST_WINDOW_SECONDS = 60
SUMMARY_REUSE_SECONDS = 600


class CardBoard:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        suggester: Suggester,
        notifier: Notifier,
        agency_id: int,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.suggester = suggester
        self.notifier = notifier
        self.agency_id = agency_id

    # ------------------------------------------------------------------ suggestions shown

    def current_suggestions(self, ticket: Ticket) -> list[Suggestion]:
        if not ticket.suggestion_confident:
            return []
        return stored_suggestions(ticket.suggestions, self.suggester)

    def selected_suggestion(self, ticket: Ticket) -> Suggestion | None:
        """The suggestion the card shows now (`Saran lain` moves through them)."""
        suggestions = self.current_suggestions(ticket)
        if not suggestions:
            return None
        return suggestions[ticket.suggestion_index % len(suggestions)]

    async def answer_text_of(self, session: AsyncSession, *, ticket: Ticket) -> str | None:
        """The answer body as written, whether or not Telegram has it yet."""
        assert ticket.id is not None
        row = await queries.latest_ticket_outbox(
            session, ticket_id=ticket.id, purpose=OutboxPurpose.ANSWER
        )
        if row is None:
            return None
        return OutboxPayload.from_json(row.payload).shown_text

    # ------------------------------------------------------------------ the group card

    async def card_must_wait(self, session: AsyncSession) -> bool:
        """Whether a new ticket's card waits in the queue summary instead of being posted.

        The admin group takes 20 messages a minute: past the burst limit, new tickets are
        counted on one summary message rather than flooding the group.
        """
        admin_chat = self.settings.admin_chat_id
        if admin_chat is None:
            return True
        since = self.clock.now() - timedelta(seconds=BURST_WINDOW_SECONDS)
        recent = await queries.recent_outbox_count(
            session, chat_id=admin_chat, purpose=OutboxPurpose.CARD, since=since
        )
        return recent >= self.settings.card_burst_limit

    async def post_card(self, session: AsyncSession, *, ticket: Ticket) -> None:
        """A new ticket's card in the admin group, or its count on the queue summary."""
        assert ticket.id is not None
        admin_chat = self.settings.admin_chat_id
        if admin_chat is None:
            return
        if ticket.card_deferred:
            await self._update_queue_summary(session, now=self.clock.now())
            return
        text, markup = await self._card_content(session, ticket=ticket, in_queue=False)
        row = await self.notifier.send_text(
            session,
            chat_id=admin_chat,
            text=text,
            markup=markup,
            purpose=OutboxPurpose.CARD,
            ticket_id=ticket.id,
        )
        ticket.card_chat_id = admin_chat
        ticket.card_outbox_id = row.id

    async def _update_queue_summary(self, session: AsyncSession, *, now: datetime) -> None:
        admin_chat = self.settings.admin_chat_id
        assert admin_chat is not None
        count, oldest = await queries.deferred_queue_state(session, agency_id=self.agency_id)
        text = texts.queue_summary(
            count=count,
            oldest_id=oldest,
            at=now.astimezone(self.settings.tz).strftime("%H.%M"),
        )
        since = now - timedelta(seconds=SUMMARY_REUSE_SECONDS)
        summary = await queries.latest_outbox(
            session, chat_id=admin_chat, purpose=OutboxPurpose.QUEUE_SUMMARY, since=since
        )
        if summary is None:
            await self.notifier.send_text(
                session, chat_id=admin_chat, text=text, purpose=OutboxPurpose.QUEUE_SUMMARY
            )
            return
        # One pending edit at most: a newer count replaces an unsent one.
        await self.notifier.edit_text(
            session,
            chat_id=admin_chat,
            message_id=summary.result_message_id,
            text=text,
            purpose=OutboxPurpose.QUEUE_SUMMARY_EDIT,
            dedupe_key=f"queue-summary:{summary.id}",
            target_outbox_id=None if summary.result_message_id else summary.id,
        )

    async def _card_content(
        self,
        session: AsyncSession,
        *,
        ticket: Ticket,
        in_queue: bool,
        answer_text: str | None = None,
    ) -> tuple[str, dict[str, Any] | None]:
        assert ticket.id is not None
        citizen = await queries.get_user(session, user_id=ticket.citizen_id)
        assert citizen is not None
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket.id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        suggestions = self.current_suggestions(ticket)
        suggestion = self.selected_suggestion(ticket)
        answered_by = None
        if ticket.answered_by_id is not None:
            answered_by = await queries.get_user(session, user_id=ticket.answered_by_id)
        elif ticket.closed_by_id is not None:
            answered_by = await queries.get_user(session, user_id=ticket.closed_by_id)
        if answer_text is None and ticket.state == TicketState.ANSWERED:
            answer_text = await self.answer_text_of(session, ticket=ticket)
        rating = None
        if ticket.state == TicketState.ANSWERED:
            rating = await queries.rating_for_ticket(session, ticket_id=ticket.id)
        response = None
        if ticket.response_seconds is not None and ticket.response_working_seconds is not None:
            response = texts.response_time(
                wall=format_duration_id(ticket.response_seconds),
                working=format_duration_id(ticket.response_working_seconds),
            )
        context = CardContext(
            ticket=ticket,
            citizen=citizen,
            messages=inbound,
            suggestion=suggestion,
            suggestion_position=(ticket.suggestion_index % len(suggestions)) + 1
            if suggestions
            else 0,
            suggestion_total=len(suggestions),
            tz=self.settings.tz,
            answered_by=answered_by,
            answer_text=answer_text,
            response=response,
            in_queue=in_queue,
            can_save_faq=ticket.answer_source in OWN_WORDS,
            rating=rating,
        )
        return render_card(context)

    async def _queue_card_content(
        self, session: AsyncSession, *, ticket: Ticket
    ) -> tuple[str, dict[str, Any] | None]:
        """The /antrian card: the open-ticket count above the ordinary card."""
        count = await queries.count_open_tickets(session, agency_id=self.agency_id)
        text, markup = await self._card_content(session, ticket=ticket, in_queue=True)
        return texts.QUEUE_HEADER.format(count=count) + "\n\n" + text, markup

    # ------------------------------------------------------------------ redrawing

    async def refresh_cards(
        self,
        session: AsyncSession,
        *,
        ticket: Ticket,
        origin: CardRef | None = None,
        answer_text: str | None = None,
        origin_in_queue: bool = False,
    ) -> None:
        """Edit every visible card of the ticket to show its current state."""
        assert ticket.id is not None
        if ticket.card_chat_id is not None and (
            ticket.card_message_id is not None or ticket.card_outbox_id is not None
        ):
            text, markup = await self._card_content(
                session, ticket=ticket, in_queue=False, answer_text=answer_text
            )
            await self.notifier.edit_text(
                session,
                chat_id=ticket.card_chat_id,
                message_id=ticket.card_message_id,
                text=text,
                markup=markup,
                purpose=OutboxPurpose.CARD_EDIT,
                ticket_id=ticket.id,
                dedupe_key=f"card:{ticket.id}:{ticket.card_chat_id}",
                target_outbox_id=None if ticket.card_message_id else ticket.card_outbox_id,
            )
        if origin is not None and (
            origin.chat_id != ticket.card_chat_id or origin.message_id != ticket.card_message_id
        ):
            text, markup = await self._card_content(
                session,
                ticket=ticket,
                in_queue=origin_in_queue and ticket.state == TicketState.OPEN,
                answer_text=answer_text,
            )
            await self.notifier.edit_text(
                session,
                chat_id=origin.chat_id,
                message_id=origin.message_id,
                text=text,
                markup=markup,
                purpose=OutboxPurpose.CARD_EDIT,
                ticket_id=ticket.id,
                dedupe_key=f"card:{ticket.id}:{origin.chat_id}:{origin.message_id}",
            )

    async def restore_card(
        self,
        session: AsyncSession,
        *,
        ticket_id: int,
        origin: CardRef | None,
        markup: dict[str, Any],
    ) -> None:
        """Swap only the keyboard (reason or kind pickers) on the message that was tapped."""
        if origin is None:
            return
        await self.notifier.edit_markup(
            session,
            chat_id=origin.chat_id,
            message_id=origin.message_id,
            markup=markup,
            purpose=OutboxPurpose.CARD_MARKUP,
            ticket_id=ticket_id,
            dedupe_key=f"markup:{origin.chat_id}:{origin.message_id}",
        )

    async def redraw_card(
        self, session: AsyncSession, *, ticket_id: int, origin: CardRef | None, in_queue: bool
    ) -> None:
        """Put the tapped card back to its normal buttons (after `Kembali`)."""
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if origin is None:
            return
        if in_queue and ticket.state == TicketState.OPEN:
            text, markup = await self._queue_card_content(session, ticket=ticket)
        else:
            text, markup = await self._card_content(session, ticket=ticket, in_queue=False)
        await self.notifier.edit_text(
            session,
            chat_id=origin.chat_id,
            message_id=origin.message_id,
            text=text,
            markup=markup,
            purpose=OutboxPurpose.CARD_EDIT,
            ticket_id=ticket_id,
            dedupe_key=f"card:{ticket_id}:{origin.chat_id}:{origin.message_id}",
        )

    # ------------------------------------------------------------------ /antrian

    async def show_queue_card(
        self, session: AsyncSession, *, chat_id: int, after_id: int | None, origin: CardRef | None
    ) -> Ticket | None:
        """Send (or replace) the /antrian card with the oldest open ticket after ``after_id``."""
        tickets = await queries.open_tickets(session, agency_id=self.agency_id, after_id=after_id)
        if not tickets and after_id is not None:
            tickets = await queries.open_tickets(session, agency_id=self.agency_id)
        if not tickets:
            if origin is None:
                await self.notifier.send_text(
                    session, chat_id=chat_id, text=texts.QUEUE_EMPTY, purpose=OutboxPurpose.QUEUE
                )
            else:
                await self.notifier.edit_text(
                    session,
                    chat_id=chat_id,
                    message_id=origin.message_id,
                    text=texts.QUEUE_EMPTY,
                    purpose=OutboxPurpose.QUEUE,
                )
            return None
        ticket = tickets[0]
        text, markup = await self._queue_card_content(session, ticket=ticket)
        if origin is None:
            await self.notifier.send_text(
                session,
                chat_id=chat_id,
                text=text,
                markup=markup,
                purpose=OutboxPurpose.QUEUE_CARD,
                ticket_id=ticket.id,
            )
        else:
            await self.notifier.edit_text(
                session,
                chat_id=chat_id,
                message_id=origin.message_id,
                text=text,
                markup=markup,
                purpose=OutboxPurpose.QUEUE_CARD,
                ticket_id=ticket.id,
            )
        return ticket

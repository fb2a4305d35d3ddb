"""Citizens rate the answer to their ticket (👍/👎) and may add one comment.

One rating per ticket; rating again replaces it. After 👎 or "Tambah komentar" the
citizen's next message is taken as the comment only if it clearly is one: text, sent
within ``COMMENT_WINDOW``, not forwarded, and not a question (no "?" and no confident
suggestion from the knowledge base). Anything else stays an ordinary message that opens
or joins a ticket, so a citizen who moves on to a new question is never swallowed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.domain.enums import OutboxPurpose, TicketAction, TicketState
from bot.services.card_board import CardBoard
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester
from bot.services.tickets import ActionRefused, IncomingMessage
from storage import queries
from storage.models import AnswerRating, Ticket, User

COMMENT_WINDOW = timedelta(minutes=10)
COMMENT_LIMIT = 1000


class Ratings:
    def __init__(
        self, *, clock: Clock, suggester: Suggester, notifier: Notifier, board: CardBoard
    ) -> None:
        self.clock = clock
        self.suggester = suggester
        self.notifier = notifier
        self.board = board

    async def rate(
        self, session: AsyncSession, *, citizen: User, ticket_id: int, positive: bool
    ) -> AnswerRating:
        """Record (or replace) the rating; a 👎 opens the comment window."""
        ticket = await self._rateable(session, citizen=citizen, ticket_id=ticket_id)
        assert ticket.id is not None
        assert citizen.id is not None
        now = self.clock.now()
        rating = await queries.save_rating(
            session,
            ticket_id=ticket.id,
            citizen_id=citizen.id,
            positive=positive,
            now=now,
            comment_until=None if positive else now + COMMENT_WINDOW,
        )
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.RATED,
            at=now,
            actor_id=citizen.id,
            detail={"positive": positive},
        )
        await self.board.refresh_cards(session, ticket=ticket)
        return rating

    async def request_comment(
        self, session: AsyncSession, *, citizen: User, ticket_id: int, chat_id: int
    ) -> None:
        """ "Tambah komentar": open the window and ask for the comment."""
        ticket = await self._rateable(session, citizen=citizen, ticket_id=ticket_id)
        assert ticket.id is not None
        rating = await queries.rating_for_ticket(session, ticket_id=ticket.id)
        if rating is None:
            # A comment before any thumb counts as neither 👍 nor 👎.
            assert citizen.id is not None
            rating = await queries.save_rating(
                session,
                ticket_id=ticket.id,
                citizen_id=citizen.id,
                positive=None,
                now=self.clock.now(),
                comment_until=None,
            )
        rating.comment_until = self.clock.now() + COMMENT_WINDOW
        await self.notifier.send_text(
            session,
            chat_id=chat_id,
            text=texts.RATING_COMMENT_PROMPT.format(ticket_id=ticket.id),
            purpose=OutboxPurpose.RATING,
            ticket_id=ticket.id,
            direct_messages_topic_id=ticket.direct_messages_topic_id,
        )

    async def take_comment(
        self, session: AsyncSession, *, citizen: User, incoming: IncomingMessage
    ) -> int | None:
        """If ``incoming`` is the awaited comment, store it and return its ticket id."""
        if citizen.id is None or not self._looks_like_comment(incoming):
            return None
        now = self.clock.now()
        rating = await queries.rating_awaiting_comment(session, citizen_id=citizen.id, now=now)
        if rating is None:
            return None
        ticket = await queries.get_ticket(session, ticket_id=rating.ticket_id)
        # A comment ticket's rating comes from the private copy, so any chat will do there.
        if ticket is None or (
            ticket.chat_id != incoming.chat_id and ticket.channel_post_id is None
        ):
            return None
        assert incoming.text is not None
        rating.comment = incoming.text[:COMMENT_LIMIT]
        rating.comment_until = None
        await self.notifier.send_text(
            session,
            chat_id=incoming.chat_id,
            text=texts.RATING_COMMENT_SAVED.format(ticket_id=rating.ticket_id),
            reply_to=incoming.message_id,
            purpose=OutboxPurpose.RATING,
            ticket_id=rating.ticket_id,
            direct_messages_topic_id=incoming.direct_messages_topic_id,
        )
        await self.board.refresh_cards(session, ticket=ticket)
        return rating.ticket_id

    def _looks_like_comment(self, incoming: IncomingMessage) -> bool:
        text = (incoming.text or "").strip()
        if incoming.content_type != "text" or not text or incoming.is_forwarded:
            return False
        if "?" in text:
            return False
        # A message the knowledge base recognises is a question, whatever came before it.
        return not self.suggester.suggest_answers(text, top=1).confident

    async def _rateable(self, session: AsyncSession, *, citizen: User, ticket_id: int) -> Ticket:
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.citizen_id != citizen.id:
            raise ActionRefused(texts.ALERT_RATING_NOT_YOURS)
        if ticket.state != TicketState.ANSWERED:
            raise ActionRefused(texts.ALERT_RATING_NOT_ANSWERED)
        return ticket

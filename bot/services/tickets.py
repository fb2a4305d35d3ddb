"""Ticket rules: opening, joining, answering, ignoring; every effect is a DB row.

Nothing here talks to Telegram. Outgoing messages are outbox rows, written in the same
transaction as the state change that caused them, so a crash never leaves one without the
other.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.cards import CardContext, render_card, utf16_len
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import (
    CARD_PURPOSES,
    OWN_WORDS,
    AnswerSource,
    CloseReason,
    Direction,
    OutboxPurpose,
    TicketAction,
    TicketKind,
    TicketState,
)
from bot.domain.labels import format_duration_id, format_local_datetime
from bot.domain.service_levels import ServiceLevelPolicy, describe_expected_answer
from bot.domain.working_time import WorkingCalendar
from bot.services import faq, timers
from bot.services.suggestions import Suggester, Suggestion, joined_text, stored_suggestions
from storage import queries
from storage.models import ChannelPost, Message, Ticket, User

logger = logging.getLogger(__name__)

BURST_WINDOW_SECONDS = 60
SUMMARY_REUSE_SECONDS = 600
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


@dataclass(frozen=True)
class IncomingMessage:
    """The parts of a Telegram message the help desk records, free of aiogram types."""

    chat_id: int
    message_id: int
    content_type: str
    text: str | None
    file_id: str | None
    is_forwarded: bool
    sent_at: datetime
    reply_to_message_id: int | None = None


@dataclass(frozen=True)
class CardRef:
    """A message that shows a ticket card (the group card or an /antrian copy)."""

    chat_id: int
    message_id: int


class ActionRefused(Exception):
    """An admin action that cannot be done; the message is Indonesian for the admin."""


class HelpDesk:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        suggester: Suggester,
        calendar: WorkingCalendar,
        policy: ServiceLevelPolicy,
        agency_id: int,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.suggester = suggester
        self.calendar = calendar
        self.policy = policy
        self.agency_id = agency_id

    # ------------------------------------------------------------------ citizen side

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
        now = self.clock.now()
        message = await self.record_inbound(
            session, incoming=incoming, user=citizen, update_id=update_id
        )
        ticket = await queries.open_ticket_for(
            session,
            citizen_id=citizen.id,
            chat_id=incoming.chat_id,
            channel_post_id=channel_post.id if channel_post else None,
        )
        if ticket is not None:
            await self._join_ticket(session, ticket=ticket, message=message, incoming=incoming)
            return ticket
        if incoming.content_type not in TICKET_CONTENT:
            await queries.enqueue(
                session,
                method="sendMessage",
                chat_id=incoming.chat_id,
                params=self._reply_params(incoming, texts.STICKER_ONLY),
                now=now,
                purpose=OutboxPurpose.HINT,
            )
            return None
        return await self._open_ticket(
            session, citizen=citizen, message=message, incoming=incoming, post=channel_post
        )

    async def _open_ticket(
        self,
        session: AsyncSession,
        *,
        citizen: User,
        message: Message,
        incoming: IncomingMessage,
        post: ChannelPost | None,
    ) -> Ticket:
        assert citizen.id is not None
        now = self.clock.now()
        result = self.suggester.suggest_answers(incoming.text or "", top=TOP_SUGGESTIONS)
        ticket = Ticket(
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
        )
        session.add(ticket)
        await session.flush()
        assert ticket.id is not None
        message.ticket_id = ticket.id
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
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=incoming.chat_id,
            params=self._reply_params(incoming, ack),
            now=now,
            purpose=OutboxPurpose.ACK,
            ticket_id=ticket.id,
        )
        await self._post_card(session, ticket=ticket)
        return ticket

    async def _join_ticket(
        self, session: AsyncSession, *, ticket: Ticket, message: Message, incoming: IncomingMessage
    ) -> None:
        assert ticket.id is not None
        now = self.clock.now()
        message.ticket_id = ticket.id
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
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=incoming.chat_id,
            params=self._reply_params(incoming, texts.ack_joined_ticket(ticket_id=ticket.id)),
            now=now,
            purpose=OutboxPurpose.ACK,
            ticket_id=ticket.id,
            dedupe_key=f"ack-join:{ticket.id}",
        )
        await self.refresh_cards(session, ticket=ticket)

    def expectation(self, now: datetime, kind: TicketKind | None = None) -> str:
        expected = describe_expected_answer(self.calendar, self.policy, now, kind)
        due = format_local_datetime(expected.first_response_due_local, self.settings.tz)
        if expected.office_open or expected.next_opening_local is None:
            return texts.expectation_open(due=due)
        opens = format_local_datetime(expected.next_opening_local, self.settings.tz)
        return texts.expectation_closed(opens=opens, due=due)

    # ------------------------------------------------------------------ cards

    async def _post_card(self, session: AsyncSession, *, ticket: Ticket) -> None:
        assert ticket.id is not None
        admin_chat = self.settings.admin_chat_id
        if admin_chat is None:
            ticket.card_deferred = True
            return
        now = self.clock.now()
        since = now - timedelta(seconds=BURST_WINDOW_SECONDS)
        recent = await queries.recent_outbox_count(
            session, chat_id=admin_chat, purpose=OutboxPurpose.CARD, since=since
        )
        if recent >= self.settings.card_burst_limit:
            ticket.card_deferred = True
            await self._update_queue_summary(session, now=now)
            return
        text, markup = await self._card_content(session, ticket=ticket, in_queue=False)
        row = await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=admin_chat,
            params=self._message_params(admin_chat, text, markup),
            now=now,
            purpose=OutboxPurpose.CARD,
            ticket_id=ticket.id,
        )
        ticket.card_chat_id = admin_chat
        ticket.card_outbox_id = row.id

    async def _update_queue_summary(self, session: AsyncSession, *, now: datetime) -> None:
        admin_chat = self.settings.admin_chat_id
        assert admin_chat is not None
        count = await queries.count_open_tickets(
            session, agency_id=self.agency_id, deferred_only=True
        )
        oldest = await queries.oldest_open_ticket_id(
            session, agency_id=self.agency_id, deferred_only=True
        )
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
            await queries.enqueue(
                session,
                method="sendMessage",
                chat_id=admin_chat,
                params=self._message_params(admin_chat, text, None),
                now=now,
                purpose=OutboxPurpose.QUEUE_SUMMARY,
            )
            return
        # One pending edit at most: a newer count replaces an unsent one.
        await queries.enqueue(
            session,
            method="editMessageText",
            chat_id=admin_chat,
            params=self._edit_params(admin_chat, summary.result_message_id, text, None),
            now=now,
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
            answer_text = await self._answer_text_of(session, ticket=ticket)
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
        )
        return render_card(context)

    def selected_suggestion(self, ticket: Ticket) -> Suggestion | None:
        """The suggestion the card shows now (`Saran lain` moves through them)."""
        suggestions = self.current_suggestions(ticket)
        if not suggestions:
            return None
        return suggestions[ticket.suggestion_index % len(suggestions)]

    async def _queue_card_content(
        self, session: AsyncSession, *, ticket: Ticket
    ) -> tuple[str, dict[str, Any] | None]:
        """The /antrian card: the open-ticket count above the ordinary card."""
        count = await queries.count_open_tickets(session, agency_id=self.agency_id)
        text, markup = await self._card_content(session, ticket=ticket, in_queue=True)
        return texts.QUEUE_HEADER.format(count=count) + "\n\n" + text, markup

    def current_suggestions(self, ticket: Ticket) -> list[Suggestion]:
        if not ticket.suggestion_confident:
            return []
        return stored_suggestions(ticket.suggestions, self.suggester)

    async def _answer_text_of(self, session: AsyncSession, *, ticket: Ticket) -> str | None:
        """The answer body as written, whether or not Telegram has it yet."""
        assert ticket.id is not None
        row = await queries.latest_ticket_outbox(
            session, ticket_id=ticket.id, purpose=OutboxPurpose.ANSWER
        )
        if row is None:
            return None
        params = json.loads(row.payload)
        return str(params.get("_record_text") or params.get("text") or "") or None

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
        now = self.clock.now()
        if ticket.card_chat_id is not None and (
            ticket.card_message_id is not None or ticket.card_outbox_id is not None
        ):
            text, markup = await self._card_content(
                session, ticket=ticket, in_queue=False, answer_text=answer_text
            )
            await queries.enqueue(
                session,
                method="editMessageText",
                chat_id=ticket.card_chat_id,
                params=self._edit_params(
                    ticket.card_chat_id, ticket.card_message_id, text, markup
                ),
                now=now,
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
            await queries.enqueue(
                session,
                method="editMessageText",
                chat_id=origin.chat_id,
                params=self._edit_params(origin.chat_id, origin.message_id, text, markup),
                now=now,
                purpose=OutboxPurpose.CARD_EDIT,
                ticket_id=ticket.id,
                dedupe_key=f"card:{ticket.id}:{origin.chat_id}:{origin.message_id}",
            )

    async def show_queue_card(
        self, session: AsyncSession, *, chat_id: int, after_id: int | None, origin: CardRef | None
    ) -> Ticket | None:
        """Send (or replace) the /antrian card with the oldest open ticket after ``after_id``."""
        now = self.clock.now()
        tickets = await queries.open_tickets(session, agency_id=self.agency_id, after_id=after_id)
        if not tickets and after_id is not None:
            tickets = await queries.open_tickets(session, agency_id=self.agency_id)
        if not tickets:
            params = self._message_params(chat_id, texts.QUEUE_EMPTY, None)
            if origin is not None:
                params = self._edit_params(chat_id, origin.message_id, texts.QUEUE_EMPTY, None)
            await queries.enqueue(
                session,
                method="editMessageText" if origin else "sendMessage",
                chat_id=chat_id,
                params=params,
                now=now,
                purpose=OutboxPurpose.QUEUE,
            )
            return None
        ticket = tickets[0]
        text, markup = await self._queue_card_content(session, ticket=ticket)
        if origin is None:
            await queries.enqueue(
                session,
                method="sendMessage",
                chat_id=chat_id,
                params=self._message_params(chat_id, text, markup),
                now=now,
                purpose=OutboxPurpose.QUEUE_CARD,
                ticket_id=ticket.id,
            )
        else:
            await queries.enqueue(
                session,
                method="editMessageText",
                chat_id=chat_id,
                params=self._edit_params(chat_id, origin.message_id, text, markup),
                now=now,
                purpose=OutboxPurpose.QUEUE_CARD,
                ticket_id=ticket.id,
            )
        return ticket

    # ------------------------------------------------------------------ admin actions

    async def approve_suggestion(
        self, session: AsyncSession, *, actor: User, ticket_id: int, origin: CardRef | None
    ) -> Ticket:
        """Send the suggestion currently shown on the card (the `Kirim` button)."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        suggestion = self.selected_suggestion(ticket)
        if suggestion is None:
            raise ActionRefused(texts.ALERT_NO_MORE_SUGGESTIONS)
        answered = await self._answer(
            session,
            actor=actor,
            ticket=ticket,
            answer=suggestion.answer,
            source_note=suggestion.source,
            answer_source=AnswerSource.SUGGESTION,
            kb_id=suggestion.entry_id,
            origin=origin,
        )
        await self._learn_from_approval(
            session, actor=actor, ticket=answered, entry_id=suggestion.entry_id
        )
        return answered

    async def _learn_from_approval(
        self, session: AsyncSession, *, actor: User, ticket: Ticket, entry_id: str
    ) -> None:
        """The admin confirmed this entry answers the citizen's words: remember the wording."""
        assert ticket.id is not None
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket.id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        wording = joined_text([m.text for m in inbound])
        if not wording:
            return
        outcome = await faq.learn_variant(
            session,
            suggester=self.suggester,
            entry_id=entry_id,
            wording=wording,
            ticket_id=ticket.id,
            actor=actor,
            now=self.clock.now(),
        )
        if outcome.variant is not None:
            await faq.refresh_overlay(session, self.suggester)

    async def answer_with_text(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        text: str,
        edited: bool,
        origin: CardRef | None,
    ) -> Ticket:
        """Send an admin's own (or edited) text as the answer."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        limit = self.answer_text_limit(ticket.id or 0)
        if utf16_len(text) > limit:
            raise ActionRefused(texts.REPLY_TOO_LONG.format(length=utf16_len(text), limit=limit))
        selected = self.selected_suggestion(ticket) if edited else None
        kb_id = selected.entry_id if selected else None
        return await self._answer(
            session,
            actor=actor,
            ticket=ticket,
            answer=text,
            source_note=None,
            answer_source=AnswerSource.EDITED if edited else AnswerSource.MANUAL,
            kb_id=kb_id,
            origin=origin,
        )

    @staticmethod
    def answer_text_limit(ticket_id: int) -> int:
        """Room left for the answer body once the header and footer are added."""
        wrapper = texts.answer_to_citizen(ticket_id=ticket_id, answer="", source=None)
        return 4096 - utf16_len(wrapper)

    async def _answer(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket: Ticket,
        answer: str,
        source_note: str | None,
        answer_source: AnswerSource,
        kb_id: str | None,
        origin: CardRef | None,
        forwarded_to: str | None = None,
    ) -> Ticket:
        assert ticket.id is not None
        assert actor.id is not None
        now = self.clock.now()
        measure = self.policy.measure_first_response(
            self.calendar, ticket.created_at, now, ticket.kind
        )
        won = await queries.close_ticket_if_open(
            session,
            ticket_id=ticket.id,
            values={
                "state": TicketState.ANSWERED,
                "first_response_at": now,
                "response_seconds": measure.wall_seconds,
                "response_working_seconds": measure.working_seconds,
                "answered_by_id": actor.id,
                "closed_at": now,
                "closed_by_id": actor.id,
                "close_reason": CloseReason.ANSWERED,
                "answer_source": answer_source,
                "answer_kb_id": kb_id,
                "forwarded_to": forwarded_to,
            },
        )
        if not won:
            raise ActionRefused(texts.ALERT_ALREADY_CLOSED)
        await session.refresh(ticket)
        await timers.cancel_ticket_timers(session, ticket_id=ticket.id, now=now)
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.ANSWERED,
            at=now,
            actor_id=actor.id,
            detail={
                "source": answer_source,
                "kb_id": kb_id,
                "working_seconds": measure.working_seconds,
                "within_target": measure.within_target,
            },
        )
        body = texts.answer_to_citizen(ticket_id=ticket.id, answer=answer, source=source_note)
        params: dict[str, Any] = {
            "_record_text": answer,
            "chat_id": ticket.chat_id,
            "text": body,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if ticket.last_citizen_message_id is not None:
            params["reply_parameters"] = {
                "message_id": ticket.last_citizen_message_id,
                "allow_sending_without_reply": True,
            }
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=ticket.chat_id,
            params=params,
            now=now,
            purpose=OutboxPurpose.ANSWER,
            ticket_id=ticket.id,
        )
        # The card shows the answer body as the admin wrote it, not the wrapped message.
        await self.refresh_cards(session, ticket=ticket, origin=origin, answer_text=answer)
        return ticket

    async def forward_ticket(
        self, session: AsyncSession, *, actor: User, ticket_id: int, agency_name: str
    ) -> Ticket:
        """`/teruskan`: the question belongs to another Perangkat Daerah; tell the citizen."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        return await self._answer(
            session,
            actor=actor,
            ticket=ticket,
            answer=texts.forwarded_answer(agency=agency_name),
            source_note=None,
            answer_source=AnswerSource.FORWARDED,
            kb_id=None,
            origin=None,
            forwarded_to=agency_name,
        )

    async def cycle_suggestion(
        self, session: AsyncSession, *, actor: User, ticket_id: int, origin: CardRef | None
    ) -> Ticket:
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        suggestions = self.current_suggestions(ticket)
        if len(suggestions) < 2:
            raise ActionRefused(texts.ALERT_NO_MORE_SUGGESTIONS)
        ticket.suggestion_index = (ticket.suggestion_index + 1) % len(suggestions)
        await queries.add_ticket_event(
            session,
            ticket_id=ticket_id,
            action=TicketAction.NEXT_SUGGESTION,
            at=self.clock.now(),
            actor_id=actor.id,
        )
        await self.refresh_cards(session, ticket=ticket, origin=origin, origin_in_queue=True)
        return ticket

    async def ignore_ticket(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        reason: CloseReason,
        origin: CardRef | None,
    ) -> Ticket:
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        now = self.clock.now()
        won = await queries.close_ticket_if_open(
            session,
            ticket_id=ticket_id,
            values={
                "state": TicketState.IGNORED,
                "closed_at": now,
                "closed_by_id": actor.id,
                "close_reason": reason,
            },
        )
        if not won:
            raise ActionRefused(texts.ALERT_ALREADY_CLOSED)
        await session.refresh(ticket)
        await timers.cancel_ticket_timers(session, ticket_id=ticket_id, now=now)
        await queries.add_ticket_event(
            session,
            ticket_id=ticket_id,
            action=TicketAction.IGNORED,
            at=now,
            actor_id=actor.id,
            detail={"reason": str(reason)},
        )
        await self.refresh_cards(session, ticket=ticket, origin=origin)
        return ticket

    async def set_kind(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        kind: TicketKind,
        origin: CardRef | None,
    ) -> Ticket:
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None:
            raise ActionRefused(texts.ALERT_STALE)
        previous = ticket.kind
        ticket.kind = kind
        if ticket.state == TicketState.OPEN and previous != kind:
            await timers.reschedule_ticket_timers(
                session, ticket=ticket, calendar=self.calendar, policy=self.policy
            )
        await queries.add_ticket_event(
            session,
            ticket_id=ticket_id,
            action=TicketAction.KIND_SET,
            at=self.clock.now(),
            actor_id=actor.id,
            detail={"from": str(previous), "to": str(kind)},
        )
        await self.refresh_cards(session, ticket=ticket, origin=origin, origin_in_queue=True)
        return ticket

    async def prompt_edit(
        self, session: AsyncSession, *, actor: User, ticket_id: int, chat_id: int
    ) -> Ticket:
        """Send the `Ubah` prompt: the draft to copy, answered by replying to the prompt."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        selected = self.selected_suggestion(ticket)
        draft = selected.answer if selected else ""
        text = texts.edit_prompt(
            ticket_id=ticket_id,
            admin_mention=texts.mention(telegram_id=actor.telegram_id, name=actor.first_name),
            draft=draft or "…",
        )
        params = self._message_params(chat_id, text, None)
        params["reply_markup"] = {"force_reply": True, "selective": True}
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=chat_id,
            params=params,
            now=self.clock.now(),
            purpose=OutboxPurpose.EDIT_PROMPT,
            ticket_id=ticket_id,
        )
        return ticket

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
        await queries.enqueue(
            session,
            method="editMessageReplyMarkup",
            chat_id=origin.chat_id,
            params={
                "chat_id": origin.chat_id,
                "message_id": origin.message_id,
                "reply_markup": markup,
            },
            now=self.clock.now(),
            purpose=OutboxPurpose.CARD_MARKUP,
            ticket_id=ticket_id,
            dedupe_key=f"markup:{origin.chat_id}:{origin.message_id}",
        )

    async def save_answer_to_faq(
        self, session: AsyncSession, *, actor: User, ticket_id: int
    ) -> str:
        """`Simpan ke FAQ`: the citizen's question and the admin's reply become an entry."""
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if ticket.state != TicketState.ANSWERED or ticket.answer_source not in OWN_WORDS:
            raise ActionRefused(texts.FAQ_NOT_SAVABLE)
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket_id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        question = joined_text([m.text for m in inbound])
        answer = await self._answer_text_of(session, ticket=ticket)
        if not question or not answer:
            raise ActionRefused(texts.FAQ_NOT_SAVABLE)
        entry_id = f"faq-tiket-{ticket_id}"
        try:
            await faq.create_entry(
                session,
                entry_id=entry_id,
                question=question[:1000],
                answer=answer,
                tags=[str(ticket.kind)],
                actor=actor,
                now=self.clock.now(),
            )
        except faq.FaqError as exc:
            raise ActionRefused(str(exc)) from None
        await queries.add_ticket_event(
            session,
            ticket_id=ticket_id,
            action=TicketAction.SAVED_TO_FAQ,
            at=self.clock.now(),
            actor_id=actor.id,
            detail={"entry_id": entry_id},
        )
        await faq.refresh_overlay(session, self.suggester)
        return entry_id

    async def send_attachments(self, session: AsyncSession, *, actor: User, ticket_id: int) -> int:
        """`Lihat lampiran`: copy the citizen's photos and files to the admin's private chat.

        Cards only label media, so the group is not filled with files; an admin looks at
        them on demand. Returns how many were queued.
        """
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket_id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        media = [m for m in inbound if m.file_id and m.telegram_message_id is not None]
        if not media:
            raise ActionRefused(texts.ALERT_NO_ATTACHMENTS)
        now = self.clock.now()
        chat_id = actor.telegram_id
        await queries.enqueue(
            session,
            method="sendMessage",
            chat_id=chat_id,
            params={
                "chat_id": chat_id,
                "text": texts.ATTACHMENTS_HEADER.format(ticket_id=ticket_id),
                "parse_mode": "HTML",
            },
            now=now,
            purpose=OutboxPurpose.NOTICE,
            ticket_id=ticket_id,
        )
        for message in media:
            await queries.enqueue(
                session,
                method="copyMessage",
                chat_id=chat_id,
                params={
                    "chat_id": chat_id,
                    "from_chat_id": message.chat_id,
                    "message_id": message.telegram_message_id,
                },
                now=now,
                purpose=OutboxPurpose.ATTACHMENT,
                ticket_id=ticket_id,
            )
        return len(media)

    async def ensure_open(self, session: AsyncSession, *, ticket_id: int) -> Ticket:
        """Refuse a button on a ticket that is already handled (stale card)."""
        return await self._open_ticket_or_refuse(session, ticket_id)

    async def redraw_card(
        self, session: AsyncSession, *, ticket_id: int, origin: CardRef | None, in_queue: bool
    ) -> None:
        """Put the tapped card back to its normal buttons (after `Kembali`)."""
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if origin is None:
            return
        if in_queue and ticket.state == TicketState.OPEN:
            text, markup = await self._queue_card_content(session, ticket=ticket)
        else:
            text, markup = await self._card_content(session, ticket=ticket, in_queue=False)
        await queries.enqueue(
            session,
            method="editMessageText",
            chat_id=origin.chat_id,
            params=self._edit_params(origin.chat_id, origin.message_id, text, markup),
            now=self.clock.now(),
            purpose=OutboxPurpose.CARD_EDIT,
            ticket_id=ticket_id,
            dedupe_key=f"card:{ticket_id}:{origin.chat_id}:{origin.message_id}",
        )

    async def ticket_for_reply(
        self, session: AsyncSession, *, chat_id: int, replied_message_id: int
    ) -> tuple[Ticket, bool] | None:
        """The ticket whose card (or edit prompt) was replied to; bool says 'edit prompt'."""
        message = await queries.find_message(
            session,
            chat_id=chat_id,
            telegram_message_id=replied_message_id,
            direction=Direction.OUT,
        )
        if message is None or message.ticket_id is None:
            return None
        if message.purpose not in CARD_PURPOSES:
            return None
        ticket = await session.get(Ticket, message.ticket_id)
        if ticket is None:
            return None
        return ticket, message.purpose == OutboxPurpose.EDIT_PROMPT

    async def _open_ticket_or_refuse(self, session: AsyncSession, ticket_id: int) -> Ticket:
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if ticket.state != TicketState.OPEN:
            raise ActionRefused(texts.ALERT_ALREADY_CLOSED)
        return ticket

    # ------------------------------------------------------------------ params

    @staticmethod
    def _reply_params(incoming: IncomingMessage, text: str) -> dict[str, Any]:
        return {
            "chat_id": incoming.chat_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_parameters": {
                "message_id": incoming.message_id,
                "allow_sending_without_reply": True,
            },
            "link_preview_options": {"is_disabled": True},
        }

    @staticmethod
    def _message_params(chat_id: int, text: str, markup: dict[str, Any] | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if markup is not None:
            params["reply_markup"] = markup
        return params

    @staticmethod
    def _edit_params(
        chat_id: int, message_id: int | None, text: str, markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if markup is not None:
            params["reply_markup"] = markup
        return params

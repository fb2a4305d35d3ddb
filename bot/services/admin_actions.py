"""What admins do to a ticket: send the suggestion or their own words, cycle suggestions,
ignore, set the kind, forward to another Perangkat Daerah, save an answer to the FAQ,
look at attachments.

Every action checks the ticket is still open (``ActionRefused`` otherwise) and closes it
with a conditional update, so two admins pressing ``Kirim`` together send one answer.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.cards import markup_to_dict, utf16_len
from bot.clock import Clock
from bot.domain.audit import AuditAction
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
from bot.domain.ethics import EthicsIssue, EthicsVerdict
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.keyboards import ethics_hold_keyboard, rating_keyboard
from bot.services import faq, timers
from bot.services.audit import AuditTrail
from bot.services.card_board import CardBoard
from bot.services.ethics import EthicsChecker
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester, joined_text
from bot.services.tickets import ActionRefused, CardRef
from storage import queries
from storage.models import Ticket, TicketEvent, User

MESSAGE_LIMIT = 4096

# Outcomes of the Pasal 12 check in the audit row (EthicsChecker.record).
ETHICS_CLEAN = "lolos"
ETHICS_HELD = "ditahan"
ETHICS_CONFIRMED = "kirim_tetap"
ETHICS_CANCELLED = "dibatalkan"
ETHICS_EDITED = "diubah"


class AnswerHeld(ActionRefused):
    """The ethics check held the answer; the admin got a notice with the choices."""


def rating_markup(ticket_id: int) -> dict[str, Any] | None:
    return markup_to_dict(rating_keyboard(ticket_id))


class AdminActions:
    def __init__(
        self,
        *,
        clock: Clock,
        suggester: Suggester,
        calendar: WorkingCalendar,
        policy: ServiceLevelPolicy,
        notifier: Notifier,
        board: CardBoard,
        agency_id: int,
        audit: AuditTrail | None = None,
        ethics: EthicsChecker | None = None,
    ) -> None:
        self.clock = clock
        self.suggester = suggester
        self.calendar = calendar
        self.policy = policy
        self.notifier = notifier
        self.board = board
        self.agency_id = agency_id
        self.audit = audit or AuditTrail(clock=clock, agency_id=agency_id)
        self.ethics = ethics or EthicsChecker(confidential_words=(), audit=self.audit)

    # ------------------------------------------------------------------ answering

    async def approve_suggestion(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        origin: CardRef | None,
        notice_chat_id: int | None = None,
    ) -> Ticket:
        """Send the suggestion currently shown on the card (the `Kirim` button)."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        suggestion = self.board.selected_suggestion(ticket)
        if suggestion is None:
            raise ActionRefused(texts.ALERT_NO_MORE_SUGGESTIONS)
        await self._check_or_hold(
            session,
            actor=actor,
            ticket=ticket,
            pending={
                "answer": suggestion.answer,
                "source_note": suggestion.source,
                "answer_source": str(AnswerSource.SUGGESTION),
                "kb_id": suggestion.entry_id,
            },
            notice_chat_id=notice_chat_id,
            notice_reply_to=None,
        )
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
        notice_chat_id: int | None = None,
        notice_reply_to: int | None = None,
    ) -> Ticket:
        """Send an admin's own (or edited) text as the answer."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        limit = self.answer_text_limit(ticket.id or 0)
        if utf16_len(text) > limit:
            raise ActionRefused(texts.REPLY_TOO_LONG.format(length=utf16_len(text), limit=limit))
        selected = self.board.selected_suggestion(ticket) if edited else None
        kb_id = selected.entry_id if selected else None
        answer_source = AnswerSource.EDITED if edited else AnswerSource.MANUAL
        await self._check_or_hold(
            session,
            actor=actor,
            ticket=ticket,
            pending={
                "answer": text,
                "source_note": None,
                "answer_source": str(answer_source),
                "kb_id": kb_id,
            },
            notice_chat_id=notice_chat_id,
            notice_reply_to=notice_reply_to,
        )
        return await self._answer(
            session,
            actor=actor,
            ticket=ticket,
            answer=text,
            source_note=None,
            answer_source=answer_source,
            kb_id=kb_id,
            origin=origin,
        )

    # ------------------------------------------------------------------ ethics (Pasal 12)

    async def _verdict(
        self, session: AsyncSession, *, ticket: Ticket, answer: str
    ) -> EthicsVerdict:
        """The check of ``answer`` against the citizen's own texts of the ticket."""
        assert ticket.id is not None
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket.id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        return self.ethics.check(answer, citizen_texts=[m.text for m in inbound if m.text])

    async def _check_or_hold(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket: Ticket,
        pending: dict[str, Any],
        notice_chat_id: int | None,
        notice_reply_to: int | None,
    ) -> None:
        """Let a clean answer through; otherwise store it, tell the admin why and raise.

        The pending answer lives in the ETHICS_HELD ticket event so the admin's choice
        still works after a restart; the buttons carry only that event's id."""
        assert ticket.id is not None
        verdict = await self._verdict(session, ticket=ticket, answer=pending["answer"])
        if verdict.passed:
            await self.ethics.record(
                session, actor=actor, ticket_id=ticket.id, verdict=verdict, outcome=ETHICS_CLEAN
            )
            return
        issues = sorted(str(issue) for issue in verdict.issues())
        kinds = sorted({f.kind for f in verdict.findings if f.issue == EthicsIssue.PERSONAL_DATA})
        held = await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.ETHICS_HELD,
            at=self.clock.now(),
            actor_id=actor.id,
            detail={**pending, "issues": issues, "kinds": kinds},
        )
        assert held.id is not None
        await self.ethics.record(
            session, actor=actor, ticket_id=ticket.id, verdict=verdict, outcome=ETHICS_HELD
        )
        await self.notifier.send_text(
            session,
            chat_id=notice_chat_id if notice_chat_id is not None else actor.telegram_id,
            text=texts.ethics_held(ticket_id=ticket.id, issues=issues, kinds=kinds),
            reply_to=notice_reply_to,
            markup=markup_to_dict(ethics_hold_keyboard(ticket.id, held.id)),
            purpose=OutboxPurpose.NOTICE,
            ticket_id=ticket.id,
        )
        raise AnswerHeld(texts.ALERT_ETHICS_HELD)

    async def _pending_hold(
        self, session: AsyncSession, *, ticket_id: int, held_id: int
    ) -> tuple[Ticket, TicketEvent, dict[str, Any]]:
        """The held answer the button names, if it is this agency's and still undecided."""
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        held = await queries.get_ticket_event(session, event_id=held_id)
        if (
            ticket is None
            or ticket.agency_id != self.agency_id
            or held is None
            or held.ticket_id != ticket_id
            or held.action != TicketAction.ETHICS_HELD
            or not held.detail
        ):
            raise ActionRefused(texts.ALERT_STALE)
        resolutions = await queries.ticket_events(
            session, ticket_id=ticket_id, action=TicketAction.ETHICS_RESOLVED
        )
        if any(json.loads(event.detail or "{}").get("held") == held_id for event in resolutions):
            raise ActionRefused(texts.ALERT_STALE)
        return ticket, held, json.loads(held.detail)

    async def _resolve_hold(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket: Ticket,
        held_id: int,
        answer: str,
        outcome: str,
        notice: CardRef | None,
    ) -> None:
        assert ticket.id is not None
        held = await queries.get_ticket_event(session, event_id=held_id)
        if held is not None and held.detail:
            # Decided: the held text (possibly someone else's data) need not be kept; a sent
            # answer is in the message record anyway.
            detail = json.loads(held.detail)
            detail["answer"] = None
            held.detail = json.dumps(detail, ensure_ascii=False)
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.ETHICS_RESOLVED,
            at=self.clock.now(),
            actor_id=actor.id,
            detail={"held": held_id, "outcome": outcome},
        )
        verdict = await self._verdict(session, ticket=ticket, answer=answer)
        await self.ethics.record(
            session, actor=actor, ticket_id=ticket.id, verdict=verdict, outcome=outcome
        )
        if notice is not None:
            # The choice is made: the notice loses its buttons and says what happened.
            await self.notifier.edit_text(
                session,
                chat_id=notice.chat_id,
                message_id=notice.message_id,
                text=texts.ethics_resolved(ticket_id=ticket.id, outcome=outcome),
                purpose=OutboxPurpose.NOTICE,
                ticket_id=ticket.id,
            )

    async def confirm_held_answer(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        held_id: int,
        notice: CardRef | None,
    ) -> Ticket:
        """`Kirim tetap`: send the held answer as it is; the audit row says confirmed."""
        ticket, _, pending = await self._pending_hold(
            session, ticket_id=ticket_id, held_id=held_id
        )
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        answer_source = AnswerSource(pending["answer_source"])
        answered = await self._answer(
            session,
            actor=actor,
            ticket=ticket,
            answer=pending["answer"],
            source_note=pending.get("source_note"),
            answer_source=answer_source,
            kb_id=pending.get("kb_id"),
            origin=None,
        )
        await self._resolve_hold(
            session,
            actor=actor,
            ticket=answered,
            held_id=held_id,
            answer=pending["answer"],
            outcome=ETHICS_CONFIRMED,
            notice=notice,
        )
        if answer_source == AnswerSource.SUGGESTION and pending.get("kb_id"):
            await self._learn_from_approval(
                session, actor=actor, ticket=answered, entry_id=pending["kb_id"]
            )
        return answered

    async def cancel_held_answer(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        held_id: int,
        notice: CardRef | None,
    ) -> None:
        """`Batal`: nothing is sent; the ticket stays open."""
        ticket, _, pending = await self._pending_hold(
            session, ticket_id=ticket_id, held_id=held_id
        )
        await self._resolve_hold(
            session,
            actor=actor,
            ticket=ticket,
            held_id=held_id,
            answer=pending["answer"],
            outcome=ETHICS_CANCELLED,
            notice=notice,
        )

    async def edit_held_answer(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        held_id: int,
        notice: CardRef | None,
        chat_id: int,
    ) -> None:
        """`Ubah`: the card's edit prompt, with the held answer as the draft; the new
        answer is checked again when the admin replies."""
        ticket, _, pending = await self._pending_hold(
            session, ticket_id=ticket_id, held_id=held_id
        )
        await self.prompt_edit(
            session, actor=actor, ticket_id=ticket_id, chat_id=chat_id, draft=pending["answer"]
        )
        await self._resolve_hold(
            session,
            actor=actor,
            ticket=ticket,
            held_id=held_id,
            answer=pending["answer"],
            outcome=ETHICS_EDITED,
            notice=notice,
        )

    @staticmethod
    def answer_text_limit(ticket_id: int) -> int:
        """Room left for the answer body once the header and footer are added."""
        wrapper = texts.answer_to_citizen(ticket_id=ticket_id, answer="", source=None)
        return MESSAGE_LIMIT - utf16_len(wrapper)

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
        await self._deliver_answer(session, ticket=ticket, answer=answer, source_note=source_note)
        await self._audit_answer(
            session, actor=actor, ticket=ticket, answer_source=answer_source, kb_id=kb_id
        )
        # The card shows the answer body as the admin wrote it, not the wrapped message.
        await self.board.refresh_cards(session, ticket=ticket, origin=origin, answer_text=answer)
        return ticket

    async def _deliver_answer(
        self, session: AsyncSession, *, ticket: Ticket, answer: str, source_note: str | None
    ) -> None:
        """The answer where the citizen asked: the private chat, the citizen's topic in the
        channel's direct messages, or a reply under the comment in the discussion thread;
        for a comment, also privately when the admin chose so."""
        assert ticket.id is not None
        text = texts.answer_to_citizen(ticket_id=ticket.id, answer=answer, source=source_note)
        from_comment = ticket.channel_post_id is not None
        await self.notifier.send_text(
            session,
            chat_id=ticket.chat_id,
            text=text,
            record_text=answer,
            reply_to=ticket.last_citizen_message_id,
            purpose=OutboxPurpose.ANSWER,
            ticket_id=ticket.id,
            # Rating buttons only where the citizen alone sees them, not in a public thread.
            markup=None if from_comment else rating_markup(ticket.id),
            direct_messages_topic_id=ticket.direct_messages_topic_id,
        )
        if from_comment and ticket.answer_privately:
            await self._send_private_copy(session, ticket=ticket, text=text, answer=answer)

    async def _send_private_copy(
        self, session: AsyncSession, *, ticket: Ticket, text: str, answer: str
    ) -> None:
        """The comment's answer in the citizen's private chat. Telegram refuses it (403)
        unless the citizen has started the bot; the sender then fails this row alone."""
        assert ticket.id is not None
        citizen = await queries.get_user(session, user_id=ticket.citizen_id)
        assert citizen is not None
        await self.notifier.send_text(
            session,
            chat_id=citizen.telegram_id,
            text=texts.PRIVATE_COPY_INTRO + "\n\n" + text,
            record_text=answer,
            purpose=OutboxPurpose.ANSWER,
            ticket_id=ticket.id,
            markup=rating_markup(ticket.id),
            dedupe_key=f"answer-private:{ticket.id}",
        )

    async def toggle_private_copy(
        self, session: AsyncSession, *, actor: User, ticket_id: int, origin: CardRef | None
    ) -> bool:
        """Flip whether a comment ticket's answer also goes privately; returns the choice."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        if ticket.channel_post_id is None:
            raise ActionRefused(texts.ALERT_PRIVATE_COPY_NOT_COMMENT)
        assert ticket.id is not None
        ticket.answer_privately = not ticket.answer_privately
        await queries.add_ticket_event(
            session,
            ticket_id=ticket.id,
            action=TicketAction.PRIVATE_COPY_SET,
            at=self.clock.now(),
            actor_id=actor.id,
            detail={"private": ticket.answer_privately},
        )
        await self.board.refresh_cards(session, ticket=ticket, origin=origin)
        return ticket.answer_privately

    async def _audit_answer(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket: Ticket,
        answer_source: AnswerSource,
        kb_id: str | None,
    ) -> None:
        action = {
            AnswerSource.FORWARDED: AuditAction.FORWARD,
            AnswerSource.EDITED: AuditAction.EDIT,
        }.get(answer_source, AuditAction.ANSWER)
        await self.audit.record(
            session,
            actor=actor,
            action=action,
            ticket_id=ticket.id,
            target=ticket.forwarded_to,
            detail={"source": str(answer_source), "kb_id": kb_id},
        )

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

    # ------------------------------------------------------------------ card buttons

    async def cycle_suggestion(
        self, session: AsyncSession, *, actor: User, ticket_id: int, origin: CardRef | None
    ) -> Ticket:
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        suggestions = self.board.current_suggestions(ticket)
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
        await self.board.refresh_cards(session, ticket=ticket, origin=origin, origin_in_queue=True)
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
        await self.audit.record(
            session,
            actor=actor,
            action=AuditAction.IGNORE,
            ticket_id=ticket_id,
            detail={"reason": str(reason)},
        )
        await self.board.refresh_cards(session, ticket=ticket, origin=origin)
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
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
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
        await self.audit.record(
            session,
            actor=actor,
            action=AuditAction.KIND_CHANGE,
            ticket_id=ticket_id,
            detail={"from": str(previous), "to": str(kind)},
        )
        await self.board.refresh_cards(session, ticket=ticket, origin=origin, origin_in_queue=True)
        return ticket

    async def prompt_edit(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        chat_id: int,
        draft: str | None = None,
    ) -> Ticket:
        """Send the `Ubah` prompt: the draft to copy, answered by replying to the prompt."""
        ticket = await self._open_ticket_or_refuse(session, ticket_id)
        if draft is None:
            selected = self.board.selected_suggestion(ticket)
            draft = selected.answer if selected else ""
        text = texts.edit_prompt(
            ticket_id=ticket_id,
            admin_mention=texts.mention(telegram_id=actor.telegram_id, name=actor.first_name),
            draft=draft or "…",
        )
        await self.notifier.send_text(
            session,
            chat_id=chat_id,
            text=text,
            markup={"force_reply": True, "selective": True},
            purpose=OutboxPurpose.EDIT_PROMPT,
            ticket_id=ticket_id,
        )
        return ticket

    async def save_answer_to_faq(
        self, session: AsyncSession, *, actor: User, ticket_id: int
    ) -> str:
        """`Simpan ke FAQ`: the citizen's question and the admin's reply become an entry."""
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if ticket.state != TicketState.ANSWERED or ticket.answer_source not in OWN_WORDS:
            raise ActionRefused(texts.FAQ_NOT_SAVABLE)
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket_id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        question = joined_text([m.text for m in inbound])
        answer = await self.board.answer_text_of(session, ticket=ticket)
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
        await self.audit.record(
            session,
            actor=actor,
            action=AuditAction.FAQ_CHANGE,
            ticket_id=ticket_id,
            target=entry_id,
            detail={"change": "created"},
        )
        await faq.refresh_overlay(session, self.suggester)
        return entry_id

    async def send_attachments(self, session: AsyncSession, *, actor: User, ticket_id: int) -> int:
        """`Lihat lampiran`: copy the citizen's photos and files to the admin's private chat.

        Cards only label media, so the group is not filled with files; an admin looks at
        them on demand. Returns how many were queued.
        """
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        inbound = await queries.ticket_messages(
            session, ticket_id=ticket_id, direction=Direction.IN, user_id=ticket.citizen_id
        )
        media = [m for m in inbound if m.file_id and m.telegram_message_id is not None]
        if not media:
            raise ActionRefused(texts.ALERT_NO_ATTACHMENTS)
        chat_id = actor.telegram_id
        await self.notifier.send_text(
            session,
            chat_id=chat_id,
            text=texts.ATTACHMENTS_HEADER.format(ticket_id=ticket_id),
            link_preview=None,
            purpose=OutboxPurpose.NOTICE,
            ticket_id=ticket_id,
        )
        for message in media:
            assert message.telegram_message_id is not None
            await self.notifier.copy_message(
                session,
                chat_id=chat_id,
                from_chat_id=message.chat_id,
                message_id=message.telegram_message_id,
                purpose=OutboxPurpose.ATTACHMENT,
                ticket_id=ticket_id,
            )
        return len(media)

    # ------------------------------------------------------------------ lookups

    async def ensure_open(self, session: AsyncSession, *, ticket_id: int) -> Ticket:
        """Refuse a button on a ticket that is already handled (stale card)."""
        return await self._open_ticket_or_refuse(session, ticket_id)

    async def ticket_for_reply(
        self, session: AsyncSession, *, chat_id: int, replied_message_id: int
    ) -> tuple[Ticket, bool] | None:
        """The ticket whose card (or edit prompt) was replied to; bool says 'edit prompt'."""
        message = await queries.find_message(
            session,
            chat_id=chat_id,
            telegram_message_id=replied_message_id,
            direction=Direction.OUT,
            agency_id=self.agency_id,
        )
        if message is None or message.ticket_id is None:
            return None
        if message.purpose not in CARD_PURPOSES:
            return None
        ticket = await queries.get_ticket(session, ticket_id=message.ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            return None
        return ticket, message.purpose == OutboxPurpose.EDIT_PROMPT

    async def _open_ticket_or_refuse(self, session: AsyncSession, ticket_id: int) -> Ticket:
        ticket = await queries.get_ticket(session, ticket_id=ticket_id)
        if ticket is None or ticket.agency_id != self.agency_id:
            raise ActionRefused(texts.ALERT_STALE)
        if ticket.state != TicketState.OPEN:
            raise ActionRefused(texts.ALERT_ALREADY_CLOSED)
        return ticket

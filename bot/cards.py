"""Ticket cards for admins: HTML text and inline keyboard, as JSON-ready Bot API params.

Telegram limits a message to 4096 characters (UTF-16 code units, counted after entity
parsing). We budget on the raw HTML, which is never shorter than the parsed text, so a card
built here is always accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot import keyboards, texts
from bot.domain.enums import TicketState
from bot.services.suggestions import Suggestion
from storage.models import AnswerRating, Message, Ticket, User

TELEGRAM_TEXT_LIMIT = 4096
CITIZEN_TEXT_BUDGET = 1800
ANSWER_PREVIEW_BUDGET = 1500
# A citizen's comment on the answer, shortened on the card (the record keeps it whole).
RATING_COMMENT_BUDGET = 200


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit_escaped(text: str, budget: int) -> str:
    """Escape ``text`` for HTML, shortened so that the escaped form fits ``budget``."""
    escaped = texts.esc(text)
    if utf16_len(escaped) <= budget:
        return escaped
    marker = " " + texts.CARD_TRUNCATED
    room = budget - utf16_len(marker)
    low, high = 0, len(text)
    # Escaping can lengthen text, so search for the longest prefix whose escape fits.
    while low < high:
        middle = (low + high + 1) // 2
        if utf16_len(texts.esc(text[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    return texts.esc(text[:low]) + marker


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d/%m %H.%M")


@dataclass(frozen=True)
class CardContext:
    ticket: Ticket
    citizen: User
    messages: Sequence[Message]
    suggestion: Suggestion | None
    suggestion_position: int
    suggestion_total: int
    tz: ZoneInfo
    answered_by: User | None = None
    answer_text: str | None = None
    response: str | None = None
    in_queue: bool = False
    can_save_faq: bool = False
    rating: AnswerRating | None = None


def _citizen_lines(context: CardContext) -> list[str]:
    lines = []
    budget = CITIZEN_TEXT_BUDGET
    for message in context.messages:
        label = texts.CONTENT_LABELS.get(message.content_type)
        body = message.text or ""
        prefix = f"{label} " if label else ""
        if message.is_forwarded:
            prefix = "↪️ " + prefix
        if budget < 80:
            lines.append(texts.CARD_TRUNCATED)
            break
        piece = fit_escaped(body, budget) if body else ""
        lines.append(f"💬 {prefix}{piece}".rstrip())
        budget -= utf16_len(piece) + 20
    return lines


def _header(context: CardContext) -> str:
    ticket = context.ticket
    assert ticket.id is not None
    return texts.card_header(
        state=ticket.state,
        ticket_id=ticket.id,
        kind=texts.KIND_LABELS[ticket.kind],
        when=local_time(ticket.created_at, context.tz),
        citizen_name=texts.ANONYMOUS_CITIZEN if ticket.anonymous else context.citizen.first_name,
        username=None if ticket.anonymous else context.citizen.username,
        from_comment=ticket.channel_post_id is not None,
    ) + _flag_lines(ticket)


def _flag_lines(ticket: Ticket) -> str:
    flags = [
        line
        for on, line in (
            (ticket.confidential, texts.CARD_FLAG_CONFIDENTIAL),
            (ticket.anonymous, texts.CARD_FLAG_ANONYMOUS),
        )
        if on
    ]
    return "".join("\n" + line for line in flags)


def _suggestion_block(context: CardContext) -> str:
    suggestion = context.suggestion
    if suggestion is None:
        return texts.CARD_NO_SUGGESTION
    return texts.card_suggestion(
        position=context.suggestion_position,
        total=context.suggestion_total,
        confidence=round(suggestion.score * 100),
        entry_id=suggestion.entry_id,
        source=suggestion.source,
        answer_html=fit_escaped(suggestion.answer, ANSWER_PREVIEW_BUDGET),
    )


def _outcome_block(context: CardContext) -> str:
    ticket = context.ticket
    who = context.answered_by.first_name if context.answered_by else None
    when = local_time(ticket.closed_at or ticket.created_at, context.tz)
    if ticket.state == TicketState.ANSWERED:
        return texts.card_answered(
            who=who,
            when=when,
            response=context.response,
            forwarded_to=ticket.forwarded_to,
            answer_html=fit_escaped(context.answer_text or "", ANSWER_PREVIEW_BUDGET),
        )
    reason = texts.CLOSE_REASON_LABELS.get(ticket.close_reason or "", "")
    return texts.card_ignored(who=who, when=when, reason=reason)


def render_card(context: CardContext) -> tuple[str, dict[str, Any] | None]:
    """Card text (HTML) and reply_markup as a plain dict for the outbox."""
    ticket = context.ticket
    assert ticket.id is not None
    parts = [_header(context), "\n".join(_citizen_lines(context))]
    markup: InlineKeyboardMarkup | None
    if ticket.state == TicketState.OPEN:
        parts.append(_suggestion_block(context))
        parts.append(texts.CARD_REPLY_HINT)
        markup = keyboards.open_card_keyboard(
            ticket.id,
            has_suggestion=context.suggestion is not None,
            in_queue=context.in_queue,
            attachments=sum(1 for message in context.messages if message.file_id),
            private_copy=ticket.answer_privately if ticket.channel_post_id is not None else None,
        )
    else:
        parts.append(_outcome_block(context))
        if context.rating is not None:
            parts.append(
                texts.card_rating(
                    positive=context.rating.positive,
                    comment_html=(
                        fit_escaped(context.rating.comment, RATING_COMMENT_BUDGET)
                        if context.rating.comment
                        else None
                    ),
                )
            )
        markup = keyboards.closed_card_keyboard(ticket.id, can_save_faq=context.can_save_faq)
    text = "\n\n".join(part for part in parts if part)
    # The budgets above keep a card near 3,900 units at most; this guards the invariant.
    assert utf16_len(text) <= TELEGRAM_TEXT_LIMIT, "card budget exceeded"
    return text, markup_to_dict(markup)


def markup_to_dict(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    if markup is None:
        return None
    return markup.model_dump(mode="json", exclude_none=True)

"""Every outgoing Bot API call starts here, as an outbox row in the caller's transaction.

One builder for each kind of call (send a text, edit one, swap a keyboard, answer a
button, send a document, copy a citizen's file), so the parameters Telegram gets are
written in one place. Nothing here talks to Telegram: ``bot/transport/sender.py`` drains
the rows after the commit.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.domain.enums import OutboxPurpose
from bot.domain.outbox import Attachment, OutboxPayload
from storage import queries
from storage.models import Outbox

Markup = dict[str, Any]
CALLBACK_TEXT_LIMIT = 200
CAPTION_LIMIT = 1024


class Notifier:
    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def send_text(
        self,
        session: AsyncSession,
        *,
        chat_id: int,
        text: str,
        purpose: OutboxPurpose,
        ticket_id: int | None = None,
        reply_to: int | None = None,
        markup: Markup | None = None,
        link_preview: bool | None = False,
        record_text: str | None = None,
        dedupe_key: str | None = None,
        direct_messages_topic_id: int | None = None,
    ) -> Outbox:
        """``sendMessage`` in HTML. ``link_preview=None`` leaves Telegram's default.

        ``direct_messages_topic_id`` names the citizen's topic in a channel's
        direct-messages chat; Telegram refuses a send there without it."""
        params: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
        if direct_messages_topic_id is not None:
            params["direct_messages_topic_id"] = direct_messages_topic_id
        if reply_to is not None:
            params["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,
            }
        if link_preview is False:
            params["link_preview_options"] = {"is_disabled": True}
        if markup is not None:
            params["reply_markup"] = markup
        return await self._enqueue(
            session,
            method="sendMessage",
            chat_id=chat_id,
            payload=OutboxPayload(params, record_text=record_text),
            purpose=purpose,
            ticket_id=ticket_id,
            dedupe_key=dedupe_key,
        )

    async def edit_text(
        self,
        session: AsyncSession,
        *,
        chat_id: int,
        message_id: int | None,
        text: str,
        purpose: OutboxPurpose,
        markup: Markup | None = None,
        ticket_id: int | None = None,
        dedupe_key: str | None = None,
        target_outbox_id: int | None = None,
    ) -> Outbox:
        """``editMessageText``. Without a message id yet, ``target_outbox_id`` names the
        row whose message this edits; the sender fills the id in once that row is sent."""
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if markup is not None:
            params["reply_markup"] = markup
        return await self._enqueue(
            session,
            method="editMessageText",
            chat_id=chat_id,
            payload=OutboxPayload(params),
            purpose=purpose,
            ticket_id=ticket_id,
            dedupe_key=dedupe_key,
            target_outbox_id=target_outbox_id,
        )

    async def edit_markup(
        self,
        session: AsyncSession,
        *,
        chat_id: int,
        message_id: int,
        markup: Markup,
        purpose: OutboxPurpose,
        ticket_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> Outbox:
        """``editMessageReplyMarkup``: swap only the keyboard."""
        params = {"chat_id": chat_id, "message_id": message_id, "reply_markup": markup}
        return await self._enqueue(
            session,
            method="editMessageReplyMarkup",
            chat_id=chat_id,
            payload=OutboxPayload(params),
            purpose=purpose,
            ticket_id=ticket_id,
            dedupe_key=dedupe_key,
        )

    async def answer_callback(
        self, session: AsyncSession, *, user_id: int, query_id: str, text: str, alert: bool
    ) -> Outbox:
        """``answerCallbackQuery``, after the commit it reports on."""
        params = {
            "callback_query_id": query_id,
            "text": text[:CALLBACK_TEXT_LIMIT],
            "show_alert": alert,
        }
        return await self._enqueue(
            session,
            method="answerCallbackQuery",
            chat_id=user_id,
            payload=OutboxPayload(params),
            purpose=OutboxPurpose.CALLBACK_ANSWER,
        )

    async def send_document(
        self,
        session: AsyncSession,
        *,
        chat_id: int,
        filename: str,
        content: bytes,
        caption: str,
        purpose: OutboxPurpose,
    ) -> Outbox:
        params = {"chat_id": chat_id, "caption": caption[:CAPTION_LIMIT]}
        return await self._enqueue(
            session,
            method="sendDocument",
            chat_id=chat_id,
            payload=OutboxPayload(params, attachment=Attachment(filename, content)),
            purpose=purpose,
        )

    async def copy_message(
        self,
        session: AsyncSession,
        *,
        chat_id: int,
        from_chat_id: int,
        message_id: int,
        purpose: OutboxPurpose,
        ticket_id: int | None = None,
    ) -> Outbox:
        params = {"chat_id": chat_id, "from_chat_id": from_chat_id, "message_id": message_id}
        return await self._enqueue(
            session,
            method="copyMessage",
            chat_id=chat_id,
            payload=OutboxPayload(params),
            purpose=purpose,
            ticket_id=ticket_id,
        )

    async def _enqueue(
        self,
        session: AsyncSession,
        *,
        method: str,
        chat_id: int,
        payload: OutboxPayload,
        purpose: OutboxPurpose,
        ticket_id: int | None = None,
        dedupe_key: str | None = None,
        target_outbox_id: int | None = None,
    ) -> Outbox:
        return await queries.enqueue(
            session,
            method=method,
            chat_id=chat_id,
            payload=payload,
            now=self.clock.now(),
            purpose=purpose,
            ticket_id=ticket_id,
            dedupe_key=dedupe_key,
            target_outbox_id=target_outbox_id,
        )

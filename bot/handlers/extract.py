"""Turn aiogram messages into the plain records the services take."""

from __future__ import annotations

from aiogram.types import Message

from bot.services.tickets import IncomingMessage


def file_id_of(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    for attachment in (
        message.document,
        message.voice,
        message.audio,
        message.video,
        message.video_note,
        message.animation,
        message.sticker,
    ):
        if attachment is not None:
            return attachment.file_id
    return None


def text_of(message: Message) -> str | None:  # noqa: PLR0911 (one branch per content type)
    if message.text is not None:
        return message.text
    if message.caption is not None:
        return message.caption
    if message.location is not None:
        return f"{message.location.latitude:.6f}, {message.location.longitude:.6f}"
    if message.venue is not None:
        return f"{message.venue.title}, {message.venue.address}"
    if message.contact is not None:
        return f"{message.contact.first_name} {message.contact.phone_number}".strip()
    if message.poll is not None:
        return message.poll.question
    if message.sticker is not None:
        return message.sticker.emoji
    return None


def incoming_from(message: Message) -> IncomingMessage:
    return IncomingMessage(
        chat_id=message.chat.id,
        message_id=message.message_id,
        content_type=str(getattr(message.content_type, "value", message.content_type)),
        text=text_of(message),
        file_id=file_id_of(message),
        is_forwarded=message.forward_origin is not None,
        sent_at=message.date,
        reply_to_message_id=(
            message.reply_to_message.message_id if message.reply_to_message else None
        ),
        direct_messages_topic_id=(
            message.direct_messages_topic.topic_id if message.direct_messages_topic else None
        ),
    )

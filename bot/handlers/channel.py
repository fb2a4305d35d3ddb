"""The official channel and its discussion group: posts, and comments that open tickets."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message, MessageOriginChannel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.domain.enums import Role
from bot.domain.outreach import category_from_text
from bot.handlers.admin import is_staff
from bot.handlers.citizen import receive_or_take_comment
from bot.handlers.extract import incoming_from, text_of
from bot.services.intake import Intake
from bot.services.ratings import Ratings
from storage import queries
from storage.models import ChannelPost, User

router = Router(name=__name__)


def is_official_channel(message: Message, settings: Settings) -> bool:
    return settings.channel_id is None or message.chat.id == settings.channel_id


def is_discussion_group(message: Message, settings: Settings) -> bool:
    return (
        settings.discussion_chat_id is not None and message.chat.id == settings.discussion_chat_id
    )


@router.channel_post(is_official_channel)
async def record_channel_post(message: Message, session: AsyncSession, agency_id: int) -> None:
    """A new post on the official channel."""
    post = await queries.find_post(
        session, channel_id=message.chat.id, channel_message_id=message.message_id
    )
    if post is None:
        await queries.add_post(
            session,
            ChannelPost(
                agency_id=agency_id,
                channel_id=message.chat.id,
                channel_message_id=message.message_id,
                text=text_of(message),
                posted_at=message.date,
                category=category_from_text(text_of(message)),
            ),
        )


@router.message(F.chat.is_direct_messages)
async def receive_direct_message(
    message: Message,
    session: AsyncSession,
    user: User | None,
    role: Role,
    intake: Intake,
    ratings: Ratings,
    update_id: int,
) -> None:
    """A message in the official channel's direct-messages chat (Bot API 9.2)."""
    incoming = incoming_from(message)
    if user is None or is_staff(role) or incoming.direct_messages_topic_id is None:
        # The channel's own replies (and staff writing there) are kept in the record only.
        await intake.record_inbound(session, incoming=incoming, user=user, update_id=update_id)
        return
    await receive_or_take_comment(
        session,
        incoming=incoming,
        user=user,
        intake=intake,
        ratings=ratings,
        update_id=update_id,
    )


@router.message(is_discussion_group, F.is_automatic_forward)
async def link_discussion_copy(message: Message, session: AsyncSession, agency_id: int) -> None:
    """Telegram's automatic copy of a channel post in the discussion group."""
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        return
    post = await queries.find_post(
        session, channel_id=origin.chat.id, channel_message_id=origin.message_id
    )
    if post is None:
        post = await queries.add_post(
            session,
            ChannelPost(
                agency_id=agency_id,
                channel_id=origin.chat.id,
                channel_message_id=origin.message_id,
                text=text_of(message),
                posted_at=origin.date,
                category=category_from_text(text_of(message)),
            ),
        )
    post.discussion_message_id = message.message_id


@router.message(is_discussion_group)
async def receive_comment(
    message: Message,
    session: AsyncSession,
    user: User | None,
    role: Role,
    intake: Intake,
    update_id: int,
) -> None:
    """A comment in the discussion group under a channel post."""
    incoming = incoming_from(message)
    thread_id = message.message_thread_id
    if thread_id is None and message.reply_to_message is not None:
        thread_id = message.reply_to_message.message_id
    post = None
    if thread_id is not None:
        post = await queries.post_for_thread(session, discussion_message_id=thread_id)
    if user is None or is_staff(role) or post is None:
        # Staff replies and chatter outside a post thread are kept in the record only.
        await intake.record_inbound(session, incoming=incoming, user=user, update_id=update_id)
        return
    await intake.receive_citizen_message(
        session, incoming=incoming, citizen=user, update_id=update_id, channel_post=post
    )

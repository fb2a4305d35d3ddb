"""The official channel: its posts, their discussion-group copies, member counts."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChannelPost


async def find_post(
    session: AsyncSession, *, channel_id: int, channel_message_id: int
) -> ChannelPost | None:
    statement = select(ChannelPost).where(
        ChannelPost.channel_id == channel_id,
        ChannelPost.channel_message_id == channel_message_id,
    )
    return (await session.exec(statement)).first()


async def post_for_thread(
    session: AsyncSession, *, discussion_message_id: int
) -> ChannelPost | None:
    statement = select(ChannelPost).where(
        ChannelPost.discussion_message_id == discussion_message_id
    )
    return (await session.exec(statement)).first()


async def add_post(session: AsyncSession, post: ChannelPost) -> ChannelPost:
    session.add(post)
    return post

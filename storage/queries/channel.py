"""The official channel: its posts, their discussion-group copies, member counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.models import ChannelMemberSnapshot, ChannelPost


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


async def save_member_count(
    session: AsyncSession,
    *,
    agency_id: int,
    channel_id: int,
    day: date,
    count: int,
    now: datetime,
) -> None:
    """The channel's member count on ``day`` (a later reading that day replaces it)."""
    table = ChannelMemberSnapshot.__table__  # type: ignore[attr-defined]
    values = {
        "agency_id": agency_id,
        "channel_id": channel_id,
        "day": day,
        "member_count": count,
        "taken_at": now,
    }
    statement = (
        dialect_insert(session, table)
        .values(values)
        .on_conflict_do_update(
            index_elements=["channel_id", "day"],
            set_={"member_count": count, "taken_at": now},
        )
    )
    await session.exec(statement)

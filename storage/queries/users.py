"""Agencies and users: roles, names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.enums import (
    Role,
)
from storage.models import (
    Agency,
    User,
)


async def ensure_agency(session: AsyncSession, *, code: str, name: str) -> Agency:
    agency = (await session.exec(select(Agency).where(Agency.code == code))).first()
    if agency is None:
        agency = Agency(code=code, name=name)
        session.add(agency)
        await session.flush()
    elif agency.name != name:
        agency.name = name
    return agency


async def upsert_user(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str | None,
) -> User:
    user = (await session.exec(select(User).where(User.telegram_id == telegram_id))).first()
    if user is None:
        user = User(telegram_id=telegram_id, first_name=first_name, username=username)
        session.add(user)
        await session.flush()
    elif user.first_name != first_name or user.username != username:
        user.first_name = first_name
        user.username = username
    return user


async def set_role(session: AsyncSession, *, telegram_id: int, role: Role, now: datetime) -> User:
    user = (await session.exec(select(User).where(User.telegram_id == telegram_id))).first()
    if user is None:
        user = User(telegram_id=telegram_id, role=role, role_changed_at=now)
        session.add(user)
    elif user.role != role:
        user.role = role
        user.role_changed_at = now
    await session.flush()
    return user


async def get_user(session: AsyncSession, *, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def first_names(session: AsyncSession, *, user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.exec(
        select(User.id, User.first_name).where(col(User.id).in_(list(user_ids)))
    )
    return {int(user_id or 0): name for user_id, name in rows.all()}


async def telegram_ids_with_role(session: AsyncSession, *, role: Role) -> list[int]:
    rows = await session.exec(
        select(User.telegram_id).where(User.role == role).order_by(col(User.telegram_id))
    )
    return [int(telegram_id) for telegram_id in rows.all()]


async def first_names_by_telegram_id(
    session: AsyncSession, *, telegram_ids: Sequence[int]
) -> dict[int, str]:
    if not telegram_ids:
        return {}
    rows = await session.exec(
        select(User.telegram_id, User.first_name).where(
            col(User.telegram_id).in_(list(telegram_ids))
        )
    )
    return {int(telegram_id): name for telegram_id, name in rows.all()}


async def names_by_telegram_id(
    session: AsyncSession, *, telegram_ids: Sequence[int]
) -> dict[int, str]:
    """First names (with @username when known) of the given Telegram ids."""
    if not telegram_ids:
        return {}
    rows = await session.exec(
        select(User.telegram_id, User.first_name, User.username).where(
            col(User.telegram_id).in_(list(telegram_ids))
        )
    )
    return {
        int(telegram_id): f"{name} (@{username})" if username else name
        for telegram_id, name, username in rows.all()
    }

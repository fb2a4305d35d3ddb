"""Question variants learned from admins' approvals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import KbChange, KbEntry as KbEntryRow, KbVariant


async def kb_variants(
    session: AsyncSession, *, entry_id: str | None = None, include_removed: bool = False
) -> Sequence[KbVariant]:
    """Learned question variants, oldest first; of one entry when ``entry_id`` is given."""
    statement = select(KbVariant).order_by(col(KbVariant.id))
    if entry_id is not None:
        statement = statement.where(KbVariant.entry_id == entry_id)
    if not include_removed:
        statement = statement.where(col(KbVariant.removed_at).is_(None))
    return (await session.exec(statement)).all()


async def variant_for_ticket(session: AsyncSession, *, ticket_id: int) -> KbVariant | None:
    return (await session.exec(select(KbVariant).where(KbVariant.ticket_id == ticket_id))).first()


async def add_kb_variant(
    session: AsyncSession,
    *,
    entry_id: str,
    text: str,
    ticket_id: int | None,
    actor_id: int | None,
    now: datetime,
) -> KbVariant:
    variant = KbVariant(
        entry_id=entry_id, text=text, ticket_id=ticket_id, created_by_id=actor_id, created_at=now
    )
    session.add(variant)
    await session.flush()
    return variant


async def remove_kb_variants(
    session: AsyncSession,
    *,
    variant_ids: Sequence[int],
    actor_id: int | None,
    now: datetime,
) -> int:
    """Mark variants removed (kept on record); returns how many were still active."""
    if not variant_ids:
        return 0
    result = await session.exec(
        sa.update(KbVariant)
        .where(col(KbVariant.id).in_(list(variant_ids)), col(KbVariant.removed_at).is_(None))
        .values(removed_at=now, removed_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


# ----------------------------------------------------------------------------- FAQ entries


async def active_kb_rows(session: AsyncSession) -> Sequence[KbEntryRow]:
    """FAQ entries saved from the work and not retired, oldest first."""
    return (
        await session.exec(
            select(KbEntryRow)
            .where(col(KbEntryRow.retired).is_(False))
            .order_by(col(KbEntryRow.id))
        )
    ).all()


async def find_kb_row(session: AsyncSession, *, entry_id: str) -> KbEntryRow | None:
    return (await session.exec(select(KbEntryRow).where(KbEntryRow.entry_id == entry_id))).first()


async def add_kb_row(session: AsyncSession, row: KbEntryRow) -> KbEntryRow:
    session.add(row)
    await session.flush()
    return row


async def add_kb_change(session: AsyncSession, change: KbChange) -> None:
    session.add(change)
    await session.flush()

"""Citizens' ratings of the answers to their tickets (one per ticket)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AnswerRating, Ticket


@dataclass(frozen=True)
class RatingCounts:
    up: int = 0
    down: int = 0
    comments: int = 0


async def rating_for_ticket(session: AsyncSession, *, ticket_id: int) -> AnswerRating | None:
    statement = select(AnswerRating).where(AnswerRating.ticket_id == ticket_id)
    return (await session.exec(statement)).first()


async def save_rating(
    session: AsyncSession,
    *,
    ticket_id: int,
    citizen_id: int,
    positive: bool | None,
    now: datetime,
    comment_until: datetime | None,
) -> AnswerRating:
    """Insert the ticket's rating or replace the earlier one (its comment stays).

    ``positive=None`` records a comment before any 👍/👎 (it counts as neither)."""
    rating = await rating_for_ticket(session, ticket_id=ticket_id)
    if rating is None:
        rating = AnswerRating(ticket_id=ticket_id, citizen_id=citizen_id, positive=positive)
        session.add(rating)
    rating.positive = positive
    rating.rated_at = now
    rating.comment_until = comment_until
    await session.flush()
    return rating


async def rating_awaiting_comment(
    session: AsyncSession, *, citizen_id: int, now: datetime
) -> AnswerRating | None:
    """The citizen's latest rating whose comment window is still open."""
    statement = (
        select(AnswerRating)
        .where(
            AnswerRating.citizen_id == citizen_id,
            col(AnswerRating.comment_until).is_not(None),
            col(AnswerRating.comment_until) > now,
        )
        .order_by(col(AnswerRating.rated_at).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def rating_counts(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> RatingCounts:
    """Ratings of answers to tickets opened in [start, end)."""
    statement = (
        select(
            sa.func.count().filter(col(AnswerRating.positive).is_(True)),
            sa.func.count().filter(col(AnswerRating.positive).is_(False)),
            sa.func.count(col(AnswerRating.comment)),
        )
        .select_from(AnswerRating)
        .join(Ticket, col(Ticket.id) == col(AnswerRating.ticket_id))
        .where(
            Ticket.agency_id == agency_id,
            col(Ticket.created_at) >= start,
            col(Ticket.created_at) < end,
        )
    )
    up, down, comments = (await session.exec(statement)).one()
    return RatingCounts(up=int(up or 0), down=int(down or 0), comments=int(comments or 0))

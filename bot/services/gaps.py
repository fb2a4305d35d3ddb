"""FAQ gaps: questions that got no confident suggestion, grouped by similarity."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.knowledge.gaps import GapGroup, group_unanswered
from storage import queries


# Grouping is quadratic in the worst case; the most recent questions are what matters.
async def faq_gap_groups(
    session: AsyncSession, *, agency_id: int, start: datetime, end: datetime
) -> list[GapGroup]:
    questions = await queries.unanswered_questions(
        session, agency_id=agency_id, start=start, end=end
    )
    groups = group_unanswered(questions)
    return sorted(groups, key=lambda group: (-group.count, group.representative))

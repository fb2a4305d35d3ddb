"""The Pasal 12 ethics check of an outgoing answer, with the audit row of its outcome.

The rule is ``bot.domain.ethics.check_answer``; this service feeds it the personal data
``bot.privacy`` finds in the answer and in the citizen's messages, the agency's
confidential words (setting ``ETHICS_CONFIDENTIAL_WORDS``) and the abusive-word list in
``data/kata_kasar.txt``, and records the check and what the admin decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.audit import AuditAction
from bot.domain.ethics import EthicsPolicy, EthicsVerdict, check_answer
from bot.privacy import personal_data_items
from bot.services.audit import AuditTrail
from storage.models import User

ABUSIVE_WORDS_FILE = Path(__file__).parent / "data" / "kata_kasar.txt"


@lru_cache(maxsize=1)
def abusive_words() -> frozenset[str]:
    """The abusive-word list, one word or phrase a line, ``#`` starts a comment."""
    lines = ABUSIVE_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class EthicsChecker:
    def __init__(self, *, confidential_words: Iterable[str], audit: AuditTrail) -> None:
        self.policy = EthicsPolicy.of(confidential=confidential_words, abusive=abusive_words())
        self.audit = audit

    def check(self, answer: str, *, citizen_texts: Iterable[str]) -> EthicsVerdict:
        """What in ``answer`` needs the admin's confirmation before it goes out."""
        citizen_data = [datum for text in citizen_texts for datum in personal_data_items(text)]
        return check_answer(
            answer,
            answer_data=personal_data_items(answer),
            citizen_data=citizen_data,
            policy=self.policy,
        )

    async def record(
        self,
        session: AsyncSession,
        *,
        actor: User,
        ticket_id: int,
        verdict: EthicsVerdict,
        outcome: str,
    ) -> None:
        """Audit the check: which issues tripped (never the personal data itself) and the
        outcome ("lolos", "kirim_tetap", "dibatalkan")."""
        await self.audit.record(
            session,
            actor=actor,
            action=AuditAction.ETHICS_CHECK,
            ticket_id=ticket_id,
            detail={
                "outcome": outcome,
                "issues": sorted(str(issue) for issue in verdict.issues()),
                "kinds": sorted({f.kind for f in verdict.findings if f.issue == "personal_data"}),
            },
        )

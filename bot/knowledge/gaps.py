"""FAQ gaps: cluster the questions that got no confident suggestion.

Admins review the clusters to decide which new entries the knowledge base needs. The
grouping is greedy and deterministic: questions are taken in ticket order and join the
first group whose representative is similar enough (rapidfuzz ``token_set_ratio`` over
normalized text, or enough shared content terms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.knowledge.normalize import TextAnalyzer, default_analyzer

MIN_SHARED_TERMS = 2
SHARED_SHARE = 0.5


@dataclass(slots=True)
class GapGroup:
    """Similar unanswered questions: one representative, how many, which tickets."""

    representative: str
    ticket_ids: list[int] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    terms: frozenset[str] = frozenset()
    normalized: str = ""

    @property
    def count(self) -> int:
        return len(self.ticket_ids)


def _similar(text: str, terms: frozenset[str], group: GapGroup, threshold: int) -> bool:
    if text and group.normalized and fuzz.token_set_ratio(text, group.normalized) >= threshold:
        return True
    shared = len(terms & group.terms)
    smaller = min(len(terms), len(group.terms))
    return shared >= MIN_SHARED_TERMS and smaller > 0 and shared / smaller >= SHARED_SHARE


def group_unanswered(
    questions: Sequence[tuple[int, str]],
    threshold: int = 70,
    analyzer: TextAnalyzer | None = None,
) -> list[GapGroup]:
    """Groups of similar questions, largest first (ties: earliest ticket first).

    ``questions`` are (ticket_id, text) pairs. Texts that are empty after normalization
    (bare greetings, emoji) are left out: they are not knowledge-base gaps.
    """
    analyzer = analyzer or default_analyzer()
    groups: list[GapGroup] = []
    for ticket_id, text in sorted(questions, key=lambda item: item[0]):
        terms = frozenset(analyzer.terms(text))
        if not terms:
            continue
        normalized = " ".join(sorted(terms))
        for group in groups:
            if _similar(normalized, terms, group, threshold):
                group.ticket_ids.append(ticket_id)
                group.questions.append(text)
                break
        else:
            groups.append(
                GapGroup(
                    representative=text.strip(),
                    ticket_ids=[ticket_id],
                    questions=[text],
                    terms=terms,
                    normalized=normalized,
                )
            )
    for group in groups:
        group.representative = _most_central(group, analyzer)
    groups.sort(key=lambda group: (-group.count, group.ticket_ids[0]))
    return groups


def _most_central(group: GapGroup, analyzer: TextAnalyzer) -> str:
    """The member most similar to the others; ties go to the shorter, then earlier."""
    if group.count <= 2:
        return min(group.questions, key=len).strip()
    normalized = [" ".join(analyzer.terms(q)) for q in group.questions]
    best_index = 0
    best_key: tuple[float, int] | None = None
    for index, text in enumerate(normalized):
        total = sum(fuzz.token_set_ratio(text, other) for other in normalized)
        key = (-total, len(group.questions[index]))
        if best_key is None or key < best_key:
            best_index, best_key = index, key
    return group.questions[best_index].strip()

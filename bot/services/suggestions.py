"""What the help desk needs from the knowledge base, independent of how it ranks."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.knowledge.models import KbEntry


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    score: float
    answer: str
    question: str
    source: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuggestionResult:
    suggestions: tuple[Suggestion, ...]
    confident: bool

    def to_json(self) -> str:
        return json.dumps(
            [{"id": s.entry_id, "score": round(s.score, 4)} for s in self.suggestions]
        )


class Suggester(Protocol):
    def suggest_answers(self, text: str, *, top: int) -> SuggestionResult: ...

    def lookup(self, entry_id: str) -> Suggestion | None: ...

    def set_overlay(
        self,
        entries: Sequence[KbEntry],
        variants: Mapping[str, Sequence[str]] | None = None,
    ) -> None: ...

    @property
    def entries(self) -> tuple[KbEntry, ...]: ...


def stored_suggestions(raw: str, suggester: Suggester) -> list[Suggestion]:
    """Suggestions saved on a ticket, resolved against the current knowledge base."""
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    resolved = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        entry = suggester.lookup(item["id"])
        if entry is not None:
            score = float(item.get("score", 0.0))
            resolved.append(
                Suggestion(
                    entry_id=entry.entry_id,
                    score=score,
                    answer=entry.answer,
                    question=entry.question,
                    source=entry.source,
                    tags=entry.tags,
                )
            )
    return resolved


def joined_text(parts: Sequence[str | None]) -> str:
    return "\n".join(part for part in parts if part)

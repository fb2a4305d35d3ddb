"""The knowledge base as the help desk sees it: YAML files plus entries saved from the work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot import texts
from bot.domain.enums import OutboxPurpose
from bot.knowledge.models import KbEntry, Problem
from bot.knowledge.store import KnowledgeBase, bundled_kb_paths
from bot.services.runtime import Runtime
from bot.services.suggestions import Suggestion, SuggestionResult

logger = logging.getLogger(__name__)

RELOAD_CHECK_SECONDS = 30.0
MAX_PROBLEMS_SHOWN = 10


def knowledge_paths(extra: Sequence[str]) -> list[Path]:
    return [*bundled_kb_paths(), *(Path(p) for p in extra)]


def to_suggestion(entry: KbEntry, score: float) -> Suggestion:
    return Suggestion(
        entry_id=entry.id,
        score=score,
        answer=entry.answer,
        question=entry.questions[0] if entry.questions else "",
        source=entry.source,
        tags=entry.tags,
    )


class KnowledgeService:
    """Adapts the knowledge base to the help desk; a bad file is reported, never fatal."""

    def __init__(self, paths: Sequence[str | Path], *, threshold: float) -> None:
        self.base = KnowledgeBase(paths, threshold=threshold)
        self._reported: tuple[str, ...] = ()

    @property
    def entries(self) -> tuple[KbEntry, ...]:
        return self.base.entries

    @property
    def problems(self) -> list[Problem]:
        return self.base.last_problems

    def set_overlay(
        self,
        entries: Sequence[KbEntry],
        variants: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Entries stored in the database (saved from answers) override file entries;
        ``variants`` (learned wordings per entry id) are added to those entries' questions."""
        self.base.set_extra_entries(entries, variants)

    def suggest_answers(self, text: str, *, top: int) -> SuggestionResult:
        result = self.base.suggest(text, top=top)
        return SuggestionResult(
            suggestions=tuple(to_suggestion(m.entry, m.score) for m in result.matches),
            confident=result.confident,
        )

    def lookup(self, entry_id: str) -> Suggestion | None:
        entry = self.base.get(entry_id)
        return to_suggestion(entry, 0.0) if entry else None

    def new_problems_after_reload(self) -> list[Problem]:
        """Reload changed files; problems not reported before (so each is said once)."""
        result = self.base.reload_if_changed()
        if not result.reloaded and not result.problems:
            return []
        current = tuple(str(problem) for problem in result.problems)
        if current == self._reported:
            return []
        self._reported = current
        return list(result.problems)


async def watch_knowledge_files(app: Runtime) -> None:
    """Background job: reload edited KB files and tell the admin group what is wrong."""
    knowledge = app.suggester
    if not isinstance(knowledge, KnowledgeService):
        return
    while True:
        await asyncio.sleep(RELOAD_CHECK_SECONDS)
        problems = await asyncio.to_thread(knowledge.new_problems_after_reload)
        chat_id = app.settings.admin_chat_id
        if not problems or chat_id is None:
            continue
        lines = "\n".join(
            f"• {texts.esc(str(problem))}" for problem in problems[:MAX_PROBLEMS_SHOWN]
        )
        text = texts.KB_RELOAD_PROBLEMS.format(count=len(problems), problems=lines)
        async with app.session_maker() as session:
            await app.notifier.send_text(
                session,
                chat_id=chat_id,
                text=text[:4000],
                link_preview=None,
                purpose=OutboxPurpose.KB_PROBLEMS,
            )
            await session.commit()
        app.outbox_wake.set()

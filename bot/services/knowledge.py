"""The knowledge base as the help desk sees it: YAML files plus entries saved from the work."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.knowledge.index import SuggestionIndex
from bot.knowledge.loader import load_files
from bot.knowledge.models import KbEntry, Problem
from bot.services.suggestions import Suggestion, SuggestionResult

logger = logging.getLogger(__name__)

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "data"


def bundled_files() -> list[Path]:
    return sorted(BUNDLED_DIR.glob("*.yaml"))


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
    """Keeps the last good index; a bad file is reported, never fatal."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        threshold: float,
        overlay: Sequence[KbEntry] = (),
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.threshold = threshold
        self._overlay: tuple[KbEntry, ...] = tuple(overlay)
        self._file_entries: tuple[KbEntry, ...] = ()
        self._signature: tuple[tuple[str, float, int], ...] = ()
        self._index = SuggestionIndex.build([], threshold=threshold)
        self._by_id: dict[str, KbEntry] = {}
        self.problems: list[Problem] = []
        self.reload_if_changed(force=True)

    def _files_signature(self) -> tuple[tuple[str, float, int], ...]:
        signature = []
        for path in self.paths:
            try:
                stat = path.stat()
            except OSError:
                signature.append((str(path), -1.0, -1))
                continue
            signature.append((str(path), stat.st_mtime, stat.st_size))
        return tuple(signature)

    def reload_if_changed(self, *, force: bool = False) -> list[Problem]:
        """Reload when a file changed; on problems keep the last good entries."""
        signature = self._files_signature()
        if not force and signature == self._signature:
            return []
        self._signature = signature
        result = load_files(self.paths)
        self.problems = list(result.problems)
        if result.problems and self._file_entries:
            logger.error(
                "knowledge base files have %d problems; keeping the last good version",
                len(result.problems),
            )
            return self.problems
        self._file_entries = tuple(result.entries)
        self._rebuild()
        return self.problems

    def set_overlay(self, entries: Sequence[KbEntry]) -> None:
        """Entries stored in the database (saved from answers) override file entries."""
        self._overlay = tuple(entries)
        self._rebuild()

    def _rebuild(self) -> None:
        overlay_ids = {entry.id for entry in self._overlay}
        entries = [e for e in self._file_entries if e.id not in overlay_ids]
        entries.extend(self._overlay)
        self._index = SuggestionIndex.build(entries, threshold=self.threshold)
        self._by_id = {entry.id: entry for entry in entries}
        logger.info("knowledge base indexed: %d entries", len(entries))

    @property
    def entries(self) -> tuple[KbEntry, ...]:
        return tuple(self._by_id.values())

    def suggest_answers(self, text: str, *, top: int) -> SuggestionResult:
        result = self._index.suggest(text, top=top)
        return SuggestionResult(
            suggestions=tuple(to_suggestion(m.entry, m.score) for m in result.matches),
            confident=result.confident,
        )

    def lookup(self, entry_id: str) -> Suggestion | None:
        entry = self._by_id.get(entry_id)
        return to_suggestion(entry, 0.0) if entry else None


def knowledge_paths(extra: Sequence[str]) -> list[Path]:
    return [*bundled_files(), *(Path(p) for p in extra)]

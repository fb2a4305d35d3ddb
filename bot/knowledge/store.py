"""The live knowledge base: files on disk (+ entries from elsewhere) and their index.

``KnowledgeBase`` loads once, then ``reload_if_changed()`` rebuilds only when a file's
modification time or size changed. A reload that finds problems keeps serving the last
good index and reports the problems, so the bot can tell the admin group instead of
answering from a broken file.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.knowledge.index import DEFAULT_THRESHOLD, SuggestionIndex, Suggestions
from bot.knowledge.lexicon import DATA_DIR
from bot.knowledge.loader import check_unique_ids, load_files
from bot.knowledge.models import KbEntry, Problem

logger = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


def bundled_kb_paths() -> list[Path]:
    """The knowledge-base YAML files shipped with the bot, in a stable order."""
    return sorted(DATA_DIR.glob("*.yaml"))


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a (re)load did: whether the index changed, and any problems found."""

    reloaded: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class KnowledgeBaseError(Exception):
    """Raised by ``KnowledgeBase.load_strict`` when the files have problems."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


class KnowledgeBase:
    """Holds the current ``SuggestionIndex`` and swaps it atomically on a good reload."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        extra_entries: Sequence[KbEntry] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.paths = [Path(path) for path in paths]
        self.threshold = threshold
        self._extra: tuple[KbEntry, ...] = tuple(extra_entries)
        self._variants: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self._signature: Signature | None = None
        self._index = SuggestionIndex.build([], threshold=threshold)
        self.last_problems: list[Problem] = []
        self.reload(force=True)

    @property
    def index(self) -> SuggestionIndex:
        """The last good index (never None; empty when nothing valid was ever loaded)."""
        return self._index

    @property
    def entries(self) -> tuple[KbEntry, ...]:
        return self._index.entries

    def get(self, entry_id: str) -> KbEntry | None:
        """The entry with this id in the current index, if any."""
        for entry in self._index.entries:
            if entry.id == entry_id:
                return entry
        return None

    def suggest(self, query: str, top: int = 3) -> Suggestions:
        return self._index.suggest(query, top=top, threshold=self.threshold)

    def set_extra_entries(
        self,
        entries: Sequence[KbEntry],
        variants: Mapping[str, Sequence[str]] | None = None,
    ) -> ReloadResult:
        """Replace what does not come from files (the database overlay) and rebuild.

        ``entries`` add to or replace file entries by id; ``variants`` are extra question
        wordings per entry id (learned from approved answers), appended to that entry's
        questions. Variants of an id that is not loaded have no effect.
        """
        self._extra = tuple(entries)
        self._variants = {key: tuple(value) for key, value in (variants or {}).items() if value}
        return self.reload(force=True)

    def _with_variants(self, entries: Sequence[KbEntry]) -> list[KbEntry]:
        merged: list[KbEntry] = []
        for entry in entries:
            learned = self._variants.get(entry.id)
            questions = tuple(dict.fromkeys((*entry.questions, *learned))) if learned else ()
            merged.append(replace(entry, questions=questions) if learned else entry)
        return merged

    def _current_signature(self) -> Signature:
        parts: list[tuple[str, int, int]] = []
        for path in self.paths:
            try:
                stat = os.stat(path)
            except OSError:
                parts.append((str(path), -1, -1))
                continue
            parts.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(parts)

    def reload_if_changed(self) -> ReloadResult:
        """Rebuild when a file changed; on problems keep the last good index."""
        if self._current_signature() == self._signature:
            return ReloadResult(reloaded=False)
        return self.reload()

    def reload(self, force: bool = False) -> ReloadResult:
        """Load every file now. Never raises for bad files: problems are returned."""
        with self._lock:
            signature = self._current_signature()
            if not force and signature == self._signature:
                return ReloadResult(reloaded=False)
            try:
                result = load_files(self.paths)
            except Exception as exc:
                logger.exception("knowledge base reload failed")
                problems = [Problem("<knowledge base>", None, f"unexpected error: {exc}")]
                self._signature = signature
                self.last_problems = problems
                return ReloadResult(reloaded=False, problems=problems)
            file_ids = {entry.id for entry in result.entries}
            # A file entry with the same id as an overlay entry is replaced by the overlay:
            # the overlay holds the admins' edits.
            extras = list(self._extra)
            problems = list(result.problems) + check_unique_ids(extras, origin="<overlay>")
            entries = [e for e in result.entries if e.id not in {x.id for x in extras}]
            entries += extras
            self._signature = signature
            self.last_problems = problems
            if problems:
                logger.warning(
                    "knowledge base has %d problem(s); keeping the last good index",
                    len(problems),
                )
                if self._index.entries or not entries:
                    return ReloadResult(reloaded=False, problems=problems)
                # Nothing good was ever loaded: serve the valid part rather than nothing.
            self._index = SuggestionIndex.build(
                self._with_variants(entries), threshold=self.threshold
            )
            logger.info(
                "knowledge base loaded: %d entries (%d from files, %d overlay, %d overridden, "
                "%d learned variants)",
                len(entries),
                len(result.entries),
                len(extras),
                len(file_ids & {x.id for x in extras}),
                sum(len(self._variants.get(e.id, ())) for e in entries),
            )
            return ReloadResult(reloaded=True, problems=problems)

    def load_strict(self) -> None:
        """Reload and raise ``KnowledgeBaseError`` if anything is wrong (for start-up)."""
        result = self.reload(force=True)
        if result.problems:
            raise KnowledgeBaseError(result.problems)

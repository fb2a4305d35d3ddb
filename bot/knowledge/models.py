"""Typed records shared by the loader, the index and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ANSWER_CHARS = 4096


@dataclass(frozen=True, slots=True)
class KbEntry:
    """One knowledge-base entry: canonical questions and the answer an admin may approve."""

    id: str
    questions: tuple[str, ...]
    answer: str
    tags: tuple[str, ...] = ()
    source: str | None = None

    @property
    def is_passage(self) -> bool:
        """True for entries generated from a regulation text rather than curated by hand.

        Passages rank below curated entries, so the flag lives on the entry itself and
        survives a round trip through YAML via the ``passage`` tag.
        """
        return PASSAGE_TAG in self.tags


PASSAGE_TAG = "passage"


@dataclass(frozen=True, slots=True)
class Problem:
    """A validation problem, located precisely enough for an admin to fix it."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

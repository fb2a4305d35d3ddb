"""The maintained word lists that drive normalization (bundled in ``data/``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_SLANG_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists as read from the data files; phrases are tuples of words."""

    slang: dict[tuple[str, ...], tuple[str, ...]]
    stopwords: frozenset[str]
    particles: frozenset[str]
    greetings: tuple[tuple[str, ...], ...]
    roots: frozenset[str]
    concepts: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    generic: frozenset[str]
    # General Indonesian root words: only tells a real word from a slip (see normalize),
    # so it is not part of ``words()`` and never feeds word splitting.
    dictionary: frozenset[str] = frozenset()

    def words(self) -> set[str]:
        """Every standard word the lists know, for spelling repair and word splitting."""
        known: set[str] = set(self.roots) | set(self.stopwords) | set(self.generic)
        for value in self.slang.values():
            known.update(value)
        for alternative, head in self.concepts:
            known.update(alternative)
            known.update(head)
        for phrase in self.greetings:
            known.update(phrase)
        return known


def _content_lines(path: Path) -> list[str]:
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _read_slang(path: Path) -> dict[tuple[str, ...], tuple[str, ...]]:
    raw: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in _content_lines(path):
        if "=" not in line:
            logger.warning("%s: ignoring line without '=': %r", path.name, line)
            continue
        written, standard = (part.strip().lower() for part in line.split("=", 1))
        if written and standard:
            raw[tuple(written.split())] = tuple(standard.split())
    # Resolve chains (bang -> kak -> kakak) once, so expansion is a single pass and
    # normalizing twice gives the same text. Matching is longest-phrase-first, as at run
    # time, so "terima kasih" (an identity entry) is not turned into "terima beri".
    longest = max((len(key) for key in raw), default=1)

    def expand_once(words: tuple[str, ...], own_key: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        index = 0
        while index < len(words):
            for length in range(min(longest, len(words) - index), 0, -1):
                phrase = words[index : index + length]
                target = raw.get(phrase)
                if target is not None and phrase != own_key:
                    out.extend(target)
                    index += length
                    break
            else:
                out.append(words[index])
                index += 1
        return tuple(out)

    resolved: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, value in raw.items():
        words = value
        if value != key:
            for _ in range(MAX_SLANG_DEPTH):
                expanded = expand_once(words, key)
                if expanded == words:
                    break
                words = expanded
        resolved[key] = words
    return resolved


def _read_words(path: Path) -> frozenset[str]:
    return frozenset(word.lower() for line in _content_lines(path) for word in line.split())


def _read_phrases(path: Path) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.lower().split()) for line in _content_lines(path))


def _read_concepts(path: Path) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for line in _content_lines(path):
        if ":" not in line:
            logger.warning("%s: ignoring line without ':': %r", path.name, line)
            continue
        head, alternatives = line.split(":", 1)
        head_words = tuple(head.lower().split())
        for alternative in alternatives.split(","):
            words = tuple(alternative.lower().split())
            if words and head_words:
                pairs.append((words, head_words))
    return tuple(pairs)


def load_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    """Read the word lists from ``data_dir`` (the bundled ones by default)."""
    return Lexicon(
        slang=_read_slang(data_dir / "slang.txt"),
        stopwords=_read_words(data_dir / "stopwords.txt"),
        particles=frozenset(
            word.replace("'", "") for word in _read_words(data_dir / "particles.txt")
        ),
        greetings=_read_phrases(data_dir / "greetings.txt"),
        roots=_read_words(data_dir / "roots.txt"),
        concepts=_read_concepts(data_dir / "concepts.txt"),
        generic=_read_words(data_dir / "generic.txt"),
        dictionary=indonesian_root_words(),
    )


@lru_cache(maxsize=1)
def indonesian_root_words() -> frozenset[str]:
    """About 30,000 Indonesian root words (kata dasar) shipped by the PySastrawi package.

    A word found here is a real word, so the analyzer leaves it as written instead of
    "repairing" it into a similar knowledge-base word (budaya -> budidaya, sabtu -> satu).
    """
    resource = files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt"
    words = resource.read_text(encoding="utf-8").split()
    return frozenset(word.lower() for word in words if word.isalpha())


@lru_cache(maxsize=1)
def bundled_lexicon() -> Lexicon:
    """The bundled word lists, read once per process."""
    return load_lexicon()

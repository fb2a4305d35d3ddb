"""Indonesian chat text -> normalized words -> matching terms.

``TextAnalyzer.normalize`` turns a chat message into plain standard Indonesian words:
lowercase, no punctuation or emoji, stretched letters collapsed (``pakkk`` -> ``pak``),
spelling slips repaired against a vocabulary, words run together split
(``panggilambulans``), abbreviations and loanwords expanded (``yg`` -> ``yang``,
``ambulance`` -> ``ambulans``), greetings and Sulawesi particles removed.

``TextAnalyzer.terms`` goes on to remove stopwords, stem, and map synonyms to one concept
(``nikah`` ~ ``kawin``); those terms are what the index compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.knowledge.lexicon import Lexicon, bundled_lexicon
from bot.knowledge.stemmer import identity_stemmer, make_sastrawi_stemmer, make_stemmer

MIN_SPLIT_PIECE = 3
MIN_REPAIR_LEN = 5
REPAIR_CUTOFF = 85.0
LONG_WORD = 9
FIXPOINT_ROUNDS = 4

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_APOSTROPHE = re.compile(r"[\u0027\u2018\u2019\u02bc`´]")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2(?:an|nya|lah)?\b")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


StemmerName = Literal["sastrawi", "rules", "none"]


@dataclass(frozen=True, slots=True)
class AnalyzerOptions:
    """Which normalization steps run; each can be switched off to measure what it brings.

    ``python -m bot kb eval --ablate`` turns them off one at a time on labelled cases.
    """

    slang: bool = True  # abbreviations and chat spellings -> standard words (yg -> yang)
    particles: bool = True  # greetings and Sulawesi particles dropped (tabe, ji, mi)
    split: bool = True  # run-together words split into known ones (panggilambulans)
    repair: bool = True  # spelling slips repaired against the vocabulary
    stemmer: StemmerName = "sastrawi"  # PySastrawi, the rule-based one, or none
    concepts: bool = True  # synonyms mapped to one concept (nikah ~ kawin)


def _stemmer(name: StemmerName, roots: frozenset[str]) -> Callable[[str], str]:
    if name == "sastrawi":
        return make_sastrawi_stemmer(roots)
    if name == "rules":
        return make_stemmer(roots)
    return identity_stemmer


def clean(text: str) -> list[str]:
    """Lowercased ASCII-ish words: punctuation and emoji become spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CAMEL.sub(" ", text)
    text = _APOSTROPHE.sub("", text).lower()
    if not text.isascii():
        text = _NON_ASCII.sub(lambda match: _fold(match.group()), text)
    text = _REDUPLICATION.sub(r"\1", text)
    return _NON_WORD.sub(" ", text).split()


def _max_edits(word: str) -> int:
    """Edits a typo repair may make: one in a short word, two in a long one."""
    return 1 if len(word) < LONG_WORD else 2


def _fold(char: str) -> str:
    if unicodedata.category(char)[0] not in {"L", "N"}:
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    ascii_part = "".join(c for c in decomposed if c.isascii() and c.isalnum())
    return ascii_part.lower() or " "


class TextAnalyzer:
    """Normalization and term extraction bound to a lexicon and a vocabulary.

    ``vocabulary`` is the set of words seen in the knowledge base; it lets the analyzer
    repair a misspelt word or split run-together words into words the index knows.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        vocabulary: Iterable[str] = (),
        options: AnalyzerOptions | None = None,
    ) -> None:
        self.lexicon = lexicon or bundled_lexicon()
        self.options = options or AnalyzerOptions()
        self.stem = _stemmer(self.options.stemmer, self.lexicon.roots)
        self._slang = self.lexicon.slang if self.options.slang else {}
        self._slang_max = max((len(key) for key in self._slang), default=1)
        self._slang_starts = frozenset(key[0] for key in self._slang if len(key) > 1)
        greetings = self.lexicon.greetings if self.options.particles else ()
        self._greetings = {phrase for phrase in greetings if phrase}
        self._particles = self.lexicon.particles if self.options.particles else frozenset()
        self._greeting_max = max((len(p) for p in self._greetings), default=1)
        self._greeting_starts = frozenset(phrase[0] for phrase in self._greetings)
        known = self.lexicon.words() | {word for key in self._slang for word in key}
        known.update(word for word in vocabulary if word.isalnum())
        self._known = frozenset(known)
        self._known_stems = frozenset(self.stem(word) for word in known)
        by_initial: dict[str, list[str]] = {}
        for word in known:
            if len(word) >= MIN_REPAIR_LEN - 1 and word.isalpha():
                by_initial.setdefault(word[0], []).append(word)
        self._by_initial = {key: sorted(words) for key, words in by_initial.items()}
        self._concepts: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._surface_concepts: dict[tuple[str, ...], tuple[str, ...]] = {}
        pairs = self.lexicon.concepts if self.options.concepts else ()
        group_words: dict[tuple[str, ...], set[str]] = {}
        for alternative, head in pairs:
            group_words.setdefault(head, set(head)).update(alternative)
        for alternative, head in pairs:
            words = tuple(self._expand_words(list(alternative)))
            stems = tuple(self.stem(w) for w in words)
            target = tuple(self.stem(w) for w in head)
            # A stem that is another word outside the group ("meninggal" -> "tinggal", to
            # live somewhere) must not carry the concept: then only the word as written does.
            if all(
                stem == word or stem in group_words[head]
                for stem, word in zip(stems, words, strict=True)
            ):
                self._concepts.setdefault(stems, target)
            else:
                self._surface_concepts.setdefault(words, target)
        keys = [*self._concepts, *self._surface_concepts]
        self._concept_max = max((len(key) for key in keys), default=1)
        self._concept_starts = frozenset(key[0] for key in self._concepts if len(key) > 1)
        self._surface_starts = frozenset(key[0] for key in self._surface_concepts)
        self._stopwords = self.lexicon.stopwords | self._particles
        self._stop_stems = frozenset(self.stem(word) for word in self._stopwords)
        self._repair = lru_cache(maxsize=65536)(self._repair_word)
        self.normalize = lru_cache(maxsize=8192)(self._normalize)  # type: ignore[method-assign]
        self.generic_terms = frozenset(
            term for word in self.lexicon.generic for term in self._terms(word)
        )

    # ------------------------------------------------------------------ normalization
    def normalize(self, text: str) -> str:
        """Standard-Indonesian words of ``text``, space separated; idempotent."""
        return self._normalize(text)

    def _normalize(self, text: str) -> str:
        current = " ".join(self._normalize_once(text))
        # Each pass only maps words to known standard words, so a fixed point is reached
        # quickly; looping makes normalize(normalize(x)) == normalize(x) hold everywhere.
        for _ in range(FIXPOINT_ROUNDS):
            following = " ".join(self._normalize_once(current))
            if following == current:
                break
            current = following
        return current

    def _normalize_once(self, text: str) -> list[str]:
        words: list[str] = []
        for token in clean(text):
            words.extend(self._repair(token))
        words = self._expand_words(words)
        return self._drop_greetings(words)

    def is_known(self, word: str) -> bool:
        return (
            word in self._known
            or (word,) in self._slang
            or word.isdigit()
            or self.stem(word) in self._known_stems
        )

    def _repair_word(self, word: str) -> tuple[str, ...]:
        # A real Indonesian word the knowledge base does not use is content the KB does not
        # cover; "repairing" it into a near-spelt KB word (budaya -> budidaya, sabtu -> satu)
        # would invent a match, so it stays as written.
        if self.is_known(word) or not word.isalpha() or self._is_dictionary_word(word):
            return (word,)
        # Stretched letters ("pakkk", "tolongggg") unless the word is an acronym we know
        # ("pppk", checked above).
        word = _STRETCHED.sub(r"\1", word)
        if self.is_known(word):
            return (word,)
        single = _DOUBLE.sub(r"\1", word)
        if single != word and self.is_known(single):
            return (single,)
        pieces = self._split(word) if self.options.split else None
        if pieces:
            return pieces
        if self.options.repair and len(word) >= MIN_REPAIR_LEN:
            candidates = self._by_initial.get(word[0], [])
            best = process.extractOne(
                word, candidates, scorer=fuzz.ratio, score_cutoff=REPAIR_CUTOFF
            )
            # A slip changes a letter or two; a similarity ratio alone also pairs words of
            # quite different length (alfamart -> alamat), so the edit count is capped too.
            if best is not None and Levenshtein.distance(word, str(best[0])) <= _max_edits(word):
                return (str(best[0]),)
        return (word,)

    def _is_dictionary_word(self, word: str) -> bool:
        dictionary = self.lexicon.dictionary
        if word in dictionary or self.stem(word) in dictionary:
            return True
        # ber- before a root starting with r drops one r (berencana = ber + rencana), which
        # the stemmer reads as ber + encana.
        return word.startswith("ber") and self.stem(word[2:]) in dictionary

    def _split(self, word: str) -> tuple[str, ...] | None:
        """Fewest known pieces (at most three) that spell ``word``, or None."""
        if len(word) < 2 * MIN_SPLIT_PIECE:
            return None
        size = len(word)
        best: list[tuple[str, ...] | None] = [None] * (size + 1)
        best[0] = ()
        for end in range(1, size + 1):
            for start in range(max(0, end - 20), end):
                prefix = best[start]
                piece = word[start:end]
                if prefix is None or len(prefix) >= 3:
                    continue
                short_ok = (piece,) in self._slang and len(piece) >= 2
                if len(piece) < MIN_SPLIT_PIECE and not short_ok:
                    continue
                if not (piece in self._known or short_ok):
                    continue
                candidate = (*prefix, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
        result = best[size]
        return result if result is not None and len(result) >= 2 else None

    def _expand_words(self, words: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(words):
            if words[index] not in self._slang_starts:
                value = self._slang.get((words[index],))
                out.extend(value if value is not None else (words[index],))
                index += 1
                continue
            for length in range(min(self._slang_max, len(words) - index), 0, -1):
                key = tuple(words[index : index + length])
                value = self._slang.get(key)
                if value is not None:
                    out.extend(value)
                    index += length
                    break
            else:
                out.append(words[index])
                index += 1
        return out

    def _drop_greetings(self, words: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(words):
            if words[index] not in self._greeting_starts:
                if words[index] not in self._particles:
                    out.append(words[index])
                index += 1
                continue
            for length in range(min(self._greeting_max, len(words) - index), 0, -1):
                if tuple(words[index : index + length]) in self._greetings:
                    index += length
                    break
            else:
                if words[index] not in self._particles:
                    out.append(words[index])
                index += 1
        return out

    # ------------------------------------------------------------------ terms
    def terms(self, text: str) -> list[str]:
        """Matching terms: stems and concepts of the content words, in order."""
        return list(self._terms(text))

    def _suffixed_slang(self, word: str, stem: str) -> str:
        """Stem of a slang word that only carried a suffix (antriannya -> antri -> antre)."""
        if stem == word or not word.startswith(stem):
            return stem
        value = self._slang.get((stem,))
        if value is None or len(value) != 1 or value[0] == stem:
            return stem
        return self.stem(value[0])

    @lru_cache(maxsize=8192)  # noqa: B019 (analyzers live as long as their index)
    def _terms(self, text: str) -> tuple[str, ...]:
        words = self.normalize(text).split()
        stems = [self._suffixed_slang(word, self.stem(word)) for word in words]
        out: list[str] = []
        index = 0
        while index < len(stems):
            single = (
                stems[index] not in self._concept_starts
                and words[index] not in self._surface_starts
            )
            longest = 1 if single else min(self._concept_max, len(stems) - index)
            for length in range(longest, 0, -1):
                head = self._surface_concepts.get(tuple(words[index : index + length]))
                if head is None:
                    head = self._concepts.get(tuple(stems[index : index + length]))
                if head is not None:
                    out.extend(head)
                    index += length
                    break
            else:
                word, stem = words[index], stems[index]
                if not (
                    word in self._stopwords
                    or stem in self._stop_stems
                    or (word.isdigit() and len(word) < 2)
                    or len(word) < 2
                ):
                    out.append(stem)
                index += 1
        return tuple(out)


@lru_cache(maxsize=1)
def default_analyzer() -> TextAnalyzer:
    """An analyzer over the bundled lexicon only (no knowledge-base vocabulary)."""
    return TextAnalyzer()


def normalize(text: str) -> str:
    """Normalize ``text`` with the bundled lexicon; see ``TextAnalyzer.normalize``."""
    return default_analyzer().normalize(text)

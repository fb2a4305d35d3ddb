"""A light, rule-based Indonesian stemmer.

It strips inflectional particles, possessive pronouns, derivational suffixes and
prefixes (with meN-/peN- sound changes). Where a sound change is ambiguous
(``menikah`` -> ``nikah`` or ``tikah``) the candidate found in a root-word set wins,
otherwise a fixed default is used. The same function stems the knowledge base and the
queries, so a wrong but consistent default still lets the two meet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache

MIN_ROOT = 3
VOWELS = frozenset("aeiou")
PARTICLES = ("lah", "kah", "tah", "pun")
POSSESSIVES = ("nya", "ku", "mu")
DERIVATIONAL = ("kan", "an", "i", "in")
# Sastrawi pre-check: the affix forms it can remove (one or two prefixes, derivational
# then possessive then particle suffixes); a nasal prefix may drop a root's first letter
# (menulis: tulis), restored from RECODED.
_PREFIX_ONE = (
    "",
    "di",
    "ke",
    "se",
    "be",
    "ber",
    "te",
    "ter",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "menge",
    "pe",
    "pem",
    "pen",
    "peng",
    "peny",
    "penge",
    "per",
    "bel",
    "pel",
)
PREFIX_FORMS = tuple(dict.fromkeys(a + b for a in _PREFIX_ONE for b in _PREFIX_ONE))
_SUFFIX_DERIVATIONAL = ("", "i", "an", "kan")
_SUFFIX_POSSESSIVE = ("", "ku", "mu", "nya")
_SUFFIX_PARTICLE = ("", "lah", "kah", "tah", "pun")
SUFFIX_FORMS = tuple(
    dict.fromkeys(
        a + b + c
        for a in _SUFFIX_DERIVATIONAL
        for b in _SUFFIX_POSSESSIVE
        for c in _SUFFIX_PARTICLE
    )
)
RECODED = "ptksmnrlcdgjbh"


def _prefix_variants(word: str) -> list[str]:  # noqa: PLR0912, PLR0915 - a branch per prefix
    """Possible remainders after removing one prefix, most likely first."""
    out: list[str] = []
    w = word

    def add(rest: str) -> None:
        if len(rest) >= MIN_ROOT:
            out.append(rest)

    if w.startswith(("meng", "peng")):
        rest = w[4:]
        if rest[:1] in VOWELS:
            add(rest)
            add("k" + rest)
        else:
            add(rest)
    if w.startswith(("meny", "peny")):
        rest = w[4:]
        if rest[:1] in VOWELS:
            add("s" + rest)
    if w.startswith(("mem", "pem")):
        rest = w[3:]
        if rest[:1] in VOWELS:
            add("p" + rest)
            add("m" + rest)
        elif rest[:1] in {"b", "f", "v", "p"}:
            add(rest)
    if w.startswith(("men", "pen")):
        rest = w[3:]
        if rest[:1] in VOWELS:
            add("t" + rest)
            add("n" + rest)
        elif rest[:1] in {"c", "d", "j", "z", "t", "s"}:
            add(rest)
    if w.startswith(("memper", "diper")):
        add(w[6:] if w.startswith("memper") else w[5:])
    if (
        w.startswith(("me", "pe"))
        and w[2:3] in {"l", "m", "n", "r", "w", "y"}
        and w[3:4] in VOWELS
    ):
        add(w[2:])
    if w.startswith("per") and len(w) > 5:
        add(w[3:])
    if w.startswith("pe") and w[2:3] not in VOWELS | {"l", "m", "n", "r", "w", "y"}:
        # pe- before other consonants (pe-ternak-an, pe-dagang): tried last, so it only
        # wins when the remainder is a known root.
        add(w[2:])
    if w.startswith(("ber", "ter")):
        add(w[3:])
    if w.startswith("be") and w[2:3] not in {"r"}:
        add(w[2:])
    if w.startswith("di") and len(w) > 5:
        add(w[2:])
    if w.startswith("ke") and len(w) > 5:
        add(w[2:])
    if w.startswith("se") and len(w) > 5:
        add(w[2:])
    if w.startswith("nge") and len(w) > 5:
        add(w[3:])
    if w.startswith("ng") and w[2:3] in VOWELS:
        add(w[2:])
    if w.startswith("ny") and w[2:3] in VOWELS:
        add("s" + w[2:])
        add("c" + w[2:])
    return out


def _suffix_variants(word: str) -> list[str]:
    out: list[str] = []
    for suffix in DERIVATIONAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            out.append(word[: -len(suffix)])
    return out


def _strip_inflection(word: str, roots: Collection[str]) -> str:
    w = word
    for suffix in PARTICLES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and w not in roots:
            w = w[: -len(suffix)]
            break
    for suffix in POSSESSIVES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and w not in roots:
            w = w[: -len(suffix)]
            break
    return w


def stem_word(word: str, roots: Collection[str]) -> str:
    """Root of ``word``; ``roots`` resolves ambiguous prefix sound changes."""
    if len(word) <= MIN_ROOT + 1 or word in roots or not word.isalpha():
        return word
    base = _strip_inflection(word, roots)
    if base in roots:
        return base
    prefixed = _prefix_variants(base)
    # Two prefix layers cover forms such as "diperbaiki" and "keberangkatan".
    second = [inner for rest in prefixed for inner in _prefix_variants(rest)]
    layers = [base, *prefixed, *second]
    if base != word:
        # "berlaku" is ber-laku, not berla-ku: also try prefixes on the unstripped word.
        layers += _prefix_variants(word)
    for form in layers:
        if form in roots:
            return form
        for unsuffixed in _suffix_variants(form):
            if unsuffixed in roots:
                return unsuffixed
    # No root found: confix ke-...-an and a few prefixes are safe defaults; bare
    # prefix stripping is not (it would turn "sekolah" into "kolah").
    return _default_stem(base)


def _default_stem(base: str) -> str:
    word = base
    suffixes = _suffix_variants(word)
    confix = word.startswith(("ke", "pe", "per", "pen", "pem", "peng", "peny")) and word.endswith(
        "an"
    )
    prefixed = _prefix_variants(word)
    strip_prefix = bool(prefixed) and (
        confix or word.startswith(("me", "di", "ber", "ter", "memper", "diper", "ng", "ny"))
    )
    if word.startswith(("pe", "pem", "pen", "peng", "peny")) and not confix:
        strip_prefix = len(word) >= 7 and bool(prefixed)
    if strip_prefix:
        word = prefixed[0]
        if word.startswith(("per", "ber")) and len(word) > 6:
            word = word[3:]
    suffixes = _suffix_variants(word)
    if suffixes and (strip_prefix or word.endswith(("kan", "an"))):
        word = suffixes[0]
    return word


def make_stemmer(roots: Collection[str]) -> Callable[[str], str]:
    """A cached stemmer bound to one root set."""
    frozen = frozenset(roots)

    @lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        return stem_word(word, frozen)

    return stem


def make_sastrawi_stemmer(extra_roots: Collection[str] = ()) -> Callable[[str], str]:
    """PySastrawi's stemmer (Nazief-Adriani / ECS) over its own root list plus ``extra_roots``.

    Its dictionary of about 30,000 roots decides each affix removal, so it keeps words whose
    meanings differ (tinggal, sopan, pertama) apart where the rule-based stemmer, which must
    guess, merged them. ``extra_roots`` adds the bundled roots.txt (acronyms such as ppid).
    """
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary  # noqa: PLC0415
    from Sastrawi.Stemmer.Stemmer import Stemmer  # noqa: PLC0415
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # noqa: PLC0415

    words = [word for word in StemmerFactory().get_words() if word]
    dictionary = ArrayDictionary(words)
    dictionary.add_words(list(extra_roots))
    stemmer = Stemmer(dictionary)
    curated = frozenset(extra_roots)
    roots = frozenset(words) | curated

    def may_have_root(word: str) -> bool:
        """Whether removing some prefix and suffix leaves a dictionary root (cheap check).

        Sastrawi returns a word with no root unchanged, but only after trying every prefix
        rule (about 3 ms for a typo), so such words skip it.
        """
        size = len(word)
        for prefix in PREFIX_FORMS:
            if not word.startswith(prefix):
                continue
            for suffix in SUFFIX_FORMS:
                end = size - len(suffix)
                if end - len(prefix) < MIN_ROOT - 1 or not word.endswith(suffix):
                    continue
                core = word[len(prefix) : end]
                if core in roots or any(c + core in roots for c in RECODED):
                    return True
        return False

    @lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        if len(word) <= MIN_ROOT or not word.isalpha() or word in curated:
            return word
        informal = _informal_nasal(word, roots)
        if informal is not None:
            # Chat's bare nasal prefix (nyatat, nyewa, ngurus), which Sastrawi does not know.
            return str(stemmer.stem_word(informal))
        if not may_have_root(word):
            return word
        root = str(stemmer.stem_word(word))
        if root not in curated and any(word == root + particle for particle in PARTICLES):
            # Sastrawi drops a particle first when the rest is a word ("menikah" -> "meni"
            # + "kah"); a curated root reached through the prefixes wins ("nikah").
            other = stem_word(word, curated)
            if other in curated:
                return other
        return root

    return stem


def _informal_nasal(word: str, roots: frozenset[str]) -> str | None:
    """The standard form of a chat word with a bare nasal prefix, when that reaches a root.

    ``nyatat`` -> ``catat``, ``nyewa`` -> ``sewa``, ``ngurus`` -> ``mengurus``,
    ``ngecek`` -> ``mengecek``; None when the word is itself a root or nothing fits.
    """
    if word in roots or len(word) < MIN_ROOT + 2:
        return None
    if word.startswith("ny") and word[2:3] in VOWELS:
        for letter in ("c", "s"):
            if letter + word[2:] in roots:
                return letter + word[2:]
    if word.startswith("nge") and word[3:] in roots:
        return word[3:]
    if word.startswith("ng") and word[2:3] in VOWELS and word[2:] in roots:
        return word[2:]
    return None


def identity_stemmer(word: str) -> str:
    """No stemming (the ablation's baseline)."""
    return word

"""Masking of personal data in free text, for reports and for logs.

Citizens write their names, NIK and KK numbers, NPWP, phone numbers, e-mail addresses,
usernames and ``t.me`` links into their questions. Anything that leaves the conversation
record (a report, a log line) goes through ``mask_personal_data`` first. With
``KnownNames`` (the names and usernames the bot has seen) the names people were
registered with are masked wherever they occur in the text as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot import texts
from bot.domain.ethics import PersonalDatum
from bot.knowledge.lexicon import indonesian_root_words

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TELEGRAM_LINK = re.compile(r"(?:https?://)?(?:www\.)?(?:t|telegram)\.me/[\w+/-]+", re.IGNORECASE)
# Indonesian landlines written with the area code in brackets: (0481) 21234.
_BRACKETED_PHONE = re.compile(r"\(0\d{2,4}\)[ .-]?\d{3,5}(?:[ .-]?\d{2,5})?(?!\d)")
# A run of digits that may be grouped by single spaces, dots, dashes or slashes: NIK in
# 6-6-4 or 4-4-4-4 groups, NIK with dots, KK, NPWP (12.345.678.9-012.345), phone
# numbers typed in pairs (08 12 34 56 78 90) or with +62.
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d(?:[ .\-/]?\d)+(?![\w])")
_MENTION = re.compile(r"(?<![\w.])@[A-Za-z][A-Za-z0-9_]{3,}")
# Usernames typed without "@": a word with an underscore, letters and digits.
_HANDLE = re.compile(r"(?<![\w@])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+(?!\w)")
# "Ini Andi, ...", "nama saya Andi Baso", "saya Bu Ratna dari ..."
_SELF_INTRO = re.compile(
    r"\b(?P<lead>(?:[Nn]ama\s+(?:saya|sy|ku)|[Nn]amaku|[Ss]aya\s+bernama|[Aa]tas\s+nama|"
    r"[Ii]ni|[Ss]aya|[Ss]y|[Dd]engan)\s+(?:(?:Bapak|Ibu|Pak|Bu|Kak|Daeng)\s+)?)"
    r"(?P<name>[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+){0,2})"
    r"(?=\s*[,.!;:]|\s*$|\s+(?:dari|di|warga|nomor|no|nik|mau|ingin|dengan|hp|wa|telp)\b)"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'.]*[A-Za-z]|[A-Za-z]")
_PHONE_DIGITS = (9, 14)
NIK_DIGITS = 16  # also the length of a KK number
NPWP_DIGITS = 15
LONG_NUMBER_DIGITS = 9
MIN_NAME_CHARS = 3


@dataclass(frozen=True, slots=True)
class KnownNames:
    """First-name words and usernames of the people in the record, lowercased."""

    words: frozenset[str]
    usernames: frozenset[str]

    @classmethod
    def from_people(cls, people: Iterable[tuple[str | None, str | None]]) -> KnownNames:
        """``people`` are (first name, username) pairs as stored for each user."""
        words: set[str] = set()
        usernames: set[str] = set()
        for first_name, username in people:
            for found in _WORD.findall(first_name or ""):
                word = found.strip(".'").lower()
                if len(word) >= MIN_NAME_CHARS:
                    words.add(word)
            if username and len(username) >= MIN_NAME_CHARS:
                usernames.add(username.lstrip("@").lower())
        return cls(frozenset(words), frozenset(usernames))


NO_NAMES = KnownNames(frozenset(), frozenset())
# What masked text contains in place of personal data, to tell it apart from words.
PLACEHOLDERS = re.compile(
    "|".join(
        re.escape(mask)
        for mask in (
            texts.MASK_EMAIL,
            texts.MASK_NIK,
            texts.MASK_PHONE,
            texts.MASK_ACCOUNT,
            texts.MASK_NUMBER,
            texts.MASK_NPWP,
            texts.MASK_NAME,
        )
    )
)


def mask_personal_data(text: str, names: KnownNames = NO_NAMES) -> str:
    """Replace identity numbers, phone numbers, e-mail addresses, accounts and names."""
    masked = _EMAIL.sub(texts.MASK_EMAIL, text)
    masked = _TELEGRAM_LINK.sub(texts.MASK_ACCOUNT, masked)
    masked = _BRACKETED_PHONE.sub(texts.MASK_PHONE, masked)
    masked = _DIGIT_RUN.sub(_mask_digits, masked)
    masked = _MENTION.sub(texts.MASK_ACCOUNT, masked)
    if names.usernames:
        masked = _HANDLE_OR_WORD.sub(lambda m: _mask_username(m, names), masked)
    masked = _HANDLE.sub(texts.MASK_ACCOUNT, masked)
    masked = _SELF_INTRO.sub(_mask_self_intro, masked)
    if names.words:
        masked = _WORD.sub(lambda m: _mask_name_word(m, names), masked)
    return masked


_HANDLE_OR_WORD = re.compile(r"(?<![\w@\[])[A-Za-z0-9_.]{3,}(?![\w\]])")


def _mask_username(match: re.Match[str], names: KnownNames) -> str:
    word = match.group(0)
    return texts.MASK_ACCOUNT if word.lower() in names.usernames else word


def _mask_self_intro(match: re.Match[str]) -> str:
    lead, name = match.group("lead"), match.group("name")
    explicit = lead.lower().startswith(("nama", "saya bernama", "atas nama"))
    # After a plain "ini" or "saya", an ordinary word ("hari ini Senin,") is not a name.
    if not explicit and name.split()[0].lower() in _ordinary_words():
        return match.group(0)
    return lead + texts.MASK_NAME


def _mask_name_word(match: re.Match[str], names: KnownNames) -> str:
    word = match.group(0)
    key = word.strip(".'").lower()
    if key not in names.words:
        return word
    if key in _ordinary_words():
        # A name that is also an ordinary word (Indah, Bunga, Warga) is masked only where
        # it is written as a name: capitalized, and not the first word of a sentence.
        before = match.string[: match.start()].rstrip()
        sentence_start = not before or before[-1] in ".!?:\n"
        if not word[0].isupper() or sentence_start:
            return word
    return texts.MASK_NAME


# Words people are registered with that are also ordinary words of a help desk.
_SERVICE_WORDS = frozenset({"admin", "petugas", "operator", "bot", "dinas", "kominfo", "bone"})


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    return indonesian_root_words() | _SERVICE_WORDS


def _mask_digits(match: re.Match[str]) -> str:
    kind = _digit_kind(match)
    return _DIGIT_MASKS[kind] if kind else match.group(0)


def _digit_kind(match: re.Match[str]) -> str | None:
    """What a run of digits is: "nik", "phone", "npwp", "number" or None (not personal)."""
    value = match.group(0)
    digits = sum(ch.isdigit() for ch in value)
    bare = value.lstrip("+")
    if digits == NIK_DIGITS and not bare.startswith(("08", "628")):
        return "nik"
    low, high = _PHONE_DIGITS
    if low <= digits <= high and (bare.startswith(("0", "62")) or value.startswith("+")):
        return "phone"
    if digits == NPWP_DIGITS:
        return "npwp"
    if digits >= LONG_NUMBER_DIGITS and not _is_rupiah(match):
        # Other long numbers may be Telegram ids, account or card numbers.
        return "number"
    return None


_DIGIT_MASKS = {
    "nik": texts.MASK_NIK,
    "phone": texts.MASK_PHONE,
    "npwp": texts.MASK_NPWP,
    "number": texts.MASK_NUMBER,
}


def personal_data_items(text: str) -> list[PersonalDatum]:
    """The e-mail addresses, phone, NIK/KK, NPWP and account numbers in ``text``, in order.

    The same detectors ``mask_personal_data`` uses; the ethics check (Pasal 12) reads them.
    """
    found: list[tuple[int, PersonalDatum]] = []
    rest = text
    for pattern, kind in ((_EMAIL, "email"), (_BRACKETED_PHONE, "phone")):
        for match in pattern.finditer(rest):
            found.append((match.start(), PersonalDatum(kind, match.group(0))))
        # Blank what was found so the digit run below does not count it twice.
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)
    for match in _DIGIT_RUN.finditer(rest):
        digit_kind = _digit_kind(match)
        if digit_kind:
            found.append((match.start(), PersonalDatum(digit_kind, match.group(0))))
    return [datum for _, datum in sorted(found, key=lambda pair: pair[0])]


def _is_rupiah(match: re.Match[str]) -> bool:
    """Amounts of money (Rp 1.500.000.000) are not personal data."""
    before = match.string[max(0, match.start() - 4) : match.start()].lower()
    return before.rstrip().endswith("rp") or before.rstrip().endswith("rp.")

"""The ethics check an answer passes before it goes out (Pasal 12 Perbup Bone 22/2019).

Pasal 12 asks the admin not to spread other people's personal data, nothing the agency
treats as confidential, and no abusive or demeaning words. This module is the pure rule:
given the personal data found in the answer and in the citizen's own messages (the
detectors live in ``bot.privacy``), the agency's confidential words and the abusive-word
list, it says what trips.

Judgement on the citizen's own data: an answer that quotes back the NIK, phone number or
e-mail the citizen wrote themselves ("nomor HP Anda 0812... sudah kami catat") is not
spreading another person's data, since it goes only to that citizen. Such a value is
allowed. Any other personal data in the answer trips the check.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


class EthicsIssue(enum.StrEnum):
    PERSONAL_DATA = "personal_data"
    CONFIDENTIAL = "confidential"
    ABUSIVE = "abusive"


@dataclass(frozen=True, slots=True)
class PersonalDatum:
    """One piece of personal data a detector found: its kind ("nik", "phone", ...) and text."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class EthicsFinding:
    issue: EthicsIssue
    kind: str  # the personal-data kind, or the word that matched
    value: str


@dataclass(frozen=True, slots=True)
class EthicsPolicy:
    confidential_words: frozenset[str] = field(default_factory=frozenset)
    abusive_words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *, confidential: Iterable[str], abusive: Iterable[str]) -> EthicsPolicy:
        return cls(_normalised_words(confidential), _normalised_words(abusive))


@dataclass(frozen=True, slots=True)
class EthicsVerdict:
    findings: tuple[EthicsFinding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings

    def issues(self) -> frozenset[EthicsIssue]:
        return frozenset(finding.issue for finding in self.findings)


def normalise_datum(value: str) -> str:
    """Compare personal data by its digits (numbers) or lowercased text (e-mail)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if "@" not in value and len(digits) >= 6:
        # +62 812... and 0812... are the same phone number.
        return "0" + digits[2:] if digits.startswith("62") else digits
    return value.strip().lower()


def check_answer(
    answer: str,
    *,
    answer_data: Iterable[PersonalDatum],
    citizen_data: Iterable[PersonalDatum],
    policy: EthicsPolicy,
) -> EthicsVerdict:
    """Every reason the answer may not go out without the admin's confirmation."""
    own = {normalise_datum(datum.value) for datum in citizen_data}
    findings: list[EthicsFinding] = []
    seen: set[tuple[EthicsIssue, str]] = set()
    for datum in answer_data:
        key = normalise_datum(datum.value)
        if key in own or (EthicsIssue.PERSONAL_DATA, key) in seen:
            continue
        seen.add((EthicsIssue.PERSONAL_DATA, key))
        findings.append(EthicsFinding(EthicsIssue.PERSONAL_DATA, datum.kind, datum.value))
    for issue, words in (
        (EthicsIssue.CONFIDENTIAL, policy.confidential_words),
        (EthicsIssue.ABUSIVE, policy.abusive_words),
    ):
        for word in sorted(words_in(answer, words)):
            findings.append(EthicsFinding(issue, word, word))
    return EthicsVerdict(tuple(findings))


def words_in(text: str, words: frozenset[str]) -> set[str]:
    """The listed words or phrases that occur in ``text`` as whole words, any case."""
    if not words:
        return set()
    haystack = " ".join(_TOKEN.findall(text.lower()))
    padded = f" {haystack} "
    return {word for word in words if f" {word} " in padded}


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _normalised_words(words: Iterable[str]) -> frozenset[str]:
    out = set()
    for word in words:
        tokens = _TOKEN.findall(word.lower())
        if tokens:
            out.add(" ".join(tokens))
    return frozenset(out)

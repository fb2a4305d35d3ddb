"""Masking of personal data in free text, for reports and for logs.

Citizens write NIK numbers, phone numbers and e-mail addresses into their questions.
Anything that leaves the conversation record (a report, a log line) goes through
``mask_personal_data`` first.
"""

from __future__ import annotations

import re

from bot import texts

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A NIK is 16 digits; people also type it in groups (3201 1234 5678 9012).
_NIK = re.compile(r"(?<!\d)\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?!\d)")
# Indonesian mobile and landline numbers: 08.., +62 8.., 62-8.., (0481) 21...
_PHONE = re.compile(
    r"(?<![\w+(])\(?(?:\+62|62|0)[ .-]?(?:\(?\d{2,4}\)?)(?:[ .-]?\d{2,5}){1,4}(?!\d)",
)
_MENTION = re.compile(r"(?<![\w.])@[A-Za-z][A-Za-z0-9_]{3,}")
# Other long digit runs may be Telegram ids, account or card numbers.
_LONG_NUMBER = re.compile(r"(?<!\d)\d{9,}(?!\d)")
_PHONE_DIGITS = (9, 14)


def mask_personal_data(text: str) -> str:
    """Replace NIK-like numbers, phone numbers, e-mail addresses and @usernames."""
    masked = _EMAIL.sub(texts.MASK_EMAIL, text)
    masked = _NIK.sub(texts.MASK_NIK, masked)
    masked = _PHONE.sub(_mask_phone, masked)
    masked = _MENTION.sub(texts.MASK_ACCOUNT, masked)
    return _LONG_NUMBER.sub(texts.MASK_NUMBER, masked)


def _mask_phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    low, high = _PHONE_DIGITS
    # Short matches are ordinary numbers ("0 8 orang"), not phone numbers.
    if low <= digits <= high:
        return texts.MASK_PHONE
    return match.group(0)

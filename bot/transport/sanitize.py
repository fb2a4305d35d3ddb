"""What PostgreSQL cannot store is removed from an update before it is handled.

PostgreSQL text columns refuse the NUL character (``invalid byte sequence for encoding
"UTF8": 0x00``); an update carrying one would fail every attempt and be set aside
unanswered. No Telegram client lets a person type NUL, so it carries no meaning: it is
dropped from every string of the update, on every backend, so both behave the same. The
raw inbox row keeps the update as it arrived (JSON escapes NUL as ``\\u0000``).
"""

from __future__ import annotations

from typing import Any


def strip_nul(value: Any) -> Any:
    """``value`` (decoded JSON) with every NUL character removed from its strings."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {strip_nul(key): strip_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strip_nul(item) for item in value]
    return value

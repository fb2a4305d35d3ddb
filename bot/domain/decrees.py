"""Parsing `/petugas tambah <id> <nomor SK> <tanggal>` (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")


class DecreeInputError(ValueError):
    """Bad /petugas input; ``field`` is "syntax", "id" or "date", ``given`` the bad part."""

    def __init__(self, field: str, given: str = "") -> None:
        super().__init__(field)
        self.field = field
        self.given = given


@dataclass(frozen=True, slots=True)
class Appointment:
    telegram_id: int
    decree_number: str
    decree_date: date


def parse_decree_date(text: str) -> date:
    """2026-01-31, 31-01-2026 or 31/01/2026; ValueError otherwise (also for 31-02-2026)."""
    text = text.strip()
    if m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    else:
        raise ValueError(text)
    return date(year, month, day)


def parse_telegram_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise DecreeInputError("id", text)
    return int(text)


def parse_appointment(args: list[str]) -> Appointment:
    """``<id> <nomor SK> <tanggal>``; the decree number may hold spaces (the date is last)."""
    if len(args) < 3:
        raise DecreeInputError("syntax")
    telegram_id = parse_telegram_id(args[0])
    try:
        decree_date = parse_decree_date(args[-1])
    except ValueError:
        raise DecreeInputError("date", args[-1]) from None
    return Appointment(telegram_id, " ".join(args[1:-1]), decree_date)

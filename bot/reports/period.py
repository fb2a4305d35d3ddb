"""Report periods: parse what an admin types and turn local calendar days into UTC ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import texts


class PeriodError(ValueError):
    """The period text could not be understood; the message says why, in English."""


@dataclass(frozen=True, slots=True)
class Period:
    """Local calendar days from ``start`` to ``end``, both inclusive."""

    start: date
    end: date
    label: str

    def utc_range(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Half-open UTC range [start 00:00 local, day after end 00:00 local)."""
        return local_day_start(self.start, tz), local_day_start(self.end + timedelta(days=1), tz)

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        result: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def local_day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([0-9]+)$")
_SEMESTER = re.compile(r"^(\d{4})-[Ss]([0-9]+)$")
_RANGE = re.compile(r"^(\S+)\s*\.\.\s*(\S+)$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Years outside this window are almost certainly typos (e.g. 226 or 20266).
_MIN_YEAR, _MAX_YEAR = 2000, 2100
EXAMPLES = "2026, 2026-11, 2026-Q3, 2026-S1 or 2026-01-01..2026-06-30"


def parse_period(text: str | None, today: date) -> Period:
    """Parse ``2026``, ``2026-11``, ``2026-Q3``, ``2026-S1`` or ``2026-01-01..2026-06-30``.

    Empty input means the current year up to ``today``. Raises PeriodError otherwise.
    """
    value = (text or "").strip()
    if not value:
        return Period(date(today.year, 1, 1), today, _range_label(date(today.year, 1, 1), today))
    if match := _YEAR.match(value):
        year = _check_year(int(match.group(1)), value)
        return Period(date(year, 1, 1), date(year, 12, 31), texts.REPORT_PERIOD_YEAR.format(year))
    if match := _MONTH.match(value):
        year = _check_year(int(match.group(1)), value)
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} in {value!r} is not between 1 and 12")
        start = date(year, month, 1)
        label = f"{texts.REPORT_MONTHS[month - 1]} {year}"
        return Period(start, _month_end(year, month), label)
    if match := _QUARTER.match(value):
        year = _check_year(int(match.group(1)), value)
        quarter = int(match.group(2))
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter {quarter} in {value!r} is not between 1 and 4")
        first = 3 * (quarter - 1) + 1
        label = texts.REPORT_PERIOD_QUARTER.format(_ROMAN[quarter], year)
        return Period(date(year, first, 1), _month_end(year, first + 2), label)
    if match := _SEMESTER.match(value):
        year = _check_year(int(match.group(1)), value)
        half = int(match.group(2))
        if half not in (1, 2):
            raise PeriodError(f"semester {half} in {value!r} must be 1 or 2")
        first = 1 if half == 1 else 7
        label = texts.REPORT_PERIOD_SEMESTER.format(_ROMAN[half], year)
        return Period(date(year, first, 1), _month_end(year, first + 5), label)
    if match := _RANGE.match(value):
        start = _parse_day(match.group(1))
        end = _parse_day(match.group(2))
        if end < start:
            raise PeriodError(f"range {value!r} ends ({end}) before it starts ({start})")
        return Period(start, end, _range_label(start, end))
    raise PeriodError(f"cannot read period {value!r}; expected one of {EXAMPLES}")


def format_day(day: date) -> str:
    """Indonesian long date: 1 Januari 2026."""
    return f"{day.day} {texts.REPORT_MONTHS[day.month - 1]} {day.year}"


def month_label(year: int, month: int) -> str:
    return f"{texts.REPORT_MONTHS_SHORT[month - 1]} {year}"


def _range_label(start: date, end: date) -> str:
    return texts.REPORT_PERIOD_RANGE.format(format_day(start), format_day(end))


def _check_year(year: int, value: str) -> int:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise PeriodError(f"year {year} in {value!r} is not between {_MIN_YEAR} and {_MAX_YEAR}")
    return year


def _parse_day(part: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
        raise PeriodError(f"date {part!r} is not in the form YYYY-MM-DD")
    try:
        day = date.fromisoformat(part)
    except ValueError as exc:
        raise PeriodError(f"date {part!r} does not exist ({exc})") from None
    _check_year(day.year, part)
    return day


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)

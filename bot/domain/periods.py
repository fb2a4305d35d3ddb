"""Periods: what an admin types after /laporan or /kinerja, as local days and UTC ranges.

Two grammars share the pieces here: the report's (``parse_period``: years, months,
quarters, semesters, day ranges) and /kinerja's (``parse_performance_period``: today,
this week, this month, a month, a year). Both count whole local days and give a
half-open UTC range starting at local midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.labels import format_day, format_local_date, month_name


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
        label = f"{month_name(month)} {year}"
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


# ----------------------------------------------------------------------------- /kinerja


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class PeriodParseError(ValueError):
    """The /kinerja period was not understood; reply with texts.PERF_PERIOD_HELP."""


@dataclass(frozen=True)
class PerformancePeriod:
    """Local calendar days ``first_day`` .. ``last_day`` (inclusive)."""

    kind: PeriodKind
    first_day: date
    last_day: date

    def utc_range(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Half-open UTC range from the first day's local midnight to the next one's."""
        return local_day_start(self.first_day, tz), local_day_start(
            self.last_day + timedelta(days=1), tz
        )


_WORDS = {
    "hari": PeriodKind.DAY,
    "hariini": PeriodKind.DAY,
    "minggu": PeriodKind.WEEK,
    "mingguini": PeriodKind.WEEK,
    "bulan": PeriodKind.MONTH,
    "bulanini": PeriodKind.MONTH,
}


def parse_performance_period(text: str | None, *, today: date) -> PerformancePeriod:
    """``""``/``bulan`` this month, ``hari`` today, ``minggu`` this week (Mon–Sun),
    ``2026-11`` a month, ``2026`` a year. Anything else raises PeriodParseError."""
    value = (text or "").strip().lower()
    word = _WORDS.get(value.replace(" ", ""), PeriodKind.MONTH if not value else None)
    if word is PeriodKind.DAY:
        return PerformancePeriod(PeriodKind.DAY, today, today)
    if word is PeriodKind.WEEK:
        monday = today - timedelta(days=today.weekday())
        return PerformancePeriod(PeriodKind.WEEK, monday, monday + timedelta(days=6))
    if word is PeriodKind.MONTH:
        return _month(today.year, today.month)
    if match := _MONTH.match(value):
        year, month = int(match.group(1)), int(match.group(2))
        if _MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12:
            return _month(year, month)
    elif match := _YEAR.match(value):
        year = int(match.group(1))
        if _MIN_YEAR <= year <= _MAX_YEAR:
            return PerformancePeriod(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))
    raise PeriodParseError(f"cannot read period {text!r}")


def _month(year: int, month: int) -> PerformancePeriod:
    return PerformancePeriod(PeriodKind.MONTH, date(year, month, 1), _month_end(year, month))


def period_label(period: PerformancePeriod) -> str:
    first, last = period.first_day, period.last_day
    match period.kind:
        case PeriodKind.DAY:
            return texts.PERF_PERIOD_TODAY.format(date=format_local_date(first))
        case PeriodKind.WEEK:
            return texts.PERF_PERIOD_WEEK.format(start=format_day(first), end=format_day(last))
        case PeriodKind.MONTH:
            return texts.PERF_PERIOD_MONTH.format(month=month_name(first.month), year=first.year)
        case PeriodKind.YEAR:
            return texts.PERF_PERIOD_YEAR.format(year=first.year)
    return days_label(first, last)  # pragma: no cover (every kind is matched above)


def days_label(first: date, last: date) -> str:
    if first == last:
        return format_local_date(first)
    return texts.PERF_PERIOD_DAYS.format(start=format_day(first), end=format_day(last))

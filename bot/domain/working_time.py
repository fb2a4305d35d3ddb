"""Working-time arithmetic for the help desk (office hours, holidays, cuti bersama).

Perbup Bone 22/2019 Pasal 3 huruf d ("Responsif") asks that the public gets an answer
quickly; a fair measure of "quickly" for a government office only counts the hours the
office is open. This module answers "is the office open?", "how much working time lies
between two moments?" and "when will N seconds of working time have elapsed?".

Conventions:

* Every datetime argument must be timezone-aware (any zone); naive ones raise
  ``ValueError`` because guessing a zone is how off-by-eight-hours bugs start.
* Computations happen in the calendar's local zone (WITA = Asia/Makassar by default) at
  whole-second resolution: sub-second parts of inputs are dropped, which keeps the
  arithmetic exact (additive and invertible).
* Working periods are half-open: with ``07:30-12:00`` the office is open at 07:30:00 and
  closed at 12:00:00.
* Returned datetimes are in UTC (the storage layer keeps UTC); use
  :func:`bot.domain.labels.format_local_datetime` to show them to people.
* Local clock times are taken at face value. Indonesian zones have no daylight saving
  time, so this is exact there; in a DST zone a working period that spans a clock change
  counts its nominal length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays


class CalendarSettings(Protocol):
    """The settings a calendar is built from (``bot.config.Settings`` has them)."""

    @property
    def working_hours(self) -> str: ...
    @property
    def tz(self) -> ZoneInfo: ...
    @property
    def cuti_bersama(self) -> list[date]: ...


__all__ = [
    "CUTI_BERSAMA_NAME",
    "WorkingCalendar",
    "WorkingHours",
    "parse_working_hours",
]

WorkingHours = dict[int, tuple[tuple[time, time], ...]]
"""Weekday (0 = Monday) to its opening periods, sorted and non-overlapping."""

CUTI_BERSAMA_NAME = "Cuti Bersama"

_SECONDS_PER_DAY = 86_400
_DAYS_PER_WEEK = 7
# A calendar whose closed days swallow this many consecutive days has no usable working
# time (e.g. a mistaken cuti bersama list); fail loudly instead of looping for ever.
_MAX_DAYS_WITHOUT_WORK = 3_660

_DAY_NAMES: dict[str, int] = {}
for _index, _aliases in enumerate(
    (
        ("mon", "monday", "sen", "senin"),
        ("tue", "tuesday", "sel", "selasa"),
        ("wed", "wednesday", "rab", "rabu"),
        ("thu", "thursday", "kam", "kamis"),
        ("fri", "friday", "jum", "jumat", "jum'at"),
        ("sat", "saturday", "sab", "sabtu"),
        ("sun", "sunday", "min", "minggu", "ahad"),
    )
):
    for _alias in _aliases:
        _DAY_NAMES[_alias] = _index

# Days come first (letters, commas, dashes, spaces), the periods start at the first digit.
_GROUP_PATTERN = re.compile(r"^(?P<days>[^\d]+?)\s+(?P<ranges>\d.*)$")
_RANGE_PATTERN = re.compile(
    r"^(?P<h1>\d{1,2})[:.](?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2})[:.](?P<m2>\d{2})$"
)


def parse_working_hours(spec: str) -> WorkingHours:
    """Parse ``"mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30,13:30-16:30"``.

    Groups are separated by ``;``; each group is ``DAYS RANGES``. DAYS is a comma list of
    day names or ``first-last`` day spans (English ``mon``..``sun`` or Indonesian
    ``sen``, ``sel``, ``rab``, ``kam``, ``jum``, ``sab``, ``min``; full names work too).
    RANGES is a comma list of ``HH:MM-HH:MM`` periods (``HH.MM`` is accepted too) in
    chronological order without overlaps. Days not listed are closed.

    Raises ``ValueError`` naming the offending group, day or period.
    """
    if not spec.strip():
        raise ValueError("working hours spec is empty")
    hours: WorkingHours = {}
    group_of_day: dict[int, str] = {}
    for raw_group in spec.split(";"):
        group = raw_group.strip()
        if not group:
            continue  # tolerate a trailing ";"
        match = _GROUP_PATTERN.match(group)
        if match is None:
            raise ValueError(
                f"working hours group {group!r} must look like 'DAYS HH:MM-HH:MM,...', "
                "e.g. 'mon-thu 07:30-12:00,13:00-16:00'"
            )
        days = _parse_days(match["days"], group)
        periods = _parse_periods(match["ranges"], group)
        for day in days:
            if day in group_of_day:
                raise ValueError(
                    f"day {_day_label(day)!r} is listed in more than one working hours "
                    f"group: {group_of_day[day]!r} and {group!r}"
                )
            group_of_day[day] = group
            hours[day] = periods
    return dict(sorted(hours.items()))


def _day_label(day: int) -> str:
    return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day]


def _parse_day_name(name: str, group: str) -> int:
    try:
        return _DAY_NAMES[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown day name {name.strip()!r} in working hours group {group!r}; "
            "use mon, tue, wed, thu, fri, sat, sun (or sen, sel, rab, kam, jum, sab, min)"
        ) from None


def _parse_days(days_text: str, group: str) -> list[int]:
    days: list[int] = []
    for raw_item in days_text.split(","):
        item = raw_item.strip()
        if not item:
            raise ValueError(f"empty day name in working hours group {group!r}")
        if "-" in item:
            first_name, _, last_name = item.partition("-")
            first = _parse_day_name(first_name, group)
            last = _parse_day_name(last_name, group)
            if last < first:
                # A wrapping span such as fri-mon is more likely a typo than intent.
                raise ValueError(
                    f"day span {item!r} in working hours group {group!r} runs backwards; "
                    "write spans from Monday towards Sunday, e.g. 'mon-fri'"
                )
            new_days = list(range(first, last + 1))
        else:
            new_days = [_parse_day_name(item, group)]
        for day in new_days:
            if day in days:
                raise ValueError(
                    f"day {_day_label(day)!r} is listed twice in working hours group {group!r}"
                )
            days.append(day)
    return days


def _parse_clock(hour_text: str, minute_text: str, period: str, group: str) -> time:
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23 or minute > 59:
        raise ValueError(
            f"invalid clock time in period {period!r} of working hours group {group!r}; "
            "use 00:00 to 23:59"
        )
    return time(hour, minute)


def _parse_periods(ranges_text: str, group: str) -> tuple[tuple[time, time], ...]:
    periods: list[tuple[time, time]] = []
    for raw_period in ranges_text.split(","):
        period = raw_period.strip()
        match = _RANGE_PATTERN.match(period)
        if match is None:
            raise ValueError(
                f"period {period!r} in working hours group {group!r} must look like "
                "'HH:MM-HH:MM', e.g. '07:30-12:00'"
            )
        start = _parse_clock(match["h1"], match["m1"], period, group)
        end = _parse_clock(match["h2"], match["m2"], period, group)
        periods.append((start, end))
    _validate_periods(periods, f"working hours group {group!r}")
    return tuple(periods)


def _validate_periods(periods: Sequence[tuple[time, time]], where: str) -> None:
    previous: tuple[time, time] | None = None
    for start, end in periods:
        label = f"{start:%H:%M}-{end:%H:%M}"
        if end <= start:
            raise ValueError(f"period {label!r} in {where} must end after it starts")
        if previous is not None:
            previous_label = f"{previous[0]:%H:%M}-{previous[1]:%H:%M}"
            if start < previous[0]:
                raise ValueError(
                    f"periods in {where} must be in chronological order: "
                    f"{label!r} comes after {previous_label!r}"
                )
            if start < previous[1]:
                raise ValueError(f"period {label!r} overlaps {previous_label!r} in {where}")
        previous = (start, end)


def _seconds_of_day(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _clock_from_seconds(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


class WorkingCalendar:
    """Office hours in one time zone, closed on national holidays and cuti bersama.

    National holidays come from the ``holidays`` package (Indonesian names), fetched
    lazily per year, so any year works. ``extra_closed_days`` are the cuti bersama days
    from the configuration. ``package_cuti_bersama=True`` also closes the cuti bersama
    days the ``holidays`` package knows (its "government" category, from the SKB
    Tiga Menteri); it is off by default because the configuration is the authority.
    """

    def __init__(
        self,
        hours: Mapping[int, Sequence[tuple[time, time]]],
        tz: ZoneInfo,
        extra_closed_days: Iterable[date] = (),
        *,
        national_holidays: bool = True,
        package_cuti_bersama: bool = False,
    ) -> None:
        periods_by_weekday: list[tuple[tuple[int, int], ...]] = [()] * _DAYS_PER_WEEK
        for weekday, periods in hours.items():
            if weekday not in range(_DAYS_PER_WEEK):
                raise ValueError(f"weekday {weekday} is not in 0 (Monday) .. 6 (Sunday)")
            _validate_periods(periods, f"working hours for {_day_label(weekday)!r}")
            periods_by_weekday[weekday] = tuple(
                (_seconds_of_day(start), _seconds_of_day(end)) for start, end in periods
            )
        self._periods = tuple(periods_by_weekday)
        self._day_seconds = tuple(sum(end - start for start, end in p) for p in self._periods)
        self._week_seconds = sum(self._day_seconds)
        if self._week_seconds == 0:
            raise ValueError("working hours have no open period on any day of the week")
        self._hours: WorkingHours = {
            weekday: tuple((start, end) for start, end in periods)
            for weekday, periods in sorted(hours.items())
            if periods
        }
        self._tz = tz
        self._extra_closed_days = frozenset(extra_closed_days)
        self._national_holidays = national_holidays
        self._package_cuti_bersama = package_cuti_bersama
        self._closed_by_year: dict[int, dict[date, str]] = {}

    @classmethod
    def from_settings(cls, settings: CalendarSettings) -> WorkingCalendar:
        return cls(
            parse_working_hours(settings.working_hours),
            settings.tz,
            settings.cuti_bersama,
        )

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def hours(self) -> WorkingHours:
        return dict(self._hours)

    # -- closed days ---------------------------------------------------------------

    def _closed_days(self, year: int) -> dict[date, str]:
        cached = self._closed_by_year.get(year)
        if cached is not None:
            return cached
        closed: dict[date, str] = {}
        if self._national_holidays:
            closed.update(holidays.country_holidays("ID", years=year, language="id").items())
        if self._package_cuti_bersama:
            government = holidays.country_holidays(
                "ID", years=year, language="id", categories=("government",)
            )
            for day, name in government.items():
                # A national holiday's own name is more informative than its cuti bersama.
                closed.setdefault(day, name)
        for day in self._extra_closed_days:
            if day.year == year:
                closed.setdefault(day, CUTI_BERSAMA_NAME)
        self._closed_by_year[year] = closed
        return closed

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday or cuti bersama closing the office on ``d``, else None.

        Names are Indonesian, e.g. "Hari Raya Idul Fitri"; configured cuti bersama days
        are "Cuti Bersama". Ordinary weekends have no name.
        """
        return self._closed_days(_plain_date(d).year).get(_plain_date(d))

    def is_working_day(self, d: date) -> bool:
        d = _plain_date(d)
        return self._day_seconds[d.weekday()] > 0 and d not in self._closed_days(d.year)

    def working_seconds_on_day(self, d: date) -> int:
        """Working seconds the office is open on ``d`` (0 on closed days)."""
        d = _plain_date(d)
        return self._day_seconds[d.weekday()] if self.is_working_day(d) else 0

    def working_day_after(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself is not counted)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = _plain_date(d)
        found = 0
        days_without_work = 0
        while found < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
                days_without_work = 0
            else:
                days_without_work = self._check_progress(days_without_work + 1, day)
        return day

    def _check_progress(self, days_without_work: int, day: date) -> int:
        if days_without_work > _MAX_DAYS_WITHOUT_WORK:
            raise ValueError(
                f"no working day in the {_MAX_DAYS_WITHOUT_WORK} days before {day}; "
                "check the working hours and cuti bersama configuration"
            )
        return days_without_work

    # -- moments -------------------------------------------------------------------

    def _to_local(self, moment: datetime, name: str = "datetime") -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")
        return moment.astimezone(self._tz).replace(microsecond=0)

    def _moment(self, d: date, seconds_of_day: int) -> datetime:
        local = datetime.combine(d, _clock_from_seconds(seconds_of_day), tzinfo=self._tz)
        return local.astimezone(UTC)

    def _periods_on(self, d: date) -> tuple[tuple[int, int], ...]:
        return self._periods[d.weekday()] if self.is_working_day(d) else ()

    def is_working_time(self, t: datetime) -> bool:
        local = self._to_local(t)
        second = _seconds_of_day(local.time())
        return any(start <= second < end for start, end in self._periods_on(local.date()))

    def next_opening(self, t: datetime) -> datetime:
        """``t`` (in UTC) if the office is open then, else the next moment it opens."""
        local = self._to_local(t)
        day = local.date()
        second = _seconds_of_day(local.time())
        for start, end in self._periods_on(day):
            if start <= second < end:
                return t.astimezone(UTC)
            if second < start:
                return self._moment(day, start)
        days_without_work = 0
        while True:
            day += timedelta(days=1)
            periods = self._periods_on(day)
            if periods:
                return self._moment(day, periods[0][0])
            days_without_work = self._check_progress(days_without_work + 1, day)

    def _working_seconds_within_day(self, d: date, from_second: int, to_second: int) -> int:
        return sum(
            max(0, min(end, to_second) - max(start, from_second))
            for start, end in self._periods_on(d)
        )

    def _working_seconds_in_whole_days(self, first: date, stop: date) -> int:
        """Working seconds on the days ``first`` .. ``stop`` (exclusive), arithmetically.

        Whole weeks contribute ``_week_seconds`` each; the closed days in the span are
        then subtracted, so a year costs a handful of operations, not 365 iterations.
        """
        day_count = (stop - first).days
        if day_count <= 0:
            return 0
        weeks, remaining_days = divmod(day_count, _DAYS_PER_WEEK)
        first_weekday = first.weekday()
        total = weeks * self._week_seconds + sum(
            self._day_seconds[(first_weekday + offset) % _DAYS_PER_WEEK]
            for offset in range(remaining_days)
        )
        last = stop - timedelta(days=1)
        for year in range(first.year, last.year + 1):
            for closed_day in self._closed_days(year):
                if first <= closed_day <= last:
                    total -= self._day_seconds[closed_day.weekday()]
        return total

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Working seconds in ``[start, end)``; 0 when ``end <= start``."""
        local_start = self._to_local(start, "start")
        local_end = self._to_local(end, "end")
        if local_end <= local_start:
            return 0
        start_day, end_day = local_start.date(), local_end.date()
        start_second = _seconds_of_day(local_start.time())
        end_second = _seconds_of_day(local_end.time())
        if start_day == end_day:
            return self._working_seconds_within_day(start_day, start_second, end_second)
        return (
            self._working_seconds_within_day(start_day, start_second, _SECONDS_PER_DAY)
            + self._working_seconds_in_whole_days(start_day + timedelta(days=1), end_day)
            + self._working_seconds_within_day(end_day, 0, end_second)
        )

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole working minutes in ``[start, end)`` (rounded down)."""
        return self.working_seconds_between(start, end) // 60

    def add_working_time(self, start: datetime, seconds: int) -> datetime:
        """The earliest moment (UTC) by which ``seconds`` of working time follow ``start``.

        Counting starts at ``start`` if the office is open, else at the next opening.
        For ``seconds > 0`` the result lies inside a working period or exactly at its
        closing time (an hour of work from 11:00 ends at 12:00, not at 13:00 after the
        break). ``seconds == 0`` returns ``start`` itself (to the whole second).
        """
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        local = self._to_local(start, "start")
        if seconds == 0:
            return local.astimezone(UTC)
        day = local.date()
        from_second = _seconds_of_day(local.time())
        remaining = seconds
        days_without_work = 0
        while True:
            if from_second == 0 and remaining >= 2 * self._week_seconds:
                # Skip whole weeks; one week's worth stays for the day-by-day walk below,
                # so the skipped span can never overshoot even with no closed days.
                stop = day + timedelta(weeks=remaining // self._week_seconds - 1)
                remaining -= self._working_seconds_in_whole_days(day, stop)
                day = stop
                continue
            periods = self._periods_on(day)
            for period_start, period_end in periods:
                if period_end <= from_second:
                    continue
                begin = max(period_start, from_second)
                available = period_end - begin
                if remaining <= available:
                    return self._moment(day, begin + remaining)
                remaining -= available
            days_without_work = 0 if periods else self._check_progress(days_without_work + 1, day)
            day += timedelta(days=1)
            from_second = 0


def _plain_date(d: date) -> date:
    # datetime is a subclass of date but never equals one, so a datetime would silently
    # miss every holiday lookup.
    if isinstance(d, datetime):
        raise TypeError("pass a date, not a datetime (use is_working_time for moments)")
    return d

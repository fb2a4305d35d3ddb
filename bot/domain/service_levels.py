"""Service-level targets (first response, resolution) measured in working time.

Perbup Bone 22/2019 Pasal 3 huruf d ("Responsif") is made measurable with two targets:

* **First response**: ``first_response_seconds`` of *working time* after the ticket is
  opened (default 60 minutes). A ticket opened on Friday evening is therefore due on
  Monday at 08:30 WITA, not on Friday at 21:00.
* **Resolution**: a number of *working days* per ticket kind (e.g. pengaduan = 5).

Resolution rule (``ServiceLevelPolicy.resolution_due``): counting starts when the ticket
is opened, or at the next opening if the office was closed then. The deadline is the same
local clock time on the N-th working day after that start day. Working days differ in
length (Friday has a longer prayer break), so "N days" is counted as calendar working
days, not as N times some standard number of hours; that is how "N hari kerja" is read
in Indonesian service standards, and it gives deadlines people can check on a calendar.
When that clock time is not working time on the due day (e.g. 12:00 on a Friday, inside
the prayer break, or 16:15 on a Monday when the office closes at 16:00), the deadline is
moved back to the earliest moment with the same amount of working time elapsed - the end
of the preceding working period. Moving it forward would not give more working time,
only a later-looking clock time.

Reminder: ``reminder_due`` is the moment ``reminder_fraction`` of the first-response
working time has elapsed; ``resolution_reminder_due`` is the same for resolution.

Measures (``measure_first_response`` / ``measure_resolution``) compare working time,
so an answer sent during the lunch break right after a 12:00 deadline still counts as
on time: no working time passed after the deadline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from types import MappingProxyType
from typing import Protocol

from bot.domain.enums import TicketKind
from bot.domain.working_time import WorkingCalendar


class PolicySettings(Protocol):
    """The settings a policy is built from (``bot.config.Settings`` has them)."""

    @property
    def first_response_minutes(self) -> int: ...
    @property
    def first_response_minutes_by_kind(self) -> str: ...
    @property
    def resolution_days(self) -> str: ...
    @property
    def reminder_fraction(self) -> float: ...


__all__ = [
    "DEFAULT_RESOLUTION_WORKING_DAYS",
    "ExpectedAnswer",
    "ResponseMeasure",
    "ServiceLevelPolicy",
    "describe_expected_answer",
    "parse_resolution_days",
]

# Same values as bot.config.DEFAULT_RESOLUTION_DAYS (a test keeps the two in step).
DEFAULT_RESOLUTION_WORKING_DAYS: Mapping[TicketKind, int] = MappingProxyType(
    {
        TicketKind.PERTANYAAN: 3,
        TicketKind.PENGADUAN: 5,
        TicketKind.ASPIRASI: 5,
        TicketKind.PERMINTAAN_INFORMASI: 10,
        TicketKind.KOMENTAR: 3,
    }
)


def parse_resolution_days(spec: str) -> dict[TicketKind, int]:
    """Parse ``"pertanyaan=3,pengaduan=5"`` into working days per ticket kind.

    Kinds not mentioned keep their default (``DEFAULT_RESOLUTION_WORKING_DAYS``).
    Raises ``ValueError`` naming the bad entry (unknown kind, duplicate, non-positive or
    non-integer number of days).
    """
    return parse_kind_numbers(
        spec, DEFAULT_RESOLUTION_WORKING_DAYS, what="resolution days", unit="working days"
    )


def parse_first_response_minutes(spec: str, default_minutes: int) -> dict[TicketKind, int]:
    """Parse ``"pengaduan=30,komentar=120"``: first-response minutes per kind.

    Kinds not mentioned use ``default_minutes`` (FIRST_RESPONSE_MINUTES).
    """
    defaults = dict.fromkeys(TicketKind, default_minutes)
    return parse_kind_numbers(
        spec, defaults, what="first response minutes", unit="working minutes"
    )


def parse_kind_numbers(
    spec: str, defaults: Mapping[TicketKind, int], *, what: str, unit: str
) -> dict[TicketKind, int]:
    """``KIND=NUMBER`` entries, comma-separated, over ``defaults``; errors name the entry."""
    result = dict(defaults)
    seen: set[TicketKind] = set()
    known = ", ".join(kind.value for kind in TicketKind)
    for raw_entry in spec.split(","):
        entry = raw_entry.strip()
        if not entry:
            continue  # tolerate an empty spec or a trailing comma
        name, separator, number_text = entry.partition("=")
        if not separator:
            raise ValueError(
                f"{what} entry {entry!r} must look like 'KIND=NUMBER', e.g. 'pengaduan=5'"
            )
        try:
            kind = TicketKind(name.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown ticket kind {name.strip()!r} in {what} entry {entry!r}; "
                f"expected one of {known}"
            ) from None
        if kind in seen:
            raise ValueError(f"ticket kind {kind.value!r} is given more than once: {entry!r}")
        seen.add(kind)
        number_text = number_text.strip()
        if not number_text.isdecimal() or int(number_text) < 1:
            raise ValueError(f"{what} entry {entry!r} needs a whole number of {unit} >= 1")
        result[kind] = int(number_text)
    return result


@dataclass(frozen=True)
class ResponseMeasure:
    """How long a response took, in wall-clock and in working time."""

    wall_seconds: int
    working_seconds: int
    target_working_seconds: int
    within_target: bool


@dataclass(frozen=True)
class ExpectedAnswer:
    """What to tell a citizen right after their ticket is opened (data, not text)."""

    now_local: datetime
    office_open: bool
    first_response_due_local: datetime
    # None while the office is open.
    next_opening_local: datetime | None
    # Why today is closed, e.g. "Hari Raya Idul Fitri" or "Cuti Bersama"; None on an
    # ordinary working day or an ordinary weekend.
    closed_day_name: str | None


@dataclass(frozen=True)
class ServiceLevelPolicy:
    """Targets for first response (working seconds) and resolution (working days)."""

    first_response_seconds: int
    # A mapping cannot be hashed; leaving it out keeps the policy usable as a dict key.
    resolution_working_days_by_kind: Mapping[TicketKind, int] = field(hash=False)
    reminder_fraction: float
    # Overrides of first_response_seconds for some kinds (e.g. complaints answered sooner).
    first_response_seconds_by_kind: Mapping[TicketKind, int] = field(
        default_factory=dict, hash=False
    )

    def __post_init__(self) -> None:
        if self.first_response_seconds < 1:
            raise ValueError(
                f"first_response_seconds must be >= 1, got {self.first_response_seconds}"
            )
        if not 0.0 < self.reminder_fraction < 1.0:
            raise ValueError(
                f"reminder_fraction must be between 0 and 1, got {self.reminder_fraction}"
            )
        missing = [
            kind.value for kind in TicketKind if kind not in self.resolution_working_days_by_kind
        ]
        if missing:
            raise ValueError(f"resolution working days missing for: {', '.join(missing)}")
        for kind, days in self.resolution_working_days_by_kind.items():
            if days < 1:
                raise ValueError(f"resolution working days for {kind.value!r} must be >= 1")
        for kind, seconds in self.first_response_seconds_by_kind.items():
            if seconds < 1:
                raise ValueError(f"first response seconds for {kind.value!r} must be >= 1")
        # Copy so later changes to the caller's dict cannot move deadlines.
        object.__setattr__(
            self,
            "resolution_working_days_by_kind",
            MappingProxyType(dict(self.resolution_working_days_by_kind)),
        )
        object.__setattr__(
            self,
            "first_response_seconds_by_kind",
            MappingProxyType(dict(self.first_response_seconds_by_kind)),
        )

    @classmethod
    def from_settings(cls, settings: PolicySettings) -> ServiceLevelPolicy:
        by_kind = parse_first_response_minutes(
            settings.first_response_minutes_by_kind, settings.first_response_minutes
        )
        return cls(
            first_response_seconds=settings.first_response_minutes * 60,
            resolution_working_days_by_kind=parse_resolution_days(settings.resolution_days),
            reminder_fraction=settings.reminder_fraction,
            first_response_seconds_by_kind={
                kind: minutes * 60
                for kind, minutes in by_kind.items()
                if minutes != settings.first_response_minutes
            },
        )

    def first_response_target(self, kind: TicketKind | None = None) -> int:
        """Working seconds allowed for the first answer to a ticket of ``kind``."""
        if kind is None:
            return self.first_response_seconds
        return self.first_response_seconds_by_kind.get(kind, self.first_response_seconds)

    @property
    def reminder_seconds(self) -> int:
        """Working seconds after opening at which the first-response reminder fires."""
        return self.reminder_seconds_for(None)

    def reminder_seconds_for(self, kind: TicketKind | None) -> int:
        # At least one second so the reminder always falls inside working time.
        return max(1, math.floor(self.first_response_target(kind) * self.reminder_fraction))

    def first_response_due(
        self, calendar: WorkingCalendar, opened_at: datetime, kind: TicketKind | None = None
    ) -> datetime:
        """Deadline (UTC) for the first answer: the kind's target of working time."""
        return calendar.add_working_time(opened_at, self.first_response_target(kind))

    def reminder_due(
        self, calendar: WorkingCalendar, opened_at: datetime, kind: TicketKind | None = None
    ) -> datetime:
        """When (UTC) to remind officials that the first-response deadline is near."""
        return calendar.add_working_time(opened_at, self.reminder_seconds_for(kind))

    def resolution_due(
        self, calendar: WorkingCalendar, opened_at: datetime, kind: TicketKind
    ) -> datetime:
        """Deadline (UTC) for resolving a ticket of ``kind``; see the module docstring."""
        start = calendar.next_opening(opened_at).astimezone(calendar.tz)
        due_day = calendar.working_day_after(
            start.date(), self.resolution_working_days_by_kind[kind]
        )
        same_clock_time = datetime.combine(due_day, start.timetz())
        if calendar.is_working_time(same_clock_time):
            return same_clock_time.astimezone(UTC)
        elapsed = calendar.working_seconds_between(start, same_clock_time)
        return calendar.add_working_time(start, elapsed)

    def resolution_reminder_due(
        self, calendar: WorkingCalendar, opened_at: datetime, kind: TicketKind
    ) -> datetime:
        """When (UTC) reminder_fraction of the working time to resolution has elapsed."""
        start = calendar.next_opening(opened_at)
        total = calendar.working_seconds_between(
            start, self.resolution_due(calendar, opened_at, kind)
        )
        return calendar.add_working_time(start, max(1, math.floor(total * self.reminder_fraction)))

    def overdue_cutoff(
        self, calendar: WorkingCalendar, kind: TicketKind, now: datetime
    ) -> datetime:
        """The UTC moment before which a ticket of ``kind`` still open at ``now`` is overdue.

        Day-granular, for counting in the database: a ticket opened on day D is overdue once
        the N-th working day after D has ended (N = the kind's resolution working days).
        """
        today = now.astimezone(calendar.tz).date()
        days = self.resolution_working_days_by_kind[kind]
        created = today - timedelta(days=1)
        while calendar.working_day_after(created, days) >= today:
            created -= timedelta(days=1)
        following = created + timedelta(days=1)
        return datetime.combine(following, time.min, tzinfo=calendar.tz).astimezone(UTC)

    @property
    def first_response_minutes(self) -> int:
        """The default first-response target in working minutes (as configured)."""
        return self.first_response_seconds // 60

    def measure_first_response(
        self,
        calendar: WorkingCalendar,
        opened_at: datetime,
        answered_at: datetime,
        kind: TicketKind | None = None,
    ) -> ResponseMeasure:
        return _measure(calendar, opened_at, answered_at, self.first_response_target(kind))

    def measure_resolution(
        self,
        calendar: WorkingCalendar,
        opened_at: datetime,
        resolved_at: datetime,
        kind: TicketKind,
    ) -> ResponseMeasure:
        target = calendar.working_seconds_between(
            opened_at, self.resolution_due(calendar, opened_at, kind)
        )
        return _measure(calendar, opened_at, resolved_at, target)


def _measure(
    calendar: WorkingCalendar, opened_at: datetime, done_at: datetime, target: int
) -> ResponseMeasure:
    # Clock skew between the message date and our own clock can put done_at a moment
    # before opened_at; that is an instant answer, not an error worth failing a handler.
    wall_seconds = max(0, math.floor((done_at - opened_at).total_seconds()))
    working_seconds = calendar.working_seconds_between(opened_at, done_at)
    return ResponseMeasure(
        wall_seconds=wall_seconds,
        working_seconds=working_seconds,
        target_working_seconds=target,
        within_target=working_seconds <= target,
    )


def describe_expected_answer(
    calendar: WorkingCalendar,
    policy: ServiceLevelPolicy,
    now: datetime,
    kind: TicketKind | None = None,
) -> ExpectedAnswer:
    """Facts for the acknowledgement message sent when a ticket is opened at ``now``."""
    tz = calendar.tz
    now_local = now.astimezone(tz)
    office_open = calendar.is_working_time(now)
    return ExpectedAnswer(
        now_local=now_local,
        office_open=office_open,
        first_response_due_local=policy.first_response_due(calendar, now, kind).astimezone(tz),
        next_opening_local=None if office_open else calendar.next_opening(now).astimezone(tz),
        closed_day_name=calendar.holiday_name(now_local.date()),
    )

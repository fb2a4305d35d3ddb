"""Responsiveness figures (Perbup Bone 22/2019 Pasal 3 huruf d) and their messages.

Definitions, so that the figures can be checked by hand:

* A ticket belongs to a period by the moment it was opened (``created_at``), so the
  figures of a closed period do not change when an old ticket is answered later.
* First-response time is ``Ticket.response_working_seconds``: working time between the
  opening and the first answer (see bot/domain/service_levels.py). Tickets closed
  without an answer (spam, duplicate, not our authority) have none and are left out of
  the response figures; they are counted separately.
* Median and 90th percentile: bot/domain/statistics.py, shared with the yearly report
  (median: mean of the two middle values for an even count, rounded down; percentile:
  nearest rank, always a time that really happened).
* "Within target": answered with ``response_working_seconds <= target_seconds``, over the
  answered tickets. Open tickets past the target are reported next to it
  (``Backlog.breached``) instead of being mixed into the share.
* The oldest open tickets are the agency's current backlog, whatever the period, since
  that is what someone can act on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.cards import utf16_len
from bot.domain.enums import TicketKind, TicketState
from bot.domain.labels import (
    format_duration_id,
    format_local_date,
    format_local_datetime,
    format_share,
)
from bot.domain.periods import PerformancePeriod, period_label
from bot.domain.statistics import median_of, percentile_of
from bot.domain.working_time import WorkingCalendar
from storage import queries
from storage.queries.ratings import RatingCounts

MESSAGE_LIMIT = 4096
OLDEST_OPEN_SHOWN = 5
ADMINS_SHOWN = 15
P90 = 0.9


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class ResponseStats:
    """First-response times of answered tickets, in working seconds."""

    answered: int
    within_target: int
    median_seconds: int | None
    p90_seconds: int | None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.answered if self.answered else None


@dataclass(frozen=True)
class AdminFigures:
    user_id: int
    name: str
    response: ResponseStats


@dataclass(frozen=True)
class KindFigures:
    kind: TicketKind
    received: int
    answered: int
    open: int


@dataclass(frozen=True)
class OpenTicketAge:
    ticket_id: int
    kind: TicketKind
    opened_at: datetime
    age_seconds: int
    # None when no calendar was given to measure working time.
    working_age_seconds: int | None


@dataclass(frozen=True)
class Backlog:
    """Tickets open right now (any period)."""

    open: int
    # Open tickets whose working age exceeds the target; None without a calendar.
    breached: int | None
    oldest: tuple[OpenTicketAge, ...]


@dataclass(frozen=True)
class PerformanceFigures:
    start: datetime
    end: datetime
    target_seconds: int
    received: int
    answered: int
    ignored: int
    open: int
    response: ResponseStats
    per_admin: tuple[AdminFigures, ...]
    per_kind: tuple[KindFigures, ...]
    backlog: Backlog
    # Citizens' 👍/👎 on the answers to these tickets.
    ratings: RatingCounts = field(default_factory=RatingCounts)


def response_stats(answers: Sequence[tuple[int, int]]) -> ResponseStats:
    """``answers`` are (working seconds, that ticket's target), sorted by seconds."""
    sorted_values = [seconds for seconds, _target in answers]
    return ResponseStats(
        answered=len(sorted_values),
        within_target=sum(1 for seconds, target in answers if seconds <= target),
        median_seconds=median_of(sorted_values),
        p90_seconds=percentile_of(sorted_values, P90),
    )


async def performance_figures(
    session: AsyncSession,
    *,
    agency_id: int,
    start: datetime,
    end: datetime,
    target_seconds: int,
    now: datetime,
    admin_id: int | None = None,
    calendar: WorkingCalendar | None = None,
    targets_by_kind: Mapping[TicketKind, int] | None = None,
) -> PerformanceFigures:
    """Figures for tickets opened in ``[start, end)``.

    ``admin_id`` limits the per-admin breakdown to that one user (an admin looking at
    their own figures); every team total stays as it is. ``calendar`` adds working-time
    ages and the count of open tickets past the target to the backlog.
    """
    counts = await queries.ticket_counts_by_kind_and_state(
        session, agency_id=agency_id, start=start, end=end
    )
    by_kind: dict[TicketKind, dict[TicketState, int]] = {}
    for kind, state, count in counts:
        by_kind.setdefault(TicketKind(kind), {})[TicketState(state)] = int(count)
    per_kind = tuple(
        KindFigures(
            kind=kind,
            received=sum(states.values()),
            answered=states.get(TicketState.ANSWERED, 0),
            open=states.get(TicketState.OPEN, 0),
        )
        for kind, states in sorted(by_kind.items(), key=lambda item: -sum(item[1].values()))
    )

    targets = dict(targets_by_kind or {})

    def target_of(kind: str) -> int:
        return targets.get(TicketKind(kind), target_seconds)

    # Narrow columns per answered ticket, already sorted by the database.
    rows = await queries.answered_response_times(
        session, agency_id=agency_id, start=start, end=end
    )
    team_values = [
        (int(seconds), target_of(kind)) for _admin, seconds, kind in rows if seconds is not None
    ]
    values_by_admin: dict[int, list[tuple[int, int]]] = {}
    for answered_by, seconds, kind in rows:
        if answered_by is not None and seconds is not None:
            values_by_admin.setdefault(int(answered_by), []).append(
                (int(seconds), target_of(kind))
            )
    if admin_id is not None:
        values_by_admin = {admin_id: values_by_admin.get(admin_id, [])}
    names = await queries.first_names(session, user_ids=list(values_by_admin))
    per_admin = tuple(
        sorted(
            (
                AdminFigures(
                    user_id=user_id,
                    name=names.get(user_id, ""),
                    response=response_stats(values),
                )
                for user_id, values in values_by_admin.items()
            ),
            key=lambda figures: (-figures.response.answered, figures.name, figures.user_id),
        )
    )
    return PerformanceFigures(
        start=start,
        end=end,
        target_seconds=target_seconds,
        received=sum(kind.received for kind in per_kind),
        answered=sum(kind.answered for kind in per_kind),
        ignored=sum(states.get(TicketState.IGNORED, 0) for states in by_kind.values()),
        open=sum(kind.open for kind in per_kind),
        response=response_stats(team_values),
        per_admin=per_admin,
        per_kind=per_kind,
        backlog=await backlog(
            session,
            agency_id=agency_id,
            now=now,
            target_seconds=target_seconds,
            calendar=calendar,
            targets_by_kind=targets,
        ),
        ratings=await queries.rating_counts(session, agency_id=agency_id, start=start, end=end),
    )


async def backlog(
    session: AsyncSession,
    *,
    agency_id: int,
    now: datetime,
    target_seconds: int,
    calendar: WorkingCalendar | None,
    shown: int = OLDEST_OPEN_SHOWN,
    targets_by_kind: Mapping[TicketKind, int] | None = None,
) -> Backlog:
    """The tickets open right now: how many, how many past the target, the oldest ones."""
    rows = await queries.open_ticket_ages(session, agency_id=agency_id)
    working_ages: list[int | None] = [
        calendar.working_seconds_between(created_at, now) if calendar is not None else None
        for _id, _kind, created_at in rows
    ]
    targets = targets_by_kind or {}
    breached = (
        sum(
            1
            for (_id, kind, _created), age in zip(rows, working_ages, strict=True)
            if age is not None and age >= targets.get(TicketKind(kind), target_seconds)
        )
        if calendar is not None
        else None
    )
    oldest = tuple(
        OpenTicketAge(
            ticket_id=int(ticket_id or 0),
            kind=TicketKind(kind),
            opened_at=created_at,
            age_seconds=max(0, int((now - created_at).total_seconds())),
            working_age_seconds=working_age,
        )
        for (ticket_id, kind, created_at), working_age in zip(
            rows[:shown], working_ages[:shown], strict=True
        )
    )
    return Backlog(open=len(rows), breached=breached, oldest=oldest)


# ----------------------------------------------------------------------------- rendering


def _duration(seconds: int | None) -> str:
    return texts.PERF_NONE if seconds is None else format_duration_id(seconds)


def _kind_label(kind: TicketKind) -> str:
    return texts.KIND_LABELS.get(kind.value, kind.value)


def _team_lines(figures: PerformanceFigures) -> list[str]:
    response = figures.response
    return [
        texts.PERF_TOTALS.format(
            received=figures.received,
            answered=figures.answered,
            ignored=figures.ignored,
            open=figures.open,
        ),
        texts.PERF_RESPONSE.format(
            median=_duration(response.median_seconds), p90=_duration(response.p90_seconds)
        ),
        texts.PERF_WITHIN.format(
            target=format_duration_id(figures.target_seconds),
            within=response.within_target,
            answered=response.answered,
            share=format_share(response.share_within_target),
        ),
    ]


def _backlog_lines(backlog: Backlog, tz: ZoneInfo) -> list[str]:
    lines = [
        texts.PERF_BACKLOG.format(
            open=backlog.open,
            breached="–" if backlog.breached is None else backlog.breached,
        )
    ]
    if backlog.oldest:
        lines.append(texts.PERF_OLDEST_HEADING)
        lines.extend(
            texts.PERF_OLDEST_LINE.format(
                ticket_id=ticket.ticket_id,
                kind=texts.esc(_kind_label(ticket.kind)),
                opened=texts.esc(format_local_datetime(ticket.opened_at, tz)),
                waited=_waited(ticket),
            )
            for ticket in backlog.oldest
        )
    return lines


def _waited(ticket: OpenTicketAge) -> str:
    if ticket.working_age_seconds is None:
        return format_duration_id(ticket.age_seconds)
    return texts.PERF_WAITED_WORKING.format(
        duration=format_duration_id(ticket.working_age_seconds)
    )


def render_performance(
    figures: PerformanceFigures,
    *,
    period: PerformancePeriod,
    tz: ZoneInfo,
    own_admin_id: int | None = None,
) -> str:
    """The /kinerja reply. With ``own_admin_id`` the viewer's own figures come first and
    no other admin is named (admins see themselves and the team; officials see all)."""
    lines = [texts.PERF_TITLE.format(period=texts.esc(period_label(period))), ""]
    if own_admin_id is not None:
        own = next((a for a in figures.per_admin if a.user_id == own_admin_id), None)
        stats = own.response if own else response_stats([])
        lines += [
            texts.PERF_OWN_HEADING,
            texts.PERF_OWN_LINE.format(
                answered=stats.answered,
                median=_duration(stats.median_seconds),
                within=stats.within_target,
                share=format_share(stats.share_within_target),
            ),
            "",
            texts.PERF_TEAM_HEADING,
        ]
    lines += _team_lines(figures)
    ratings = figures.ratings
    lines.append(
        texts.performance_ratings(up=ratings.up, down=ratings.down, comments=ratings.comments)
    )
    if own_admin_id is None and figures.per_admin:
        lines += ["", texts.PERF_ADMINS_HEADING]
        lines += [
            texts.PERF_ADMIN_LINE.format(
                name=texts.esc(admin.name or f"#{admin.user_id}"),
                answered=admin.response.answered,
                median=_duration(admin.response.median_seconds),
                share=format_share(admin.response.share_within_target),
            )
            for admin in figures.per_admin[:ADMINS_SHOWN]
        ]
        if len(figures.per_admin) > ADMINS_SHOWN:
            lines.append(texts.PERF_MORE.format(count=len(figures.per_admin) - ADMINS_SHOWN))
    if figures.per_kind:
        lines += ["", texts.PERF_KINDS_HEADING]
        lines += [
            texts.PERF_KIND_LINE.format(
                kind=texts.esc(_kind_label(kind.kind)),
                received=kind.received,
                answered=kind.answered,
                open=kind.open,
            )
            for kind in figures.per_kind
        ]
    lines += ["", *_backlog_lines(figures.backlog, tz), "", texts.PERF_NOTE]
    return fit_message(lines)


def render_morning_digest(
    *,
    today: date,
    backlog: Backlog,
    since: PerformanceFigures,
    since_label: str,
    tz: ZoneInfo,
) -> str:
    lines = [texts.DIGEST_TITLE.format(date=texts.esc(format_local_date(today))), ""]
    if backlog.open == 0:
        lines.append(texts.DIGEST_NOTHING_OPEN)
    else:
        lines.append(
            texts.DIGEST_BACKLOG.format(
                open=backlog.open,
                breached="–" if backlog.breached is None else backlog.breached,
            )
        )
        lines += _backlog_lines(backlog, tz)[1:]
    lines += [
        "",
        texts.DIGEST_SINCE.format(
            period=texts.esc(since_label),
            received=since.received,
            answered=since.answered,
            median=_duration(since.response.median_seconds),
        ),
    ]
    return fit_message(lines)


def render_weekly_summary(figures: PerformanceFigures, *, period_text: str) -> str:
    lines = [texts.WEEKLY_TITLE.format(period=texts.esc(period_text)), ""]
    lines += _team_lines(figures)
    if figures.per_kind:
        lines += ["", texts.PERF_KINDS_HEADING]
        lines += [
            texts.PERF_KIND_LINE.format(
                kind=texts.esc(_kind_label(kind.kind)),
                received=kind.received,
                answered=kind.answered,
                open=kind.open,
            )
            for kind in figures.per_kind
        ]
    lines += ["", texts.PERF_NOTE]
    return fit_message(lines)


def fit_message(lines: Sequence[str]) -> str:
    """Join lines, dropping whole lines before the last one until it fits one message."""
    kept = list(lines)
    text = "\n".join(kept)
    while utf16_len(text) > MESSAGE_LIMIT and len(kept) > 1:
        # The closing note stays; detail lines just above it go first.
        del kept[-2]
        text = "\n".join(kept)
    return text

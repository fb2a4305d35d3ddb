"""SQL for the report: every figure is an aggregate computed by the database.

The heavy tables (message, ticket) are only read through the covering ``ix_*_report*``
indexes (storage/models.py), so no query reads table rows, and each GROUP BY either
follows an index's order or sorts only a few thousand keys: SQLite has no hash
aggregate, and sorting a year of rows is what makes a naive report slow. Months are
counted as index range counts over UTC boundaries of the agency's local months, which
works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.domain.enums import Direction, TicketKind
from storage.models import (
    Agency,
    AnswerRating,
    ChannelMemberSnapshot,
    ChannelPost,
    Message,
    PlatformMetric,
    ReportNote,
    Ticket,
    User,
    UTCDateTime,
)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a SQLModel class (Core statements skip ORM overhead)."""
    return cast(sa.Table, sa.inspect(model).local_table)


TICKET = table_of(Ticket)
MESSAGE = table_of(Message)
POST = table_of(ChannelPost)
SNAPSHOT = table_of(ChannelMemberSnapshot)
METRIC = table_of(PlatformMetric)
NOTE = table_of(ReportNote)
USER = table_of(User)
RATING = table_of(AnswerRating)

Range = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class KindFigures:
    """Ticket counts of one kind in the period: every per-kind figure of the report."""

    kind: str
    tickets: int
    answered: int
    ignored: int
    open: int
    measured: int  # answered with a recorded working-time response
    within_target: int
    faq_gaps: int
    overdue: int
    ignored_by_reason: dict[str, int]


def _in_range(column: sa.ColumnElement[Any], span: Range) -> sa.ColumnElement[bool]:
    return sa.and_(column >= span[0], column < span[1])


async def count_messages_by_month(
    conn: AsyncConnection, *, agency_id: int, direction: Direction, months: Sequence[Range]
) -> list[int]:
    """Messages per month as one round trip of index range counts (no sort)."""
    if not months:
        return []
    counts = [
        sa.select(sa.func.count())
        .select_from(MESSAGE)
        .where(
            MESSAGE.c.agency_id == agency_id,
            MESSAGE.c.direction == direction.value,
            _in_range(MESSAGE.c.created_at, span),
        )
        .scalar_subquery()
        for span in months
    ]
    row = (await conn.execute(sa.select(*counts))).one()
    return [int(value) for value in row]


# Distinct purposes by a loose index scan (one index seek per purpose), then one range
# count per purpose: no sort and no pass over the rows of other purposes.
_PURPOSE_COUNTS = sa.text(
    """
    WITH RECURSIVE purposes(p) AS (
        SELECT min(purpose) FROM message
        WHERE agency_id = :agency_id AND direction = 'out'
        UNION ALL
        SELECT (
            SELECT min(purpose) FROM message
            WHERE agency_id = :agency_id AND direction = 'out' AND purpose > purposes.p
        ) FROM purposes WHERE purposes.p IS NOT NULL
    )
    SELECT p, (
        SELECT count(*) FROM message
        WHERE agency_id = :agency_id AND direction = 'out' AND purpose = purposes.p
          AND created_at >= :start AND created_at < :stop
    ) FROM purposes WHERE p IS NOT NULL
    UNION ALL
    SELECT NULL, (
        SELECT count(*) FROM message
        WHERE agency_id = :agency_id AND direction = 'out' AND purpose IS NULL
          AND created_at >= :start AND created_at < :stop
    )
    """
).bindparams(sa.bindparam("start", type_=UTCDateTime()), sa.bindparam("stop", type_=UTCDateTime()))


async def count_outgoing_by_purpose(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> dict[str | None, int]:
    """Outgoing messages per purpose (None: no purpose recorded); zero counts left out."""
    result = await conn.execute(
        _PURPOSE_COUNTS, {"agency_id": agency_id, "start": span[0], "stop": span[1]}
    )
    return {purpose: int(count) for purpose, count in result.all() if count}


async def count_citizen_forwarded_messages(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(MESSAGE)
        .where(
            MESSAGE.c.agency_id == agency_id,
            MESSAGE.c.direction == Direction.IN.value,
            _in_range(MESSAGE.c.created_at, span),
            MESSAGE.c.is_forwarded == sa.true(),
        )
    )
    return int((await conn.execute(stmt)).scalar_one())


async def ticket_figures_by_kind(
    conn: AsyncConnection,
    *,
    agency_id: int,
    span: Range,
    target_seconds: int,
    overdue_before: dict[str, datetime],
    not_questions: Sequence[str],
    targets_by_kind: Mapping[str, int] | None = None,
) -> list[KindFigures]:
    """Per-kind ticket figures from one GROUP BY kind, state, close_reason that follows
    ``ix_ticket_report``'s order (no sort); only a few aggregates are computed per row.
    ``not_questions`` are close reasons whose unconfident tickets are no FAQ gap."""
    t = TICKET.c
    seconds = t.response_working_seconds
    # Rows are grouped by kind, so each group compares against its own kind's target.
    target = (
        sa.case(
            *[(t.kind == kind, s) for kind, s in targets_by_kind.items()], else_=target_seconds
        )
        if targets_by_kind
        else sa.literal(target_seconds)
    )
    cutoff = sa.case(
        *[(t.kind == kind, sa.literal(at, UTCDateTime())) for kind, at in overdue_before.items()],
        else_=sa.null(),
    )
    stmt = (
        sa.select(
            t.kind,
            t.state,
            t.close_reason,
            sa.func.count(),
            sa.func.count(seconds),
            sa.func.sum(sa.case((seconds <= target, 1), else_=0)),
            sa.func.sum(sa.case((t.suggestion_confident == sa.false(), 1), else_=0)),
            sa.func.sum(sa.case((t.created_at < cutoff, 1), else_=0))
            if overdue_before
            else sa.literal(0),
        )
        .where(t.agency_id == agency_id, _in_range(t.created_at, span))
        .group_by(t.kind, t.state, t.close_reason)
    )
    by_kind: dict[str, dict[str, Any]] = {}
    for kind, state, reason, count, measured, within, unconfident, overdue in await _all(
        conn, stmt
    ):
        figures = by_kind.setdefault(
            str(kind),
            {
                "tickets": 0,
                "answered": 0,
                "ignored": 0,
                "open": 0,
                "measured": 0,
                "within_target": 0,
                "faq_gaps": 0,
                "overdue": 0,
                "ignored_by_reason": {},
            },
        )
        figures["tickets"] += int(count)
        figures["measured"] += int(measured or 0)
        figures["within_target"] += int(within or 0)
        if reason not in not_questions:
            figures["faq_gaps"] += int(unconfident or 0)
        if state in ("answered", "ignored", "open"):
            figures[state] += int(count)
        if state == "open":
            figures["overdue"] += int(overdue or 0)
        if state == "ignored":
            reasons = figures["ignored_by_reason"]
            reasons[reason or ""] = reasons.get(reason or "", 0) + int(count)
    return [KindFigures(kind=kind, **values) for kind, values in by_kind.items()]


async def count_tickets_by_month(
    conn: AsyncConnection, *, agency_id: int, months: Sequence[Range]
) -> list[tuple[int, int]]:
    """(tickets, tickets with a measured response) per month, as index range counts."""
    if not months:
        return []
    t = TICKET.c
    counts = []
    for span in months:
        base = sa.select(sa.func.count()).select_from(TICKET)
        where = (t.agency_id == agency_id, _in_range(t.created_at, span))
        counts.append(base.where(*where).scalar_subquery())
        counts.append(
            base.where(*where, t.response_working_seconds.is_not(None)).scalar_subquery()
        )
    row = (await conn.execute(sa.select(*counts))).one()
    values = [int(v) for v in row]
    return list(zip(values[0::2], values[1::2], strict=True))


async def response_seconds_at_ranks(
    conn: AsyncConnection,
    *,
    agency_id: int,
    ranks: Sequence[tuple[Range, int, int]],
    whole_period: int,
) -> list[int | None]:
    """For each (span, rank, count): the working-seconds response at that 1-based rank in
    ascending order among the ``count`` answered tickets created in the span. The first
    ``whole_period`` ranks are over the whole period, the others over one month each.

    Exact percentiles by ORDER BY ... LIMIT 1 OFFSET: a whole-period rank walks
    ``ix_ticket_report_response`` from the nearer end (DESC for ranks past the middle);
    a month's rank sorts only that month (``+ 0`` keeps SQLite off the response index,
    whose walk would step over every other month)."""
    if not ranks:
        return []
    t = TICKET.c
    columns = []
    for index, (span, rank, count) in enumerate(ranks):
        key: sa.ColumnElement[Any] = (
            t.response_working_seconds if index < whole_period else t.response_working_seconds + 0
        )
        from_top = rank > count // 2
        offset = count - rank if from_top else rank - 1
        columns.append(
            sa.select(t.response_working_seconds)
            .where(
                t.agency_id == agency_id,
                t.response_working_seconds.is_not(None),
                _in_range(t.created_at, span),
            )
            .order_by(key.desc() if from_top else key)
            .limit(1)
            .offset(max(offset, 0))
            .scalar_subquery()
        )
    row = (await conn.execute(sa.select(*columns))).one()
    return [None if value is None else int(value) for value in row]


def _top_suggestion_id(dialect: str) -> sa.ColumnElement[Any]:
    if dialect == "postgresql":
        return sa.literal_column("(CAST(ticket.suggestions AS json) -> 0 ->> 'id')")
    return sa.func.json_extract(TICKET.c.suggestions, "$[0].id")


async def count_tickets_by_entry(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> list[tuple[bool, str | None, int]]:
    """(is komentar, KB entry id, tickets): the entry answered with, else the confident
    top suggestion. Unconfident tickets have no entry: they are FAQ gaps.

    Both halves group by plain columns in index order (``ix_ticket_report_entry``,
    ``ix_ticket_report_suggested``), so only the JSON half needs a small sort."""
    t = TICKET.c
    where = (t.agency_id == agency_id, _in_range(t.created_at, span))
    answered = (
        sa.select(t.answer_kb_id, t.kind, sa.func.count())
        .where(*where, t.answer_kb_id.is_not(None))
        .group_by(t.answer_kb_id, t.kind)
    )
    entry = _top_suggestion_id(conn.dialect.name)
    suggested = (
        sa.select(entry, t.kind, sa.func.count())
        .where(*where, t.answer_kb_id.is_(None), t.suggestion_confident == sa.true())
        .group_by(entry, t.kind)
    )
    result: dict[tuple[bool, str | None], int] = {}
    for stmt in (answered, suggested):
        for entry_id, kind, count in await _all(conn, stmt):
            key = (kind == TicketKind.KOMENTAR.value, entry_id)
            result[key] = result.get(key, 0) + int(count)
    return [(komentar, entry_id, count) for (komentar, entry_id), count in result.items()]


async def count_forwarded_tickets(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> dict[str, int]:
    """Tickets forwarded to another Perangkat Daerah, by destination (partial index)."""
    stmt = (
        sa.select(TICKET.c.forwarded_to, sa.func.count())
        .where(
            TICKET.c.agency_id == agency_id,
            _in_range(TICKET.c.created_at, span),
            TICKET.c.forwarded_to.is_not(None),
        )
        .group_by(TICKET.c.forwarded_to)
    )
    return {str(dest): int(count) for dest, count in await _all(conn, stmt)}


async def count_tickets_in_windows(
    conn: AsyncConnection, *, agency_id: int, windows: Sequence[Range]
) -> int:
    """Tickets created inside the given working windows (a join on a VALUES list, so the
    database walks the created_at index once per window instead of testing every row)."""
    if not windows:
        return 0
    values = sa.values(
        sa.column("w_start", UTCDateTime()),
        sa.column("w_end", UTCDateTime()),
        name="working_window",
    ).data(list(windows))
    # A CTE, because SQLite cannot alias a VALUES list in FROM with column names.
    table = values.cte("working_window")
    stmt = (
        sa.select(sa.func.count())
        .select_from(table)
        .join(
            TICKET,
            sa.and_(
                TICKET.c.agency_id == agency_id,
                TICKET.c.created_at >= table.c.w_start,
                TICKET.c.created_at < table.c.w_end,
            ),
        )
    )
    return int((await conn.execute(stmt)).scalar_one())


async def count_citizens(conn: AsyncConnection, *, agency_id: int, span: Range) -> tuple[int, int]:
    """(citizens with a ticket in the period, of whom first seen in the period).

    DISTINCT follows ``ix_ticket_report_citizen``'s order, so it needs no sort."""
    served = (
        sa.select(TICKET.c.citizen_id)
        .where(TICKET.c.agency_id == agency_id, _in_range(TICKET.c.created_at, span))
        .distinct()
        .subquery()
    )
    stmt = (
        sa.select(
            sa.func.count(),
            sa.func.coalesce(
                sa.func.sum(sa.case((_in_range(USER.c.created_at, span), 1), else_=0)), 0
            ),
        )
        .select_from(served)
        .join(USER, USER.c.id == served.c.citizen_id)
    )
    total, new = (await conn.execute(stmt)).one()
    return int(total), int(new)


async def comments_by_post(
    conn: AsyncConnection, *, agency_id: int, span: Range, limit: int
) -> tuple[int, list[tuple[int, datetime | None, str | None, int]]]:
    """(posts with comments, the most commented posts as (id, posted_at, text, count))."""
    per_post = (
        sa.select(TICKET.c.channel_post_id.label("post_id"), sa.func.count().label("n"))
        .where(
            TICKET.c.agency_id == agency_id,
            _in_range(TICKET.c.created_at, span),
            TICKET.c.kind == TicketKind.KOMENTAR.value,
            TICKET.c.channel_post_id.is_not(None),
        )
        .group_by(TICKET.c.channel_post_id)
        .subquery()
    )
    posts = int(
        (await conn.execute(sa.select(sa.func.count()).select_from(per_post))).scalar_one()
    )
    top = (
        sa.select(per_post.c.post_id, POST.c.posted_at, POST.c.text, per_post.c.n)
        .join(POST, POST.c.id == per_post.c.post_id)
        .order_by(per_post.c.n.desc(), per_post.c.post_id)
        .limit(limit)
    )
    rows = [
        (int(pid), posted_at, text, int(n)) for pid, posted_at, text, n in await _all(conn, top)
    ]
    return posts, rows


async def _all(conn: AsyncConnection, stmt: sa.Executable) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in (await conn.execute(stmt)).all()]


async def first_texts(conn: AsyncConnection, *, ticket_ids: Sequence[int]) -> dict[int, str]:
    """The first non-empty citizen text of each ticket (index on message.ticket_id)."""
    if not ticket_ids:
        return {}
    first_message = (
        sa.select(MESSAGE.c.ticket_id, sa.func.min(MESSAGE.c.id).label("first_id"))
        .where(
            MESSAGE.c.ticket_id.in_(ticket_ids),
            MESSAGE.c.direction == Direction.IN.value,
            MESSAGE.c.text.is_not(None),
            MESSAGE.c.text != "",
        )
        .group_by(MESSAGE.c.ticket_id)
        .subquery()
    )
    rows = await _all(
        conn,
        sa.select(MESSAGE.c.ticket_id, MESSAGE.c.text).join(
            first_message, MESSAGE.c.id == first_message.c.first_id
        ),
    )
    return {int(tid): str(text) for tid, text in rows}


async def count_posts(conn: AsyncConnection, *, agency_id: int, span: Range) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(POST)
        .where(POST.c.agency_id == agency_id, _in_range(POST.c.posted_at, span))
    )
    return int((await conn.execute(stmt)).scalar_one())


async def posts_by_category(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> list[tuple[str | None, int]]:
    """Channel posts of the period per Pasal 10 category (None: no category hashtag)."""
    stmt = (
        sa.select(POST.c.category, sa.func.count())
        .where(POST.c.agency_id == agency_id, _in_range(POST.c.posted_at, span))
        .group_by(POST.c.category)
    )
    return [(category, int(n)) for category, n in (await conn.execute(stmt)).all()]


async def member_snapshots(
    conn: AsyncConnection, *, agency_id: int, first_day: date, last_day: date
) -> list[tuple[date, int]]:
    """Daily member counts, summed over channels (a few hundred rows at most)."""
    stmt = (
        sa.select(SNAPSHOT.c.day, sa.func.sum(SNAPSHOT.c.member_count))
        .where(
            SNAPSHOT.c.agency_id == agency_id,
            SNAPSHOT.c.day >= first_day,
            SNAPSHOT.c.day <= last_day,
        )
        .group_by(SNAPSHOT.c.day)
        .order_by(SNAPSHOT.c.day)
    )
    return [(day, int(count)) for day, count in await _all(conn, stmt)]


MetricTuple = tuple[str, str, int | None, int | None, int | None, int | None]


async def platform_metrics(
    conn: AsyncConnection, *, agency_id: int, first_month: str, last_month: str
) -> list[MetricTuple]:
    """(platform, month, followers, posts, comments, shares) for the period's months."""
    stmt = (
        sa.select(
            METRIC.c.platform,
            METRIC.c.month,
            METRIC.c.followers,
            METRIC.c.posts,
            METRIC.c.comments,
            METRIC.c.shares,
        )
        .where(
            METRIC.c.agency_id == agency_id,
            METRIC.c.month >= first_month,
            METRIC.c.month <= last_month,
        )
        .order_by(METRIC.c.platform, METRIC.c.month)
    )
    return [(str(p), str(m), f, po, c, s) for p, m, f, po, c, s in await _all(conn, stmt)]


async def report_notes(
    conn: AsyncConnection, *, agency_id: int, span: Range, kind: str
) -> list[tuple[datetime, str]]:
    stmt = (
        sa.select(NOTE.c.created_at, NOTE.c.text)
        .where(
            NOTE.c.agency_id == agency_id,
            NOTE.c.kind == kind,
            _in_range(NOTE.c.created_at, span),
        )
        .order_by(NOTE.c.created_at, NOTE.c.id)
    )
    return [(created_at, str(text)) for created_at, text in await _all(conn, stmt)]


def _first_citizen_message_id(ticket_id: sa.ColumnElement[Any]) -> sa.ScalarSelect[Any]:
    """Id of a ticket's first non-empty citizen message, as a subquery correlated to the
    enclosing ticket query (it seeks the ``message.ticket_id`` index: a few rows each)."""
    return (
        sa.select(sa.func.min(MESSAGE.c.id))
        .where(
            MESSAGE.c.ticket_id == ticket_id,
            MESSAGE.c.direction == Direction.IN.value,
            MESSAGE.c.text.is_not(None),
            MESSAGE.c.text != "",
        )
        .correlate(TICKET)
        .scalar_subquery()
    )


async def ticket_text_counts(
    conn: AsyncConnection,
    *,
    agency_id: int,
    span: Range,
    where: Sequence[sa.ColumnElement[bool]],
) -> list[tuple[str, int]]:
    """(first citizen text, tickets) over every ticket of the period matching ``where``,
    most frequent first; tickets without any text, or marked rahasia, are left out."""
    per_ticket = (
        sa.select(_first_citizen_message_id(TICKET.c.id).label("first_id"))
        .where(
            TICKET.c.agency_id == agency_id,
            _in_range(TICKET.c.created_at, span),
            TICKET.c.confidential == sa.false(),
            *where,
        )
        .subquery()
    )
    count = sa.func.count()
    stmt = (
        sa.select(MESSAGE.c.text, count)
        .select_from(per_ticket.join(MESSAGE, MESSAGE.c.id == per_ticket.c.first_id))
        .group_by(MESSAGE.c.text)
        .order_by(count.desc(), MESSAGE.c.text)
    )
    return [(str(value), int(n)) for value, n in await _all(conn, stmt)]


async def comment_text_counts(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> list[tuple[str, str | None, int, bool]]:
    """(first text, KB entry or None, comments, rahasia) over every comment ticket of the
    period; the entry is the one answered with, else the confident top suggestion. Texts of
    tickets marked rahasia are returned for counting only: they are never quoted."""
    t = TICKET.c
    suggested = _top_suggestion_id(conn.dialect.name)
    entry = sa.case(
        (t.answer_kb_id.is_not(None), t.answer_kb_id),
        (t.suggestion_confident == sa.true(), suggested),
        else_=sa.null(),
    )
    per_ticket = (
        sa.select(
            _first_citizen_message_id(t.id).label("first_id"),
            entry.label("entry"),
            t.confidential.label("confidential"),
        )
        .where(
            t.agency_id == agency_id,
            _in_range(t.created_at, span),
            t.kind == TicketKind.KOMENTAR.value,
        )
        .subquery()
    )
    stmt = (
        sa.select(MESSAGE.c.text, per_ticket.c.entry, sa.func.count(), per_ticket.c.confidential)
        .select_from(per_ticket.join(MESSAGE, MESSAGE.c.id == per_ticket.c.first_id))
        .group_by(MESSAGE.c.text, per_ticket.c.entry, per_ticket.c.confidential)
    )
    return [
        (str(value), None if entry_id is None else str(entry_id), int(n), bool(confidential))
        for value, entry_id, n, confidential in await _all(conn, stmt)
    ]


async def known_people(conn: AsyncConnection) -> list[tuple[str | None, str | None]]:
    """(first name, username) of everyone the bot has met, for masking names in quotes."""
    stmt = sa.select(USER.c.first_name, USER.c.username)
    return [(first, username) for first, username in await _all(conn, stmt)]


async def agency_name(conn: AsyncConnection, *, agency_id: int) -> str | None:
    table = table_of(Agency)
    name = (
        await conn.execute(sa.select(table.c.name).where(table.c.id == agency_id))
    ).scalar_one_or_none()
    return str(name) if name else None


async def agency_id_by_code(conn: AsyncConnection, *, code: str) -> int | None:
    table = table_of(Agency)
    found = (
        await conn.execute(sa.select(table.c.id).where(table.c.code == code))
    ).scalar_one_or_none()
    return int(found) if found is not None else None


async def upsert_platform_metrics(
    conn: AsyncConnection,
    *,
    agency_id: int,
    rows: Sequence[tuple[str, str, Mapping[str, Any]]],
) -> tuple[int, int]:
    """(platform, month, figures) rows, inserted or updated in the caller's transaction.

    Returns (inserted, updated).
    """
    metric = METRIC
    existing = {
        (platform, month): metric_id
        for metric_id, platform, month in (
            await conn.execute(
                sa.select(metric.c.id, metric.c.platform, metric.c.month).where(
                    metric.c.agency_id == agency_id
                )
            )
        ).all()
    }
    inserted = updated = 0
    for platform, month, figures in rows:
        metric_id = existing.get((platform, month))
        if metric_id is None:
            await conn.execute(
                sa.insert(metric).values(
                    agency_id=agency_id, platform=platform, month=month, **figures
                )
            )
            inserted += 1
        else:
            await conn.execute(sa.update(metric).where(metric.c.id == metric_id).values(**figures))
            updated += 1
    return inserted, updated


async def rating_totals(
    conn: AsyncConnection, *, agency_id: int, span: Range
) -> tuple[int, int, int]:
    """(👍, 👎, with a comment) over the ratings of tickets opened in the period."""
    r = RATING.c
    stmt = (
        sa.select(
            sa.func.count().filter(r.positive == sa.true()),
            sa.func.count().filter(r.positive == sa.false()),
            sa.func.count(r.comment),
        )
        .select_from(RATING.join(TICKET, TICKET.c.id == r.ticket_id))
        .where(TICKET.c.agency_id == agency_id, _in_range(TICKET.c.created_at, span))
    )
    up, down, comments = (await conn.execute(stmt)).one()
    return int(up or 0), int(down or 0), int(comments or 0)


async def agency_codes(conn: AsyncConnection) -> list[tuple[int, str]]:
    """(id, code) of every agency in this deployment's database, by id."""
    table = table_of(Agency)
    rows = await _all(conn, sa.select(table.c.id, table.c.code).order_by(table.c.id))
    return [(int(agency_id), str(code)) for agency_id, code in rows]

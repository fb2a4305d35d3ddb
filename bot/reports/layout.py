"""The report's content as format-neutral blocks, so DOCX, PDF and Markdown say the same.

Each renderer walks the same block list; only the cover and the signature block are
drawn per format (they are page layout, not content).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot import texts
from bot.reports.charts import Chart
from bot.reports.data import KeyCount, Note, PlatformFigure, ReportData
from bot.reports.formatting import fmt_int, fmt_minutes, fmt_resolution_days, fmt_share
from bot.reports.period import format_day, month_label


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Image:
    chart: Chart


Block = Heading | Paragraph | Bullets | Table | Image


# --------------------------------------------------------------------------- formatting


TOPIC_ROWS = 15


def fmt_month(month: str) -> str:
    year, number = month.split("-")
    return month_label(int(year), int(number))


def fmt_day(day: date | None) -> str:
    return format_day(day) if day else texts.REPORT_NOT_RECORDED


def compiled_on(data: ReportData) -> str:
    return format_day(data.generated_at.astimezone(_tz(data)).date())


def _tz(data: ReportData) -> ZoneInfo:
    return ZoneInfo(data.timezone)


def _pairs(rows: Sequence[tuple[str, str]]) -> Table:
    return Table((texts.REPORT_COL_ITEM, texts.REPORT_COL_VALUE), tuple(rows))


def _counts(
    header: str, counts: Sequence[KeyCount], *, limit: int | None = None
) -> Table | Paragraph:
    if not counts:
        return Paragraph(texts.REPORT_NONE)
    rows = [(c.label, fmt_int(c.count)) for c in counts[:limit]]
    rest = counts[limit:] if limit is not None else []
    if rest:
        # A long tail of small topics says little on paper; the JSON form keeps them all.
        label = texts.REPORT_OTHER_TOPICS.format(n=fmt_int(len(rest)))
        rows.append((label, fmt_int(sum(c.count for c in rest))))
    return Table((header, texts.REPORT_COL_COUNT), tuple(rows))


def _notes(notes: Sequence[Note]) -> Bullets | Paragraph:
    if not notes:
        return Paragraph(texts.REPORT_NONE)
    return Bullets(tuple(f"{format_day(n.day)}: {n.text}" for n in notes))


def _platforms(platforms: Sequence[PlatformFigure], *, sharing: bool) -> Table | Paragraph:
    if not platforms:
        return Paragraph(texts.REPORT_TEXT_NO_PLATFORMS)
    if sharing:
        return Table(
            (texts.REPORT_COL_PLATFORM, texts.REPORT_COL_POSTS, texts.REPORT_COL_SHARES),
            tuple((p.platform, fmt_int(p.posts), fmt_int(p.shares)) for p in platforms),
        )
    return Table(
        (texts.REPORT_COL_PLATFORM, texts.REPORT_COL_FOLLOWERS, texts.REPORT_COL_MONTH),
        tuple(
            (p.platform, fmt_int(p.followers), fmt_month(p.last_month) if p.last_month else "-")
            for p in platforms
        ),
    )


# --------------------------------------------------------------------------- blocks


def report_blocks(data: ReportData, charts: Sequence[Chart]) -> list[Block]:
    """Summary, items A-H of Pasal 15 ayat (3), monthly table and notes on method."""
    chart = {c.key: c for c in charts}
    heading = texts.REPORT_SECTION_HEADINGS
    s = data.summary
    blocks: list[Block] = [
        Heading(texts.REPORT_SUMMARY_HEADING),
        _pairs(
            [
                (texts.REPORT_LABEL_TICKETS_IN, fmt_int(s.tickets_in)),
                (texts.REPORT_LABEL_ANSWERED, fmt_int(s.answered)),
                (texts.REPORT_LABEL_MEDIAN, fmt_minutes(s.median_first_response_minutes)),
                (texts.REPORT_LABEL_P90, fmt_minutes(s.p90_first_response_minutes)),
                (texts.REPORT_LABEL_TARGET, fmt_int(s.target_minutes)),
                (texts.REPORT_LABEL_WITHIN_TARGET, fmt_share(s.within_target_share)),
                (texts.REPORT_LABEL_MESSAGES_IN, fmt_int(s.messages_in)),
                (texts.REPORT_LABEL_MESSAGES_OUT, fmt_int(s.messages_out)),
            ]
        ),
    ]

    p = data.policy
    blocks += [
        Heading(heading[0]),
        Paragraph(p.policy_text),
        _pairs(
            [
                (texts.REPORT_LABEL_SOP, p.sop_reference),
                (
                    texts.REPORT_LABEL_ACCOUNTS,
                    ", ".join(p.official_accounts) or texts.REPORT_NOT_RECORDED,
                ),
                (
                    texts.REPORT_LABEL_CHANNEL,
                    str(p.channel_id) if p.channel_id else texts.REPORT_NOT_RECORDED,
                ),
                (texts.REPORT_LABEL_WORKING_HOURS, p.working_hours),
                (texts.REPORT_LABEL_TARGET, fmt_int(p.first_response_minutes)),
                (texts.REPORT_LABEL_RESOLUTION, fmt_resolution_days(p.resolution_days)),
            ]
        ),
    ]

    a = data.audience
    ch = a.channel
    blocks += [
        Heading(heading[1]),
        Paragraph(texts.REPORT_TEXT_INTRO_B),
        _pairs(
            [
                (texts.REPORT_LABEL_SERVED, fmt_int(a.citizens_served)),
                (texts.REPORT_LABEL_NEW, fmt_int(a.citizens_new)),
                (texts.REPORT_LABEL_RETURNING, fmt_int(a.citizens_returning)),
                (texts.REPORT_LABEL_MEMBERS_DAYS, fmt_int(ch.recorded_days)),
                (
                    texts.REPORT_LABEL_MEMBERS_FIRST.format(fmt_day(ch.first_day)),
                    fmt_int(ch.first),
                ),
                (texts.REPORT_LABEL_MEMBERS_LAST.format(fmt_day(ch.last_day)), fmt_int(ch.last)),
                (texts.REPORT_LABEL_MEMBERS_MIN, fmt_int(ch.minimum)),
                (texts.REPORT_LABEL_MEMBERS_MAX, fmt_int(ch.maximum)),
            ]
        ),
    ]
    if ch.recorded_days:
        blocks += [
            Paragraph(texts.REPORT_TEXT_MEMBERS_BY_MONTH),
            Table(
                (texts.REPORT_COL_MONTH, texts.REPORT_COL_MEMBERS),
                tuple(
                    (fmt_month(m.month), fmt_int(None if m.value is None else int(m.value)))
                    for m in ch.by_month
                ),
            ),
        ]
    else:
        blocks.append(Paragraph(texts.REPORT_TEXT_NO_SNAPSHOTS))
    blocks += [Paragraph(texts.REPORT_TEXT_PLATFORMS), _platforms(a.platforms, sharing=False)]

    c = data.content
    blocks += [
        Heading(heading[2]),
        _pairs(
            [
                (texts.REPORT_LABEL_MESSAGES_IN, fmt_int(c.messages_in)),
                (texts.REPORT_LABEL_TICKETS_IN, fmt_int(c.tickets)),
                (texts.REPORT_LABEL_UNMAPPED, fmt_int(c.unmapped_tickets)),
                (texts.REPORT_LABEL_FAQ_GAPS, fmt_int(c.faq_gaps)),
            ]
        ),
        Image(chart["messages"]),
        Paragraph(texts.REPORT_TEXT_BY_KIND),
        _counts(texts.REPORT_COL_KIND, c.by_kind),
        Image(chart["kinds"]),
        Paragraph(texts.REPORT_TEXT_BY_TOPIC),
        _counts(texts.REPORT_COL_TOPIC, c.by_topic, limit=TOPIC_ROWS),
        Image(chart["topics"]),
        Paragraph(texts.REPORT_TEXT_TOP_ENTRIES),
        Table(
            (texts.REPORT_COL_ENTRY, texts.REPORT_COL_QUESTION, texts.REPORT_COL_COUNT),
            tuple((e.entry_id, e.title or "-", fmt_int(e.count)) for e in c.top_entries),
        )
        if c.top_entries
        else Paragraph(texts.REPORT_NONE),
        Paragraph(texts.REPORT_TEXT_GAP_SAMPLES),
        Bullets(tuple(c.faq_gap_samples)) if c.faq_gap_samples else Paragraph(texts.REPORT_NONE),
    ]

    d = data.comments
    blocks += [
        Heading(heading[3]),
        _pairs(
            [
                (texts.REPORT_LABEL_COMMENT_TICKETS, fmt_int(d.comment_tickets)),
                (texts.REPORT_LABEL_POSTS_WITH_COMMENTS, fmt_int(d.posts_with_comments)),
            ]
        ),
        Paragraph(texts.REPORT_TEXT_BY_POST),
        Table(
            (texts.REPORT_COL_POST, texts.REPORT_COL_POSTED, texts.REPORT_COL_COMMENTS),
            tuple(
                (
                    post.snippet,
                    fmt_day(post.posted_at.astimezone(_tz(data)).date())
                    if post.posted_at
                    else "-",
                    fmt_int(post.comments),
                )
                for post in d.by_post
            ),
        )
        if d.by_post
        else Paragraph(texts.REPORT_NONE),
        Paragraph(texts.REPORT_TEXT_BY_TOPIC),
        _counts(texts.REPORT_COL_TOPIC, d.by_topic, limit=TOPIC_ROWS),
        Paragraph(texts.REPORT_TEXT_COMMENT_SAMPLES),
        Bullets(tuple(d.samples)) if d.samples else Paragraph(texts.REPORT_NONE),
    ]

    e = data.sharing
    blocks += [
        Heading(heading[4]),
        _pairs(
            [
                (texts.REPORT_LABEL_ANSWERS_SENT, fmt_int(e.answers_sent)),
                (texts.REPORT_LABEL_POSTS_PUBLISHED, fmt_int(e.posts_published)),
                (texts.REPORT_LABEL_OUTGOING_TOTAL, fmt_int(e.outgoing_total)),
                (texts.REPORT_LABEL_TELEGRAM_SHARES, fmt_int(e.telegram_shares)),
            ]
        ),
        Paragraph(
            texts.REPORT_TEXT_TELEGRAM_SHARES
            if e.telegram_shares is not None
            else texts.REPORT_TEXT_TELEGRAM_SHARES_NONE
        ),
        Paragraph(texts.REPORT_TEXT_PURPOSES),
        _counts(texts.REPORT_COL_PURPOSE, e.outgoing_by_purpose),
        Paragraph(texts.REPORT_TEXT_PLATFORMS),
        _platforms(e.platforms, sharing=True),
    ]

    f = data.forwarding
    blocks += [
        Heading(heading[5]),
        _pairs(
            [
                (texts.REPORT_LABEL_TICKETS_FORWARDED, fmt_int(f.tickets_forwarded)),
                (texts.REPORT_LABEL_CITIZEN_FORWARDED, fmt_int(f.citizen_forwarded_messages)),
            ]
        ),
        Paragraph(texts.REPORT_TEXT_DESTINATIONS),
        _counts(texts.REPORT_COL_DESTINATION, f.by_destination),
    ]

    g = data.constraints
    blocks += [
        Heading(heading[6]),
        _pairs(
            [
                (texts.REPORT_LABEL_TARGET, fmt_int(g.target_minutes)),
                (texts.REPORT_LABEL_WITHIN_TARGET, fmt_int(g.within_target)),
                (texts.REPORT_LABEL_MISSED, fmt_int(g.missed_target)),
                (
                    texts.REPORT_LABEL_AFTER_HOURS,
                    f"{fmt_int(g.after_hours_tickets)} ({fmt_share(g.after_hours_share)})",
                ),
                (texts.REPORT_LABEL_OPEN, fmt_int(g.open_tickets)),
                (texts.REPORT_LABEL_OVERDUE, fmt_int(g.overdue_open_tickets)),
                (
                    texts.REPORT_LABEL_DOWNTIME,
                    texts.REPORT_DOWNTIME_VALUE.format(
                        outages=fmt_int(g.downtime_outages),
                        minutes=fmt_int(g.downtime_working_minutes),
                    )
                    if g.downtime_recorded
                    else texts.REPORT_NOT_RECORDED,
                ),
            ]
        ),
        Image(chart["response"]),
        Paragraph(texts.REPORT_TEXT_MISSED_BY_KIND),
        _counts(texts.REPORT_COL_KIND, g.missed_by_kind),
        Paragraph(texts.REPORT_TEXT_IGNORED),
        _counts(texts.REPORT_COL_REASON, g.ignored_by_reason),
        Paragraph(
            texts.REPORT_TEXT_DOWNTIME_RECORDED
            if g.downtime_recorded
            else texts.REPORT_TEXT_DOWNTIME
        ),
        Paragraph(texts.REPORT_TEXT_NOTES_KENDALA),
        _notes(g.notes),
    ]

    h = data.recommendations
    blocks += [
        Heading(heading[7]),
        Paragraph(texts.REPORT_TEXT_DERIVED),
        Bullets(tuple(h.derived)),
        Paragraph(texts.REPORT_TEXT_NOTES_REKOMENDASI),
        _notes(h.notes),
    ]

    series = data.series
    blocks += [
        Heading(texts.REPORT_TEXT_MONTHLY.rstrip(":")),
        Table(
            (
                texts.REPORT_COL_MONTH,
                texts.REPORT_COL_MESSAGES_IN,
                texts.REPORT_COL_TICKETS,
                texts.REPORT_COL_MEDIAN,
            ),
            tuple(
                (fmt_month(month), fmt_int(messages), fmt_int(tickets), fmt_minutes(median))
                for month, messages, tickets, median in zip(
                    series.months,
                    series.messages_in,
                    series.tickets,
                    series.median_response_minutes,
                    strict=True,
                )
            ),
        ),
        Heading(texts.REPORT_METHOD_HEADING),
        Bullets(tuple(data.notes_on_method)),
    ]
    return blocks

"""Format-neutral building blocks of the report and the helpers the sections share.

DOCX, PDF and Markdown walk the same block list, so the three say the same. Tables and
figures carry a caption and a source; ``number_blocks`` numbers them in order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.labels import fmt_int, format_day, month_label
from bot.reports.charts import Chart
from bot.reports.data import KeyCount, Note, PlatformFigure, ReportData


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
    caption: str
    source: str = texts.REPORT_SOURCE_RECORD
    number: int = 0
    # Relative column widths for tables of long texts; empty: the renderer decides.
    weights: tuple[float, ...] = ()

    @property
    def title(self) -> str:
        return texts.REPORT_TABLE_CAPTION.format(n=self.number, caption=self.caption)


@dataclass(frozen=True, slots=True)
class Image:
    chart: Chart
    caption: str
    source: str = texts.REPORT_SOURCE_RECORD
    number: int = 0

    @property
    def title(self) -> str:
        return texts.REPORT_FIGURE_CAPTION.format(n=self.number, caption=self.caption)


@dataclass(frozen=True, slots=True)
class Closing:
    """The closing text; renderers keep it on one page with the signature block."""

    heading: str
    paragraphs: tuple[str, ...]


Block = Heading | Paragraph | Bullets | Table | Image | Closing

# "1.234", "12,5", "85,0%", "-", "tidak tercatat": cells a reader compares as figures.
_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?\s?%?$|^\d+(?:,\d+)?\s?%?$")


def is_figure(cell: str) -> bool:
    """True for cells that hold a figure (right-aligned in every format)."""
    head = cell.split(" (", maxsplit=1)[0].strip()
    return bool(_NUMBER.match(head)) or cell in (texts.REPORT_NOT_RECORDED, "-")


def figure_columns(table: Table) -> tuple[bool, ...]:
    """Per column: every body cell is a figure (and there is at least one body row)."""
    if not table.rows:
        return tuple(False for _ in table.headers)
    return tuple(
        all(is_figure(row[index]) for row in table.rows) for index in range(len(table.headers))
    )


# Shares of the text width: a label-value table gives the label room; a column of
# figures or row numbers stays narrow and the text columns share the rest.
PAIR_WEIGHTS = (0.66, 0.34)
FIGURE_WEIGHT = 0.18
NUMBER_WEIGHT = 0.08


def column_weights(table: Table) -> tuple[float, ...]:
    """Relative column widths, summing to 1, the same in DOCX and PDF."""
    if table.weights:
        total = sum(table.weights)
        return tuple(weight / total for weight in table.weights)
    if len(table.headers) == 2:
        return PAIR_WEIGHTS
    figures = figure_columns(table)
    fixed = {
        index: NUMBER_WEIGHT if header == texts.REPORT_COL_NUMBER else FIGURE_WEIGHT
        for index, header in enumerate(table.headers)
        if figures[index] or header == texts.REPORT_COL_NUMBER
    }
    free = len(table.headers) - len(fixed)
    rest = (1 - sum(fixed.values())) / free if free else 0.0
    return tuple(fixed.get(index, rest) for index in range(len(table.headers)))


def number_blocks(blocks: Sequence[Block]) -> list[Block]:
    """Number tables and figures separately, in the order they appear."""
    tables = figures = 0
    numbered: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            numbered.append(dataclasses.replace(block, number=tables))
        elif isinstance(block, Image):
            figures += 1
            numbered.append(dataclasses.replace(block, number=figures))
        else:
            numbered.append(block)
    return numbered


# --------------------------------------------------------------------------- helpers


TOPIC_ROWS = 15


def fmt_month(month: str) -> str:
    year, number = month.split("-")
    return month_label(int(year), int(number))


def fmt_months(first: str | None, last: str | None, count: int) -> str:
    """ "Jan 2026 – Jun 2026 (6 bulan)": the months an imported figure covers."""
    if not first or not last:
        return texts.REPORT_NOT_RECORDED
    span = fmt_month(first) if first == last else f"{fmt_month(first)} – {fmt_month(last)}"
    return texts.REPORT_MONTHS_COVERED.format(span=span, n=fmt_int(count))


def fmt_day(day: date | None) -> str:
    return format_day(day) if day else texts.REPORT_NOT_RECORDED


def compiled_on(data: ReportData) -> str:
    return format_day(data.generated_at.astimezone(tz_of(data)).date())


def tz_of(data: ReportData) -> ZoneInfo:
    return ZoneInfo(data.timezone)


def pairs(caption: str, rows: Sequence[tuple[str, str]], *, source: str = "") -> Table:
    return Table(
        (texts.REPORT_COL_ITEM, texts.REPORT_COL_VALUE),
        tuple(rows),
        caption,
        source or texts.REPORT_SOURCE_RECORD,
    )


def counts(
    caption: str,
    header: str,
    values: Sequence[KeyCount],
    *,
    limit: int | None = None,
    total_label: str = "",
) -> Table | Paragraph:
    """A count table, the long tail summed in one row, and a total row when asked."""
    if not values:
        return Paragraph(texts.REPORT_NONE_FOR.format(what=caption.lower()))
    rows = [(c.label, fmt_int(c.count)) for c in values[:limit]]
    rest = values[limit:] if limit is not None else []
    if rest:
        # A long tail of small topics says little on paper; the JSON form keeps them all.
        label = texts.REPORT_OTHER_TOPICS.format(n=fmt_int(len(rest)))
        rows.append((label, fmt_int(sum(c.count for c in rest))))
    if total_label:
        rows.append((total_label, fmt_int(sum(c.count for c in values))))
    return Table((header, texts.REPORT_COL_COUNT), tuple(rows), caption)


def notes_table(caption: str, notes: Sequence[Note]) -> Table | Paragraph:
    if not notes:
        return Paragraph(texts.REPORT_NONE_FOR.format(what=caption.lower()))
    return Table(
        (texts.REPORT_COL_DATE, texts.REPORT_COL_NOTE),
        tuple((format_day(n.day), n.text) for n in notes),
        caption,
        texts.REPORT_SOURCE_NOTES,
    )


def platform_table(
    caption: str, platforms: Sequence[PlatformFigure], *, figure: str
) -> Table | Paragraph:
    """Imported monthly figures of one kind (followers, posts, comments, shares) with the
    months they cover."""
    shown = [p for p in platforms if getattr(p, figure) is not None]
    if not shown:
        return Paragraph(texts.REPORT_TEXT_NO_PLATFORMS)
    header = {
        "followers": texts.REPORT_COL_FOLLOWERS,
        "posts": texts.REPORT_COL_POSTS,
        "comments": texts.REPORT_COL_COMMENTS,
        "shares": texts.REPORT_COL_SHARES,
    }[figure]
    return Table(
        (texts.REPORT_COL_PLATFORM, header, texts.REPORT_COL_MONTHS_COVERED),
        tuple(
            (
                p.platform.capitalize(),
                fmt_int(getattr(p, figure)),
                fmt_months(p.first_month, p.last_month, p.months_recorded),
            )
            for p in shown
        ),
        caption,
        texts.REPORT_SOURCE_IMPORT,
    )

"""Import monthly figures of the agency's other platforms from CSV (all rows or none)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.queries.report import upsert_platform_metrics

HEADER = ("platform", "month", "followers", "posts", "comments", "shares")
NUMBER_FIELDS = ("followers", "posts", "comments", "shares")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WHOLE_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+")
PLATFORM_MAX = 64


class MetricsImportError(ValueError):
    """The CSV has problems; ``problems`` lists each one with its line number."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class MetricRow:
    line: int
    platform: str
    month: str
    followers: int | None
    posts: int | None
    comments: int | None
    shares: int | None


def delimiter_of(text: str) -> str:
    """ "," or ";" (what Excel writes where the decimal mark is a comma, as in Indonesia),
    decided by the header line."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def parse_metrics_csv(text: str) -> list[MetricRow]:
    """Validate every row; raise MetricsImportError naming each bad line (1-based).
    Comma- and semicolon-separated files are both accepted."""
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise MetricsImportError([f"line 1: cannot read the CSV ({exc})"]) from None
    except StopIteration:
        raise MetricsImportError(["line 1: the file is empty; expected a header row"]) from None
    names = tuple(name.strip().lower() for name in header)
    if names != HEADER:
        raise MetricsImportError(
            [
                f"line 1: header is {delimiter.join(header)!r}; expected "
                f"{delimiter.join(HEADER)!r} (comma- or semicolon-separated)"
            ]
        )
    rows: list[MetricRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in _rows(reader):
        if cells is None:
            problems.append(f"line {line}: cannot read this row as CSV")
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are harmless
        row, row_problems = _parse_row(line, cells)
        problems += row_problems
        if row is None:
            continue
        key = (row.platform, row.month)
        if key in seen:
            problems.append(
                f"line {line}: {row.platform} {row.month} already appears on line {seen[key]}"
            )
            continue
        seen[key] = line
        rows.append(row)
    if problems:
        raise MetricsImportError(problems)
    return rows


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str] | None]]:
    """(line, cells) of the rows after the header; None for a row csv cannot read."""
    line = 1
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None
            continue
        yield line, cells


def _parse_row(line: int, cells: Sequence[str]) -> tuple[MetricRow | None, list[str]]:
    if len(cells) != len(HEADER):
        return None, [f"line {line}: has {len(cells)} fields; expected {len(HEADER)}"]
    values = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    problems = []
    platform = values["platform"].lower()
    if not platform:
        problems.append(f"line {line}: platform is empty")
    elif len(platform) > PLATFORM_MAX:
        problems.append(f"line {line}: platform is longer than {PLATFORM_MAX} characters")
    match = _MONTH.match(values["month"])
    if not match or not 1 <= int(match.group(2)) <= 12:
        problems.append(f"line {line}: month {values['month']!r} is not a month in YYYY-MM form")
    numbers: dict[str, int | None] = {}
    for field in NUMBER_FIELDS:
        raw = values[field]
        if raw == "":
            numbers[field] = None  # unknown, not zero
        elif _WHOLE_NUMBER.fullmatch(raw):
            # ASCII digits only (str.isdigit accepts "4²", which int() refuses); Excel in
            # Indonesian writes thousands with dots (1.234).
            numbers[field] = int(raw.replace(".", ""))
        else:
            problems.append(
                f"line {line}: {field} {raw!r} is not a whole number >= 0 (leave it empty "
                "if unknown)"
            )
    if problems:
        return None, problems
    return (
        MetricRow(
            line=line,
            platform=platform,
            month=values["month"],
            followers=numbers["followers"],
            posts=numbers["posts"],
            comments=numbers["comments"],
            shares=numbers["shares"],
        ),
        [],
    )


async def import_metrics(
    conn: AsyncConnection, *, agency_id: int, rows: Sequence[MetricRow], now: datetime
) -> tuple[int, int]:
    """Insert or update every row inside the caller's transaction: (inserted, updated)."""
    figures = [
        (
            row.platform,
            row.month,
            {
                "followers": row.followers,
                "posts": row.posts,
                "comments": row.comments,
                "shares": row.shares,
                "imported_at": now,
            },
        )
        for row in rows
    ]
    return await upsert_platform_metrics(conn, agency_id=agency_id, rows=figures)

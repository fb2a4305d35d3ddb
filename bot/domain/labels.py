"""Indonesian labels: day and month names, dates, times, durations, numbers and shares.

The words themselves live in ``bot.texts``; this module is the one place that puts them
together, so /kinerja, the cards, the scheduler's messages and the report agree.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import texts

DAY_NAMES = texts.DAY_NAMES
MONTH_NAMES = texts.MONTH_NAMES
MONTH_NAMES_SHORT = texts.MONTH_NAMES_SHORT

_INDONESIAN_ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


# ----------------------------------------------------------------------------- dates


def timezone_abbreviation(tz: ZoneInfo) -> str:
    """WIB / WITA / WIT for the Indonesian zones, else the zone key (e.g. "UTC")."""
    return _INDONESIAN_ZONE_ABBREVIATIONS.get(tz.key, tz.key)


def format_day(day: date) -> str:
    """Indonesian long date without the weekday: ``"1 Januari 2026"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_local_date(d: date) -> str:
    """``"Selasa, 1 Desember 2026"``."""
    return texts.LOCAL_DATE.format(
        day_name=DAY_NAMES[d.weekday()], day=d.day, month=MONTH_NAMES[d.month - 1], year=d.year
    )


def month_label(year: int, month: int) -> str:
    """Short month and year for chart axes and tables: ``"Nov 2026"``."""
    return f"{MONTH_NAMES_SHORT[month - 1]} {year}"


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {dt.isoformat()}")
    return dt.astimezone(tz)


def format_local_time(dt: datetime, tz: ZoneInfo) -> str:
    """``"07.30 WITA"`` (Indonesian style uses a dot between hours and minutes)."""
    local = _local(dt, tz)
    return f"{local:%H.%M} {timezone_abbreviation(tz)}"


def format_local_datetime(dt: datetime, tz: ZoneInfo) -> str:
    """``"Selasa, 1 Desember 2026 pukul 07.30 WITA"``."""
    local = _local(dt, tz)
    return texts.LOCAL_DATETIME.format(
        date=format_local_date(local.date()), time=format_local_time(local, tz)
    )


# ----------------------------------------------------------------------------- durations


def format_duration_id(seconds: int) -> str:
    """``"1 jam 5 menit"``, ``"45 menit"``, ``"2 jam"``; under a minute "kurang dari 1 menit".

    Only hours and minutes: the same helper shows working durations, where a "hari" of
    24 hours would mislead (a working day is about 7.5 hours).
    """
    if seconds < 0:
        raise ValueError(f"duration must not be negative, got {seconds}")
    if seconds < 60:
        return texts.DURATION_UNDER_A_MINUTE
    hours, minutes = divmod(seconds // 60, 60)
    parts = []
    if hours:
        parts.append(texts.DURATION_HOURS.format(n=hours))
    if minutes:
        parts.append(texts.DURATION_MINUTES.format(n=minutes))
    return " ".join(parts)


# ----------------------------------------------------------------------------- numbers


def fmt_int(value: int | None) -> str:
    """Indonesian digit grouping (1.234.567); None is shown as "tidak tercatat"."""
    if value is None:
        return texts.REPORT_NOT_RECORDED
    return f"{value:,}".replace(",", ".")


def fmt_minutes(value: float | None) -> str:
    if value is None:
        return texts.REPORT_NOT_RECORDED
    return f"{value:.1f}".replace(".", ",")


def format_share(
    share: float | None, *, missing: str = texts.SHARE_MISSING, trim_zero: bool = True
) -> str:
    """A share as a percentage with a decimal comma: ``"83,3%"``.

    The one share formatter. Chat messages (/kinerja, digests) drop a trailing ",0"
    (``"50%"``) and show a dash when there is nothing to divide; the report keeps one
    decimal in every cell so columns line up (``fmt_share``).
    """
    if share is None:
        return missing
    text = f"{share * 100:.1f}".replace(".", ",")
    if trim_zero:
        text = text.removesuffix(",0")
    return text + "%"


def fmt_share(value: float | None) -> str:
    """The report's share: always one decimal; "tidak tercatat" when not measured."""
    return format_share(value, missing=texts.REPORT_NOT_RECORDED, trim_zero=False)


def fmt_resolution_days(spec: str) -> str:
    """``pertanyaan=3,pengaduan=5`` -> ``Pertanyaan: 3 hari; Pengaduan: 5 hari``."""
    parts = []
    for part in spec.split(","):
        kind, _, days = part.partition("=")
        if kind.strip() and days.strip():
            label = texts.REPORT_KIND_LABELS.get(kind.strip(), kind.strip())
            parts.append(texts.REPORT_RESOLUTION_ITEM.format(kind=label, days=days.strip()))
    return "; ".join(parts) or spec

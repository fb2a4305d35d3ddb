"""Indonesian number formatting shared by the renderers, the summary and the derived texts."""

from __future__ import annotations

from bot import texts


def fmt_int(value: int | None) -> str:
    """Indonesian digit grouping (1.234.567); None is shown as "tidak tercatat"."""
    if value is None:
        return texts.REPORT_NOT_RECORDED
    return f"{value:,}".replace(",", ".")


def fmt_minutes(value: float | None) -> str:
    if value is None:
        return texts.REPORT_NOT_RECORDED
    return f"{value:.1f}".replace(".", ",")


def fmt_share(value: float | None) -> str:
    if value is None:
        return texts.REPORT_NOT_RECORDED
    return f"{value * 100:.1f}%".replace(".", ",")


def fmt_resolution_days(spec: str) -> str:
    """``pertanyaan=3,pengaduan=5`` -> ``Pertanyaan: 3 hari; Pengaduan: 5 hari``."""
    parts = []
    for part in spec.split(","):
        kind, _, days = part.partition("=")
        if kind.strip() and days.strip():
            label = texts.REPORT_KIND_LABELS.get(kind.strip(), kind.strip())
            parts.append(texts.REPORT_RESOLUTION_ITEM.format(kind=label, days=days.strip()))
    return "; ".join(parts) or spec

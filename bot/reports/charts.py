"""Report charts as PNG bytes (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot import texts
from bot.domain.labels import fmt_int, fmt_minutes, month_label
from bot.reports.data import KeyCount, ReportData

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 3.0, 110
BAR_COLOR = "#1f5f8b"
TARGET_COLOR = "#c0392b"
MAX_TOPICS = 10
# Figure objects are not shared, but font caches inside matplotlib are: one at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    png: bytes


# The charts every report has, by the key the layout places them with.
CHART_KEYS = ("messages", "response", "kinds", "topics")


def charts_without_images() -> list[Chart]:
    """Empty charts for formats that show no images (Markdown): no matplotlib work."""
    return [Chart(key, "", b"") for key in CHART_KEYS]


def build_charts(data: ReportData) -> list[Chart]:
    """The four charts of the report, in the order they appear."""
    series = data.series
    labels = [_month_tick(month) for month in series.months]
    return [
        Chart(
            "messages",
            texts.REPORT_CHART_MESSAGES,
            bar_chart(labels, series.messages_in),
        ),
        Chart(
            "response",
            texts.REPORT_CHART_RESPONSE,
            response_chart(labels, series.median_response_minutes, series.target_minutes),
        ),
        Chart(
            "kinds",
            texts.REPORT_CHART_KINDS,
            _count_chart(data.content.by_kind),
        ),
        Chart(
            "topics",
            texts.REPORT_CHART_TOPICS,
            _count_chart(data.content.by_topic[:MAX_TOPICS]),
        ),
    ]


def bar_chart(labels: Sequence[str], values: Sequence[int]) -> bytes:
    with _LOCK:
        figure, axes = _figure()
        if not values or not any(values):
            return _no_data(figure, axes)
        positions = list(range(len(values)))
        axes.bar(positions, values, color=BAR_COLOR)
        axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
        axes.set_ylabel(texts.REPORT_CHART_COUNT_AXIS)
        _count_axis(axes.yaxis)
        return _png(figure)


def response_chart(
    labels: Sequence[str], medians: Sequence[float | None], target_minutes: int
) -> bytes:
    with _LOCK:
        figure, axes = _figure()
        points = [(i, v) for i, v in enumerate(medians) if v is not None]
        if not points:
            return _no_data(figure, axes)
        axes.plot(
            [i for i, _ in points],
            [v for _, v in points],
            marker="o",
            color=BAR_COLOR,
            label=texts.REPORT_CHART_MEDIAN,
        )
        axes.axhline(
            target_minutes,
            color=TARGET_COLOR,
            linestyle="--",
            label=texts.REPORT_CHART_TARGET.format(target_minutes),
        )
        positions = list(range(len(labels)))
        axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
        axes.set_ylabel(texts.REPORT_CHART_RESPONSE_AXIS)
        axes.yaxis.set_major_formatter(FuncFormatter(_minutes_tick))
        highest = max(target_minutes, *(v for _, v in points))
        axes.set_ylim(0, highest * 1.25)  # room for the target line and the legend
        axes.legend(loc="upper right", fontsize=8)
        return _png(figure)


def _count_chart(counts: Sequence[KeyCount]) -> bytes:
    """Horizontal bars, so long Indonesian labels stay readable."""
    with _LOCK:
        figure, axes = _figure()
        shown = [c for c in counts if c.count > 0]
        if not shown:
            return _no_data(figure, axes)
        shown = list(reversed(shown))  # largest at the top
        positions = list(range(len(shown)))
        axes.barh(positions, [c.count for c in shown], color=BAR_COLOR)
        axes.set_yticks(positions, [_short(c.label) for c in shown])
        axes.set_xlabel(texts.REPORT_CHART_COUNT_AXIS)
        _count_axis(axes.xaxis)
        return _png(figure)


def _count_axis(axis: Any) -> None:
    """Counts: whole-number ticks only, grouped the Indonesian way (1.234)."""
    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: fmt_int(round(value))))


def _minutes_tick(value: float, _pos: int) -> str:
    return fmt_int(round(value)) if float(value).is_integer() else fmt_minutes(value)


def _figure() -> tuple[Any, Any]:
    """A figure without a title of its own: the numbered caption below it names it."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.add_subplot()
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _no_data(figure: Any, axes: Any) -> bytes:
    axes.set_axis_off()
    axes.text(0.5, 0.5, texts.REPORT_CHART_NO_DATA, ha="center", va="center", fontsize=14)
    return _png(figure)


def _png(figure: Any) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _month_tick(month: str) -> str:
    year, number = month.split("-")
    return month_label(int(year), int(number))


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"

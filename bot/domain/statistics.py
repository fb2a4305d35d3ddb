"""Median and nearest-rank percentiles: one definition for /kinerja and the report.

* Median: the middle value, or the mean of the two middle values (rounded down).
* Percentile p: nearest rank, the value at rank ceil(p * n) (1-based) in ascending
  order, so it is always a time that really happened.

The report reads the values at these ranks from the database (``median_ranks`` and
``nearest_rank`` say which), /kinerja from a sorted list; both combine them here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def nearest_rank(fraction: float, count: int) -> int:
    """1-based rank of the ``fraction`` percentile among ``count`` values (>= 1)."""
    return max(1, math.ceil(fraction * count))


def median_ranks(count: int) -> tuple[int, int]:
    """1-based ranks of the middle value(s): the same rank twice for an odd count."""
    if count <= 0:
        return 1, 1
    if count % 2:
        middle = count // 2 + 1
        return middle, middle
    return count // 2, count // 2 + 1


def median_from_middle(lower: int | None, upper: int | None) -> int | None:
    """The median from the values at ``median_ranks`` (None when there are none)."""
    if lower is None or upper is None:
        return None
    return (lower + upper) // 2


def median_of(sorted_values: Sequence[int]) -> int | None:
    """Median of an ascending sequence (mean of the middle pair, rounded down)."""
    if not sorted_values:
        return None
    lower, upper = median_ranks(len(sorted_values))
    return median_from_middle(sorted_values[lower - 1], sorted_values[upper - 1])


def percentile_of(sorted_values: Sequence[int], fraction: float) -> int | None:
    """Nearest-rank percentile of an ascending sequence (a value that occurred)."""
    if not sorted_values:
        return None
    return sorted_values[nearest_rank(fraction, len(sorted_values)) - 1]

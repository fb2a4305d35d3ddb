"""Each normalization step and scoring adjustment switched off in turn, on labelled cases.

``python -m bot kb eval --ablate`` prints one row per variant: the full matcher first, then
the matcher without one step, with the change in each figure. A step whose removal does not
lower the figures does not pay for itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.knowledge.evaluate import Case, EvalReport, evaluate
from bot.knowledge.index import MatcherOptions, SuggestionIndex
from bot.knowledge.models import KbEntry
from bot.knowledge.normalize import AnalyzerOptions


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    analyzer: AnalyzerOptions
    matcher: MatcherOptions


def variants() -> list[Variant]:
    """The full matcher, then one step off at a time (and the other stemmers)."""
    full_a, full_m = AnalyzerOptions(), MatcherOptions()
    rows = [Variant("full", full_a, full_m)]
    rows += [
        Variant("no slang", replace(full_a, slang=False), full_m),
        Variant("no particles", replace(full_a, particles=False), full_m),
        Variant("no split", replace(full_a, split=False), full_m),
        Variant("no repair", replace(full_a, repair=False), full_m),
        Variant("no concepts", replace(full_a, concepts=False), full_m),
    ]
    rows.append(Variant("rule-based stemmer", replace(full_a, stemmer="rules"), full_m))
    rows.append(Variant("no stemming", replace(full_a, stemmer="none"), full_m))
    for step in ("region", "case", "uncovered", "other_body"):
        label = step.replace("_", "-")
        rows.append(Variant(f"no {label} penalty", full_a, replace(full_m, **{step: False})))
    rows.append(Variant("no calibration", full_a, replace(full_m, calibrated=False)))
    return rows


def run_variant(
    variant: Variant, entries: Sequence[KbEntry], cases: Sequence[Case], threshold: float
) -> EvalReport:
    index = SuggestionIndex.build(
        entries, threshold, analyzer_options=variant.analyzer, options=variant.matcher
    )
    return evaluate(index, cases, threshold)


def ablation_table(entries: Sequence[KbEntry], cases: Sequence[Case], threshold: float) -> str:
    """Figures of every variant and their change against the full matcher, in points."""
    lines = [
        f"{'variant':<26}{'top-1':>8}{'top-3':>8}{'oos':>8}{'overall':>9}"
        f"{'d top-1':>9}{'d top-3':>9}{'d oos':>8}{'d overall':>11}"
    ]
    base: tuple[float, ...] | None = None
    for variant in variants():
        report = run_variant(variant, entries, cases, threshold)
        figures = (report.top1, report.top3, report.out_of_scope_rejected, report.overall)
        if base is None:
            base = figures
        deltas = "".join(
            f"{100 * (value - reference):>+{width}.1f}"
            for value, reference, width in zip(figures, base, (9, 9, 8, 11), strict=True)
        )
        lines.append(
            f"{variant.name:<26}"
            + "".join(f"{value:>8.1%}" for value in figures[:3])
            + f"{figures[3]:>9.1%}"
            + deltas
        )
    return "\n".join(lines)

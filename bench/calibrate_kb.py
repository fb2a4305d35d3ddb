"""Fit the suggestion confidence on the tuning part of the blind set, cross-validated.

Run: ``.venv/bin/python bench/calibrate_kb.py`` (a few seconds). Reads only
tests/knowledge/data/eval/tune/ and the older development sets in tests/knowledge/data/ (the
frozen part, tests/knowledge/data/eval/frozen/, is never read here). For each message, the
best entry's three signals (raw score, margin to the second entry, share of the question it
does not cover) and whether it is the expected entry are collected; a logistic curve is
fitted on them (``bot.knowledge.index.confidence`` holds the fitted coefficients), and a
k-fold cross-validation inside the tuning part estimates the figures on unseen messages.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge.evaluate import Case, load_cases
from bot.knowledge.index import (
    CAL_BIAS,
    CAL_MARGIN,
    CAL_MISSING,
    CAL_RAW,
    SuggestionIndex,
)
from bot.knowledge.loader import load_files
from bot.knowledge.store import bundled_kb_paths

ROOT = Path(__file__).resolve().parent.parent
TUNE = ROOT / "tests" / "knowledge" / "data" / "eval" / "tune"
FAQ_DEV_KB = ROOT / "tests" / "data" / "faq-dev-kb.yaml"
FOLDS = 5
SEED = 20261203
L2 = 1.0


@dataclass(frozen=True, slots=True)
class Sample:
    features: tuple[float, float, float]
    right: bool  # the best entry is the expected one
    in_scope: bool
    in_top3: bool


def collect(index: SuggestionIndex, cases: list[Case]) -> list[Sample]:
    samples = []
    for case in cases:
        ranked = index.rank(case.query)
        if not ranked:
            samples.append(Sample((0.0, 0.0, 1.0), False, case.expected is not None, False))
            continue
        best = ranked[0]
        margin = best.raw - ranked[1].raw if len(ranked) > 1 else best.raw
        ids = [index.entries[r.position].id for r in ranked[:3]]
        samples.append(
            Sample(
                (best.raw, margin, best.missing),
                ids[0] == case.expected,
                case.expected is not None,
                case.expected in ids,
            )
        )
    return samples


def fit(samples: list[Sample]) -> np.ndarray:
    """Logistic regression (Newton steps, light L2 on the slopes): bias, raw, margin, missing."""
    x = np.array([(1.0, *s.features) for s in samples])
    y = np.array([float(s.right) for s in samples])
    w = np.zeros(x.shape[1])
    ridge = np.diag([0.0] + [L2] * (x.shape[1] - 1))
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + ridge @ w
        hessian = (x.T * (p * (1 - p))) @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w


def predict(w: np.ndarray, samples: list[Sample]) -> list[float]:
    x = np.array([(1.0, *s.features) for s in samples])
    return [float(v) for v in 1.0 / (1.0 + np.exp(-x @ w))]


def figures(samples: list[Sample], scores: list[float], bar: float) -> str:
    inside = [(s, c) for s, c in zip(samples, scores, strict=True) if s.in_scope]
    outside = [(s, c) for s, c in zip(samples, scores, strict=True) if not s.in_scope]
    top1 = sum(s.right for s, _ in inside) / max(len(inside), 1)
    top3 = sum(s.in_top3 for s, _ in inside) / max(len(inside), 1)
    rejected = sum(c < bar for _, c in outside) / max(len(outside), 1)
    correct = sum(s.right and c >= bar for s, c in inside) + sum(c < bar for _, c in outside)
    overall = correct / max(len(samples), 1)
    return (
        f"top-1 {top1:.1%}  top-3 {top3:.1%}  out of scope left unsuggested {rejected:.1%}  "
        f"overall {overall:.1%}  (n={len(samples)})"
    )


def reliability(samples: list[Sample], scores: list[float]) -> str:
    lines = ["confidence   suggestions  right"]
    for low in np.arange(0.0, 1.0, 0.1):
        high = low + 0.1
        rows = [
            s
            for s, c in zip(samples, scores, strict=True)
            if low <= c < high or (high >= 1.0 and c >= low)
        ]
        right = sum(s.right for s in rows)
        share = f"{right / len(rows):.0%}" if rows else "-"
        lines.append(f"{low:.1f}-{high:.1f}      {len(rows):>5}     {share:>5}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    older = ROOT / "tests" / "knowledge" / "data"
    sets = {
        "bundled": (bundled_kb_paths(), TUNE / "bundled.yaml"),
        "faqdev": ([FAQ_DEV_KB], TUNE / "faqdev.yaml"),
        # The older development sets (easier, written with the KBs in view).
        "dev": ([older / "dev_kb.yaml"], older / "dev_cases.yaml"),
        "blind-old": ([older / "blind_kb.yaml"], older / "blind_cases.yaml"),
        "bundled-old": (bundled_kb_paths(), older / "bundled_cases.yaml"),
        "oos-extra-dev": ([older / "dev_kb.yaml"], older / "out_of_scope_extra.yaml"),
        "oos-extra-bundled": (bundled_kb_paths(), older / "out_of_scope_extra.yaml"),
    }
    per_set: dict[str, list[Sample]] = {}
    for name, (paths, cases_path) in sets.items():
        index = SuggestionIndex.build(load_files(paths).entries)
        per_set[name] = collect(index, load_cases(cases_path))
    everything = [s for rows in per_set.values() for s in rows]
    shipped = np.array([CAL_BIAS, CAL_RAW, CAL_MARGIN, CAL_MISSING])
    fitted = fit(everything)
    out = sys.stdout
    out.write(f"shipped coefficients (bias, raw, margin, missing): {np.round(shipped, 2)}\n")
    out.write(f"fitted on all the sets above:                      {np.round(fitted, 2)}\n")
    out.write("with the shipped coefficients:\n")
    for name, rows in per_set.items():
        shown = figures(rows, predict(shipped, rows), args.threshold)
        out.write(f"  {name}: {shown}\n")
    # Cross-validation inside the tuning part: fit on four folds, score the fifth.
    rng = random.Random(SEED)
    order = list(range(len(everything)))
    rng.shuffle(order)
    held: list[float] = [0.0] * len(everything)
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        train = [everything[i] for i in range(len(everything)) if i not in test]
        w = fit(train)
        for i, score in zip(
            sorted(test), predict(w, [everything[i] for i in sorted(test)]), strict=True
        ):
            held[i] = score
    out.write(
        f"{FOLDS}-fold cross-validated (fit on four folds, score the fifth): "
        f"{figures(everything, held, args.threshold)}\n"
    )
    start = 0
    for name, rows in per_set.items():
        part = held[start : start + len(rows)]
        start += len(rows)
        out.write(f"  {name}: {figures(rows, part, args.threshold)}\n")
    out.write("reliability (cross-validated scores of the best entry):\n")
    out.write(reliability(everything, held) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

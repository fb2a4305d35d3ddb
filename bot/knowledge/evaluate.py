"""Score a knowledge base against labelled cases (the faq-dev ``cases.yaml`` format)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.index import SuggestionIndex


class CasesError(ValueError):
    """The cases file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Case:
    query: str
    expected: str | None


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    ranked_ids: tuple[str, ...]
    top_score: float
    confident: bool

    @property
    def correct(self) -> bool:
        """Right and confident in scope; not confident out of scope."""
        if self.case.expected is None:
            return not self.confident
        return self.confident and self.top1

    @property
    def top1(self) -> bool:
        return bool(self.ranked_ids) and self.ranked_ids[0] == self.case.expected


@dataclass(slots=True)
class EvalReport:
    threshold: float
    results: list[CaseResult] = field(default_factory=list)

    @property
    def in_scope(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.expected is not None]

    @property
    def out_of_scope(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.expected is None]

    @property
    def top1(self) -> float:
        cases = self.in_scope
        return sum(r.top1 for r in cases) / len(cases) if cases else 0.0

    @property
    def top3(self) -> float:
        cases = self.in_scope
        hits = sum(r.case.expected in r.ranked_ids[:3] for r in cases)
        return hits / len(cases) if cases else 0.0

    @property
    def out_of_scope_rejected(self) -> float:
        cases = self.out_of_scope
        return sum(not r.confident for r in cases) / len(cases) if cases else 1.0

    @property
    def overall(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0

    def reliability(self) -> str:
        """A reliability table: confidence buckets of the best entry -> share right."""
        lines = ["confidence  messages  best entry right"]
        for low, high, count, right in reliability_rows(self.results):
            share = f"{right / count:.0%}" if count else "-"
            lines.append(f"{low:.1f}-{high:.1f}    {count:>8}  {share:>6} ({right}/{count})")
        return "\n".join(lines)

    def summary(self) -> str:
        inside, outside = self.in_scope, self.out_of_scope
        top1 = sum(r.top1 for r in inside)
        top3 = sum(r.case.expected in r.ranked_ids[:3] for r in inside)
        rejected = sum(not r.confident for r in outside)
        correct = sum(r.correct for r in self.results)
        return "\n".join(
            [
                f"cases: {len(self.results)} ({len(inside)} in scope, "
                f"{len(outside)} out of scope), threshold {self.threshold:.2f}",
                f"top-1 accuracy (in scope): {self.top1:.1%} ({top1}/{len(inside)})",
                f"top-3 recall (in scope): {self.top3:.1%} ({top3}/{len(inside)})",
                f"out of scope left unsuggested: {self.out_of_scope_rejected:.1%} "
                f"({rejected}/{len(outside)})",
                f"overall accuracy: {self.overall:.1%} ({correct}/{len(self.results)})",
            ]
        )


RELIABILITY_BUCKETS = 10


def reliability_rows(results: Sequence[CaseResult]) -> list[tuple[float, float, int, int]]:
    """(low, high, best entries scored in [low, high), of them the expected entry) per bucket.

    Every message counts, out of scope too: there the best entry is never right, so a
    well-calibrated confidence keeps such messages in the low buckets.
    """
    rows = []
    for bucket in range(RELIABILITY_BUCKETS):
        low, high = bucket / RELIABILITY_BUCKETS, (bucket + 1) / RELIABILITY_BUCKETS
        last = bucket == RELIABILITY_BUCKETS - 1
        inside = [r for r in results if low <= r.top_score < high or (last and r.top_score >= 1)]
        rows.append((low, high, len(inside), sum(r.top1 for r in inside)))
    return rows


def load_cases(path: str | Path) -> list[Case]:
    """Read ``cases: [{query, expected}]``; raises ``CasesError`` with a clear message."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CasesError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CasesError(f"{path}: cannot read file: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise CasesError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise CasesError(f"{path}: expected a mapping with a 'cases' list")
    cases: list[Case] = []
    for number, raw in enumerate(document["cases"], start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("query"), str):
            raise CasesError(f"{path}: case {number} needs a 'query' string")
        expected = raw.get("expected")
        if expected is not None and not isinstance(expected, str):
            raise CasesError(f"{path}: case {number}: 'expected' must be an id or null")
        cases.append(Case(raw["query"], expected))
    return cases


def evaluate(index: SuggestionIndex, cases: Sequence[Case], threshold: float) -> EvalReport:
    report = EvalReport(threshold=threshold)
    for case in cases:
        suggestions = index.suggest(case.query, top=3, threshold=threshold)
        report.results.append(
            CaseResult(
                case=case,
                ranked_ids=tuple(m.entry.id for m in suggestions.matches),
                top_score=suggestions.matches[0].score if suggestions.matches else 0.0,
                confident=suggestions.confident,
            )
        )
    return report

"""Split the blind evaluation messages once into a tuning part and a frozen test part.

It was run once, right after the messages were written and before anyone scored them; its output
is committed. The frozen part is never looked at while the matcher is changed: it is scored only
to report figures (README) and in tests/knowledge/test_frozen_quality.py.
Stratified by expected entry (null counts as one stratum), half of each stratum, seeded.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
SEED = 20261203


def split_cases(cases: list[dict[str, Any]], rng: random.Random) -> tuple[list[Any], list[Any]]:
    by_expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        by_expected[str(case["expected"])].append(case)
    tune: list[dict[str, Any]] = []
    frozen: list[dict[str, Any]] = []
    for key in sorted(by_expected):
        group = by_expected[key]
        rng.shuffle(group)
        # An odd stratum gives its extra case to the frozen part.
        cut = len(group) // 2
        tune.extend(group[:cut])
        frozen.extend(group[cut:])
    return tune, frozen


def main() -> int:
    rng = random.Random(SEED)
    for name in ("bundled", "faqdev"):
        cases = yaml.safe_load((HERE / f"{name}_all.yaml").read_text(encoding="utf-8"))["cases"]
        tune, frozen = split_cases(cases, rng)
        for part, rows in (("tune", tune), ("frozen", frozen)):
            out = HERE / part / f"{name}.yaml"
            out.parent.mkdir(exist_ok=True)
            text = yaml.safe_dump({"cases": rows}, allow_unicode=True, sort_keys=False, width=1000)
            out.write_text(text, encoding="utf-8")
            sys.stderr.write(f"{out.relative_to(HERE)}: {len(rows)} cases\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge.cli import main
from bot.knowledge.lexicon import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.knowledge.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_check_ok_and_problems(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "check", str(data_dir / "dev_kb.yaml")]) == 0
    assert capsys.readouterr().out.startswith("OK: 20 entries")
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - id: x\n    questions: []\n    answer: y\n", encoding="utf-8")
    assert main(["kb", "check", str(bad)]) == 1
    assert f"{bad}:2: entry 'x' has no questions" in capsys.readouterr().out


def test_missing_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", str(tmp_path / "nope.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["kb", "eval", "--kb", str(tmp_path / "x"), "--cases", "y"]) == 2


def test_suggest_json_lines(data_dir: Path) -> None:
    result = run(
        ["kb", "suggest", "--kb", str(data_dir / "dev_kb.yaml"), "--top", "2"],
        stdin="panggilambulans gmn caranya\n\nbesok hujan gak?\n",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["query"] == "panggilambulans gmn caranya"
    assert lines[0]["matches"][0]["id"] == "ambulans-gawat-darurat"
    assert lines[0]["confident"] is True
    assert set(lines[0]["matches"][0]) == {"id", "score"}
    assert len(lines[0]["matches"]) <= 2
    assert lines[1]["confident"] is False


def test_eval_prints_figures(data_dir: Path) -> None:
    kb, cases = str(data_dir / "dev_kb.yaml"), str(data_dir / "dev_cases.yaml")
    result = run(["kb", "eval", "--kb", kb, "--cases", cases, "--threshold", "0.5"])
    assert result.returncode == 0, result.stderr
    for label in ["top-1 accuracy", "top-3 recall", "out of scope", "overall accuracy"]:
        assert label in result.stdout


def test_ingest_policy(tmp_path: Path) -> None:
    out = tmp_path / "passages.yaml"
    result = run(
        ["kb", "ingest-policy", str(DATA_DIR / "perbup-bone-22-2019.txt"), "--out", str(out)]
    )
    assert result.returncode == 0, result.stderr
    assert "perbup-bone-22-2019-pasal-18" in out.read_text(encoding="utf-8")
    assert run(["kb", "check", str(out)]).returncode == 0
    assert run(["kb", "ingest-policy", str(tmp_path / "missing.txt")]).returncode == 2


def test_bad_threshold_is_usage_error(data_dir: Path) -> None:
    result = run(["kb", "suggest", "--kb", str(data_dir / "dev_kb.yaml"), "--threshold", "2"])
    assert result.returncode == 2
    assert "threshold" in result.stderr


def test_eval_ablate_lists_every_step(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb, cases = str(data_dir / "dev_kb.yaml"), str(data_dir / "dev_cases.yaml")
    assert main(["kb", "eval", "--kb", kb, "--cases", cases, "--ablate"]) == 0
    out = capsys.readouterr().out
    rows = {line.split("  ")[0].strip(): line for line in out.splitlines()[1:]}
    for name in ["full", "no slang", "no particles", "no split", "no repair", "no concepts"]:
        assert name in rows, out
    for name in ["rule-based stemmer", "no stemming", "no other-body penalty", "no calibration"]:
        assert name in rows, out
    # The full matcher is the reference row: its changes are zero.
    assert rows["full"].split()[-4:] == ["+0.0"] * 4


def test_eval_reliability_table(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb, cases = str(data_dir / "dev_kb.yaml"), str(data_dir / "dev_cases.yaml")
    assert main(["kb", "eval", "--kb", kb, "--cases", cases, "--reliability"]) == 0
    lines = capsys.readouterr().out.splitlines()
    buckets = [line for line in lines if line[:4] in {f"0.{d}-" for d in range(10)}]
    assert len(buckets) == 10
    counts = [int(line.split()[1]) for line in buckets]
    assert sum(counts) == 90

"""`make demo` runs the real bot against the local simulator and prints the day."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_prints_a_scripted_day() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--speed", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Tiket #1" in out
    assert "Tiket #2" in out
    assert "Jawaban untuk tiket #1" in out
    assert "Jawaban untuk tiket #2" in out
    assert "pressed [✅ Kirim saran]" in out
    assert "/kinerja" in out
    assert "Kinerja layanan" in out
    # Issue 12: a post tagged by Pasal 10 and a broadcast with its progress card.
    assert "#IsuAktualBone" in out
    assert "[channel:Info Pemkab Bone] BOT" in out
    assert "Informasi Pemerintah Kabupaten Bone" in out
    assert "Siaran selesai" in out
    assert "Traceback" not in out + result.stderr

from __future__ import annotations

import os
from pathlib import Path

from bot.knowledge.models import KbEntry
from bot.knowledge.store import KnowledgeBase

KB = """\
entries:
  - id: ambulans
    questions: ['Bagaimana cara memanggil ambulans?']
    answer: Hubungi puskesmas terdekat.
"""


def touch_later(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_reload_only_when_changed_and_keeps_last_good(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    kb = KnowledgeBase([path])
    assert [e.id for e in kb.entries] == ["ambulans"]
    assert kb.reload_if_changed().reloaded is False

    touch_later(path, "entries:\n  - id: [broken\n")
    result = kb.reload_if_changed()
    assert not result.reloaded
    assert result.problems
    assert result.problems[0].file == str(path)
    assert result.problems[0].line is not None
    assert [e.id for e in kb.entries] == ["ambulans"]
    assert kb.suggest("panggil ambulans").best is not None

    touch_later(path, KB.replace("ambulans", "ambulance-baru", 1))
    result = kb.reload_if_changed()
    assert result.reloaded
    assert result.ok
    assert [e.id for e in kb.entries] == ["ambulance-baru"]


def test_missing_file_never_crashes(tmp_path: Path) -> None:
    kb = KnowledgeBase([tmp_path / "missing.yaml"])
    assert kb.entries == ()
    assert kb.last_problems[0].message == "file not found"
    assert kb.suggest("apa saja").matches == []


def test_extra_entries_override_file_entries(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    edited = KbEntry("ambulans", ("Bagaimana memanggil ambulans?",), "Telepon 112.")
    kb = KnowledgeBase([path], extra_entries=[edited])
    assert kb.get("ambulans") == edited
    added = KbEntry("baru", ("Apa itu PPID?",), "Pejabat informasi.")
    assert kb.set_extra_entries([edited, added]).reloaded
    assert {e.id for e in kb.entries} == {"ambulans", "baru"}

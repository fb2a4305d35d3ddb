"""The help desk's view of the knowledge base: overlay, lookups, and bad files."""

from __future__ import annotations

import os
from pathlib import Path

from bot.knowledge.models import KbEntry
from bot.services.knowledge import KnowledgeService, knowledge_paths

GOOD = """entries:
  - id: jam-layanan
    questions: ["Kapan jam layanan kantor?"]
    answer: "Senin sampai Jumat pukul 07.30 sampai 16.00 WITA."
"""


def test_bad_file_keeps_last_good_and_reports_once(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(GOOD, encoding="utf-8")
    service = KnowledgeService([path], threshold=0.5)
    assert service.lookup("jam-layanan") is not None
    path.write_text("entries:\n  - id: [broken\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    problems = service.new_problems_after_reload()
    assert problems
    assert "kb.yaml" in str(problems[0])
    assert service.lookup("jam-layanan") is not None  # still the last good version
    assert service.new_problems_after_reload() == []  # said once, not every check


def test_overlay_overrides_and_is_suggested() -> None:
    service = KnowledgeService(knowledge_paths([]), threshold=0.5)
    entry = KbEntry(
        id="faq-tiket-9",
        questions=("Apakah Samsat Watampone buka hari Sabtu?",),
        answer="Buka pukul 08.00-12.00.",
    )
    service.set_overlay([entry])
    result = service.suggest_answers("samsat watampone buka sabtu?", top=3)
    assert result.confident
    assert result.suggestions[0].entry_id == "faq-tiket-9"
    service.set_overlay([])
    assert service.lookup("faq-tiket-9") is None

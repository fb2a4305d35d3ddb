from __future__ import annotations

from pathlib import Path

from bot.knowledge.loader import dump_entries, load_files, validate_files
from bot.knowledge.models import KbEntry
from bot.knowledge.store import bundled_kb_paths

GOOD = """\
entries:
  - id: satu
    questions: ['Apa satu?']
    answer: Jawaban satu.
    tags: [a]
    source: Perbup Bone 22/2019 Pasal 3 huruf d
  - id: dua
    questions:
      - Apa dua?
    answer: |
      Jawaban dua.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_typed_entries(tmp_path: Path) -> None:
    result = load_files([write(tmp_path, "kb.yaml", GOOD)])
    assert result.ok
    first, second = result.entries
    assert first == KbEntry(
        id="satu",
        questions=("Apa satu?",),
        answer="Jawaban satu.",
        tags=("a",),
        source="Perbup Bone 22/2019 Pasal 3 huruf d",
    )
    assert second.tags == ()
    assert second.source is None
    assert second.answer == "Jawaban dua."


def test_bad_yaml_reports_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "entries:\n  - id: a\n    questions: [x\n    answer: y\n")
    (problem,) = validate_files([path])
    assert problem.file == str(path)
    assert problem.line is not None
    assert problem.line >= 3
    assert "invalid YAML" in problem.message
    assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_entry_problems_have_lines(tmp_path: Path) -> None:
    text = (
        "entries:\n"
        "  - id: a\n"
        "    questions: []\n"
        "    answer: ok\n"
        "  - id: b\n"
        "    questions: [q]\n"
        "    answer: ''\n"
        "  - id: c\n"
        "    questions: [q]\n"
        f"    answer: {'x' * 4097}\n"
        "  - id: d\n"
        "    question: [q]\n"
        "    answer: ok\n"
    )
    problems = validate_files([write(tmp_path, "kb.yaml", text)])
    by_line: dict[int | None, str] = {}
    for problem in problems:
        by_line[problem.line] = by_line.get(problem.line, "") + problem.message
    assert "no questions" in by_line[2]
    assert "empty or missing answer" in by_line[5]
    assert "4096" in by_line[8]
    assert "unknown key(s) question" in by_line[11]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(
        tmp_path, "b.yaml", "entries:\n  - id: dua\n    questions: [q]\n    answer: a\n"
    )
    problems = validate_files([first, second])
    assert len(problems) == 1
    assert problems[0].file == str(second)
    assert problems[0].line == 2
    assert "duplicate id 'dua'" in problems[0].message
    assert f"{first}:" in problems[0].message


def test_missing_file_and_wrong_shape(tmp_path: Path) -> None:
    problems = validate_files([tmp_path / "nope.yaml", write(tmp_path, "x.yaml", "- a\n")])
    assert [p.message for p in problems] == [
        "file not found",
        "top level must be a mapping with an 'entries' list",
    ]


def test_dump_round_trips(tmp_path: Path) -> None:
    entries = load_files([write(tmp_path, "kb.yaml", GOOD)]).entries
    again = load_files([write(tmp_path, "again.yaml", dump_entries(entries, header="hi"))])
    assert again.ok
    assert again.entries == entries


def test_bundled_knowledge_base_is_valid() -> None:
    paths = bundled_kb_paths()
    result = load_files(paths)
    assert result.problems == []
    curated = [e for e in result.entries if not e.is_passage]
    assert 30 <= len(curated) <= 60
    assert all(e.source for e in curated if "perbup" in e.tags)

"""Read, validate and write knowledge-base YAML files.

File format (see the faq-dev README)::

    entries:
      - id: pencatatan-perkawinan
        questions: [Bagaimana cara ...?, ...]
        answer: |
          ...
        tags: [kependudukan]            # optional
        source: Perbup Bone 22/2019 Pasal 3 huruf d   # optional
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.models import MAX_ANSWER_CHARS, KbEntry, Problem

ALLOWED_KEYS = frozenset({"id", "questions", "answer", "tags", "source"})
LINE_KEY = "__line__"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the 1-based line where each mapping starts."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


@dataclass(slots=True)
class LoadResult:
    """Entries that passed validation, and every problem found on the way."""

    entries: list[KbEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _yaml_error_line(exc: yaml.YAMLError) -> int | None:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return int(mark.line) + 1
    return None


def _string_list(
    value: Any, key: str, file: str, line: int, problems: list[Problem]
) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        problems.append(Problem(file, line, f"'{key}' must be a list of strings"))
        return None
    items: list[str] = []
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            problems.append(Problem(file, line, f"'{key}' item {position} is not a string"))
            return None
        text = str(item).strip()
        if not text:
            problems.append(Problem(file, line, f"'{key}' item {position} is empty"))
            return None
        items.append(text)
    return tuple(items)


def _parse_entry(
    raw: Any, file: str, fallback_line: int, problems: list[Problem]
) -> KbEntry | None:
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                file, fallback_line, "each entry must be a mapping with id, questions and answer"
            )
        )
        return None
    line = int(raw.pop(LINE_KEY, fallback_line))
    before = len(problems)
    unknown = sorted(str(key) for key in raw if key not in ALLOWED_KEYS)
    if unknown:
        problems.append(
            Problem(
                file,
                line,
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(ALLOWED_KEYS))}",
            )
        )

    entry_id = raw.get("id")
    if entry_id is None or (isinstance(entry_id, str) and not entry_id.strip()):
        problems.append(Problem(file, line, "entry has no 'id'"))
    elif not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id.strip()):
        problems.append(
            Problem(
                file,
                line,
                f"id {entry_id!r} must be a single word of letters, digits, "
                "'-', '_' or '.' (kebab-case recommended)",
            )
        )

    questions = raw.get("questions")
    question_tuple: tuple[str, ...] | None = None
    if questions is None or questions == []:
        problems.append(Problem(file, line, f"entry {entry_id!r} has no questions"))
    else:
        question_tuple = _string_list(questions, "questions", file, line, problems)

    answer = raw.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        problems.append(Problem(file, line, f"entry {entry_id!r} has an empty or missing answer"))
    elif len(answer.strip()) > MAX_ANSWER_CHARS:
        problems.append(
            Problem(
                file,
                line,
                f"answer of entry {entry_id!r} is {len(answer.strip())} "
                f"characters long; the limit is {MAX_ANSWER_CHARS} (one Telegram message)",
            )
        )

    tags_value = raw.get("tags")
    tag_tuple: tuple[str, ...] | None = ()
    if tags_value is not None:
        tag_tuple = _string_list(tags_value, "tags", file, line, problems)

    source = raw.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        problems.append(
            Problem(file, line, f"'source' of entry {entry_id!r} must be a non-empty string")
        )

    if len(problems) != before:
        return None
    assert isinstance(entry_id, str)
    assert isinstance(answer, str)
    assert question_tuple is not None
    assert tag_tuple is not None
    return KbEntry(
        id=entry_id.strip(),
        questions=question_tuple,
        answer=answer.strip(),
        tags=tag_tuple,
        source=source.strip() if isinstance(source, str) else None,
    )


def parse_text(text: str, file: str) -> tuple[list[tuple[KbEntry, int]], list[Problem]]:
    """Parse one YAML document; returns the valid entries with their line, and problems."""
    problems: list[Problem] = []
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        detail = str(getattr(exc, "problem", None) or exc).strip()
        return [], [Problem(file, _yaml_error_line(exc), f"invalid YAML: {detail}")]
    if document is None:
        return [], [Problem(file, 1, "file is empty; expected a mapping with an 'entries' list")]
    if not isinstance(document, dict) or "entries" not in document:
        return [], [Problem(file, 1, "top level must be a mapping with an 'entries' list")]
    raw_entries = document["entries"]
    if not isinstance(raw_entries, list):
        line = int(document.get(LINE_KEY, 1))
        return [], [Problem(file, line, "'entries' must be a list")]
    parsed: list[tuple[KbEntry, int]] = []
    for raw in raw_entries:
        line = int(raw.get(LINE_KEY, 1)) if isinstance(raw, dict) else 1
        entry = _parse_entry(raw, file, line, problems)
        if entry is not None:
            parsed.append((entry, line))
    return parsed, problems


def load_files(paths: Sequence[str | Path]) -> LoadResult:
    """Load and validate every file; ids must be unique across all of them.

    Never raises for bad content: unreadable files, bad YAML and invalid entries become
    problems, and the entries that are valid are still returned.
    """
    result = LoadResult()
    seen: dict[str, str] = {}
    for path in paths:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            result.problems.append(Problem(name, None, "file not found"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            result.problems.append(Problem(name, None, f"cannot read file: {exc}"))
            continue
        parsed, problems = parse_text(text, name)
        result.problems.extend(problems)
        for entry, line in parsed:
            where = f"{name}:{line}"
            if entry.id in seen:
                result.problems.append(
                    Problem(
                        name,
                        line,
                        f"duplicate id {entry.id!r} (first defined at {seen[entry.id]})",
                    )
                )
                continue
            seen[entry.id] = where
            result.entries.append(entry)
    return result


def validate_files(paths: Sequence[str | Path]) -> list[Problem]:
    """Every problem in the given files, each with file and line where known."""
    return load_files(paths).problems


def check_unique_ids(entries: Iterable[KbEntry], origin: str = "<extra>") -> list[Problem]:
    """Problems for ids that repeat inside an in-memory collection of entries."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for entry in entries:
        if entry.id in seen:
            problems.append(Problem(origin, None, f"duplicate id {entry.id!r}"))
        seen.add(entry.id)
    return problems


class _BlockDumper(yaml.SafeDumper):
    """Dumper that keeps multi-line answers readable as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockDumper.add_representer(str, _represent_str)


def entry_to_dict(entry: KbEntry) -> dict[str, Any]:
    """Plain mapping in file order; optional keys are omitted when empty."""
    data: dict[str, Any] = {"id": entry.id, "questions": list(entry.questions)}
    data["answer"] = entry.answer if entry.answer.endswith("\n") else entry.answer + "\n"
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.source:
        data["source"] = entry.source
    return data


def dump_entries(entries: Iterable[KbEntry], header: str | None = None) -> str:
    """YAML text in the knowledge-base format that ``load_files`` reads back unchanged.

    ``header`` becomes a leading comment block (one ``#`` line per text line).
    """
    body = yaml.dump(
        {"entries": [entry_to_dict(entry) for entry in entries]},
        Dumper=_BlockDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    if not header:
        return body
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + body

"""``python -m bot kb ...``: check, suggest, eval, ingest and ingest-policy.

Exit codes: 0 success, 1 ``check`` found problems, 2 bad input (missing file, invalid
knowledge base given to ``suggest``/``eval``, malformed cases).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.knowledge.ablation import ablation_table
from bot.knowledge.documents import DocumentError, read_document
from bot.knowledge.evaluate import CasesError, evaluate, load_cases
from bot.knowledge.index import DEFAULT_THRESHOLD, SuggestionIndex
from bot.knowledge.ingest import ingest_text
from bot.knowledge.loader import dump_entries, load_files
from bot.knowledge.models import KbEntry
from bot.services.faq import export_command

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

Handler = Callable[[argparse.Namespace], int]


def _error(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return EXIT_BAD_INPUT


def _missing_files(paths: Sequence[str]) -> list[str]:
    return [path for path in paths if not Path(path).is_file()]


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from exc
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"threshold must be between 0 and 1, got {number}")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from exc
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _load_index(paths: Sequence[str], threshold: float) -> SuggestionIndex | int:
    missing = _missing_files(paths)
    if missing:
        return _error(f"knowledge-base file not found: {', '.join(missing)}")
    result = load_files(paths)
    if result.problems:
        lines = "\n".join(f"  {problem}" for problem in result.problems)
        return _error(f"the knowledge base has problems; fix them first:\n{lines}")
    return SuggestionIndex.build(result.entries, threshold=threshold)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate knowledge-base files and print each problem as file:line: message."""
    files: list[str] = args.files
    missing = _missing_files(files)
    if missing:
        return _error(f"file not found: {', '.join(missing)}")
    result = load_files(files)
    for problem in result.problems:
        sys.stdout.write(f"{problem}\n")
    if result.problems:
        sys.stdout.write(
            f"{len(result.problems)} problem(s) in {len(files)} file(s); "
            f"{len(result.entries)} valid entries\n"
        )
        return EXIT_PROBLEMS
    sources = sum(1 for entry in result.entries if entry.source)
    sys.stdout.write(
        f"OK: {len(result.entries)} entries in {len(files)} file(s), "
        f"{sources} with a source, ids unique\n"
    )
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    """One JSON line per stdin query: {"query", "matches": [{"id", "score"}], "confident"}."""
    loaded = _load_index(args.kb, args.threshold)
    if isinstance(loaded, int):
        return loaded
    for line in sys.stdin:
        query = line.rstrip("\r\n")
        if not query.strip():
            continue
        suggestions = loaded.suggest(query, top=args.top, threshold=args.threshold)
        record = {
            "query": query,
            "matches": [{"id": m.entry.id, "score": m.score} for m in suggestions.matches],
            "confident": suggestions.confident,
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    """Top-1, top-3, out-of-scope rejection and overall accuracy on labelled cases."""
    loaded = _load_index(args.kb, args.threshold)
    if isinstance(loaded, int):
        return loaded
    try:
        cases = load_cases(args.cases)
    except CasesError as exc:
        return _error(str(exc))
    known = {entry.id for entry in loaded.entries}
    unknown = sorted({c.expected for c in cases if c.expected and c.expected not in known})
    if unknown:
        return _error(f"cases expect ids missing from the knowledge base: {', '.join(unknown)}")
    if args.ablate:
        sys.stdout.write(ablation_table(loaded.entries, cases, args.threshold) + "\n")
        return EXIT_OK
    report = evaluate(loaded, cases, args.threshold)
    sys.stdout.write(report.summary() + "\n")
    if args.reliability:
        sys.stdout.write(report.reliability() + "\n")
    if args.verbose:
        for result in report.results:
            if not result.correct:
                sys.stdout.write(
                    f"MISS expected={result.case.expected} got={list(result.ranked_ids)} "
                    f"score={result.top_score:.3f} query={result.case.query!r}\n"
                )
    return EXIT_OK


def _write_entries(entries: Sequence[KbEntry], header: str, out: str | None) -> int:
    output = dump_entries(entries, header=header)
    if out:
        try:
            Path(out).write_text(output, encoding="utf-8")
        except OSError as exc:
            return _error(f"cannot write {out}: {exc.strerror or exc}")
        sys.stderr.write(f"wrote {len(entries)} entries to {out}\n")
    else:
        sys.stdout.write(output)
    return EXIT_OK


def _ingest(args: argparse.Namespace, *, articles_only: bool) -> int:
    path = Path(args.file)
    try:
        text = read_document(path)
    except DocumentError as exc:
        return _error(str(exc))
    ingested = ingest_text(
        text,
        fallback_name=path.stem,
        name=args.name,
        id_prefix=args.id_prefix,
        service=getattr(args, "service", None),
        articles_only=articles_only,
    )
    if articles_only and not ingested.articles:
        return _error(f"{path}: no 'Pasal' headings found after the first 'BAB' heading")
    if not ingested.entries:
        return _error(
            f"{path}: found neither 'Pasal' articles (after a 'BAB' heading) nor Standar "
            "Pelayanan components (Persyaratan, Prosedur, Jangka waktu, Biaya/tarif, "
            "Produk pelayanan, Pengaduan, ...)"
        )
    command = "ingest-policy" if articles_only else "ingest"
    header = (
        f"Passages generated by `python -m bot kb {command} {path.name}`: "
        f"{len(ingested.articles)} article(s), {len(ingested.components)} service "
        "component(s).\nRegenerate instead of editing; curate answers in another file."
    )
    return _write_entries(ingested.entries, header, args.out)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Passage entries from a regulation or a Standar Pelayanan (.txt, .docx, .pdf)."""
    return _ingest(args, articles_only=False)


def cmd_ingest_policy(args: argparse.Namespace) -> int:
    """Write one passage entry per Pasal of a regulation as knowledge-base YAML."""
    return _ingest(args, articles_only=True)


def add_kb_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``kb`` command and its subcommands; each sets ``func`` to a handler."""
    kb = subparsers.add_parser(
        "kb", help="knowledge base: check, suggest, eval, ingest, ingest-policy, export"
    )
    commands = kb.add_subparsers(dest="kb_command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="validate knowledge-base YAML files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=cmd_check)

    suggest = commands.add_parser("suggest", help="suggest entries for queries read from stdin")
    suggest.add_argument("--kb", action="append", required=True, metavar="FILE")
    suggest.add_argument("--top", type=_positive, default=3)
    suggest.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD)
    suggest.set_defaults(func=cmd_suggest)

    evaluation = commands.add_parser("eval", help="score the knowledge base on labelled cases")
    evaluation.add_argument("--kb", action="append", required=True, metavar="FILE")
    evaluation.add_argument("--cases", required=True, metavar="FILE")
    evaluation.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD)
    evaluation.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    evaluation.add_argument(
        "--ablate",
        action="store_true",
        help="switch each normalization step and scoring adjustment off in turn",
    )
    evaluation.add_argument(
        "--reliability",
        action="store_true",
        help="confidence buckets of the best entry and the share of them that was right",
    )
    evaluation.set_defaults(func=cmd_eval)

    ingest = commands.add_parser(
        "ingest",
        help="regulation or Standar Pelayanan (.txt, .docx, .pdf) -> passage entries",
    )
    ingest.add_argument("file", metavar="FILE")
    ingest.add_argument("--out", metavar="OUT.yaml", help="write here instead of stdout")
    ingest.add_argument("--name", help='citation name, e.g. "SP Disdukcapil Bone 2024"')
    ingest.add_argument("--id-prefix", help="id prefix, e.g. sp-disdukcapil")
    ingest.add_argument(
        "--service", help="service name when the document names none (Jenis Pelayanan)"
    )
    ingest.set_defaults(func=cmd_ingest)

    policy = commands.add_parser("ingest-policy", help="regulation -> one passage per Pasal")
    policy.add_argument("file", metavar="FILE")
    policy.add_argument("--out", metavar="OUT.yaml", help="write here instead of stdout")
    policy.add_argument("--name", help='citation name, e.g. "Perbup Bone 22/2019"')
    policy.add_argument("--id-prefix", help="id prefix, e.g. perbup-bone-22-2019")
    policy.set_defaults(func=cmd_ingest_policy)

    export = commands.add_parser("export", help="entries saved from answers (DB) -> YAML")
    export.add_argument("--out", metavar="OUT.yaml", help="write here instead of stdout")
    export.set_defaults(func=export_command)


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser with just the ``kb`` command (``python -m bot.knowledge.cli``)."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_kb_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())

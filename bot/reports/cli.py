"""``python -m bot report ...``: write a report file, or import platform metrics.

    report --period 2026 --format docx --out laporan-2026.docx
    report import-metrics metrics.csv

Bad input gets one precise English line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.agencies import agency_settings, load_agencies
from bot.config import Settings, SettingsError, load_settings
from bot.domain.periods import PeriodError, parse_period
from bot.knowledge.loader import load_files
from bot.reports.compile import compile_report
from bot.reports.delivery import knowledge_labels
from bot.reports.evaluation import compile_evaluation, render_evaluation
from bot.reports.metrics_import import MetricsImportError, import_metrics, parse_metrics_csv
from bot.reports.render import FORMATS, ReportFormat, render_report
from bot.services.faq import active_entries
from bot.services.knowledge import knowledge_paths
from storage.db import create_engine, create_session_maker
from storage.migrate import upgrade_database
from storage.queries import ensure_agency
from storage.queries.report import agency_id_by_code

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """Bad input or state: the message is shown as is, with the exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def add_report_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report", help="write the Pasal 15 report (docx, pdf, md, json) or import metrics"
    )
    report.add_argument(
        "--period",
        default="",
        help="2026, 2026-11, 2026-Q3, 2026-S1 or "
        "2026-01-01..2026-06-30 (default: this year to date)",
    )
    report.add_argument("--format", choices=FORMATS, default=None, help="default: from --out")
    report.add_argument("--out", default=None, help="output file (default: standard output)")
    report.add_argument("--agency-code", default=None, help="default: AGENCY_CODE")
    report.set_defaults(func=run_report)
    commands = report.add_subparsers(dest="report_command", metavar="COMMAND")
    metrics = commands.add_parser(
        "import-metrics",
        help="import monthly platform figures: platform,month,followers,posts,comments,shares",
    )
    metrics.add_argument("csv_file", metavar="FILE.csv")
    metrics.add_argument("--agency-code", default=None, help="default: AGENCY_CODE")
    metrics.set_defaults(func=run_import_metrics)


def run_report(args: argparse.Namespace) -> int:
    return _guarded(lambda: _run_report(args))


def run_import_metrics(args: argparse.Namespace) -> int:
    return _guarded(lambda: _run_import(args))


def _guarded(action: Callable[[], int]) -> int:
    try:
        code = action()
    except CliError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.code
    except sa.exc.SQLAlchemyError as exc:
        sys.stderr.write(f"error: database: {exc.__class__.__name__}: {exc}\n")
        return EXIT_FAILED
    except OSError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_FAILED
    except ValueError as exc:
        # Input no check above foresaw: one line, never a traceback.
        sys.stderr.write(f"error: {exc.__class__.__name__}: {exc}\n")
        return EXIT_USAGE
    return code


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise CliError(f"settings: {exc}") from None


def _format(args: argparse.Namespace) -> ReportFormat:
    if args.format:
        return args.format  # type: ignore[no-any-return]  # argparse choices=FORMATS
    if args.out:
        suffix = Path(args.out).suffix.lower().lstrip(".")
        for fmt in FORMATS:
            if suffix == fmt:
                return fmt
        raise CliError(
            f"cannot tell the format from --out {args.out!r}; pass --format ({', '.join(FORMATS)})"
        )
    raise CliError(f"pass --format ({', '.join(FORMATS)}) or --out FILE with that extension")


def _run_report(args: argparse.Namespace) -> int:
    settings = _settings()
    fmt = _format(args)
    now = datetime.now(UTC)
    try:
        period = parse_period(args.period, now.astimezone(settings.tz).date())
    except PeriodError as exc:
        raise CliError(f"--period: {exc}") from None
    code = args.agency_code or settings.agency_code

    upgrade_database(settings.database_url)
    file_entries = load_files(knowledge_paths(settings.kb_paths)).entries

    async def compile_and_render() -> bytes:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_maker(engine)() as session:
                if code == settings.agency_code:
                    # A fresh installation has no agency row until the bot first starts.
                    await ensure_agency(session, code=code, name=settings.agency_name)
                    await session.commit()
                topics, titles = knowledge_labels([*file_entries, *await active_entries(session)])
                conn = await session.connection()
                agency_id = await _agency_id(conn, code)
                data = await compile_report(
                    session,
                    settings=settings,
                    period=period,
                    agency_id=agency_id,
                    topics=topics,
                    titles=titles,
                    now=now,
                )
        finally:
            await engine.dispose()
        return render_report(data, fmt)

    content = asyncio.run(compile_and_render())
    if args.out:
        Path(args.out).write_bytes(content)
        sys.stdout.write(f"wrote {fmt} report for {period.label} to {args.out}\n")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return EXIT_OK


async def _agency_id(conn: AsyncConnection, code: str) -> int:
    found = await agency_id_by_code(conn, code=code)
    if found is None:
        raise CliError(f"no agency with code {code!r} in the database (check AGENCY_CODE)")
    return int(found)


def _run_import(args: argparse.Namespace) -> int:
    path = Path(args.csv_file)
    if not path.is_file():
        raise CliError(f"{args.csv_file}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{args.csv_file}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    try:
        rows = parse_metrics_csv(text)
    except MetricsImportError as exc:
        problems = "\n".join(f"  {args.csv_file}:{p}" for p in exc.problems)
        raise CliError(f"nothing imported; fix these rows:\n{problems}") from None
    settings = _settings()
    code = args.agency_code or settings.agency_code

    async def store() -> tuple[int, int]:
        engine = create_engine(settings.database_url)
        try:
            # One transaction: a failure part-way leaves the table as it was.
            async with engine.begin() as conn:
                agency_id = await _agency_id(conn, code)
                return await import_metrics(
                    conn, agency_id=agency_id, rows=rows, now=datetime.now(UTC)
                )
        finally:
            await engine.dispose()

    inserted, updated = asyncio.run(store())
    sys.stdout.write(
        f"imported {len(rows)} rows from {args.csv_file}: {inserted} new, {updated} updated\n"
    )
    return EXIT_OK


def add_evaluation_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    evaluation = subparsers.add_parser(
        "evaluasi", help="write the Dinas evaluation of several agencies (Pasal 16), docx and pdf"
    )
    evaluation.add_argument("period", help="2026, 2026-S1, 2026-Q3, 2026-11 or a range")
    evaluation.add_argument("--out", required=True, help="output folder")
    evaluation.add_argument(
        "--agencies",
        default=None,
        help="comma-separated agency codes to compare (default: AGENCY_CODE)",
    )
    evaluation.add_argument(
        "--evaluator", default=None, help="code of the evaluating Dinas (default: AGENCY_CODE)"
    )
    evaluation.add_argument(
        "--agencies-file",
        default=None,
        help="agencies TOML file: compare every agency in it; its evaluator = true is the Dinas",
    )
    evaluation.set_defaults(func=run_evaluation)


def run_evaluation(args: argparse.Namespace) -> int:
    return _guarded(lambda: _run_evaluation(args))


def _run_evaluation(args: argparse.Namespace) -> int:
    settings = _settings()
    now = datetime.now(UTC)
    try:
        period = parse_period(args.period, now.astimezone(settings.tz).date())
    except PeriodError as exc:
        raise CliError(f"period: {exc}") from None
    by_code = {settings.agency_code: settings}
    if args.agencies_file:
        agencies = load_agencies(Path(args.agencies_file))
        by_code = agency_settings(settings, agencies)
        flagged = agencies.evaluator
        evaluator = args.evaluator or (flagged.code if flagged else settings.agency_code)
        codes = list(by_code)
    else:
        evaluator = args.evaluator or settings.agency_code
        codes = [c.strip() for c in (args.agencies or evaluator).split(",") if c.strip()]
    if evaluator not in codes:
        codes.insert(0, evaluator)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.database_url)

    async def compile_all() -> tuple[bytes, bytes]:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_maker(engine)() as session:
                conn = await session.connection()
                ids = {code: await _agency_id(conn, code) for code in codes}
                # Each agency under its own code; targets and hours are the deployment's.
                per_agency = {
                    agency_id: by_code.get(code)
                    or settings.model_copy(update={"agency_code": code})
                    for code, agency_id in ids.items()
                }
                evaluation = await compile_evaluation(
                    session,
                    settings_by_agency=per_agency,
                    evaluator_id=ids[evaluator],
                    period=period,
                    now=now,
                )
        finally:
            await engine.dispose()
        return render_evaluation(evaluation, "docx"), render_evaluation(evaluation, "pdf")

    docx, pdf = asyncio.run(compile_all())
    stem = f"evaluasi-{period.start.isoformat()}-{period.end.isoformat()}"
    for suffix, content in (("docx", docx), ("pdf", pdf)):
        path = out / f"{stem}.{suffix}"
        path.write_bytes(content)
        sys.stdout.write(f"wrote {suffix} evaluation of {len(codes)} agencies to {path}\n")
    return EXIT_OK

"""Scale benchmark of the yearly report.

    .venv/bin/python bench/bench_report.py            # 1,000,000 messages, 200,000 tickets
    .venv/bin/python bench/bench_report.py --messages 100000 --tickets 20000 --posts 200

Seeds one synthetic year into a temporary SQLite file (seeding time is printed but is
not a goal), then measures in a fresh child process, so that its peak memory (maxrss)
holds only the report and not the seeding:

* compile_report (goal <= 1 s): first call in the process, and a second (warm) call;
* the whole report: compile + charts + DOCX + PDF (goal <= 3 s);
* peak memory of the measuring process (goal <= 300 MB), as VmHWM of the child.

The child imports the working-time calendar's holiday tables before timing: the bot
process has them loaded long before anyone asks for a report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.domain.working_time import WorkingCalendar  # noqa: E402
from bot.reports import build_charts, compile_report, parse_period, render_report  # noqa: E402
from bot.reports.seed import seed_year  # noqa: E402
from storage.db import create_engine, create_session_maker  # noqa: E402

YEAR = 2026
GOALS = {"compile_s": 1.0, "whole_report_s": 3.0, "peak_rss_mb": 300.0}


async def _seed(url: str, messages: int, tickets: int, posts: int) -> float:
    engine = create_engine(url)
    try:
        stats = await seed_year(
            engine,
            year=YEAR,
            messages=messages,
            tickets=tickets,
            posts=posts,
            create_tables=True,
        )
    finally:
        await engine.dispose()
    return stats.seconds


async def _measure(url: str) -> dict[str, float]:
    settings = Settings()
    WorkingCalendar.from_settings(settings).is_working_day(date(YEAR, 1, 1))
    engine = create_engine(url)
    period = parse_period(str(YEAR), date(YEAR, 12, 31))
    now = datetime(YEAR + 1, 1, 2, tzinfo=UTC)
    results: dict[str, float] = {}
    try:
        session_maker = create_session_maker(engine)
        started = time.perf_counter()
        async with session_maker() as session:
            data = await compile_report(
                session, settings=settings, period=period, agency_id=1, now=now
            )
        results["compile_s"] = time.perf_counter() - started
        charts_started = time.perf_counter()
        charts = build_charts(data)
        results["charts_s"] = time.perf_counter() - charts_started
        docx_started = time.perf_counter()
        docx = render_report(data, "docx", charts=charts)
        results["docx_s"] = time.perf_counter() - docx_started
        pdf_started = time.perf_counter()
        pdf = render_report(data, "pdf", charts=charts)
        results["pdf_s"] = time.perf_counter() - pdf_started
        results["whole_report_s"] = time.perf_counter() - started
        results["docx_kb"] = len(docx) / 1024
        results["pdf_kb"] = len(pdf) / 1024
        warm_started = time.perf_counter()
        async with session_maker() as session:
            await compile_report(session, settings=settings, period=period, agency_id=1, now=now)
        results["compile_warm_s"] = time.perf_counter() - warm_started
        results["tickets"] = data.summary.tickets_in
        results["messages"] = (
            data.summary.messages_in
            + data.sharing.public_messages
            + data.sharing.internal_messages
        )
    finally:
        await engine.dispose()
    results["peak_rss_mb"] = _peak_rss_mb()
    return results


def _peak_rss_mb() -> float:
    """Peak resident memory of this process image.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec, so a child of the
    seeding process would report the seeder's peak (about 770 MB) instead of its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--database", help="reuse this seeded SQLite file (skip seeding)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: a database URL
    args = parser.parse_args()

    if args.measure:
        sys.stdout.write(json.dumps(asyncio.run(_measure(args.measure))) + "\n")
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        path = Path(args.database) if args.database else Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        if not args.database:
            print(
                f"seeding {args.messages:,} messages, {args.tickets:,} tickets, "
                f"{args.posts:,} posts into {path} ..."
            )
            seconds = asyncio.run(_seed(url, args.messages, args.tickets, args.posts))
            print(f"seeding took {seconds:.1f} s ({path.stat().st_size / 2**20:.0f} MB file)")
        child = subprocess.run(
            [sys.executable, __file__, "--measure", url],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        results = json.loads(child.stdout.strip().splitlines()[-1])

    rows = [
        ("compile_report, first call in process (s)", "compile_s"),
        ("compile_report, warm (s)", "compile_warm_s"),
        ("charts (s)", "charts_s"),
        ("DOCX rendering (s)", "docx_s"),
        ("PDF rendering (s)", "pdf_s"),
        ("whole report: compile + charts + DOCX + PDF (s)", "whole_report_s"),
        ("peak memory of the report process (MB)", "peak_rss_mb"),
        ("DOCX size (KB)", "docx_kb"),
        ("PDF size (KB)", "pdf_kb"),
    ]
    print(f"\n{'figure':52} {'value':>10} {'goal':>8}  ok")
    failed = False
    for label, key in rows:
        goal = GOALS.get(key)
        ok = "" if goal is None else ("yes" if results[key] <= goal else "NO")
        failed |= ok == "NO"
        goal_text = "" if goal is None else f"<= {goal:g}"
        print(f"{label:52} {results[key]:>10.3f} {goal_text:>8}  {ok}")
    print(
        f"\nreport covered {int(results['tickets']):,} tickets and "
        f"{int(results['messages']):,} messages"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

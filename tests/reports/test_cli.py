"""The report, import-metrics and dev seed commands, called as bot/__main__.py will."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from bot.reports.cli import add_report_parser
from bot.reports.seed import add_dev_parser
from storage.db import create_engine
from storage.migrate import upgrade_database
from storage.models import Agency, PlatformMetric

AGENCY_CODE = "diskominfo-bone"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot")
    subparsers = parser.add_subparsers(dest="command")
    add_report_parser(subparsers)
    add_dev_parser(subparsers)
    return parser


def _run(*argv: str) -> int:
    args = _parser().parse_args(argv)
    code = args.func(args)
    assert isinstance(code, int)
    return code


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AGENCY_CODE", AGENCY_CODE)

    upgrade_database(url)

    async def create() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(sa.insert(Agency).values(code=AGENCY_CODE, name="Diskominfo"))
        await engine.dispose()

    asyncio.run(create())
    return url


def _metrics(url: str) -> list[tuple[str, str, int | None, int | None]]:
    async def read() -> list[tuple[str, str, int | None, int | None]]:
        engine = create_engine(url)
        async with engine.connect() as conn:
            table = PlatformMetric.__table__  # type: ignore[attr-defined]
            rows = await conn.execute(
                sa.select(
                    table.c.platform, table.c.month, table.c.followers, table.c.shares
                ).order_by(table.c.platform, table.c.month)
            )
            result = [(str(p), str(m), f, s) for p, m, f, s in rows.all()]
        await engine.dispose()
        return result

    return asyncio.run(read())


def test_seed_then_report_docx_and_json(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run(
            "dev",
            "seed",
            "--year",
            "2026",
            "--messages",
            "600",
            "--tickets",
            "200",
            "--posts",
            "10",
            "--database-url",
            database,
        )
        == 0
    )
    assert "seeded 200 tickets, 600 messages" in capsys.readouterr().out
    out = tmp_path / "laporan.docx"
    assert _run("report", "--period", "2026", "--out", str(out)) == 0
    document = Document(io.BytesIO(out.read_bytes()))
    assert any(p.text.startswith("A. Gambaran Umum") for p in document.paragraphs)
    json_out = tmp_path / "laporan.json"
    assert _run("report", "--period", "2026-Q2", "--format", "json", "--out", str(json_out)) == 0
    loaded = json.loads(json_out.read_text())
    assert loaded["period"]["label"] == "Triwulan II 2026"
    assert 0 < loaded["summary"]["tickets_in"] < 200


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("report", "--period", "2026-13", "--format", "md"), "--period: month 13"),
        (("report", "--period", "2026", "--out", "x.xlsx"), "cannot tell the format"),
        (("report", "--period", "2026"), "pass --format"),
        (("dev", "seed", "--year", "1990"), "--year 1990"),
        (("dev", "seed", "--year", "2026", "--tickets", "10", "--messages", "5"), "--messages"),
    ],
)
def test_bad_input_exit_2(
    database: str, argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_agency(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The configured agency is created on a fresh database; another code must exist.
    del monkeypatch
    assert _run("report", "--format", "json", "--agency-code", "tidak-ada") == 2
    assert "no agency with code 'tidak-ada'" in capsys.readouterr().err


def test_import_metrics_insert_then_update(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "metrics.csv"
    csv_file.write_text(
        "platform,month,followers,posts,comments,shares\n"
        "Instagram,2026-01,1000,10,5,3\n"
        "facebook,2026-01,,12,,\n"
        "\n"
    )
    assert _run("report", "import-metrics", str(csv_file)) == 0
    assert "2 new, 0 updated" in capsys.readouterr().out
    assert _metrics(database) == [
        ("facebook", "2026-01", None, None),
        ("instagram", "2026-01", 1000, 3),
    ]
    csv_file.write_text(
        "platform,month,followers,posts,comments,shares\ninstagram,2026-01,1200,10,5,4\n"
    )
    assert _run("report", "import-metrics", str(csv_file)) == 0
    assert "0 new, 1 updated" in capsys.readouterr().out
    assert ("instagram", "2026-01", 1200, 4) in _metrics(database)


def test_import_metrics_bad_rows_import_nothing(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "metrics.csv"
    csv_file.write_text(
        "platform,month,followers,posts,comments,shares\n"
        "instagram,2026-01,1000,10,5,3\n"
        "instagram,2026-13,1000,10,5,3\n"
        ",2026-02,1,1,1,1\n"
        "youtube,2026-02,-5,1,1,1\n"
        "youtube,2026-03,1,1,1\n"
        "instagram,2026-01,1,1,1,1\n"
    )
    assert _run("report", "import-metrics", str(csv_file)) == 2
    err = capsys.readouterr().err
    assert "nothing imported" in err
    for expected in (
        "metrics.csv:line 3: month '2026-13'",
        "line 4: platform is empty",
        "line 5: followers '-5' is not a whole number",
        "line 6: has 5 fields; expected 6",
        "line 7: instagram 2026-01 already appears on line 2",
    ):
        assert expected in err
    assert _metrics(database) == []


def test_import_metrics_bad_header_and_missing_file(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "metrics.csv"
    csv_file.write_text("platform,bulan,followers\ninstagram,2026-01,1\n")
    assert _run("report", "import-metrics", str(csv_file)) == 2
    assert "line 1: header is" in capsys.readouterr().err
    assert _run("report", "import-metrics", str(tmp_path / "nope.csv")) == 2
    assert "no such file" in capsys.readouterr().err


def test_import_metrics_semicolon_csv_from_indonesian_excel(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "metrics.csv"
    # Excel with Indonesian regional settings: semicolons, a BOM, CRLF, 1.234 thousands.
    csv_file.write_bytes(
        "\ufeffplatform;month;followers;posts;comments;shares\r\n"
        "Instagram;2026-01;1.200;10;5;3\r\n"
        "facebook;2026-02;;12;;\r\n".encode()
    )
    assert _run("report", "import-metrics", str(csv_file)) == 0
    assert "2 new, 0 updated" in capsys.readouterr().out
    assert _metrics(database) == [
        ("facebook", "2026-02", None, None),
        ("instagram", "2026-01", 1200, 3),
    ]


def test_import_metrics_unicode_digits_are_named_not_a_traceback(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "metrics.csv"
    csv_file.write_text(
        "platform;month;followers;posts;comments;shares\n"
        "instagram;2026-01;4²;10;5;3\n"
        "instagram;２０２６-02;1;1;1;1\n"
        "youtube;2026-03;1,5;1;1;1\n",
        encoding="utf-8",
    )
    assert _run("report", "import-metrics", str(csv_file)) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    for expected in (
        "metrics.csv:line 2: followers '4²' is not a whole number",
        "metrics.csv:line 3: month '２０２６-02'",
        "metrics.csv:line 4: followers '1,5' is not a whole number",
    ):
        assert expected in captured.err
    assert _metrics(database) == []

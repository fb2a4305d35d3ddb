"""``python -m bot evaluasi 2026 --out DIR`` through the parser bot/__main__.py builds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from bot import texts
from bot.__main__ import build_parser
from storage.db import create_engine
from storage.migrate import upgrade_database
from storage.models import Agency


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'evaluasi.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AGENCY_CODE", "diskominfo-bone")
    upgrade_database(url)

    async def create() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(Agency),
                [
                    {"code": "diskominfo-bone", "name": "Dinas Kominfo Kabupaten Bone"},
                    {"code": "dukcapil-bone", "name": "Dinas Dukcapil Kabupaten Bone"},
                ],
            )
        await engine.dispose()

    asyncio.run(create())
    return url


def _run(*argv: str) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


def test_writes_docx_and_pdf(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hasil"
    assert _run("evaluasi", "2026", "--out", str(out), "--agencies", "dukcapil-bone") == 0
    docx_path = out / "evaluasi-2026-01-01-2026-12-31.docx"
    assert (out / "evaluasi-2026-01-01-2026-12-31.pdf").read_bytes().startswith(b"%PDF")
    document = Document(str(docx_path))
    names = [row.cells[0].text for row in document.tables[0].rows[1:]]
    # The evaluator is always compared too, first.
    assert names == ["Dinas Kominfo Kabupaten Bone", "Dinas Dukcapil Kabupaten Bone"]
    assert document.tables[0].rows[1].cells[-1].text == texts.EVALUATION_NO_DATA
    assert "evaluation of 2 agencies" in capsys.readouterr().out


def test_unknown_agency_is_one_line(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("evaluasi", "2026", "--out", str(tmp_path), "--agencies", "tidak-ada") == 2
    assert "no agency with code 'tidak-ada'" in capsys.readouterr().err


def test_bad_period(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("evaluasi", "20x6", "--out", str(tmp_path)) == 2
    assert capsys.readouterr().err.startswith("error: period:")


def test_agencies_file_names_the_agencies_and_the_evaluator(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agencies = tmp_path / "agencies.toml"
    agencies.write_text(
        "[[agency]]\n"
        'code = "dukcapil-bone"\nname = "Dinas Dukcapil Kabupaten Bone"\n'
        'token = "2:b"\nadmin_chat_id = -2\nevaluator = true\n'
        "[[agency]]\n"
        'code = "diskominfo-bone"\nname = "Dinas Kominfo Kabupaten Bone"\n'
        'token = "1:a"\nadmin_chat_id = -1\n',
        encoding="utf-8",
    )
    out = tmp_path / "hasil"
    assert _run("evaluasi", "2026", "--out", str(out), "--agencies-file", str(agencies)) == 0
    document = Document(str(out / "evaluasi-2026-01-01-2026-12-31.docx"))
    names = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert names == ["Dinas Dukcapil Kabupaten Bone", "Dinas Kominfo Kabupaten Bone"]
    # The cover is the evaluator's (the file's evaluator = true).
    assert "DINAS DUKCAPIL KABUPATEN BONE" in "\n".join(p.text for p in document.paragraphs)
    assert "evaluation of 2 agencies" in capsys.readouterr().out

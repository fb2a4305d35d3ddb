"""`kb ingest`: regulations and Standar Pelayanan documents (.txt, .docx, .pdf) -> passages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from bot.knowledge.cli import main
from bot.knowledge.documents import DocumentError, read_document
from bot.knowledge.index import SuggestionIndex
from bot.knowledge.ingest import ingest_text
from bot.knowledge.lexicon import DATA_DIR
from bot.knowledge.loader import load_files
from bot.knowledge.policy import passages_from_text
from bot.knowledge.service_standard import parse_services

ROOT = Path(__file__).resolve().parents[2]
REGULATION = DATA_DIR / "perbup-bone-22-2019.txt"
TITLE = "STANDAR PELAYANAN DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN BONE"
ROWS = [
    ("No", "Komponen", "Uraian"),
    (
        "1",
        "Persyaratan Pelayanan",
        "1. Surat keterangan lahir dari rumah sakit atau bidan\n2. Kartu Keluarga\n"
        "3. KTP-el kedua orang tua",
    ),
    (
        "2",
        "Sistem, Mekanisme dan Prosedur",
        "1. Pemohon mengambil nomor antrean\n2. Petugas memeriksa berkas\n3. Akta diserahkan",
    ),
    ("3", "Jangka Waktu Penyelesaian", "1 (satu) hari kerja sejak berkas lengkap"),
    ("4", "Biaya/Tarif", "Tidak dipungut biaya"),
    ("5", "Produk Pelayanan", "Kutipan Akta Kelahiran"),
    ("6", "Penanganan Pengaduan, Saran dan Masukan", "Kotak saran dan WhatsApp pengaduan"),
]


def write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Jenis Pelayanan: PENERBITAN AKTA KELAHIRAN")
    table = document.add_table(rows=0, cols=3)
    for row in ROWS:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph("Ditetapkan di Watampone")
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    y = 800.0
    for line in lines:
        if y < 60:
            page.showPage()
            y = 800.0
        page.drawString(50, y, line)
        y -= 16
    page.save()
    return path


def standard_pdf_lines() -> list[str]:
    lines = [TITLE, "Jenis Pelayanan: Penerbitan Kartu Keluarga"]
    lines += [
        "1. Persyaratan: Surat pengantar RT/RW dan buku nikah",
        "Biaya materai ditanggung pemohon",
        "2. Prosedur: Pemohon mengisi formulir F-1.01",
        "3. Jangka Waktu Penyelesaian 1 hari kerja",
        "4. Biaya/Tarif Gratis",
        "5. Produk Pelayanan Kartu Keluarga",
    ]
    return lines


def test_docx_standard_gives_one_entry_per_component(tmp_path: Path) -> None:
    text = read_document(write_docx(tmp_path / "sp.docx"))
    entries = {e.id.rsplit("-", 1)[-1]: e for e in ingest_text(text, fallback_name="sp").entries}
    assert set(entries) == {"persyaratan", "prosedur", "waktu", "biaya", "produk", "pengaduan"}
    requirement = entries["persyaratan"]
    assert "Apa persyaratan penerbitan akta kelahiran?" in requirement.questions
    assert "2. Kartu Keluarga" in requirement.answer
    assert "KTP-el" in requirement.answer
    assert "Petugas" not in requirement.answer  # the next row is the next component
    assert requirement.source == (
        "Standar Pelayanan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bone, "
        "Penerbitan Akta Kelahiran: Persyaratan"
    )
    assert requirement.is_passage
    assert "standar-pelayanan" in requirement.tags
    assert entries["waktu"].answer.endswith("1 (satu) hari kerja sejak berkas lengkap")
    assert "Berapa biaya penerbitan akta kelahiran?" in entries["biaya"].questions


def test_pdf_standard_without_table_separators(tmp_path: Path) -> None:
    text = read_document(write_pdf(tmp_path / "sp.pdf", standard_pdf_lines()))
    (service,) = parse_services(text)
    assert service.name == "Penerbitan Kartu Keluarga"
    bodies = {c.key: c.body for c in service.components}
    assert list(bodies) == ["persyaratan", "prosedur", "jangka-waktu", "biaya", "produk"]
    # "Biaya materai ..." is an ordinary sentence of the requirements, not the fee component.
    assert bodies["persyaratan"].endswith("Biaya materai ditanggung pemohon")
    assert bodies["biaya"] == "Gratis"
    assert bodies["jangka-waktu"] == "1 hari kerja"


def test_regulation_pdf_is_read_like_its_text(tmp_path: Path) -> None:
    text = REGULATION.read_text(encoding="utf-8")
    pdf = write_pdf(tmp_path / "perbup.pdf", [line for line in text.splitlines() if line][:400])
    ingested = ingest_text(read_document(pdf), fallback_name="perbup")
    from_text = passages_from_text(text)
    assert ingested.components == []
    assert [e.id for e in ingested.articles] == [e.id for e in from_text[: len(ingested.articles)]]
    assert len(ingested.articles) >= 5
    assert ingested.articles[0].source == "Perbup Bone 22/2019 Pasal 1"


def test_regulation_with_a_standard_in_its_lampiran() -> None:
    regulation = REGULATION.read_text(encoding="utf-8")
    lampiran = "\n".join(
        ["LAMPIRAN", TITLE, "Jenis Pelayanan: Penerbitan KIA"]
        + [" | ".join(row) for row in ROWS[1:4]]
    )
    ingested = ingest_text(f"{regulation}\n{lampiran}\n", fallback_name="perbup")
    assert len(ingested.articles) == len(passages_from_text(regulation))
    ids = [e.id for e in ingested.components]
    assert ids == [
        "perbup-bone-22-2019-lampiran-penerbitan-kia-persyaratan",
        "perbup-bone-22-2019-lampiran-penerbitan-kia-prosedur",
        "perbup-bone-22-2019-lampiran-penerbitan-kia-jangka-waktu",
    ]
    assert ingested.components[0].source == (
        "Perbup Bone 22/2019 Lampiran, Penerbitan KIA: Persyaratan"
    )
    assert "Apa persyaratan penerbitan KIA?" in ingested.components[0].questions


def test_cli_writes_a_valid_knowledge_base_that_answers(tmp_path: Path) -> None:
    out = tmp_path / "sp.yaml"
    assert main(["kb", "ingest", str(write_docx(tmp_path / "sp.docx")), "--out", str(out)]) == 0
    loaded = load_files([out])
    assert loaded.problems == []
    assert len(loaded.entries) == 6
    index = SuggestionIndex.build(loaded.entries)
    ranked = [m.entry.id for m in index.suggest("brp lama bikin akta kelahiran?").matches]
    assert any(entry_id.endswith("jangka-waktu") for entry_id in ranked[:3])


def test_document_with_neither_articles_nor_components(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "surat.txt"
    plain.write_text("Selamat pagi, ini hanya surat biasa.", encoding="utf-8")
    assert main(["kb", "ingest", str(plain)]) == 2
    assert f"{plain}: found neither 'Pasal' articles" in capsys.readouterr().err


def test_ingest_policy_still_works_on_every_format(tmp_path: Path) -> None:
    out = tmp_path / "passages.yaml"
    assert main(["kb", "ingest-policy", str(REGULATION), "--out", str(out)]) == 0
    assert load_files([out]).entries == passages_from_text(REGULATION.read_text("utf-8"))
    # A Standar Pelayanan has no Pasal: ingest-policy says so, ingest reads it.
    sp = write_docx(tmp_path / "sp.docx")
    assert main(["kb", "ingest-policy", str(sp)]) == 2
    assert main(["kb", "ingest", str(sp), "--out", str(out)]) == 0


def encrypted_pdf(path: Path) -> Path:
    plain = write_pdf(path.with_name("plain.pdf"), standard_pdf_lines())
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password="rahasia", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def not_a_zip(path: Path) -> Path:
    path.write_text("this was renamed from .doc", encoding="utf-8")
    return path


def empty_text(path: Path) -> Path:
    path.write_text("  \n\n", encoding="utf-8")
    return path


def image_only_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(100, 100, 200, 200, fill=1)
    page.save()
    return path


def broken_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\nnot really a pdf")
    return path


def unsupported(path: Path) -> Path:
    path.write_text("Persyaratan: KTP", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("missing.pdf", None, "file not found"),
        ("sp.odt", unsupported, "unsupported file type '.odt'"),
        ("sp.docx", not_a_zip, "not a valid DOCX file"),
        ("sp.txt", empty_text, "contains no text"),
        ("sp.pdf", encrypted_pdf, "encrypted"),
        ("scan.pdf", image_only_pdf, "no text layer"),
        ("sp.pdf", broken_pdf, "not a readable PDF"),
    ],
)
def test_bad_files_name_the_file_and_exit_2(
    tmp_path: Path, name: str, make: object, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if callable(make):
        make(path)
    with pytest.raises(DocumentError, match=says):
        read_document(path)
    assert main(["kb", "ingest", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ")
    assert says in err
    assert "Traceback" not in err


def test_real_command_without_traceback(tmp_path: Path) -> None:
    bad = not_a_zip(tmp_path / "sp.docx")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "ingest", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr
    assert "Traceback" not in result.stderr

from __future__ import annotations

from pathlib import Path

from bot.knowledge.index import SuggestionIndex
from bot.knowledge.lexicon import DATA_DIR
from bot.knowledge.loader import load_files
from bot.knowledge.policy import describe_regulation, parse_articles, passages_from_text
from bot.knowledge.store import bundled_kb_paths

REGULATION = DATA_DIR / "perbup-bone-22-2019.txt"


def test_every_pasal_in_the_text_is_found() -> None:
    articles = parse_articles(REGULATION.read_text(encoding="utf-8"))
    # Pasal 17 is missing from the published text itself; the parser must not invent it.
    assert [a.number for a in articles] == [*range(1, 17), 18]
    by_number = {a.number: a for a in articles}
    assert by_number[5].chapter == "Manfaat Dan Sasaran"  # "BAB IV MANFAAT DAN SASARAN"
    assert by_number[11].section == "Mekanisme Pengelolaan"  # one-line Bagian heading
    assert by_number[3].section == "Prinsip"
    assert by_number[4].section == ""
    assert by_number[13].section == "Syarat Pengelola"
    assert "(3) Laporan" in by_number[15].body
    assert "h. Rekomendasi" in by_number[15].body


def test_passage_entries() -> None:
    text = REGULATION.read_text(encoding="utf-8")
    assert describe_regulation(text).name == "Perbup Bone 22/2019"
    entries = {e.id: e for e in passages_from_text(text)}
    passage = entries["perbup-bone-22-2019-pasal-15"]
    assert passage.source == "Perbup Bone 22/2019 Pasal 15"
    assert passage.is_passage
    assert len(passage.answer) <= 4096
    assert any("laporan" in q.lower() for q in passage.questions)
    assert "perbup-bone-22-2019-pasal-17" not in entries


def test_bundled_passages_match_the_command_output() -> None:
    bundled = load_files([DATA_DIR / "perbup-bone-22-2019.yaml"]).entries
    assert bundled == passages_from_text(REGULATION.read_text(encoding="utf-8"))


def test_question_about_an_article_finds_it() -> None:
    index = SuggestionIndex.build(passages_from_text(REGULATION.read_text(encoding="utf-8")))
    best = index.suggest("sarana komputer dan jaringan internet untuk layanan medsos").best
    assert best is not None
    assert best.entry.source == "Perbup Bone 22/2019 Pasal 14"


def test_curated_entry_outranks_its_passage() -> None:
    index = SuggestionIndex.build(load_files(bundled_kb_paths()).entries)
    matches = index.suggest("pasal 15 perbup 22 2019 isinya apa").matches
    ids = [m.entry.id for m in matches]
    assert ids[0] == "laporan-tahunan-medsos"
    assert "perbup-bone-22-2019-pasal-15" in ids


def test_text_without_pasal(tmp_path: Path) -> None:
    assert passages_from_text("hanya teks biasa\ntanpa pasal") == []

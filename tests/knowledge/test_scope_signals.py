"""Signals that a message is about one person's file or a complaint, not a general answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.index import (
    COMPLAINT_FACTOR,
    OWN_CASE_FACTOR,
    MatcherOptions,
    SuggestionIndex,
)
from bot.knowledge.loader import load_files

DEV_KB = Path(__file__).parent / "data" / "dev_kb.yaml"


@pytest.fixture(scope="module")
def index() -> SuggestionIndex:
    return SuggestionIndex.build(load_files([DEV_KB]).entries)


@pytest.mark.parametrize(
    "query",
    [
        "ktp ibu saya yg diajukan bulan lalu sdh bisa diambil?",
        "akta nikah anak sy sudah jadi belum ya",
        "tolong dicek nama bapak saya ada di daftar penerima bansos",
    ],
)
def test_relative_with_status_question_is_own_case(index: SuggestionIndex, query: str) -> None:
    assert index._scope_penalty(query) == pytest.approx(OWN_CASE_FACTOR)


@pytest.mark.parametrize(
    "query",
    [
        "akta kelahiran anak saya hilang, bagaimana cara mengurus yang baru?",
        "syarat bantuan bedah rumah untuk orang tua saya apa saja?",
    ],
)
def test_relative_in_a_general_question_costs_nothing(index: SuggestionIndex, query: str) -> None:
    assert index._scope_penalty(query) == 1.0


def test_complaint_about_village_head_is_lowered(index: SuggestionIndex) -> None:
    query = "kepala desa kami minta uang untuk tanda tangan surat, ini pungli kan?"
    assert index._scope_penalty(query) == pytest.approx(COMPLAINT_FACTOR)
    relaxed = SuggestionIndex.build(index.entries, options=MatcherOptions(case=False))
    assert relaxed._scope_penalty(query) == 1.0

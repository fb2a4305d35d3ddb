"""Quality bar on the faq-dev set and a held-out-style set against the bundled KB."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.evaluate import evaluate, load_cases
from bot.knowledge.index import DEFAULT_THRESHOLD, SuggestionIndex
from bot.knowledge.loader import load_files
from bot.knowledge.store import bundled_kb_paths


def test_dev_set_figures(data_dir: Path) -> None:
    index = SuggestionIndex.build(load_files([data_dir / "dev_kb.yaml"]).entries)
    report = evaluate(index, load_cases(data_dir / "dev_cases.yaml"), DEFAULT_THRESHOLD)
    assert report.top1 >= 0.93, report.summary()
    assert report.top3 >= 0.98, report.summary()
    assert report.out_of_scope_rejected >= 0.9, report.summary()
    # Was 0.92 under the old piecewise score. The calibrated confidence (issue 9) leaves
    # seven right but long, context-heavy dev questions below 0.5 (a leaning tree "pohon
    # miring ... angin kencang", UKT fees, a wall "dindingnya bambu sdh lapuk", SIP renewal
    # "SIP perawat hbs masa berlakunya"), where on citizens' messages (the tuning part) such
    # scores are right only about one time in three; measured 88.9 %.
    assert report.overall >= 0.88, report.summary()


TUNE = Path(__file__).parent / "data" / "eval" / "tune"
FAQ_DEV_KB = Path(__file__).parent.parent / "data" / "faq-dev-kb.yaml"


@pytest.mark.parametrize(
    ("name", "floors"),
    [
        # top-1, top-3, out of scope left unsuggested, overall; measured 86.7/94.9/91.7/83.6 %
        # with the relative-as-own-case, official-complaint and vehicle signals (before them
        # 86.7/94.9/87.5/82.2 %; on main before issue 9's matcher work: 80.6/92.9/60.4/70.5 %)
        ("bundled", (0.86, 0.94, 0.91, 0.83)),
        # measured 97.5/100/88.2/91.5 % (before the signals 97.5/100/85.3/90.4 %; before
        # issue 9: 97.5/100/58.8/81.9 %)
        ("faqdev", (0.97, 0.99, 0.88, 0.91)),
    ],
)
def test_tuning_part_figures(name: str, floors: tuple[float, float, float, float]) -> None:
    # The tuning part of the blind set was looked at while changing the matcher, so these
    # floors guard against regressions; they say nothing about unseen messages.
    paths = bundled_kb_paths() if name == "bundled" else [FAQ_DEV_KB]
    index = SuggestionIndex.build(load_files(paths).entries)
    report = evaluate(index, load_cases(TUNE / f"{name}.yaml"), DEFAULT_THRESHOLD)
    top1, top3, rejected, overall = floors
    assert report.top1 >= top1, report.summary()
    assert report.top3 >= top3, report.summary()
    assert report.out_of_scope_rejected >= rejected, report.summary()
    assert report.overall >= overall, report.summary()


def test_blind_set_figures(data_dir: Path) -> None:
    # Written before the engine was run on it, in the held-out style (other services);
    # before tuning it scored top-1 97.5%, top-3 100%, out of scope 90%, overall 92.2%.
    index = SuggestionIndex.build(load_files([data_dir / "blind_kb.yaml"]).entries)
    report = evaluate(index, load_cases(data_dir / "blind_cases.yaml"), DEFAULT_THRESHOLD)
    assert report.top1 >= 0.95, report.summary()
    assert report.top3 >= 0.98, report.summary()
    assert report.out_of_scope_rejected >= 0.9, report.summary()
    assert report.overall >= 0.94, report.summary()


def test_named_file_status_question_is_not_confident(data_dir: Path) -> None:
    index = SuggestionIndex.build(load_files([data_dir / "blind_kb.yaml"]).entries)
    named = index.suggest("sertipikat tanah atas nama Baso Tang sdh terbit blm?")
    assert not named.confident
    general = index.suggest("sertipikat tanah lewat program ptsl syaratnya apa?")
    assert general.confident
    assert general.best is not None
    assert general.best.entry.id == "sertifikat-tanah-ptsl"


def test_bundled_kb_generalizes(data_dir: Path) -> None:
    index = SuggestionIndex.build(load_files(bundled_kb_paths()).entries)
    report = evaluate(index, load_cases(data_dir / "bundled_cases.yaml"), DEFAULT_THRESHOLD)
    assert report.top1 >= 0.85, report.summary()
    assert report.top3 >= 0.95, report.summary()
    assert report.out_of_scope_rejected >= 0.9, report.summary()
    assert report.overall >= 0.85, report.summary()


def test_out_of_scope_stress_set_is_not_confident(data_dir: Path) -> None:
    # Questions on topics neither KB covers (events, prices, other services, other regions,
    # named people, chit-chat, spam) that share generic words with entries.
    cases = load_cases(data_dir / "out_of_scope_extra.yaml")
    assert len(cases) >= 40
    assert all(case.expected is None for case in cases)
    for paths in ([data_dir / "dev_kb.yaml"], bundled_kb_paths()):
        index = SuggestionIndex.build(load_files(paths).entries)
        report = evaluate(index, cases, DEFAULT_THRESHOLD)
        misses = [r.case.query for r in report.results if r.confident]
        assert report.out_of_scope_rejected >= 0.9, (paths, misses)


def test_unknown_topic_words_keep_confidence_down(data_dir: Path) -> None:
    # Only generic words ("bone", "tahun") are shared; "festival budaya" is new to the KB
    # and must neither be matched nor "repaired" into a KB word (budaya -> budidaya).
    index = SuggestionIndex.build(load_files([data_dir / "dev_kb.yaml"]).entries)
    suggestions = index.suggest("kapan festival budaya bone tahun ini diadakan?")
    assert not suggestions.confident
    assert suggestions.best is None or suggestions.best.score < 0.35


def test_out_of_scope_and_empty_queries_are_not_confident(data_dir: Path) -> None:
    index = SuggestionIndex.build(load_files([data_dir / "dev_kb.yaml"]).entries)
    for query in ["", "   ", "🙏🙏", "assalamualaikum", "di Kabupaten Gowa sewa gedung pemda?"]:
        assert not index.suggest(query).confident, query
    suggestions = index.suggest("mau panggil ambulans", top=2)
    assert suggestions.confident
    assert len(suggestions.matches) <= 2
    assert all(0.0 <= m.score <= 1.0 for m in suggestions.matches)


def test_empty_index() -> None:
    assert SuggestionIndex.build([]).suggest("ambulans").matches == []


def test_other_body_service_is_not_confident_unless_the_entry_is_about_it() -> None:
    index = SuggestionIndex.build(load_files(bundled_kb_paths()).entries)
    # KUA registers Muslim marriages; the bundled entries are about Disdukcapil's records.
    assert not index.suggest("daftar nikah di KUA Kecamatan Sibulue syaratnya apa?").confident
    # The entry on the kabupaten's BPJS PBI names BPJS itself, so it is not penalized.
    bpjs = index.suggest("bpjs pbi dari pemda daftarnya gimana?")
    assert bpjs.best is not None
    assert bpjs.best.entry.id == "bpjs-pbi-daerah"
    assert bpjs.confident


def test_confidence_never_rises_down_the_list(data_dir: Path) -> None:
    index = SuggestionIndex.build(load_files([data_dir / "dev_kb.yaml"]).entries)
    for case in load_cases(data_dir / "dev_cases.yaml"):
        scores = [score for _, score in index.score_all(case.query)]
        assert scores == sorted(scores, reverse=True), case.query
        assert all(0.0 <= score <= 1.0 for score in scores)


def test_names_places_and_codes_barely_move_confidence() -> None:
    index = SuggestionIndex.build(load_files(bundled_kb_paths()).entries)
    plain = index.suggest("syarat akta kelahiran anak apa saja?")
    named = index.suggest("sy Nurhaedah dr Jeppee, syarat akta kelahiran anak apa saja?")
    assert plain.best is not None
    assert named.best is not None
    assert plain.best.entry.id == named.best.entry.id == "akta-kelahiran"
    assert named.confident
    assert named.best.score >= plain.best.score - 0.1

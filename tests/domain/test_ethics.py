"""The Pasal 12 ethics rule and the personal-data detectors it reads (property tests)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from bot.domain.ethics import (
    EthicsIssue,
    EthicsPolicy,
    PersonalDatum,
    check_answer,
    normalise_datum,
    words_in,
)
from bot.privacy import personal_data_items
from bot.services.audit import AuditTrail
from bot.services.ethics import EthicsChecker, abusive_words
from tests.fakes.clock import FakeClock

# Plain answer words: letters only, so they never look like personal data.
WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnoprstuwy", min_size=3, max_size=9), min_size=1, max_size=8
)
NIK = st.from_regex(r"\A[1-9]\d{15}\Z", fullmatch=True).filter(lambda s: not s.startswith("8"))
PHONE = st.from_regex(r"\A08[1-9]\d{7,10}\Z", fullmatch=True)
EMAIL = st.from_regex(r"\A[a-z]{2,8}\.[a-z]{2,6}@[a-z]{3,8}\.(go\.id|com)\Z", fullmatch=True)
POLICY = EthicsPolicy.of(confidential=["rapat tertutup", "nota dinas"], abusive=abusive_words())


def _check(answer: str, citizen: str = "") -> set[EthicsIssue]:
    verdict = check_answer(
        answer,
        answer_data=personal_data_items(answer),
        citizen_data=personal_data_items(citizen),
        policy=POLICY,
    )
    return set(verdict.issues())


@given(words=WORDS, value=st.one_of(NIK, PHONE, EMAIL), at=st.integers(min_value=0))
def test_other_peoples_data_is_found_wherever_it_stands(
    words: list[str], value: str, at: int
) -> None:
    position = at % (len(words) + 1)
    answer = " ".join([*words[:position], value, *words[position:]])
    assert [normalise_datum(d.value) for d in personal_data_items(answer)] == [
        normalise_datum(value)
    ]
    assert _check(answer, citizen="Mohon bantuan, Pak.") == {EthicsIssue.PERSONAL_DATA}


@given(words=WORDS, value=st.one_of(NIK, PHONE, EMAIL))
def test_the_citizens_own_data_quoted_back_passes(words: list[str], value: str) -> None:
    citizen = f"Saya sudah daftar dengan {value} tapi belum ada kabar"
    answer = " ".join([*words, value])
    assert _check(answer, citizen=citizen) == set()


@given(phone=PHONE)
def test_plus62_and_leading_zero_are_the_same_number(phone: str) -> None:
    international = "+62" + phone[1:]
    assert normalise_datum(international) == normalise_datum(phone)
    assert _check(f"Kami hubungi {international}", citizen=f"hp saya {phone}") == set()


@given(words=WORDS)
def test_plain_words_pass(words: list[str]) -> None:
    answer = " ".join(words)
    clean = {w for w in words if w not in abusive_words()}
    assert personal_data_items(answer) == []
    if clean == set(words):
        assert _check(answer) == set()


@given(words=WORDS, word=st.sampled_from(sorted(abusive_words())), upper=st.booleans())
def test_abusive_words_are_found_in_any_case(words: list[str], word: str, upper: bool) -> None:
    answer = " ".join([*words, (word.upper() if upper else word) + "!"])
    assert EthicsIssue.ABUSIVE in _check(answer)


def test_confidential_phrases_match_whole_words_only() -> None:
    assert words_in("Hasil Rapat  Tertutup kemarin", POLICY.confidential_words) == {
        "rapat tertutup"
    }
    assert words_in("rapat tertutupnya", POLICY.confidential_words) == set()
    assert _check("Menurut nota dinas kami") == {EthicsIssue.CONFIDENTIAL}


def test_rupiah_amounts_and_short_numbers_are_not_personal_data() -> None:
    assert personal_data_items("Biaya Rp 1.500.000.000, antre nomor 12 di loket 3") == []


def test_bank_account_numbers_are_personal_data() -> None:
    found = personal_data_items("Transfer ke rekening 1234567890 a.n. dinas")
    assert found == [PersonalDatum("number", "1234567890")]


def test_checker_uses_the_agency_words_and_the_citizen_messages() -> None:
    checker = EthicsChecker(
        confidential_words=["Draft SK"], audit=AuditTrail(clock=FakeClock(), agency_id=1)
    )
    verdict = checker.check(
        "Draft SK belum terbit; NIK 7308123456789012 milik Bapak lain",
        citizen_texts=["NIK saya 7308999999999999"],
    )
    assert [(f.issue, f.kind) for f in verdict.findings] == [
        (EthicsIssue.PERSONAL_DATA, "nik"),
        (EthicsIssue.CONFIDENTIAL, "draft sk"),
    ]
    assert checker.check("NIK Anda 7308999999999999", citizen_texts=["7308999999999999"]).passed

"""Every section's figures against the hand-built record in conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.statistics import median_from_middle, median_of, median_ranks
from bot.reports import ReportData, compile_report, parse_period
from bot.services.performance import performance_figures
from storage.db import create_session_maker
from tests.reports.conftest import NOW, TITLES, TOPICS, make_settings


async def _compile(engine: AsyncEngine, period: str = "2026") -> ReportData:
    async with create_session_maker(engine)() as session:
        return await compile_report(
            session,
            settings=make_settings(),
            period=parse_period(period, date(2027, 1, 5)),
            agency_id=1,
            topics=TOPICS,
            titles=TITLES,
            now=NOW,
        )


@pytest.fixture
async def data(record: AsyncEngine) -> ReportData:
    return await _compile(record)


def test_summary(data: ReportData) -> None:
    s = data.summary
    assert (s.tickets_in, s.answered, s.ignored, s.open) == (8, 5, 1, 2)
    # Responses 600, 1200, 1800, 3600, 5400 s: median = 3rd, nearest-rank p90 = 5th.
    assert s.median_first_response_minutes == 30.0
    assert s.p90_first_response_minutes == 90.0
    assert s.within_target == 4
    assert s.within_target_share == pytest.approx(0.8)
    # Out: 5 answers and 2 acknowledgements reached citizens; a digest and an untagged
    # message did not.
    assert (s.messages_in, s.messages_to_public) == (9, 7)
    assert data.period_complete is True
    assert data.period.label == "Tahun 2026"


def test_a_policy(data: ReportData) -> None:
    p = data.policy
    assert "Peraturan Bupati" in p.policy_text
    assert "Pasal 11" in p.sop_reference
    assert p.official_accounts == ["@bone_uji", "facebook.com/boneuji"]
    assert p.channel_id == -100123
    assert data.agency_name == "Dinas Uji Kabupaten Bone"


def test_b_audience(data: ReportData) -> None:
    a = data.audience
    assert (a.citizens_served, a.citizens_new, a.citizens_returning) == (2, 1, 1)
    ch = a.channel
    assert ch.recorded_days == 4
    assert (ch.first_day, ch.first, ch.last_day, ch.last) == (
        date(2026, 1, 1),
        100,
        date(2026, 12, 31),
        150,
    )
    assert (ch.minimum, ch.maximum) == (90, 150)
    by_month = {m.month: m.value for m in ch.by_month}
    assert len(by_month) == 12
    assert (by_month["2026-01"], by_month["2026-02"], by_month["2026-03"]) == (110, 90, None)
    platforms = {p.platform: p for p in a.platforms}
    assert set(platforms) == {"instagram", "telegram"}
    insta = platforms["instagram"]
    assert (insta.followers, insta.last_month, insta.posts, insta.shares) == (
        1100,
        "2026-02",
        10,
        7,
    )
    assert platforms["telegram"].followers is None


def test_c_content(data: ReportData) -> None:
    c = data.content
    assert c.messages_in == 9
    assert c.tickets == 8
    assert {k.key: k.count for k in c.by_kind} == {
        "pertanyaan": 4,
        "pengaduan": 1,
        "aspirasi": 1,
        "permintaan_informasi": 0,
        "komentar": 2,
    }
    # faq-akta is tagged (kependudukan, akta): its ticket counts once, under the main tag,
    # so the topic table sums to the tickets with a topic.
    assert [(t.key, t.label, t.count) for t in c.by_topic] == [
        ("kependudukan", "Administrasi kependudukan", 3)
    ]
    assert sum(t.count for t in c.by_topic) == sum(e.count for e in c.top_entries)
    assert [(e.entry_id, e.count) for e in c.top_entries] == [("faq-ktp", 2), ("faq-akta", 1)]
    assert c.top_entries[0].title == TITLES["faq-ktp"]
    assert c.unmapped_tickets == 3
    assert c.faq_gaps == 2  # tickets 3 and 7; spam and comments are no FAQ gap
    assert [(t.example, t.tickets) for t in c.gap_topics] == [
        ("NIK saya [NIK disamarkan] belum aktif", 1),
        ("Puskesmas tutup, telp [nomor telepon disamarkan]", 1),
    ]
    assert c.gap_other_tickets == 0


def test_d_comments(data: ReportData) -> None:
    d = data.comments
    assert (d.comment_tickets, d.posts_with_comments) == (2, 1)
    assert [(p.post_id, p.comments) for p in d.by_post] == [(1, 2)]
    assert d.by_post[0].snippet.startswith("Pendaftaran KTP keliling")
    # Both comments are praise: no FAQ topic (ticket 4 was answered with faq-ktp).
    assert [(t.tone, t.comments) for t in d.by_tone] == [("dukungan", 2)]
    assert d.by_tone[0].example in (
        "Mantap infonya",
        "Info bagus [akun disamarkan], balas ke [email disamarkan]",
    )
    assert d.by_topic == []
    assert d.comments_with_topic == 0
    assert [
        (p.platform, p.comments, p.first_month, p.last_month) for p in d.imported_comments
    ] == [("instagram", 5, "2026-01", "2026-02")]


def test_e_sharing(data: ReportData) -> None:
    e = data.sharing
    assert (e.answers_sent, e.answered_tickets, e.posts_published) == (5, 5, 2)
    assert (e.public_messages, e.internal_messages) == (7, 2)
    assert {k.key: k.count for k in e.public_by_purpose} == {"answer": 5, "ack": 2}
    assert {k.key: k.count for k in e.internal_by_purpose} == {"digest": 1, "lainnya": 1}
    assert e.public_messages == data.summary.messages_to_public
    assert e.telegram_shares == 7  # only the imported figure, never an invented one
    # Issue 12: posts per Pasal 10 category (post 3 is outside the period).
    assert [(k.key, k.count) for k in e.posts_by_category] == [("kegiatan", 1), ("", 1)]
    assert e.posts_by_category[0].label.startswith("Informasi terkait kegiatan")


def test_f_forwarding(data: ReportData) -> None:
    f = data.forwarding
    assert f.tickets_forwarded == 1
    assert [(k.key, k.count) for k in f.by_destination] == [("Dinas Kesehatan", 1)]
    assert f.citizen_forwarded_messages == 1


def test_g_constraints(data: ReportData) -> None:
    g = data.constraints
    assert (g.answered_measured, g.within_target, g.missed_target) == (5, 4, 1)
    assert {k.key: k.count for k in g.missed_by_kind}["pertanyaan"] == 1
    # 20:00 Tuesday, 21:00 Wednesday, a Sunday and 1 January (a holiday) are after hours.
    assert g.after_hours_tickets == 4
    assert g.after_hours_share == pytest.approx(0.5)
    assert g.break_tickets == 0
    assert g.open_tickets == 2
    assert g.overdue_open_tickets == 2
    assert [(k.key, k.count) for k in g.ignored_by_reason] == [("spam", 1)]
    assert g.downtime_recorded is False
    # A power cut is outside the office's control: an external constraint.
    assert g.internal_notes == []
    assert [n.day for n in g.external_notes] == [date(2026, 5, 1)]
    assert g.external_notes[0].text == "Listrik padam, hubungi [nomor telepon disamarkan]"
    assert g.forwarded_tickets == 1


def test_h_recommendations(data: ReportData) -> None:
    plans = data.recommendations.plans
    assert all(p.action and p.owner and p.due and p.basis for p in plans)
    joined = " ".join(f"{p.action} {p.basis}" for p in plans)
    assert "2 pertanyaan" in joined  # FAQ gaps
    assert "pertanyaan" in joined
    assert "66,7%" in joined
    assert "50,0%" in joined  # after hours
    assert "Dinas Kesehatan" in joined
    # Compiled on 5 January 2027: derived plans are due by the end of the next quarter.
    assert {p.due for p in plans[:-1]} >= {"s.d. 30 Juni 2027"}
    assert plans[-1].action == "Tambah admin piket"
    assert plans[-1].basis == "Catatan petugas, 1 Juni 2026"


def test_series(data: ReportData) -> None:
    s = data.series
    assert s.months[0] == "2026-01"
    assert s.months[-1] == "2026-12"
    assert s.messages_in == [1, 0, 3, 3, 1, 0, 0, 0, 0, 0, 0, 1]
    assert s.tickets == [1, 0, 2, 3, 1, 0, 0, 0, 0, 0, 0, 1]
    # March: 600 and 5400 s, the mean of the two middle values; April: 1800 and 1200.
    assert s.median_response_minutes[:4] == [60.0, None, 50.0, 25.0]
    assert s.target_minutes == 60


async def test_month_period_and_agency_isolation(record: AsyncEngine) -> None:
    april = await _compile(record, "2026-04")
    assert april.summary.tickets_in == 3
    assert april.series.months == ["2026-04"]
    assert april.audience.channel.recorded_days == 0
    may = await _compile(record, "2026-05")
    assert may.summary.tickets_in == 1  # agency 2's ticket of 5 May is not counted


async def test_period_not_ended_is_labelled_to_date(record: AsyncEngine) -> None:
    async with create_session_maker(record)() as session:
        data = await compile_report(
            session,
            settings=make_settings(),
            period=parse_period("2026", date(2026, 6, 2)),
            agency_id=1,
            now=datetime(2026, 6, 2, 4, 0, tzinfo=UTC),
        )
    assert data.period_complete is False
    assert data.period.label == "Tahun 2026 (s.d. 2 Juni 2026)"
    assert data.period.end == date(2026, 6, 2)
    assert data.series.months[-1] == "2026-06"


async def test_empty_database(engine: AsyncEngine) -> None:
    data = await _compile(engine)
    assert data.summary.tickets_in == 0
    assert data.summary.median_first_response_minutes is None
    assert data.summary.within_target_share is None
    assert data.sharing.telegram_shares is None
    assert data.recommendations.plans  # says what to set up


@pytest.mark.parametrize("period", ["2026", "2026-03", "2026-04"])
async def test_report_and_kinerja_give_the_same_median(record: AsyncEngine, period: str) -> None:
    """One statistics function: /kinerja and the report agree for the same period, also
    for an even number of answers (March and April have two each)."""
    settings = make_settings()
    parsed = parse_period(period, date(2027, 1, 5))
    start, end = parsed.utc_range(settings.tz)
    async with create_session_maker(record)() as session:
        report = await compile_report(
            session, settings=settings, period=parsed, agency_id=1, now=NOW
        )
        kinerja = await performance_figures(
            session, agency_id=1, start=start, end=end, target_seconds=3600, now=NOW
        )
    assert kinerja.response.median_seconds is not None
    assert report.summary.median_first_response_minutes == round(
        kinerja.response.median_seconds / 60, 1
    )
    assert report.summary.p90_first_response_minutes == round(
        (kinerja.response.p90_seconds or 0) / 60, 1
    )


def test_median_of_even_count_is_the_mean_of_the_middle_pair() -> None:
    assert median_ranks(4) == (2, 3)
    assert median_ranks(5) == (3, 3)
    assert median_of([600, 5400]) == 3000
    assert median_from_middle(600, 5400) == median_of([600, 5400])

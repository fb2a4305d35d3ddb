from __future__ import annotations

from bot.knowledge.gaps import group_unanswered


def test_groups_similar_questions_deterministically() -> None:
    questions = [
        (5, "jadwal vaksin rabies kucing kapan?"),
        (1, "kapan ada vaksin rabies gratis utk anjing?"),
        (3, "harga tiket masuk pantai tanjung pallette brp?"),
        (2, "vaksin rabies utk hewan peliharaan dmn?"),
        (4, "Assalamualaikum 🙏"),
        (6, "tiket pantai tanjung pallette berapa ya"),
    ]
    groups = group_unanswered(questions)
    assert [g.ticket_ids for g in groups] == [[1, 2, 5], [3, 6]]
    assert groups[0].count == 3
    assert groups[0].representative in {q for _, q in questions}
    assert group_unanswered(list(reversed(questions))) == groups


def test_empty_input() -> None:
    assert group_unanswered([]) == []

"""NUL characters, which PostgreSQL cannot store, are removed from every string."""

from __future__ import annotations

from bot.transport.sanitize import strip_nul


def test_nul_removed_everywhere_and_the_rest_kept() -> None:
    update = {
        "update_id": 7,
        "message": {
            "text": "halo\x00 dunia\x00",
            "entities": [{"type": "bold", "offset": 0, "length": 4}],
            "caption": "\u202e\u200b<b>&",
            "from": {"first_name": "\x00Andi", "is_bot": False},
            "n\x00": ["a\x00", 3, None, 1.5],
        },
    }
    assert strip_nul(update) == {
        "update_id": 7,
        "message": {
            "text": "halo dunia",
            "entities": [{"type": "bold", "offset": 0, "length": 4}],
            "caption": "\u202e\u200b<b>&",
            "from": {"first_name": "Andi", "is_bot": False},
            "n": ["a", 3, None, 1.5],
        },
    }

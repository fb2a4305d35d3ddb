"""The agencies file: validation and the per-agency settings it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.agencies import agency_settings, load_agencies
from bot.config import Settings

TWO = """
[[agency]]
code = "diskominfo-bone"
name = "Dinas Kominfo"
token = "111:aaa"
admin_chat_id = -1001
official_ids = [11]
evaluator = true

[[agency]]
code = "dukcapil-bone"
name = "Dinas Dukcapil"
token = "222:bbb"
admin_chat_id = -1002
admin_ids = [21, 22]
kb_paths = ["kb/dukcapil"]
channel_id = -1009
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_agencies_get_their_own_settings(tmp_path: Path) -> None:
    agencies = load_agencies(_file(tmp_path, TWO))
    assert agencies.evaluator is not None
    assert agencies.evaluator.code == "diskominfo-bone"
    base = Settings(first_response_minutes=45)
    by_code = agency_settings(base, agencies)
    assert list(by_code) == ["diskominfo-bone", "dukcapil-bone"]
    dukcapil = by_code["dukcapil-bone"]
    assert dukcapil.bot_token is not None
    assert dukcapil.bot_token.get_secret_value() == "222:bbb"
    assert (dukcapil.admin_chat_id, dukcapil.admin_ids, dukcapil.official_ids) == (
        -1002,
        [21, 22],
        [],
    )
    assert (dukcapil.kb_paths, dukcapil.channel_id) == (["kb/dukcapil"], -1009)
    assert by_code["diskominfo-bone"].official_ids == [11]
    # Shared rules stay the deployment's.
    assert dukcapil.first_response_minutes == 45


def test_no_file_keeps_the_single_agency_settings() -> None:
    base = Settings(agency_code="satu")
    assert agency_settings(base, None) == {"satu": base}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('token = "222:bbb"', 'token = "111:aaa"'), "own token"),
        (("admin_chat_id = -1002", "admin_chat_id = -1001"), "own admin_chat_id"),
        (('code = "dukcapil-bone"', 'code = "diskominfo-bone"'), "own code"),
        (("channel_id = -1009", "channel_id = -1009\nevaluator = true"), "at most one"),
        (("channel_id = -1009", 'channel_id = -1009\nwarna = "biru"'), "Extra inputs"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_agencies(_file(tmp_path, TWO.replace(*change)))


def test_token_is_not_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="own token") as caught:
        load_agencies(_file(tmp_path, TWO.replace('"222:bbb"', '"111:aaa"')))
    assert "111:aaa" not in str(caught.value)

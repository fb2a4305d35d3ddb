"""The command line: start-up without a token, bad settings, and the settings contract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def run_bot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in {name.upper() for name in Settings.model_fields}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_without_token_explains_how_to_get_one(tmp_path: Path) -> None:
    result = run_bot("run", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "BOT_TOKEN" in result.stderr
    assert "make demo" in result.stderr
    assert "ADMIN_CHAT_ID" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_named() -> None:
    result = run_bot("run", BOT_TOKEN="123456:abcdefghijklmnopqrstuvwxyz", ADMIN_CHAT_ID="abc")
    assert result.returncode == 2
    assert "ADMIN_CHAT_ID" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_token_is_refused_without_echoing_it() -> None:
    result = run_bot("run", BOT_TOKEN="not-a-token")
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr
    assert "not-a-token" not in result.stderr


def test_env_example_lists_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = {
        line.lstrip("# ").split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()
    }
    expected = {name.upper() for name in Settings.model_fields}
    assert expected <= listed, sorted(expected - listed)


def test_bad_service_level_settings_are_named() -> None:
    for name, value in (
        ("WORKING_HOURS", "setiap hari"),
        ("RESOLUTION_DAYS", "pengaduan=lima"),
        ("FIRST_RESPONSE_MINUTES_BY_KIND", "keluhan=30"),
    ):
        result = run_bot("run", BOT_TOKEN="123456:abcdefghijklmnopqrstuvwxyz", **{name: value})
        assert result.returncode == 2, name
        assert name in result.stderr
        assert "Traceback" not in result.stderr


def test_unwritable_database_is_a_clear_error() -> None:
    # Nothing can be created under /proc, not even by root: like a read-only disk.
    result = run_bot(
        "run",
        BOT_TOKEN="123456:abcdefghijklmnopqrstuvwxyz",
        DATABASE_URL="sqlite+aiosqlite:////proc/bone-bot/bot.db",
    )
    assert result.returncode == 3
    assert "Database error" in result.stderr
    assert "read-only" in result.stderr
    assert "Traceback" not in result.stderr

"""Logs never show the token or a citizen's NIK, phone number or e-mail address."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logging_setup import MaskingFilter, configure_logging


def test_masking_filter_hides_personal_data_and_token(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.masking"):
        logger.info(
            "citizen wrote %s",
            "NIK 7308123456789012, hp 0812-3456-7890, mail budi@example.com, "
            "url https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
        )
    text = caplog.records[0].getMessage()
    assert "7308123456789012" not in text
    assert "0812-3456-7890" not in text
    assert "budi@example.com" not in text
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in text
    assert "citizen wrote" in text


def test_json_log_lines_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("INFO", "json")
        logger = logging.getLogger("test.json")
        logger.warning(
            "request to https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
            "/sendMessage for NIK %s",
            "7308123456789012",
        )
        try:
            int("hp 0812-3456-7890")
        except ValueError:
            logger.exception("failed")
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert [line["level"] for line in lines] == ["WARNING", "ERROR"]
    assert lines[0]["logger"] == "test.json"
    assert "sendMessage" in lines[0]["message"]
    dumped = json.dumps(lines)
    for secret in ("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "7308123456789012", "0812-3456-7890"):
        assert secret not in dumped
    assert "ValueError" in dumped

"""Logs never show the token or a citizen's NIK, phone number or e-mail address."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import MaskingFilter


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

"""Logging that never shows the bot token or a citizen's NIK, phone or e-mail."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from bot.privacy import mask_personal_data

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def mask_for_log(text: str) -> str:
    return mask_personal_data(_TOKEN.sub("<token>", text))


class MaskingFilter(logging.Filter):
    """Rewrites each record's final message, so arguments are masked as well."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_for_log(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks go to the log file for engineers, with the same masking.
            formatted = logging.Formatter().formatException(record.exc_info)
            masked = f"{masked}\n{mask_for_log(formatted)}"
            record.exc_info = None
            record.exc_text = None
        record.msg = masked
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json); the message is already masked."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = mask_for_log(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiohttp and aiogram log request URLs, which contain the token.
    for name in ("aiogram", "aiohttp", "asyncio", "apscheduler"):
        logging.getLogger(name).addFilter(MaskingFilter())

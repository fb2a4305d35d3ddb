"""The payload of an outbox row: the Bot API parameters plus what only our record needs.

The parameters are stored as JSON in ``Outbox.payload``; keys starting with ``_`` never
reach Telegram (``_record_text`` is the text the conversation record keeps: an answer
without its header and footer). A document's bytes and file name are not JSON: they go
to the row's ``attachment`` and ``attachment_name`` columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

RECORD_TEXT_KEY = "_record_text"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class OutboxPayload:
    params: dict[str, Any] = field(default_factory=dict)
    record_text: str | None = None
    attachment: Attachment | None = None

    def to_json(self) -> str:
        """The JSON part (the attachment is stored beside it)."""
        stored: dict[str, Any] = {}
        if self.record_text is not None:
            stored[RECORD_TEXT_KEY] = self.record_text
        stored.update(self.params)
        return json.dumps(stored, ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str, attachment: Attachment | None = None) -> OutboxPayload:
        stored: dict[str, Any] = json.loads(payload)
        record_text = stored.pop(RECORD_TEXT_KEY, None)
        params = {key: value for key, value in stored.items() if not key.startswith("_")}
        return cls(
            params=params,
            record_text=record_text if isinstance(record_text, str) else None,
            attachment=attachment,
        )

    @property
    def shown_text(self) -> str | None:
        """What the record keeps as this message's text."""
        text = self.record_text or self.params.get("text") or self.params.get("caption")
        return str(text) if text else None

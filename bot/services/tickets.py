"""What the ticket services share: a citizen's message free of aiogram, a card reference,
and the refusal an admin sees.

The help desk is three services, each with one purpose, all writing their effects as DB
rows in the caller's transaction (outgoing messages through ``Notifier``), so a crash
never leaves a state change without its message:

* ``bot/services/intake.py``: citizens' messages, tickets opened or joined, acknowledgements.
* ``bot/services/card_board.py``: the admin group's cards, the queue summary, /antrian.
* ``bot/services/admin_actions.py``: what admins do to a ticket (answer, ignore, kind, FAQ).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class IncomingMessage:
    """The parts of a Telegram message the help desk records, free of aiogram types."""

    chat_id: int
    message_id: int
    content_type: str
    text: str | None
    file_id: str | None
    is_forwarded: bool
    sent_at: datetime
    reply_to_message_id: int | None = None
    # Set for a message in a channel's direct-messages chat: the citizen's topic there.
    direct_messages_topic_id: int | None = None


@dataclass(frozen=True)
class CardRef:
    """A message that shows a ticket card (the group card or an /antrian copy)."""

    chat_id: int
    message_id: int


class ActionRefused(Exception):
    """An admin action that cannot be done; the message is Indonesian for the admin."""

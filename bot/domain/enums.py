"""The help desk's vocabulary: roles, ticket kinds and states, directions, outbox states.

Values are the strings stored in the database; ``StrEnum`` members compare equal to them.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    ADMIN = "admin"
    OFFICIAL = "official"


class TicketKind(enum.StrEnum):
    PERTANYAAN = "pertanyaan"
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    PERMINTAAN_INFORMASI = "permintaan_informasi"
    KOMENTAR = "komentar"


class TicketState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    IGNORED = "ignored"


class CloseReason(enum.StrEnum):
    ANSWERED = "dijawab"
    SPAM = "spam"
    DUPLICATE = "duplikat"
    NOT_OUR_AUTHORITY = "bukan_wewenang"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # An edit identical to what the message already shows: Telegram would refuse it.
    SKIPPED = "skipped"

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


class OutboxPurpose(enum.StrEnum):
    """Why an outbox row exists; the record, the sender and the report group rows by it."""

    # Citizen side
    GREETING = "greeting"
    ACK = "ack"
    HINT = "hint"
    ANSWER = "answer"
    FOLLOWUP = "followup"
    RATING = "rating"
    # Admin cards and the queue
    CARD = "card"
    CARD_EDIT = "card_edit"
    CARD_MARKUP = "card_markup"
    QUEUE = "queue"
    QUEUE_CARD = "queue_card"
    QUEUE_SUMMARY = "queue_summary"
    QUEUE_SUMMARY_EDIT = "queue_summary_edit"
    EDIT_PROMPT = "edit_prompt"
    ATTACHMENT = "attachment"
    CALLBACK_ANSWER = "callback_answer"
    NOTICE = "notice"
    # Timers and schedules
    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    WEEKLY_SUMMARY = "weekly_summary"
    # Knowledge base and reports
    KB_PROBLEMS = "kb_problems"
    REPORT = "report"
    # Outreach (issue 12): posts and dissemination to subscribers
    POST = "post"
    POST_PREVIEW = "post_preview"
    SUBSCRIPTION = "subscription"
    BROADCAST = "broadcast"
    BROADCAST_PROGRESS = "broadcast_progress"
    # Citizens' data rights: /datasaya, /hapusdata
    PRIVACY = "privacy"


# Outgoing messages that show a ticket card: replying to one answers that ticket.
CARD_PURPOSES = frozenset(
    {OutboxPurpose.CARD, OutboxPurpose.QUEUE_CARD, OutboxPurpose.EDIT_PROMPT}
)


class AnswerSource(enum.StrEnum):
    """Where the answer a citizen got came from (``Ticket.answer_source``)."""

    SUGGESTION = "suggestion"
    EDITED = "edited"
    MANUAL = "manual"
    FORWARDED = "forwarded"


# Answers an admin wrote (wholly or partly): these can be saved to the FAQ.
OWN_WORDS = frozenset({AnswerSource.MANUAL, AnswerSource.EDITED})


class TicketAction(enum.StrEnum):
    """What happened to a ticket (``TicketEvent.action``)."""

    OPENED = "opened"
    JOINED = "joined"
    ANSWERED = "answered"
    NEXT_SUGGESTION = "next_suggestion"
    IGNORED = "ignored"
    KIND_SET = "kind_set"
    SAVED_TO_FAQ = "saved_to_faq"
    REMINDER_SENT = "reminder_sent"
    ESCALATED = "escalated"
    FOLLOWUP_SENT = "followup_sent"
    FLAGS_SET = "flags_set"
    RATED = "rated"
    PRIVATE_COPY_SET = "private_copy_set"
    # Pasal 12: an answer held by the ethics check, and what the admin decided about it.
    ETHICS_HELD = "ethics_held"
    ETHICS_RESOLVED = "ethics_resolved"

"""What the audit trail records: the kinds of admin and official actions."""

from __future__ import annotations

import enum


class AuditAction(enum.StrEnum):
    """Each admin or official action that leaves an append-only audit row."""

    ANSWER = "answer"
    EDIT = "edit"
    IGNORE = "ignore"
    FORWARD = "forward"
    KIND_CHANGE = "kind_change"
    FAQ_CHANGE = "faq_change"
    APPOINTMENT = "appointment"
    BROADCAST = "broadcast"
    POST_PUBLISH = "post_publish"
    REPORT_REQUEST = "report_request"
    ETHICS_CHECK = "ethics_check"

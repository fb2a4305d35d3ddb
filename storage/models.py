"""SQLModel tables: the conversation record, tickets, outbox, timers and report inputs.

All timestamps are stored in UTC. SQLite drops the tzinfo on the way back, so every
datetime column uses ``UTCDateTime``, which re-attaches UTC when a row is loaded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from bot.domain.enums import CloseReason, Direction, OutboxStatus, Role, TicketKind, TicketState


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime that is always UTC in the database and in Python."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Agency(SQLModel, table=True):
    """A Perangkat Daerah. One default agency now; the record is keyed by agency throughout."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    """Anyone the bot has met. The role here is the only source of truth for permissions."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=sa.BigInteger, unique=True, index=True)
    first_name: str = Field(default="", max_length=255)
    username: str | None = Field(default=None, max_length=255)
    role: Role = Field(default=Role.CITIZEN, sa_type=sa.String(16), index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    role_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when the citizen's data was pseudonymised (/hapusdata or the retention period).
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InboxUpdate(SQLModel, table=True):
    """A raw Telegram update, stored before its offset is confirmed to Telegram."""

    __tablename__ = "inbox_update"

    update_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    payload: str
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    attempts: int = 0
    last_error: str | None = None


class Ticket(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_ticket_agency_created", "agency_id", "created_at"),
        sa.Index("ix_ticket_state_created", "state", "created_at"),
        # Covering indexes for the yearly report (bot/reports/queries.py): its ticket
        # aggregates read only these, never the table rows, and GROUP BY kind, state,
        # close_reason follows this index's order, so it needs no sort.
        sa.Index(
            "ix_ticket_report",
            "agency_id",
            "kind",
            "state",
            "close_reason",
            "created_at",
            "response_working_seconds",
            "suggestion_confident",
            "channel_post_id",
        ),
        sa.Index("ix_ticket_report_time", "agency_id", "created_at", "response_working_seconds"),
        sa.Index(
            "ix_ticket_report_response", "agency_id", "response_working_seconds", "created_at"
        ),
        sa.Index("ix_ticket_report_citizen", "agency_id", "citizen_id", "created_at"),
        sa.Index("ix_ticket_report_entry", "agency_id", "answer_kb_id", "kind", "created_at"),
        # Small partial indexes: forwarded tickets, comments on channel posts, and the
        # tickets whose topic comes from the top suggestion (the JSON is carried so the
        # rows are not read).
        sa.Index(
            "ix_ticket_report_forwarded",
            "agency_id",
            "created_at",
            "forwarded_to",
            sqlite_where=sa.text("forwarded_to IS NOT NULL"),
            postgresql_where=sa.text("forwarded_to IS NOT NULL"),
        ),
        sa.Index(
            "ix_ticket_report_comment",
            "agency_id",
            "kind",
            "created_at",
            "channel_post_id",
            sqlite_where=sa.text("kind = 'komentar'"),
            postgresql_where=sa.text("kind = 'komentar'"),
        ),
        sa.Index(
            "ix_ticket_report_suggested",
            "agency_id",
            "created_at",
            "kind",
            "answer_kb_id",
            "suggestion_confident",
            "suggestions",
            sqlite_where=sa.text("answer_kb_id IS NULL AND suggestion_confident = 1"),
            postgresql_where=sa.text("answer_kb_id IS NULL AND suggestion_confident = true"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    citizen_id: int = Field(foreign_key="user.id", index=True)
    chat_id: int = Field(sa_type=sa.BigInteger)
    kind: TicketKind = Field(default=TicketKind.PERTANYAAN, sa_type=sa.String(32))
    state: TicketState = Field(default=TicketState.OPEN, sa_type=sa.String(16))
    channel_post_id: int | None = Field(default=None, foreign_key="channel_post.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_citizen_message_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_seconds: int | None = None
    response_working_seconds: int | None = None
    answered_by_id: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_reason: CloseReason | None = Field(default=None, sa_type=sa.String(32))
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")
    answer_source: str | None = Field(default=None, max_length=16)
    answer_kb_id: str | None = Field(default=None, max_length=128)
    # Ranked suggestions computed when the ticket opened: JSON [{"id": ..., "score": ...}].
    suggestions: str = "[]"
    suggestion_confident: bool = False
    suggestion_index: int = 0
    last_citizen_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    card_chat_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    card_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    card_outbox_id: int | None = None
    # True when the group was in a burst and the ticket waits in /antrian instead of a card.
    card_deferred: bool = False
    forwarded_to: str | None = Field(default=None, max_length=255)
    # Marked by an admin: "rahasia" keeps the citizen's words out of every report quote;
    # "anonim" drops the citizen's identity from the card and from every export.
    confidential: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    anonymous: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # A ticket from the channel's direct-messages chat: replies need the citizen's topic.
    direct_messages_topic_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    # A comment ticket whose answer also goes to the citizen's private chat.
    answer_privately: bool = False


class Message(SQLModel, table=True):
    """One inbound or outbound message. Edits add MessageVersion rows; nothing is overwritten."""

    __table_args__ = (
        sa.Index("ix_message_chat_tg", "chat_id", "telegram_message_id"),
        sa.Index("ix_message_agency_created", "agency_id", "created_at"),
        # Covering indexes for the yearly report: counts by direction, month and purpose,
        # and a small partial one for the messages citizens forwarded to the service.
        sa.Index("ix_message_report", "agency_id", "direction", "created_at"),
        sa.Index("ix_message_report_purpose", "agency_id", "direction", "purpose", "created_at"),
        sa.Index(
            "ix_message_report_forwarded",
            "agency_id",
            "direction",
            "created_at",
            "is_forwarded",
            sqlite_where=sa.text("is_forwarded = 1"),
            postgresql_where=sa.text("is_forwarded = true"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    direction: Direction = Field(sa_type=sa.String(4))
    chat_id: int = Field(sa_type=sa.BigInteger)
    telegram_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    update_id: int | None = Field(default=None, sa_type=sa.BigInteger, unique=True)
    outbox_id: int | None = Field(default=None, index=True)
    content_type: str = Field(default="text", max_length=32)
    text: str | None = None
    file_id: str | None = Field(default=None, max_length=255)
    is_forwarded: bool = False
    purpose: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MessageVersion(SQLModel, table=True):
    __tablename__ = "message_version"
    __table_args__ = (sa.UniqueConstraint("message_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    version: int
    text: str | None = None
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    update_id: int | None = Field(default=None, sa_type=sa.BigInteger)


class TicketEvent(SQLModel, table=True):
    """Audit trail: who did what to a ticket, and when."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=32)
    detail: str | None = None
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Outbox(SQLModel, table=True):
    """Every outgoing Bot API call, persisted first and drained by the sender."""

    __table_args__ = (sa.Index("ix_outbox_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    method: str = Field(max_length=32)
    chat_id: int = Field(sa_type=sa.BigInteger, index=True)
    payload: str
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=sa.String(16))
    # Pending rows with the same key are coalesced: a newer payload replaces the older one.
    dedupe_key: str | None = Field(default=None, max_length=128, index=True)
    # An edit of a message that is itself still in the outbox waits for its message_id.
    target_outbox_id: int | None = None
    ticket_id: int | None = Field(default=None, index=True)
    purpose: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    due_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    last_error: str | None = None
    # A document to upload (the Pasal 15 report), kept as bytes beside the JSON payload.
    attachment: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    attachment_name: str | None = Field(default=None, max_length=255)
    # A row of a broadcast to subscribers (issue 12): its progress is counted from these.
    broadcast_id: int | None = Field(default=None, index=True)


class MessageRender(SQLModel, table=True):
    """What a bot message (a card, a prompt, a summary) shows now, as Telegram accepted it.

    Kept so an edit identical to it is not sent: Telegram answers such an edit with
    400 "message is not modified".
    """

    __tablename__ = "message_render"

    chat_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    message_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    # Canonical JSON of the text and its parse mode, and of the inline keyboard (or none).
    content: str
    markup: str | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ChannelPost(SQLModel, table=True):
    """A post on the official channel, and its automatic copy in the discussion group."""

    __tablename__ = "channel_post"
    __table_args__ = (sa.UniqueConstraint("channel_id", "channel_message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    channel_id: int = Field(sa_type=sa.BigInteger)
    channel_message_id: int = Field(sa_type=sa.BigInteger)
    discussion_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    text: str | None = None
    posted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Pasal 10 category (bot.domain.outreach.PostCategory), read from the post's hashtag.
    category: str | None = Field(default=None, max_length=16)


class Timer(SQLModel, table=True):
    """A due-time row swept by the scheduler: reminders, escalations, follow-ups."""

    __table_args__ = (
        sa.UniqueConstraint("ticket_id", "kind"),
        sa.Index("ix_timer_due", "fired_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    kind: str = Field(max_length=32)
    due_at: datetime = Field(sa_type=UTCDateTime)
    fired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobRun(SQLModel, table=True):
    """Once-per-period scheduled jobs (digests, snapshots) record their run to never repeat."""

    __tablename__ = "job_run"
    __table_args__ = (sa.UniqueConstraint("job", "period_key"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    period_key: str = Field(max_length=64)
    ran_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Lease(SQLModel, table=True):
    """Leader lease so that one process runs the scheduled jobs."""

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=128)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class ServiceRun(SQLModel, table=True):
    """One bot process's lifetime, kept current by a heartbeat: gaps are downtime."""

    __tablename__ = "service_run"

    id: int | None = Field(default=None, primary_key=True)
    holder: str = Field(max_length=128)
    started_at: datetime = Field(sa_type=UTCDateTime, index=True)
    last_seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


class ChannelMemberSnapshot(SQLModel, table=True):
    __tablename__ = "channel_member_snapshot"
    __table_args__ = (sa.UniqueConstraint("channel_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    channel_id: int = Field(sa_type=sa.BigInteger)
    day: date
    member_count: int
    taken_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportNote(SQLModel, table=True):
    """Notes recorded for the report: /kendala and /rekomendasi."""

    __tablename__ = "report_note"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    kind: str = Field(max_length=16)
    text: str
    author_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlatformMetric(SQLModel, table=True):
    """Monthly figures of the agency's other social-media accounts, imported from CSV."""

    __tablename__ = "platform_metric"
    __table_args__ = (sa.UniqueConstraint("agency_id", "platform", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    platform: str = Field(max_length=64)
    month: str = Field(max_length=7)
    followers: int | None = None
    posts: int | None = None
    comments: int | None = None
    shares: int | None = None
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KbEntry(SQLModel, table=True):
    """Knowledge-base entries written from the work; overlaid on the YAML files."""

    __tablename__ = "kb_entry"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(unique=True, max_length=128)
    questions: str  # JSON list of strings
    answer: str
    tags: str = "[]"  # JSON list of strings
    source: str | None = Field(default=None, max_length=255)
    retired: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KbChange(SQLModel, table=True):
    __tablename__ = "kb_change"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=128, index=True)
    action: str = Field(max_length=16)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    snapshot: str  # JSON of the entry after the change
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KbVariant(SQLModel, table=True):
    """A citizen's wording learned as a question of an entry when an admin sent it.

    The text is masked before it is stored. Removing a variant (or retiring its entry)
    sets ``removed_at`` instead of deleting the row, so who learned and who removed it stays
    on record, and the same wording is not learned again after an admin removed it.
    """

    __tablename__ = "kb_variant"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=128, index=True)
    text: str
    # One approval teaches once: a second pass over the same ticket adds nothing.
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    removed_by_id: int | None = Field(default=None, foreign_key="user.id")
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Subscriber(SQLModel, table=True):
    """A citizen who asked for the dissemination messages of Pasal 8 huruf i (/langganan)."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=sa.BigInteger, unique=True, index=True)
    subscribed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # /berhenti: kept (not deleted) so a later /langganan is a re-subscription on record.
    unsubscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Telegram answered 403 (blocked, deactivated): skipped until they subscribe again.
    blocked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Broadcast(SQLModel, table=True):
    """One dissemination to subscribers; its rows are in the outbox (``Outbox.broadcast_id``)."""

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    author_id: int | None = Field(default=None, foreign_key="user.id")
    text: str
    post_id: int | None = Field(default=None, foreign_key="channel_post.id")
    state: str = Field(default="running", max_length=16, index=True)
    total: int = 0
    # Progress as last counted, so the card and the report need not count again.
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    progress_chat_id: int = Field(sa_type=sa.BigInteger)
    progress_outbox_id: int | None = None
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    progress_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PostDraft(SQLModel, table=True):
    """An admin's /posting draft: kept in the database so it survives a restart."""

    __tablename__ = "post_draft"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    author_id: int = Field(foreign_key="user.id", index=True)
    author_chat_id: int = Field(sa_type=sa.BigInteger)
    state: str = Field(default="choosing", max_length=24, index=True)
    category: str | None = Field(default=None, max_length=16)
    text: str | None = None
    approver_id: int | None = Field(default=None, foreign_key="user.id")
    post_outbox_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    """Append-only audit trail of admin and official actions (Issue 13).

    Only an insert query exists, and triggers in the database reject UPDATE and DELETE,
    so a row once written stays as it was.
    """

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_agency_at", "agency_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    actor_telegram_id: int = Field(sa_type=sa.BigInteger)
    actor_role: str = Field(max_length=16)
    action: str = Field(max_length=32)
    ticket_id: int | None = None
    target: str | None = Field(default=None, max_length=255)
    detail: str | None = None
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


AUDIT_APPEND_ONLY_MESSAGE = "audit_log is append-only"
AUDIT_TRIGGERS_SQLITE = tuple(
    f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY_MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")
)
AUDIT_TRIGGERS_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{AUDIT_APPEND_ONLY_MESSAGE}'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)
_AUDIT_TRIGGERS = {"sqlite": AUDIT_TRIGGERS_SQLITE, "postgresql": AUDIT_TRIGGERS_POSTGRESQL}


def _create_audit_triggers(
    target: sa.Table,  # noqa: ARG001 - the event passes it
    connection: sa.Connection,
    **_: object,
) -> None:
    """The metadata create path (tests, ``create_all``) gets the migration's triggers."""
    for statement in _AUDIT_TRIGGERS.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


sa.event.listen(AuditLog.__table__, "after_create", _create_audit_triggers)  # type: ignore[attr-defined]


class AnswerRating(SQLModel, table=True):
    """A citizen's 👍/👎 on the answer to their ticket; one per ticket, re-rating replaces."""

    __tablename__ = "answer_rating"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    citizen_id: int = Field(foreign_key="user.id", index=True)
    # None: a comment given before (or without) a 👍/👎.
    positive: bool | None = None
    comment: str | None = Field(default=None, max_length=1000)
    # After a 👎 (or "Tambah komentar") the citizen's next message is taken as the comment
    # only until this moment; later messages are ordinary questions again.
    comment_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OfficerAppointment(SQLModel, table=True):
    """An officer appointed by decree (Perbup Bone 22/2019 Pasal 9 ayat 1) in one agency.

    Append-only history: removal sets ``removed_at``/``removed_by_id``, the row stays, so
    who held which role under which decree, and who appointed or removed them, stays on record.
    An empty ``decree_number`` marks a bootstrap appointment from ADMIN_IDS/OFFICIAL_IDS.
    """

    __tablename__ = "officer_appointment"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    telegram_id: int = Field(sa_type=sa.BigInteger, index=True)
    role: Role = Field(sa_type=sa.String(16))
    decree_number: str = Field(default="", max_length=128)
    decree_date: date | None = None
    appointed_by_id: int | None = Field(default=None, foreign_key="user.id")
    appointed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_by_id: int | None = Field(default=None, foreign_key="user.id")

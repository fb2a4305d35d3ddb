"""Every figure of the Pasal 15 ayat (3) report, as plain dataclasses.

The renderers only read these; ``ReportData.to_dict()`` is the JSON the Dinas combines.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.domain.periods import Period

SCHEMA_VERSION = "2.0"


@dataclass(frozen=True, slots=True)
class KeyCount:
    """A count under a machine key with its display label."""

    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class MonthValue:
    month: str  # YYYY-MM in the agency time zone
    value: float | None


@dataclass(frozen=True, slots=True)
class EntryCount:
    """A knowledge-base entry and how many tickets were about it."""

    entry_id: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class Note:
    day: date
    text: str


@dataclass(frozen=True, slots=True)
class GapTopic:
    """Similar unanswered questions of the period: a masked example and how many."""

    example: str
    tickets: int
    # The knowledge-base entry whose question is close to the example: the entry exists
    # but citizens word the question differently. Empty when no entry is close.
    close_entry: str


@dataclass(frozen=True, slots=True)
class ToneSample:
    tone: str
    label: str
    comments: int
    example: str  # masked, one per tone


@dataclass(frozen=True, slots=True)
class Plan:
    """One follow-up plan of section h: what, who and by when, and the figure behind it."""

    action: str
    owner: str
    due: str
    basis: str


@dataclass(slots=True)
class Summary:
    tickets_in: int
    answered: int
    ignored: int
    open: int
    messages_in: int
    messages_to_public: int
    median_first_response_minutes: float | None
    p90_first_response_minutes: float | None
    target_minutes: int
    within_target: int
    within_target_share: float | None  # 0..1 of answered tickets with a measured response


@dataclass(frozen=True, slots=True)
class Officer:
    """An officer in force at the end of the period, with the decree of appointment."""

    name: str
    role: str  # Role value: "admin" or "official"
    decree_number: str  # "" for a bootstrap appointment from the settings
    decree_date: date | None


@dataclass(slots=True)
class PolicySection:
    agency_name: str
    policy_text: str
    sop_reference: str
    sop_decree_number: str
    official_accounts: list[str]
    channel_id: int | None
    first_response_minutes: int
    working_hours: str
    resolution_days: str
    officers: list[Officer] = field(default_factory=list)


@dataclass(slots=True)
class ChannelMembers:
    recorded_days: int
    first_day: date | None
    first: int | None
    last_day: date | None
    last: int | None
    minimum: int | None
    maximum: int | None
    by_month: list[MonthValue]  # last snapshot of each month


@dataclass(frozen=True, slots=True)
class PlatformFigure:
    platform: str
    first_month: str | None  # first and last month with any figure, YYYY-MM
    last_month: str | None
    followers: int | None  # latest known follower count in the period
    posts: int | None  # sums over the period's months; None when no month has a figure
    comments: int | None
    shares: int | None
    months_recorded: int


@dataclass(slots=True)
class AudienceSection:
    citizens_served: int
    citizens_new: int
    citizens_returning: int
    channel: ChannelMembers
    platforms: list[PlatformFigure]


@dataclass(slots=True)
class ContentSection:
    messages_in: int
    tickets: int
    by_kind: list[KeyCount]
    by_topic: list[KeyCount]  # each ticket once, under its entry's main (first) tag
    top_entries: list[EntryCount]
    unmapped_tickets: int
    faq_gaps: int
    gap_topics: list[GapTopic]  # grouped over every FAQ gap of the period
    gap_other_tickets: int  # FAQ gaps outside the topics shown (small or unreadable groups)


@dataclass(frozen=True, slots=True)
class PostComments:
    post_id: int
    posted_at: datetime | None
    snippet: str
    comments: int


@dataclass(slots=True)
class CommentSection:
    comment_tickets: int
    posts_with_comments: int
    by_post: list[PostComments]
    by_tone: list[ToneSample]
    # Topics of comments that ask or complain (thanks and praise have no FAQ topic).
    by_topic: list[KeyCount]
    comments_with_topic: int
    imported_comments: list[PlatformFigure]
    # Citizens' ratings of the answers: 👍, 👎, and how many came with a comment.
    ratings_up: int = 0
    ratings_down: int = 0
    ratings_with_comment: int = 0


@dataclass(slots=True)
class SharingSection:
    # Messages that reached the public: answers, acknowledgements, follow-ups, greetings,
    # broadcasts (by purpose), plus posts published on the official channel.
    public_messages: int
    public_by_purpose: list[KeyCount]
    posts_published: int
    # The office's own traffic: admin cards, reminders, digests, reports.
    internal_messages: int
    internal_by_purpose: list[KeyCount]
    answers_sent: int
    answered_tickets: int  # tickets opened in the period and answered (as in the summary)
    # The Bot API does not tell how often a channel post was shared: this is only the
    # figure imported for a platform named "telegram", None when nothing was imported.
    telegram_shares: int | None
    platforms: list[PlatformFigure]
    # Posts per Pasal 10 category, read from their hashtags (issue 12).
    posts_by_category: list[KeyCount] = field(default_factory=list)


@dataclass(slots=True)
class ForwardingSection:
    tickets_forwarded: int
    by_destination: list[KeyCount]
    citizen_forwarded_messages: int


@dataclass(slots=True)
class ConstraintSection:
    target_minutes: int
    answered_measured: int
    within_target: int
    missed_target: int
    missed_by_kind: list[KeyCount]
    tickets: int
    break_tickets: int  # created on a working day during a break (e.g. midday, Friday prayer)
    break_share: float | None
    after_hours_tickets: int  # before opening, after closing, weekends and holidays
    after_hours_share: float | None
    open_tickets: int
    overdue_open_tickets: int
    ignored_by_reason: list[KeyCount]
    downtime_recorded: bool
    downtime_outages: int
    downtime_working_minutes: int
    forwarded_tickets: int
    internal_notes: list[Note]
    external_notes: list[Note]


@dataclass(slots=True)
class RecommendationSection:
    plans: list[Plan]  # derived from the figures, then those noted by admins


@dataclass(slots=True)
class Series:
    months: list[str]  # YYYY-MM
    messages_in: list[int]
    tickets: list[int]
    median_response_minutes: list[float | None]
    target_minutes: int


@dataclass(slots=True)
class Signer:
    name: str
    nip: str
    rank: str  # pangkat/golongan
    position: str
    place: str


@dataclass(slots=True)
class ReportData:
    agency_id: int
    agency_name: str
    period: Period
    period_complete: bool  # False: the period had not ended when the report was compiled
    generated_at: datetime
    timezone: str
    summary: Summary
    policy: PolicySection
    audience: AudienceSection
    content: ContentSection
    comments: CommentSection
    sharing: SharingSection
    forwarding: ForwardingSection
    constraints: ConstraintSection
    recommendations: RecommendationSection
    series: Series
    signer: Signer
    logo_path: str = ""
    notes_on_method: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict: dates as ISO strings, the period as start/end/label."""
        raw = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        result = _plain(raw)
        assert isinstance(result, dict)
        return result


def _plain(value: Any) -> Any:
    if isinstance(value, Period):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value

"""What every section's compile step reads: the connection, the period and shared figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import Settings
from bot.domain.enums import TicketKind
from bot.domain.periods import Period
from bot.domain.service_levels import ServiceLevelPolicy
from bot.domain.working_time import WorkingCalendar
from bot.knowledge.models import PASSAGE_TAG
from bot.privacy import KnownNames, mask_personal_data
from bot.reports.data import KeyCount
from storage.queries import report as q

SAMPLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Context:
    session: AsyncSession
    conn: AsyncConnection
    settings: Settings
    period: Period
    span: q.Range
    month_spans: Sequence[q.Range]
    calendar: WorkingCalendar
    policy: ServiceLevelPolicy
    agency_id: int
    now: datetime
    kinds: Sequence[q.KindFigures]
    # (is komentar, KB entry id, tickets): see queries.count_tickets_by_entry
    entries: Sequence[tuple[bool, str | None, int]]
    topics: Mapping[str, tuple[str, ...]]  # KB entry id -> tags
    titles: Mapping[str, str]  # KB entry id -> first question
    names: KnownNames
    messages_in: int

    def mask(self, text: str) -> str:
        """Quoted text as the report shows it: personal data and known names masked,
        whitespace flattened, cut to a readable length."""
        flat = " ".join(mask_personal_data(text, self.names).split())
        return flat if len(flat) <= SAMPLE_CHARS else flat[: SAMPLE_CHARS - 1] + "…"

    def tickets_of(self, *, komentar: bool) -> int:
        return sum(
            k.tickets for k in self.kinds if (k.kind == TicketKind.KOMENTAR.value) == komentar
        )


def main_topic(entry_id: str | None, topics: Mapping[str, tuple[str, ...]]) -> str:
    """The entry's main tag (its first, passages skipped): one topic per ticket."""
    for tag in topics.get(entry_id or "", ()):
        if tag != PASSAGE_TAG:
            return tag
    return ""


def topic_label(tag: str) -> str:
    if not tag:
        return texts.REPORT_NO_TAG
    return texts.REPORT_TOPIC_LABELS.get(tag) or tag.replace("-", " ").capitalize()


def topic_counts(
    entry_counts: Mapping[str, int], topics: Mapping[str, tuple[str, ...]]
) -> list[KeyCount]:
    """Tickets per main topic, each ticket counted once, biggest first."""
    counted: dict[str, int] = {}
    for entry, n in entry_counts.items():
        tag = main_topic(entry, topics)
        counted[tag] = counted.get(tag, 0) + n
    return [
        KeyCount(tag or "-", topic_label(tag), n)
        for tag, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def by_kind(
    kinds: Sequence[q.KindFigures], value: Callable[[q.KindFigures], int]
) -> list[KeyCount]:
    """Every known kind (zeros included, in a fixed order), then any unknown kind."""
    counted = {k.kind: value(k) for k in kinds}
    known = [kind.value for kind in TicketKind]
    ordered = known + sorted(set(counted) - set(known))
    return [
        KeyCount(kind, texts.REPORT_KIND_LABELS.get(kind, kind), counted.get(kind, 0))
        for kind in ordered
    ]


def in_kind_order(kinds: Sequence[q.KindFigures]) -> list[q.KindFigures]:
    known = [kind.value for kind in TicketKind]
    return sorted(
        kinds, key=lambda k: (known.index(k.kind) if k.kind in known else len(known), k.kind)
    )

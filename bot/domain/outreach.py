"""Posts tagged by Pasal 10 and dissemination to subscribers (Pasal 8 huruf d and i).

Pure rules: the three categories of Pasal 10 with their hashtags, reading a post's
category back from its hashtag, and what a broadcast's progress looks like.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class PostCategory(enum.StrEnum):
    """Pasal 10: what may be posted (values are stored in the database)."""

    KEGIATAN = "kegiatan"
    ISU = "isu"
    KEBIJAKAN = "kebijakan"


# The wording of Pasal 10 huruf a to c, shown on the category buttons and in the report.
CATEGORY_LABELS: dict[PostCategory, str] = {
    PostCategory.KEGIATAN: "Informasi terkait kegiatan masing-masing perangkat daerah",
    PostCategory.ISU: "Isu aktual yang terjadi di Kabupaten Bone",
    PostCategory.KEBIJAKAN: "Kebijakan Pemerintah Pusat, Provinsi dan Daerah",
}

CATEGORY_HASHTAGS: dict[PostCategory, str] = {
    PostCategory.KEGIATAN: "#KegiatanPerangkatDaerah",
    PostCategory.ISU: "#IsuAktualBone",
    PostCategory.KEBIJAKAN: "#KebijakanPemerintah",
}

_HASHTAG = re.compile(r"#(\w+)", re.UNICODE)
_BY_TAG = {tag[1:].casefold(): category for category, tag in CATEGORY_HASHTAGS.items()}


def category_from_text(text: str | None) -> PostCategory | None:
    """The category named by the first Pasal 10 hashtag in a post (case does not matter)."""
    if not text:
        return None
    for match in _HASHTAG.finditer(text):
        category = _BY_TAG.get(match.group(1).casefold())
        if category is not None:
            return category
    return None


def with_hashtag(text: str, category: PostCategory) -> str:
    """The post as published: its text, then the category hashtag on a line of its own."""
    if category_from_text(text) == category:
        return text
    return f"{text.rstrip()}\n\n{CATEGORY_HASHTAGS[category]}"


class DraftState(enum.StrEnum):
    """Where a /posting draft is (``PostDraft.state``)."""

    CHOOSING = "choosing"  # waiting for a category button
    WRITING = "writing"  # waiting for the content
    PREVIEW = "preview"  # the author sees the preview
    AWAITING_APPROVAL = "awaiting_approval"  # an official has the preview
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


OPEN_DRAFT_STATES = frozenset(
    {DraftState.CHOOSING, DraftState.WRITING, DraftState.PREVIEW, DraftState.AWAITING_APPROVAL}
)


class BroadcastState(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    """Counts of a broadcast's outbox rows."""

    total: int
    sent: int
    blocked: int
    failed: int

    @property
    def finished(self) -> int:
        return self.sent + self.blocked + self.failed

    @property
    def done(self) -> bool:
        return self.finished >= self.total

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else (100 * self.finished) // self.total


def is_blocked_error(error: str | None) -> bool:
    """A 403 from Telegram: the user blocked the bot or deleted the account."""
    if not error:
        return False
    lowered = error.casefold()
    return "forbidden" in lowered or "blocked" in lowered or "deactivated" in lowered

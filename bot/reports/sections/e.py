"""Huruf e: jumlah sharing dan pesan yang dikirimkan (to the public; internal apart)."""

from __future__ import annotations

from collections.abc import Mapping

from bot import texts
from bot.domain.enums import OutboxPurpose
from bot.domain.labels import fmt_int
from bot.domain.outreach import CATEGORY_LABELS, PostCategory
from bot.reports.blocks import Block, Heading, Paragraph, counts, pairs, platform_table
from bot.reports.data import KeyCount, PlatformFigure, ReportData, SharingSection
from bot.reports.sections.context import Context
from storage.queries import report as q

# Outgoing purposes that reach citizens. Everything else (admin cards and their edits,
# reminders, escalations, digests, reports, prompts) is the office's own traffic.
# "broadcast" and "forward_notice" are counted when records from outreach carry them.
PUBLIC_PURPOSES = frozenset(
    {
        OutboxPurpose.ANSWER,
        OutboxPurpose.ACK,
        OutboxPurpose.FOLLOWUP,
        OutboxPurpose.GREETING,
        OutboxPurpose.HINT,
        "broadcast",
        "forward_notice",
    }
)


async def compile_section(
    ctx: Context, *, outgoing: Mapping[str | None, int], platforms: list[PlatformFigure]
) -> SharingSection:
    public = {p: n for p, n in outgoing.items() if p in PUBLIC_PURPOSES}
    internal = {(p or "lainnya"): n for p, n in outgoing.items() if p not in PUBLIC_PURPOSES}
    return SharingSection(
        public_messages=sum(public.values()),
        public_by_purpose=_labelled({p or "lainnya": n for p, n in public.items()}),
        posts_published=await q.count_posts(ctx.conn, agency_id=ctx.agency_id, span=ctx.span),
        internal_messages=sum(internal.values()),
        internal_by_purpose=_labelled(internal),
        answers_sent=outgoing.get(OutboxPurpose.ANSWER, 0),
        answered_tickets=sum(k.answered for k in ctx.kinds),
        telegram_shares=telegram_shares(platforms),
        platforms=platforms,
        posts_by_category=post_categories(
            await q.posts_by_category(ctx.conn, agency_id=ctx.agency_id, span=ctx.span)
        ),
    )


def post_categories(rows: list[tuple[str | None, int]]) -> list[KeyCount]:
    """Posts per Pasal 10 category in the order of the article; untagged posts last."""
    found = {category or "": n for category, n in rows}
    result = [
        KeyCount(category.value, CATEGORY_LABELS[category], found.get(category.value, 0))
        for category in PostCategory
        if found.get(category.value)
    ]
    known = {category.value for category in PostCategory}
    untagged = sum(n for key, n in found.items() if key not in known)
    if untagged:
        result.append(KeyCount("", texts.REPORT_POST_CATEGORY_NONE, untagged))
    return result


def telegram_shares(platforms: list[PlatformFigure]) -> int | None:
    for figure in platforms:
        if figure.platform.strip().lower() == "telegram":
            return figure.shares
    return None


def _labelled(counted: Mapping[str, int]) -> list[KeyCount]:
    return [
        KeyCount(key, texts.REPORT_PURPOSE_LABELS.get(key, key), n)
        for key, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def blocks(data: ReportData) -> list[Block]:
    e = data.sharing
    narrative = texts.REPORT_NARRATIVE_E.format(
        public=fmt_int(e.public_messages),
        posts=fmt_int(e.posts_published),
        internal=fmt_int(e.internal_messages),
    )
    narrative += " " + texts.REPORT_NARRATIVE_E_ANSWERS.format(
        answers=fmt_int(e.answers_sent), answered=fmt_int(e.answered_tickets)
    )
    narrative += " " + (
        texts.REPORT_TEXT_TELEGRAM_SHARES
        if e.telegram_shares is not None
        else texts.REPORT_TEXT_TELEGRAM_SHARES_NONE
    )
    return [
        Heading(texts.REPORT_SECTION_HEADINGS[4]),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_SHARING,
            [
                (texts.REPORT_LABEL_MESSAGES_TO_PUBLIC, fmt_int(e.public_messages)),
                (texts.REPORT_LABEL_POSTS_PUBLISHED, fmt_int(e.posts_published)),
                (texts.REPORT_LABEL_TELEGRAM_SHARES, fmt_int(e.telegram_shares)),
                (texts.REPORT_LABEL_INTERNAL_MESSAGES, fmt_int(e.internal_messages)),
            ],
        ),
        counts(
            texts.REPORT_CAPTION_PUBLIC_PURPOSES,
            texts.REPORT_COL_PURPOSE,
            e.public_by_purpose,
            total_label=texts.REPORT_LABEL_MESSAGES_TO_PUBLIC,
        ),
        counts(
            texts.REPORT_CAPTION_INTERNAL_PURPOSES,
            texts.REPORT_COL_PURPOSE,
            e.internal_by_purpose,
            total_label=texts.REPORT_LABEL_INTERNAL_MESSAGES,
        ),
        counts(
            texts.REPORT_CAPTION_POSTS_BY_CATEGORY,
            texts.REPORT_COL_POST_CATEGORY,
            e.posts_by_category,
            total_label=texts.REPORT_LABEL_POSTS_PUBLISHED,
        ),
        platform_table(texts.REPORT_CAPTION_IMPORTED_SHARES, e.platforms, figure="shares"),
        platform_table(texts.REPORT_CAPTION_IMPORTED_POSTS, e.platforms, figure="posts"),
    ]

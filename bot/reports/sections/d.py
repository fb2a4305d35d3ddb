"""Huruf d: komentar tentang isi pesan (comments on the official channel's posts)."""

from __future__ import annotations

import re

from bot import texts
from bot.domain.labels import fmt_int, fmt_share
from bot.reports.blocks import (
    TOPIC_ROWS,
    Block,
    Heading,
    Paragraph,
    Table,
    counts,
    fmt_day,
    pairs,
    platform_table,
    tz_of,
)
from bot.reports.data import (
    CommentSection,
    PlatformFigure,
    PostComments,
    ReportData,
    ToneSample,
)
from bot.reports.sections.context import Context, share, topic_counts
from storage.queries import report as q

TOP_POSTS = 5
SNIPPET_CHARS = 80

# Tone of a comment, checked in this order: a critical comment that also asks ("kurang
# jelas, di mana?") is a criticism first; thanks that also hope ("semoga") are support.
TONE_ORDER = ("kritik", "pertanyaan", "permintaan", "dukungan", "lainnya")
_TONE_PATTERNS = {
    "kritik": re.compile(
        r"\b(kurang|tidak jelas|tdk jelas|gak jelas|ga jelas|lambat|kecewa|buruk|jelek|"
        r"rusak|parah|mengecewakan|lama sekali|belum (?:ada|juga|diperbaiki)|percuma|"
        r"tidak (?:ada|pernah|sesuai)|mati)\b"
    ),
    "pertanyaan": re.compile(
        r"\?|\b(kapan|bagaimana|gimana|dimana|di mana|apakah|apa|berapa|siapa|kenapa|"
        r"mengapa|bisakah|boleh(?:kah)?)\b"
    ),
    "permintaan": re.compile(
        r"\b(mohon|tolong|harap|sebaiknya|usul|saran|minta|disebarkan|agar|supaya)\b"
    ),
    "dukungan": re.compile(
        r"\b(terima ?kasih|makasih|trims|thanks|mantap|mantul|bagus|keren|lanjutkan|sukses|"
        r"semoga|membantu|alhamdulillah|setuju|hebat|top)\b|👍|🙏|👏"
    ),
}
# Comments with these tones are about a subject the FAQ may answer.
TOPICAL_TONES = ("kritik", "pertanyaan", "permintaan")


def classify_tone(text: str) -> str:
    lowered = text.lower()
    for tone in TONE_ORDER[:-1]:
        if _TONE_PATTERNS[tone].search(lowered):
            return tone
    return "lainnya"


async def compile_section(ctx: Context, *, platforms: list[PlatformFigure]) -> CommentSection:
    conn, agency_id, span = ctx.conn, ctx.agency_id, ctx.span
    posts, top_posts = await q.comments_by_post(
        conn, agency_id=agency_id, span=span, limit=TOP_POSTS
    )
    rows = await q.comment_text_counts(conn, agency_id=agency_id, span=span)
    up, down, with_comment = await q.rating_totals(conn, agency_id=agency_id, span=span)
    tone_counts: dict[str, int] = {}
    # The most frequent distinct text of each tone is its example (masked, so two texts
    # that differ only in a phone number become one).
    examples: dict[str, dict[str, int]] = {}
    topical: dict[str, int] = {}
    for text, entry, n, confidential in rows:
        tone = classify_tone(text)
        tone_counts[tone] = tone_counts.get(tone, 0) + n
        by_text = examples.setdefault(tone, {})
        if not confidential:
            masked = ctx.mask(text)
            by_text[masked] = by_text.get(masked, 0) + n
        if tone in TOPICAL_TONES and entry:
            topical[entry] = topical.get(entry, 0) + n
    by_tone = [
        ToneSample(
            tone=tone,
            label=texts.REPORT_TONE_LABELS[tone],
            comments=tone_counts[tone],
            example=min(examples[tone].items(), key=lambda item: (-item[1], item[0]))[0]
            if examples[tone]
            else texts.REPORT_CONFIDENTIAL_EXAMPLE,
        )
        for tone in TONE_ORDER
        if tone_counts.get(tone)
    ]
    return CommentSection(
        comment_tickets=ctx.tickets_of(komentar=True),
        posts_with_comments=posts,
        by_post=[
            PostComments(pid, posted, _snippet(ctx, text), n) for pid, posted, text, n in top_posts
        ],
        by_tone=by_tone,
        by_topic=topic_counts(topical, ctx.topics),
        comments_with_topic=sum(topical.values()),
        imported_comments=[p for p in platforms if p.comments is not None],
        ratings_up=up,
        ratings_down=down,
        ratings_with_comment=with_comment,
    )


def _snippet(ctx: Context, text: str | None) -> str:
    if not text:
        return texts.REPORT_POST_WITHOUT_TEXT
    flat = ctx.mask(text)
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def blocks(data: ReportData) -> list[Block]:
    d = data.comments
    narrative = texts.REPORT_NARRATIVE_D.format(
        comments=fmt_int(d.comment_tickets), posts=fmt_int(d.posts_with_comments)
    )
    if d.by_tone:
        tones = ", ".join(
            texts.REPORT_TONE_PART.format(
                label=t.label.lower(), share=fmt_share(share(t.comments, d.comment_tickets))
            )
            for t in d.by_tone
        )
        narrative += " " + texts.REPORT_NARRATIVE_D_TONE.format(tones=tones)
    if d.imported_comments:
        narrative += " " + texts.REPORT_NARRATIVE_D_IMPORTED.format(
            n=fmt_int(sum(p.comments or 0 for p in d.imported_comments)),
            platforms=fmt_int(len(d.imported_comments)),
        )
    if d.ratings_up or d.ratings_down:
        narrative += " " + texts.REPORT_RATINGS_LINE.format(
            up=fmt_int(d.ratings_up),
            down=fmt_int(d.ratings_down),
            comments=fmt_int(d.ratings_with_comment),
        )
    result: list[Block] = [
        Heading(texts.REPORT_SECTION_HEADINGS[3]),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_COMMENTS,
            [
                (texts.REPORT_LABEL_COMMENT_TICKETS, fmt_int(d.comment_tickets)),
                (texts.REPORT_LABEL_POSTS_WITH_COMMENTS, fmt_int(d.posts_with_comments)),
            ],
        ),
    ]
    if d.by_post:
        result.append(
            Table(
                (texts.REPORT_COL_POST, texts.REPORT_COL_POSTED, texts.REPORT_COL_COMMENTS),
                tuple(
                    (
                        post.snippet,
                        fmt_day(post.posted_at.astimezone(tz_of(data)).date())
                        if post.posted_at
                        else "-",
                        fmt_int(post.comments),
                    )
                    for post in d.by_post
                ),
                texts.REPORT_CAPTION_BY_POST,
                weights=(0.6, 0.25, 0.15),
            )
        )
    if d.by_tone:
        result.append(
            Table(
                (texts.REPORT_COL_TONE, texts.REPORT_COL_COUNT, texts.REPORT_COL_EXAMPLE),
                tuple((t.label, fmt_int(t.comments), t.example) for t in d.by_tone),
                texts.REPORT_CAPTION_TONE,
                weights=(0.28, 0.14, 0.58),
            )
        )
    result.append(Paragraph(texts.REPORT_TEXT_COMMENT_TOPICS))
    result.append(
        counts(
            texts.REPORT_CAPTION_COMMENT_TOPICS,
            texts.REPORT_COL_TOPIC,
            d.by_topic,
            limit=TOPIC_ROWS,
            total_label=texts.REPORT_TOTAL_COMMENTS_WITH_TOPIC,
        )
    )
    result.append(
        platform_table(
            texts.REPORT_CAPTION_IMPORTED_COMMENTS, d.imported_comments, figure="comments"
        )
    )
    return result

"""Huruf c: pembahasan mengenai isi pesan (what citizens asked about, and FAQ gaps)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from bot import texts
from bot.domain.enums import TicketKind
from bot.domain.labels import fmt_int, fmt_share
from bot.knowledge.gaps import group_unanswered
from bot.knowledge.normalize import default_analyzer
from bot.privacy import PLACEHOLDERS
from bot.reports.blocks import (
    TOPIC_ROWS,
    Block,
    Heading,
    Image,
    Paragraph,
    Table,
    counts,
    pairs,
)
from bot.reports.charts import Chart
from bot.reports.data import ContentSection, EntryCount, GapTopic, ReportData
from bot.reports.sections.context import (
    Context,
    by_kind,
    share,
    topic_counts,
    topic_label,
)
from storage.queries import gap_conditions, report as q

TOP_ENTRIES = 10
GAP_TOPICS = 10
# Grouping compares each distinct text with the groups found so far; the most frequent
# distinct texts carry the topics, the rest are counted in one "other" row.
GAP_TEXTS_GROUPED = 2000
# token_set_ratio of normalized terms from which a gap example "has an entry already".
CLOSE_ENTRY_RATIO = 80


async def compile_section(ctx: Context) -> ContentSection:
    questions = {entry: n for komentar, entry, n in ctx.entries if not komentar and entry}
    faq_gaps = sum(k.faq_gaps for k in ctx.kinds if k.kind != TicketKind.KOMENTAR.value)
    gap_texts = await q.ticket_text_counts(
        ctx.conn, agency_id=ctx.agency_id, span=ctx.span, where=gap_conditions(q.TICKET)
    )
    gap_topics = group_gap_topics(gap_texts[:GAP_TEXTS_GROUPED], ctx)[:GAP_TOPICS]
    top = sorted(questions.items(), key=lambda item: (-item[1], item[0]))[:TOP_ENTRIES]
    return ContentSection(
        messages_in=ctx.messages_in,
        tickets=sum(k.tickets for k in ctx.kinds),
        by_kind=by_kind(ctx.kinds, lambda k: k.tickets),
        by_topic=topic_counts(questions, ctx.topics),
        top_entries=[
            EntryCount(entry, ctx.titles.get(entry, "") or topic_label(""), n) for entry, n in top
        ],
        unmapped_tickets=max(ctx.tickets_of(komentar=False) - sum(questions.values()), 0),
        faq_gaps=faq_gaps,
        gap_topics=gap_topics,
        gap_other_tickets=max(faq_gaps - sum(t.tickets for t in gap_topics), 0),
    )


def group_gap_topics(text_counts: Sequence[tuple[str, int]], ctx: Context) -> list[GapTopic]:
    """Similar unanswered questions as one topic, weighted by how many tickets asked them,
    biggest first; each topic notes the KB entry whose question is already close.

    Texts are masked first and grouped without the mask placeholders, so a name or a NIK
    neither shows nor makes two different questions look alike."""
    weights: dict[str, int] = {}
    for text, n in text_counts:
        masked = ctx.mask(text)
        weights[masked] = weights.get(masked, 0) + n
    masked_texts = list(weights)
    stripped = [" ".join(PLACEHOLDERS.sub(" ", text).split()) for text in masked_texts]
    groups = group_unanswered(list(enumerate(stripped)))
    analyzer = default_analyzer()
    entry_terms = {
        entry: " ".join(sorted(set(analyzer.terms(title)))) for entry, title in ctx.titles.items()
    }
    topics = []
    for group in groups:
        members = group.ticket_ids
        shown = next(
            (masked_texts[i] for i in members if stripped[i] == group.representative),
            masked_texts[members[0]],
        )
        topics.append(
            GapTopic(
                example=shown,
                tickets=sum(weights[masked_texts[i]] for i in members),
                close_entry=_close_entry(group.normalized, entry_terms, ctx.titles),
            )
        )
    return sorted(topics, key=lambda t: (-t.tickets, t.example))


def _close_entry(
    normalized: str, entry_terms: Mapping[str, str], titles: Mapping[str, str]
) -> str:
    best, best_score = "", 0.0
    for entry, terms in entry_terms.items():
        score = fuzz.token_set_ratio(normalized, terms) if terms and normalized else 0.0
        if score > best_score:
            best, best_score = entry, score
    return titles.get(best, "") if best_score >= CLOSE_ENTRY_RATIO else ""


def blocks(data: ReportData, charts: Mapping[str, Chart]) -> list[Block]:
    c = data.content
    questions = sum(k.count for k in c.by_kind if k.key != TicketKind.KOMENTAR.value)
    biggest_kind = max(c.by_kind, key=lambda k: k.count, default=None)
    narrative = texts.REPORT_NARRATIVE_C.format(
        messages=fmt_int(c.messages_in),
        tickets=fmt_int(c.tickets),
        kind=biggest_kind.label.lower() if biggest_kind and biggest_kind.count else "-",
        kind_share=fmt_share(share(biggest_kind.count, c.tickets) if biggest_kind else None),
    )
    if c.by_topic:
        top = c.by_topic[0]
        narrative += " " + texts.REPORT_NARRATIVE_C_TOPIC.format(
            topic=top.label, n=fmt_int(top.count), unmapped=fmt_int(c.unmapped_tickets)
        )
    narrative += " " + texts.REPORT_NARRATIVE_C_GAPS.format(
        gaps=fmt_int(c.faq_gaps), gap_share=fmt_share(share(c.faq_gaps, questions))
    )
    close = sum(1 for t in c.gap_topics if t.close_entry)
    if close:
        narrative += " " + texts.REPORT_NARRATIVE_C_CLOSE.format(n=fmt_int(close))
    result: list[Block] = [
        Heading(texts.REPORT_SECTION_HEADINGS[2]),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_CONTENT,
            [
                (texts.REPORT_LABEL_MESSAGES_IN, fmt_int(c.messages_in)),
                (texts.REPORT_LABEL_TICKETS_IN, fmt_int(c.tickets)),
                (texts.REPORT_LABEL_UNMAPPED, fmt_int(c.unmapped_tickets)),
                (texts.REPORT_LABEL_FAQ_GAPS, fmt_int(c.faq_gaps)),
            ],
        ),
        Image(charts["messages"], texts.REPORT_CHART_MESSAGES),
        counts(
            texts.REPORT_CAPTION_BY_KIND,
            texts.REPORT_COL_KIND,
            c.by_kind,
            total_label=texts.REPORT_TOTAL_TICKETS,
        ),
        Image(charts["kinds"], texts.REPORT_CHART_KINDS),
        counts(
            texts.REPORT_CAPTION_BY_TOPIC,
            texts.REPORT_COL_TOPIC,
            c.by_topic,
            limit=TOPIC_ROWS,
            total_label=texts.REPORT_TOTAL_WITH_TOPIC,
        ),
        Image(charts["topics"], texts.REPORT_CHART_TOPICS),
    ]
    if c.top_entries:
        result.append(
            Table(
                (texts.REPORT_COL_QUESTION, texts.REPORT_COL_COUNT),
                tuple((e.title, fmt_int(e.count)) for e in c.top_entries),
                texts.REPORT_CAPTION_TOP_ENTRIES,
            )
        )
    result.append(Paragraph(texts.REPORT_TEXT_GAP_TOPICS))
    if c.gap_topics:
        rows = [
            (t.example, fmt_int(t.tickets), t.close_entry or texts.REPORT_NO_CLOSE_ENTRY)
            for t in c.gap_topics
        ]
        if c.gap_other_tickets:
            rows.append((texts.REPORT_GAP_OTHER, fmt_int(c.gap_other_tickets), "-"))
        result.append(
            Table(
                (
                    texts.REPORT_COL_GAP_EXAMPLE,
                    texts.REPORT_COL_COUNT,
                    texts.REPORT_COL_CLOSE_ENTRY,
                ),
                tuple(rows),
                texts.REPORT_CAPTION_GAPS,
            )
        )
    else:
        result.append(
            Paragraph(texts.REPORT_NONE_FOR.format(what=texts.REPORT_CAPTION_GAPS.lower()))
        )
    return result

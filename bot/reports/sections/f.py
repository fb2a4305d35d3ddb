"""Huruf f: jumlah pesan yang diteruskan (to other Perangkat Daerah, and forwards in)."""

from __future__ import annotations

from bot import texts
from bot.domain.labels import fmt_int
from bot.reports.blocks import Block, Heading, Paragraph, counts, pairs
from bot.reports.data import ForwardingSection, KeyCount, ReportData
from bot.reports.sections.context import Context
from storage.queries import report as q


async def compile_section(ctx: Context) -> ForwardingSection:
    destinations = await q.count_forwarded_tickets(
        ctx.conn, agency_id=ctx.agency_id, span=ctx.span
    )
    # The destination is typed by an admin: masked like any free text.
    masked: dict[str, int] = {}
    for dest, n in destinations.items():
        label = ctx.mask(dest)
        masked[label] = masked.get(label, 0) + n
    return ForwardingSection(
        tickets_forwarded=sum(masked.values()),
        by_destination=[
            KeyCount(dest, dest, n)
            for dest, n in sorted(masked.items(), key=lambda item: (-item[1], item[0]))
        ],
        citizen_forwarded_messages=await q.count_citizen_forwarded_messages(
            ctx.conn, agency_id=ctx.agency_id, span=ctx.span
        ),
    )


def blocks(data: ReportData) -> list[Block]:
    f = data.forwarding
    narrative = texts.REPORT_NARRATIVE_F.format(
        forwarded=fmt_int(f.tickets_forwarded),
        destinations=fmt_int(len(f.by_destination)),
        citizen=fmt_int(f.citizen_forwarded_messages),
    )
    if f.by_destination:
        top = f.by_destination[0]
        narrative += " " + texts.REPORT_NARRATIVE_F_TOP.format(
            dest=top.label, n=fmt_int(top.count)
        )
    return [
        Heading(texts.REPORT_SECTION_HEADINGS[5]),
        Paragraph(narrative),
        pairs(
            texts.REPORT_CAPTION_FORWARDING,
            [
                (texts.REPORT_LABEL_TICKETS_FORWARDED, fmt_int(f.tickets_forwarded)),
                (texts.REPORT_LABEL_CITIZEN_FORWARDED, fmt_int(f.citizen_forwarded_messages)),
            ],
        ),
        counts(
            texts.REPORT_CAPTION_DESTINATIONS,
            texts.REPORT_COL_DESTINATION,
            f.by_destination,
            total_label=texts.REPORT_LABEL_TICKETS_FORWARDED,
        ),
    ]

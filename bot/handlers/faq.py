"""Admins manage the knowledge base from their phones: /faq."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.clock import Clock
from bot.config import Settings
from bot.domain.enums import Role
from bot.domain.labels import format_local_date
from bot.handlers.admin import reply_notice, staff_or_refuse
from bot.services import faq
from bot.services.audit import AuditTrail
from bot.services.gaps import faq_gap_groups
from bot.services.notifier import Notifier
from bot.services.suggestions import Suggester
from storage import queries
from storage.models import User

router = Router(name=__name__)

LIST_LIMIT = 40
# /faq lihat shows the newest few learned wordings under the answer; /faq varian <id> shows
# as many as fit one message. Budgets are characters of the lines, leaving room for the rest.
VARIANTS_IN_ENTRY = 10
VARIANT_SHOWN_CHARS = 100
VARIANT_ENTRY_BUDGET = 800
VARIANT_LIST_BUDGET = 3600
GAP_WINDOW = timedelta(days=30)
GAP_GROUPS_SHOWN = 15


@dataclass(frozen=True)
class _Faq:
    """What the /faq subcommands read."""

    knowledge: Suggester
    clock: Clock
    tz: ZoneInfo
    agency_id: int
    audit: AuditTrail


@router.message(Command("faq"))
async def manage_faq(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    knowledge: Suggester,
    clock: Clock,
    settings: Settings,
    agency_id: int,
    audit: AuditTrail,
) -> None:
    """/faq, /faq celah, /faq lihat <id>, /faq ubah <id> <jawaban>, /faq hapus <id>,
    /faq varian [<id>], /faq varian hapus <id> <nomor>."""
    staff = await staff_or_refuse(session, notifier, message, user, role)
    if staff is None:
        return
    desk = _Faq(knowledge=knowledge, clock=clock, tz=settings.tz, agency_id=agency_id, audit=audit)
    words = (command.args or "").split(maxsplit=2)
    action = words[0].lower() if words else ""
    now = desk.clock.now()
    try:
        if not action:
            reply = await _list_entries(session, desk)
        elif action == "celah":
            reply = await _gap_summary(session, desk)
        elif action == "lihat" and len(words) >= 2:
            reply = await _show_entry(session, desk, words[1])
        elif action == "ubah" and len(words) == 3:
            await faq.update_answer(
                session,
                entry_id=words[1],
                answer=words[2],
                actor=staff,
                now=now,
                audit=desk.audit,
            )
            await faq.refresh_overlay(session, desk.knowledge)
            reply = texts.FAQ_UPDATED.format(entry_id=texts.esc(words[1]))
        elif action == "hapus" and len(words) >= 2:
            await faq.retire_entry(
                session, entry_id=words[1], actor=staff, now=now, audit=desk.audit
            )
            await faq.refresh_overlay(session, desk.knowledge)
            reply = texts.FAQ_RETIRED.format(entry_id=texts.esc(words[1]))
        elif action == "varian":
            reply = await _variants_command(session, desk, staff, (command.args or "").split())
        else:
            reply = texts.FAQ_USAGE
    except faq.FaqError as exc:
        reply = texts.esc(str(exc))
    await reply_notice(session, notifier, message, reply)


async def _variants_command(
    session: AsyncSession, desk: _Faq, staff: User, words: list[str]
) -> str:
    """`varian`, `varian <id>`, `varian hapus <id> <nomor>` (``words`` include `varian`)."""
    if len(words) == 1:
        return await _variant_overview(session)
    if words[1].lower() != "hapus":
        return await _variant_list(session, desk, words[1], limit=None)
    if len(words) != 4 or not words[3].isdigit() or len(words[3]) > 6:
        return texts.FAQ_VARIANT_USAGE
    entry_id, number = words[2], int(words[3])
    removed = await faq.remove_variant(
        session,
        entry_id=entry_id,
        number=number,
        actor=staff,
        now=desk.clock.now(),
        audit=desk.audit,
    )
    await faq.refresh_overlay(session, desk.knowledge)
    return texts.FAQ_VARIANT_REMOVED.format(
        number=number, entry_id=texts.esc(entry_id), text=texts.esc(removed.text[:200])
    )


async def _variant_overview(session: AsyncSession) -> str:
    counts = Counter(variant.entry_id for variant in await queries.kb_variants(session))
    if not counts:
        return texts.FAQ_VARIANTS_OVERVIEW_NONE
    lines = [
        texts.FAQ_VARIANT_OVERVIEW_LINE.format(entry_id=texts.esc(entry_id), count=count)
        for entry_id, count in counts.most_common(LIST_LIMIT)
    ]
    return texts.faq_variant_overview(lines=lines, total=len(counts))


async def _variant_lines(
    session: AsyncSession, desk: _Faq, entry_id: str, *, limit: int | None, budget: int
) -> tuple[list[str], int]:
    """Numbered lines of the newest learned variants that fit ``budget`` characters."""
    variants = await faq.entry_variants(session, entry_id=entry_id)
    names = await queries.first_names(
        session, user_ids=[v.created_by_id for v in variants if v.created_by_id is not None]
    )
    lines: list[str] = []
    used = 0
    numbered = list(enumerate(variants, start=1))
    for number, variant in reversed(numbered[-limit:] if limit else numbered):
        line = texts.FAQ_VARIANT_LINE.format(
            number=number,
            text=texts.esc(variant.text[:VARIANT_SHOWN_CHARS]),
            ticket=variant.ticket_id or "-",
            who=texts.esc(names.get(variant.created_by_id or 0, "-")),
            when=format_local_date(variant.created_at.astimezone(desk.tz).date()),
        )
        if used + len(line) > budget:
            break
        lines.insert(0, line)
        used += len(line) + 1
    return lines, len(variants)


async def _variant_list(
    session: AsyncSession, desk: _Faq, entry_id: str, *, limit: int | None
) -> str:
    if desk.knowledge.lookup(entry_id) is None:
        return texts.FAQ_NOT_FOUND.format(entry_id=texts.esc(entry_id))
    lines, total = await _variant_lines(
        session, desk, entry_id, limit=limit, budget=VARIANT_LIST_BUDGET
    )
    if not total:
        return texts.FAQ_VARIANTS_NONE.format(entry_id=texts.esc(entry_id))
    return texts.faq_variants(entry_id=entry_id, lines=lines, total=total)


async def _list_entries(session: AsyncSession, desk: _Faq) -> str:
    entries = await faq.active_entries(session)
    file_count = len(desk.knowledge.entries) - len(entries)
    if not entries:
        return texts.FAQ_LIST_EMPTY.format(file_count=file_count)
    lines = [
        f"• <code>{texts.esc(e.id)}</code> {texts.esc(e.questions[0][:80])}"
        for e in entries[-LIST_LIMIT:]
    ]
    return texts.faq_list(lines=lines, file_count=file_count)


async def _gap_summary(session: AsyncSession, desk: _Faq) -> str:
    now = desk.clock.now()
    groups = await faq_gap_groups(
        session, agency_id=desk.agency_id, start=now - GAP_WINDOW, end=now + timedelta(seconds=1)
    )
    if not groups:
        return texts.FAQ_GAPS_NONE
    lines = [
        texts.KB_GAP_LINE.format(
            count=group.count,
            question=texts.esc(group.representative[:120]),
            tickets=", ".join(f"#{ticket}" for ticket in group.ticket_ids[:5]),
        )
        for group in groups[:GAP_GROUPS_SHOWN]
    ]
    return texts.KB_GAPS_HEADER + "\n" + "\n".join(lines)


async def _show_entry(session: AsyncSession, desk: _Faq, entry_id: str) -> str:
    entry = desk.knowledge.lookup(entry_id)
    if entry is None:
        return texts.FAQ_NOT_FOUND.format(entry_id=texts.esc(entry_id))
    lines, total = await _variant_lines(
        session, desk, entry_id, limit=VARIANTS_IN_ENTRY, budget=VARIANT_ENTRY_BUDGET
    )
    return texts.faq_entry(
        entry_id=entry.entry_id,
        question=entry.question,
        answer=entry.answer[:3000],
        source=entry.source,
        variant_lines=lines,
        variant_total=total,
    )

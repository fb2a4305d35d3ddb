"""Admins manage the knowledge base from their phones: /faq."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.handlers.admin import reply_notice, staff_or_refuse
from bot.services import faq
from bot.services.gaps import faq_gap_groups
from bot.services.tickets import HelpDesk
from storage.models import Role, User

router = Router(name=__name__)

LIST_LIMIT = 40
GAP_WINDOW = timedelta(days=30)
GAP_GROUPS_SHOWN = 15


@router.message(Command("faq"))
async def manage_faq(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    desk: HelpDesk,
) -> None:
    """/faq, /faq celah, /faq lihat <id>, /faq ubah <id> <jawaban>, /faq hapus <id>."""
    staff = await staff_or_refuse(session, desk, message, user, role)
    if staff is None:
        return
    words = (command.args or "").split(maxsplit=2)
    action = words[0].lower() if words else ""
    now = desk.clock.now()
    try:
        if not action:
            reply = await _list_entries(session, desk)
        elif action == "celah":
            reply = await _gap_summary(session, desk)
        elif action == "lihat" and len(words) >= 2:
            reply = _show_entry(desk, words[1])
        elif action == "ubah" and len(words) == 3:
            await faq.update_answer(
                session, entry_id=words[1], answer=words[2], actor=staff, now=now
            )
            desk.suggester.set_overlay(await faq.active_entries(session))
            reply = texts.FAQ_UPDATED.format(entry_id=texts.esc(words[1]))
        elif action == "hapus" and len(words) >= 2:
            await faq.retire_entry(session, entry_id=words[1], actor=staff, now=now)
            desk.suggester.set_overlay(await faq.active_entries(session))
            reply = texts.FAQ_RETIRED.format(entry_id=texts.esc(words[1]))
        else:
            reply = texts.FAQ_USAGE
    except faq.FaqError as exc:
        reply = texts.esc(str(exc))
    await reply_notice(session, desk, message, reply)


async def _list_entries(session: AsyncSession, desk: HelpDesk) -> str:
    entries = await faq.active_entries(session)
    file_count = len(desk.suggester.entries) - len(entries)
    if not entries:
        return texts.FAQ_LIST_EMPTY.format(file_count=file_count)
    lines = [
        f"• <code>{texts.esc(e.id)}</code> {texts.esc(e.questions[0][:80])}"
        for e in entries[-LIST_LIMIT:]
    ]
    return texts.faq_list(lines=lines, file_count=file_count)


async def _gap_summary(session: AsyncSession, desk: HelpDesk) -> str:
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


def _show_entry(desk: HelpDesk, entry_id: str) -> str:
    entry = desk.suggester.lookup(entry_id)
    if entry is None:
        return texts.FAQ_NOT_FOUND.format(entry_id=texts.esc(entry_id))
    return texts.faq_entry(
        entry_id=entry.entry_id,
        question=entry.question,
        answer=entry.answer[:3000],
        source=entry.source,
    )

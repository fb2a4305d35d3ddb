"""Knowledge-base entries written from the work: saved answers, edits and retirements.

They live in the database, are overlaid on the YAML files, and every change is recorded
with who made it and when (kb_change). `python -m bot kb export` writes them back to YAML.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import load_settings
from bot.knowledge.loader import dump_entries
from bot.knowledge.models import KbEntry
from storage.db import create_engine, create_session_maker
from storage.migrate import upgrade_database
from storage.models import KbChange, User
from storage.models import KbEntry as KbEntryRow


class FaqError(Exception):
    """A refused change; the message is Indonesian for the admin."""


def row_to_entry(row: KbEntryRow) -> KbEntry:
    return KbEntry(
        id=row.entry_id,
        questions=tuple(json.loads(row.questions)),
        answer=row.answer,
        tags=tuple(json.loads(row.tags)),
        source=row.source,
    )


def _snapshot(row: KbEntryRow) -> str:
    return json.dumps(
        {
            "id": row.entry_id,
            "questions": json.loads(row.questions),
            "answer": row.answer,
            "tags": json.loads(row.tags),
            "source": row.source,
            "retired": row.retired,
        },
        ensure_ascii=False,
    )


async def active_entries(session: AsyncSession) -> list[KbEntry]:
    rows = (
        await session.exec(
            select(KbEntryRow)
            .where(col(KbEntryRow.retired).is_(False))
            .order_by(col(KbEntryRow.id))
        )
    ).all()
    return [row_to_entry(row) for row in rows]


async def all_rows(session: AsyncSession) -> Sequence[KbEntryRow]:
    return (await session.exec(select(KbEntryRow).order_by(col(KbEntryRow.id)))).all()


async def find_row(session: AsyncSession, *, entry_id: str) -> KbEntryRow | None:
    return (await session.exec(select(KbEntryRow).where(KbEntryRow.entry_id == entry_id))).first()


async def _record_change(
    session: AsyncSession, *, row: KbEntryRow, action: str, actor: User, now: datetime
) -> None:
    session.add(
        KbChange(
            entry_id=row.entry_id,
            action=action,
            actor_id=actor.id,
            snapshot=_snapshot(row),
            at=now,
        )
    )
    await session.flush()


async def create_entry(
    session: AsyncSession,
    *,
    entry_id: str,
    question: str,
    answer: str,
    tags: Sequence[str],
    actor: User,
    now: datetime,
) -> KbEntryRow:
    if await find_row(session, entry_id=entry_id) is not None:
        raise FaqError(texts.FAQ_ALREADY_SAVED.format(entry_id=entry_id))
    row = KbEntryRow(
        entry_id=entry_id,
        questions=json.dumps([question], ensure_ascii=False),
        answer=answer,
        tags=json.dumps(list(tags), ensure_ascii=False),
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    await _record_change(session, row=row, action="create", actor=actor, now=now)
    return row


async def update_answer(
    session: AsyncSession, *, entry_id: str, answer: str, actor: User, now: datetime
) -> KbEntryRow:
    row = await find_row(session, entry_id=entry_id)
    if row is None or row.retired:
        raise FaqError(texts.FAQ_NOT_FOUND.format(entry_id=entry_id))
    row.answer = answer
    row.updated_at = now
    await _record_change(session, row=row, action="edit", actor=actor, now=now)
    return row


async def retire_entry(
    session: AsyncSession, *, entry_id: str, actor: User, now: datetime
) -> KbEntryRow:
    row = await find_row(session, entry_id=entry_id)
    if row is None or row.retired:
        raise FaqError(texts.FAQ_NOT_FOUND.format(entry_id=entry_id))
    row.retired = True
    row.updated_at = now
    await _record_change(session, row=row, action="retire", actor=actor, now=now)
    return row


async def export_overlay_yaml(database_url: str) -> tuple[str, int]:
    """The entries saved from the work, as knowledge-base YAML (what `kb export` writes)."""
    engine = create_engine(database_url)
    try:
        async with create_session_maker(engine)() as session:
            entries = await active_entries(session)
    finally:
        await engine.dispose()
    header = (
        "Entries saved from admins' answers (python -m bot kb export).\n"
        "Review them, then add this file to KB_PATHS or merge it into a curated file."
    )
    return dump_entries(entries, header=header), len(entries)


def export_command(args: argparse.Namespace) -> int:
    """`python -m bot kb export [--out FILE]`."""
    settings = load_settings()
    upgrade_database(settings.database_url)
    text, count = asyncio.run(export_overlay_yaml(settings.database_url))
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"error: cannot write {args.out}: {exc}\n")
            return 2
        sys.stderr.write(f"wrote {count} entries to {args.out}\n")
    else:
        sys.stdout.write(text)
    return 0

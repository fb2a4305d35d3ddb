"""Knowledge-base entries written from the work: saved answers, edits and retirements.

They live in the database, are overlaid on the YAML files, and every change is recorded
with who made it and when (kb_change). `python -m bot kb export` writes them back to YAML.

Approvals teach too: when an admin sends a suggestion, the citizen's wording (masked) is
learned as a question variant of that entry (kb_variant), so the next citizen who asks the
same way gets the entry with more confidence. Variants are reviewed and removed in /faq.

With an ``audit`` trail given, each change also leaves an append-only audit row in the same
session (``Simpan ke FAQ`` records its own row in bot/services/admin_actions.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.config import load_settings
from bot.domain.audit import AuditAction
from bot.knowledge.loader import dump_entries
from bot.knowledge.models import KbEntry
from bot.knowledge.normalize import normalize
from bot.privacy import mask_personal_data
from bot.services.audit import AuditTrail
from bot.services.suggestions import Suggester
from storage import queries
from storage.db import create_engine, create_session_maker
from storage.migrate import upgrade_database
from storage.models import KbChange, KbEntry as KbEntryRow, KbVariant, User

logger = logging.getLogger(__name__)

# A longer message is a story about one case, not a way of asking: learning it would pull
# unrelated questions towards the entry.
MAX_VARIANT_CHARS = 300


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
    return [row_to_entry(row) for row in await queries.active_kb_rows(session)]


async def find_row(session: AsyncSession, *, entry_id: str) -> KbEntryRow | None:
    return await queries.find_kb_row(session, entry_id=entry_id)


async def _record_change(
    session: AsyncSession, *, row: KbEntryRow, action: str, actor: User, now: datetime
) -> None:
    await queries.add_kb_change(
        session,
        KbChange(
            entry_id=row.entry_id,
            action=action,
            actor_id=actor.id,
            snapshot=_snapshot(row),
            at=now,
        ),
    )


async def _audit(
    session: AsyncSession,
    audit: AuditTrail | None,
    *,
    actor: User,
    entry_id: str,
    change: str,
    detail: dict[str, object] | None = None,
) -> None:
    if audit is not None:
        await audit.record(
            session,
            actor=actor,
            action=AuditAction.FAQ_CHANGE,
            target=entry_id,
            detail={"change": change, **(detail or {})},
        )


async def create_entry(
    session: AsyncSession,
    *,
    entry_id: str,
    question: str,
    answer: str,
    tags: Sequence[str],
    actor: User,
    now: datetime,
    audit: AuditTrail | None = None,
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
    await queries.add_kb_row(session, row)
    await _record_change(session, row=row, action="create", actor=actor, now=now)
    await _audit(session, audit, actor=actor, entry_id=entry_id, change="created")
    return row


async def update_answer(
    session: AsyncSession,
    *,
    entry_id: str,
    answer: str,
    actor: User,
    now: datetime,
    audit: AuditTrail | None = None,
) -> KbEntryRow:
    row = await find_row(session, entry_id=entry_id)
    if row is None or row.retired:
        raise FaqError(texts.FAQ_NOT_FOUND.format(entry_id=entry_id))
    row.answer = answer
    row.updated_at = now
    await _record_change(session, row=row, action="edit", actor=actor, now=now)
    await _audit(session, audit, actor=actor, entry_id=entry_id, change="edited")
    return row


async def retire_entry(
    session: AsyncSession,
    *,
    entry_id: str,
    actor: User,
    now: datetime,
    audit: AuditTrail | None = None,
) -> KbEntryRow:
    row = await find_row(session, entry_id=entry_id)
    if row is None or row.retired:
        raise FaqError(texts.FAQ_NOT_FOUND.format(entry_id=entry_id))
    row.retired = True
    row.updated_at = now
    await _record_change(session, row=row, action="retire", actor=actor, now=now)
    await _audit(session, audit, actor=actor, entry_id=entry_id, change="retired")
    # A retired entry keeps no effect: its learned wordings must not attach to a file entry
    # of the same id, nor come back if the id is reused.
    learned = await queries.kb_variants(session, entry_id=entry_id)
    await queries.remove_kb_variants(
        session,
        variant_ids=[v.id for v in learned if v.id is not None],
        actor_id=actor.id,
        now=now,
    )
    return row


# ----------------------------------------------------------------------------- overlay


async def learned_variants(session: AsyncSession) -> dict[str, tuple[str, ...]]:
    """Active learned wordings per entry id, oldest first."""
    grouped: dict[str, list[str]] = {}
    for variant in await queries.kb_variants(session):
        grouped.setdefault(variant.entry_id, []).append(variant.text)
    return {entry_id: tuple(wordings) for entry_id, wordings in grouped.items()}


async def refresh_overlay(session: AsyncSession, suggester: Suggester) -> None:
    """Give the index what the database adds: saved entries and learned variants.

    Every change to either goes through here, so the index never sees one without the other.
    """
    suggester.set_overlay(await active_entries(session), await learned_variants(session))


# ----------------------------------------------------------------------------- learned variants


def variant_key(text: str) -> str:
    """What two wordings must share to count as the same question."""
    return normalize(text)


@dataclass(frozen=True, slots=True)
class LearnOutcome:
    """What an approval taught: the stored variant, or why nothing was stored."""

    variant: KbVariant | None
    reason: str


async def learn_variant(
    session: AsyncSession,
    *,
    suggester: Suggester,
    entry_id: str,
    wording: str,
    ticket_id: int,
    actor: User,
    now: datetime,
) -> LearnOutcome:
    """Store the citizen's ``wording`` as a question of ``entry_id`` (masked, deduplicated).

    Nothing is stored when the ticket already taught (an approval seen twice), when the
    wording is too long or has no content words, when it is already a question or variant
    of the entry, or when an admin removed that wording from the entry before.
    """
    if await queries.variant_for_ticket(session, ticket_id=ticket_id) is not None:
        return LearnOutcome(None, "ticket already taught")
    text = " ".join(mask_personal_data(wording).split())
    if len(text) > MAX_VARIANT_CHARS:
        return LearnOutcome(None, "too long")
    key = variant_key(text)
    if not key:
        return LearnOutcome(None, "no content words")
    entry = next((e for e in suggester.entries if e.id == entry_id), None)
    if entry is None:
        return LearnOutcome(None, "entry not loaded")
    earlier = await queries.kb_variants(session, entry_id=entry_id, include_removed=True)
    known = [*entry.questions, *(v.text for v in earlier)]
    if any(variant_key(question) == key for question in known):
        return LearnOutcome(None, "already known")
    # The admin just chose this entry for this wording; the same wording learned for another
    # entry was a choice this one corrects, so it stops pulling that way.
    superseded = [
        v.id
        for v in await queries.kb_variants(session)
        if v.entry_id != entry_id and v.id is not None and variant_key(v.text) == key
    ]
    await queries.remove_kb_variants(session, variant_ids=superseded, actor_id=actor.id, now=now)
    variant = await queries.add_kb_variant(
        session, entry_id=entry_id, text=text, ticket_id=ticket_id, actor_id=actor.id, now=now
    )
    logger.info(
        "learned a question variant for %s from ticket %d (%d superseded)",
        entry_id,
        ticket_id,
        len(superseded),
    )
    return LearnOutcome(variant, "learned")


async def entry_variants(session: AsyncSession, *, entry_id: str) -> Sequence[KbVariant]:
    """The active variants of one entry, numbered 1.. in this order in /faq."""
    return await queries.kb_variants(session, entry_id=entry_id)


async def remove_variant(
    session: AsyncSession,
    *,
    entry_id: str,
    number: int,
    actor: User,
    now: datetime,
    audit: AuditTrail | None = None,
) -> KbVariant:
    """`/faq varian hapus <id> <nomor>`: the removed variant (kept on record as removed)."""
    variants = await entry_variants(session, entry_id=entry_id)
    if not 1 <= number <= len(variants):
        raise FaqError(texts.FAQ_VARIANT_NOT_FOUND.format(entry_id=entry_id, number=number))
    variant = variants[number - 1]
    assert variant.id is not None
    await queries.remove_kb_variants(session, variant_ids=[variant.id], actor_id=actor.id, now=now)
    await _audit(
        session,
        audit,
        actor=actor,
        entry_id=entry_id,
        change="variant_removed",
        detail={"variant_id": variant.id},
    )
    return variant


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

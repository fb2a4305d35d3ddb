"""Officers by decree: /petugas for officials (list, tambah, hapus)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.domain.enums import Role
from bot.handlers.admin import reply_notice
from bot.services.notifier import Notifier
from bot.services.officers import Officers
from storage.models import User

router = Router(name=__name__)


@router.message(Command("petugas"))
async def manage_officers(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User | None,
    role: Role,
    notifier: Notifier,
    officers: Officers,
) -> None:
    """/petugas [tambah <id> <nomor SK> <tanggal> | hapus <id>] from an official."""
    if user is None or role != Role.OFFICIAL:
        text = texts.NOT_FOR_ROLE.format(who=texts.WHO_OFFICIALS)
    else:
        text = await officers.handle(session, official=user, args=command.args or "")
    await reply_notice(session, notifier, message, text)

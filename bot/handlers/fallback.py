"""Catch-all: anything no other router took. Registered last."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.handlers.admin import answer_callback
from bot.services.notifier import Notifier

router = Router(name=__name__)
logger = logging.getLogger(__name__)


@router.callback_query()
async def refuse_unknown_button(
    query: CallbackQuery, session: AsyncSession, notifier: Notifier
) -> None:
    """A button whose data we cannot parse: forged, or from an older version."""
    logger.info("refused callback data of %d bytes", len((query.data or "").encode()))
    await answer_callback(session, notifier, query, texts.ALERT_STALE, alert=True)
